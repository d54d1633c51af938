"""Packaging: resources are read live from the repository in an editable install and ship inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import mcgraph
from mcgraph.resources import resource_dir, resource_path, resource_root

REPO = Path(__file__).resolve().parents[1]


def test_editable_install_reads_the_repository() -> None:
    assert resource_root() == REPO
    assert resource_dir("queries") == REPO / "queries"


def test_unknown_resource_names_where_it_looked() -> None:
    with pytest.raises(mcgraph.SourceNotFoundError, match="no ontology resource 'nope.ttl'"):
        resource_path("ontology", "nope.ttl")


def test_public_api_is_sorted_and_importable() -> None:
    assert mcgraph.__all__ == sorted(mcgraph.__all__)
    for name in mcgraph.__all__:
        assert hasattr(mcgraph, name), name


@pytest.mark.slow
def test_wheel_ships_ontology_shapes_queries_and_data(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
                          capture_output=True, text=True)
    if done.returncode != 0 and "No matching distribution" in done.stderr:
        pytest.skip("the build backend (hatchling) cannot be installed here: no package index")
    assert done.returncode == 0, done.stderr
    [wheel] = tmp_path.glob("mcgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in ("ontology", "queries", "data"):
        shipped = {n for n in names if n.startswith(f"mcgraph/_resources/{kind}/")}
        in_repo = {f"mcgraph/_resources/{p.relative_to(REPO).as_posix()}" for p in (REPO / kind).rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}
        assert in_repo <= shipped, f"{kind}: missing from the wheel: {sorted(in_repo - shipped)[:5]}"
    assert "mcgraph/_resources/ontology/mcgraph.ttl" in names
