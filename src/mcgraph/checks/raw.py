"""The engine-neutral form of one SHACL validation result (rdflib terms), and SHACL paths as text."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node


@dataclass(frozen=True)
class RawResult:
    """One result as an engine produces it, before it is explained (see :mod:`mcgraph.checks.shacl`)."""

    focus: Node
    shape: Node
    severity: str
    component: str
    path: str | None = None
    value: Node | None = None
    message: str | None = None


def path_text(graph: Graph, node: Node) -> str:
    """A SHACL path as SPARQL property-path text (``<p>``, ``^<p>``, ``(<a>/<b>)``, ``(<a>|<b>)``, ``<p>*`` …).

    >>> from rdflib import URIRef
    >>> path_text(Graph(), URIRef("http://ex/p"))
    '<http://ex/p>'
    """
    if isinstance(node, URIRef):
        return f"<{node}>"
    if not isinstance(node, BNode):
        raise ValueError(f"not a SHACL path: {node!r}")
    if (node, RDF.first, None) in graph:
        return "(" + "/".join(path_text(graph, n) for n in Collection(graph, node)) + ")"
    for prop, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                      (SH.zeroOrOnePath, "{}?")):
        inner = graph.value(node, prop)
        if inner is not None:
            text = path_text(graph, inner)
            return fmt.format(text if isinstance(inner, URIRef) or text.startswith("(") else f"({text})")
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path_text(graph, n) for n in Collection(graph, alternatives)) + ")"
    raise ValueError(f"not a SHACL path: {node!r}")


def path_key(text: str | None) -> str | None:
    """The path as a result shows it: a plain IRI for a predicate path, the SPARQL text otherwise."""
    if text is None:
        return None
    if text.startswith("<") and text.endswith(">") and text.count("<") == 1:
        return text[1:-1]
    return text


__all__ = ["RawResult", "path_key", "path_text"]
