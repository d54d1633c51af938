"""The command line: exit codes (0 ok, 1 problems, 2 error), messages that say where, stats unchanged on failure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

INJECTION = '"> } ; DROP ALL ; #'


run = run_cli


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


def graph_counts(capsys: pytest.CaptureFixture[str], store: Path) -> dict[str, int]:
    code, out, _ = run(capsys, store, "stats", "--format", "json")
    assert code == 0
    return {g["graph"]: g["triples"] for g in json.loads(out)}


def test_build_then_stats_lists_ontology_with_metadata(capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    code, out, _ = run(capsys, store_dir, "build")
    assert code == 0 and "ontology" in out
    code, out, _ = run(capsys, store_dir, "stats", "--format", "json")
    graphs = {g["graph"].rsplit("/", 1)[-1]: g for g in json.loads(out)}
    onto = graphs["ontology"]
    assert onto["triples"] > 500 and onto["source"] == "rdf"
    assert onto["files"] == ["alignments.ttl", "mcgraph.ttl"] and onto["loaded_at"]


def test_build_twice_gives_the_same_store(capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    run(capsys, store_dir, "build")
    first = graph_counts(capsys, store_dir)
    run(capsys, store_dir, "build")
    assert graph_counts(capsys, store_dir) == first


def test_broken_file_exits_2_names_line_3_and_changes_nothing(
        capsys: pytest.CaptureFixture[str], store_dir: Path, fixtures: Path) -> None:
    run(capsys, store_dir, "build")
    before = graph_counts(capsys, store_dir)
    code, _, err = run(capsys, store_dir, "load", str(fixtures / "foundation" / "broken.ttl"))
    assert code == 2
    assert "broken.ttl" in err and "line 3" in err
    assert graph_counts(capsys, store_dir) == before


def test_load_file_into_named_graph_and_export(capsys: pytest.CaptureFixture[str], store_dir: Path,
                                               fixtures: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, store_dir, "load", str(fixtures / "foundation" / "small.ttl"), "--graph", "demo/small")
    assert code == 0 and "12" in out
    code, out, _ = run(capsys, store_dir, "export", "--graph", "demo/small", "--format", "nt")
    assert code == 0 and len(out.strip().splitlines()) == 12
    target = tmp_path / "out.jsonld"
    code, _, _ = run(capsys, store_dir, "export", "--graph", "demo/small", "--format", "jsonld", "-o", str(target))
    assert code == 0 and isinstance(json.loads(target.read_text()), list)
    code, _, err = run(capsys, store_dir, "load", str(fixtures / "foundation" / "small.ttl"), "--graph", "demo/small")
    assert code == 2 and "--replace" in err


def test_query_parameter_injection_drops_nothing(capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    run(capsys, store_dir, "build")
    before = graph_counts(capsys, store_dir)
    code, out, _ = run(capsys, store_dir, "query", "label-search", "-p", f"text={INJECTION}", "--format", "csv")
    assert code == 0 and out.strip().splitlines() == ["concept,label,scheme"]
    assert graph_counts(capsys, store_dir) == before


@pytest.mark.parametrize("args,message", [
    (("query", "no-such-query"), "no query named 'no-such-query'"),
    (("query", "label-search"), "needs parameter 'text'"),
    (("query", "label-search", "-p", "txt=a"), "no parameter 'txt'"),
    (("query", "label-search", "-p", "text"), "is not NAME=VALUE"),
    (("load", "nosuchsource-or-file"), "no such file"),
    (("export", "--graph", "nowhere"), "no graph"),
    (("drop", "nowhere"), "no graph"),
])
def test_errors_exit_2_with_a_clear_message(capsys: pytest.CaptureFixture[str], store_dir: Path,
                                            args: tuple[str, ...], message: str) -> None:
    code, _, err = run(capsys, store_dir, *args)
    assert code == 2
    assert message in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    code, _, err = run(capsys, store_dir, "query")
    assert code == 2 and "Missing argument" in err


def test_python_dash_m_and_store_env(tmp_path: Path) -> None:
    env = {"MCGRAPH_STORE": str(tmp_path / "envstore"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "mcgraph", "build"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "envstore").is_dir()


def test_source_options_reach_the_source(capsys: pytest.CaptureFixture[str], store_dir: Path, fixtures: Path) -> None:
    ttl = fixtures / "foundation" / "small.ttl"
    code, _, err = run(capsys, store_dir, "load", "skos", str(ttl), "-O", "nosuch=1")
    assert code == 2 and "no option 'nosuch'" in err and "strict" in err
    code, out, _ = run(capsys, store_dir, "load", "skos", str(ttl), "-O", "strict=true", "--graph", "demo/skos")
    assert code == 0 and "12" in out
    code, _, err = run(capsys, store_dir, "load", "crosswalk", str(ttl), "-O", "kind=nope")
    assert code == 2 and "unknown crosswalk kind 'nope'" in err


def test_each_catalogue_file_gets_its_own_graph(capsys: pytest.CaptureFixture[str], store_dir: Path) -> None:
    run(capsys, store_dir, "build")
    example = Path(__file__).resolve().parents[1] / "data" / "catalog" / "example.csv"
    code, out, err = run(capsys, store_dir, "load", "credentials", str(example))
    assert code == 0, err
    counts = graph_counts(capsys, store_dir)
    assert counts["https://w3id.org/mcgraph/graph/catalog/example"] > 0
    assert counts["https://w3id.org/mcgraph/graph/catalog/sample"] > 0


def test_graph_name_cannot_smuggle_an_update(capsys: pytest.CaptureFixture[str], store_dir: Path, fixtures: Path) -> None:
    run(capsys, store_dir, "build")
    before = graph_counts(capsys, store_dir)
    small = str(fixtures / "foundation" / "small.ttl")
    for name in ["x> ; DROP ALL ; <http://y", "ontology> ; DROP ALL ; <http://y"]:
        code, _, err = run(capsys, store_dir, "load", small, "--graph", name, "--replace")
        assert code == 2 and "not a valid graph IRI" in err
    assert graph_counts(capsys, store_dir) == before
