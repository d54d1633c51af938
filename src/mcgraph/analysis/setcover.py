"""Weighted set cover: the cheapest set of candidates (credentials) whose sets together cover a universe (skills).

:func:`solve` first drops candidates that cannot be in a cheapest cover (of candidates covering the same
elements only the cheapest is kept; one covering a subset of another's elements at no lower cost is
dropped), then

* solves the integer programme exactly with CBC (PuLP's bundled solver) under a time limit when at most
  :data:`EXACT_LIMIT` candidates remain — the answer says **"optimal"**;
* otherwise, or when CBC does not prove optimality in time, runs the greedy algorithm (repeatedly take the
  candidate with the lowest cost per newly covered element), whose cover costs at most H(d) times the optimum,
  d being the most elements one candidate covers and H the harmonic number (H(d) ≤ 1 + ln d) — the
  answer says **"greedy, within a factor H(d) of optimal"**.

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
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .graph import CredentialInfo

EXACT_LIMIT = 5000
"""Most candidates (after dropping dominated ones) the exact solver is given; above it, greedy."""
TIME_LIMIT = 10.0
"""Seconds CBC may take to prove optimality before the greedy answer is used."""


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
