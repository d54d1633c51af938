"""The remote store: any SPARQL 1.1 engine over HTTP (Oxigraph server, Virtuoso, Fuseki, GraphDB, QLever …).

Queries go through SPARQLWrapper, updates through SPARQL 1.1 Update, loads through the Graph Store Protocol
(or chunked ``INSERT DATA`` where the engine has none): a graph being replaced is staged into a temporary graph
that one update moves into place, a fresh graph is written in place and dropped again if anything fails, so a
failed load leaves the store as it was. Load records live in the same metadata graph as in the embedded store.

Parameters stay bound: the engine receives them as RDF terms in a ``VALUES`` block opening the query's
outer group, each term written by pyoxigraph's term serialiser (so a value cannot end its literal or IRI and
become query text) — never by pasting user text into the query.

>>> print(bind_values("SELECT ?x WHERE { ?x ?p ?text }", {"text": ox.Literal('a" } DROP ALL {')}))
SELECT ?x WHERE { VALUES (?text) { ("a\\" } DROP ALL {") } ?x ?p ?text }
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from ..errors import GraphExistsError, QueryError, SourceFormatError, StoreError
from ..namespaces import META_GRAPH, PREFIXES
from ..rdf_io import parse_rdf
from ..resources import resource_path
from .base import GraphInfo, LoadRecord, QueryResult, Term, graph_iri, iri
from .graphs import check_writable
from .metadata import read_graph_records, reserved_graphs
from .updates import check_update, records_after

ENDPOINT_ENV = "MCGRAPH_ENDPOINT"
"""Environment variable naming the SPARQL query endpoint (instead of an embedded store folder)."""
UPDATE_ENDPOINT_ENV = "MCGRAPH_UPDATE_ENDPOINT"
GRAPH_STORE_ENDPOINT_ENV = "MCGRAPH_GRAPH_STORE_ENDPOINT"
USER_ENV, PASSWORD_ENV, TOKEN_ENV = "MCGRAPH_ENDPOINT_USER", "MCGRAPH_ENDPOINT_PASSWORD", "MCGRAPH_ENDPOINT_TOKEN"
TIMEOUT_ENV = "MCGRAPH_ENDPOINT_TIMEOUT"

DEFAULT_TIMEOUT = 60.0
"""Seconds one HTTP request may take (connecting included)."""
DEFAULT_RETRIES = 2
"""Extra attempts after a failed connection or a 502/503/504 answer (never after a timeout or a 4xx)."""
CHUNK_TRIPLES = 100_000
"""Triples sent per Graph Store Protocol request (or per INSERT DATA without one)."""
INSERT_DATA_CHUNK = 20_000
"""Triples per INSERT DATA request: query text is parsed whole, so these stay smaller."""

ENGINE_GRAPHS = frozenset({
    "http://www.openlinksw.com/schemas/virtrdf#",  # Virtuoso: its quad-map schema
    "http://localuriqaserver/sparql",  # Virtuoso: the SPARQL endpoint's service description
    "http://www.w3.org/ns/ldp#",  # Virtuoso: LDP vocabulary it ships
})
"""Graphs an engine keeps for itself: left out of :meth:`RemoteStore.named_graphs`, counts and records."""

_RESULTS_JSON = "application/sparql-results+json"
_RETRY_STATUS = {502, 503, 504}


# -- binding parameters --------------------------------------------------------------------------------
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_OPENERS = re.compile(r'"""|\'\'\'|"|\'|#|<')
_STRUCTURE = re.compile(r"\{|\}|\(|\)|\bWHERE\b|\bCONSTRUCT\b|\bSELECT\b|\bASK\b|\bDESCRIBE\b", re.IGNORECASE)
_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def serialize_term(term: object) -> str:
    """A term as SPARQL text, written by pyoxigraph (``<iri>``, ``"text"@en``, ``"3"^^<…#integer>``).

    Only pyoxigraph IRIs and literals are accepted: their constructors validate them, and the serialiser
    escapes quotes, backslashes and line breaks, so the text is exactly one term.
    """
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)
    raise QueryError(f"a query parameter must be an IRI or a literal to be sent to a remote engine; got "
                     f"{type(term).__name__} {term!r}")


def _code(sparql: str) -> Iterator[tuple[int, str]]:
    """The query's code pieces (offset, text), without its strings, IRIs and comments."""
    i, n = 0, len(sparql)
    while i < n:
        m = _OPENERS.search(sparql, i)
        if m is None:
            yield i, sparql[i:]
            return
        tok, start = m.group(0), m.start()
        if start > i:
            yield i, sparql[i:start]
        if tok in ('"""', "\'\'\'"):
            close = sparql.find(tok, m.end())
            while close != -1 and _escaped(sparql, close):
                close = sparql.find(tok, close + 1)
            i = n if close == -1 else close + 3
        elif tok in ('"', "'"):
            j = m.end()
            while j < n and sparql[j] != tok:
                j += 2 if sparql[j] == "\\" else 1
            i = j + 1
        elif tok == "#":
            close = sparql.find("\n", start)
            i = n if close == -1 else close + 1
        else:  # "<": an IRI, or the less-than operator
            iri_match = _IRIREF.match(sparql, start)
            if iri_match:
                i = iri_match.end()
            else:
                yield start, "<"
                i = start + 1


def _scan(sparql: str) -> Iterator[tuple[int, str]]:
    """Positions and tokens of the query's structure (braces, parentheses, keywords), skipping strings,
    IRIs and comments."""
    for offset, piece in _code(sparql):
        for m in _STRUCTURE.finditer(piece):
            yield offset + m.start(), m.group(0).upper()


def _escaped(text: str, pos: int) -> bool:
    backslashes = 0
    while pos - backslashes - 1 >= 0 and text[pos - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _outer_group(sparql: str, *, update: bool = False) -> int:
    """The index just after the ``{`` opening the query's outer group pattern (the WHERE clause; in an
    update, the first ``WHERE`` group)."""
    depth_brace = depth_paren = 0
    form = None
    after_where = False
    for pos, tok in _scan(sparql):
        if tok in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE") and form is None:
            form = tok
        elif tok == "WHERE" and depth_brace == 0 and depth_paren == 0:
            after_where = True
        elif tok == "(":
            depth_paren += 1
        elif tok == ")":
            depth_paren -= 1
        elif tok == "{":
            if depth_brace == 0 and depth_paren == 0 and (after_where or (not update and form != "CONSTRUCT")):
                return pos + 1
            depth_brace += 1
        elif tok == "}":
            depth_brace -= 1
    raise QueryError("cannot find the query's WHERE clause to bind its parameters")


def _sub_select_groups(sparql: str) -> list[tuple[int, int]]:
    """(start, end) of the group pattern of every sub-SELECT: just after its ``{`` and at its ``}``."""
    groups: list[tuple[int, int]] = []
    stack: list[int | None] = []  # per open brace: its group's index in ``groups`` when it opens a sub-SELECT
    pending_select: int | None = None  # paren depth of a sub-SELECT whose group has not opened yet
    depth_paren = 0
    seen_form = False
    for pos, tok in _scan(sparql):
        if tok in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            if seen_form and tok == "SELECT":
                pending_select = depth_paren
            seen_form = True
        elif tok == "(":
            depth_paren += 1
        elif tok == ")":
            depth_paren -= 1
        elif tok == "{":
            if pending_select is not None and depth_paren == pending_select:
                groups.append((pos + 1, -1))
                stack.append(len(groups) - 1)
                pending_select = None
            else:
                stack.append(None)
        elif tok == "}" and stack:
            index = stack.pop()
            if index is not None:
                groups[index] = (groups[index][0], pos)
    return [g for g in groups if g[1] >= 0]


def _mentions(sparql: str, start: int, end: int, name: str) -> bool:
    pattern = re.compile(rf"[?$]{re.escape(name)}(?![A-Za-z0-9_\u00b7\u0300-\u036f\u203f-\u2040])")
    return any(pattern.search(piece) for _, piece in _code(sparql[start:end]))


def bind_values(sparql: str, bindings: Mapping[str, Term] | None, *, update: bool = False) -> str:
    """The query with its parameters bound by a ``VALUES`` block opening the outer group pattern, and opening
    the group of every sub-SELECT that uses the parameter (a sub-SELECT does not see the outer query's
    bindings), so the parameter means the same everywhere, as the embedded engine's substitution does.

    >>> print(bind_values("SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o = ?x) } } }",
    ...                   {"x": ox.Literal("a")}))
    SELECT ?n WHERE { VALUES (?x) { ("a") } { SELECT (COUNT(*) AS ?n) WHERE { VALUES (?x) { ("a") } ?s ?p ?o FILTER(?o = ?x) } } }
    """
    if not bindings:
        return sparql
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"not a SPARQL variable name: {name!r}")

    def block(used: list[str]) -> str:
        terms = " ".join(serialize_term(bindings[name]) for name in used)
        return f" VALUES ({' '.join('?' + n for n in used)}) {{ ({terms}) }}"

    inserts = [(_outer_group(sparql, update=update), block(names))]
    if not update:
        for start, end in _sub_select_groups(sparql):
            used = [n for n in names if _mentions(sparql, start, end, n)]
            if used:
                inserts.append((start, block(used)))
    for at, text in sorted(inserts, reverse=True):
        sparql = sparql[:at] + text + sparql[at:]
    return sparql


def with_prefixes(sparql: str) -> str:
    """The query with PREFIX declarations for mcgraph's prefixes it uses without declaring (the embedded
    store knows them; a remote engine does not)."""
    code = " ".join(piece for _, piece in _code(sparql))
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(code)}
    needed = [p for p in PREFIXES if p not in declared and re.search(rf"(?<![\w.-]){re.escape(p)}:", code)]
    if not needed:
        return sparql
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in needed) + sparql


# -- reading results ------------------------------------------------------------------------------------
def _term(cell: Mapping[str, str], blanks: dict[str, ox.BlankNode]) -> Term:
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return blanks.setdefault(value, ox.BlankNode())
    if kind in ("literal", "typed-literal"):
        if cell.get("xml:lang"):
            return ox.Literal(value, language=cell["xml:lang"])
        if cell.get("datatype"):
            datatype = cell["datatype"]
            return ox.Literal(_CANONICAL.get(datatype, _same)(value), datatype=ox.NamedNode(datatype))
        return ox.Literal(value)
    raise QueryError(f"the engine answered a term of unknown type {kind!r}")


def _same(value: str) -> str:
    return value


def _canonical_boolean(value: str) -> str:
    return {"1": "true", "0": "false"}.get(value.strip(), value)


def _canonical_datetime(value: str) -> str:
    """Trailing zeros of the seconds' fraction dropped (``…42.754040Z`` → ``…42.75404Z``), as XSD's canonical
    form and the embedded store write it."""
    match = re.fullmatch(r"(.*T\d\d:\d\d:\d\d)\.(\d+)(.*)", value)
    if not match:
        return value
    fraction = match.group(2).rstrip("0")
    return f"{match.group(1)}{'.' + fraction if fraction else ''}{match.group(3)}"


_XSD = "http://www.w3.org/2001/XMLSchema#"
_CANONICAL: dict[str, Callable[[str], str]] = {
    _XSD + "boolean": _canonical_boolean,  # Virtuoso stores booleans as 1/0
    _XSD + "dateTime": _canonical_datetime,  # Virtuoso writes microseconds in six digits
}
"""Lexical forms an engine writes differently for the same value, put in the canonical form."""


def _canonical_triple(triple: ox.Triple) -> ox.Triple:
    """A CONSTRUCT answer's triple with its object literal in canonical form (as :func:`_term` does for rows)."""
    obj = triple.object
    if isinstance(obj, ox.Literal) and obj.datatype.value in _CANONICAL:
        value = _CANONICAL[obj.datatype.value](obj.value)
        if value != obj.value:
            return ox.Triple(triple.subject, triple.predicate, ox.Literal(value, datatype=obj.datatype))
    return triple


def parse_results_json(body: bytes) -> QueryResult:
    """A SPARQL 1.1 JSON results document (SELECT or ASK) as a :class:`QueryResult`."""
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise QueryError(f"the engine's answer is not SPARQL JSON results: {exc}: {body[:200]!r}") from None
    if "boolean" in doc:
        return QueryResult(boolean=bool(doc["boolean"]))
    variables = tuple(doc.get("head", {}).get("vars", ()))
    blanks: dict[str, ox.BlankNode] = {}
    rows = tuple(tuple(_term(b[v], blanks) if v in b else None for v in variables)
                 for b in doc.get("results", {}).get("bindings", ()))
    return QueryResult(variables=variables, rows=rows)


# -- the store ---------------------------------------------------------------------------------------------
class RemoteStore:
    """A SPARQL 1.1 engine over HTTP behind the :class:`~mcgraph.store.GraphStore` protocol.

    ``endpoint`` is the query URL; ``update_endpoint`` defaults to the same URL (or ``…/update`` for an
    endpoint ending in ``/query``, as Oxigraph and Fuseki name them); ``graph_store_endpoint`` is the Graph
    Store Protocol URL (guessed for Oxigraph and Virtuoso's default paths; without one, loads use chunked
    ``INSERT DATA``). Credentials: ``user``/``password`` (HTTP basic) or ``token`` (bearer), also read from
    ``$MCGRAPH_ENDPOINT_USER``, ``$MCGRAPH_ENDPOINT_PASSWORD``, ``$MCGRAPH_ENDPOINT_TOKEN`` or the URL's
    ``user:password@``. The engine must treat the default graph as the union of the named graphs (Oxigraph
    server: ``--union-default-graph``; Virtuoso, GraphDB, QLever do; Fuseki: ``tdb2:unionDefaultGraph``).
    """

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None,
                 graph_store_endpoint: str | None = None, user: str | None = None, password: str | None = None,
                 token: str | None = None, timeout: float | None = None, retries: int = DEFAULT_RETRIES,
                 chunk_triples: int = CHUNK_TRIPLES) -> None:
        endpoint, url_user, url_password = _split_credentials(endpoint)
        self.endpoint = endpoint
        self.update_endpoint = _split_credentials(
            update_endpoint or os.environ.get(UPDATE_ENDPOINT_ENV) or _default_update(endpoint))[0]
        gsp = graph_store_endpoint or os.environ.get(GRAPH_STORE_ENDPOINT_ENV)
        self._graph_store: str | None = _split_credentials(gsp)[0] if gsp else None
        self._graph_store_known = gsp is not None
        self._user = user or url_user or os.environ.get(USER_ENV)
        self._password = password or url_password or os.environ.get(PASSWORD_ENV) or ""
        self._token = token or os.environ.get(TOKEN_ENV)
        self.timeout = float(timeout if timeout is not None else os.environ.get(TIMEOUT_ENV) or DEFAULT_TIMEOUT)
        self.retries = max(0, retries)
        self.chunk_triples = chunk_triples
        self._server: str | None = None

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r})"

    @property
    def location(self) -> str:
        return self.endpoint

    @property
    def notices(self) -> list[str]:
        """Nothing to report on opening: a remote engine keeps no local state."""
        return []

    # -- HTTP ---------------------------------------------------------------------------------------------
    def _auth_header(self) -> str | None:
        if self._token:
            return f"Bearer {self._token}"
        if self._user:
            raw = f"{self._user}:{self._password}".encode()
            return "Basic " + base64.b64encode(raw).decode("ascii")
        return None

    def _attempts(self, what: str, url: str, call: Callable[[], bytes], *, resend: bool = True,
                  timeout: float | None = None) -> bytes:
        """Run one HTTP exchange with bounded retries, turning every failure into a clear mcgraph error.

        Refused connections and 502/503/504 answers are retried; with ``resend`` (reads, which are safe to
        repeat) so are connections that broke once the request may have reached the engine.
        """
        attempts = 1 + self.retries
        waited = timeout or self.timeout
        last = ""
        for attempt in range(attempts):
            try:
                return call()
            except SPARQLWrapperException as exc:
                raise self._http_error(what, url, _status_of(exc), _body_of(exc)) from None
            except urllib.error.HTTPError as exc:
                body = exc.read() if exc.fp is not None else b""
                if exc.code in _RETRY_STATUS and attempt + 1 < attempts:
                    last = f"HTTP {exc.code}"
                    time.sleep(0.5 * 2 ** attempt)
                    continue
                raise self._http_error(what, url, exc.code, body) from None
            except (TimeoutError, socket.timeout) as exc:
                raise StoreError(f"{what}: no answer from {url} within {waited:g} s ({exc or 'timed out'}); "
                                 f"is the engine overloaded? Raise ${TIMEOUT_ENV} for long queries") from None
            except (urllib.error.URLError, ConnectionError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, (TimeoutError, socket.timeout)):
                    raise StoreError(f"{what}: no answer from {url} within {waited:g} s") from None
                last = str(reason)
                if not resend and not isinstance(reason, ConnectionRefusedError):
                    raise StoreError(f"{what}: the connection to {url} broke ({last}); the update may or may "
                                     "not have been applied") from None
                if attempt + 1 < attempts:
                    time.sleep(0.5 * 2 ** attempt)
                    continue
        raise StoreError(f"{what}: cannot reach the SPARQL endpoint {url} ({last}; tried {attempts} times). "
                         "Is the engine running, and is the URL right?")

    def _http_error(self, what: str, url: str, status: int | None, body: bytes) -> Exception:
        text = body.decode("utf-8", "replace").strip()
        text = re.sub(r"<[^>]+>", " ", text) if text.lstrip().startswith("<") else text
        text = " ".join(text.split())[:600]
        if status in (401, 403):
            return StoreError(f"{what}: {url} refused the request (HTTP {status}): {text or 'not allowed'}. "
                              f"Set ${USER_ENV}/${PASSWORD_ENV} or ${TOKEN_ENV}, or use an endpoint that allows "
                              "this operation")
        if status == 404:
            return StoreError(f"{what}: {url} does not exist (HTTP 404): check the endpoint URL")
        if status is not None and 400 <= status < 500:
            return QueryError(f"{what}: the engine at {url} rejected the request (HTTP {status}): {text}")
        return StoreError(f"{what}: the engine at {url} failed (HTTP {status}): {text}")

    def _wrapper(self, *, update: bool = False) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY if update else URLENCODED)
        wrapper.setTimeout(self.timeout)  # type: ignore[arg-type]  # SPARQLWrapper accepts float seconds
        wrapper.setOnlyConneg(True)
        auth = self._auth_header()
        if auth:
            wrapper.addCustomHttpHeader("Authorization", auth)
        return wrapper

    def _send_query(self, sparql: str, accept: str) -> tuple[bytes, str]:
        wrapper = self._wrapper()
        wrapper.setQuery(sparql)
        wrapper.queryType = _query_form(sparql)  # SPARQLWrapper's own guess reads words inside comments
        wrapper.setReturnFormat(JSON if accept == _RESULTS_JSON else TURTLE)
        wrapper.addCustomHttpHeader("Accept", accept)
        ctype: list[str] = []

        def call() -> bytes:
            response = wrapper.query().response
            try:
                ctype[:] = [response.headers.get("Content-Type", "")]
                self._check_truncation(response.headers)
                return response.read()
            finally:
                response.close()

        body = self._attempts("query", self.endpoint, call)
        return body, ctype[0] if ctype else ""

    def _check_truncation(self, headers: Mapping[str, str]) -> None:
        limit = headers.get("X-SPARQL-MaxRows")
        if limit:
            raise QueryError(f"the engine cut the result at {limit} rows (Virtuoso's [SPARQL] ResultSetMaxRows); "
                             "raise that limit in virtuoso.ini or narrow the query")

    def update(self, sparql: str) -> None:
        """Run a user's SPARQL 1.1 Update under the graph rules of :mod:`.updates` (as the embedded store does):
        refused operations never reach the engine; the load records of the graphs it touched are written by a
        second request right after it (the engine runs each request as one transaction, if it has them)."""
        plan, recorded = check_update(self, sparql)
        self.run_update(sparql)
        ops = []
        for graph, record in records_after(self, plan, recorded):
            node = graph_iri(graph)
            ops.append(bind_values(_internal("delete-load-record.ru"), {"g": node, "meta": iri(META_GRAPH)},
                                   update=True))
            if record is not None:
                data = (ox.serialize([q.triple for q in record.quads()], format=ox.RdfFormat.N_TRIPLES) or b"")
                ops.append(f"INSERT DATA {{ GRAPH {iri(META_GRAPH)} {{\n{data.decode('utf-8')}}} }}")
        if ops:
            self.run_update(" ;\n".join(ops))

    def run_update(self, sparql: str, bindings: Mapping[str, Term] | None = None, *,
                   timeout: float | None = None) -> None:
        """Run a SPARQL 1.1 Update as given, with no graph rules (mcgraph's own writes: staging, swaps, load
        records); parameters bound as in :meth:`query`. A user's update goes through :meth:`update`."""
        text = with_prefixes(bind_values(sparql, bindings, update=True))
        wrapper = self._wrapper(update=True)
        if timeout is not None:
            wrapper.setTimeout(timeout)  # type: ignore[arg-type]
        wrapper.setQuery(text)
        wrapper.queryType = "INSERT"  # any update form: SPARQLWrapper then posts it to the update endpoint

        def call() -> bytes:
            response = wrapper.query().response
            try:
                return response.read()
            finally:
                response.close()

        # An update is not sent twice once it may have reached the engine (see _attempts).
        self._attempts("update", self.update_endpoint, call, resend=False, timeout=timeout)

    # -- reading ------------------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        """Run a SPARQL query; ``bindings`` travel as RDF terms in a VALUES block (see :func:`bind_values`)."""
        text = with_prefixes(bind_values(sparql, bindings))
        if _is_graph_query(text):
            return QueryResult(triples=tuple(self._graph_query(text)))
        body, _ = self._send_query(text, _RESULTS_JSON)
        return parse_results_json(body)

    def _graph_query(self, text: str) -> list[ox.Triple]:
        body, ctype = self._send_query(text, "application/n-triples, text/turtle;q=0.9")
        fmt = ox.RdfFormat.N_TRIPLES if "n-triples" in ctype or "text/plain" in ctype else ox.RdfFormat.TURTLE
        try:
            return [_canonical_triple(q.triple) for q in ox.parse(body, format=fmt)]
        except SyntaxError as exc:
            raise QueryError(f"the engine's {fmt.name} answer cannot be read: {exc}") from None

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        result = self.query(sparql, bindings)
        if result.boolean is None:
            raise QueryError("not an ASK query")
        return result.boolean

    def construct(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[ox.Triple]:
        return list(self.query(sparql, bindings).triples)

    def named_graphs(self) -> list[str]:
        """Every named graph but the engine's own (:data:`ENGINE_GRAPHS`), sorted."""
        graphs = self.query(_internal("graph-counts.rq")).values("g")
        return sorted(g for g in graphs if g is not None and g not in ENGINE_GRAPHS)

    def contains_graph(self, graph: str) -> bool:
        return self.ask(_internal("graph-exists.rq"), {"g": graph_iri(graph)})

    def count(self, graph: str | None = None) -> int:
        """Triples in one named graph, or quads in all named graphs."""
        if graph is None:
            rows = self.query(_internal("graph-counts.rq")).rows
            return sum(int(r[1].value) for r in rows if r[0].value not in ENGINE_GRAPHS)  # type: ignore[union-attr]
        rows = self.query(_internal("graph-counts.rq"), {"g": graph_iri(graph)}).rows
        return int(rows[0][1].value) if rows else 0  # type: ignore[union-attr]

    def graph_records(self) -> list[GraphInfo]:
        """Every named graph but the metadata graph and the engine's own, with its size and load record."""
        return [info for info in read_graph_records(self) if info.graph not in ENGINE_GRAPHS]

    def dump(self, output: Path | str | None = None, *, fmt: ox.RdfFormat,
             graph: str | None = None) -> bytes | None:
        """Serialise one graph, or every named graph (dataset syntaxes keep the graph names)."""
        if graph is not None:
            rows = self.query(_internal("graph-quads.rq"), {"g": graph_iri(graph)})
            items: list[ox.Triple] | list[ox.Quad] = [ox.Triple(r[0], r[1], r[2]) for r in rows.rows]  # type: ignore[arg-type]
        else:
            rows = self.query(_internal("graph-quads.rq"))
            data_rows = [r for r in rows.rows if r[3].value not in ENGINE_GRAPHS]  # type: ignore[union-attr]
            if fmt.supports_datasets:
                items = [ox.Quad(r[0], r[1], r[2], r[3]) for r in data_rows]  # type: ignore[arg-type]
            else:
                items = list(dict.fromkeys(ox.Triple(r[0], r[1], r[2]) for r in data_rows))  # type: ignore[arg-type]
        kwargs: dict[str, object] = {"format": fmt}
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            kwargs["prefixes"] = PREFIXES
        data = ox.serialize(items, **kwargs) or b""  # type: ignore[arg-type]
        if output is None:
            return data
        Path(output).write_bytes(data)
        return None

    # -- writing ------------------------------------------------------------------------------------------
    def write_graph(self, graph: str, quads: Iterable[ox.Quad | ox.Triple], record: LoadRecord,
                    *, replace: bool = False, reserved_ok: bool = False) -> int:
        """Write ``quads`` as named graph ``graph`` with its load record, all or nothing.

        When ``graph`` is already loaded (``replace``), chunks go to a staging graph and one update swaps it
        in and replaces the record; a fresh graph is written in place (as the embedded store does) and gets
        its record at the end. Quads naming another graph are staged and added by that same update. A
        producer or a request that fails drops what was written, so the store is left as it was.
        """
        target, exists = self._check_target(graph, replace, reserved_ok)
        record.reserved = reserved_ok
        return self._staged_write(target, exists, record, lambda stage: stage.add_all(quads))

    def load_files(self, graph: str, files: Sequence[tuple[Path, ox.RdfFormat]], record: LoadRecord,
                   *, replace: bool = False, extras: Iterable[ox.Triple] = (), reserved_ok: bool = False) -> int:
        """Parse RDF files (triple syntaxes) locally and send them in chunks, all or nothing.

        A syntax error raises :class:`~mcgraph.errors.SourceFormatError` with the file, line and column and
        leaves the store as it was.
        """
        target, exists = self._check_target(graph, replace, reserved_ok)
        record.reserved = reserved_ok

        def write(stage: _Staging) -> None:
            for path, fmt in files:
                if fmt.supports_datasets:
                    raise SourceFormatError(path, "dataset syntaxes are not bulk-loaded into one graph")
                stage.add_all(_parse_file(path, fmt))
            stage.add_all(extras)

        return self._staged_write(target, exists, record, write)

    def _check_target(self, graph: str, replace: bool, reserved_ok: bool = False) -> tuple[ox.NamedNode, bool]:
        target = check_writable(graph, reserved_ok=reserved_ok, built=self._built(graph))
        exists = self.contains_graph(graph)
        if exists and not replace:
            raise GraphExistsError(f"graph <{graph}> is already loaded; drop it first or load with --replace")
        return target, exists

    def _staged_write(self, target: ox.NamedNode, exists: bool, record: LoadRecord,
                      write: Callable[[_Staging], None]) -> int:
        stage = _Staging(self, target, in_place=not exists)
        try:
            write(stage)
            stage.flush(last=True)
            record.triples = self.count(stage.staging_of(target).value)
            record.ended = datetime.now(timezone.utc)
            # The swap copies the graph inside the engine: allow it time in proportion to its size.
            self.run_update(_swap_update(stage, record), {"g": target, "meta": iri(META_GRAPH)},
                        timeout=self._long_timeout(record.triples))
        except BaseException:
            stage.discard()
            raise
        return record.triples

    def _long_timeout(self, triples: int) -> float:
        """The timeout of a request that rewrites ``triples`` inside the engine (at least 1,000 per second)."""
        return max(self.timeout, triples / 1_000)

    def _built(self, graph: str) -> bool:
        """Whether the load record marks ``graph`` as written by its owner (build, reasoning)."""
        try:
            node = graph_iri(graph)
        except StoreError:  # not an IRI: check_writable says so
            return False
        return bool(reserved_graphs(self, node.value))

    def drop_graph(self, graph: str, *, reserved_ok: bool = False) -> None:
        """Remove a named graph and its load record (one update)."""
        target = check_writable(graph, reserved_ok=reserved_ok, built=self._built(graph), action="drop")
        self.run_update(f"DROP SILENT GRAPH {target} ;\n" + _internal("delete-load-record.ru"),
                    {"g": target, "meta": iri(META_GRAPH)})

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- Graph Store Protocol -------------------------------------------------------------------------------
    def graph_store_endpoint(self) -> str | None:
        """The Graph Store Protocol URL: given, or guessed from the engine (Oxigraph ``/store``, Virtuoso
        ``/sparql-graph-crud``); None means loads fall back to ``INSERT DATA``."""
        if not self._graph_store_known:
            self._graph_store_known = True
            server = self.server()
            parts = urllib.parse.urlsplit(self.endpoint)
            if "oxigraph" in server and parts.path.endswith("/query"):
                self._graph_store = urllib.parse.urlunsplit(parts._replace(path=parts.path[:-6] + "/store", query=""))
            elif "virtuoso" in server and parts.path.rstrip("/") in ("/sparql", "/sparql-auth"):
                crud = "/sparql-graph-crud" + ("-auth" if parts.path.rstrip("/") == "/sparql-auth" else "")
                self._graph_store = urllib.parse.urlunsplit(parts._replace(path=crud, query=""))
        return self._graph_store

    def server(self) -> str:
        """The engine's name and version as its HTTP Server header gives them, lower case ("" when it says none)."""
        if self._server is None:
            request = urllib.request.Request(self.endpoint + ("&" if "?" in self.endpoint else "?") + "query=ASK%7B%7D",
                                             headers={"Accept": _RESULTS_JSON})
            self._authorize(request)

            def call() -> bytes:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    self._server = response.headers.get("Server", "").lower()
                    return b""

            self._attempts("contacting the engine", self.endpoint, call)
        return self._server or ""

    def _authorize(self, request: urllib.request.Request) -> None:
        auth = self._auth_header()
        if auth:
            request.add_header("Authorization", auth)

    def post_graph(self, graph: ox.NamedNode, ntriples: bytes) -> None:
        """Add N-Triples to ``graph`` through the Graph Store Protocol (POST merges)."""
        url = self.graph_store_endpoint()
        assert url is not None
        target = url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"graph": graph.value})
        request = urllib.request.Request(target, data=ntriples, method="POST",
                                         headers={"Content-Type": "application/n-triples"})
        self._authorize(request)
        timeout = self._long_timeout(ntriples.count(b"\n"))

        def call() -> bytes:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.read()

        self._attempts("loading a chunk", url, call, resend=False, timeout=timeout)


class _Staging:
    """Triples on their way into staging graphs, sent in chunks; knows how to swap them in or discard them."""

    def __init__(self, store: RemoteStore, target: ox.NamedNode, *, in_place: bool) -> None:
        self.store = store
        self.target = target
        self.in_place = in_place  # a fresh target is written directly (and dropped again on failure)
        self.sent = 0
        self.token = uuid.uuid4().hex
        self.graphs: dict[str, ox.NamedNode] = {}
        self.buffers: dict[str, list[ox.Triple]] = {}
        self.blank: dict[str, list[ox.Triple]] = {}
        self.pending = 0
        self.gsp = store.graph_store_endpoint()
        self.chunk = store.chunk_triples if self.gsp else min(store.chunk_triples, INSERT_DATA_CHUNK)
        self.staging_of(target)

    def staging_of(self, graph: ox.NamedNode) -> ox.NamedNode:
        if graph.value not in self.graphs:
            in_place = self.in_place and graph.value == self.target.value
            self.graphs[graph.value] = graph if in_place else graph_iri(f"{graph.value}#staging-{self.token}")
            self.buffers[graph.value] = []
        return self.graphs[graph.value]

    def add_all(self, items: Iterable[ox.Quad | ox.Triple]) -> None:
        """Buffer triples, sending a chunk whenever enough are pending. Triples with a blank node wait for
        the last request: a blank node label means one node only within one request."""
        target = self.target.value
        for item in items:
            if isinstance(item, ox.Triple):
                graph, triple = target, item
            elif isinstance(item.graph_name, ox.DefaultGraph):
                graph, triple = target, item.triple
            else:
                self.staging_of(item.graph_name)  # type: ignore[arg-type]
                graph, triple = item.graph_name.value, item.triple  # type: ignore[union-attr]
            if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
                self.blank.setdefault(graph, []).append(triple)
                continue
            self.buffers[graph].append(triple)
            self.pending += 1
            if self.pending >= self.chunk:
                self.flush()

    def flush(self, *, last: bool = False) -> None:
        """Send the buffered triples (with ``last``, the blank-node triples too, one request per graph)."""
        for graph, triples in self.buffers.items():
            if triples:
                self._send(graph, triples)
                triples.clear()
        if last:
            for graph, triples in self.blank.items():
                self._send(graph, triples, blank=True)
            self.blank.clear()
        self.pending = 0

    def _send(self, graph: str, triples: list[ox.Triple], *, blank: bool = False) -> None:
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        staging = self.graphs[graph]
        self.sent += len(triples)
        if self.gsp:
            self.store.post_graph(staging, data)
        elif blank:  # INSERT DATA may not carry blank nodes on every engine (Virtuoso); a template may
            self.store.run_update(f"INSERT {{ GRAPH {staging} {{\n{data.decode('utf-8')}}} }} WHERE {{}}")
        else:
            self.store.run_update(f"INSERT DATA {{ GRAPH {staging} {{\n{data.decode('utf-8')}}} }}")

    def discard(self) -> None:
        """Remove every staging graph (best effort: the original error is what the caller sees)."""
        try:
            self.store.run_update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in self.graphs.values()),
                              timeout=self.store._long_timeout(self.sent))
        except (StoreError, QueryError):
            pass


def _swap_update(stage: _Staging, record: LoadRecord) -> str:
    """One update: staging graphs into place (the target replaced, other graphs added to), the old load record
    out and the new one in. Graph names are validated IRIs written by the term serialiser."""
    ops = []
    for graph, staging in stage.graphs.items():
        target = graph_iri(graph)
        if staging == target:  # a fresh graph, written in place
            continue
        if graph == stage.target.value:
            ops.append(f"DROP SILENT GRAPH {target}")
            ops.append(f"ADD SILENT GRAPH {staging} TO GRAPH {target}")
        else:
            ops.append(f"ADD SILENT GRAPH {staging} TO GRAPH {target}")
        ops.append(f"DROP SILENT GRAPH {staging}")
    ops.append(_internal("delete-load-record.ru"))
    record_data = (ox.serialize([q.triple for q in record.quads()], format=ox.RdfFormat.N_TRIPLES) or b"").decode()
    ops.append(f"INSERT DATA {{ GRAPH {iri(META_GRAPH)} {{\n{record_data}}} }}")
    return " ;\n".join(ops)


def _parse_file(path: Path, fmt: ox.RdfFormat) -> Iterator[ox.Triple]:
    for item in parse_rdf(path, fmt):
        yield item if isinstance(item, ox.Triple) else item.triple


def _internal(name: str) -> str:
    return resource_path("queries", f"internal/{name}").read_text(encoding="utf-8")


def _query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's form, read past comments and strings."""
    for _, tok in _scan(sparql):
        if tok in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return tok
    raise QueryError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")


def _is_graph_query(sparql: str) -> bool:
    return _query_form(sparql) in ("CONSTRUCT", "DESCRIBE")


def _default_update(endpoint: str) -> str:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.path.endswith("/query"):
        return urllib.parse.urlunsplit(parts._replace(path=parts.path[:-6] + "/update"))
    return endpoint


def _split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """The URL without ``user:password@``, and those credentials."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"not an http(s) SPARQL endpoint URL: {url!r}")
    if parts.username is None:
        return url, None, None
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    return (urllib.parse.urlunsplit(parts._replace(netloc=netloc)), urllib.parse.unquote(parts.username),
            urllib.parse.unquote(parts.password or ""))


def _status_of(exc: SPARQLWrapperException) -> int | None:
    return {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404, "URITooLong": 414,
            "EndPointInternalError": 500}.get(type(exc).__name__)


def _body_of(exc: SPARQLWrapperException) -> bytes:
    response = getattr(exc, "response", None)
    if isinstance(response, bytes):
        return response
    return str(exc).encode()


__all__: Sequence[str] = ["ENDPOINT_ENV", "RemoteStore", "bind_values", "serialize_term", "with_prefixes"]
