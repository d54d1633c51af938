"""Graph stores behind one protocol: the embedded Oxigraph store (default, on disk) and remote engines.

* :mod:`.base` — the :class:`GraphStore` protocol and its value types (no engine);
* :mod:`.embedded` — :class:`EmbeddedStore`, pyoxigraph in the process;
* :mod:`.metadata` — reading load records and counts, the same on every backend.

:func:`open_store` picks the backend: a folder opens the embedded store, an ``http(s)://`` URL a remote
SPARQL engine (``mcgraph.store.remote``).

>>> EmbeddedStore().location is None     # in memory; open_store(folder) or EmbeddedStore(folder) on disk
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import StoreError
from .base import (STORE_ENV, GraphInfo, GraphStore, LoadRecord, QueryResult, SourceFile, Term,
                   default_store_path, graph_iri, iri)
from .embedded import EmbeddedStore

REMOTE_SCHEMES = ("http://", "https://")


def is_remote(location: str | Path) -> bool:
    """Whether ``location`` names a remote SPARQL endpoint (an ``http(s)://`` URL) rather than a folder."""
    return str(location).lower().startswith(REMOTE_SCHEMES)


def open_store(location: str | Path | None = None) -> GraphStore:
    """Open the store at ``location``: a folder (default: :func:`default_store_path`) opens the embedded
    store; an ``http(s)://`` URL opens the remote backend on that SPARQL endpoint."""
    if location is not None and is_remote(location):
        try:
            from .remote import RemoteStore  # type: ignore[import-not-found]
        except ImportError as exc:  # the remote backend is optional
            raise StoreError(f"cannot open {location}: the remote store backend is not available ({exc})") from exc
        return RemoteStore(str(location))
    return EmbeddedStore(location if location is not None else default_store_path())


__all__: Sequence[str] = [
    "STORE_ENV", "EmbeddedStore", "GraphInfo", "GraphStore", "LoadRecord", "QueryResult", "SourceFile", "Term",
    "default_store_path", "graph_iri", "iri", "is_remote", "open_store",
]
