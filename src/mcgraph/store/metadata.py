"""Reading the metadata graph, the same way on every backend: load records and triple counts.

The queries are files in ``queries/internal/`` (read here as text, so the store does not depend on the
:mod:`mcgraph.queries` module that runs named queries *on* a store).
"""

from __future__ import annotations

from functools import cache

from ..namespaces import META_GRAPH
from ..resources import resource_path
from .base import GraphInfo, GraphStore, iri


@cache
def internal_query(name: str) -> str:
    """The text of ``queries/internal/<name>.rq``."""
    return resource_path("queries", f"internal/{name}.rq").read_text(encoding="utf-8")


def graph_triples(store: GraphStore, graph: str) -> int:
    """Triples in one named graph (0 when it does not exist)."""
    rows = store.query(internal_query("graph-counts"), {"g": iri(graph)}).rows
    return int(rows[0][1].value) if rows else 0  # type: ignore[union-attr]


def read_graph_records(store: GraphStore) -> list[GraphInfo]:
    """Every named graph (but the metadata graph) with its triple count and load record."""
    counts = {r["g"].value: int(r["n"].value) for r in store.query(internal_query("graph-counts"))}  # type: ignore[union-attr]
    meta = {}
    for r in store.query(internal_query("load-records")):
        files = r["files"].value.split("|") if r["files"] is not None and r["files"].value else []  # type: ignore[union-attr]
        meta[r["g"].value] = (r["source"].value, r["version"].value if r["version"] else None,  # type: ignore[union-attr]
                              r["at"].value, tuple(sorted(files)))  # type: ignore[union-attr]
    out = []
    for g in sorted(set(counts) - {str(META_GRAPH)}):
        source, version, at, files = meta.get(g, (None, None, None, ()))
        out.append(GraphInfo(g, counts[g], source, version, at, files))
    return out
