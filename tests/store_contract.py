"""The store contract: what every :class:`~mcgraph.store.GraphStore` backend must do, as tests.

The tests here take a ``contract_store`` fixture (a fresh, empty store of one backend) and use only the
methods of the protocol. ``tests/test_store_contract.py`` imports them and parametrises the fixture over the
backends; a new backend is one more factory there. Queries spell IRIs out (no reliance on a backend's
built-in prefixes) so the same text runs on any SPARQL 1.1 engine.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcgraph.errors import GraphExistsError, McgraphError, SourceFormatError, StoreError
from mcgraph.namespaces import GRAPH, META_GRAPH
from mcgraph.store import GraphStore, LoadRecord, SourceFile

EX = "http://example.org/"
P = ox.NamedNode(EX + "p")
INJECTION = '"> } ; DROP ALL ; #'
TARGET = str(GRAPH["contract/a"])
OTHER = str(GRAPH["contract/b"])


def triple(s: str, o: str | ox.NamedNode) -> ox.Triple:
    obj = o if isinstance(o, ox.NamedNode) else ox.Literal(o)
    return ox.Triple(ox.NamedNode(EX + s), P, obj)


def record(graph: str = TARGET, **kw: object) -> LoadRecord:
    return LoadRecord(graph=graph, source="contract", **kw)  # type: ignore[arg-type]


def fingerprint(store: GraphStore) -> str:
    """SHA-256 of the store's sorted N-Quads export: equal fingerprints, byte-for-byte equal stores."""
    data = store.dump(fmt=ox.RdfFormat.N_QUADS) or b""
    lines = sorted(line for line in data.decode("utf-8").splitlines() if line.strip())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def graph_triples(store: GraphStore, graph: str) -> set[tuple[str, str, str]]:
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": ox.NamedNode(graph)})
    return {(r["s"].value, r["p"].value, r["o"].value) for r in rows}  # type: ignore[union-attr]


def parsed(ntriples: bytes | None) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(ntriples or b"", format=ox.RdfFormat.N_TRIPLES)}


def ttl(path: Path, *pairs: tuple[str, str]) -> Path:
    path.write_text("".join(f'<{EX}{s}> <{EX}p> "{o}" .\n' for s, o in pairs), encoding="utf-8")
    return path


def failing(n: int) -> Iterator[ox.Triple]:
    """A producer that yields ``n`` triples and then fails as a bad row would."""
    for i in range(n):
        yield triple(f"x{i}", "v")
    raise SourceFormatError("bad.csv", "bad row", row=n + 1)


# -- loading ------------------------------------------------------------------------------------------

def test_load_files_writes_graph_and_record(contract_store: GraphStore, tmp_path: Path) -> None:
    path = ttl(tmp_path / "a.ttl", ("a", "1"), ("b", "2"), ("c", "3"))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    rec = record(version="7", files=[SourceFile("a.ttl", digest, path.stat().st_size)])
    assert contract_store.load_files(TARGET, [(path, ox.RdfFormat.TURTLE)], rec) == 3
    assert contract_store.contains_graph(TARGET) and contract_store.count(TARGET) == 3
    assert contract_store.named_graphs() == sorted([TARGET, str(META_GRAPH)])
    [info] = contract_store.graph_records()
    assert (info.graph, info.triples, info.source, info.version, info.files) == (TARGET, 3, "contract", "7", ("a.ttl",))
    sha = contract_store.query(
        "SELECT ?h WHERE { GRAPH <https://w3id.org/mcgraph/graph/meta> { "
        "?g <http://purl.org/dc/terms/source>/<https://w3id.org/mcgraph/ontology#sha256> ?h } }")
    assert sha.values("h") == [digest]


def test_write_graph_counts_and_extras(contract_store: GraphStore, tmp_path: Path) -> None:
    assert contract_store.write_graph(TARGET, [triple("a", "1"), triple("b", "2")], record()) == 2
    path = ttl(tmp_path / "b.ttl", ("c", "3"))
    assert contract_store.load_files(OTHER, [(path, ox.RdfFormat.TURTLE)], record(OTHER),
                                     extras=iter([triple("derived", "4")])) == 2
    assert [(i.graph, i.triples) for i in contract_store.graph_records()] == [(TARGET, 2), (OTHER, 2)]
    assert contract_store.count() == 4 + len(record().quads()) + len(record(OTHER).quads())


def test_loading_an_existing_graph_needs_replace(contract_store: GraphStore, tmp_path: Path) -> None:
    contract_store.write_graph(TARGET, [triple("a", "1")], record())
    before = fingerprint(contract_store)
    with pytest.raises(GraphExistsError, match="--replace"):
        contract_store.write_graph(TARGET, [triple("b", "2")], record())
    with pytest.raises(GraphExistsError):
        contract_store.load_files(TARGET, [(ttl(tmp_path / "x.ttl", ("b", "2")), ox.RdfFormat.TURTLE)], record())
    assert fingerprint(contract_store) == before


@pytest.mark.parametrize("how", ["write_graph", "load_files"])
def test_replace_swaps_graph_and_record(contract_store: GraphStore, tmp_path: Path, how: str) -> None:
    contract_store.write_graph(TARGET, [triple("old", "1"), triple("old", "2")], record(version="1"))
    contract_store.write_graph(OTHER, [triple("keep", "1")], record(OTHER))
    if how == "write_graph":
        n = contract_store.write_graph(TARGET, [triple("new", "1")], record(version="2"), replace=True)
    else:
        n = contract_store.load_files(TARGET, [(ttl(tmp_path / "n.ttl", ("new", "1")), ox.RdfFormat.TURTLE)],
                                      record(version="2"), replace=True)
    assert n == 1
    assert graph_triples(contract_store, TARGET) == {(EX + "new", EX + "p", "1")}
    assert graph_triples(contract_store, OTHER) == {(EX + "keep", EX + "p", "1")}
    info = {i.graph: i for i in contract_store.graph_records()}
    assert (info[TARGET].triples, info[TARGET].version) == (1, "2")
    assert contract_store.named_graphs() == sorted([TARGET, OTHER, str(META_GRAPH)])  # no staging graph left


def test_drop_removes_graph_and_record(contract_store: GraphStore) -> None:
    contract_store.write_graph(TARGET, [triple("a", "1")], record())
    contract_store.write_graph(OTHER, [triple("b", "1")], record(OTHER))
    contract_store.drop_graph(TARGET)
    assert not contract_store.contains_graph(TARGET)
    assert [i.graph for i in contract_store.graph_records()] == [OTHER]
    meta = contract_store.query("SELECT ?s WHERE { GRAPH <https://w3id.org/mcgraph/graph/meta> { ?s ?p ?o } }")
    assert not [s for s in meta.values("s") if s and s.startswith(TARGET)]


# -- all or nothing -----------------------------------------------------------------------------------

@pytest.mark.parametrize("replace", [False, True])
def test_failed_write_leaves_store_as_it_was(contract_store: GraphStore, replace: bool) -> None:
    contract_store.write_graph(TARGET, [triple("a", "1")], record())
    before = fingerprint(contract_store)
    graph = TARGET if replace else OTHER
    with pytest.raises(SourceFormatError, match="row 101"):
        contract_store.write_graph(graph, failing(100), record(graph), replace=replace)
    assert fingerprint(contract_store) == before


@pytest.mark.parametrize("replace", [False, True])
def test_failed_file_load_leaves_store_as_it_was(contract_store: GraphStore, tmp_path: Path, replace: bool) -> None:
    contract_store.write_graph(TARGET, [triple("a", "1")], record())
    before = fingerprint(contract_store)
    good = ttl(tmp_path / "good.ttl", *((f"s{i}", str(i)) for i in range(50)))
    bad = tmp_path / "bad.ttl"
    bad.write_text(f'<{EX}a> <{EX}p> "1" .\n<{EX}b> <{EX}p> <{EX}c> <{EX}d> .\n', encoding="utf-8")
    graph = TARGET if replace else OTHER
    with pytest.raises(SourceFormatError) as err:
        contract_store.load_files(graph, [(good, ox.RdfFormat.TURTLE), (bad, ox.RdfFormat.TURTLE)], record(graph),
                                  replace=replace)
    assert "bad.ttl" in str(err.value) and err.value.line == 2
    assert fingerprint(contract_store) == before


def test_failing_extras_undo_the_file_load(contract_store: GraphStore, tmp_path: Path) -> None:
    before = fingerprint(contract_store)
    path = ttl(tmp_path / "a.ttl", ("a", "1"))
    with pytest.raises(SourceFormatError, match="row 4"):
        contract_store.load_files(TARGET, [(path, ox.RdfFormat.TURTLE)], record(), extras=failing(3))
    assert fingerprint(contract_store) == before and not contract_store.contains_graph(TARGET)


@pytest.mark.parametrize("bad", [f"{TARGET}> ; DROP ALL ; <x", f"{TARGET}{INJECTION}", "no-scheme", ""])
def test_graph_names_cannot_carry_update_text(contract_store: GraphStore, bad: str) -> None:
    contract_store.write_graph(TARGET, [triple("a", "1")], record())
    before = fingerprint(contract_store)
    with pytest.raises(StoreError, match="not a valid graph IRI"):
        contract_store.write_graph(bad, [triple("b", "2")], record(bad), replace=True)
    with pytest.raises(McgraphError):
        contract_store.drop_graph(bad)
    assert fingerprint(contract_store) == before


# -- reading ------------------------------------------------------------------------------------------

def test_bound_parameters_are_terms_not_text(contract_store: GraphStore) -> None:
    contract_store.write_graph(TARGET, [triple("evil", INJECTION), triple("plain", "x")], record())
    before = fingerprint(contract_store)
    select = "SELECT ?s ?o WHERE { GRAPH ?g { ?s <http://example.org/p> ?o } }"
    assert contract_store.query(select, {"o": ox.Literal(INJECTION)}).values("s") == [EX + "evil"]
    assert contract_store.query(select, {"o": ox.Literal("nothing")}).rows == ()
    assert contract_store.query("SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                                {"s": ox.NamedNode(EX + "plain")}).values("o") == ["x"]
    ask = "ASK { GRAPH ?g { ?s <http://example.org/p> ?o } }"
    assert contract_store.ask(ask, {"o": ox.Literal(INJECTION)})
    assert not contract_store.ask(ask, {"o": ox.Literal(INJECTION + " ")})
    assert fingerprint(contract_store) == before


def test_construct_returns_triples(contract_store: GraphStore) -> None:
    contract_store.write_graph(TARGET, [triple("a", "1"), triple("b", ox.NamedNode(EX + "a"))], record())
    got = contract_store.construct(
        "CONSTRUCT { ?o <http://example.org/inverse> ?s } WHERE { GRAPH ?g { ?s <http://example.org/p> ?o } }",
        {"s": ox.NamedNode(EX + "b")})
    assert got == [ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "inverse"), ox.NamedNode(EX + "b"))]


def test_dump_round_trips(contract_store: GraphStore) -> None:
    contract_store.write_graph(TARGET, [triple("a", "1"), triple("b", "2")], record())
    contract_store.write_graph(OTHER, [triple("a", "1"), triple("c", "3")], record(OTHER))
    one = parsed(contract_store.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=TARGET))
    assert one == {triple("a", "1"), triple("b", "2")}
    merged = parsed(contract_store.dump(fmt=ox.RdfFormat.N_TRIPLES))
    assert {triple("a", "1"), triple("b", "2"), triple("c", "3")} <= merged  # every graph, merged
    quads = list(ox.parse(contract_store.dump(fmt=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == contract_store.count()
    assert {q.graph_name.value for q in quads} == {TARGET, OTHER, str(META_GRAPH)}  # type: ignore[union-attr]


def test_dump_to_a_file(contract_store: GraphStore, tmp_path: Path) -> None:
    contract_store.write_graph(TARGET, [triple("a", "1")], record())
    out = tmp_path / "out.nt"
    contract_store.dump(out, fmt=ox.RdfFormat.N_TRIPLES, graph=TARGET)
    assert parsed(out.read_bytes()) == {triple("a", "1")}


# -- replace keeps what is equal ----------------------------------------------------------------------

def test_replace_with_equal_data_keeps_every_triple(contract_store: GraphStore, tmp_path: Path) -> None:
    """Values the engine stores in a canonical form ("25.0" decimal), language tags and blank nodes survive
    a replace by the same data, and a changed triple is swapped."""
    path = tmp_path / "v.ttl"
    body = ('@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
            'ex:a ex:p "25.0"^^xsd:decimal ; ex:q "1200"^^xsd:decimal ; ex:r "x"@EN ; ex:s [ ex:p "inner" ] .\n'
            'ex:b ex:p "1e3"^^xsd:double ; ex:p "07"^^xsd:integer ; ex:p "a_:b" .\n')
    path.write_text(body, encoding="utf-8")
    first = contract_store.load_files(TARGET, [(path, ox.RdfFormat.TURTLE)], record())
    assert first == 8
    again = contract_store.load_files(TARGET, [(path, ox.RdfFormat.TURTLE)], record(), replace=True)
    assert again == 8 == contract_store.count(TARGET)
    path.write_text(body.replace('"inner"', '"changed"'), encoding="utf-8")
    assert contract_store.load_files(TARGET, [(path, ox.RdfFormat.TURTLE)], record(), replace=True) == 8
    labels = contract_store.query("SELECT ?g ?o WHERE { GRAPH ?g { ?b <http://example.org/p> ?o FILTER isBlank(?b) } }",
                                  {"g": ox.NamedNode(TARGET)}).values("o")
    assert labels == ["changed"]


# -- reserved graphs ----------------------------------------------------------------------------------

BUILT = str(GRAPH["contract/built"])


def test_records_say_which_graphs_are_reserved(contract_store: GraphStore) -> None:
    """A graph its owner wrote (``reserved_ok``: build, reasoning) is read back as reserved, on every backend,
    and only its owner may replace or drop it."""
    contract_store.write_graph(TARGET, [triple("a", "1")], record())
    contract_store.write_graph(BUILT, [triple("b", "1")], record(BUILT), reserved_ok=True)
    assert [(i.graph, i.reserved) for i in contract_store.graph_records()] == [(TARGET, False), (BUILT, True)]
    before = fingerprint(contract_store)
    with pytest.raises(StoreError, match="reserved graph"):
        contract_store.write_graph(BUILT, [triple("c", "1")], record(BUILT), replace=True)
    with pytest.raises(StoreError, match="reserved graph"):
        contract_store.drop_graph(BUILT)
    assert fingerprint(contract_store) == before
    contract_store.drop_graph(BUILT, reserved_ok=True)
    assert [i.graph for i in contract_store.graph_records()] == [TARGET]


# -- a user's SPARQL update ---------------------------------------------------------------------------

MINE = str(GRAPH["contract/by-update"])


def test_user_update_writes_a_graph_of_its_own_with_a_record(contract_store: GraphStore) -> None:
    contract_store.write_graph(TARGET, [triple("a", "1")], record())
    before = fingerprint(contract_store)
    contract_store.update(f'INSERT DATA {{ GRAPH <{MINE}> {{ <{EX}u> <{EX}p> "1", "2" }} }}')
    assert graph_triples(contract_store, MINE) == {(EX + "u", EX + "p", "1"), (EX + "u", EX + "p", "2")}
    info = {i.graph: i for i in contract_store.graph_records()}
    assert (info[MINE].source, info[MINE].triples, info[MINE].reserved) == ("sparql-update", 2, False)
    # a later update may change it (reading any graph), and its record follows
    contract_store.update(f'DELETE DATA {{ GRAPH <{MINE}> {{ <{EX}u> <{EX}p> "2" }} }} ;\n'
                          f'INSERT {{ GRAPH <{MINE}> {{ ?s <{EX}copied> ?o }} }} WHERE {{ GRAPH <{TARGET}> {{ ?s <{EX}p> ?o }} }}')
    assert graph_triples(contract_store, MINE) == {(EX + "u", EX + "p", "1"), (EX + "a", EX + "copied", "1")}
    assert {i.graph: i.triples for i in contract_store.graph_records()}[MINE] == 2
    # DROP GRAPH takes the record too: the store is as it was (SILENT: Virtuoso refuses a plain DROP of a graph
    # that no CREATE GRAPH made)
    contract_store.update(f"DROP SILENT GRAPH <{MINE}>")
    assert fingerprint(contract_store) == before


REFUSED_UPDATES = {
    "drop-all": ("DROP ALL", "DROP ALL would remove every graph"),
    "clear-named": ("CLEAR NAMED", "CLEAR NAMED would remove every named graph"),
    "clear-default": ("CLEAR SILENT DEFAULT", "mcgraph keeps every triple in named graphs"),
    "load": ("LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <https://w3id.org/mcgraph/graph/contract/x>",
             "LOAD makes the engine fetch"),
    "service": (f"INSERT {{ GRAPH <{MINE}> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <http://127.0.0.1:9/sparql> "
                "{ ?s ?p ?o } }", "SERVICE makes the engine fetch"),
    "meta": (f'INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{TARGET}> <{EX}p> "forged" }} }}', "reserved graph"),
    "meta-by-prefix": ('PREFIX g: <https://w3id.org/mcgraph/graph/>\nDELETE WHERE { GRAPH g:meta { ?s ?p ?o } }',
                       "reserved graph"),
    "drop-meta": (f"DROP GRAPH <{META_GRAPH}>", "reserved graph"),
    "ontology": (f'INSERT DATA {{ GRAPH <{GRAPH["ontology"]}> {{ <{EX}a> <{EX}p> "x" }} }}', "reserved graph"),
    "inferred": (f'INSERT DATA {{ GRAPH <{GRAPH["inferred/x"]}> {{ <{EX}a> <{EX}p> "x" }} }}', "reserved graph"),
    "built": (f"CLEAR GRAPH <{BUILT}>", "reserved graph"),
    "file-loaded": (f'INSERT DATA {{ GRAPH <{TARGET}> {{ <{EX}a> <{EX}p> "x" }} }}', "`mcgraph load` filled it"),
    "file-loaded-with": (f"WITH <{TARGET}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", "`mcgraph load` filled it"),
    "move-into-loaded": (f"MOVE <{MINE}> TO <{TARGET}>", "`mcgraph load` filled it"),
    "variable-graph": (f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                       "a variable graph name could reach any graph"),
    "default-graph": (f'INSERT DATA {{ <{EX}a> <{EX}p> "x" }}', "writes triples to the default graph"),
}


@pytest.mark.parametrize("name", sorted(REFUSED_UPDATES))
def test_refused_user_updates_change_nothing(contract_store: GraphStore, name: str) -> None:
    from mcgraph.store.updates import UpdateRefused

    contract_store.write_graph(TARGET, [triple("a", "1")], record())
    contract_store.write_graph(BUILT, [triple("b", "1")], record(BUILT), reserved_ok=True)
    contract_store.update(f'INSERT DATA {{ GRAPH <{MINE}> {{ <{EX}u> <{EX}p> "1" }} }}')
    before = fingerprint(contract_store)
    text, message = REFUSED_UPDATES[name]
    with pytest.raises(UpdateRefused, match=re.escape(message)):
        contract_store.update(text)
    assert fingerprint(contract_store) == before


def test_user_update_syntax_error_is_a_query_error(contract_store: GraphStore) -> None:
    from mcgraph.errors import QueryError

    before = fingerprint(contract_store)
    with pytest.raises(QueryError, match="syntax error"):
        contract_store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> ")
    assert fingerprint(contract_store) == before
