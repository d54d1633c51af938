"""Bad input on the store paths (`--graph`, `--version`, `drop`): each case exits 2 with a message, prints no
traceback, and leaves the store byte-for-byte as it was (hash of its sorted N-Quads export)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH
from mcgraph.store import EmbeddedStore
from store_contract import fingerprint

INJECTION = '"> } ; DROP ALL ; #'

GRAPH_VALUES = [
    "", "   ", "meta", "<https://w3id.org/mcgraph/graph/meta>", "ontology", "frameworks/eqf", "inferred/closure",
    "../meta", "t/../../meta", "t/./small", "%2e%2e/meta", "t/small#load", "t/small?x=1",
    "x y", "a>b", "https://w3id.org/mcgraph/graph/x> ; DROP ALL ; <y", f"t/{INJECTION}", "t/\u0000nul",
    "<not an iri>", "t/small",  # the last: already loaded, no --replace
]
VERSION_VALUES = ["../../meta", "1/../../../meta", "..", "./x", "a b", "x>y", f"1{INJECTION}", "1#load", "%2E%2E"]
DROP_VALUES = [
    "", "meta", "ontology", "frameworks/eqf", "nowhere", "../meta", "t/../t/small", "t/small#load", "t/small#file-1",
    "https://w3id.org/mcgraph/graph/t", "x y", "<>", f"t/{INJECTION}", "urn:nothing",
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store with one loaded graph and two reserved ones; its fingerprint."""
    path = tmp_path_factory.mktemp("bad") / "store"
    small = Path(__file__).parent / "fixtures" / "foundation" / "small.ttl"
    with EmbeddedStore(path) as s:
        load_source(s, "rdf", small, graph=str(GRAPH["t/small"]))
        load_source(s, "rdf", small, graph=str(GRAPH["ontology"]), reserved_ok=True)
        load_source(s, "rdf", small, graph=str(GRAPH["frameworks/eqf"]), reserved_ok=True)  # as build writes it
        return path, fingerprint(s)


@pytest.fixture
def seeded(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    """A fresh copy of the template store for each case (a case that fails cannot spoil the next)."""
    copy = tmp_path / "store"
    shutil.copytree(template[0], copy)
    return copy, template[1]


def assert_refused(capsys: pytest.CaptureFixture[str], seeded: tuple[Path, str], *args: str) -> None:
    store, before = seeded
    code, out, err = run_cli(capsys, store, *args)
    assert code == 2, (args, out, err)
    assert "Traceback" not in err and err.strip()
    with EmbeddedStore(store) as s:
        assert fingerprint(s) == before, args


@pytest.mark.parametrize("value", GRAPH_VALUES)
def test_bad_graph_values(capsys: pytest.CaptureFixture[str], seeded: tuple[Path, str], fixtures: Path,
                          value: str) -> None:
    assert_refused(capsys, seeded, "load", str(fixtures / "foundation" / "small.ttl"), "--graph", value)


@pytest.mark.parametrize("value", [v for v in GRAPH_VALUES if v != "t/small"])
def test_bad_graph_values_with_replace(capsys: pytest.CaptureFixture[str], seeded: tuple[Path, str], fixtures: Path,
                                       value: str) -> None:
    assert_refused(capsys, seeded, "load", str(fixtures / "foundation" / "small.ttl"), "--graph", value, "--replace")


@pytest.mark.parametrize("value", VERSION_VALUES)
def test_bad_version_values(capsys: pytest.CaptureFixture[str], seeded: tuple[Path, str], fixtures: Path,
                            value: str) -> None:
    assert_refused(capsys, seeded, "load", "skos", str(fixtures / "foundation" / "small.ttl"), "--version", value,
                   "--replace")


@pytest.mark.parametrize("value", DROP_VALUES)
def test_bad_drop_arguments(capsys: pytest.CaptureFixture[str], seeded: tuple[Path, str], value: str) -> None:
    assert_refused(capsys, seeded, "drop", value)


def test_a_good_drop_still_works(capsys: pytest.CaptureFixture[str], tmp_path: Path, fixtures: Path) -> None:
    store = tmp_path / "store"
    assert run_cli(capsys, store, "load", str(fixtures / "foundation" / "small.ttl"), "--graph", "t/small")[0] == 0
    code, out, _ = run_cli(capsys, store, "drop", "t/small")
    assert code == 0 and "dropped" in out
    with EmbeddedStore(store) as s:
        assert s.count() == 0
