"""Recommended credentials: the cheapest set of catalogue credentials that covers a gap's missing skills.

Weighted set cover. Each candidate credential covers the missing skills it claims itself (with
``level_aware``, at or above the required level where both levels sit on the same scale) and costs its
notional hours or its price. :func:`solve` first drops candidates that cannot be in a cheapest cover (of
candidates covering the same skills only the cheapest is kept; one covering a subset of another's skills at
no lower cost is dropped), then

* solves the integer programme exactly with CBC (PuLP's bundled solver) under a time limit when at most
  :data:`EXACT_LIMIT` candidates remain — the answer says **"optimal"**;
* otherwise, or when CBC does not prove optimality in time, runs the greedy algorithm (repeatedly take the
  candidate with the lowest cost per newly covered skill), whose cover costs at most H(d) times the optimum,
  d being the most missing skills one candidate covers and H the harmonic number (H(d) ≤ 1 + ln d) — the
  answer says **"greedy, within a factor H(d) of optimal"**.

Skills no candidate covers are reported apart.

>>> cands = [Candidate("a", "A", Decimal(3), frozenset({1, 2})), Candidate("b", "B", Decimal(1), frozenset({1})),
...          Candidate("c", "C", Decimal(1), frozenset({2}))]
>>> s = solve({1, 2}, cands)
>>> [c.iri for c in s.chosen], s.cost, s.method
(['b', 'c'], Decimal('2'), 'optimal')
"""

from __future__ import annotations

import heapq
import time
import warnings
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import McgraphError
from ..namespaces import expand_curie
from ..store import GraphStore
from .graph import CredentialInfo, Projection, projection

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .gaps import GapItem, GapResult

EXACT_LIMIT = 5000
"""Most candidates (after dropping dominated ones) the exact solver is given; above it, greedy."""
TIME_LIMIT = 10.0
"""Seconds CBC may take to prove optimality before the greedy answer is used."""
BUDGETS = ("hours", "price")


@dataclass(frozen=True)
class Candidate:
    """A credential that covers some missing skills, at a cost."""

    iri: str
    title: str
    cost: Decimal
    covers: frozenset[Hashable]
    info: CredentialInfo | None = field(default=None, compare=False, repr=False)


def harmonic(n: int) -> float:
    """H(n) = 1 + 1/2 + … + 1/n (H(0) = 0)."""
    return sum(1.0 / k for k in range(1, n + 1))


@dataclass(frozen=True)
class CoverSolution:
    """A set cover and how it was found."""

    chosen: tuple[Candidate, ...]
    cost: Decimal
    method: str                      # "optimal" | "greedy"
    bound: float | None              # greedy: H(d), the factor the cost is within of the optimum
    largest_set: int                 # d: the most elements one candidate covers
    candidates: int                  # candidates given to the solver after dropping dominated ones
    seconds: float
    note: str = ""

    @property
    def statement(self) -> str:
        """``optimal`` or ``greedy, within a factor H(d) = x of optimal``."""
        if self.method == "optimal":
            return "optimal"
        text = f"greedy, within a factor H({self.largest_set}) = {self.bound:.2f} of optimal"
        return f"{text} ({self.note})" if self.note else text


def reduce(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Drop candidates no cheapest cover needs: of those covering the same set, all but the cheapest (ties:
    the smallest IRI); and any covering a subset of another's set at no lower cost."""
    best: dict[frozenset, Candidate] = {}
    for c in candidates:
        if not c.covers:
            continue
        old = best.get(c.covers)
        if old is None or (c.cost, c.iri) < (old.cost, old.iri):
            best[c.covers] = c
    unique = sorted(best.values(), key=lambda c: (-len(c.covers), c.cost, c.iri))
    if len(unique) > 3000:  # the pairwise check is quadratic; identical sets are already merged
        return unique
    kept: list[Candidate] = []
    for c in unique:
        if not any(c.covers <= k.covers and k.cost <= c.cost for k in kept):
            kept.append(c)
    return kept


def greedy(universe: set, candidates: Sequence[Candidate]) -> list[Candidate]:
    """Greedy weighted set cover (lazy evaluation: a candidate's price per new element only grows)."""
    uncovered = set(universe)
    heap = [(float(c.cost) / len(c.covers & uncovered), i) for i, c in enumerate(candidates) if c.covers & uncovered]
    heapq.heapify(heap)
    chosen: list[Candidate] = []
    while uncovered and heap:
        ratio, i = heapq.heappop(heap)
        gain = candidates[i].covers & uncovered
        if not gain:
            continue
        current = float(candidates[i].cost) / len(gain)
        if heap and current > heap[0][0] + 1e-12:
            heapq.heappush(heap, (current, i))
            continue
        chosen.append(candidates[i])
        uncovered -= gain
    return chosen


def exact(universe: set, candidates: Sequence[Candidate], time_limit: float) -> tuple[list[Candidate], bool]:
    """The integer programme solved by CBC: (cover, proven optimal)."""
    import pulp

    prob = pulp.LpProblem("set_cover", pulp.LpMinimize)
    x = [prob.add_variable(f"x{i}", 0, 1, cat="Integer") for i in range(len(candidates))]
    prob += pulp.lpSum(float(c.cost) * x[i] for i, c in enumerate(candidates))
    by_element: dict[Hashable, list[int]] = {e: [] for e in universe}
    for i, c in enumerate(candidates):
        for e in c.covers:
            if e in by_element:
                by_element[e].append(i)
    for n, (_, members) in enumerate(sorted(by_element.items(), key=lambda kv: str(kv[0]))):
        prob += pulp.lpSum(x[i] for i in members) >= 1, f"e{n}"
    with warnings.catch_warnings():  # PuLP 3.x announces that 4.0 moves CBC to an extra; we pin pulp < 4
        warnings.simplefilter("ignore", DeprecationWarning)
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, threads=1)
    prob.solve(solver)
    chosen = [c for i, c in enumerate(candidates) if (x[i].value() or 0) > 0.5]
    feasible = all(any(e in c.covers for c in chosen) for e in universe)
    proven = prob.sol_status == pulp.LpSolutionOptimal and feasible
    return (chosen if feasible else []), proven


def solve(universe: Iterable[Hashable], candidates: Sequence[Candidate], *, method: str = "auto",
          exact_limit: int = EXACT_LIMIT, time_limit: float = TIME_LIMIT) -> CoverSolution:
    """A cheapest (or greedy) cover of the coverable part of ``universe``; see the module docstring.

    ``method``: "auto" (exact up to ``exact_limit`` candidates, else greedy), "exact" or "greedy".
    """
    started = time.perf_counter()
    wanted = set(universe)
    useful = [Candidate(c.iri, c.title, c.cost, c.covers & wanted, c.info) for c in candidates if c.covers & wanted]
    coverable = set().union(*(c.covers for c in useful)) if useful else set()
    pool = reduce(useful)
    largest = max((len(c.covers) for c in pool), default=0)
    note = ""
    chosen: list[Candidate] = []
    proven = False
    if coverable and (method == "exact" or (method == "auto" and len(pool) <= exact_limit)):
        chosen, proven = exact(coverable, pool, time_limit)
        if not proven:
            note = f"CBC did not prove optimality within {time_limit:g} s"
    elif coverable and method == "auto":
        note = f"{len(pool):,} candidates exceed the exact limit of {exact_limit:,}"
    if coverable and not proven:
        greedy_cover = greedy(coverable, pool)
        if not chosen or sum(c.cost for c in greedy_cover) <= sum(c.cost for c in chosen):
            chosen = greedy_cover
    chosen.sort(key=lambda c: (-len(c.covers), c.cost, c.iri))
    cost = sum((c.cost for c in chosen), Decimal(0))
    if proven or not coverable:
        return CoverSolution(tuple(chosen), cost, "optimal", None, largest, len(pool),
                             time.perf_counter() - started)
    return CoverSolution(tuple(chosen), cost, "greedy", harmonic(largest), largest, len(pool),
                         time.perf_counter() - started, note)


# -- recommendations for a gap ------------------------------------------------------------------------

@dataclass
class Recommendation:
    """The credentials recommended to close a gap, how they were chosen, and what nothing covers."""

    by: str
    solution: CoverSolution
    covers: dict[str, tuple[str, ...]]         # credential IRI → the missing skills it covers
    uncovered: tuple[tuple[str, str], ...]     # (skill, label) no catalogue credential covers
    missing: int
    considered: int                            # candidates after the filters
    without_cost: int                          # candidates left out for lack of hours / price
    filters: dict[str, str]

    @property
    def statement(self) -> str:
        return self.solution.statement

    @property
    def credentials(self) -> list[str]:
        return [c.iri for c in self.solution.chosen]

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by, "method": self.solution.method, "statement": self.statement,
            "bound": self.solution.bound, "total": float(self.solution.cost),
            "credentials": [{"credential": c.iri, "title": c.title, self.by: float(c.cost),
                             "covers": list(self.covers.get(c.iri, ()))} for c in self.solution.chosen],
            "uncovered": [{"skill": s, "label": lab} for s, lab in self.uncovered],
            "missing": self.missing, "candidates": self.considered, "without_cost": self.without_cost,
            "filters": self.filters, "seconds": round(self.solution.seconds, 4),
        }

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([{"credential": c.iri, "title": c.title, self.by: float(c.cost),
                              "covers": len(self.covers.get(c.iri, ()))} for c in self.solution.chosen],
                            columns=["credential", "title", self.by, "covers"])


def _iri(text: str) -> str:
    text = text.strip()
    return text[1:-1] if text.startswith("<") and text.endswith(">") else (expand_curie(text) or text)


def credential_filter(proj: Projection, *, jurisdiction: str | None = None, provider: str | None = None,
                      conforms_to: str | None = None,
                      accept: Callable[[CredentialInfo], bool] | None = None) -> Callable[[CredentialInfo], bool]:
    """A predicate on credentials: offered in ``jurisdiction`` (a code such as ``CA-BC`` or an IRI; a
    country takes its provinces), by ``provider`` (IRI or name), claiming conformance to the framework
    ``conforms_to`` (``mcg:conformsToFramework``; IRI, prefixed name or the end of the IRI), and ``accept``
    (any callable, e.g. a compliance check)."""
    from ..credentials.model import jurisdiction_iri

    region = None if jurisdiction is None else (
        _iri(jurisdiction) if ":" in jurisdiction else jurisdiction_iri(jurisdiction.strip()))
    wanted_provider = None if provider is None else provider.strip()
    framework = None if conforms_to is None else conforms_to.strip()

    def ok(info: CredentialInfo) -> bool:
        if region is not None and not any(proj.within(j, region) for j in info.jurisdictions):
            return False
        if wanted_provider is not None:
            names = {info.provider or "", (info.provider_name or "").lower()}
            if _iri(wanted_provider) not in names and wanted_provider.lower() not in names:
                return False
        if framework is not None:
            target = _iri(framework)
            if not any(f == target or f.endswith("/" + framework) or f.endswith("#" + framework)
                       for f in info.frameworks):
                return False
        return accept is None or accept(info)

    return ok


def _covers(item: GapItem, level: Decimal | None, scale: str | None, level_aware: bool) -> bool:
    if not level_aware or item.required_level is None or scale != item.level_scale or level is None:
        return True
    return level >= item.required_level


def recommend(store: GraphStore, gap: GapResult, *, by: str = "hours", jurisdiction: str | None = None,
              provider: str | None = None, conforms_to: str | None = None,
              accept: Callable[[CredentialInfo], bool] | None = None, method: str = "auto",
              exact_limit: int = EXACT_LIMIT, time_limit: float = TIME_LIMIT) -> Recommendation:
    """The cheapest set of catalogue credentials (by notional ``hours`` or ``price``) covering the
    missing skills of ``gap``, with the filters of :func:`credential_filter`."""
    if by not in BUDGETS:
        raise McgraphError(f"--budget must be one of {', '.join(BUDGETS)}, not {by!r}")
    proj = projection(store)
    missing = {i.skill: i for i in gap.missing}
    keep = credential_filter(proj, jurisdiction=jurisdiction, provider=provider, conforms_to=conforms_to,
                             accept=accept)
    held = set(gap.have)
    covers: dict[str, set[str]] = {}
    for skill, item in missing.items():
        for claim in proj.claims_on(skill):
            if claim.credential not in held and _covers(item, claim.level, claim.scale, gap.rule.level_aware):
                covers.setdefault(claim.credential, set()).add(skill)
    candidates, without_cost = [], 0
    infos = proj.credentials_info(covers)
    for iri, skills in sorted(covers.items()):
        info = infos.get(iri)
        if info is None or not keep(info):
            continue
        cost = info.hours if by == "hours" else info.price
        if cost is None:
            without_cost += 1
            continue
        candidates.append(Candidate(iri, info.title, cost, frozenset(skills), info))
    solution = solve(set(missing), candidates, method=method, exact_limit=exact_limit, time_limit=time_limit)
    covered = set().union(*(c.covers for c in candidates)) if candidates else set()
    uncovered = tuple(sorted(((s, missing[s].label) for s in set(missing) - covered), key=lambda p: p[1].lower()))
    filters = {k: v for k, v in (("jurisdiction", jurisdiction), ("provider", provider),
                                 ("conforms_to", conforms_to)) if v}
    if accept is not None:
        filters["accept"] = getattr(accept, "__name__", "callable")
    return Recommendation(by, solution, {c.iri: tuple(sorted(c.covers)) for c in solution.chosen}, uncovered,
                          len(missing), len(candidates), without_cost, filters)
