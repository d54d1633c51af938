"""The stacking graph: credentials, their ``mcg:stacksInto`` links and the pathway rules, held in networkx.

Built from named queries (``queries/internal/stacking-*.rq``, ``pathway-rules.rq``) and cached per store state
(the load records of the metadata graph), so repeated path questions on the same store cost no query.
Cycles in the data (A stacks into B, B into A) are found with networkx and reported, never followed.

>>> from mcgraph.store import EmbeddedStore
>>> from mcgraph.build import build
>>> store = EmbeddedStore()
>>> _ = list(build(store))
>>> graph = stacking_graph(store)
>>> graph.info("https://w3id.org/mcgraph/id/credential/rru-caf-required-1").hours
Decimal('30')
>>> graph.cycles
()
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import networkx as nx

from ..errors import McgraphError
from ..levels import Level, UnknownLevelError, resolve_level
from ..namespaces import MCGID, expand_curie
from ..queries import NamedQuery, get_query, run_query
from ..store import GraphStore

MAX_CYCLES = 20
"""At most this many cycles are listed (the first ones networkx finds)."""


class UnknownCredentialError(McgraphError):
    """A credential given by the user is not in the store."""


@dataclass(frozen=True)
class LevelOf:
    """One qualification level a credential has."""

    iri: str
    number: int | None
    framework: str | None
    label: str

    @property
    def name(self) -> str:
        """``nfq:8`` when the framework is known, else the label."""
        return f"{self.framework}:{self.number}" if self.framework and self.number is not None else self.label


@dataclass(frozen=True)
class CredentialInfo:
    """What stacking paths need to know about one credential."""

    iri: str
    title: str
    kind: str = "micro-credential"
    hours: Decimal | None = None
    price: Decimal | None = None
    currency: str | None = None
    levels: tuple[LevelOf, ...] = ()
    credits: tuple[tuple[Decimal, str], ...] = ()  # (points, credit-system IRI)

    @property
    def short(self) -> str:
        """The catalogue id (``rru-caf``) for mcgraph's own credential IRIs, else the IRI."""
        prefix = str(MCGID["credential/"])
        return self.iri.removeprefix(prefix)

    def credits_in(self, system: str) -> Decimal | None:
        found = [points for points, sys in self.credits if sys == system]
        return sum(found, Decimal(0)) if found else None


@dataclass(frozen=True)
class ChoiceGroup:
    """Options a learner chooses from, with how many to choose and the group's own minimums."""

    iri: str
    label: str
    choose: int
    options: tuple[str, ...]
    minimum_hours: Decimal | None = None
    minimum_credits: Decimal | None = None
    credit_system: str | None = None
    minimum_level: str | None = None


@dataclass(frozen=True)
class Pathway:
    """The rules of one route to a destination credential."""

    iri: str
    label: str
    destination: str
    required: tuple[str, ...] = ()
    groups: tuple[ChoiceGroup, ...] = ()
    minimum_hours: Decimal | None = None
    minimum_credits: Decimal | None = None
    credit_system: str | None = None
    minimum_level: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def parts(self) -> tuple[str, ...]:
        """Every credential that can count on this pathway."""
        return tuple(dict.fromkeys([*self.required, *(o for g in self.groups for o in g.options)]))


@dataclass(frozen=True)
class LevelCheck:
    """Whether a credential meets a minimum level, and how that was decided."""

    ok: bool
    reason: str


@dataclass
class StackingGraph:
    """Credentials and stacking links (``graph``: a networkx DiGraph, edge = stacks into) and pathway rules."""

    store: GraphStore
    graph: nx.DiGraph
    credentials: dict[str, CredentialInfo]
    pathways: dict[str, Pathway]
    by_destination: dict[str, tuple[Pathway, ...]]
    cycles: tuple[tuple[str, ...], ...] = ()
    _level_cache: dict[tuple[str, str], LevelCheck] = field(default_factory=dict, repr=False)
    _known: dict[str, CredentialInfo | None] = field(default_factory=dict, repr=False)
    _links: dict[tuple[str, str], tuple[tuple[int, str, str], ...]] | None = field(default=None, repr=False)
    _levels: dict[str, Level | UnknownLevelError] = field(default_factory=dict, repr=False)
    _reference: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def equivalents(self, level: str, framework: str) -> tuple[tuple[int, str, str], ...]:
        """The levels of ``framework`` an official crosswalk links to ``level`` (either direction), as
        (number, label, crosswalk title), lowest first; empty when no report links them."""
        if self._links is None:
            links: dict[tuple[str, str], set[tuple[int, str, str]]] = defaultdict(set)
            for r in run_query(self.store, "level-links").dicts():
                title = r["crosswalkTitle"] or ""
                links[(r["from"] or "", r["toFramework"] or "")].add((int(r["toNumber"] or 0), r["toLabel"] or "", title))
                links[(r["to"] or "", r["fromFramework"] or "")].add(
                    (int(r["fromNumber"] or 0), r["fromLabel"] or "", title))
            self._links = {k: tuple(sorted(v)) for k, v in links.items()}
        return self._links.get((level, framework), ())

    def level(self, text: str) -> Level:
        """:func:`mcgraph.levels.resolve_level`, asked once per level."""
        if text not in self._levels:
            try:
                self._levels[text] = resolve_level(self.store, text)
            except UnknownLevelError as exc:
                self._levels[text] = exc
        found = self._levels[text]
        if isinstance(found, UnknownLevelError):
            raise found
        return found

    def info(self, credential: str) -> CredentialInfo:
        """What is known about a credential (the IRI itself as title when it is not in the stacking data)."""
        found = self.credentials.get(credential) or self._known.get(credential)
        return found or CredentialInfo(credential, credential)

    def resolve(self, text: str) -> str:
        """A credential IRI from a catalogue id (``rru-caf``), a prefixed name or an IRI; must be in the store."""
        value = text.strip()
        if value.startswith("<") and value.endswith(">"):
            value = value[1:-1]
        elif "://" not in value and not value.startswith("urn:"):
            value = (expand_curie(value) if ":" in value else None) or f"{MCGID}credential/{value}"
        if value in self.credentials:
            return value
        if value not in self._known:
            try:
                rows = run_query(self.store, "credential-known", credential=value).dicts()
            except McgraphError:
                rows = []
            self._known[value] = (
                CredentialInfo(value, rows[0]["title"] or value, rows[0]["kind"] or "credential") if rows else None
            )
        if self._known[value] is None:
            raise UnknownCredentialError(
                f"unknown credential {text!r}: the store has no credential <{value}> "
                "(give a catalogue id such as rru-caf-required-1, a prefixed name or a full IRI)"
            )
        return value

    def meets_level(self, credential: str, minimum: str) -> LevelCheck:
        """Does ``credential`` sit at ``minimum`` (a level IRI) or above? Other frameworks go through the
        official crosswalks (the links of ``data/frameworks/level-crosswalks.ttl``); nothing is guessed."""
        key = (credential, minimum)
        if key not in self._level_cache:
            self._level_cache[key] = self._meets_level(credential, minimum)
        return self._level_cache[key]

    def _meets_level(self, credential: str, minimum: str) -> LevelCheck:
        try:
            need = self.level(minimum)
        except UnknownLevelError as exc:
            return LevelCheck(False, f"the rule's minimum level is unknown: {exc}")
        levels = self.info(credential).levels
        if not levels:
            return LevelCheck(False, f"has no qualification level (needs {need.label} or above)")
        same = [lv for lv in levels if lv.framework == need.framework and lv.number is not None]
        if same:
            best = max(lv.number or 0 for lv in same)
            label = next(lv.label for lv in same if lv.number == best)
            if best >= need.number:
                return LevelCheck(True, f"{label} meets {need.label}")
            return LevelCheck(False, f"{label} is below {need.label}")
        reasons = []
        for lv in levels:
            if not lv.framework or lv.number is None:
                continue
            found = self.equivalents(lv.iri, need.framework)
            if not found:
                reasons.append(f"{lv.label}: no official crosswalk to {need.framework.upper()}")
                continue
            numbers = [number for number, _, _ in found]
            mapped = ", ".join(label for _, label, _ in found)
            cw = found[0][2]
            if min(numbers) >= need.number:
                return LevelCheck(True, f"{lv.label} = {mapped} ({cw}) meets {need.label}")
            if max(numbers) >= need.number:
                reasons.append(f"{lv.label} corresponds to {mapped} ({cw}): not all of them reach {need.label}")
            else:
                reasons.append(f"{lv.label} = {mapped} ({cw}) is below {need.label}")
        return LevelCheck(False, "; ".join(reasons) or f"no level comparable with {need.label}")

    def reference_levels(self, credential: str, framework: str = "eqf") -> str:
        """The credential's levels, each with its ``framework`` equivalent through the official crosswalks:
        ``NFQ level 8 = EQF level 6``. Empty when it has no level."""
        out = []
        for lv in self.info(credential).levels:
            key = (lv.iri, framework)
            if key not in self._reference:
                if lv.framework == framework or not lv.framework:
                    self._reference[key] = lv.label
                else:
                    found = self.equivalents(lv.iri, framework)
                    self._reference[key] = (f"{lv.label} = {', '.join(label for _, label, _ in found)}" if found
                                            else f"{lv.label} (no official {framework.upper()} mapping)")
            out.append(self._reference[key])
        return "; ".join(dict.fromkeys(out))


def _dec(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def build_stacking_graph(store: GraphStore) -> StackingGraph:
    """Read the stacking data out of ``store`` (six named queries) into a :class:`StackingGraph`."""
    levels: dict[str, list[LevelOf]] = defaultdict(list)
    credits: dict[str, list[tuple[Decimal, str]]] = defaultdict(list)
    for row in run_query(store, "stacking-levels").dicts():
        number = int(row["levelNumber"]) if row["levelNumber"] else None
        levels[row["credential"] or ""].append(
            LevelOf(row["level"] or "", number, row["framework"], row["levelLabel"] or row["level"] or ""))
    for row in run_query(store, "stacking-credits").dicts():
        credits[row["credential"] or ""].append((Decimal(row["points"] or 0), row["system"] or ""))
    credentials = {}
    for row in run_query(store, "stacking-credentials").dicts():
        iri = row["credential"] or ""
        credentials[iri] = CredentialInfo(
            iri, row["title"] or iri, row["kind"] or "micro-credential", _dec(row["hours"]), _dec(row["price"]),
            row["currency"], tuple(dict.fromkeys(levels.get(iri, ()))), tuple(dict.fromkeys(credits.get(iri, ()))),
        )
    graph = nx.DiGraph()
    graph.add_nodes_from(credentials)
    for row in run_query(store, "stacking-edges").dicts():
        graph.add_edge(row["credential"], row["target"], kind="stacksInto")
    pathways = _read_pathways(store)
    for pw in pathways.values():
        for part in pw.parts:
            graph.add_edge(part, pw.destination, kind="pathway", pathway=pw.iri)
    by_destination: dict[str, list[Pathway]] = defaultdict(list)
    for pw in pathways.values():
        by_destination[pw.destination].append(pw)
    return StackingGraph(store, graph, credentials, pathways,
                         {d: tuple(sorted(p, key=lambda x: x.iri)) for d, p in by_destination.items()},
                         find_cycles(graph))


def find_cycles(graph: nx.DiGraph, limit: int = MAX_CYCLES) -> tuple[tuple[str, ...], ...]:
    """The cycles of the stacking graph (each as its credentials in order), at most ``limit``."""
    out = []
    for component in nx.strongly_connected_components(graph):
        if len(component) == 1:
            node = next(iter(component))
            if not graph.has_edge(node, node):
                continue
        for cycle in nx.simple_cycles(graph.subgraph(component)):
            out.append(tuple(cycle))
            if len(out) >= limit:
                return tuple(out)
    return tuple(sorted(out))


def _read_pathways(store: GraphStore) -> dict[str, Pathway]:
    facts: dict[str, dict[str, object]] = {}
    required: dict[str, list[str]] = defaultdict(list)
    groups: dict[str, dict[str, dict[str, object]]] = defaultdict(dict)
    for row in run_query(store, "pathway-rules").dicts():
        pw = row["pathway"] or ""
        entry = facts.setdefault(pw, {"label": row["label"] or pw, "sources": []})
        if row["role"] == "pathway":
            for key, col in (("destination", "destination"), ("minimum_hours", "minimumHours"),
                             ("minimum_credits", "minimumCredits"), ("credit_system", "creditSystem"),
                             ("minimum_level", "minimumLevel")):
                if row[col] and key not in entry:
                    entry[key] = row[col]
            if row["source"]:
                entry["sources"].append(row["source"])  # type: ignore[union-attr]
        elif row["role"] == "required" and row["part"]:
            required[pw].append(row["part"])
        elif row["role"] == "option" and row["group"]:
            g = groups[pw].setdefault(row["group"], {"label": row["groupLabel"] or row["group"], "options": [],
                                                     "choose": row["chooseAtLeast"], "hours": row["minimumHours"],
                                                     "credits": row["minimumCredits"], "system": row["creditSystem"],
                                                     "level": row["minimumLevel"]})
            if row["part"]:
                g["options"].append(row["part"])  # type: ignore[union-attr]
    out = {}
    for pw, entry in facts.items():
        if "destination" not in entry:
            continue  # a pathway without a destination leads nowhere; `mcgraph check` reports it
        out[pw] = Pathway(
            pw, str(entry["label"]), str(entry["destination"]), tuple(dict.fromkeys(required[pw])),
            tuple(
                ChoiceGroup(giri, str(g["label"]), int(g["choose"] or 0), tuple(dict.fromkeys(g["options"])),  # type: ignore[arg-type]
                            _dec(g["hours"]), _dec(g["credits"]), g["system"], g["level"])  # type: ignore[arg-type]
                for giri, g in sorted(groups[pw].items())
            ),
            _dec(entry.get("minimum_hours")),  # type: ignore[arg-type]
            _dec(entry.get("minimum_credits")),  # type: ignore[arg-type]
            entry.get("credit_system"),  # type: ignore[arg-type]
            entry.get("minimum_level"),  # type: ignore[arg-type]
            tuple(dict.fromkeys(entry["sources"])),  # type: ignore[arg-type]
        )
    return out


_CACHE: weakref.WeakKeyDictionary[object, tuple[tuple[tuple[str | None, ...], ...], StackingGraph]] = (
    weakref.WeakKeyDictionary()
)


@cache
def _state_query() -> NamedQuery:
    return get_query("store-state")


def store_state(store: GraphStore) -> tuple[tuple[str | None, ...], ...]:
    """A fingerprint of what is loaded: every graph's load time and triple count (metadata graph only)."""
    return tuple((r["g"], r["at"], r["n"]) for r in _state_query().run(store).dicts())


def stacking_graph(store: GraphStore, *, cached: bool = True) -> StackingGraph:
    """The :class:`StackingGraph` of ``store``, rebuilt only when a graph was loaded, replaced or dropped."""
    state = store_state(store)
    if cached:
        try:
            hit = _CACHE.get(store)
        except TypeError:
            hit = None
        if hit is not None and hit[0] == state:
            return hit[1]
    graph = build_stacking_graph(store)
    try:
        _CACHE[store] = (state, graph)
    except TypeError:
        pass
    return graph
