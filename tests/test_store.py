"""The embedded store: named graphs, load records, and all-or-nothing writes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from mcgraph import GraphExistsError, SourceFormatError, load_source
from mcgraph.namespaces import GRAPH, META_GRAPH
from mcgraph.sources.base import LoadReport, Source
from mcgraph.store import EmbeddedStore, LoadRecord

EX = "http://example.org/"


def triple(s: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o))


def snapshot(store: EmbeddedStore) -> set[ox.Quad]:
    return set(ox.parse(store.dump(fmt=ox.RdfFormat.N_QUADS) or b"", format=ox.RdfFormat.N_QUADS))


class Exploding(Source):
    """Yields some triples, then fails as a bad row would."""

    name, title = "exploding", "fails half-way"

    def read(self, path: Path, report: LoadReport):
        report.add_file(path)
        for i in range(1000):
            yield triple(f"s{i}", "v")
        raise SourceFormatError(path, "bad row", row=1001)


def test_load_writes_named_graph_and_record(store: EmbeddedStore, fixtures: Path) -> None:
    report = load_source(store, "rdf", fixtures / "foundation" / "small.ttl", graph=str(GRAPH["t/small"]), version="7")
    assert report.triples == 12
    [info] = store.graph_records()
    assert info.graph == str(GRAPH["t/small"])
    assert (info.triples, info.source, info.version, info.files) == (12, "rdf", "7", ("small.ttl",))
    sha = store.query("SELECT ?h WHERE { GRAPH ?m { ?g dct:source/mcg:sha256 ?h } }").values("h")
    assert len(sha) == 1 and len(sha[0]) == 64


def test_two_versions_sit_side_by_side(store: EmbeddedStore, fixtures: Path) -> None:
    path = fixtures / "foundation" / "small.ttl"
    load_source(store, "rdf", path, graph=str(GRAPH["t/1"]))
    load_source(store, "rdf", path, graph=str(GRAPH["t/2"]))
    assert [g.triples for g in store.graph_records()] == [12, 12]


def test_failed_load_leaves_store_as_it_was(store: EmbeddedStore, fixtures: Path) -> None:
    load_source(store, "rdf", fixtures / "foundation" / "small.ttl", graph=str(GRAPH["t/small"]))
    before = snapshot(store)
    with pytest.raises(SourceFormatError, match="row 1001"):
        load_source(store, Exploding(), fixtures / "foundation" / "small.ttl")
    assert snapshot(store) == before


def test_failed_replace_keeps_the_old_graph(store: EmbeddedStore, fixtures: Path) -> None:
    target = str(GRAPH["t/small"])
    load_source(store, "rdf", fixtures / "foundation" / "small.ttl", graph=target)
    before = snapshot(store)
    with pytest.raises(SourceFormatError) as err:
        load_source(store, "rdf", fixtures / "foundation" / "broken.ttl", graph=target, replace=True)
    assert err.value.line == 3
    assert snapshot(store) == before


def test_replace_swaps_the_graph_and_its_record(store: EmbeddedStore, fixtures: Path) -> None:
    target = str(GRAPH["t/x"])
    load_source(store, "rdf", fixtures / "foundation" / "small.ttl", graph=target)
    store.write_graph(target, [triple("only", "one")], LoadRecord(graph=target, source="test", version="2"), replace=True)
    [info] = store.graph_records()
    assert (info.triples, info.source, info.version) == (1, "test", "2")
    assert store.named_graphs() == sorted([target, str(META_GRAPH)])


def test_loading_an_existing_graph_needs_replace(store: EmbeddedStore) -> None:
    target = str(GRAPH["t/x"])
    store.write_graph(target, [triple("a", "1")], LoadRecord(graph=target, source="test"))
    with pytest.raises(GraphExistsError, match="--replace"):
        store.write_graph(target, [triple("b", "2")], LoadRecord(graph=target, source="test"))
    assert store.count(target) == 1


def test_on_disk_store_persists(tmp_path: Path, fixtures: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as s:
        load_source(s, "rdf", fixtures / "foundation" / "small.ttl", graph=str(GRAPH["t/small"]))
    with EmbeddedStore(tmp_path / "s") as s:
        assert [g.triples for g in s.graph_records()] == [12]


def test_drop_graph_removes_data_and_record(store: EmbeddedStore, fixtures: Path) -> None:
    target = str(GRAPH["t/small"])
    load_source(store, "rdf", fixtures / "foundation" / "small.ttl", graph=target)
    store.drop_graph(target)
    assert store.graph_records() == []
    assert len(snapshot(store)) == 0


@pytest.mark.parametrize("name,reason", [("broken.ttl", "line 3"), ("missing.ttl", "no such file")])
def test_rdf_errors_name_file_and_line(store: EmbeddedStore, fixtures: Path, name: str, reason: str) -> None:
    with pytest.raises(SourceFormatError) as err:
        load_source(store, "rdf", fixtures / "foundation" / name)
    assert name in str(err.value) and reason in str(err.value)


def test_dataset_quads_keep_their_graphs(store: EmbeddedStore, tmp_path: Path) -> None:
    path = tmp_path / "two.nq"
    path.write_text(f'<{EX}a> <{EX}p> "1" <{EX}g1> .\n<{EX}b> <{EX}p> "2" .\n', encoding="utf-8")
    report = load_source(store, "rdf", path, graph=str(GRAPH["t/nq"]))
    assert report.triples == 1
    assert store.count(EX + "g1") == 1 and store.count(str(GRAPH["t/nq"])) == 1


def test_failing_derived_triples_undo_the_bulk_load(store: EmbeddedStore, fixtures: Path) -> None:
    def extras():
        yield triple("derived", "1")
        raise SourceFormatError("small.ttl", "cannot derive", row=7)

    path = fixtures / "foundation" / "small.ttl"
    with pytest.raises(SourceFormatError, match="row 7"):
        store.load_files(str(GRAPH["t/x"]), [(path, ox.RdfFormat.TURTLE)], LoadRecord(graph=str(GRAPH["t/x"]),
                         source="t"), extras=extras())
    assert snapshot(store) == set()
    store.load_files(str(GRAPH["t/x"]), [(path, ox.RdfFormat.TURTLE)], LoadRecord(graph=str(GRAPH["t/x"]), source="t"),
                     extras=iter([triple("derived", "1")]))
    assert store.count(str(GRAPH["t/x"])) == 13
