"""The inferred graphs (``graph/inferred/…``): reserved graphs that only the reasoning code writes and drops."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from ..namespaces import GRAPH
from ..store import GraphStore, LoadRecord

INFERRED_GRAPHS = {"classes": str(GRAPH["inferred/classes"]), "closure": str(GRAPH["inferred/closure"])}


def write_inferred(store: GraphStore, graph: str, triples: Sequence[ox.Triple], record: LoadRecord) -> int:
    """Replace ``graph`` with ``triples`` (with its load record); nothing inferred drops an earlier graph."""
    exists = store.contains_graph(graph)
    if not triples:
        if exists:
            store.drop_graph(graph, reserved_ok=True)
        return 0
    return store.write_graph(graph, triples, record, replace=exists, reserved_ok=True)


def drop_inferred(store: GraphStore, which: str = "all") -> list[str]:
    """Drop ``classes``, ``closure`` or ``all`` inferred graphs; returns the graphs dropped."""
    names = list(INFERRED_GRAPHS) if which == "all" else [which]
    dropped = []
    for name in names:
        graph = INFERRED_GRAPHS[name]
        if store.contains_graph(graph):
            store.drop_graph(graph, reserved_ok=True)
            dropped.append(graph)
    return dropped
