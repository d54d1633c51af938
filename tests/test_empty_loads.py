"""Issue 13, item 10: one rule for empty input — a load of no triples is refused with a clear message, writes
nothing and leaves no load record (so there is never a record that `drop` then refuses)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_cli
from mcgraph.errors import SourceFormatError
from mcgraph.namespaces import GRAPH
from mcgraph.store import EmbeddedStore, LoadRecord, SourceFile
from store_contract import fingerprint

EMPTY = "no triples to load"


@pytest.mark.parametrize("args,content", [
    (("load", "{path}"), ""),                                   # empty Turtle
    (("load", "{path}"), "@prefix ex: <http://example.org/> .\n# nothing else\n"),
    (("load", "skos", "{path}"), ""),
    (("load", "credentials", "{path}"), "HEADER"),             # a CSV with only its header row
])
def test_empty_input_is_refused_and_leaves_no_record(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     fixtures: Path, args: tuple[str, ...], content: str) -> None:
    store_dir = tmp_path / "store"
    if content == "HEADER":
        path = tmp_path / "catalogue.csv"
        header = (fixtures / "credentials" / "good.csv").read_text(encoding="utf-8").splitlines()[0]
        path.write_text(header + "\n", encoding="utf-8")
    else:
        path = tmp_path / "empty.ttl"
        path.write_text(content, encoding="utf-8")
    code, _, err = run_cli(capsys, store_dir, *(a.format(path=path) for a in args))
    assert code == 2 and EMPTY in err and path.name in err and "Traceback" not in err
    with EmbeddedStore(store_dir) as s:
        assert s.graph_records() == [] and s.count() == 0


def test_replacing_with_empty_input_keeps_the_old_graph(tmp_path: Path, fixtures: Path) -> None:
    target = str(GRAPH["t/x"])
    with EmbeddedStore(tmp_path / "s") as s:
        s.load_files(target, [(fixtures / "foundation" / "small.ttl", ox.RdfFormat.TURTLE)],
                     LoadRecord(graph=target, source="t"))
        before = fingerprint(s)
        empty = tmp_path / "empty.ttl"
        empty.write_text("", encoding="utf-8")
        record = LoadRecord(graph=target, source="t", files=[SourceFile("empty.ttl", "0" * 64, 0)])
        with pytest.raises(SourceFormatError, match=EMPTY):
            s.load_files(target, [(empty, ox.RdfFormat.TURTLE)], record, replace=True)
        with pytest.raises(SourceFormatError, match="empty.ttl"):
            s.write_graph(target, [], record, replace=True)
        assert fingerprint(s) == before
