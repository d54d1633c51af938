"""The part of the ontology the reasoner needs: a syntactic ⊥-locality module for a signature.

HermiT classifies every class of the ontology and puts every individual into every class it can, so each class,
property axiom and annotation it is handed costs time in every batch. For a signature Σ (the defined classes and
every name the extract uses), an axiom that is *⊥-local* — true whatever Σ says once every name outside Σ is read
as the empty class or property — can be left out without changing any entailment over Σ (Cuenca Grau et al.,
"Modular Reuse of Ontologies: Theory and Practice", JAIR 31, 2008). The module grows Σ with the names of every
axiom it keeps, up to a fixpoint. Annotations (labels, comments, dct:source, skos mappings declared as annotation
properties, axiom annotations) carry no logical meaning and are left out as well.

Example::

    module = locality_module(ontology_triples, {str(MCG.CreditBearingMicroCredential), str(MCG.hasCreditValue)})
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

_BUILTIN_ANNOTATIONS = frozenset({RDFS + "label", RDFS + "comment", RDFS + "seeAlso", RDFS + "isDefinedBy",
                                  OWL + "versionInfo", OWL + "deprecated", OWL + "priorVersion",
                                  OWL + "backwardCompatibleWith", OWL + "incompatibleWith"})
_DECLARATIONS = frozenset({OWL + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "NamedIndividual",
                           RDFS + "Datatype", OWL + "AnnotationProperty", RDFS + "Class", RDF + "Property"})
_LOCAL_WHEN_PROPERTY_EMPTY = frozenset({OWL + "FunctionalProperty", OWL + "InverseFunctionalProperty",
                                        OWL + "TransitiveProperty", OWL + "SymmetricProperty",
                                        OWL + "AsymmetricProperty", OWL + "IrreflexiveProperty"})
_VOCABULARIES = (OWL, RDF, RDFS, XSD)


class _Graph:
    """The ontology triples indexed by subject, with helpers to read RDF lists and class expressions."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
        self.as_object: set[ox.BlankNode] = set()
        for t in triples:
            self.by_subject.setdefault(t.subject, []).append(t)
            if isinstance(t.object, ox.BlankNode):
                self.as_object.add(t.object)

    def value(self, node: object, predicate: str) -> object | None:
        for t in self.by_subject.get(node, ()):  # type: ignore[arg-type]
            if t.predicate.value == predicate:
                return t.object
        return None

    def values(self, node: object, predicate: str) -> list[object]:
        return [t.object for t in self.by_subject.get(node, ()) if t.predicate.value == predicate]  # type: ignore[arg-type]

    def items(self, head: object) -> list[object]:
        out: list[object] = []
        while isinstance(head, ox.BlankNode):
            first = self.value(head, RDF + "first")
            if first is not None:
                out.append(first)
            head = self.value(head, RDF + "rest")
        return out

    def closure(self, node: object, seen: set[object] | None = None) -> list[ox.Triple]:
        """The triples of a blank node and of every blank node below it."""
        seen = set() if seen is None else seen
        if not isinstance(node, ox.BlankNode) or node in seen:
            return []
        seen.add(node)
        out = list(self.by_subject.get(node, ()))
        for t in list(out):
            out.extend(self.closure(t.object, seen))
        return out


def _names(triples: Iterable[ox.Triple]) -> set[str]:
    names: set[str] = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode) and not term.value.startswith(_VOCABULARIES):
                names.add(term.value)
    return names


def locality_module(triples: Sequence[ox.Triple], signature: Iterable[str]) -> list[ox.Triple]:
    """The axioms of ``triples`` that are not ⊥-local for ``signature`` (grown to a fixpoint), without annotations.

    Every entailment over the final signature that the whole ontology has, the module has too; the module adds
    declarations of the names it uses so the reasoner parses them with the right kinds.
    """
    graph = _Graph(triples)
    annotations = set(_BUILTIN_ANNOTATIONS) | {
        t.subject.value for t in triples
        if t.predicate.value == RDF + "type" and t.object.value == OWL + "AnnotationProperty"}
    headers = {t.subject for t in triples if t.predicate.value == RDF + "type" and t.object.value == OWL + "Ontology"}
    sigma = set(signature)

    def prop_empty(p: object) -> bool:
        if isinstance(p, ox.BlankNode):
            p = graph.value(p, OWL + "inverseOf")
        return isinstance(p, ox.NamedNode) and p.value not in sigma

    def bottom(expr: object) -> bool:
        """Whether the class expression is the empty class once every name outside Σ is empty."""
        if isinstance(expr, ox.NamedNode):
            return expr.value == OWL + "Nothing" or (not expr.value.startswith(_VOCABULARIES) and expr.value not in sigma)
        if not isinstance(expr, ox.BlankNode):
            return False
        if (members := graph.value(expr, OWL + "intersectionOf")) is not None:
            return any(bottom(m) for m in graph.items(members))
        if (members := graph.value(expr, OWL + "unionOf")) is not None:
            return all(bottom(m) for m in graph.items(members))
        prop = graph.value(expr, OWL + "onProperty")
        if prop is None:
            return False
        if (filler := graph.value(expr, OWL + "someValuesFrom")) is not None:
            return prop_empty(prop) or bottom(filler)
        if graph.value(expr, OWL + "hasValue") is not None or graph.value(expr, OWL + "hasSelf") is not None:
            return prop_empty(prop)
        for card in ("minCardinality", "minQualifiedCardinality", "cardinality", "qualifiedCardinality"):
            n = graph.value(expr, OWL + card)
            if isinstance(n, ox.Literal) and n.value.isdigit() and int(n.value) >= 1:
                on_class = graph.value(expr, OWL + "onClass")
                return prop_empty(prop) or (on_class is not None and bottom(on_class))
        return False

    def needed(unit_head: ox.Triple | None, subject: object) -> bool | None:
        """True: keep; False: local (leave out for now); None: an annotation or declaration (decided later)."""
        if unit_head is None:  # an axiom written on a blank node: AllDisjointClasses, AllDifferent, ...
            kind = graph.value(subject, RDF + "type")
            kind = kind.value if isinstance(kind, ox.NamedNode) else ""
            if kind == OWL + "Axiom" or kind == OWL + "Annotation":
                return None
            if kind == OWL + "AllDisjointClasses":
                return sum(not bottom(m) for m in graph.items(graph.value(subject, OWL + "members"))) >= 2
            return True
        p, o, s = unit_head.predicate.value, unit_head.object, unit_head.subject
        if p in annotations:
            return None
        if p == RDF + "type":
            kind = o.value if isinstance(o, ox.NamedNode) else ""
            if kind == OWL + "Ontology" or kind in _DECLARATIONS:
                return None
            if kind in _LOCAL_WHEN_PROPERTY_EMPTY:
                return not prop_empty(s)
            return True  # a class assertion or another property characteristic
        if p == RDFS + "subClassOf":
            return not bottom(s)
        if p == OWL + "equivalentClass":
            return not (bottom(s) and bottom(o))
        if p == OWL + "disjointWith":
            return not (bottom(s) or bottom(o))
        if p in (RDFS + "domain", RDFS + "range", RDFS + "subPropertyOf"):
            return not prop_empty(s)
        if p in (OWL + "inverseOf", OWL + "equivalentProperty"):
            return not (prop_empty(s) and prop_empty(o))
        if p == OWL + "propertyChainAxiom":
            return not any(prop_empty(q) for q in graph.items(o))
        if s in headers:  # owl:versionIRI, owl:imports and the like on the ontology itself
            return None
        return True  # a property assertion, owl:disjointUnionOf, owl:hasKey, ...

    units: list[tuple[object, ox.Triple | None, list[ox.Triple]]] = []
    for subject, ts in graph.by_subject.items():
        if isinstance(subject, ox.NamedNode):
            units.extend((subject, t, [t, *graph.closure(t.object)]) for t in ts)
        elif subject not in graph.as_object:
            units.append((subject, None, graph.closure(subject)))

    kept: set[int] = set()
    changed = True
    while changed:
        changed = False
        for index, (subject, head, unit) in enumerate(units):
            if index in kept or not needed(head, subject):
                continue
            kept.add(index)
            new = _names(unit) - sigma
            if new:
                sigma |= new
                changed = True
    module = [t for index in sorted(kept) for t in units[index][2]]
    declarations = [head for subject, head, _ in units
                    if head is not None and head.predicate.value == RDF + "type"
                    and isinstance(head.object, ox.NamedNode) and head.object.value in _DECLARATIONS
                    and head.object.value != OWL + "AnnotationProperty" and subject.value in sigma]  # type: ignore[attr-defined]
    return declarations + module
