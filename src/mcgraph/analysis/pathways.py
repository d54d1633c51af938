"""Stacking paths: what a learner holding some credentials can stack towards, and the cheapest ways to get there.

Pathways are data (``data/catalog/pathways.ttl``): required parts, choose-N groups, minimum total hours or
credits, and level progression (``mcg:minimumLevel``, compared through the official level crosswalks). For each
reachable destination :func:`paths` returns the cheapest completions (by hours, price or number of credentials),
each step naming the rule it satisfies; a part that is itself the destination of a pathway is earned by
completing that pathway first (an off-ramp on the way). A destination that cannot be completed is refused with
the unmet rule; :func:`check_completion` checks a proposed set of credentials against the rules.

>>> from mcgraph.store import EmbeddedStore
>>> from mcgraph.build import build
>>> store = EmbeddedStore()
>>> _ = list(build(store))
>>> result = paths(store, have=["rru-caf-required-1", "rru-caf-required-2"], to="rru-caf")
>>> best = result.destinations[0].completions[0]
>>> str(best.hours), len(best.steps)
('120', 4)
>>> check_completion(store, "rru-caf", ["rru-caf-required-1", "rru-caf-required-2", "rru-caf-specialist-1",
...     "rru-caf-pathway-policy", "rru-caf-pathway-policy-2"]).reasons[0]
'needs 2 of the specialist group: specialist courses, levels 1 and 2, has 1'
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import networkx as nx

from ..errors import McgraphError
from ..store import GraphStore
from .stacking import CredentialInfo, Pathway, StackingGraph, stacking_graph

METRICS = ("hours", "price", "count")
DEFAULT_LIMIT = 5
"""Completions listed per destination."""
MAX_COMBINATIONS = 5000
"""Combinations of group options tried per pathway; beyond this only the cheapest options of each group are
combined (the result says so)."""


class PathsError(McgraphError):
    """A stacking-path question that cannot be asked (bad metric, no target)."""


@dataclass(frozen=True)
class Step:
    """One credential on a completion: to take (or earn), or already held, and the rule it satisfies."""

    credential: str
    title: str
    rule: str
    pathway: str
    action: str  # "take" | "earn" (an off-ramp: completing its own pathway) | "held"
    hours: Decimal | None = None
    price: Decimal | None = None
    currency: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"credential": self.credential, "title": self.title, "action": self.action, "rule": self.rule,
                "pathway": self.pathway, "hours": _num(self.hours), "price": _num(self.price),
                "currency": self.currency}


@dataclass(frozen=True)
class Completion:
    """One valid way to complete a pathway: the steps to take (nested off-ramps first) and what is counted."""

    destination: str
    pathway: str
    pathway_label: str
    steps: tuple[Step, ...]
    counted: tuple[Step, ...]  # held credentials the pathway counts
    total_hours: Decimal | None  # hours of every counted part (held and taken) for the pathway's minimum
    total_credits: Decimal | None = None

    @property
    def to_take(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.action == "take")

    @property
    def off_ramps(self) -> tuple[Step, ...]:
        """Credentials earned on the way by completing their own pathway."""
        return tuple(s for s in self.steps if s.action == "earn")

    @property
    def hours(self) -> Decimal | None:
        """Notional hours still to do (None when a credential to take states none)."""
        return _total(s.hours for s in self.to_take)

    @property
    def price(self) -> Decimal | None:
        return _total(s.price for s in self.to_take)

    @property
    def currencies(self) -> tuple[str, ...]:
        return tuple(sorted({s.currency for s in self.to_take if s.currency and s.price}))

    @property
    def count(self) -> int:
        return len(self.to_take)

    def cost(self, by: str) -> float:
        value = {"hours": self.hours, "price": self.price, "count": Decimal(self.count)}[by]
        return math.inf if value is None else float(value)

    def to_dict(self) -> dict[str, object]:
        return {"pathway": self.pathway, "pathway_label": self.pathway_label, "hours": _num(self.hours),
                "price": _num(self.price), "currencies": list(self.currencies), "count": self.count,
                "total_hours": _num(self.total_hours), "total_credits": _num(self.total_credits),
                "steps": [s.to_dict() for s in self.steps], "counted": [s.to_dict() for s in self.counted],
                "off_ramps": [s.credential for s in self.off_ramps]}


@dataclass(frozen=True)
class Refusal:
    """Why a pathway cannot be completed (or why a proposed completion is not one): the unmet rules."""

    destination: str
    pathway: str
    pathway_label: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"pathway": self.pathway, "pathway_label": self.pathway_label, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class LadderStep:
    """One credential on the stacking route, with its qualification levels in a reference framework."""

    credential: str
    title: str
    levels: str


@dataclass(frozen=True)
class Destination:
    """One credential the learner can stack towards: the cheapest completions, or why there is none."""

    credential: CredentialInfo
    route: tuple[str, ...]  # stacking route from a held credential (empty when none of them counts)
    completions: tuple[Completion, ...] = ()
    refusals: tuple[Refusal, ...] = ()
    ladder: tuple[LadderStep, ...] = ()
    has_rules: bool = True
    limited: bool = False  # option combinations were pruned (see MAX_COMBINATIONS)
    notes: tuple[str, ...] = ()  # e.g. a held credential that stacks in but does not count (level too low)

    @property
    def reachable(self) -> bool:
        return bool(self.completions)

    def to_dict(self) -> dict[str, object]:
        return {
            "destination": self.credential.iri, "title": self.credential.title, "kind": self.credential.kind,
            "route": list(self.route), "has_rules": self.has_rules, "reachable": self.reachable,
            "completions": [c.to_dict() for c in self.completions],
            "refusals": [r.to_dict() for r in self.refusals],
            "ladder": [{"credential": s.credential, "title": s.title, "levels": s.levels} for s in self.ladder],
            "combinations_limited": self.limited, "notes": list(self.notes),
        }


@dataclass(frozen=True)
class PathsResult:
    """The answer of :func:`paths`: one :class:`Destination` per destination, nearest first."""

    have: tuple[str, ...]
    target: str | None
    by: str
    destinations: tuple[Destination, ...]
    cycles: tuple[tuple[str, ...], ...] = ()

    def destination(self, credential: str) -> Destination:
        for d in self.destinations:
            if d.credential.iri == credential or d.credential.short == credential:
                return d
        raise KeyError(credential)

    def to_dict(self) -> dict[str, object]:
        return {"have": list(self.have), "target": self.target, "by": self.by,
                "destinations": [d.to_dict() for d in self.destinations],
                "cycles": [list(c) for c in self.cycles]}

    def rows(self) -> list[dict[str, object]]:
        """One flat row per step of every completion (held parts included), for tables and CSV."""
        return [{"destination": d.credential.iri, "completion": n, "pathway": c.pathway,
                 "completion_hours": _num(c.hours), "completion_price": _num(c.price), **s.to_dict()}
                for d in self.destinations for n, c in enumerate(d.completions, start=1)
                for s in (*c.counted, *c.steps)]

    def to_frame(self):  # type: ignore[no-untyped-def]
        """:meth:`rows` as a pandas DataFrame (needs pandas installed)."""
        try:
            import pandas as pd
        except ImportError:
            raise McgraphError("PathsResult.to_frame() needs pandas: pip install pandas (or use .rows())") from None
        return pd.DataFrame(self.rows())


@dataclass(frozen=True)
class Verdict:
    """Does a set of credentials complete a destination? ``reasons`` name the unmet rules when it does not."""

    destination: str
    complete: bool
    pathway: str | None
    refusals: tuple[Refusal, ...] = ()

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(r for ref in self.refusals for r in ref.reasons)

    def to_dict(self) -> dict[str, object]:
        return {"destination": self.destination, "complete": self.complete, "pathway": self.pathway,
                "refusals": [r.to_dict() for r in self.refusals]}


# -- helpers --------------------------------------------------------------------------------------------------


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _total(values: Iterable[Decimal | None]) -> Decimal | None:
    total = Decimal(0)
    for v in values:
        if v is None:
            return None
        total += v
    return total


def _fmt(value: Decimal | None) -> str:
    return "?" if value is None else f"{_num(value)}"


@dataclass
class _Option:
    """A part not yet held, with how to get it: take it, or earn it through its own pathway."""

    credential: str
    steps: tuple[Step, ...]
    cost: float
    error: str | None = None


@dataclass
class _Solver:
    graph: StackingGraph
    have: frozenset[str]
    by: str
    limit: int
    memo: dict[str, _Option] = field(default_factory=dict)
    visiting: list[str] = field(default_factory=list)
    limited: bool = False

    # How to obtain a credential not held: its own pathway when it has one, else take it.
    def obtain(self, credential: str, rule: str, pathway: Pathway) -> _Option:
        info = self.graph.info(credential)
        if credential in self.visiting:
            loop = " → ".join(self.graph.info(c).short for c in [*self.visiting[self.visiting.index(credential):],
                                                                  credential])
            return _Option(credential, (), math.inf, f"cycle in the stacking data: {loop} (not followed)")
        if credential not in self.graph.by_destination:
            step = Step(credential, info.title, rule, pathway.iri, "take", info.hours, info.price, info.currency)
            return _Option(credential, (step,), _step_cost(step, self.by))
        if credential not in self.memo:
            self.visiting.append(credential)
            try:
                completions, refusals = self.complete(credential, limit=1)
            finally:
                self.visiting.pop()
            if completions:
                best = completions[0]
                self.memo[credential] = _Option(credential, best.steps, best.cost(self.by))
            else:
                why = "; ".join(r for ref in refusals for r in ref.reasons)
                self.memo[credential] = _Option(credential, (), math.inf, why or "no pathway can be completed")
        found = self.memo[credential]
        if found.error:
            return found
        earn = Step(credential, info.title, rule, pathway.iri, "earn", info.hours, info.price, info.currency)
        return _Option(credential, (*found.steps, earn), found.cost)

    def level_ok(self, credential: str, minimum: str | None) -> tuple[bool, str]:
        if not minimum:
            return True, ""
        check = self.graph.meets_level(credential, minimum)
        return check.ok, check.reason

    def complete(self, destination: str, limit: int | None = None) -> tuple[list[Completion], list[Refusal]]:
        completions: list[Completion] = []
        refusals: list[Refusal] = []
        for pw in self.graph.by_destination.get(destination, ()):
            found, refusal = self.complete_pathway(pw, limit or self.limit)
            completions += found
            if refusal:
                refusals.append(refusal)
        completions.sort(key=lambda c: (c.cost(self.by), c.count, c.cost("hours"), c.pathway,
                                        [s.credential for s in c.steps]))
        seen, unique = set(), []
        for c in completions:
            key = frozenset(s.credential for s in c.to_take)
            if key not in seen:
                seen.add(key)
                unique.append(c)
        return unique[: (limit or self.limit)], refusals

    def complete_pathway(self, pw: Pathway, limit: int) -> tuple[list[Completion], Refusal | None]:
        g = self.graph
        reasons: list[str] = []
        held: list[Step] = []
        fixed: list[tuple[str, _Option]] = []  # (credential, how) for required parts not held
        for part in pw.required:
            ok, why = self.level_ok(part, pw.minimum_level)
            if not ok:
                reasons.append(f"required part {g.info(part).short} cannot count: {why} (invalid pathway data)")
                continue
            rule = f"required part of {pw.label}"
            if part in self.have:
                held.append(self._held(part, rule, pw))
                continue
            opt = self.obtain(part, rule, pw)
            if opt.error:
                reasons.append(f"required part {g.info(part).short} cannot be earned: {opt.error}")
            else:
                fixed.append((part, opt))
        choices: list[list[tuple[_Option, ...]]] = []
        for group in pw.groups:
            minimum = group.minimum_level or pw.minimum_level
            eligible, below = [], []
            for o in group.options:
                ok, why = self.level_ok(o, minimum)
                (eligible if ok else below).append((o, why))
            rule = f"{group.choose} of the {group.label}"
            have_here = [o for o, _ in eligible if o in self.have]
            held += [self._held(o, f"{rule} (held)", pw) for o in have_here]
            need = max(0, group.choose - len(have_here))
            candidates = []
            errors = []
            for o, _ in eligible:
                if o in self.have:
                    continue
                opt = self.obtain(o, rule, pw)
                (errors if opt.error else candidates).append(opt)
            if len(candidates) < need:
                detail = f"needs {group.choose} of the {group.label}, can count at most {len(have_here) + len(candidates)}"
                parts = [f"{len(have_here)} held"]
                if below:
                    parts.append(f"{len(below)} below the minimum level ("
                                 + "; ".join(f"{g.info(o).short}: {why}" for o, why in below) + ")")
                if errors:
                    parts.append("; ".join(f"{g.info(e.credential).short} cannot be earned: {e.error}" for e in errors))
                reasons.append(f"{detail} ({', '.join(parts)})")
                continue
            candidates.sort(key=lambda opt: (opt.cost, opt.credential))
            choices.append([combo for combo in itertools.combinations(candidates, need)] if need else [()])
        if reasons:
            return [], Refusal(pw.destination, pw.iri, pw.label, tuple(reasons))
        total = math.prod(len(c) for c in choices)
        if total > MAX_COMBINATIONS:
            self.limited = True
            per = max(1, int(MAX_COMBINATIONS ** (1 / max(1, len(choices)))))
            choices = [sorted(c, key=lambda combo: sum(o.cost for o in combo))[:per] for c in choices]
        spare_pool = self._spare_pool(pw)
        completions: list[Completion] = []
        short_reasons: set[str] = set()
        for picked in itertools.product(*choices):
            chosen = [*(opt for _, opt in fixed), *(opt for combo in picked for opt in combo)]
            completion, why = self._finish(pw, held, chosen, spare_pool)
            if completion:
                completions.append(completion)
            elif why:
                short_reasons.add(why)
        if not completions:
            return [], Refusal(pw.destination, pw.iri, pw.label,
                               tuple(sorted(short_reasons)) or ("no combination of options completes it",))
        completions.sort(key=lambda c: (c.cost(self.by), c.count))
        return completions[: limit * 4], None

    def _held(self, credential: str, rule: str, pw: Pathway) -> Step:
        info = self.graph.info(credential)
        return Step(credential, info.title, rule, pw.iri, "held", info.hours, info.price, info.currency)

    def _spare_pool(self, pw: Pathway) -> list[tuple[str, str | None]]:
        """Options that may be added beyond the minimum choices to reach a minimum of hours or credits."""
        pool = []
        for group in pw.groups:
            for o in group.options:
                if o not in self.have and self.level_ok(o, group.minimum_level or pw.minimum_level)[0]:
                    pool.append((o, group.label))
        return pool

    def _finish(self, pw: Pathway, held: list[Step], chosen: list[_Option],
                spare_pool: list[tuple[str, str | None]]) -> tuple[Completion | None, str | None]:
        counted = [s.credential for s in held] + [o.credential for o in chosen]
        extra: list[_Option] = []

        def totals() -> tuple[Decimal | None, Decimal | None]:
            creds = counted + [o.credential for o in extra]
            hours = _total(self.graph.info(c).hours for c in creds)
            credits = None
            if pw.credit_system:
                credits = sum((self.graph.info(c).credits_in(pw.credit_system) or Decimal(0) for c in creds),
                              Decimal(0))
            return hours, credits

        def short() -> str | None:
            hours, credits = totals()
            if pw.minimum_hours is not None and (hours is None or hours < pw.minimum_hours):
                return (f"needs at least {_fmt(pw.minimum_hours)} h in total, the counted parts give "
                        f"{_fmt(hours)} h")
            if pw.minimum_credits is not None and (credits is None or credits < pw.minimum_credits):
                return (f"needs at least {_fmt(pw.minimum_credits)} credits in {_system_name(pw.credit_system)}, "
                        f"the counted parts give {_fmt(credits)}")
            return None

        why = short()
        if why:
            used = set(counted)
            pool = [self.obtain(cred, f"extra option from the {label} towards the pathway's minimum", pw)
                    for cred, label in spare_pool if cred not in used]
            for opt in sorted((o for o in pool if not o.error), key=lambda o: (o.cost, o.credential)):
                extra.append(opt)
                why = short()
                if not why:
                    break
            if why:
                return None, why
        steps: list[Step] = []
        for opt in [*chosen, *extra]:
            for s in opt.steps:
                if s.credential not in {x.credential for x in steps}:
                    steps.append(s)
        hours, credits = totals()
        return Completion(pw.destination, pw.iri, pw.label, tuple(steps), tuple(held), hours, credits), None


def _system_name(system: str | None) -> str:
    return (system or "?").rsplit("/", 1)[-1].upper()


def _step_cost(step: Step, by: str) -> float:
    if by == "count":
        return 1.0
    value = step.hours if by == "hours" else step.price
    return math.inf if value is None else float(value)


# -- public API -----------------------------------------------------------------------------------------------


def paths(
    store: GraphStore,
    have: Sequence[str],
    to: str | None = None,
    *,
    by: str = "hours",
    limit: int = DEFAULT_LIMIT,
    graph: StackingGraph | None = None,
) -> PathsResult:
    """Where the credentials in ``have`` stack to, and the cheapest completions of each destination.

    ``to``: one target credential (catalogue id, prefixed name or IRI) — the target and the off-ramps a
    learner passes on the way to it; ``None``: every destination reachable from ``have``. ``by``: ``hours``,
    ``price`` or ``count`` (credentials still to take). Unknown credentials raise
    :class:`~mcgraph.analysis.stacking.UnknownCredentialError`.
    """
    if by not in METRICS:
        raise PathsError(f"cannot rank completions by {by!r}; use one of {', '.join(METRICS)}")
    g = graph or stacking_graph(store)
    held = tuple(dict.fromkeys(g.resolve(h) for h in have))
    target = g.resolve(to) if to else None
    solver = _Solver(g, frozenset(held), by, limit)
    reach: dict[str, tuple[str, ...]] = {}
    for h in held:
        if h not in g.graph:
            continue
        for node, route in nx.single_source_shortest_path(g.graph, h).items():
            if node != h and (node not in reach or len(route) < len(reach[node])):
                reach[node] = tuple(route)
    if target:
        if target in reach:
            on_the_way = set(nx.ancestors(g.graph, target)) if target in g.graph else set()
            wanted = [n for n in reach if n == target or n in on_the_way]
        else:
            wanted = [target]
    else:
        wanted = list(reach)
    wanted = [w for w in wanted if w not in held]
    wanted.sort(key=lambda n: (len(reach.get(n, ())) or 99, g.info(n).title, n))
    destinations = []
    for dest in wanted:
        route = reach.get(dest, ())
        ladder = tuple(LadderStep(c, g.info(c).title, g.reference_levels(c)) for c in route)
        if dest not in g.by_destination:
            destinations.append(Destination(g.info(dest), route, ladder=ladder, has_rules=False))
            continue
        solver.limited = False
        solver.visiting.append(dest)
        try:
            completions, refusals = solver.complete(dest)
        finally:
            solver.visiting.pop()
        destinations.append(Destination(g.info(dest), route, tuple(completions),
                                        () if completions else tuple(refusals), ladder, True, solver.limited,
                                        _held_not_counting(g, dest, held)))
    return PathsResult(held, target, by, tuple(destinations), g.cycles)


def _held_not_counting(g: StackingGraph, destination: str, held: Iterable[str]) -> tuple[str, ...]:
    """Held parts of the destination's pathways that a level rule keeps from counting, with the reason."""
    notes = []
    for pw in g.by_destination.get(destination, ()):
        rules = [(part, pw.minimum_level) for part in pw.required]
        rules += [(o, grp.minimum_level or pw.minimum_level) for grp in pw.groups for o in grp.options]
        for part, minimum in rules:
            if part in held and minimum:
                check = g.meets_level(part, minimum)
                if not check.ok:
                    notes.append(f"held {g.info(part).short} does not count on {pw.label}: {check.reason}")
    return tuple(dict.fromkeys(notes))


def check_completion(
    store: GraphStore, destination: str, credentials: Sequence[str], *, graph: StackingGraph | None = None
) -> Verdict:
    """Do ``credentials`` complete ``destination`` by one of its pathways, with nothing else taken?

    Refused pathways list every unmet rule, e.g. ``needs 2 of the specialist group …, has 1``.
    """
    g = graph or stacking_graph(store)
    dest = g.resolve(destination)
    held = frozenset(g.resolve(c) for c in credentials)
    pathways = g.by_destination.get(dest, ())
    if not pathways:
        return Verdict(dest, False, None, (Refusal(dest, "", "", (
            f"{g.info(dest).short} has no pathway rules in the data: completion cannot be checked",)),))
    refusals = []
    for pw in pathways:
        reasons = _unmet(g, pw, held)
        if not reasons:
            return Verdict(dest, True, pw.iri)
        refusals.append(Refusal(dest, pw.iri, pw.label, tuple(reasons)))
    return Verdict(dest, False, None, tuple(refusals))


def _unmet(g: StackingGraph, pw: Pathway, held: frozenset[str]) -> list[str]:
    reasons = []
    counted: list[str] = []
    for part in pw.required:
        if part not in held:
            reasons.append(f"missing required part {g.info(part).short} ({g.info(part).title})")
            continue
        if pw.minimum_level:
            check = g.meets_level(part, pw.minimum_level)
            if not check.ok:
                reasons.append(f"required part {g.info(part).short} does not count: {check.reason}")
                continue
        counted.append(part)
    for group in pw.groups:
        minimum = group.minimum_level or pw.minimum_level
        have = [o for o in group.options if o in held]
        ok = [o for o in have if not minimum or g.meets_level(o, minimum).ok]
        if len(ok) < group.choose:
            msg = f"needs {group.choose} of the {group.label}, has {len(ok)}"
            below = [o for o in have if o not in ok]
            if below:
                msg += " (" + "; ".join(f"{g.info(o).short} does not count: {g.meets_level(o, minimum or '').reason}"
                                        for o in below) + ")"
            reasons.append(msg)
        counted += ok
    hours = _total(g.info(c).hours for c in counted)
    if pw.minimum_hours is not None and (hours is None or hours < pw.minimum_hours):
        reasons.append(f"needs at least {_fmt(pw.minimum_hours)} h in total, has {_fmt(hours)} h")
    if pw.minimum_credits is not None and pw.credit_system:
        credits = sum((g.info(c).credits_in(pw.credit_system) or Decimal(0) for c in counted), Decimal(0))
        if credits < pw.minimum_credits:
            reasons.append(f"needs at least {_fmt(pw.minimum_credits)} credits in "
                           f"{_system_name(pw.credit_system)}, has {_fmt(credits)}")
    return reasons
