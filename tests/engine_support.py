"""The real SPARQL engines the tests compare against, as started by ``scripts/test-engines.sh``.

The script writes the endpoints to ``DIR/engines.env``; sourcing it sets the variables read here. A test that
needs an engine whose variable is unset skips, naming the variable and the script. Tests share one server per
engine, so each takes the engine's lock (a file lock: pytest-xdist workers are processes) for as long as it
uses the server, and starts from an empty dataset.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcgraph.store import GraphStore
from mcgraph.store.remote import ENGINE_GRAPHS, RemoteStore

START = "scripts/test-engines.sh start DIR && . DIR/engines.env"


@dataclass(frozen=True)
class Engine:
    """One engine under test: where it answers and how to sign in."""

    name: str
    url_env: str
    graph_store_env: str | None = None
    user_env: str | None = None
    password_env: str | None = None

    def available(self) -> bool:
        return bool(os.environ.get(self.url_env))

    def skip_unless_available(self) -> None:
        if not self.available():
            pytest.skip(f"{self.name} not running: ${self.url_env} is unset (start it with `{START}`)")

    def store(self, **options: object) -> RemoteStore:
        """A RemoteStore on this engine (the test's own options override the engine's)."""
        self.skip_unless_available()
        kwargs: dict[str, object] = {}
        if self.graph_store_env and os.environ.get(self.graph_store_env):
            kwargs["graph_store_endpoint"] = os.environ[self.graph_store_env]
        if self.user_env and os.environ.get(self.user_env):
            kwargs["user"] = os.environ[self.user_env]
            kwargs["password"] = os.environ.get(self.password_env or "", "")
        kwargs.update(options)
        return RemoteStore(os.environ[self.url_env], **kwargs)  # type: ignore[arg-type]


OXIGRAPH = Engine("Oxigraph server", "MCGRAPH_TEST_OXIGRAPH_URL")
VIRTUOSO = Engine("Virtuoso", "MCGRAPH_TEST_VIRTUOSO_URL", "MCGRAPH_TEST_VIRTUOSO_GRAPH_STORE_URL",
                  "MCGRAPH_TEST_VIRTUOSO_USER", "MCGRAPH_TEST_VIRTUOSO_PASSWORD")
ENGINES = {"oxigraph-server": OXIGRAPH, "virtuoso": VIRTUOSO}


class EngineLock:
    """An exclusive lock on one engine's server, shared by every test process on this machine."""

    def __init__(self, engine: Engine) -> None:
        key = hashlib.sha256(os.environ.get(engine.url_env, engine.name).encode()).hexdigest()[:16]
        self.path = Path(tempfile.gettempdir()) / f"mcgraph-test-engine-{key}.lock"
        self._fh = None

    def acquire(self) -> None:
        self._fh = open(self.path, "a+")  # noqa: SIM115  (held until release)
        fcntl.flock(self._fh, fcntl.LOCK_EX)

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


def wipe(store: RemoteStore) -> None:
    """Drop every graph but the engine's own, so the test starts from an empty dataset."""
    graphs = [g for g in store.named_graphs() if g not in ENGINE_GRAPHS]
    if graphs:
        store.run_update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs),
                     timeout=store._long_timeout(store.count()))
    assert store.named_graphs() == []


class LockedStore(RemoteStore):
    """A RemoteStore holding its engine's lock from creation (dataset wiped) until :meth:`close`."""

    lock: EngineLock

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.lock.release()


def locked_store(engine: Engine, **options: object) -> LockedStore:
    """A fresh, empty store on ``engine``, locked for the caller until it is closed."""
    plain = engine.store(**options)
    store = LockedStore(plain.endpoint, update_endpoint=plain.update_endpoint,
                        graph_store_endpoint=plain.graph_store_endpoint(), user=plain._user,
                        password=plain._password, timeout=plain.timeout)
    store.lock = EngineLock(engine)
    store.lock.acquire()
    try:
        wipe(store)
    except BaseException:
        store.lock.release()
        raise
    return store


def engine_factory(name: str) -> Callable[[Path], GraphStore]:
    """A contract-suite factory (a function of a temp folder) for one engine."""

    def factory(tmp_path: Path) -> GraphStore:
        return locked_store(ENGINES[name])

    factory.__name__ = name.replace("-", "_")
    return factory


def copy_dataset(source: GraphStore, target: RemoteStore) -> None:
    """Every named graph of ``source`` (metadata graph included) into ``target``, quad for quad, so both hold
    the same dataset (the same load records and times too)."""
    quads = list(ox.parse(source.dump(fmt=ox.RdfFormat.N_QUADS) or b"", format=ox.RdfFormat.N_QUADS))
    by_graph: dict[str, list[ox.Triple]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, []).append(q.triple)  # type: ignore[union-attr]
    for graph, triples in by_graph.items():
        target.post_graph(ox.NamedNode(graph), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    assert target.count() == len(quads), f"{target!r} holds {target.count()} quads, the source {len(quads)}"
