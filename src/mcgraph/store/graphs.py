"""Which graphs a write may touch: graph names are checked, and reserved graphs belong to the code that owns them.

The rule, the same for every backend and every way in (``mcgraph load``, ``drop``, the Python API):

* a graph name is an absolute IRI without ``.``/``..`` path segments (also percent-encoded), without a
  ``#fragment`` or ``?query`` (fragments name the parts of a load record and staging graphs): refused, never
  normalised, so what you typed is what is stored;
* a load writes only into its own graph: a quad naming another graph (TriG, N-Quads, JSON-LD named graphs)
  is refused with the file (and line where it can be found) — see :func:`foreign_graph_error`;
* the metadata graph ``graph/meta`` is written only by the store itself (load records), never by a load or a drop;
* *reserved* graphs are written and dropped only by their owners, which pass ``reserved_ok=True``:
  ``graph/ontology``, ``graph/inferred/…`` (reasoning), and every graph an owner wrote — its load record says
  so (``mcg:reserved``), which is how the graphs ``mcgraph build`` writes (``frameworks/eqf`` …) are protected
  while a user may still load a framework of their own under ``frameworks/…``.

>>> check_graph("https://w3id.org/mcgraph/graph/rdf/../../meta")
Traceback (most recent call last):
...
mcgraph.errors.StoreError: graph IRI 'https://w3id.org/mcgraph/graph/rdf/../../meta' has a '..' segment: graph names cannot climb out of their folder; choose a name without '.' or '..' parts
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceFormatError, StoreError
from ..namespaces import GRAPH, META_GRAPH
from .base import graph_iri

RESERVED_GRAPHS = (str(GRAPH["ontology"]),)
"""Graphs only their owner writes (``reserved_ok=True``), whether or not they are loaded yet."""
RESERVED_PREFIXES = (str(GRAPH["inferred/"]),)
"""Folders of graphs only their owner writes: inferred triples."""
_DOT_SEGMENT = re.compile(r"^(?:\.|%2e){1,2}$", re.IGNORECASE)


def check_graph(graph: str) -> ox.NamedNode:
    """``graph`` as an IRI node when it may name a loaded graph; raises :class:`StoreError` saying why not."""
    node = graph_iri(graph)
    value = node.value
    for segment in value.split("/")[1:]:
        if _DOT_SEGMENT.match(segment):
            dots = ".." if len(segment.replace("%2e", ".").replace("%2E", ".")) == 2 else "."
            raise StoreError(f"graph IRI {value!r} has a {dots!r} segment: graph names cannot climb out of their "
                             "folder; choose a name without '.' or '..' parts")
    if "#" in value or "?" in value:
        raise StoreError(f"graph IRI {value!r} has a '#fragment' or '?query': graph names take neither "
                         "(fragments name the parts of a load record)")
    return node


def is_reserved(graph: str, *, built: bool = False) -> bool:
    """Whether ``graph`` is the metadata graph or a reserved graph (``built``: its load record says an owner
    wrote it)."""
    return built or graph == str(META_GRAPH) or graph in RESERVED_GRAPHS or graph.startswith(RESERVED_PREFIXES)


def check_writable(graph: str, *, reserved_ok: bool = False, built: bool = False,
                   action: str = "load into") -> ox.NamedNode:
    """``graph`` as an IRI node when this write may touch it; raises :class:`StoreError` otherwise.
    ``built`` says the graph's load record marks it as written by an owner (the store looks that up)."""
    node = check_graph(graph)
    if graph == str(META_GRAPH):
        raise StoreError(f"cannot {action} <{graph}>: it is the metadata graph holding every load record, "
                         "written only by the store itself")
    if is_reserved(graph, built=built) and not reserved_ok:
        raise StoreError(f"cannot {action} <{graph}>: it is a reserved graph written only by `mcgraph build` "
                         "(the ontology and the graphs it built) or by reasoning (inferred/…); load your data "
                         "under another graph name (--graph), or run `mcgraph build` to rebuild it")
    return node


def foreign_graph_error(path: str | Path, graph: ox.NamedNode | ox.BlankNode, target: str,
                        number: int) -> SourceFormatError:
    """The error for quad number ``number`` of ``path`` naming ``graph`` instead of the load's own ``target``;
    the line is the first line of the file that spells the graph's name, when one does."""
    name = f"<{graph.value}>" if isinstance(graph, ox.NamedNode) else f"_:{graph.value}"
    return SourceFormatError(
        path, f"quad {number:,} names graph {name}: a load writes only into its own graph <{target}>; save "
        "the triples without graph names (Turtle, N-Triples) and load them with --graph NAME",
        line=_line_of(path, graph.value))


def _line_of(path: str | Path, text: str) -> int | None:
    p = Path(path)
    if not p.is_file() or p.name.endswith(".gz"):
        return None
    needle = text.encode("utf-8")
    with p.open("rb") as fh:
        for n, line in enumerate(fh, start=1):
            if needle in line:
                return n
    return None
