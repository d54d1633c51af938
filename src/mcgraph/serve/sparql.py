"""The SPARQL 1.1 protocol over a store: ``/query`` (GET or POST) and ``/update`` (POST, writable servers only).

https://www.w3.org/TR/sparql11-protocol/ — queries by ``GET ?query=``, ``POST`` of a form or of
``application/sparql-query``; updates by ``POST`` of a form or of ``application/sparql-update``. The result
format follows the ``Accept`` header, or ``?format=`` (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``,
``ntriples``, ``rdfxml``, ``jsonld``) for links typed by hand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Protocol, runtime_checkable
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..errors import McgraphError
from ..queries import ALLOW_SERVICE_OPTION, uses_service
from ..store import GraphStore, QueryResult, Term
from ..store.updates import UpdateRefused
from .formats import GRAPH_TYPES, SOLUTION_TYPES, NotAcceptable, format_by_name, negotiate, offered_for, serialise

FORM = "application/x-www-form-urlencoded"
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")


@runtime_checkable
class JsonAnswering(Protocol):
    """A store whose engine writes SPARQL JSON results itself (the embedded store): the fast path for the
    most common request, a SELECT answered in JSON."""

    def query_json(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bytes | QueryResult: ...


@lru_cache(maxsize=1024)
def wants_json(accept: str | None, fmt: str | None) -> bool:
    """Whether a SELECT/ASK answer to this request is SPARQL JSON (by ``?format=`` or ``Accept``)."""
    try:
        return (format_by_name(fmt, SOLUTION_TYPES) if fmt else negotiate(accept, SOLUTION_TYPES)) == "json"
    except NotAcceptable:
        return False


def refuses_service(text: str) -> bool:
    """:func:`~mcgraph.queries.uses_service`, remembered for texts up to 16 KB sent again (a query page, a
    dashboard); the memory it takes stays bounded."""
    return _uses_service(text) if len(text) <= 16_384 else uses_service(text)


_uses_service = lru_cache(maxsize=512)(uses_service)


_HEAD = re.compile(rb'^\{"head":\{"vars":(\[[^\]]*\])\}')


def without_columns(body: bytes, hidden: set[str]) -> bytes | None:
    """SPARQL JSON ``body`` without the ``hidden`` columns, when none of them has a value in any row (then only
    the head names them); None when one has (the caller takes the slower path)."""
    if not hidden:
        return body
    match = _HEAD.match(body)
    if match is None:
        return body if body.startswith(b'{"head":{},"boolean"') else None
    if any(b'"' + name.encode() + b'":{' in body for name in hidden):  # a key: a string value cannot hold it
        return None
    kept = [v for v in json.loads(match.group(1)) if v not in hidden]
    return b'{"head":{"vars":' + json.dumps(kept, separators=(",", ":")).encode() + b"}" + body[match.end():]


class ProtocolError(Exception):
    """A request the protocol refuses: carries the HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def error_response(status: int, message: str) -> Response:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status)


def media_type(fmt: str) -> str:
    mime = SOLUTION_TYPES.get(fmt) or GRAPH_TYPES[fmt]
    return f"{mime}; charset=utf-8"


def encode(result: QueryResult, accept: str | None, fmt: str | None) -> Response:
    """``result`` in the requested or negotiated format (406 when none fits)."""
    offered = offered_for(result)
    try:
        name = format_by_name(fmt, offered) if fmt else negotiate(accept, offered)
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from None
    return Response(serialise(result, name), media_type=media_type(name))


async def _operation(request: Request, field: str, body_type: str) -> tuple[str, Mapping[str, str]]:
    """The query (or update) text of a request and its other parameters."""
    params: dict[str, str] = dict(request.query_params)
    for name in DATASET_PARAMS:
        if name in request.query_params:
            raise ProtocolError(400, f"the {name} parameter is not supported: name graphs in the text "
                                     "(FROM, FROM NAMED, GRAPH, USING, WITH)")
    text: str | None = None
    if request.method == "GET":
        text = request.query_params.get(field)
    else:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == body_type:
            try:
                text = (await request.body()).decode("utf-8")
            except UnicodeDecodeError:
                raise ProtocolError(400, "the request body is not UTF-8 text") from None
        elif ctype == FORM:
            form = _form(await request.body())
            for name in DATASET_PARAMS:
                if name in form:
                    raise ProtocolError(400, f"the {name} parameter is not supported: name graphs in the text "
                                             "(FROM, FROM NAMED, GRAPH, USING, WITH)")
            text = form.get(field)  # type: ignore[assignment]
            params.update({k: v for k, v in form.items() if k != field})
        else:
            raise ProtocolError(415, f"send the {field} as {body_type} or as a {FORM} form "
                                     f"(got content type {ctype or 'none'!r})")
    if not text or not text.strip():
        raise ProtocolError(400, f"missing the {field!r} parameter: the SPARQL {field} to run")
    return text, params


def _form(body: bytes) -> dict[str, str]:
    """An URL-encoded form (the last value of a repeated field)."""
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        raise ProtocolError(400, "the form is not UTF-8 text") from None


class SparqlEndpoints:
    """The two protocol endpoints over one store."""

    def __init__(self, store: GraphStore, *, writable: bool = False) -> None:
        self.store = store
        self.writable = writable
        self.native = store if isinstance(store, JsonAnswering) else None

    async def query(self, request: Request) -> Response:
        try:
            text, params = await _operation(request, "query", "application/sparql-query")
            accept, fmt = request.headers.get("accept"), params.get("format")
            return await run_in_threadpool(self._answer, text, accept, fmt)
        except ProtocolError as exc:
            return error_response(exc.status, str(exc))

    def _answer(self, text: str, accept: str | None, fmt: str | None) -> Response:
        if refuses_service(text):
            raise ProtocolError(403, "SERVICE is refused: a federated query makes the server fetch data from the "
                                     f"network (`mcgraph query {ALLOW_SERVICE_OPTION}` runs one locally)")
        try:
            if self.native is not None and wants_json(accept, fmt):
                answer = self.native.query_json(text)
                if isinstance(answer, bytes):
                    return Response(answer, media_type=media_type("json"))
                return encode(answer, accept, fmt)
            result = self.store.query(text)
        except McgraphError as exc:
            raise ProtocolError(400, str(exc)) from None
        return encode(result, accept, fmt)

    async def update(self, request: Request) -> Response:
        if not self.writable:
            return error_response(403, "this server is read-only: updates are refused. Start it with "
                                       "`mcgraph serve --writable` to allow SPARQL updates.")
        try:
            text, _ = await _operation(request, "update", "application/sparql-update")
            await run_in_threadpool(self._update, text)
        except ProtocolError as exc:
            return error_response(exc.status, str(exc))
        return Response(status_code=204)

    def _update(self, text: str) -> None:
        try:
            self.store.update(text)
        except UpdateRefused as exc:
            raise ProtocolError(403, str(exc)) from None
        except McgraphError as exc:
            raise ProtocolError(400, str(exc)) from None
