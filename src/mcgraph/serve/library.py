"""The named query library over HTTP.

``GET /queries`` lists the named queries (name, title, description, parameters, columns);
``GET /queries/NAME?param=value`` runs one with its parameters bound by the engine (typed by the query's
header, never pasted into the text) and answers in SPARQL JSON (default) or CSV, TSV, XML by ``Accept``
or ``?format=``; ``GET /queries/NAME.rq`` is the query's SPARQL text. A missing, unknown or mistyped
parameter is a ``400`` naming it; an unknown query a ``404``.

The library is read once when the server starts (finding and parsing the files costs about 1.5 ms, more
than running a small query): restart the server to pick up new or edited query files.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import McgraphError, ParameterError
from ..queries import NamedQuery, get_query, list_queries, uses_service
from ..store import GraphStore
from .sparql import JsonAnswering, ProtocolError, encode, error_response, media_type, wants_json, without_columns

FORMAT_PARAM = "format"
"""The one query-string name the library keeps for itself (a named query cannot declare it)."""


def describe(query: NamedQuery) -> dict[str, object]:
    """What ``GET /queries`` says about one query."""
    return {
        "name": query.name, "title": query.title, "description": query.description,
        "parameters": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                        "description": p.description} for p in query.parameters],
        "columns": list(query.columns),
        "url": f"queries/{query.name}", "sparql": f"queries/{query.name}.rq",
    }


class QueryLibrary:
    """Routes for the public named queries (those of ``queries/``, not ``queries/internal/``)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        # by name only: a request can never reach a path (get_query would also open any .rq file)
        self.queries: dict[str, NamedQuery] = {q.name: get_query(q.name) for q in list_queries()}
        self.listing = [describe(q) for q in self.queries.values()]
        # what each request would otherwise work out again: the parameter columns the answer hides, and
        # whether the query may run at all (a library query using SERVICE is refused by NamedQuery.run)
        self.hidden = {q.name: {p.name for p in q.parameters} - set(q.columns) for q in self.queries.values()}
        self.fast = {q.name for q in self.queries.values() if not uses_service(q.text)}
        self.native = store if isinstance(store, JsonAnswering) else None

    async def index(self, request: Request) -> Response:
        return JSONResponse(self.listing)

    async def run(self, request: Request) -> Response:
        name: str = request.path_params["name"]
        text_only = name.endswith(".rq")
        name = name.removesuffix(".rq")
        query = self.queries.get(name)
        if query is None:
            return error_response(404, f"no named query {name!r}; GET /queries lists them")
        if text_only:
            return Response(query.text, media_type="application/sparql-query; charset=utf-8")
        values: dict[str, str] = {}
        for key in request.query_params:
            given = request.query_params.getlist(key)
            if key == FORMAT_PARAM:
                continue
            if len(given) > 1:
                return error_response(400, f"parameter {key!r} is given {len(given)} times; give it once")
            values[key] = given[0]
        try:
            return await run_in_threadpool(self._answer, query, values, request.headers.get("accept"),
                                           request.query_params.get(FORMAT_PARAM))
        except ProtocolError as exc:
            return error_response(exc.status, str(exc))

    def _answer(self, query: NamedQuery, values: dict[str, str], accept: str | None, fmt: str | None) -> Response:
        try:
            if self.native is not None and query.name in self.fast and wants_json(accept, fmt):
                bound = query.bind(values)
                hidden = self.hidden[query.name]
                if not hidden & bound.keys():
                    answer = self.native.query_json(query.text, bound)
                    body = without_columns(answer, hidden) if isinstance(answer, bytes) else None
                    if body is not None:
                        return Response(body, media_type=media_type("json"))
            result = query.run(self.store, **values)
        except ParameterError as exc:
            raise ProtocolError(400, str(exc).replace("pass -p ", "pass ?")) from None
        except McgraphError as exc:
            raise ProtocolError(500, f"query {query.name!r} failed: {exc}") from None
        return encode(result, accept, fmt)
