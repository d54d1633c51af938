"""Issue 13, item 10: one rule for empty input — a load of no triples is *recorded*: it succeeds with 0
triples, `stats` lists the graph with its file, and `drop` removes it like any other load. (Refusing instead
would turn the credential loads that find no credential in a file — and say why — into errors.)"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_cli
from mcgraph.errors import GraphExistsError
from mcgraph.namespaces import GRAPH
from mcgraph.store import EmbeddedStore, LoadRecord, SourceFile


@pytest.mark.parametrize("args,content,graph", [
    (("load", "{path}"), "", "file/empty"),                                   # empty Turtle
    (("load", "{path}"), "@prefix ex: <http://example.org/> .\n# nothing else\n", "file/empty"),
    (("load", "skos", "{path}", "--version", "1"), "", "skos/1"),
    (("load", "credentials", "{path}"), "HEADER", "catalog/catalogue"),       # a CSV with only its header row
])
def test_an_empty_load_is_recorded_listed_and_droppable(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                        fixtures: Path, args: tuple[str, ...], content: str,
                                                        graph: str) -> None:
    store_dir = tmp_path / "store"
    if content == "HEADER":
        path = tmp_path / "catalogue.csv"
        header = (fixtures / "credentials" / "good.csv").read_text(encoding="utf-8").splitlines()[0]
        path.write_text(header + "\n", encoding="utf-8")
    else:
        path = tmp_path / "empty.ttl"
        path.write_text(content, encoding="utf-8")
    code, _, err = run_cli(capsys, store_dir, *(a.format(path=path) for a in args))
    assert code == 0, err
    code, out, _ = run_cli(capsys, store_dir, "stats", "--format", "json")
    [info] = json.loads(out)
    assert info["graph"].endswith(graph) and info["triples"] == 0 and info["files"] == [path.name]
    code, out, err = run_cli(capsys, store_dir, "drop", info["graph"])
    assert code == 0 and "dropped" in out, err
    with EmbeddedStore(store_dir) as s:
        assert s.graph_records() == [] and s.count() == 0


def test_an_empty_graph_counts_as_loaded(tmp_path: Path, fixtures: Path) -> None:
    """Loading again needs --replace; replacing it with data (or data with nothing) works both ways."""
    target = str(GRAPH["t/x"])
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    small = fixtures / "foundation" / "small.ttl"
    record = LoadRecord(graph=target, source="t", files=[SourceFile("empty.ttl", "0" * 64, 0)])
    with EmbeddedStore(tmp_path / "s") as s:
        assert s.load_files(target, [(empty, ox.RdfFormat.TURTLE)], record) == 0
        with pytest.raises(GraphExistsError):
            s.load_files(target, [(small, ox.RdfFormat.TURTLE)], LoadRecord(graph=target, source="t"))
        assert s.load_files(target, [(small, ox.RdfFormat.TURTLE)], LoadRecord(graph=target, source="t"),
                            replace=True) == 12
        assert s.write_graph(target, [], LoadRecord(graph=target, source="t"), replace=True) == 0
        assert [(i.graph, i.triples) for i in s.graph_records()] == [(target, 0)] and s.count(target) == 0
