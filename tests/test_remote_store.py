"""The remote store: parameter binding by VALUES, HTTP behaviour (timeouts, retries, authentication, clear
errors), chunked staged loads, the CLI's --endpoint, and injection attempts against every backend.

Tests that need a real engine take it from scripts/test-engines.sh (see tests/engine_support.py) and skip with
the reason when it is not running; the HTTP behaviour tests use small local servers of their own.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine_support import ENGINES, OXIGRAPH, VIRTUOSO, locked_store, wipe
from mcgraph.cli import main
from mcgraph.errors import QueryError, SourceFormatError, StoreError
from mcgraph.namespaces import GRAPH
from mcgraph.queries import run_query
from mcgraph.store import EmbeddedStore, GraphStore, LoadRecord, open_store
from mcgraph.store.remote import RemoteStore, bind_values, serialize_term, with_prefixes

G = str(GRAPH["remote-test/a"])
EX = "http://example.org/"


def lit(text: str) -> ox.Literal:
    return ox.Literal(text)


# -- binding parameters as VALUES ------------------------------------------------------------------------

def test_values_open_the_where_clause() -> None:
    q = 'SELECT ?s WHERE { ?s ?p ?text FILTER(?x < 3) }'
    assert bind_values(q, {"text": lit("a")}) == 'SELECT ?s WHERE { VALUES (?text) { ("a") } ?s ?p ?text FILTER(?x < 3) }'


def test_values_skip_braces_in_strings_iris_comments_and_templates() -> None:
    q = ('# a comment { with braces }\nCONSTRUCT { ?s <http://e/p{x}> "}" } WHERE { ?s ?p ?o }')
    bound = bind_values(q, {"o": ox.NamedNode(EX + "o")})
    assert bound.endswith('WHERE { VALUES (?o) { (<http://example.org/o>) } ?s ?p ?o }')
    assert bind_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": ox.NamedNode(EX)}) == \
        "CONSTRUCT WHERE { VALUES (?s) { (<http://example.org/>) } ?s ?p ?o }"
    assert bind_values("ASK { ?s ?p '''x { y''' }", {"s": ox.NamedNode(EX)}).startswith(
        "ASK { VALUES (?s) { (<http://example.org/>) } ?s")
    select = 'SELECT (EXISTS { ?a ?b ?c } AS ?e) ?s { ?s ?p "a\\" {" }'
    assert bind_values(select, {"s": ox.NamedNode(EX)}).endswith('?s { VALUES (?s) { (<http://example.org/>) } ?s ?p "a\\" {" }')


def test_values_in_an_update_go_to_its_where_clause() -> None:
    update = "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert bind_values(update, {"g": ox.NamedNode(G)}, update=True) == (
        f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ VALUES (?g) {{ (<{G}>) }} GRAPH ?g {{ ?s ?p ?o }} }}")


def test_values_are_terms_written_by_the_serialiser() -> None:
    evil = '" } ; DROP ALL ; INSERT DATA { <a> <b> "c'
    bound = bind_values("SELECT ?t WHERE { }", {"t": lit(evil)})
    assert bound == 'SELECT ?t WHERE { VALUES (?t) { ("\\" } ; DROP ALL ; INSERT DATA { <a> <b> \\"c") } }'
    assert serialize_term(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))) == \
        '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert serialize_term(ox.Literal("x\ny", language="en")) == '"x\\ny"@en'
    for bad in ["<http://e/> } DROP ALL {", 3, ox.BlankNode("b")]:
        with pytest.raises(QueryError, match="must be an IRI or a literal"):
            serialize_term(bad)
    with pytest.raises(QueryError, match="not a SPARQL variable"):
        bind_values("SELECT * WHERE {}", {"x) {} DROP ALL": lit("a")})


def test_prefixes_the_embedded_store_knows_are_declared() -> None:
    text = with_prefixes("SELECT ?s WHERE { ?s a mcg:MicroCredential ; skos:prefLabel 'rdfs: in text' }")
    assert text.startswith("PREFIX mcg: <https://w3id.org/mcgraph/ontology#>\nPREFIX skos:")
    declared = "PREFIX mcg: <http://other/>\nSELECT ?s WHERE { ?s a mcg:X }"
    assert with_prefixes(declared) == declared


# -- HTTP behaviour, against small local servers --------------------------------------------------------

class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers SPARQL JSON after ``fail`` 503s; records each request's Authorization header."""

    fail = 0
    seen: list[str | None] = []

    def do_POST(self) -> None:  # noqa: N802  (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).seen.append(self.headers.get("Authorization"))
        if type(self).fail > 0:
            type(self).fail -= 1
            self.send_response(503)
            self.end_headers()
            return
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {
            "type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    Recorder.fail, Recorder.seen = 0, []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()


def test_basic_and_bearer_authentication_are_sent(recorder: str) -> None:
    RemoteStore(recorder, user="ana", password="s3cret").query("SELECT ?x WHERE {}")
    RemoteStore(recorder, token="tok-123").query("SELECT ?x WHERE {}")
    user_in_url = recorder.replace("http://", "http://bob:pw%40x@")
    store = RemoteStore(user_in_url)
    assert store.endpoint == recorder  # credentials never kept in the URL (nor in messages)
    store.query("SELECT ?x WHERE {}")
    assert Recorder.seen == ["Basic " + base64.b64encode(b"ana:s3cret").decode(), "Bearer tok-123",
                             "Basic " + base64.b64encode(b"bob:pw@x").decode()]


def test_booleans_come_back_in_canonical_form(recorder: str) -> None:
    assert RemoteStore(recorder).query("SELECT ?x WHERE {}").values("x") == ["true"]


def test_busy_engine_is_retried_a_bounded_number_of_times(recorder: str) -> None:
    Recorder.fail = 2
    assert RemoteStore(recorder, retries=2).query("SELECT ?x WHERE {}").values("x") == ["true"]
    assert len(Recorder.seen) == 3
    Recorder.fail, Recorder.seen = 10, []
    with pytest.raises(StoreError, match="HTTP 503"):
        RemoteStore(recorder, retries=2).query("SELECT ?x WHERE {}")
    assert len(Recorder.seen) == 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_endpoint_is_a_clear_error_quickly() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    start = time.monotonic()
    with pytest.raises(StoreError, match=r"cannot reach the SPARQL endpoint .*tried 3 times"):
        RemoteStore(url, timeout=2).query("ASK {}")
    assert time.monotonic() - start < 5


def test_silent_endpoint_times_out_instead_of_hanging() -> None:
    with socket.socket() as listener:  # accepts connections (backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        start = time.monotonic()
        with pytest.raises(StoreError, match=r"no answer from .* within 1 s"):
            RemoteStore(url, timeout=1).query("ASK {}")
        assert time.monotonic() - start < 4


def test_cli_on_an_unreachable_endpoint_exits_2_without_traceback(capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCGRAPH_ENDPOINT_TIMEOUT", "2")
    url = f"http://127.0.0.1:{free_port()}/query"
    start = time.monotonic()
    with pytest.raises(SystemExit) as exit_:
        main(["--endpoint", url, "stats"])
    out = capsys.readouterr()
    assert exit_.value.code == 2 and time.monotonic() - start < 6
    assert f"cannot reach the SPARQL endpoint {url}" in out.err and "Traceback" not in out.err + out.out


def test_cli_store_and_endpoint_together_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--store", str(tmp_path), "--endpoint", "http://127.0.0.1:1/query", "stats"])
    assert exit_.value.code == 2 and "not both" in capsys.readouterr().err


def test_open_store_dispatches_urls_and_rejects_bad_ones() -> None:
    store = open_store("http://127.0.0.1:1/query")
    assert isinstance(store, RemoteStore) and store.update_endpoint == "http://127.0.0.1:1/update"
    assert RemoteStore("https://db.example.org/sparql").update_endpoint == "https://db.example.org/sparql"
    with pytest.raises(StoreError, match="not an http"):
        RemoteStore("http:///query")


# -- against the real engines ---------------------------------------------------------------------------

@pytest.fixture(params=sorted(ENGINES))
def engine(request: pytest.FixtureRequest) -> Iterator[RemoteStore]:
    store = locked_store(ENGINES[request.param])
    try:
        yield store
    finally:
        try:
            wipe(store)
        finally:
            store.close()


def many(n: int, *, fail_at: int | None = None) -> Iterator[ox.Triple]:
    """``n`` triples, a blank-node structure in the middle; a bad row at ``fail_at``."""
    p = ox.NamedNode(EX + "p")
    node = ox.BlankNode()
    for i in range(n):
        if fail_at is not None and i == fail_at:
            raise SourceFormatError("big.csv", "bad row", row=i + 1)
        yield ox.Triple(ox.NamedNode(f"{EX}s{i}"), p, ox.Literal(str(i)))
        if i == n // 2:
            yield ox.Triple(ox.NamedNode(EX + "holder"), p, node)
            yield ox.Triple(node, ox.NamedNode(EX + "first"), ox.Literal("a"))
            yield ox.Triple(node, ox.NamedNode(EX + "second"), ox.Literal("b"))


@pytest.mark.parametrize("chunk", [700, 100_000])
def test_chunked_load_keeps_blank_nodes_whole(engine: RemoteStore, chunk: int) -> None:
    engine.chunk_triples = chunk
    assert engine.write_graph(G, many(2_500), LoadRecord(G, "test")) == 2_503
    shape = engine.query(f"SELECT ?b (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ <{EX}holder> <{EX}p> ?b . ?b ?q ?v }} }} "
                         "GROUP BY ?b", {"g": ox.NamedNode(G)})
    assert shape.values("n") == ["2"]  # one node with both its triples, though they crossed chunk boundaries


def test_failed_chunked_load_leaves_the_old_graph(engine: RemoteStore) -> None:
    engine.chunk_triples = 500
    engine.write_graph(G, many(10), LoadRecord(G, "test", version="1"))
    with pytest.raises(SourceFormatError, match="row 1801"):
        engine.write_graph(G, many(3_000, fail_at=1_800), LoadRecord(G, "test", version="2"), replace=True)
    [info] = engine.graph_records()
    assert (info.graph, info.triples, info.version) == (G, 13, "1")
    assert engine.named_graphs() == sorted([G, str(GRAPH["meta"])])  # the staging graph went too


def test_load_without_graph_store_protocol_uses_insert_data() -> None:
    store = locked_store(VIRTUOSO, graph_store_endpoint=None)
    try:
        plain = RemoteStore(store.endpoint, user=store._user, password=store._password, chunk_triples=600)
        assert plain.graph_store_endpoint() is None  # /sparql-basic: no Graph Store Protocol URL to guess
        assert plain.write_graph(G, many(1_500), LoadRecord(G, "test")) == 1_503
        assert plain.count(G) == 1_503
    finally:
        wipe(store)
        store.close()


def dataset_lines(store: GraphStore) -> list[str]:
    """The store's N-Quads, sorted, blank node labels (the engine's own) masked."""
    data = (store.dump(fmt=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")
    return sorted(re.sub(r"_:\w+", "_:b", line) for line in data.splitlines())


def test_read_only_endpoint_refuses_updates_and_changes_nothing() -> None:
    store = locked_store(VIRTUOSO)
    try:
        store.write_graph(G, many(5), LoadRecord(G, "test"))
        before = dataset_lines(store)
        anonymous = RemoteStore(os.environ["MCGRAPH_TEST_VIRTUOSO_READ_URL"])
        for update in ["INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }", "DROP ALL"]:
            with pytest.raises((StoreError, QueryError), match="permission|refused|HTTP"):
                anonymous.run_update(update)  # the engine refuses it (mcgraph's own rules are not asked)
        with pytest.raises(StoreError, match="refused"):
            RemoteStore(store.endpoint, user="mcgraph", password="wrong").query("ASK {}")
        assert dataset_lines(store) == before
    finally:
        wipe(store)
        store.close()


def test_cli_builds_and_queries_through_an_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    store = locked_store(OXIGRAPH)
    try:
        with pytest.raises(SystemExit) as exit_:
            main(["--endpoint", store.endpoint, "build"])
        assert exit_.value.code == 0, capsys.readouterr().err
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_:
            main(["--endpoint", store.endpoint, "query", "ontology-classes", "-p", "text=micro", "--format", "csv"])
        out = capsys.readouterr().out
        assert exit_.value.code == 0 and "https://w3id.org/mcgraph/ontology#MicroCredential" in out
        assert {g.graph for g in store.graph_records()} >= {str(GRAPH["ontology"]), str(GRAPH["catalog/sample"])}
    finally:
        wipe(store)
        store.close()


# -- injection attempts, on every backend ---------------------------------------------------------------

def backends() -> list[str]:
    return ["embedded", *sorted(ENGINES)]


@pytest.fixture(params=backends())
def any_store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    if request.param == "embedded":
        yield EmbeddedStore()
        return
    store = locked_store(ENGINES[request.param])
    try:
        yield store
    finally:
        try:
            wipe(store)
        finally:
            store.close()


NASTY = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from([
    '"', '\\', '\\"', '"""', "'''", '} ; DROP ALL ; {', '") } DROP ALL { ("', '\\u0022) } DROP ALL #',
    "\n} DROP ALL #", "<http://e/> } DROP ALL", "?x", "$x", "#", "\\\\\\",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=NASTY)
def test_any_text_is_one_literal_on_every_backend(any_store: GraphStore, text: str) -> None:
    result = any_store.query("SELECT ?text (STRLEN(?text) AS ?n) WHERE { }", {"text": ox.Literal(text)})
    if isinstance(any_store, RemoteStore) and "virtuoso" in any_store.server():
        text = text.split("\x00")[0]  # Virtuoso gap: its strings end at a NUL character (C strings)
    assert result.values("text") == [text]
    assert result.values("n") == [str(len(text))]


def test_named_query_parameters_cannot_change_the_query(any_store: GraphStore) -> None:
    any_store.write_graph(G, [ox.Triple(ox.NamedNode(EX + "c"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                                        ox.Literal('data ") } DROP ALL #'))], LoadRecord(G, "test"))
    found = run_query(any_store, "label-search", text='") } DROP ALL #')
    assert found.values("concept") == [EX + "c"]
    assert run_query(any_store, "label-search", text='" } ; DROP ALL ; #').rows == ()
    assert any_store.count(G) == 1
