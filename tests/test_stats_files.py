"""Issue 13, item 16: `mcgraph stats` shows each file a graph was loaded from with its SHA-256 (short in the
table, full in --format json) and size, as recorded in the metadata graph."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import run_cli
from mcgraph.cli import app


@pytest.fixture
def loaded(capsys: pytest.CaptureFixture[str], tmp_path: Path, fixtures: Path) -> tuple[Path, Path]:
    small = fixtures / "foundation" / "small.ttl"
    store = tmp_path / "store"
    code, _, err = run_cli(capsys, store, "load", str(small), "--graph", "t/small")
    assert code == 0, err
    return store, small


def test_stats_table_shows_short_hash_and_size(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                               loaded: tuple[Path, Path]) -> None:
    store, small = loaded
    monkeypatch.setattr(app.console, "width", 200)  # one table row per line
    digest = hashlib.sha256(small.read_bytes()).hexdigest()
    code, out, _ = run_cli(capsys, store, "stats")
    assert code == 0
    [row] = [line for line in out.splitlines() if "t/small" in line]
    assert f"small.ttl ({digest[:12]}, {small.stat().st_size} B)" in row and digest not in out


def test_stats_json_has_full_hash_and_size(capsys: pytest.CaptureFixture[str], loaded: tuple[Path, Path]) -> None:
    store, small = loaded
    code, out, _ = run_cli(capsys, store, "stats", "--format", "json")
    assert code == 0
    [graph] = json.loads(out)
    assert graph["files"] == ["small.ttl"]
    assert graph["sources"] == [{"name": "small.ttl", "sha256": hashlib.sha256(small.read_bytes()).hexdigest(),
                                 "size": small.stat().st_size}]
