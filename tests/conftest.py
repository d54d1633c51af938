"""Shared fixtures: a fresh store, the repository's resources, and the real public data (when present)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mcgraph.build import build
from mcgraph.cli import main
from mcgraph.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(os.environ.get("MCGRAPH_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()


def shared_path(*parts: str) -> Path:
    """A path inside the real public data; skips the test (with the reason) when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} is absent (set MCGRAPH_SHARED_DATA to the folder "
                    "holding esco/, oasis/, onet/, crosswalks/ … to run this test)")
    return path


def run_cli(capsys: pytest.CaptureFixture[str], store: Path, *args: str) -> tuple[int, str, str]:
    """Run ``mcgraph --store STORE ARGS`` in-process; returns (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exit_:
        main(["--store", str(store), *args])
    out = capsys.readouterr()
    return int(exit_.value.code or 0), out.out, out.err


@pytest.fixture(scope="session")
def built_store() -> EmbeddedStore:
    """An in-memory store with `mcgraph build` done once per session. Read-only: never load into it."""
    store = EmbeddedStore()
    list(build(store))
    return store


@pytest.fixture(scope="session")
def built_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder with `mcgraph build` done once per session, for CLI tests. Read-only: never load into it."""
    path = tmp_path_factory.mktemp("built") / "store"
    with EmbeddedStore(path) as store:
        list(build(store))
    return path


@pytest.fixture
def opened_built_store(built_store_dir: Path) -> EmbeddedStore:
    """The session's built store folder, opened (closed again after the test)."""
    with EmbeddedStore(built_store_dir) as s:
        yield s


@pytest.fixture
def store() -> EmbeddedStore:
    """An empty in-memory store."""
    return EmbeddedStore()


@pytest.fixture
def disk_store(tmp_path: Path) -> EmbeddedStore:
    """An empty on-disk store in a temporary folder."""
    with EmbeddedStore(tmp_path / "store") as s:
        yield s


@pytest.fixture
def shared_data() -> Path:
    """The real public data folder (skips where absent)."""
    return shared_path()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
