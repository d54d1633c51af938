"""Reading the metadata graph, the same way on every backend: load records and triple counts.

The queries are files in ``queries/internal/`` (read here as text, so the store does not depend on the
:mod:`mcgraph.queries` module that runs named queries *on* a store).
"""

from __future__ import annotations

from functools import cache

from ..namespaces import MCG, META_GRAPH
from ..resources import resource_path
from .base import GraphInfo, GraphStore, SourceFile, iri

REPLACING = str(MCG.replaceStarted)
"""Set on a loaded graph (in the metadata graph) while a replace writes it."""
STAGING = "#staging-"
"""What names a staging graph (``<graph>#staging-<uuid>``): never a loaded graph (graph names take no fragment)."""


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
    sources: dict[str, list[SourceFile]] = {}
    for r in store.query(internal_query("load-record-files")):
        sources.setdefault(r["g"].value, []).append(  # type: ignore[union-attr]
            SourceFile(r["name"].value, r["sha256"].value, int(r["size"].value)))  # type: ignore[union-attr]
    reserved = set(reserved_graphs(store))
    out = []
    for g in sorted((set(counts) | set(meta)) - {str(META_GRAPH)}):  # a load of no triples has a record only
        source, version, at, files = meta.get(g, (None, None, None, ()))
        out.append(GraphInfo(g, counts.get(g, 0), source, version, at, files, tuple(sources.get(g, ())),
                             g in reserved))
    return out


def reserved_graphs(store: GraphStore, graph: str | None = None) -> list[str]:
    """The graphs whose load record marks them reserved (``mcg:reserved``), or whether ``graph`` is one
    (a list of it or of nothing)."""
    bindings = {"g": iri(graph)} if graph is not None else None
    return [r[0].value for r in store.query(internal_query("reserved-graphs"), bindings).rows]  # type: ignore[union-attr]


def staging_graphs(names: list[str]) -> list[str]:
    """The staging graphs among ``names``: left by a replace that was stopped (kill -9, power cut)."""
    return [g for g in names if STAGING in g]


def interrupted_replaces(store: GraphStore) -> list[tuple[str, str]]:
    """Loaded graphs whose replace started and never ended, with when it started."""
    return [(r["g"].value, r["started"].value) for r in store.query(internal_query("interrupted-replaces"))]  # type: ignore[union-attr]


def interrupted_notice(graph: str, started: str) -> str:
    return (f"graph <{graph}> was being replaced when a process stopped (at {started[:19]}): it holds old and "
            "new triples mixed; run the same `mcgraph load … --replace` again to finish it")
