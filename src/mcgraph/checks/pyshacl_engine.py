"""The reference engine: pySHACL, on a focus extract of the store (or a whole rdflib graph).

"prepared" (the default way mcgraph calls it) validates only what validation needs (the credentials, what
they point to, the frameworks data and the class hierarchy, fetched with one CONSTRUCT), with no inference, the
shapes parsed once, and every SPARQL text pySHACL sends parsed once and reused (pySHACL re-parses an
``sh:select`` for every focus node otherwise). "plain" is pySHACL as usually called: the same data, default
options, nothing cached (the baseline of the benchmark).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from ..queries import get_query
from ..store import GraphStore
from .raw import RawResult, path_text


@lru_cache(maxsize=512)
def _prepared(text: str) -> Any:
    return prepareQuery(text)


class PreparedQueryGraph(Graph):
    """An rdflib graph whose ``query`` parses each SPARQL text once (identical results, far fewer parses)."""

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(query_object, str):
            try:
                query_object = _prepared(query_object)
            except Exception:  # noqa: BLE001 - let rdflib raise its own error on the text
                pass
        return super().query(query_object, *args, **kwargs)


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def triples_to_graph(triples: Any, graph: Graph | None = None) -> Graph:
    """pyoxigraph triples in an rdflib graph."""
    g = graph if graph is not None else Graph()
    for t in triples:
        g.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))  # type: ignore[arg-type]
    return g


def extract(store: GraphStore, *, whole: bool = False, graph: Graph | None = None) -> Graph:
    """The focus extract of the store as an rdflib graph (``whole``: every triple)."""
    name = "graph-all-triples" if whole else "validation-extract"
    return triples_to_graph(get_query(name).run(store).triples, graph)


def run_pyshacl(data: Graph, shapes: Graph, *, plain: bool = False) -> Iterator[RawResult]:
    """Validate with pySHACL and yield its results in the engine-neutral form."""
    kwargs: dict[str, Any] = {} if plain else {"inference": "none", "advanced": False}
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, allow_infos=True, allow_warnings=True,
                                                 **kwargs)
    yield from results_from_report(report, shapes)


def results_from_report(report: Graph, shapes: Graph | None = None) -> Iterator[RawResult]:
    """Read the results of an ``sh:ValidationReport`` graph (pySHACL's, or an expected one of the test suite)."""
    for node in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(node, SH.resultPath)
        message = report.value(node, SH.resultMessage)
        value = report.value(node, SH.value)
        yield RawResult(
            focus=report.value(node, SH.focusNode),  # type: ignore[arg-type]
            shape=report.value(node, SH.sourceShape),  # type: ignore[arg-type]
            severity=str(report.value(node, SH.resultSeverity)),
            component=str(report.value(node, SH.sourceConstraintComponent) or ""),
            path=None if path is None else path_text(report, path),
            value=value,
            message=str(message) if message is not None else None,
        )


__all__ = ["PreparedQueryGraph", "extract", "results_from_report", "run_pyshacl", "triples_to_graph"]
