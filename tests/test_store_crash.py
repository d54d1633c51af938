"""Issue 13, items 7 and 9: what a stopped process leaves behind is found and cleaned (or reported) on open, and
a damaged, locked or read-only store, or an output path that cannot be written, ends in a message with the
path and what to do — exit 2, no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_cli
from mcgraph.errors import StoreError
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH, MCG, META_GRAPH
from mcgraph.store import EmbeddedStore
from store_contract import fingerprint

TARGET = str(GRAPH["t/small"])


@pytest.fixture
def store_dir(tmp_path: Path, fixtures: Path) -> Path:
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        load_source(s, "rdf", fixtures / "foundation" / "small.ttl", graph=TARGET)
    return path


def test_orphan_staging_graph_is_removed_on_open_and_reported(
        capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    with EmbeddedStore(store_dir) as s:
        clean = fingerprint(s)
        staging = ox.NamedNode(f"{TARGET}#staging-0123456789abcdef")
        s.oxigraph.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                                  ox.Literal(str(i)), staging) for i in range(500))
    code, out, err = run_cli(capsys, store_dir, "stats")
    assert code == 0 and "staging-0123456789abcdef" in err and "500 triples" in err and "removed" in err
    assert "staging" not in out
    with EmbeddedStore(store_dir) as s:
        assert s.notices == [] and fingerprint(s) == clean


def test_interrupted_replace_is_reported_and_finished_by_running_it_again(
        capsys: pytest.CaptureFixture[str], store_dir: Path, fixtures: Path) -> None:
    with EmbeddedStore(store_dir) as s:  # what a process killed between the two writes of a replace leaves
        s.oxigraph.add(ox.Quad(ox.NamedNode(TARGET), ox.NamedNode(str(MCG.replaceStarted)),
                               ox.Literal("2026-01-01T00:00:00+00:00"), ox.NamedNode(str(META_GRAPH))))
    code, _, err = run_cli(capsys, store_dir, "stats")
    assert code == 0 and "was being replaced" in err and "--replace" in err
    code, _, err = run_cli(capsys, store_dir, "load", str(fixtures / "foundation" / "small.ttl"), "--graph", "t/small",
                           "--replace")
    assert code == 0, err
    with EmbeddedStore(store_dir) as s:
        assert s.notices == [] and s.count(TARGET) == 12


KILLED_REPLACE = textwrap.dedent("""
    import sys
    from mcgraph.loading import load_source
    from mcgraph.store import EmbeddedStore
    store = EmbeddedStore(sys.argv[1])
    print("replacing", flush=True)
    load_source(store, "rdf", sys.argv[2], graph=sys.argv[3], replace=True)
    print("done", flush=True)
""")


def test_kill_9_during_replace_leaves_a_store_that_opens_and_recovers(tmp_path: Path) -> None:
    def nt(path: Path, tag: str, n: int) -> Path:
        path.write_text("".join(f'<http://example.org/{tag}{i}> <http://example.org/p> "{i}" .\n' for i in range(n)),
                        encoding="utf-8")
        return path

    old, new = nt(tmp_path / "old.nt", "old", 40_000), nt(tmp_path / "new.nt", "new", 40_000)
    store_dir = tmp_path / "store"
    with EmbeddedStore(store_dir) as s:
        load_source(s, "rdf", old, graph=TARGET)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_REPLACE, str(store_dir), str(new), TARGET],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "replacing"
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with EmbeddedStore(store_dir) as s:
        names = set(s.named_graphs())
        assert names == {TARGET, str(META_GRAPH)}  # no staging graph, nothing else
        subjects = {r["s"].value.split("/")[-1][:3] for r in s.query("SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }",  # type: ignore[union-attr]
                                                                   {"g": ox.NamedNode(TARGET)})}
        if any("was being replaced" in n for n in s.notices):
            load_source(s, "rdf", new, graph=TARGET, replace=True)  # the advice the notice gives
        else:  # the kill came before the first write or after the last one: all old or all new
            assert subjects in ({"old"}, {"new"})
            load_source(s, "rdf", new, graph=TARGET, replace=True)
    with EmbeddedStore(store_dir) as s:
        assert s.notices == [] and s.count(TARGET) == 40_000
        assert [i.triples for i in s.graph_records()] == [40_000]


# -- 9. damaged, locked, read-only stores; unwritable output --------------------------------------------

def test_damaged_store_names_path_and_remedy(capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    (store_dir / "CURRENT").write_text("junk\n", encoding="utf-8")
    code, _, err = run_cli(capsys, store_dir, "stats")
    assert code == 2 and "Traceback" not in err
    assert "damaged" in err and str(store_dir) in err and "load the data again" in err


def test_store_in_use_by_another_process_says_so(store_dir: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
                               "print('open', flush=True); sys.stdin.read()", str(store_dir)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="another mcgraph process is using it") as err:
            EmbeddedStore(store_dir)
        assert str(store_dir) in str(err.value) and "read-only" not in str(err.value)
    finally:
        holder.communicate("")


def test_read_only_store_says_it_is_read_only(monkeypatch: pytest.MonkeyPatch, store_dir: Path,
                                              fixtures: Path) -> None:
    """The error Oxigraph raises when the folder cannot be written (as a non-root user on a chmod a-w folder);
    root ignores permissions, so the test feeds that error to the store."""
    real = ox.Store

    class NoWrite:
        read_only = staticmethod(real.read_only)

        def __new__(cls, path: str) -> ox.Store:
            raise PermissionError(f"IO error: While open a file for appending: {path}/000021.log: Permission denied")

    monkeypatch.setattr(ox, "Store", NoWrite)
    with EmbeddedStore(store_dir) as s:
        assert s.read_only and s.count(TARGET) == 12
        assert any("read-only" in n for n in s.notices) and not any("another" in n for n in s.notices)
        with pytest.raises(StoreError, match="read-only"):
            load_source(s, "rdf", fixtures / "foundation" / "small.ttl", graph=str(GRAPH["t/other"]))
        with pytest.raises(StoreError, match="read-only"):
            s.drop_graph(TARGET)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions; the monkeypatched test covers it")
def test_read_only_folder_for_real(store_dir: Path) -> None:
    for p in [store_dir, *store_dir.iterdir()]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        with EmbeddedStore(store_dir) as s:
            assert s.read_only and s.count(TARGET) == 12
    finally:
        for p in [store_dir, *store_dir.iterdir()]:
            p.chmod(0o755 if p.is_dir() else 0o644)


@pytest.mark.parametrize("args", [
    ("export", "--format", "nq", "-o", "{missing}/x.nq"),
    ("export", "--graph", "t/small", "-o", "{missing}/x.ttl"),
    ("query", "ontology-classes", "--format", "csv", "-o", "{missing}/x.csv"),
])
def test_output_that_cannot_be_written_names_the_path(capsys: pytest.CaptureFixture[str], store_dir: Path,
                                                      tmp_path: Path, args: tuple[str, ...]) -> None:
    missing = tmp_path / "nonexistent" / "dir"
    before = (store_dir / "CURRENT").read_bytes()
    code, _, err = run_cli(capsys, store_dir, *(a.format(missing=missing) for a in args))
    assert code == 2 and "Traceback" not in err
    assert f"cannot write {missing}" in err and "does not exist" in err
    assert not missing.exists() and (store_dir / "CURRENT").read_bytes() == before
