"""Validate credentials against the framework rules (``shapes/``): which frameworks does a credential meet, and
if not, exactly why, according to which source?

>>> import mcgraph
>>> store = mcgraph.EmbeddedStore(); _ = list(mcgraph.build(store))
>>> report = validate(store, frameworks=["ecmf"])
>>> report.engine, "ecmf" in report.frameworks
('sparql', True)

Which frameworks a credential is checked against (applicability, used when no framework is named and by
:func:`mcgraph.checks.compliance.compliance`): a framework applies to a credential that claims to conform to it
(``mcg:conformsToFramework``) or that is offered in the framework's jurisdiction or a jurisdiction inside it
(``mcg:jurisdiction`` / ``mcg:partOfJurisdiction``: a CA-BC credential is in scope of the BC, CICan and MCC
frameworks; an IE credential of the Irish, EU Council and ECMF ones). ``frameworks=[...]`` or ``all_frameworks``
check every credential against the frameworks named, applicable or not. Core integrity rules always apply.

Engines (``engine=``): ``sparql`` (default; SHACL compiled to set-based SPARQL on the store, see
:mod:`.sparql_engine`), ``pyshacl`` (the reference engine on a focus extract, prepared well) and
``pyshacl-plain`` (pySHACL as usually called, for comparison).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..errors import McgraphError
from ..queries import get_query
from ..store import GraphStore
from .pyshacl_engine import PreparedQueryGraph, extract, run_pyshacl
from .raw import RawResult, path_key
from .results import CheckReport, CheckResult, Severity
from .shapes import Rule, ShapeSet, load_shapes
from .sparql_engine import ResultRow, SparqlEngine

ENGINES = ("sparql", "pyshacl", "pyshacl-plain")


def raw_results(store: GraphStore, shapes: ShapeSet, engine: str = "sparql", *, whole: bool = False,
                timings: dict[str, float] | None = None) -> list[RawResult]:
    """Run one engine over the store; ``whole`` validates every triple instead of the focus extract."""
    if engine not in ENGINES:
        raise McgraphError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    t0 = time.perf_counter()
    if engine == "sparql":
        compiled = SparqlEngine(shapes.graph)
        out = list(compiled.run(store))
        out += _delegated(store, shapes, compiled, whole)
    else:
        data = extract(store, whole=whole, graph=Graph() if engine == "pyshacl-plain" else PreparedQueryGraph())
        if timings is not None:
            timings["extract"] = time.perf_counter() - t0
        out = list(run_pyshacl(data, shapes.graph, plain=engine == "pyshacl-plain"))
    if timings is not None:
        timings["validate"] = time.perf_counter() - t0
    return out


def result_rows(store: GraphStore, shapes: ShapeSet, engine: str = "sparql", *,
                timings: dict[str, float] | None = None) -> list[ResultRow]:
    """The results of one engine as plain-text rows (what :func:`validate` uses: the default engine hands its
    answers over without making rdflib terms)."""
    if engine != "sparql":
        return [_as_row(r) for r in raw_results(store, shapes, engine, timings=timings)]
    t0 = time.perf_counter()
    compiled = SparqlEngine(shapes.graph)
    out = list(compiled.texts(store))
    out += [_as_row(r) for r in _delegated(store, shapes, compiled, False)]
    if timings is not None:
        timings["validate"] = time.perf_counter() - t0
    return out


def _as_row(r: RawResult) -> ResultRow:
    return (_text(r.focus) or "", r.shape, r.severity, r.component, r.path, _text(r.value), r.message or "")


def _delegated(store: GraphStore, shapes: ShapeSet, compiled: SparqlEngine, whole: bool) -> list[RawResult]:
    """pySHACL's results for the shapes the compiler delegates (it runs the whole shapes graph; only the results
    of the delegated shapes are kept)."""
    if not compiled.compiled.delegated:
        return []
    from .pyshacl_engine import results_from_report

    data = extract(store, whole=whole, graph=PreparedQueryGraph())
    keep = {str(s) for s in _with_property_shapes(shapes.graph, compiled.compiled.delegated)}
    _c, report, _t = pyshacl.validate(data, shacl_graph=shapes.graph, inference="none", allow_infos=True,
                                      allow_warnings=True)
    return [r for r in results_from_report(report) if str(r.shape) in keep or _rule_node(shapes, r.shape) in keep]


def _with_property_shapes(graph: Graph, tops: list[Node]) -> list[Node]:
    """The delegated top-level shapes and the property shapes under them (sh:property, at any depth): the shapes
    whose results pySHACL reports for them (results inside sh:node / sh:or shapes are not reported)."""
    seen: list[Node] = []
    todo = list(tops)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.append(node)
        todo.extend(graph.objects(node, SH.property))
    return seen


def _rule_node(shapes: ShapeSet, node: Node) -> str:
    """The shape IRI a result names (a blank property shape is named by the shape that holds it)."""
    if isinstance(node, BNode):
        parent = next(iter(shapes.graph.subjects(SH.property, node)), None)
        if parent is not None and not isinstance(parent, BNode):
            return str(parent)
        return "_:shape"
    return str(node)


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, Literal):
        return str(node)
    return str(node)


def explain(shapes: ShapeSet, raw: Iterable[RawResult | ResultRow]) -> list[CheckResult]:
    """Engine results in the common model, with framework, rule label and sources (duplicates removed)."""
    rules: dict[Node, tuple[str, Rule | None]] = {}
    severities = {s.iri: s for s in Severity}
    seen: dict[tuple, CheckResult] = {}
    for r in raw:
        focus, shape, severity, component, path, value, message = r if isinstance(r, tuple) else _as_row(r)
        known = rules.get(shape)
        if known is None:
            rule_iri = _rule_node(shapes, shape)
            known = rules[shape] = (rule_iri, shapes.rules.get(rule_iri))
        rule, info = known
        key = (focus, rule, path, value, severity, component, message)
        if key in seen:
            continue
        seen[key] = CheckResult(
            severities.get(severity) or Severity.from_iri(severity), focus, rule,
            message or (info.label if info and info.label else "constraint not met"),
            path_key(path), value, info.sources if info else (), info.framework if info else None,
            info.label if info else None, component or None)
    return sorted(seen.values(), key=_order)


_RANK = {s: s.rank for s in Severity}


def _order(r: CheckResult) -> tuple[str, str, int, str, str, str]:
    return (r.focus or "", r.framework or "", _RANK[r.severity], r.rule, r.path or "", r.value or "")


class Catalogue:
    """The credentials in the store: titles, jurisdictions (with enclosing ones), claimed frameworks."""

    #: up to this many nodes, their credentials are looked up one by one; more, and all at once
    FEW_NODES = 200

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.titles: dict[str, str] = {}
        self.jurisdictions: dict[str, set[str]] = defaultdict(set)
        self.claims: dict[str, set[str]] = defaultdict(set)
        for row in get_query("credential-index").run(store):
            c = row["credential"].value  # type: ignore[union-attr]
            self.titles.setdefault(c, row["title"].value if row["title"] is not None else c)
            if row["jurisdiction"] is not None:
                self.jurisdictions[c].add(row["jurisdiction"].value)
            if row["claimed"] is not None:
                self.claims[c].add(row["claimed"].value)
        self._owner: dict[str, str] | None = None

    @property
    def owner(self) -> dict[str, str]:
        """node -> the credential pointing to it (every node a credential points to; read on first use)."""
        if self._owner is None:
            self._owner = {r["node"].value: r["credential"].value  # type: ignore[union-attr]
                           for r in get_query("credential-parts").run(self.store)}
        return self._owner

    def resolve(self, nodes: Iterable[str | None]) -> None:
        """Look up the credentials of the given finding nodes ahead of :meth:`credential_of`: one by one when they
        are few IRIs (the full node table of a large catalogue costs seconds), else all at once."""
        if self._owner is not None:
            return
        wanted = {n for n in nodes if n and n not in self.titles}
        if len(wanted) > self.FEW_NODES or any(":" not in n for n in wanted):  # blank nodes have no IRI to bind
            self.owner  # noqa: B018 - reads the whole table
            return
        query = get_query("credential-of-node")
        found: dict[str, str] = {}
        for node in sorted(wanted):
            credentials = sorted(r["credential"].value for r in query.run(self.store, node=node))  # type: ignore[union-attr]
            if credentials:
                found[node] = credentials[0]
        self._owner = found

    @property
    def credentials(self) -> list[str]:
        return sorted(self.titles)

    def credential_of(self, focus: str | None) -> str | None:
        if focus in self.titles:
            return focus
        return self.owner.get(focus or "")


def applicable(catalogue: Catalogue, shapes: ShapeSet, credential: str) -> list[str]:
    """Short names of the frameworks that apply to a credential (see the module docstring)."""
    out = []
    for short, fw in shapes.frameworks.items():
        if fw.iri in catalogue.claims.get(credential, set()) or (
                fw.jurisdiction is not None and fw.jurisdiction in catalogue.jurisdictions.get(credential, set())):
            out.append(short)
    return sorted(out)


def validate(store: GraphStore, *, frameworks: list[str] | None = None, all_frameworks: bool = False,
             credentials: list[str] | None = None, engine: str = "sparql") -> CheckReport:
    """Validate the credentials in ``store`` (all, or the IRIs in ``credentials``) and return the report.

    Results are kept for (credential, framework) pairs that were asked for: the named frameworks, all of them,
    or (by default) those applicable to each credential; core results are always kept.
    """
    named = None if all_frameworks or not frameworks else list(frameworks)
    shapes = load_shapes(store, named)
    catalogue = Catalogue(store)
    chosen = catalogue.credentials if credentials is None else list(dict.fromkeys(credentials))
    missing = [c for c in chosen if c not in catalogue.titles]
    if missing:
        raise McgraphError(f"no credential {', '.join(f'<{c}>' for c in missing)} in the store; "
                           "`mcgraph query catalogue-overview` lists them")
    timings: dict[str, float] = {}
    results = explain(shapes, result_rows(store, shapes, engine, timings=timings))
    wanted = set(chosen)
    by_cred: dict[str, set[str]] = {}
    for c in chosen:
        by_cred[c] = set(shapes.frameworks) if (named or all_frameworks) else set(applicable(catalogue, shapes, c))
    catalogue.resolve(r.focus for r in results)
    kept = []
    owners: dict[str, str] = {}
    for r in results:
        owner = catalogue.credential_of(r.focus)
        if owner is None:
            if credentials is None:
                kept.append(r)  # a finding about something no credential owns (e.g. a dangling credit value)
            continue
        if owner not in wanted:
            continue
        if r.framework is None or r.framework in by_cred[owner]:
            kept.append(r)
            if r.focus:
                owners[r.focus] = owner
    labels = dict(catalogue.titles)
    labels.update({short: fw.label for short, fw in shapes.frameworks.items()})
    report = CheckReport(kept, checked=tuple(chosen), frameworks=tuple(sorted(shapes.frameworks)), labels=labels,
                         title="mcgraph validate", engine=engine,
                         scope={c: tuple(sorted(v)) for c, v in by_cred.items()},
                         owner=owners)
    report.notes.append(f"validated in {timings.get('validate', 0):.2f} s with the {engine} engine")
    return report


__all__ = ["ENGINES", "Catalogue", "applicable", "explain", "raw_results", "result_rows", "validate"]


def source_names(store: GraphStore) -> dict[str, str]:
    """Readable names of cited sources: "seed 002, Ireland" or the document's title."""
    out = {}
    for row in get_query("source-labels").run(store):
        iri = row["source"].value  # type: ignore[union-attr]
        title = row["title"].value if row["title"] is not None else None
        ident = row["ident"].value if row["ident"] is not None else None
        doc = row["docTitle"].value if row["docTitle"] is not None else None
        if row["doc"] is not None:
            out[iri] = f"{ident or doc}, section \"{title}\"" if title else (ident or doc or iri)
        else:
            out[iri] = f"{title} ({ident})" if ident and title else (title or iri)
    out.setdefault("https://w3id.org/mcgraph/ontology", "mcgraph ontology (ontology/mcgraph.ttl)")
    return out
