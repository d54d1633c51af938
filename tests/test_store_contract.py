"""The store contract (tests/store_contract.py) run against every backend.

A backend joins by adding one factory to :data:`FACTORIES`: a function of a temporary folder returning a fresh,
empty store (skip there, with the reason, when the backend is not available on this machine).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine_support import ENGINES, engine_factory
from mcgraph.store import EmbeddedStore, GraphStore, open_store
from store_contract import *  # noqa: F403  (the contract's tests, collected here)

StoreFactory = Callable[[Path], GraphStore]


def embedded_in_memory(tmp_path: Path) -> GraphStore:
    return EmbeddedStore()


def embedded_on_disk(tmp_path: Path) -> GraphStore:
    return open_store(tmp_path / "store")


FACTORIES: dict[str, StoreFactory] = {
    "embedded-memory": embedded_in_memory,
    "embedded-disk": embedded_on_disk,
    # The real engines started by scripts/test-engines.sh (skipped, with the reason, when not running).
    **{name: engine_factory(name) for name in ENGINES},
}


@pytest.fixture(params=sorted(FACTORIES))
def contract_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    store = FACTORIES[request.param](tmp_path)
    assert isinstance(store, GraphStore)
    try:
        yield store
    finally:
        store.close()
