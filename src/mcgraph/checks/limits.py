"""Shapes for framework limits, generated from the limit nodes in the store (the numbers stay in the data).

For every ``mcg:Limit`` of a micro-credential framework this makes ``<limit>#shape`` (a node shape on
micro-credentials using the component of ``shapes/limits.ttl`` that fits the limit's quantity) and, for levels
and volumes, ``<limit>#cannot-tell`` (sh:Info when the credential's level or credits cannot be compared, or when
credits or hours converted at a range of hours per credit fall on both sides of the limit). The
severity follows ``mcg:limitStrength``: a required limit is a violation, a typical or recommended one a
warning, and a required bound that is derived rather than stated (``mcg:boundDerived``) a warning too.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SH

from ..namespaces import MCG
from ..queries import get_query
from ..store import GraphStore

LIM = "https://w3id.org/mcgraph/shapes/limits#"

#: quantity -> (parameter of the check component, parameter of the cannot-tell component or None, label)
_QUANTITIES: dict[str, tuple[str, str | None, str]] = {
    str(MCG.NotionalHoursQuantity): ("hoursLimit", "volumeLimitUnknown", "notional hours"),
    str(MCG.CreditQuantity): ("creditLimit", "volumeLimitUnknown", "credits"),
    str(MCG.QualificationLevelQuantity): ("levelLimit", "levelLimitUnknown", "qualification level"),
    str(MCG.DurationWeeksQuantity): ("durationLimit", None, "duration"),
}


@dataclass(frozen=True)
class LimitShape:
    """One generated shape: its IRI, the limit, the framework's short name, severity IRI and sources."""

    shape: str
    limit: str
    framework: str
    severity: str
    label: str
    sources: tuple[str, ...]


def severity_for(strength: str, derived: bool) -> str:
    """sh:Violation for a required, stated bound; sh:Warning otherwise."""
    if strength == str(MCG.RequiredLimit) and not derived:
        return str(SH.Violation)
    return str(SH.Warning)


def limit_shapes(store: GraphStore, frameworks: set[str] | None = None) -> tuple[Graph, list[LimitShape]]:
    """The generated shapes (an rdflib graph to add to the shapes graph) and what each one is."""
    rows: dict[str, dict[str, object]] = {}
    for row in get_query("limit-shapes").run(store):
        short = row["short"].value  # type: ignore[union-attr]
        if frameworks is not None and short not in frameworks:
            continue
        limit = row["limit"].value  # type: ignore[union-attr]
        entry = rows.setdefault(limit, {"short": short, "quantity": row["quantity"].value,  # type: ignore[union-attr]
                                        "strength": row["strength"].value,  # type: ignore[union-attr]
                                        "derived": row["derived"] is not None and row["derived"].value == "true",
                                        "sources": []})
        if row["source"] is not None:
            entry["sources"].append(row["source"].value)  # type: ignore[union-attr]
    graph, made = Graph(), []
    for limit, e in sorted(rows.items()):
        quantity = str(e["quantity"])
        if quantity not in _QUANTITIES:
            continue
        check, unknown, what = _QUANTITIES[quantity]
        sources = tuple(sorted(set(e["sources"])))  # type: ignore[arg-type]
        kinds = [("shape", check, severity_for(str(e["strength"]), bool(e["derived"])),
                  f"{e['short']}: {what} limit")]
        if unknown:
            kinds.append(("cannot-tell", unknown, str(SH.Info), f"{e['short']}: {what} limit (cannot tell)"))
        for suffix, param, severity, label in kinds:
            shape = URIRef(f"{limit}#{suffix}")
            graph.add((shape, RDF.type, SH.NodeShape))
            graph.add((shape, SH.targetClass, URIRef(MCG.MicroCredential)))
            graph.add((shape, URIRef(LIM + param), URIRef(limit)))
            if param == "volumeLimitUnknown":  # also "cannot tell" when a converted range spans the limit
                graph.add((shape, URIRef(LIM + "volumeLimitRange"), URIRef(limit)))
            graph.add((shape, SH.severity, URIRef(severity)))
            graph.add((shape, RDFS.label, Literal(label, lang="en")))
            for s in sources:
                graph.add((shape, DCTERMS.source, URIRef(s)))
            made.append(LimitShape(str(shape), limit, str(e["short"]), severity, label, sources))
    return graph, made


__all__ = ["LIM", "LimitShape", "limit_shapes", "severity_for"]
