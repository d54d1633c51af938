"""Issue 13, items 1–3: a load writes only into its own graph; the metadata graph and reserved graphs are
protected; graph names with dot segments are refused. Each case: exit 2, the reason, no traceback, the store
byte-for-byte unchanged."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_cli
from mcgraph.errors import SourceFormatError, StoreError
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH, META_GRAPH
from mcgraph.store import EmbeddedStore, LoadRecord
from store_contract import fingerprint

EX = "http://example.org/"
ONTOLOGY = str(GRAPH["ontology"])


@pytest.fixture
def store_dir(tmp_path: Path, fixtures: Path) -> Path:
    """A store with one loaded graph (t/small) and two graphs as `mcgraph build` writes them."""
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        load_source(s, "rdf", fixtures / "foundation" / "small.ttl", graph=str(GRAPH["t/small"]))
        for graph in (ONTOLOGY, str(GRAPH["frameworks/eqf"])):
            load_source(s, "rdf", fixtures / "foundation" / "small.ttl", graph=graph, reserved_ok=True)
    return path


def state(path: Path) -> str:
    with EmbeddedStore(path) as s:
        return fingerprint(s)


def refused(capsys: pytest.CaptureFixture[str], store_dir: Path, *args: str) -> str:
    """Run the CLI, assert it refused (exit 2, no traceback, store unchanged); return stderr."""
    before = state(store_dir)
    code, _, err = run_cli(capsys, store_dir, *args)
    assert code == 2, err
    assert "Traceback" not in err
    assert state(store_dir) == before
    return err


# -- 1. quads escape their graph ----------------------------------------------------------------------

FORGED_RECORD = f"""<{META_GRAPH}> {{ <{GRAPH['t/small']}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/mcgraph/ontology#LoadedGraph> . }}"""


@pytest.mark.parametrize("name,body,line", [
    ("forged.trig", f'<{EX}a> <{EX}p> "1" .\n{FORGED_RECORD}\n', 2),
    ("onto.nq", f'<{EX}a> <{EX}p> "1" .\n<{EX}a> <{EX}p> "2" <{ONTOLOGY}> .\n', 2),
    ("named.jsonld", '{"@id": "%sg", "@graph": [{"@id": "%sa", "%sp": "1"}]}' % (EX, EX, EX), 1),
])
def test_quads_naming_another_graph_are_refused_with_file_and_line(
        capsys: pytest.CaptureFixture[str], store_dir: Path, tmp_path: Path, name: str, body: str, line: int) -> None:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    err = refused(capsys, store_dir, "load", str(path))
    assert name in err and f"line {line}" in err and "writes only into its own graph" in err


def test_quads_naming_the_loads_own_graph_are_kept(capsys: pytest.CaptureFixture[str], store_dir: Path,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "own.nq"
    path.write_text(f'<{EX}a> <{EX}p> "1" <{GRAPH["t/own"]}> .\n<{EX}b> <{EX}p> "2" .\n', encoding="utf-8")
    code, _, err = run_cli(capsys, store_dir, "load", str(path), "--graph", "t/own")
    assert code == 0, err
    with EmbeddedStore(store_dir) as s:
        assert s.count(str(GRAPH["t/own"])) == 2


def test_write_graph_refuses_foreign_quads_from_any_producer(store: EmbeddedStore) -> None:
    quads = [ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("1"), ox.NamedNode(str(META_GRAPH)))]
    with pytest.raises(SourceFormatError, match="writes only into its own graph"):
        store.write_graph(str(GRAPH["t/x"]), quads, LoadRecord(graph=str(GRAPH["t/x"]), source="t"))
    assert store.count() == 0


def test_reserved_graphs_need_their_owner(store: EmbeddedStore) -> None:
    triple = ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("1"))
    for graph in (ONTOLOGY, str(GRAPH["inferred/closure"])):  # reserved by name, loaded or not
        with pytest.raises(StoreError, match="reserved graph"):
            store.write_graph(graph, [triple], LoadRecord(graph=graph, source="t"))
    for graph in (ONTOLOGY, str(GRAPH["inferred/closure"]), str(GRAPH["frameworks/eqf"])):
        assert store.write_graph(graph, [triple], LoadRecord(graph=graph, source="t"), reserved_ok=True) == 1
        with pytest.raises(StoreError, match="reserved graph"):  # its record names the owner
            store.write_graph(graph, [triple], LoadRecord(graph=graph, source="t"), replace=True)
        with pytest.raises(StoreError, match="reserved graph"):
            store.drop_graph(graph)
        store.drop_graph(graph, reserved_ok=True)
    with pytest.raises(StoreError, match="metadata graph"):
        store.write_graph(str(META_GRAPH), [triple], LoadRecord(graph=str(META_GRAPH), source="t"), reserved_ok=True)
    assert store.count() == 0


# -- 2. the metadata graph cannot be wiped; drop takes recorded graphs only ---------------------------------

@pytest.mark.parametrize("args,reason", [
    (("load", "{small}", "--graph", str(META_GRAPH), "--replace"), "metadata graph"),
    (("load", "{small}", "--graph", "meta", "--replace"), "metadata graph"),
    (("load", "{small}", "--graph", "ontology", "--replace"), "reserved graph"),
    (("load", "{small}", "--graph", "frameworks/eqf"), "reserved graph"),
    (("drop", "meta"), "metadata graph"),
    (("drop", str(META_GRAPH)), "metadata graph"),
    (("drop", "ontology"), "reserved graph"),
])
def test_protected_graphs_are_refused(capsys: pytest.CaptureFixture[str], store_dir: Path, fixtures: Path,
                                      args: tuple[str, ...], reason: str) -> None:
    small = str(fixtures / "foundation" / "small.ttl")
    err = refused(capsys, store_dir, *(a.format(small=small) for a in args))
    assert reason in err


def test_drop_refuses_a_graph_without_load_record(capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    with EmbeddedStore(store_dir) as s:  # a graph some other tool wrote, with no record
        s.oxigraph.add(ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("1"),
                               ox.NamedNode(str(GRAPH["t/stray"]))))
    err = refused(capsys, store_dir, "drop", "t/stray")
    assert "no load record" in err


def test_build_still_writes_its_reserved_graphs(built_store: EmbeddedStore) -> None:
    graphs = {i.graph for i in built_store.graph_records()}
    assert ONTOLOGY in graphs and any(g.startswith(str(GRAPH["frameworks/"])) for g in graphs)


def test_a_user_may_load_a_framework_of_their_own(capsys: pytest.CaptureFixture[str], store_dir: Path,
                                                  fixtures: Path) -> None:
    small = str(fixtures / "foundation" / "small.ttl")
    assert run_cli(capsys, store_dir, "load", small, "--graph", "frameworks/mine")[0] == 0
    assert run_cli(capsys, store_dir, "load", small, "--graph", "frameworks/mine", "--replace")[0] == 0
    code, out, _ = run_cli(capsys, store_dir, "drop", "frameworks/mine")
    assert code == 0 and "dropped" in out


# -- 3. dot segments ----------------------------------------------------------------------------------

@pytest.mark.parametrize("option,value", [
    ("--version", "../../meta"),
    ("--version", "1/../../../meta"),
    ("--graph", "../meta"),
    ("--graph", "t/./small"),
    ("--graph", "https://w3id.org/mcgraph/graph/x/%2E%2E/meta"),
    ("--graph", "https://w3id.org/mcgraph/graph/x#staging-1"),
])
def test_graph_names_with_dot_segments_are_refused(capsys: pytest.CaptureFixture[str], store_dir: Path,
                                                   fixtures: Path, option: str, value: str) -> None:
    err = refused(capsys, store_dir, "load", "skos", str(fixtures / "foundation" / "small.ttl"), option, value,
                  "--replace")
    assert value.split("/")[-1].split("#")[0] in err or "#fragment" in err
    assert "segment" in err or "#fragment" in err
