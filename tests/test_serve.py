"""`mcgraph serve` as a real process: SPARQL protocol, named query library, read-only guard, page, Ctrl-C."""

from __future__ import annotations

import csv
import io
import json
import re
import signal
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcgraph.queries import get_query, list_queries, run_query
from mcgraph.store import EmbeddedStore
from serve_support import RunningServer, copy_store, fixture_text, running_server, start_server

SPARQL_JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def server(built_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> RunningServer:
    store_dir = copy_store(built_store_dir, tmp_path_factory.mktemp("serve") / "store")
    with running_server(store_dir) as running:
        yield running


def bindings(answer) -> list[dict[str, str]]:
    assert answer.status == 200, answer.text
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(answer.body)["results"]["bindings"]]


# -- the process -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_prints_its_loopback_url_and_stops_cleanly_on_a_signal(built_store_dir: Path, tmp_path: Path,
                                                              sig: signal.Signals) -> None:
    server = start_server(copy_store(built_store_dir, tmp_path / "store"))
    assert re.match(r"http://127\.0\.0\.1:\d+/$", server.url), server.banner
    assert "read-only" in server.banner
    assert server.get("/").status == 200
    code, out, err = server.stop(sig)
    assert code == 0, err
    assert "stopped" in out
    assert "Traceback" not in err
    with EmbeddedStore(tmp_path / "store") as reopened:  # the lock is released: the store opens again
        assert len(reopened.graph_records()) > 10


def test_a_taken_port_is_a_clear_error_with_exit_code_2(built_store_dir: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "mcgraph", "--store", str(tmp_path / "store"), "serve",
                               "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


# -- named query library ---------------------------------------------------------------------------------
def test_queries_lists_the_public_library_with_typed_parameters(server: RunningServer) -> None:
    answer = server.get("/queries")
    assert answer.status == 200 and answer.content_type.startswith("application/json")
    listed = {q["name"]: q for q in json.loads(answer.body)}
    assert set(listed) == {q.name for q in list_queries()}
    assert "graph-counts" not in listed  # queries/internal/ stays internal
    level = {p["name"]: p for p in listed["framework-level"]["parameters"]}
    assert level["number"] == {"name": "number", "type": "integer", "required": True, "default": None,
                               "description": level["number"]["description"]}
    assert listed["label-search"]["title"] == get_query("label-search").title


def test_named_query_with_bound_parameter_gives_the_rows_of_run_query(server: RunningServer, built_store) -> None:
    expected = run_query(built_store, "label-search", text="data analysis").dicts()
    rows = bindings(server.get("/queries/label-search", {"text": "data analysis"}))
    assert len(expected) >= 3
    assert rows == [{k: v for k, v in r.items() if v is not None} for r in expected]
    assert all("text" not in r for r in rows)  # the parameter column is hidden, as on the command line


def test_named_query_as_csv_by_accept_header_and_by_format(server: RunningServer, built_store) -> None:
    expected = run_query(built_store, "framework-level", framework="eqf", number="5").dicts()
    for answer in (server.get("/queries/framework-level", {"framework": "eqf", "number": "5"}, accept="text/csv"),
                   server.get("/queries/framework-level", {"framework": "eqf", "number": "5", "format": "csv"})):
        assert answer.status == 200 and answer.content_type.startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(answer.text)))
        assert len(table) == len(expected) == 1
        assert table[0]["level"] == expected[0]["level"]


def test_a_parameter_value_cannot_change_the_query(server: RunningServer) -> None:
    before = bindings(server.get("/queries/qualification-frameworks"))
    hostile = '") } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o FILTER("'
    answer = server.get("/queries/label-search", {"text": hostile})
    assert bindings(answer) == []  # no label contains that text; it stayed one literal
    assert bindings(server.get("/queries/qualification-frameworks")) == before


@pytest.mark.parametrize(("path", "params", "status", "message"), [
    ("/queries/label-search", {}, 400, "needs parameter 'text' (string): pass ?text=VALUE"),
    ("/queries/framework-level", {"framework": "eqf", "number": "five"}, 400,
     "parameter 'number' expects a whole number; got 'five'"),
    ("/queries/credential-skills", {"credential": "not an iri"}, 400, "parameter 'credential' expects an IRI"),
    ("/queries/label-search", {"text": "x", "colour": "red"}, 400, "has no parameter 'colour'"),
    ("/queries/label-search", {"text": "x", "format": "png"}, 406, "unknown format 'png'"),
    ("/queries/no-such-query", {}, 404, "no named query 'no-such-query'"),
    ("/queries/graph-counts", {}, 404, "no named query 'graph-counts'"),
    ("/queries/..%2F..%2Fqueries%2Finternal%2Fgraph-counts.rq", {}, 404, "no named query"),
])
def test_bad_named_query_requests_get_a_readable_error(server: RunningServer, path: str, params: dict[str, str],
                                                       status: int, message: str) -> None:
    answer = server.get(path, params)
    assert answer.status == status
    assert message in answer.text
    assert "Traceback" not in answer.text


def test_a_parameter_given_twice_is_refused(server: RunningServer) -> None:
    answer = server.request("GET", "/queries/label-search?text=a&text=b")
    assert answer.status == 400
    assert "parameter 'text' is given 2 times" in answer.text


def test_named_query_text_is_served(server: RunningServer) -> None:
    answer = server.get("/queries/label-search.rq")
    assert answer.status == 200
    assert answer.text == get_query("label-search").text


# -- SPARQL 1.1 protocol ---------------------------------------------------------------------------------
def test_query_by_get_form_and_body_give_the_same_rows(server: RunningServer, built_store) -> None:
    text = get_query("qualification-frameworks").text
    expected = len(built_store.query(text))
    by_get = bindings(server.get("/query", {"query": text}, accept=SPARQL_JSON))
    by_form = bindings(server.post("/query", "query=" + _quote(text), FORM, accept=SPARQL_JSON))
    by_body = bindings(server.post("/query", text, "application/sparql-query", accept=SPARQL_JSON))
    assert len(by_get) == expected == 8
    assert by_get == by_form == by_body


def test_select_results_in_every_format(server: RunningServer) -> None:
    text = fixture_text("labels-with-lang.rq")
    data = json.loads(server.get("/query", {"query": text}, accept=SPARQL_JSON).body)
    assert data["head"]["vars"] == ["iri", "plain", "lang", "typed", "blank", "unbound"]
    row = data["results"]["bindings"][0]
    assert row["iri"] == {"type": "uri", "value": "http://example.org/a,b"}
    assert row["plain"] == {"type": "literal", "value": 'comma, "quote"\nnewline'}
    assert row["lang"] == {"type": "literal", "value": "Fähigkeit", "xml:lang": "de"}
    assert row["typed"] == {"type": "literal", "value": "42", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert row["blank"]["type"] == "bnode" and "unbound" not in row

    xml = server.get("/query", {"query": text}, accept="application/sparql-results+xml")
    assert xml.content_type.startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(xml.body)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == data["head"]["vars"]
    lang = root.find("r:results/r:result/r:binding[@name='lang']/r:literal", ns)
    assert lang.text == "Fähigkeit" and lang.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"

    table = list(csv.reader(io.StringIO(server.get("/query", {"query": text}, accept="text/csv").text)))
    assert table[0] == data["head"]["vars"]
    assert table[1][:4] == ["http://example.org/a,b", 'comma, "quote"\nnewline', "Fähigkeit", "42"]
    assert table[1][4].startswith("_:") and table[1][5] == ""

    tsv = server.get("/query", {"query": text}, accept="text/tab-separated-values").text.splitlines()
    assert tsv[0] == "?iri\t?plain\t?lang\t?typed\t?blank\t?unbound"
    assert tsv[1].split("\t")[:4] == ["<http://example.org/a,b>", '"comma, \\"quote\\"\\nnewline"', '"Fähigkeit"@de',
                                      '"42"^^<http://www.w3.org/2001/XMLSchema#integer>']


def test_ask_and_construct_results(server: RunningServer) -> None:
    assert json.loads(server.get("/query", {"query": fixture_text("ask-skill.rq")}).body) == {"head": {}, "boolean": True}
    ask_csv = server.get("/query", {"query": fixture_text("ask-skill.rq")}, accept="text/csv")
    assert ask_csv.text.splitlines() == ["_askResult", "true"]
    construct = fixture_text("construct-limit.rq")
    turtle = server.get("/query", {"query": construct}, accept="text/turtle")
    assert turtle.content_type.startswith("text/turtle")
    ntriples = server.get("/query", {"query": construct}, accept="application/n-triples")
    assert ntriples.content_type.startswith("application/n-triples")
    from_turtle = set(ox.parse(turtle.body, format=ox.RdfFormat.TURTLE))
    from_nt = set(ox.parse(ntriples.body, format=ox.RdfFormat.N_TRIPLES))
    assert len(from_turtle) == 5 and from_turtle == from_nt
    # a browser's Accept header (text/html first, */* last) gets the default for the kind of result
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert server.get("/query", {"query": construct}, accept=browser).content_type.startswith("text/turtle")


@pytest.mark.parametrize(("request_", "status", "message"), [
    (("GET", "/query", None, None, "image/png"), 406, "none of the accepted types (image/png)"),
    (("GET", "/query", None, None, None), 400, "missing the 'query' parameter"),
    (("POST", "/query", "ask-skill.rq", "text/plain", None), 415, "send the query as application/sparql-query"),
    (("GET", "/query", "syntax-error.rq", None, None), 400, "SPARQL syntax error"),
    (("GET", "/query", "ask-skill.rq", "default-graph-uri", None), 400, "default-graph-uri parameter is not supported"),
])
def test_protocol_errors(server: RunningServer, request_: tuple, status: int, message: str) -> None:
    method, path, payload, kind, accept = request_
    if method == "POST":
        answer = server.post(path, fixture_text(payload), kind)
    elif kind == "default-graph-uri":
        answer = server.get(path, {"query": fixture_text(payload), "default-graph-uri": "urn:x"})
    elif payload:
        answer = server.get(path, {"query": fixture_text(payload)})
    else:
        answer = server.get(path, {"query": fixture_text("ask-skill.rq")} if accept else None, accept=accept)
    assert answer.status == status, answer.text
    assert message in answer.text


# -- read-only guard -------------------------------------------------------------------------------------
def test_read_only_server_refuses_updates_and_the_store_is_unchanged(built_store_dir: Path, tmp_path: Path) -> None:
    store_dir = copy_store(built_store_dir, tmp_path / "store")
    with EmbeddedStore(store_dir) as before_store:
        before = before_store.graph_records()
    with running_server(store_dir) as server:
        for update in ("insert-data.ru", "drop-all.ru"):
            text = fixture_text(update)
            refused = server.post("/update", text, "application/sparql-update")
            assert refused.status == 403
            assert "read-only" in refused.text and "--writable" in refused.text
            by_form = server.post("/update", "update=" + _quote(text), FORM)
            assert by_form.status == 403
            assert server.post("/query", text, "application/sparql-query").status == 400  # not a query
            assert server.get("/query", {"query": text}).status == 400
        assert bindings(server.get("/query", {"query": fixture_text("count-serve-graph.rq")})) == [{"n": "0"}]
        code, _, _ = server.stop()
    assert code == 0
    with EmbeddedStore(store_dir) as after_store:
        assert after_store.graph_records() == before
        assert len(before) > 10


SERVE_GRAPH = "https://w3id.org/mcgraph/graph/test/serve"
LOADED = "https://w3id.org/mcgraph/graph/test/loaded"

#: Updates a writable server refuses (403, the reason in the answer), each leaving the store as it was.
REFUSED = {
    "drop-all.ru": "DROP ALL would remove every graph",
    "CLEAR NAMED": "CLEAR NAMED would remove every named graph",
    "LOAD <http://127.0.0.1:9/x.ttl>": "LOAD makes the engine fetch",
    f"INSERT {{ GRAPH <{SERVE_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <http://127.0.0.1:9/sparql> {{ ?s ?p ?o }} }}":
        "SERVICE makes the engine fetch",
    'INSERT DATA { GRAPH <https://w3id.org/mcgraph/graph/meta> { <urn:x:a> <urn:x:b> "forged" } }': "reserved graph",
    "DROP GRAPH <https://w3id.org/mcgraph/graph/meta>": "reserved graph",
    "CLEAR GRAPH <https://w3id.org/mcgraph/graph/ontology>": "reserved graph",
    "DROP GRAPH <https://w3id.org/mcgraph/graph/frameworks/eqf>": "reserved graph",
    'INSERT DATA { GRAPH graph:inferred\\/x { <urn:x:a> <urn:x:b> "x" } }': "reserved graph",
    f'INSERT DATA {{ GRAPH <{LOADED}> {{ <urn:x:a> <urn:x:b> "x" }} }}': "`mcgraph load` filled it",
    "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }": "a variable graph name",
    'INSERT DATA { <urn:x:a> <urn:x:b> "x" }': "writes triples to the default graph",
}


def _store_hash(store_dir: Path) -> str:
    import hashlib

    with EmbeddedStore(store_dir) as store:
        data = (store.dump(fmt=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")
    return hashlib.sha256("\n".join(sorted(data.splitlines())).encode()).hexdigest()


def test_writable_server_applies_allowed_updates_and_refuses_the_rest(built_store_dir: Path, tmp_path: Path) -> None:
    from mcgraph.store import LoadRecord

    store_dir = copy_store(built_store_dir, tmp_path / "store")
    with EmbeddedStore(store_dir) as store:  # a graph `mcgraph load` filled from a file
        store.write_graph(LOADED, [ox.Triple(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("1"))],
                          LoadRecord(LOADED, "loaded.ttl"))
    before = _store_hash(store_dir)
    count = fixture_text("count-serve-graph.rq")
    with running_server(store_dir, "--writable") as server:
        assert "read-write" in server.banner
        for update, message in REFUSED.items():
            text = fixture_text(update) if update.endswith(".ru") else update
            refused = server.post("/update", text, "application/sparql-update")
            assert refused.status == 403, (update, refused.text)
            assert "update refused" in refused.text and message in refused.text, refused.text
        bad = server.post("/update", fixture_text("syntax-error.rq"), "application/sparql-update")
        assert bad.status == 400 and "syntax" in bad.text.lower()
        assert server.stop()[0] == 0
    assert _store_hash(store_dir) == before  # nothing refused changed anything

    with running_server(store_dir, "--writable") as server:
        assert bindings(server.get("/query", {"query": count})) == [{"n": "0"}]
        done = server.post("/update", fixture_text("insert-data.ru"), "application/sparql-update")
        assert done.status == 204, done.text
        assert bindings(server.get("/query", {"query": count})) == [{"n": "1"}]
        record = server.get("/query", {"query": f"SELECT ?source ?n WHERE {{ GRAPH graph:meta {{ <{SERVE_GRAPH}> "
                                                 "mcg:sourceName ?source ; mcg:tripleCount ?n } }"})
        assert bindings(record) == [{"source": "sparql-update", "n": "1"}]  # `mcgraph drop` can remove it
        assert server.post("/update", "update=" + _quote(f"DROP GRAPH <{SERVE_GRAPH}>"), FORM).status == 204
        assert bindings(server.get("/query", {"query": count})) == [{"n": "0"}]
        assert server.stop()[0] == 0
    assert _store_hash(store_dir) == before  # the graph and its record are gone again


def test_query_endpoint_refuses_service(server: RunningServer) -> None:
    """A federated query would make the server fetch from the network: refused, as `mcgraph query` does."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        answer = server.get("/query", {"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> "
                                                "{ ?s ?p ?o } }"})
        assert answer.status == 403 and "SERVICE is refused" in answer.text
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing connected
    finally:
        listener.close()


# -- the query page --------------------------------------------------------------------------------------
def test_query_page_and_its_assets_are_served_from_the_package(server: RunningServer) -> None:
    page = server.get("/")
    assert page.status == 200 and page.content_type.startswith("text/html")
    assets = re.findall(r'(?:src|href)="([^"#]+)"', page.text)
    local = [a for a in assets if not a.startswith("data:")]
    assert {"static/yasgui.min.js", "static/yasgui.min.css", "static/mcgraph.js", "static/mcgraph.css"} <= set(local)
    assert not [a for a in local if "//" in a]  # nothing from another host: the page works offline
    for asset in local:
        answer = server.get("/" + asset)
        assert answer.status == 200, asset
        assert len(answer.body) > 500
    script = server.get("/static/mcgraph.js").text
    assert not re.search(r"https?://", script)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def test_bundled_assets_match_their_notice() -> None:
    import hashlib

    from mcgraph.serve.app import STATIC

    notice = (STATIC / "NOTICE.md").read_text(encoding="utf-8")
    assert "@zazuko/yasgui 4.6.2" in notice and (STATIC / "LICENSE-yasgui.txt").is_file()
    for name in ("yasgui.min.js", "yasgui.min.css"):
        digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()
        assert f"`{name}` {digest}" in notice, name
    total = sum(p.stat().st_size for p in STATIC.iterdir())
    assert total < 2_000_000  # a modest bundle: the built YASGUI and mcgraph's page
