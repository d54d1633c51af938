"""Qualification levels and the official crosswalks between them, read from a built store.

The data is curated in ``data/frameworks/`` and loaded by ``mcgraph build``: qualification frameworks are SKOS
schemes with a short name (``nfq``, ``eqf``, ``scqf``, ``aqf``, ``nzqcf``, ``wsq``, ``oqf``, ``cdqf``),
and each level-to-level link of an official referencing or comparison report is a SKOS mapping annotated
with its report (``dct:source``). A lookup never guesses: a level no report links answers
"no official mapping".

>>> from mcgraph.store import EmbeddedStore
>>> from mcgraph.build import build
>>> store = EmbeddedStore()
>>> _ = list(build(store))
>>> answer = crosswalk_level(store, "nfq:9", "eqf")
>>> [t.label for t in answer.targets]
['EQF level 7']
>>> crosswalk_level(store, "nzqcf:8", "eqf").mapped
False
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from .errors import McgraphError
from .namespaces import GRAPH, SKOS, expand_curie
from .queries import run_query
from .store import GraphStore

FRAMEWORKS_GRAPH_PREFIX = str(GRAPH["frameworks/"])
"""Named graphs written by ``mcgraph build`` from ``data/frameworks/*.ttl`` start with this."""

_LEVEL_NAME = re.compile(r"^\s*([A-Za-z][\w-]*)\s*[: ]\s*(\d+)\s*$")
_RELATION_TEXT = {
    str(SKOS.exactMatch): "exact match",
    str(SKOS.closeMatch): "close match",
    str(SKOS.broadMatch): "broader level",
    str(SKOS.narrowMatch): "narrower level",
    str(SKOS.relatedMatch): "related level",
}


_INVERSE = {str(SKOS.broadMatch): str(SKOS.narrowMatch), str(SKOS.narrowMatch): str(SKOS.broadMatch)}


class FrameworksNotLoadedError(McgraphError):
    """The store has no qualification-framework data (``mcgraph build`` was not run)."""


class UnknownLevelError(McgraphError):
    """A level or framework name that the loaded frameworks do not define."""


@dataclass(frozen=True)
class QualificationFramework:
    """A qualification framework (level scheme) known to the store."""

    iri: str
    short_name: str
    label: str
    jurisdiction: str | None
    levels: int
    max_level: int
    crosswalks: int


@dataclass(frozen=True)
class Level:
    """One level of a qualification framework."""

    iri: str
    label: str
    number: int
    framework: str  # short name

    @property
    def name(self) -> str:
        """The prefixed name, e.g. ``nfq:9``."""
        return f"{self.framework}:{self.number}"


@dataclass(frozen=True)
class Source:
    """A document (or a section of one) that a fact cites."""

    iri: str
    label: str


@dataclass(frozen=True)
class LevelLink:
    """One official link from the looked-up level to a level of the target framework."""

    target: Level
    relation: str
    direction: str  # "forward": level → target as published; "inverse": published as target → level
    span: bool
    crosswalk: str
    crosswalk_title: str
    sources: tuple[Source, ...]

    @property
    def relation_from_level(self) -> str:
        """The SKOS mapping from the looked-up level towards the target (inverted for inverse links)."""
        if self.direction == "inverse":
            return _INVERSE.get(self.relation, self.relation)
        return self.relation

    @property
    def relation_text(self) -> str:
        rel = self.relation_from_level
        return _RELATION_TEXT.get(rel, rel.rsplit("#", 1)[-1])


@dataclass(frozen=True)
class Coverage:
    """A crosswalk between the two frameworks that does not link the level, and why (its note)."""

    crosswalk: str
    title: str
    note: str | None
    deliberately_unmapped: bool
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class CrosswalkAnswer:
    """The official mapping of one level into another framework (possibly none)."""

    level: Level
    target: QualificationFramework
    links: tuple[LevelLink, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    via_first: CrosswalkAnswer | None = None  # with --via: level → intermediate framework
    via_second: tuple[CrosswalkAnswer, ...] = field(default=())  # intermediate levels → target

    @property
    def mapped(self) -> bool:
        return bool(self.links)

    @property
    def targets(self) -> list[Level]:
        """The target levels, lowest first, each once."""
        seen: dict[str, Level] = {}
        for link in self.links:
            seen.setdefault(link.target.iri, link.target)
        return sorted(seen.values(), key=lambda lv: lv.number)

    @property
    def is_span(self) -> bool:
        """The level is placed across several target levels (a span), as opposed to one level."""
        return any(link.span for link in self.links) or (
            len(self.targets) > 1 and all(link.direction == "forward" for link in self.links)
        )

    @property
    def shared(self) -> bool:
        """Several target levels correspond to the one looked-up level (a backwards lookup)."""
        return len(self.targets) > 1 and not self.is_span

    @property
    def sources(self) -> list[Source]:
        seen: dict[str, Source] = {}
        for link in self.links:
            for s in link.sources:
                seen.setdefault(s.iri, s)
        return list(seen.values())

    def summary(self) -> str:
        """One line: ``NFQ level 9 → EQF level 7`` or ``… → EQF: no official mapping``."""
        if not self.mapped:
            return f"{self.level.label} → {self.target.short_name.upper()}: no official mapping"
        return f"{self.level.label} → {', '.join(t.label for t in self.targets)}"

    def explain(self) -> list[str]:
        """Lines explaining the answer: relation, span, crosswalk, sources; or why there is no mapping."""
        lines: list[str] = []
        if self.via_first is not None:
            lines.append(
                f"derived in two steps via {self.via_first.target.label}: NOT an official direct mapping"
            )
            lines.append(f"step 1: {self.via_first.summary()}")
            lines += [f"step 2: {step.summary()}" for step in self.via_second]
            lines += [f"source: {s.label}" for s in self.via_first.sources]
            lines += [
                f"source: {s.label}"
                for step in self.via_second
                for s in step.sources
                if s not in self.via_first.sources
            ]
            return list(dict.fromkeys(lines))
        if self.mapped:
            targets = self.targets
            if self.is_span:
                lines.append(
                    f"span: {self.level.label} is placed across {len(targets)} levels "
                    f"({', '.join(t.label for t in targets)}); none of them alone is the answer"
                )
            elif self.shared:
                lines.append(
                    f"{len(targets)} levels of {self.target.short_name.upper()} correspond to "
                    f"{self.level.label}: {', '.join(t.label for t in targets)}"
                )
            for title in dict.fromkeys(link.crosswalk_title for link in self.links):
                relations = dict.fromkeys(  # links are ordered by target level number
                    f"{lk.relation_text} ({lk.target.label})" for lk in self.links if lk.crosswalk_title == title
                )
                lines.append(f"crosswalk: {title}: {', '.join(relations)}")
            lines += [f"source: {s.label}" for s in self.sources]
        if not self.mapped:
            if not self.coverage:
                lines.append(
                    f"no official referencing or comparison between {self.level.framework.upper()} and "
                    f"{self.target.short_name.upper()} is known to mcgraph"
                )
            for cov in self.coverage:
                if cov.deliberately_unmapped:
                    lines.append(
                        f"{cov.title}: the report deliberately gives {self.level.label} no "
                        f"{self.target.short_name.upper()} level"
                    )
                else:
                    lines.append(f"{cov.title}: this level is not linked in the encoded data")
                if cov.note:
                    lines.append(f"note: {cov.note}")
                lines += [f"source: {s.label}" for s in cov.sources]
        return lines

    def to_dict(self) -> dict[str, object]:
        return {
            "level": {"iri": self.level.iri, "label": self.level.label, "name": self.level.name},
            "target_framework": self.target.short_name,
            "mapped": self.mapped,
            "official": self.mapped and self.via_first is None,
            "span": self.is_span,
            "targets": [{"iri": t.iri, "label": t.label, "name": t.name} for t in self.targets],
            "links": [
                {
                    "target": lk.target.iri,
                    "relation": lk.relation,
                    "direction": lk.direction,
                    "span": lk.span,
                    "crosswalk": lk.crosswalk,
                    "sources": [s.iri for s in lk.sources],
                }
                for lk in self.links
            ],
            "explanation": self.explain(),
        }


# -- store access -------------------------------------------------------------------------------------


def require_frameworks(store: GraphStore) -> None:
    """Raise :class:`FrameworksNotLoadedError` unless ``mcgraph build`` has loaded ``data/frameworks/``."""
    if not any(info.graph.startswith(FRAMEWORKS_GRAPH_PREFIX) for info in store.graph_records()):
        where = store.location
        raise FrameworksNotLoadedError(
            f"the qualification frameworks are not in the store{f' at {where}' if where else ''}: "
            "run `mcgraph build` first"
        )


def qualification_frameworks(store: GraphStore) -> dict[str, QualificationFramework]:
    """Every qualification framework in the store by short name."""
    out = {}
    for row in run_query(store, "qualification-frameworks").dicts():
        fw = QualificationFramework(
            row["framework"] or "",
            row["shortName"] or "",
            row["label"] or "",
            row["jurisdiction"],
            int(row["levels"] or 0),
            int(row["maxLevel"] or 0),
            int(row["crosswalks"] or 0),
        )
        out[fw.short_name] = fw
    return out


def resolve_framework(store: GraphStore, text: str) -> QualificationFramework:
    """A framework by short name (``eqf``) or scheme IRI."""
    frameworks = qualification_frameworks(store)
    key = text.strip().lower()
    if key in frameworks:
        return frameworks[key]
    for fw in frameworks.values():
        if fw.iri == text.strip().strip("<>"):
            return fw
    raise UnknownLevelError(
        f"unknown qualification framework {text!r}; known: {', '.join(sorted(frameworks))}"
    )


def resolve_level(store: GraphStore, text: str) -> Level:
    """A level from ``nfq:9`` (short name and number) or from its IRI (full, ``<…>`` or ``eqf:7``)."""
    frameworks = qualification_frameworks(store)
    match = _LEVEL_NAME.match(text)
    if match and match.group(1).lower() in frameworks:
        fw = frameworks[match.group(1).lower()]
        number = int(match.group(2))
        rows = run_query(store, "framework-level", framework=fw.short_name, number=number).dicts()
        if not rows:
            raise UnknownLevelError(f"{fw.label} has no level {number} (its levels are 1-{fw.max_level})")
        return Level(rows[0]["level"] or "", rows[0]["label"] or "", number, fw.short_name)
    iri = text.strip()
    if iri.startswith("<") and iri.endswith(">"):
        iri = iri[1:-1]
    elif "://" not in iri:
        iri = expand_curie(iri) or iri
    if "://" in iri:
        rows = run_query(store, "level-info", level=iri).dicts()
        if rows:
            r = rows[0]
            return Level(r["level"] or "", r["label"] or "", int(r["number"] or 0), r["shortName"] or "")
        raise UnknownLevelError(f"<{iri}> is not a level of any loaded qualification framework")
    raise UnknownLevelError(
        f"cannot read the level {text!r}: write FRAMEWORK:NUMBER (e.g. nfq:9) or a level IRI; "
        f"frameworks: {', '.join(sorted(frameworks))}"
    )


def _sources(pairs: Iterable[tuple[str | None, str | None]]) -> tuple[Source, ...]:
    seen: dict[str, Source] = {}
    for iri, label in pairs:
        if iri:
            seen.setdefault(iri, Source(iri, label or iri))
    return tuple(seen.values())


def _direct(store: GraphStore, level: Level, target: QualificationFramework) -> CrosswalkAnswer:
    rows = run_query(store, "level-crosswalk", level=level.iri, scheme=target.iri).dicts()
    grouped: dict[tuple[str, str, str], list[dict[str, str | None]]] = defaultdict(list)
    for r in rows:
        grouped[(r["target"] or "", r["relation"] or "", r["crosswalk"] or "")].append(r)
    links = []
    for (target_iri, relation, crosswalk), group in grouped.items():
        first = group[0]
        links.append(
            LevelLink(
                Level(
                    target_iri, first["targetLabel"] or "", int(first["targetNumber"] or 0), target.short_name
                ),
                relation,
                first["direction"] or "",
                any(r["span"] == "true" for r in group),
                crosswalk,
                first["crosswalkTitle"] or crosswalk,
                _sources((r["source"], r["sourceLabel"]) for r in group),
            )
        )
    links.sort(key=lambda lk: (lk.target.number, lk.crosswalk))
    coverage: list[Coverage] = []
    if not links:
        cov_rows = run_query(store, "crosswalk-coverage", level=level.iri, scheme=target.iri).dicts()
        by_crosswalk: dict[str, list[dict[str, str | None]]] = defaultdict(list)
        for r in cov_rows:
            by_crosswalk[r["crosswalk"] or ""].append(r)
        for cw, group in by_crosswalk.items():
            coverage.append(
                Coverage(
                    cw,
                    group[0]["title"] or cw,
                    group[0]["note"],
                    any(r["unmapped"] == "true" for r in group),
                    _sources((r["source"], r["sourceLabel"]) for r in group),
                )
            )
    return CrosswalkAnswer(level, target, tuple(links), tuple(coverage))


def crosswalk_level(
    store: GraphStore, level: str | Level, target: str, *, via: str | None = None
) -> CrosswalkAnswer:
    """Map ``level`` (``nfq:9`` or an IRI) into framework ``target`` (``eqf``) using official crosswalks only.

    With ``via`` (e.g. ``eqf``) the answer is derived in two steps through that framework and says so: it is a
    comparison through a common reference framework, not an official direct mapping.
    """
    require_frameworks(store)
    lv = level if isinstance(level, Level) else resolve_level(store, level)
    tgt = resolve_framework(store, target)
    if via is None:
        if lv.framework == tgt.short_name:
            raise UnknownLevelError(f"{lv.label} is already a level of {tgt.label}")
        return _direct(store, lv, tgt)
    mid = resolve_framework(store, via)
    if mid.short_name in (lv.framework, tgt.short_name):
        raise UnknownLevelError(
            "--via must name a third framework, different from the level's and the target's"
        )
    first = _direct(store, lv, mid)
    seconds = [_direct(store, step, tgt) for step in first.targets]
    links = tuple(link for answer in seconds for link in answer.links)
    return CrosswalkAnswer(lv, tgt, links, (), via_first=first, via_second=tuple(seconds))


# -- checks ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkRow:
    """One crosswalk link, as numbers: for monotonicity checks."""

    crosswalk: str
    from_framework: str
    from_number: int
    to_framework: str
    to_number: int
    sources: int = 1


def crosswalk_links(store: GraphStore) -> list[LinkRow]:
    """Every official crosswalk link in the store."""
    return [
        LinkRow(
            r["crosswalk"] or "",
            r["fromFramework"] or "",
            int(r["fromNumber"] or 0),
            r["toFramework"] or "",
            int(r["toNumber"] or 0),
            int(r["sources"] or 0),
        )
        for r in run_query(store, "crosswalk-links").dicts()
    ]


def monotonicity_violations(links: Iterable[LinkRow]) -> list[str]:
    """Pairs of levels where a higher level maps lower than a lower one does, per crosswalk.

    For levels a < b of the same framework in one crosswalk, the target levels of b must not start lower, nor
    end lower, than those of a (spans are ranges: a span may overlap its neighbours but never go backwards).
    The check runs in both directions (national → reference and reference → national).

    >>> monotonicity_violations([LinkRow("x", "a", 1, "b", 2), LinkRow("x", "a", 2, "b", 1)])[0]
    'x: a 2 maps to b 1-1, lower than a 1 (b 2-2)'
    """
    ranges: dict[tuple[str, str, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for link in links:
        ranges[(link.crosswalk, link.from_framework, link.to_framework)][link.from_number].append(
            link.to_number
        )
        ranges[(link.crosswalk, link.to_framework, link.from_framework)][link.to_number].append(
            link.from_number
        )
    problems = []
    for (crosswalk, frm, to), by_level in sorted(ranges.items()):
        ordered = sorted(by_level.items())
        for (a, ta), (b, tb) in pairwise(ordered):
            if min(tb) < min(ta) or max(tb) < max(ta):
                problems.append(
                    f"{crosswalk}: {frm} {b} maps to {to} {min(tb)}-{max(tb)}, lower than "
                    f"{frm} {a} ({to} {min(ta)}-{max(ta)})"
                )
    return problems
