"""Issue 13, item 8: a replace that changes most of a graph which is most of the store rebuilds the store folder
(copies the other graphs, bulk-loads the new content, swaps the folders) instead of deleting triple by triple —
with the same result as the in-place replace, all or nothing, and whole again after a stop at any point."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcgraph.errors import StoreError
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH, META_GRAPH
from mcgraph.store import EmbeddedStore, embedded, rebuild
from store_contract import fingerprint

TARGET = str(GRAPH["t/big"])
OTHER = str(GRAPH["t/other"])


def nt(path: Path, tag: str, n: int) -> Path:
    path.write_text("".join(f'<http://example.org/{tag}{i}> <http://example.org/p> "{tag} {i}" .\n' for i in range(n)),
                    encoding="utf-8")
    return path


def without(store: EmbeddedStore, graph: str) -> list[str]:
    """The store's sorted N-Quads but the lines of ``graph`` and of its load record; blank node labels (each
    load gives its own) are written ``_:b``."""
    lines = (store.dump(fmt=ox.RdfFormat.N_QUADS) or b"").decode("utf-8").splitlines()
    return sorted(re.sub(r"_:[0-9A-Za-z]+", "_:b", line) for line in lines
                  if f"<{graph}>" not in line and f"<{graph}#" not in line)


SHARED = "SELECT ?b (COUNT(DISTINCT ?o) AS ?n) WHERE { ?b <http://example.org/p> ?o FILTER(isBlank(?b)) } GROUP BY ?b"


def graph_lines(store: EmbeddedStore, graph: str) -> list[str]:
    return sorted((store.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=graph) or b"").decode("utf-8").splitlines())


def leftovers(store_dir: Path) -> list[str]:
    return sorted(p.name for p in store_dir.parent.iterdir() if p.name.startswith(f".{store_dir.name}."))


@pytest.fixture
def store_dir(tmp_path: Path, fixtures: Path) -> Path:
    """A store holding a small graph with a blank node shared with the default graph, and a big one."""
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        load_source(s, "rdf", fixtures / "foundation" / "small.ttl", graph=OTHER)
        load_source(s, "rdf", nt(tmp_path / "old.nt", "old", 20_000), graph=TARGET)
        s.oxigraph.add(ox.Quad(ox.BlankNode("shared"), ox.NamedNode("http://example.org/p"), ox.Literal("in default")))
        s.oxigraph.add(ox.Quad(ox.BlankNode("shared"), ox.NamedNode("http://example.org/p"), ox.Literal("in other"),
                               ox.NamedNode(OTHER)))
    return path


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records which way each replace went."""
    calls: list[str] = []
    real = embedded.build_without

    def build(*args: object, **kwargs: object) -> Path:
        calls.append("rebuild")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(embedded, "build_without", build)
    return calls


def test_replacing_every_triple_rebuilds_with_the_in_place_result(tmp_path: Path, store_dir: Path,
                                                                    spy: list[str]) -> None:
    new = nt(tmp_path / "new.nt", "new", 25_000)
    twin = tmp_path / "twin"
    import shutil
    shutil.copytree(store_dir, twin)
    with EmbeddedStore(twin) as s:  # the in-place replace, for comparison
        s._rebuild_pays = lambda *a: False  # type: ignore[method-assign]
        load_source(s, "rdf", new, graph=TARGET, replace=True)
        expected_graph, expected_rest = graph_lines(s, TARGET), without(s, TARGET)
    with EmbeddedStore(store_dir) as s:
        before_rest = without(s, TARGET)
        report = load_source(s, "rdf", new, graph=TARGET, replace=True)
        assert spy == ["rebuild"] and report.triples == 25_000
        assert graph_lines(s, TARGET) == expected_graph and len(expected_graph) == 25_000
        assert without(s, TARGET) == before_rest == expected_rest  # every other graph, blank nodes too
        assert [int(r["n"].value) for r in s.query(SHARED)] == [2]  # type: ignore[union-attr]  # still one node
        records = {i.graph: i for i in s.graph_records()}
        assert records[TARGET].triples == 25_000 and [f.name for f in records[TARGET].sources] == ["new.nt"]
        assert s.notices == []
    assert leftovers(store_dir) == []
    with EmbeddedStore(store_dir) as s:  # the swapped folder opens as the store, nothing to recover
        assert s.notices == [] and s.count(TARGET) == 25_000


def test_a_small_change_or_a_small_graph_is_replaced_in_place(tmp_path: Path, store_dir: Path, fixtures: Path,
                                                             spy: list[str]) -> None:
    with EmbeddedStore(store_dir) as s:
        load_source(s, "rdf", tmp_path / "old.nt", graph=TARGET, replace=True)  # nothing changed
        lines = (tmp_path / "old.nt").read_text(encoding="utf-8").splitlines(keepends=True)
        (tmp_path / "tenth.nt").write_text("".join(lines[:18_000]) + "".join(
            line.replace("old", "other", 1) for line in lines[18_000:]), encoding="utf-8")
        load_source(s, "rdf", tmp_path / "tenth.nt", graph=TARGET, replace=True)  # 10% changed
        assert spy == [] and s.count(TARGET) == 20_000
        # the small graph, all changed, beside a big one: copying the big one costs more than deleting
        load_source(s, "rdf", nt(tmp_path / "small-new.nt", "sn", 30), graph=OTHER, replace=True)
        assert spy == [] and s.count(OTHER) == 30


def test_a_store_whose_parent_folder_takes_no_new_folder_replaces_in_place(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, store_dir: Path, spy: list[str]) -> None:
    monkeypatch.setattr(rebuild.os, "access", lambda *a: False)
    with EmbeddedStore(store_dir) as s:
        load_source(s, "rdf", nt(tmp_path / "new.nt", "new", 25_000), graph=TARGET, replace=True)
        assert spy == [] and s.count(TARGET) == 25_000


def test_a_store_reached_through_a_symbolic_link_replaces_in_place(tmp_path: Path, store_dir: Path,
                                                                    spy: list[str]) -> None:
    link = tmp_path / "linked-store"
    link.symlink_to(store_dir, target_is_directory=True)
    with EmbeddedStore(link) as s:
        load_source(s, "rdf", nt(tmp_path / "new.nt", "new", 25_000), graph=TARGET, replace=True)
        assert spy == [] and s.count(TARGET) == 25_000
    assert link.is_symlink() and leftovers(link) == []


def test_a_failing_rebuild_leaves_the_store_as_it_was(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                      store_dir: Path) -> None:
    def broken(self: object, target: object, chunks: object, into: object = None) -> None:
        raise OSError("disk full (simulated)")

    with EmbeddedStore(store_dir) as s:
        before = fingerprint(s)
        monkeypatch.setattr(EmbeddedStore, "_bulk_load_chunks", broken)
        with pytest.raises(StoreError, match="disk full.*the store is as it was"):
            load_source(s, "rdf", nt(tmp_path / "new.nt", "new", 25_000), graph=TARGET, replace=True)
        monkeypatch.undo()
        assert fingerprint(s) == before and s.count(TARGET) == 20_000  # still open and usable
    assert leftovers(store_dir) == []


def test_a_stop_between_the_two_renames_is_finished_on_open(tmp_path: Path, store_dir: Path) -> None:
    new = nt(tmp_path / "new.nt", "new", 25_000)
    with EmbeddedStore(store_dir) as s:  # what a replace does up to the first rename of the swap
        built = rebuild.build_without(
            s.oxigraph, store_dir, ox.NamedNode(TARGET),
            lambda c: c.bulk_load(path=str(new), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(TARGET)),
            lambda c: None)
    store_dir.rename(rebuild.sibling(store_dir, rebuild.OLD, "stopped"))  # then the process stops
    assert not store_dir.exists() and built.exists()
    with EmbeddedStore(store_dir) as s:
        assert any("finished a replace" in n for n in s.notices)
        assert any("the folder a finished replace left" in n for n in s.notices)
        assert s.count(TARGET) == 25_000 and graph_lines(s, TARGET)[0].startswith("<http://example.org/new")
    assert leftovers(store_dir) == []


def test_a_swap_that_fails_half_way_is_finished_not_replaced_by_an_empty_store(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, store_dir: Path) -> None:
    def first_rename_only(path: Path, built: Path) -> None:
        path.rename(rebuild.sibling(path, rebuild.OLD, "half"))
        raise OSError("rename failed (simulated)")

    monkeypatch.setattr(embedded, "swap_in", first_rename_only)
    with EmbeddedStore(store_dir) as s:
        with pytest.raises(StoreError, match="swapping in the rebuilt store"):
            load_source(s, "rdf", nt(tmp_path / "new.nt", "new", 25_000), graph=TARGET, replace=True)
        assert s.count(TARGET) == 25_000 and s.count(OTHER) > 0  # the rebuilt store, not an empty one
        assert any("finished a replace" in n for n in s.notices)


def test_a_rebuild_stopped_before_the_swap_is_removed_and_the_store_is_as_it_was(tmp_path: Path,
                                                                                 store_dir: Path) -> None:
    with EmbeddedStore(store_dir) as s:
        before = fingerprint(s)
        built = rebuild.build_without(s.oxigraph, store_dir, ox.NamedNode(TARGET), lambda c: None, lambda c: None)
    unfinished = rebuild.sibling(store_dir, rebuild.REBUILD, "0123456789ab")
    unfinished.mkdir()
    (unfinished / "000001.sst").write_bytes(b"partial")
    with EmbeddedStore(store_dir) as s:  # a complete rebuild is left for a minute (its process may be swapping)
        assert fingerprint(s) == before
        assert [n for n in s.notices if "unfinished rebuild" in n] and built.exists() and not unfinished.exists()
    old = time.time() - 2 * rebuild.SWAP_GRACE_SECONDS
    os.utime(built, (old, old))
    with EmbeddedStore(store_dir) as s:
        assert fingerprint(s) == before and any("stopped before the swap" in n for n in s.notices)
    assert leftovers(store_dir) == []


KILLED = textwrap.dedent("""
    import sys
    from mcgraph.loading import load_source
    from mcgraph.store import EmbeddedStore
    with EmbeddedStore(sys.argv[1]) as s:
        print("replacing", flush=True)
        load_source(s, "rdf", sys.argv[2], graph=sys.argv[3], replace=True)
        print("done", flush=True)
""")


@pytest.mark.parametrize("after", [0.3, 1.5, 2.6])
def test_kill_9_during_a_rebuilding_replace_leaves_the_old_or_the_new_store(tmp_path: Path, after: float) -> None:
    store_dir = tmp_path / "store"
    with EmbeddedStore(store_dir) as s:
        load_source(s, "rdf", nt(tmp_path / "old.nt", "old", 150_000), graph=TARGET)
        before = fingerprint(s)
    new = nt(tmp_path / "new.nt", "new", 150_000)
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(store_dir), str(new), TARGET],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "replacing"
    time.sleep(after)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with EmbeddedStore(store_dir) as s:
        names = set(s.named_graphs())
        assert names == {TARGET, str(META_GRAPH)}
        tags = {line.split("/")[3][:3] for line in graph_lines(s, TARGET)}
        if tags == {"old"}:
            assert fingerprint(s) == before
        else:
            assert tags == {"new"} and s.count(TARGET) == 150_000
            assert {i.graph: i.triples for i in s.graph_records()}[TARGET] == 150_000
    assert [n for n in leftovers(store_dir) if ".rebuilt-" not in n] == []  # a young complete one waits a minute
