"""The default engine: SHACL shapes compiled to set-based SPARQL, run directly on the store (Oxigraph).

Each constraint becomes one query over all focus nodes at once (not one query per focus node), built from the
shape's terms; SHACL-SPARQL constraints and SELECT-based constraint components run with ``$this`` unbound and
their parameters bound by the engine (``GraphStore.query`` bindings), then are intersected with the targets.
Supported: targets (class with subclasses, node, subjectsOf, objectsOf, implicit class), property shapes with
any SHACL path, sh:minCount, sh:maxCount, sh:class, sh:datatype, sh:nodeKind, sh:min/maxInclusive,
sh:min/maxExclusive, sh:min/maxLength, sh:pattern, sh:in, sh:hasValue, sh:sparql (SELECT) and SPARQL-based
constraint components with SELECT validators. The shape-based components sh:node, sh:or, sh:and, sh:not, sh:xone and
sh:qualifiedValueShape (with qualifiedMin/MaxCount) are compiled too, when the shapes they name use only
sh:path with sh:minCount 1 / sh:maxCount 0, sh:hasValue, the value-type components above, sh:property and
nested logical components (a conformance condition as a SPARQL expression). A top-level shape using anything
else (sh:closed, pair constraints, language constraints, disjoint qualified shapes, other counts in nested
shapes, ASK validators, ``$shapesGraph``/``$currentShape``) is delegated, whole, to pySHACL on the focus extract: every result still
comes from a conformant engine. :data:`SUPPORTED` is what the W3C test suite checks of this compiler.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH, XSD
from rdflib.term import Node

from ..store import GraphStore
from .raw import RawResult, path_text

#: One result in plain text: (focus IRI or blank node id, shape node, severity IRI, component IRI, path text,
#: value's lexical form or None, message).
ResultRow = tuple[str, Node, str, str, "str | None", "str | None", str]

_RDF_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"

#: Core constraint components this compiler evaluates itself (by the shape property that triggers them).
SUPPORTED: dict[URIRef, URIRef] = {
    SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent, SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent, SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent, SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent, SH.pattern: SH.PatternConstraintComponent,
    SH["in"]: SH.InConstraintComponent, SH.hasValue: SH.HasValueConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}

#: Shape properties that make a top-level shape go to pySHACL instead.
DELEGATED = (SH.closed, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.uniqueLang, SH.languageIn,
             SH.target, SH.qualifiedValueShapesDisjoint)

#: Shape-based components, compiled to a conformance condition of the nested shapes (see ``SparqlEngine._cond``).
LOGICAL: dict[URIRef, URIRef] = {
    SH["or"]: SH.OrConstraintComponent, SH["and"]: SH.AndConstraintComponent, SH["not"]: SH.NotConstraintComponent,
    SH.xone: SH.XoneConstraintComponent, SH.node: SH.NodeConstraintComponent,
}

_VALUE_TYPE = (SH["class"], SH.datatype, SH.nodeKind, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
               SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern, SH["in"])
_CASTS = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.date, XSD.dateTime}
_COMPARE = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_NODE_KIND = {SH.IRI: "!isIRI(?v)", SH.BlankNode: "!isBlank(?v)", SH.Literal: "!isLiteral(?v)",
              SH.BlankNodeOrIRI: "isLiteral(?v)", SH.BlankNodeOrLiteral: "isIRI(?v)", SH.IRIOrLiteral: "isBlank(?v)"}
_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


class Unsupported(Exception):
    """A shape this compiler does not evaluate (it is delegated to pySHACL)."""


def sparql_term(term: Node) -> str:
    if isinstance(term, BNode):
        raise Unsupported("blank node constant")
    return term.n3()


def to_ox(term: Node) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise Unsupported("blank node parameter")


def from_ox(term: Any) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def fill_message(template: str, row: dict[str, Any]) -> str:
    """Replace ``{?var}`` / ``{$var}`` with the row's values."""
    def sub(m: re.Match[str]) -> str:
        term = row.get(m.group(1))
        return "" if term is None else term.value
    return _TEMPLATE.sub(sub, template)


@dataclass
class Compiled:
    """What the compiler made of a shapes graph: top-level shapes it runs, and shapes it delegates."""

    shapes: list[Node] = field(default_factory=list)
    delegated: list[Node] = field(default_factory=list)
    reasons: dict[Node, str] = field(default_factory=dict)


class SparqlEngine:
    """Compile once per shapes graph, run on any store."""

    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.components = self._components()
        self.compiled = Compiled()
        for shape in self._top_level():
            try:
                self._check_supported(shape)
                self.compiled.shapes.append(shape)
            except Unsupported as exc:
                self.compiled.delegated.append(shape)
                self.compiled.reasons[shape] = str(exc)

    # -- shapes graph -------------------------------------------------------------------------------
    def _top_level(self) -> list[Node]:
        g, out = self.g, set()
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            out.update(g.subjects(p, None))
        for cls in (RDFS.Class, OWL.Class):
            for s in g.subjects(RDF.type, cls):
                if (s, RDF.type, SH.NodeShape) in g or (s, RDF.type, SH.PropertyShape) in g:
                    out.add(s)
        return sorted(out, key=str)

    def _components(self) -> list[tuple[Node, list[tuple[URIRef, bool]]]]:
        out = []
        kinds = {SH.ConstraintComponent, *self.g.transitive_subjects(RDFS.subClassOf, SH.ConstraintComponent)}
        comps = {c for k in kinds for c in self.g.subjects(RDF.type, k) if not str(c).startswith(str(SH))}
        for comp in sorted(comps, key=str):
            params = []
            for p in self.g.objects(comp, SH.parameter):
                path = self.g.value(p, SH.path)
                optional = self.g.value(p, SH.optional)
                params.append((path, bool(optional is not None and optional.toPython())))
            out.append((comp, params))  # type: ignore[arg-type]
        return out

    def _deactivated(self, node: Node) -> bool:
        v = self.g.value(node, SH.deactivated)
        return v is not None and v.toPython() is True

    def _property_shapes(self, shape: Node) -> list[Node]:
        return [p for p in self.g.objects(shape, SH.property) if not self._deactivated(p)]

    def _check_supported(self, shape: Node) -> None:
        for node in [shape, *self._property_shapes(shape)]:
            for p in DELEGATED:
                if (node, p, None) in self.g:
                    raise Unsupported(f"uses {p.n3(self.g.namespace_manager)}")
            if node != shape and (node, SH.property, None) in self.g:
                raise Unsupported("nested sh:property")
            for p in LOGICAL:
                for arg in self.g.objects(node, p):
                    self._logical_cond(p, arg, "?v")
            for q in self.g.objects(node, SH.qualifiedValueShape):
                self._cond(q, "?v")
                if path_node_missing := (node, SH.path, None) not in self.g:
                    raise Unsupported(f"qualified shape without a path ({path_node_missing})")
            for c in self.g.objects(node, SH.sparql):
                text = str(self.g.value(c, SH.select) or "")
                if not text or "$shapesGraph" in text or "$currentShape" in text:
                    raise Unsupported("SPARQL constraint without a plain SELECT")
            for comp, _ in self._active_components(node):
                if self._validator(comp, node) is None:
                    raise Unsupported(f"component {comp} has no SELECT validator")
            for p in (SH.hasValue, SH["in"]):
                for v in self.g.objects(node, p):
                    if isinstance(v, BNode) and p == SH.hasValue:
                        raise Unsupported("blank node in sh:hasValue")
            if (shape, SH.targetNode, None) in self.g and any(
                    isinstance(n, BNode) for n in self.g.objects(shape, SH.targetNode)):
                raise Unsupported("blank sh:targetNode")

    def _active_components(self, node: Node) -> list[tuple[Node, dict[str, list[Node]]]]:
        out = []
        for comp, params in self.components:
            if not params:
                continue
            values: dict[str, list[Node]] = {}
            ok = True
            for path, optional in params:
                vals = list(self.g.objects(node, path))
                if not vals and not optional:
                    ok = False
                    break
                if vals:
                    values[_local(path)] = vals
            if ok:
                out.append((comp, values))
        return out

    def _validator(self, comp: Node, node: Node) -> Node | None:
        is_property = (node, SH.path, None) in self.g
        for p in ((SH.propertyValidator,) if is_property else (SH.nodeValidator,)) + (SH.validator,):
            for v in self.g.objects(comp, p):
                if (v, SH.select, None) in self.g:
                    return v
        return None

    def _prefixes(self, node: Node) -> str:
        lines = []
        for decl_owner in self.g.objects(node, SH.prefixes):
            for owner in [decl_owner, *self.g.objects(decl_owner, OWL.imports)]:
                for d in self.g.objects(owner, SH.declare):
                    prefix, ns = self.g.value(d, SH.prefix), self.g.value(d, SH.namespace)
                    if prefix is not None and ns is not None:
                        lines.append(f"PREFIX {prefix}: <{ns}>")
        return "\n".join(sorted(set(lines))) + "\n"

    def _focus_pattern(self, shape: Node) -> str:
        g, parts = self.g, []
        classes = list(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g:
            classes.append(shape)
        for c in classes:
            parts.append(f"{{ ?this {_RDF_TYPE}/{_SUBCLASS}* {sparql_term(c)} . }}")
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(sparql_term(n) for n in nodes) + " } }")
        for p in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ ?this {sparql_term(p)} ?targetAny . }}")
        for p in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ ?targetAny {sparql_term(p)} ?this . }}")
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    # -- running ------------------------------------------------------------------------------------
    def run(self, store: GraphStore) -> Iterator[RawResult]:
        """Every result of the compiled shapes on ``store`` (delegated shapes are not run here)."""
        for focus, node, severity, component, path, value, message in self.rows(store):
            yield RawResult(from_ox(focus), node, severity, component, path,  # type: ignore[arg-type]
                            from_ox(value), message)

    def texts(self, store: GraphStore) -> Iterator[ResultRow]:
        """The same results as plain text (focus IRI or blank node id, value's lexical form): no rdflib terms,
        the cheap form :func:`mcgraph.checks.shacl.validate` turns into results."""
        for focus, node, severity, component, path, value, message in self.rows(store):
            yield (focus.value, node, severity, component, path, None if value is None else value.value, message)

    def rows(self, store: GraphStore) -> Iterator[tuple[Any, Node, str, str, str | None, Any, str]]:
        """Results with the store's own terms: (focus, shape node, severity IRI, component IRI, path text, value,
        message). Within one call, identical queries run once and each target's focus nodes are fetched once."""
        self._answers: dict[tuple[str, tuple[tuple[str, str], ...]], list[dict[str, Any]]] = {}
        self._focus: dict[str, set[Any]] = {}
        try:
            for shape in self.compiled.shapes:
                if self._deactivated(shape):
                    continue
                focus = self._focus_pattern(shape)
                yield from self._node(store, shape, shape, focus, self.g.value(shape, SH.path))
                for prop in self._property_shapes(shape):
                    path_node = self.g.value(prop, SH.path)
                    yield from self._node(store, shape, prop, focus, path_node)
        finally:
            self._answers, self._focus = {}, {}

    def _rows(self, store: GraphStore, query: str, bindings: dict[str, Any] | None = None, *,
              compiled: bool = True) -> list[dict[str, Any]]:
        """The rows of a query, run once per validation run (shapes of several frameworks often ask the same).
        ``compiled``: a query this module made, whose generated variables may be renamed in the cache key."""
        key = (_canonical(query) if compiled else query, tuple(sorted((k, str(v)) for k, v in (bindings or {}).items())))
        if key not in self._answers:
            self._answers[key] = list(store.query(query, bindings))
        return self._answers[key]

    def _severity(self, node: Node) -> str:
        return str(self.g.value(node, SH.severity) or SH.Violation)

    def _messages(self, *nodes: Node) -> str | None:
        for n in nodes:
            msgs = list(self.g.objects(n, SH.message))
            if msgs:
                en = [m for m in msgs if getattr(m, "language", None) in ("en", None)]
                return str((en or msgs)[0])
        return None

    def _focus_nodes(self, store: GraphStore, focus: str) -> set[Any]:
        if focus not in self._focus:
            self._focus[focus] = {r[0] for r in store.query("SELECT ?this WHERE " + "{ " + focus + " }").rows}
        return self._focus[focus]

    def _lacking(self, store: GraphStore, focus: str, values: str) -> list[Any]:
        """The focus nodes with no match of ``values`` (a pattern on ?this and ?v), fetching from the store the
        smaller of the two sets: rows cost far more to hand over than to compute, and most missing-element
        findings concern most credentials (or almost none)."""
        allowed = self._focus_nodes(store, focus)
        count = self._rows(store, f"SELECT (COUNT(DISTINCT ?this) AS ?n) WHERE {{ {focus} {values} }}")
        having = int(count[0]["n"].value) if count and count[0].get("n") is not None else 0
        if having == 0:
            return sorted(allowed, key=str)
        if having >= len(allowed):
            return []
        if having <= len(allowed) - having:
            have = {r["this"] for r in self._rows(store, f"SELECT DISTINCT ?this WHERE {{ {focus} {values} }}")}
            return sorted(allowed - have, key=str)
        return [r["this"] for r in self._rows(store, f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {values} }} }}")]

    def _node(self, store: GraphStore, top: Node, node: Node, focus: str,
              path_node: Node | None) -> Iterator[tuple[Any, Node, str, str, str | None, Any, str]]:
        g = self.g
        if node is not top and self._deactivated(node):
            return
        severity = self._severity(node)
        path = None if path_node is None else path_text(g, path_node)
        values = f"?this {path} ?v ." if path else "BIND (?this AS ?v)"
        own_message = self._messages(node)

        def results(found: Iterable[dict[str, Any]], component: URIRef | Node, default: str, *, value: bool = True,
                    msg: str | None = None) -> Iterator[tuple[Any, Node, str, str, str | None, Any, str]]:
            text = msg if msg is not None else own_message
            comp = str(component)
            if not text or "{" not in text:  # the same message for every row
                fixed = text or default
                for r in found:
                    yield (r["this"], node, severity, comp, path, r.get("v") if value else None, fixed)
                return
            for r in found:
                yield (r["this"], node, severity, comp, path, r.get("v") if value else None, fill_message(text, r))

        def rows(query: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
            return self._rows(store, query, bindings, compiled=bindings is None)

        for prop, component in SUPPORTED.items():
            for arg in g.objects(node, prop):
                if prop == SH.minCount:
                    default = f"Less than {arg} values on {path}"
                    if int(arg) == 1 and path:
                        lacking = ({"this": f} for f in self._lacking(store, focus, values))
                        yield from results(lacking, component, default, value=False)
                        continue
                    q = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {values} }} }} GROUP BY ?this "
                         f"HAVING (COUNT(DISTINCT ?v) < {int(arg)})")
                    yield from results(rows(q), component, default, value=False)
                elif prop == SH.maxCount:
                    q = (f"SELECT ?this WHERE {{ {focus} {values} }} GROUP BY ?this "
                         f"HAVING (COUNT(DISTINCT ?v) > {int(arg)})")
                    yield from results(rows(q), component, f"More than {arg} values on {path}", value=False)
                elif prop == SH.hasValue:
                    cond = (f"FILTER NOT EXISTS {{ ?this {path} {sparql_term(arg)} }}" if path
                            else f"FILTER (!sameTerm(?this, {sparql_term(arg)}))")
                    yield from results(rows(f"SELECT ?this WHERE {{ {focus} {cond} }}"), component,
                                       f"Missing expected value {arg}", value=False)
                elif prop == SH.sparql:
                    if self._deactivated(arg):
                        continue
                    yield from self._sparql(store, node, arg, focus, path, severity)
                else:
                    cond = self._value_condition(prop, arg)
                    q = f"SELECT DISTINCT ?this ?v WHERE {{ {focus} {values} FILTER ({cond}) }}"
                    yield from results(rows(q), component,
                                       f"Value does not satisfy {prop.n3(g.namespace_manager)} {arg.n3()}")
        for p, component in LOGICAL.items():
            for arg in g.objects(node, p):
                cond = self._logical_cond(p, arg, "?v")
                if not path:  # the focus node itself: the nodes with no passing row (usually the smaller set)
                    passing = f"{values} FILTER (!COALESCE(!({cond}), false))"
                    failing = ({"this": f, "v": f} for f in self._lacking(store, focus, passing))
                    yield from results(failing, component,
                                       f"Value does not conform to the {p.n3(g.namespace_manager)} shapes")
                    continue
                q = f"SELECT DISTINCT ?this ?v WHERE {{ {focus} {values} FILTER (!({cond})) }}"
                yield from results(rows(q), component,
                                   f"Value does not conform to the {p.n3(g.namespace_manager)} shapes")
        for qshape in g.objects(node, SH.qualifiedValueShape):
            if not path:
                continue
            inner = self._cond(qshape, "?v")
            for prop, op, comp in ((SH.qualifiedMinCount, "<", SH.QualifiedMinCountConstraintComponent),
                                   (SH.qualifiedMaxCount, ">", SH.QualifiedMaxCountConstraintComponent)):
                for n in g.objects(node, prop):
                    default = f"Qualified count {op} {n} on {path}"
                    if op == "<" and int(n) == 1:
                        lacking = ({"this": f} for f in self._lacking(store, focus, f"{values} FILTER ({inner})"))
                        yield from results(lacking, comp, default, value=False)
                        continue
                    q = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {values} FILTER ({inner}) }} }} GROUP BY ?this "
                         f"HAVING (COUNT(DISTINCT ?v) {op} {int(n)})")
                    yield from results(rows(q), comp, default, value=False)
        for comp, params in self._active_components(node):
            validator = self._validator(comp, node)
            assert validator is not None
            text = self._prefixes(validator) + str(g.value(validator, SH.select))
            if path:
                text = text.replace("$PATH", path)
            msg = own_message or self._messages(validator, comp)
            text = project(text, sorted(params))
            default = f"Constraint of {comp} not met"
            for combo in _combinations(params):
                bindings = {name: to_ox(v) for name, v in combo.items()}
                allowed = self._focus_nodes(store, focus)
                for r in rows(text, bindings):
                    if r.get("this") not in allowed:
                        continue
                    rp = r.get("path")
                    r = {**r, **bindings, "v": r.get("value", r.get("this") if not path else None)}
                    yield (r["this"], node, severity, str(comp), f"<{rp.value}>" if rp is not None else path,
                           r.get("v"), fill_message(msg, r) if msg else default)

    # -- conformance conditions of nested shapes -----------------------------------------------------
    def _fresh(self) -> str:
        self._counter = getattr(self, "_counter", 0) + 1
        return f"?n{self._counter}"

    def _cond(self, shape: Node, var: str, depth: int = 0) -> str:
        """A SPARQL expression true iff the node in ``var`` conforms to ``shape`` (raises Unsupported)."""
        if depth > 8:
            raise Unsupported("shapes nested too deep (or recursive)")
        if self._deactivated(shape):
            return "true"
        g, parts = self.g, []
        known = {SH.path, SH.property, SH.minCount, SH.maxCount, SH.hasValue, SH.severity, SH.message, SH.name,
                 SH.description, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.flags,
                 SH.deactivated, SH.order, SH.group, RDF.type, RDFS.label, RDFS.comment, *_VALUE_TYPE, *LOGICAL,
                 SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
        for p in set(g.predicates(shape, None)):
            if p.startswith(str(SH)) and p not in known:
                raise Unsupported(f"nested {p.n3(g.namespace_manager)}")
        path_node = g.value(shape, SH.path)
        if path_node is None:
            for prop in _VALUE_TYPE:
                for arg in g.objects(shape, prop):
                    parts.append(f"!({self._value_condition(prop, arg).replace('?v', var)})")
            for arg in g.objects(shape, SH.hasValue):
                parts.append(f"sameTerm({var}, {sparql_term(arg)})")
            for p in LOGICAL:
                for arg in g.objects(shape, p):
                    parts.append(self._logical_cond(p, arg, var, depth))
            if (shape, SH.qualifiedValueShape, None) in g or (shape, SH.minCount, None) in g \
                    or (shape, SH.maxCount, None) in g:
                raise Unsupported("counts on a node shape")
        else:
            path = path_text(g, path_node)
            for n in g.objects(shape, SH.minCount):
                if int(n) > 1:
                    raise Unsupported("nested sh:minCount above 1")
                if int(n) == 1:
                    parts.append(f"EXISTS {{ {var} {path} {self._fresh()} }}")
            for n in g.objects(shape, SH.maxCount):
                if int(n) != 0:
                    raise Unsupported("nested sh:maxCount above 0")
                parts.append(f"NOT EXISTS {{ {var} {path} {self._fresh()} }}")
            for arg in g.objects(shape, SH.hasValue):
                parts.append(f"EXISTS {{ {var} {path} {sparql_term(arg)} }}")
            value_conds = []
            for prop in _VALUE_TYPE:
                for arg in g.objects(shape, prop):
                    value_conds.append(self._value_condition(prop, arg))
            y = self._fresh()
            for p in LOGICAL:
                for arg in g.objects(shape, p):
                    value_conds.append(f"!({self._logical_cond(p, arg, y, depth)})")
            for cond in value_conds:
                parts.append(f"NOT EXISTS {{ {var} {path} {y} FILTER ({cond.replace('?v', y)}) }}")
            for q in g.objects(shape, SH.qualifiedValueShape):
                z = self._fresh()
                inner = self._cond(q, z, depth + 1)
                for n in g.objects(shape, SH.qualifiedMinCount):
                    if int(n) > 1:
                        raise Unsupported("nested sh:qualifiedMinCount above 1")
                    if int(n) == 1:
                        parts.append(f"EXISTS {{ {var} {path} {z} FILTER ({inner}) }}")
                for n in g.objects(shape, SH.qualifiedMaxCount):
                    if int(n) != 0:
                        raise Unsupported("nested sh:qualifiedMaxCount above 0")
                    parts.append(f"NOT EXISTS {{ {var} {path} {z} FILTER ({inner}) }}")
        for prop in g.objects(shape, SH.property):
            parts.append(self._cond(prop, var, depth + 1))
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def _logical_cond(self, p: URIRef, arg: Node, var: str, depth: int = 0) -> str:
        if p == SH.node:
            return self._cond(arg, var, depth + 1)
        if p == SH["not"]:
            return f"!{self._cond(arg, var, depth + 1)}"
        members = [self._cond(m, var, depth + 1) for m in Collection(self.g, arg)]  # type: ignore[arg-type]
        if p == SH["or"]:
            return "(" + " || ".join(members) + ")" if members else "false"
        if p == SH["and"]:
            return "(" + " && ".join(members) + ")" if members else "true"
        return "((" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") = 1)" if members else "false"

    def _value_condition(self, prop: URIRef, arg: Node) -> str:
        if prop == SH["class"]:
            return f"NOT EXISTS {{ ?v {_RDF_TYPE}/{_SUBCLASS}* {sparql_term(arg)} }}"
        if prop == SH.datatype:
            ok = f"isLiteral(?v) && sameTerm(DATATYPE(?v), {sparql_term(arg)})"
            if arg in _CASTS:
                ok += f" && COALESCE({sparql_term(arg)}(STR(?v)) = {sparql_term(arg)}(STR(?v)), false)"
            if arg == RDF.langString:
                ok = "isLiteral(?v) && LANG(?v) != \"\""
            return f"!({ok})"
        if prop == SH.nodeKind:
            if arg not in _NODE_KIND:
                raise Unsupported(f"node kind {arg}")
            return _NODE_KIND[arg]  # type: ignore[index]
        if prop in _COMPARE:
            return f"!COALESCE(?v {_COMPARE[prop]} {sparql_term(arg)}, false)"
        if prop == SH.minLength:
            return f"isBlank(?v) || !COALESCE(STRLEN(STR(?v)) >= {int(arg)}, false)"
        if prop == SH.maxLength:
            return f"isBlank(?v) || !COALESCE(STRLEN(STR(?v)) <= {int(arg)}, false)"
        if prop == SH.pattern:
            flags = self.g.value(self._current_owner(prop, arg), SH.flags)
            flag_text = f", {Literal(str(flags)).n3()}" if flags is not None else ""
            return f"isBlank(?v) || !REGEX(STR(?v), {Literal(str(arg)).n3()}{flag_text})"
        if prop == SH["in"]:
            members = list(Collection(self.g, arg))  # type: ignore[arg-type]
            if not members:
                return "true"
            return ("NOT EXISTS { VALUES ?member { " + " ".join(sparql_term(m) for m in members)
                    + " } FILTER (sameTerm(?v, ?member)) }")
        raise Unsupported(str(prop))

    def _current_owner(self, prop: URIRef, arg: Node) -> Node:
        owner = next(iter(self.g.subjects(prop, arg)), None)
        if owner is None:
            raise Unsupported("pattern without owner")
        return owner

    def _sparql(self, store: GraphStore, node: Node, constraint: Node, focus: str, path: str | None,
                severity: str) -> Iterator[tuple[Any, Node, str, str, str | None, Any, str]]:
        text = self._prefixes(constraint) + str(self.g.value(constraint, SH.select))
        if path:
            text = text.replace("$PATH", path)
        allowed = self._focus_nodes(store, focus)
        template = self._messages(constraint, node)
        if set_based_safe(text):
            rows = [r for r in self._rows(store, text, compiled=False) if r.get("this") in allowed]
        else:  # run once per focus node, $this bound by the engine (SHACL pre-binding)
            text = project(text, ["this"])
            rows = [r for f in sorted(allowed, key=str) for r in store.query(text, {"this": f})]
        component = str(SH.SPARQLConstraintComponent)
        for r in rows:
            rp = r.get("path")
            value = r.get("value", None if path else r.get("this"))
            yield (r["this"], node, severity, component, f"<{rp.value}>" if rp is not None else path, value,
                   fill_message(template, r) if template else "SPARQL constraint not met")


_SELECT = re.compile(r"^(?P<head>(?:\s*PREFIX[^\n]*\n)*\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?)(?P<rest>[\s\S]*)$",
                     re.IGNORECASE)


def project(text: str, names: list[str]) -> str:
    """The query with ``names`` added to its outermost projection (Oxigraph binds only projected variables)."""
    m = _SELECT.match(text)
    if not m or m.group("rest").lstrip().startswith("*"):
        return text
    missing = [n for n in names if not re.search(rf"SELECT[^{{]*[?$]{n}\b", text[m.start("head"):m.start("rest") + 200])]
    return m.group("head") + "".join(f"?{n} " for n in missing) + m.group("rest")


_SAFE_START = re.compile(r"WHERE\s*\{\s*(\{\s*)?\$this\s+[^\s=)!]", re.IGNORECASE)


def set_based_safe(text: str) -> bool:
    """Whether a SELECT gives the same rows run once with $this unbound as per focus node: its first pattern is a
    triple pattern with subject $this, there is no sub-select, and $this is never tested with BOUND or BIND."""
    lowered = re.sub(r"\s+", "", text.lower())
    return bool(_SAFE_START.search(text)) and text.upper().count("SELECT") == 1 and \
        "bound($this" not in lowered and "bind($this" not in lowered


def _combinations(params: dict[str, list[Node]]) -> Iterator[dict[str, Node]]:
    items = sorted(params.items())
    if not items:
        yield {}
        return
    (name, values), rest = items[0], dict(items[1:])
    for v in values:
        for combo in _combinations(rest):
            yield {name: v, **combo}


_FRESH = re.compile(r"\?n\d+\b")


def _canonical(query: str) -> str:
    """The query with its generated variables (``?n17``) renumbered in order of appearance, so that two shapes
    compiled to the same query differ in nothing."""
    names: dict[str, str] = {}
    return _FRESH.sub(lambda m: names.setdefault(m.group(0), f"?n{len(names) + 1}"), query)


def _local(iri: URIRef) -> str:
    text = str(iri)
    return re.split(r"[#/]", text)[-1]


__all__ = ["DELEGATED", "LOGICAL", "SUPPORTED", "ResultRow", "SparqlEngine", "Unsupported", "fill_message"]
