"""networkx projections of the store for the analyses, built from named queries and cached per store state.

A :class:`Projection` reads what the analyses need once — the skill hierarchy (``skos:broader`` into
skills), every occupation's skill requirements (the occupation–skill bipartite graph), every credential's
skill claims and the facts used to weigh and filter credentials — and keeps it in memory. :func:`projection`
returns the cached projection of a store while the store's load records (one per named graph, rewritten by
every load, build or drop) are unchanged, and a fresh one after any of them changes.

Each part is read on first use, so a single gap reads only the hierarchy.

>>> from mcgraph.store import EmbeddedStore
>>> p = projection(EmbeddedStore())
>>> p.hierarchy.number_of_edges(), len(p.credentials)
(0, 0)
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property

import networkx as nx

from ..namespaces import MCG, OASIS, ONET
from ..queries import NamedQuery, get_query
from ..store import GraphStore, QueryResult

ESSENTIAL, OPTIONAL = str(MCG.Essential), str(MCG.Optional)
TAXONOMIES = ("esco", "oasis", "onet")
#: The concept schemes whose rated requirements count as skills and knowledge, per rating taxonomy.
RATED_SCHEMES: dict[str, tuple[str, ...]] = {
    "oasis": (str(OASIS["skills"]), str(OASIS["knowledge"])),
    "onet": (str(ONET["skills"]), str(ONET["knowledge"])),
}


@dataclass(frozen=True)
class Requirement:
    """One ``mcg:SkillRequirement`` of an occupation, as the loaders write it."""

    occupation: str
    skill: str
    label: str
    kind: str | None = None                 # "essential" | "optional" (ESCO) | None
    level: Decimal | None = None
    level_scale: str | None = None
    importance: Decimal | None = None
    importance_scale: str | None = None
    taxonomy: str | None = None             # the concept scheme the requirement comes from
    not_relevant: bool = False
    suppress: bool = False

    @property
    def family(self) -> str:
        """The taxonomy family: ``esco`` (essential/optional links), ``oasis``, ``onet`` or ``other``."""
        if self.kind is not None:
            return "esco"
        if self.taxonomy and self.taxonomy.startswith(str(OASIS)):
            return "oasis"
        if self.taxonomy and self.taxonomy.startswith(str(ONET)):
            return "onet"
        return "other"


@dataclass(frozen=True)
class Claim:
    """A credential's skill claim: the skill and, when stated, its level on a scale."""

    credential: str
    skill: str
    level: Decimal | None = None
    scale: str | None = None


@dataclass(frozen=True)
class CredentialInfo:
    """What the analyses weigh and filter credentials by."""

    iri: str
    title: str
    hours: Decimal | None = None
    price: Decimal | None = None
    currency: str | None = None
    provider: str | None = None
    provider_name: str | None = None
    jurisdictions: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()


@cache
def _named(name: str) -> NamedQuery:
    return get_query(name)


def run_query(store: GraphStore, name: str, **params: object) -> QueryResult:
    """:func:`mcgraph.queries.run_query` with the query file parsed once per process (listing the query
    folder on every call costs milliseconds a warm gap cannot spare); parameters are bound by the engine
    (:meth:`~mcgraph.queries.NamedQuery.run`) all the same."""
    return _named(name).run(store, **params)


def _text(row: dict, key: str) -> str | None:
    term = row.get(key)
    return None if term is None else term.value


def _decimal(row: dict, key: str) -> Decimal | None:
    text = _text(row, key)
    return None if text is None else Decimal(text)


def _flag(row: dict, key: str) -> bool:
    return _text(row, key) in ("true", "1")


def requirements_from_rows(rows: Iterable[dict]) -> dict[str, list[Requirement]]:
    """Requirements per occupation from ``analysis-requirements`` rows, one per (occupation, skill):
    when two loads state the same link (two ESCO releases), essential wins over optional."""
    found: dict[tuple[str, str], Requirement] = {}
    for row in rows:
        occupation, skill = row["occupation"].value, row["skill"].value
        kind_iri = _text(row, "kind")
        kind = {ESSENTIAL: "essential", OPTIONAL: "optional"}.get(kind_iri or "", None)
        req = Requirement(occupation, skill, _text(row, "label") or skill, kind, _decimal(row, "level"),
                          _text(row, "levelScale"), _decimal(row, "importance"), _text(row, "importanceScale"),
                          _text(row, "taxonomy"), _flag(row, "notRelevant"), _flag(row, "suppress"))
        old = found.get((occupation, skill))
        if old is None or (old.kind == "optional" and kind == "essential"):
            found[(occupation, skill)] = req
    out: dict[str, list[Requirement]] = defaultdict(list)
    for (occupation, _), req in sorted(found.items()):
        out[occupation].append(req)
    return dict(out)


def esco_links_from_result(result: QueryResult) -> dict[str, list[Requirement]]:
    """Requirements per occupation from ``analysis-esco-links`` (occupation, skill, "essential"/"optional"),
    by the rule of :func:`requirements_from_rows` (essential wins), read straight from the result rows: the
    full ESCO has ~125,000 links, so no per-row dict."""
    at = {name: i for i, name in enumerate(result.variables)}
    o, s, k = at["occupation"], at["skill"], at["kind"]
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in result.rows:
        links = found[row[o].value]
        skill = row[s].value
        if links.get(skill) != "essential":
            links[skill] = row[k].value
    return {occupation: [Requirement(occupation, skill, skill, kind) for skill, kind in sorted(links.items())]
            for occupation, links in sorted(found.items())}


def claims_from_rows(rows: Iterable[dict]) -> list[Claim]:
    return [Claim(r["credential"].value, r["skill"].value, _decimal(r, "level"), _text(r, "scale")) for r in rows]


def credentials_from_facts(rows: Iterable[dict], keep: set[str], provider_names: dict[str, str | None]
                           ) -> dict[str, CredentialInfo]:
    """:class:`CredentialInfo` of the credentials in ``keep`` from ``analysis-credentials`` fact rows."""
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        iri = r["credential"].value
        if iri in keep:
            facts[iri][r["property"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]].append(r["value"].value)
    out = {}
    for iri in sorted(keep):
        f = facts.get(iri, {})

        def one(key: str) -> str | None:
            values = sorted(f.get(key, ()))
            return values[0] if values else None

        hours, price, provider = one("notionalHours"), one("price"), one("provider")
        out[iri] = CredentialInfo(iri, one("title") or iri, Decimal(hours) if hours else None,
                                  Decimal(price) if price else None, one("priceCurrency"), provider,
                                  provider_names.get(provider or "") if provider else None,
                                  tuple(sorted(f.get("jurisdiction", ()))),
                                  tuple(sorted(f.get("conformsToFramework", ()))))
    return out


class Projection:
    """In-memory views of one store state (see the module docstring). Parts are read on first use."""

    def __init__(self, store: GraphStore, state: tuple = ()) -> None:
        self.store = store
        self.state = state
        self._ancestors: dict[str, frozenset[str]] = {}
        self._families: dict[str, dict[str, list[Requirement]]] = {}
        self._labels: dict[str, str] = {}
        self._occupations: dict[str, list[Requirement]] = {}
        self._occupation_rows: dict[tuple, list[dict[str, str | None]]] = {}
        self._claims_of: dict[str, list[Claim]] = {}
        self._claims_on: dict[str, list[Claim]] = {}
        self._credential: dict[str, CredentialInfo | None] = {}

    # -- the skill hierarchy -----------------------------------------------------------------------
    @cached_property
    def hierarchy(self) -> nx.DiGraph:
        """Skill hierarchy: an edge narrower → broader for every ``skos:broader`` link into a skill."""
        graph = nx.DiGraph()
        graph.add_edges_from((r["narrower"].value, r["broader"].value)
                             for r in run_query(self.store, "analysis-broader"))
        return graph

    def broader(self, skill: str) -> frozenset[str]:
        """Every concept ``skill`` reaches by ``skos:broader`` (not itself; cycles in the data are harmless)."""
        found = self._ancestors.get(skill)
        if found is None:
            graph = self.hierarchy
            found = frozenset(nx.descendants(graph, skill)) - {skill} if skill in graph else frozenset()
            self._ancestors[skill] = found
        return found

    # -- occupations and their requirements ----------------------------------------------------------
    def requirements_of(self, occupation: str) -> list[Requirement]:
        """One occupation's requirements, every taxonomy, with skill labels (one small query)."""
        reqs = self._occupations.get(occupation)
        if reqs is None:
            rows = run_query(self.store, "analysis-requirements", occupation=occupation)
            reqs = self._occupations[occupation] = requirements_from_rows(rows).get(occupation, [])
            for req in reqs:
                self._labels.setdefault(req.skill, req.label)
        return reqs

    def requirements_in(self, family: str) -> dict[str, list[Requirement]]:
        """Every occupation's requirements from one taxonomy family (``esco``, ``oasis``, ``onet``), read
        once with lean queries (no labels: see :meth:`label`)."""
        if family not in self._families:
            if family == "esco":
                self._families[family] = esco_links_from_result(run_query(self.store, "analysis-esco-links"))
            elif family in RATED_SCHEMES:
                rows = [r for scheme in RATED_SCHEMES[family]
                        for r in run_query(self.store, "analysis-rated-requirements", taxonomy=scheme)]
                self._families[family] = requirements_from_rows(rows)
            else:
                raise ValueError(f"unknown taxonomy family {family!r}; one of {', '.join(TAXONOMIES)}")
        return self._families[family]

    def bipartite(self, family: str) -> nx.Graph:
        """Occupation–skill bipartite graph of one taxonomy family (node attribute ``bipartite``: 0 =
        occupation, 1 = skill); each edge carries its :class:`Requirement` as ``requirement``."""
        graph = nx.Graph()
        for occupation, reqs in self.requirements_in(family).items():
            graph.add_node(occupation, bipartite=0)
            for req in reqs:
                graph.add_node(req.skill, bipartite=1)
                graph.add_edge(occupation, req.skill, requirement=req)
        return graph

    def occupations(self, **params: str) -> list[dict[str, str | None]]:
        """Rows of ``analysis-occupation`` (occupation, label, notation, schemes) for an IRI or a code."""
        key = tuple(sorted(params.items()))
        if key not in self._occupation_rows:
            self._occupation_rows[key] = run_query(self.store, "analysis-occupation", **params).dicts()
        return self._occupation_rows[key]

    def label(self, iri: str) -> str:
        """A concept's English label (else the IRI), read once."""
        found = self._labels.get(iri)
        if found is None:
            rows = run_query(self.store, "analysis-labels", concept=iri).values("label")
            found = self._labels[iri] = rows[0] if rows and rows[0] else iri
        return found

    # -- credentials and claims --------------------------------------------------------------------
    @cached_property
    def claims(self) -> list[Claim]:
        return claims_from_rows(run_query(self.store, "analysis-claims"))

    @cached_property
    def claims_by_skill(self) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims:
            out[claim.skill].append(claim)
        return dict(out)

    @cached_property
    def claims_by_credential(self) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims:
            out[claim.credential].append(claim)
        return dict(out)

    def claims_of(self, credential: str) -> list[Claim]:
        """One credential's claims (from the full read when it was made, else one small query)."""
        if "claims" in self.__dict__:
            return self.claims_by_credential.get(credential, [])
        if credential not in self._claims_of:
            rows = run_query(self.store, "analysis-claims", credential=credential)
            self._claims_of[credential] = claims_from_rows(rows)
        return self._claims_of[credential]

    def claims_on(self, skill: str) -> list[Claim]:
        """The claims on one skill (from the full read when it was made, else one small query)."""
        if "claims" in self.__dict__:
            return self.claims_by_skill.get(skill, [])
        if skill not in self._claims_on:
            self._claims_on[skill] = claims_from_rows(run_query(self.store, "analysis-skill-claims", skill=skill))
        return self._claims_on[skill]

    def credentials_info(self, iris: Iterable[str], *, bulk_above: int = 300) -> dict[str, CredentialInfo]:
        """Facts of the given credentials: one query each for a few, the full read for many."""
        wanted = sorted(set(iris))
        if len(wanted) > bulk_above or "credentials" in self.__dict__:
            return {i: self.credentials[i] for i in wanted if i in self.credentials}
        found = {i: self.credential(i) for i in wanted}
        return {i: info for i, info in found.items() if info is not None}

    @cached_property
    def credentials(self) -> dict[str, CredentialInfo]:
        """Every credential with a skill claim."""
        names = {r["provider"].value: _text(r, "name") for r in run_query(self.store, "analysis-provider-names")}
        return credentials_from_facts(run_query(self.store, "analysis-credentials"), set(self.claims_by_credential),
                                      names)

    def credential(self, iri: str) -> CredentialInfo | None:
        if "credentials" in self.__dict__:
            return self.credentials.get(iri)
        if iri not in self._credential:
            rows = list(run_query(self.store, "analysis-credentials", credential=iri))
            names = {r["provider"].value: _text(r, "name")
                     for r in run_query(self.store, "analysis-provider-names")} if rows else {}
            self._credential[iri] = credentials_from_facts(rows, {iri}, names).get(iri) if rows else None
        return self._credential[iri]

    @cached_property
    def jurisdiction_parents(self) -> dict[str, str]:
        return {r["jurisdiction"].value: r["parent"].value for r in run_query(self.store, "analysis-jurisdictions")}

    def within(self, jurisdiction: str, region: str) -> bool:
        """Whether ``jurisdiction`` is ``region`` or lies inside it (``CA-BC`` within ``CA``)."""
        seen = set()
        while jurisdiction and jurisdiction not in seen:
            if jurisdiction == region:
                return True
            seen.add(jurisdiction)
            jurisdiction = self.jurisdiction_parents.get(jurisdiction, "")
        return False


def store_state(store: GraphStore) -> tuple:
    """What identifies the store's content: every loaded graph and the time of its load record."""
    return run_query(store, "analysis-store-state").rows


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def projection(store: GraphStore) -> Projection:
    """The cached projection of ``store``, rebuilt when the store's load records change."""
    state = store_state(store)
    try:
        cached = _CACHE.get(store)
    except TypeError:  # a store that cannot be weakly referenced: no cache
        return Projection(store, state)
    if cached is None or cached.state != state:
        cached = Projection(store, state)
        _CACHE[store] = cached
    return cached
