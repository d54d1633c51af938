"""SKOS integrity checks over a set of triples, with a report a taxonomy author can read.

The checks follow the integrity conditions of the SKOS Reference (W3C 2009) and the common quality
checks of qSKOS; each issue has a severity, the concept it is about, and a message:

==========================  =========  ========================================================================
check                       severity   what it finds
==========================  ========  =========================================================================
pref-label-per-language     error     more than one ``skos:prefLabel`` in one language (SKOS S14)
label-clash                 error     the same label is preferred and alternative/hidden (SKOS S13)
broader-cycle               error     a ``skos:broader`` / ``skos:narrower`` cycle (qSKOS "cyclic hierarchy")
not-in-scheme               error     a concept in no scheme (no inScheme, topConceptOf or hasTopConcept)
related-broader-clash       error     ``skos:related`` between concepts that are hierarchically linked (S27)
undefined-broader           warning   ``skos:broader`` pointing to something not defined as a concept here
missing-pref-label          warning   a concept with no ``skos:prefLabel``
top-concept-has-broader     warning   a top concept with a broader concept in the same scheme
scheme-without-top-concept  warning   a scheme with concepts but no top concept
undefined-scheme            warning   ``skos:inScheme`` pointing to something not typed skos:ConceptScheme
==========================  ========  =========================================================================

A concept is anything typed ``skos:Concept`` or a subclass of it (declared in the same data with
``rdfs:subClassOf``, or one of mcgraph's own: ``mcg:Skill``, ``mcg:Occupation``, ``mcg:SkillLevelConcept``).

>>> import pyoxigraph as ox
>>> ttl = b'''@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix : <http://ex/> .
... :s a skos:ConceptScheme ; skos:hasTopConcept :a .
... :a a skos:Concept ; skos:inScheme :s ; skos:prefLabel "A"@en .
... :b a skos:Concept ; skos:prefLabel "B"@en, "Bee"@en ; skos:broader :a .'''
>>> report = check_skos(ox.parse(ttl, format=ox.RdfFormat.TURTLE))
>>> [(i.rule, i.focus) for i in report.errors]
[('pref-label-per-language', 'http://ex/b'), ('not-in-scheme', 'http://ex/b')]
>>> report.ok
False
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from ..namespaces import MCG, RDF, RDFS, SKOS
from .results import CheckReport, CheckResult, Severity

ERROR, WARNING = Severity.VIOLATION, Severity.WARNING

#: Where the checks come from (dct:source of every SKOS finding).
SKOS_SOURCES = ("SKOS Simple Knowledge Organization System Reference, W3C Recommendation 2009, integrity conditions",
                "qSKOS quality issues (Mader, Haslhofer, Isaac 2012)")

_CONCEPT_CLASSES = {str(SKOS.Concept), str(MCG.Skill), str(MCG.Occupation), str(MCG.SkillLevelConcept)}
_SCHEME = str(SKOS.ConceptScheme)
_TYPE, _SUBCLASS = str(RDF.type), str(RDFS.subClassOf)
_PREF, _ALT, _HIDDEN = str(SKOS.prefLabel), str(SKOS.altLabel), str(SKOS.hiddenLabel)
_BROADER, _NARROWER, _RELATED = str(SKOS.broader), str(SKOS.narrower), str(SKOS.related)
_IN_SCHEME, _TOP_OF, _HAS_TOP = str(SKOS.inScheme), str(SKOS.topConceptOf), str(SKOS.hasTopConcept)

#: Every check this module runs, with its severity, in report order.
CHECKS: dict[str, Severity] = {
    "pref-label-per-language": ERROR,
    "label-clash": ERROR,
    "broader-cycle": ERROR,
    "not-in-scheme": ERROR,
    "related-broader-clash": ERROR,
    "undefined-broader": WARNING,
    "missing-pref-label": WARNING,
    "top-concept-has-broader": WARNING,
    "scheme-without-top-concept": WARNING,
    "undefined-scheme": WARNING,
}


#: A SKOS finding is a :class:`~mcgraph.checks.results.CheckResult` (rule = the check id, focus = the concept).
SkosIssue = CheckResult


@dataclass(frozen=True)
class SchemeSummary:
    """A concept scheme with its label, concept count and top concepts."""

    iri: str
    label: str | None
    concepts: int
    top_concepts: tuple[str, ...]


@dataclass
class SkosReport:
    """The outcome of :func:`check_skos`: issues, concept count and a summary per scheme."""

    issues: list[CheckResult] = field(default_factory=list)
    concepts: int = 0
    schemes: list[SchemeSummary] = field(default_factory=list)
    source: str | None = None

    @property
    def errors(self) -> list[CheckResult]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[CheckResult]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def ok(self) -> bool:
        """True when no check found an error (warnings allowed)."""
        return not self.errors

    def by_check(self) -> dict[str, list[CheckResult]]:
        out: dict[str, list[CheckResult]] = {name: [] for name in CHECKS}
        for issue in self.issues:
            out.setdefault(issue.rule, []).append(issue)
        return {k: v for k, v in out.items() if v}

    def summary(self) -> str:
        scope = f"{_count(self.concepts, 'concept')} in {_count(len(self.schemes), 'scheme')}"
        verdict = "no problems" if not self.issues else \
            f"{_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')}"
        return f"SKOS check{f' of {self.source}' if self.source else ''}: {scope} — {verdict}"

    def render_text(self, max_examples: int = 10) -> str:
        """A plain-text report: summary, schemes, then issues grouped by check (a few examples each)."""
        lines = [self.summary()]
        if self.schemes:
            lines.append("")
            lines.append("Schemes:")
            for s in self.schemes:
                label = f' "{s.label}"' if s.label else ""
                lines.append(f"  <{s.iri}>{label}: {_count(s.concepts, 'concept')}, "
                             f"{_count(len(s.top_concepts), 'top concept')}")
        for severity, title in ((ERROR, "Errors"), (WARNING, "Warnings")):
            groups = {k: v for k, v in self.by_check().items() if CHECKS.get(k, WARNING) == severity}
            if not groups:
                continue
            lines.append("")
            lines.append(f"{title}:")
            for check, issues in groups.items():
                lines.append(f"  {check} ({len(issues):,}):")
                for issue in issues[:max_examples]:
                    where = f"<{issue.focus}> " if issue.focus else ""
                    lines.append(f"    {where}{issue.message}")
                if len(issues) > max_examples:
                    lines.append(f"    … and {len(issues) - max_examples:,} more")
        return "\n".join(lines)

    def to_check_report(self) -> CheckReport:
        """The findings in the common result model (for the shared renderers)."""
        return CheckReport(list(self.issues), checked=(self.source,) if self.source else (),
                           title=self.summary())

    def to_json(self) -> str:
        return json.dumps({
            "source": self.source, "concepts": self.concepts, "ok": self.ok,
            "errors": len(self.errors), "warnings": len(self.warnings),
            "schemes": [{"iri": s.iri, "label": s.label, "concepts": s.concepts,
                         "topConcepts": list(s.top_concepts)} for s in self.schemes],
            "issues": [{"check": i.rule, "severity": i.severity.label, "concept": i.focus, "message": i.message}
                       for i in self.issues],
        }, indent=1, ensure_ascii=False)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _key(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _label(lit: ox.Literal) -> str:
    return f'"{lit.value}"' + (f"@{lit.language}" if lit.language else "")


def check_skos(triples: Iterable[ox.Triple | ox.Quad], *, source: str | None = None) -> SkosReport:
    """Run every check in :data:`CHECKS` over ``triples`` (graph names are ignored)."""
    types: dict[str, set[str]] = defaultdict(set)
    subclass: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, dict[str, list[ox.Literal]]] = defaultdict(lambda: defaultdict(list))
    broader: set[tuple[str, str]] = set()
    related: set[tuple[str, str]] = set()
    in_scheme: dict[str, set[str]] = defaultdict(set)
    top_of: dict[str, set[str]] = defaultdict(set)
    scheme_labels: dict[str, str] = {}
    for t in triples:
        s, p, o = _key(t.subject), t.predicate.value, t.object
        if p == _TYPE:
            types[s].add(_key(o))
        elif p == _SUBCLASS:
            subclass[s].add(_key(o))
        elif p in (_PREF, _ALT, _HIDDEN) and isinstance(o, ox.Literal):
            labels[s][p].append(o)
        elif p == _BROADER:
            broader.add((s, _key(o)))
        elif p == _NARROWER:
            broader.add((_key(o), s))
        elif p == _RELATED:
            related.add((s, _key(o)))
        elif p == _IN_SCHEME:
            in_scheme[s].add(_key(o))
        elif p == _TOP_OF:
            top_of[s].add(_key(o))
            in_scheme[s].add(_key(o))
        elif p == _HAS_TOP:
            top_of[_key(o)].add(s)
            in_scheme[_key(o)].add(s)

    concept_classes = _concept_classes(subclass)
    concepts = {s for s, ts in types.items() if ts & concept_classes}
    schemes = {s for s, ts in types.items() if _SCHEME in ts}
    for s in schemes:
        prefs = labels.get(s, {}).get(_PREF) or []
        scheme_labels[s] = next((lit.value for lit in prefs if lit.language in ("en", "")), None) or \
            (prefs[0].value if prefs else None)  # type: ignore[assignment]
    issues: list[CheckResult] = []

    def add(check: str, concept: str | None, message: str) -> None:
        issues.append(CheckResult(CHECKS[check], concept, check, message, source=SKOS_SOURCES))

    for c in sorted(concepts):
        by_kind = labels.get(c, {})
        prefs = by_kind.get(_PREF, [])
        per_lang: dict[str, list[ox.Literal]] = defaultdict(list)
        for lit in prefs:
            per_lang[(lit.language or "").lower()].append(lit)
        for lang, lits in sorted(per_lang.items()):
            distinct = sorted({lit.value for lit in lits})
            if len(distinct) > 1:
                where = f"in {lang!r}" if lang else "without a language tag"
                add("pref-label-per-language", c,
                    f"{len(distinct)} preferred labels {where}: {', '.join(repr(v) for v in distinct)}")
        pref_set = {(lit.value, (lit.language or "").lower()) for lit in prefs}
        for kind, name in ((_ALT, "alternative"), (_HIDDEN, "hidden")):
            for lit in by_kind.get(kind, []):
                if (lit.value, (lit.language or "").lower()) in pref_set:
                    add("label-clash", c, f"{_label(lit)} is both the preferred and an {name} label")
        if not in_scheme.get(c):
            add("not-in-scheme", c, "is in no concept scheme (add skos:inScheme or skos:topConceptOf)")
        if not prefs:
            add("missing-pref-label", c, "has no skos:prefLabel")
        for scheme in sorted(in_scheme.get(c, ())):
            if scheme not in schemes:
                add("undefined-scheme", c, f"skos:inScheme <{scheme}>, which is not typed skos:ConceptScheme here")

    graph = nx.DiGraph()
    graph.add_nodes_from(concepts)
    graph.add_edges_from(broader)
    for narrower, wider in sorted(broader):
        if narrower in concepts and wider not in concepts:
            add("undefined-broader", narrower, f"skos:broader <{wider}>, which is not defined as a concept here")
    for component in sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1):
        cycle = nx.find_cycle(graph.subgraph(component), source=component[0])
        path = [u for u, _ in cycle] + [cycle[-1][1]]
        add("broader-cycle", component[0], f"skos:broader cycle of {len(component)} concepts: "
            + " → ".join(f"<{n}>" for n in path))
    for node in sorted(n for n in graph.nodes if graph.has_edge(n, n)):
        add("broader-cycle", node, "is its own skos:broader")
    for a, b in sorted(related):
        if a in graph and b in graph and a != b and (nx.has_path(graph, a, b) or nx.has_path(graph, b, a)):
            add("related-broader-clash", a, f"skos:related <{b}>, but the two are also linked by skos:broader")
    for c in sorted(top_of):
        for scheme in sorted(top_of[c]):
            above = sorted(w for n, w in graph.out_edges(c) if scheme in in_scheme.get(w, ()))
            if above and c in concepts:
                add("top-concept-has-broader", c, f"is a top concept of <{scheme}> but has broader <{above[0]}> "
                    "in the same scheme")

    members: dict[str, int] = defaultdict(int)
    for c in concepts:
        for scheme in in_scheme.get(c, ()):
            members[scheme] += 1
    tops: dict[str, list[str]] = defaultdict(list)
    for c, ss in top_of.items():
        for scheme in ss:
            tops[scheme].append(c)
    summaries = []
    for scheme in sorted(schemes | set(members)):
        summaries.append(SchemeSummary(scheme, scheme_labels.get(scheme), members.get(scheme, 0),
                                       tuple(sorted(tops.get(scheme, ())))))
        if scheme in schemes and members.get(scheme) and not tops.get(scheme):
            add("scheme-without-top-concept", scheme,
                f"has {_count(members[scheme], 'concept')} but no top concept (skos:hasTopConcept / skos:topConceptOf)")
    order = {name: n for n, name in enumerate(CHECKS)}
    issues.sort(key=lambda i: (order[i.rule], i.focus or ""))
    return SkosReport(issues, len(concepts), summaries, source)


def _concept_classes(subclass: dict[str, set[str]]) -> set[str]:
    """skos:Concept, mcgraph's concept classes and every class declared (transitively) below them."""
    found = set(_CONCEPT_CLASSES)
    changed = True
    while changed:
        changed = False
        for cls, supers in subclass.items():
            if cls not in found and supers & found:
                found.add(cls)
                changed = True
    return found
