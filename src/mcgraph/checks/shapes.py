"""The shapes graph: ``shapes/core.ttl``, ``shapes/limits.ttl`` with the shapes generated from the framework limits,
and one ``shapes/<framework short name>.ttl`` per micro-credential framework, parsed once.

Every shape knows its framework (by the file it is in, or the limit it was generated from; core shapes have
none), its label, severity and sources, so that results can be grouped and explained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, SH

from ..errors import McgraphError
from ..queries import get_query
from ..resources import resource_dir
from ..store import GraphStore
from .limits import limit_shapes

CORE_FILES = ("core.ttl", "limits.ttl")


@dataclass(frozen=True)
class Framework:
    """A micro-credential framework as validation sees it."""

    iri: str
    short: str
    label: str
    jurisdiction: str | None


@dataclass(frozen=True)
class Rule:
    """What a shape is: framework (None for core), label, severity IRI, sources, and its file."""

    iri: str
    framework: str | None
    label: str | None
    severity: str | None
    sources: tuple[str, ...]
    origin: str


@dataclass
class ShapeSet:
    """The parsed shapes graph with an index of its rules."""

    graph: Graph
    rules: dict[str, Rule] = field(default_factory=dict)
    frameworks: dict[str, Framework] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def framework_of(self, shape: str) -> str | None:
        rule = self.rules.get(shape)
        return rule.framework if rule else None


def shapes_dir() -> Path:
    return resource_dir("shapes")


@cache
def _parse(path: Path, mtime_ns: int) -> Graph:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds of syntax errors  # noqa: BLE001
        raise McgraphError(f"{path}: not valid Turtle: {exc}") from exc
    return g


def parse_shapes_file(path: Path) -> Graph:
    """A shapes file parsed with rdflib (cached until the file changes)."""
    return _parse(path, path.stat().st_mtime_ns)


def frameworks(store: GraphStore) -> dict[str, Framework]:
    """The micro-credential frameworks in the store, by short name."""
    out = {}
    for row in get_query("framework-index").run(store):
        short = row["short"].value  # type: ignore[union-attr]
        out[short] = Framework(row["fw"].value, short,  # type: ignore[union-attr]
                               row["label"].value if row["label"] is not None else short,
                               row["jurisdiction"].value if row["jurisdiction"] is not None else None)
    return out


def _shape_nodes(g: Graph) -> set[URIRef | BNode]:
    nodes: set[URIRef | BNode] = set()
    for t in (SH.NodeShape, SH.PropertyShape):
        nodes.update(g.subjects(RDF.type, t))  # type: ignore[arg-type]
    for p in (SH.path, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property,
              SH.sparql):
        nodes.update(s for s in g.subjects(p, None) if p != SH.sparql or (s, RDF.type, SH.SPARQLConstraint) not in g)
    nodes.update(g.objects(None, SH.property))  # type: ignore[arg-type]
    return nodes


def _index(g: Graph, framework: str | None, origin: str, rules: dict[str, Rule]) -> None:
    for node in _shape_nodes(g):
        if not isinstance(node, URIRef):
            continue
        label = g.value(node, RDFS.label)
        severity = g.value(node, SH.severity)
        rules[str(node)] = Rule(str(node), framework, str(label) if label is not None else None,
                                str(severity) if severity is not None else None,
                                tuple(sorted(str(s) for s in g.objects(node, DCTERMS.source))), origin)


def load_shapes(store: GraphStore, selected: list[str] | None = None, *, directory: Path | None = None) -> ShapeSet:
    """Core and limit shapes plus the element shapes of the ``selected`` frameworks (short names; all when None).

    Raises :class:`McgraphError` naming an unknown framework or a shapes file that does not parse.
    """
    folder = directory or shapes_dir()
    known = frameworks(store)
    if selected is not None:
        unknown = sorted(set(selected) - set(known))
        if unknown:
            raise McgraphError(f"unknown framework(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    chosen = sorted(known) if selected is None else sorted(set(selected))
    graph, rules, files = Graph(), {}, []
    for name in CORE_FILES:
        g = parse_shapes_file(folder / name)
        graph += g
        _index(g, None, name, rules)
        files.append(name)
    for short in chosen:
        path = folder / f"{short}.ttl"
        if path.is_file():
            g = parse_shapes_file(path)
            graph += g
            _index(g, short, path.name, rules)
            files.append(path.name)
    generated, made = limit_shapes(store, set(chosen))
    graph += generated
    for m in made:
        rules[m.shape] = Rule(m.shape, m.framework, m.label, m.severity, m.sources, "generated from " + m.limit)
    return ShapeSet(graph, rules, {k: v for k, v in known.items() if k in chosen}, files)


def shapes_from_graph(graph: Graph) -> ShapeSet:
    """A shape set from any shapes graph (no frameworks; used for the W3C test suite)."""
    rules: dict[str, Rule] = {}
    _index(graph, None, "graph", rules)
    return ShapeSet(graph, rules)


__all__ = ["Framework", "Rule", "ShapeSet", "frameworks", "load_shapes", "parse_shapes_file", "shapes_from_graph"]
