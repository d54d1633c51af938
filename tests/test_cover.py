"""The set-cover optimiser: exact where it can, greedy with its H(d) bound where the instance is large."""

from __future__ import annotations

import random
from decimal import Decimal

import pulp
import pytest

from mcgraph.analysis.setcover import Candidate, greedy, harmonic, reduce, solve


def cand(name: str, cost: str, *elements: int) -> Candidate:
    return Candidate(name, name.upper(), Decimal(cost), frozenset(elements))


#: Greedy takes A first (1 per element), then C for element 4: 5.5. The optimum is B + C: 5.0.
TRAP = [cand("a", "3", 1, 2, 3), cand("b", "2.5", 1, 2), cand("c", "2.5", 3, 4), cand("d", "3", 4)]


def test_greedy_falls_into_the_trap_and_exact_does_not() -> None:
    assert sorted(c.iri for c in greedy({1, 2, 3, 4}, TRAP)) == ["a", "c"]
    exact = solve({1, 2, 3, 4}, TRAP)
    assert sorted(c.iri for c in exact.chosen) == ["b", "c"]
    assert exact.cost == Decimal("5") and exact.method == "optimal" and exact.statement == "optimal"
    forced = solve({1, 2, 3, 4}, TRAP, method="greedy")
    assert forced.cost == Decimal("5.5") and forced.method == "greedy"
    assert forced.statement == "greedy, within a factor H(3) = 1.83 of optimal"


def test_uncoverable_elements_are_left_to_the_caller() -> None:
    result = solve({1, 2, 99}, TRAP)
    assert sorted(c.iri for c in result.chosen) == ["b"] and result.method == "optimal"


def test_reduce_keeps_the_cheapest_of_equal_sets_and_drops_dominated_ones() -> None:
    kept = reduce([cand("x", "5", 1, 2), cand("y", "4", 1, 2), cand("z", "4", 1), cand("w", "1", 1)])
    assert sorted(c.iri for c in kept) == ["w", "y"]


def test_harmonic_numbers() -> None:
    assert harmonic(1) == 1 and harmonic(3) == pytest.approx(11 / 6) and harmonic(0) == 0


def test_large_instance_uses_greedy_and_its_cost_respects_the_bound() -> None:
    rng = random.Random(7)
    elements = list(range(1500))
    candidates = [Candidate(f"c{i}", "", Decimal(rng.randint(5, 150)), frozenset(rng.sample(elements, rng.randint(1, 6))))
                  for i in range(6000)]
    universe = set(elements)
    result = solve(universe, candidates, exact_limit=5000)
    assert result.method == "greedy" and result.candidates > 5000
    assert result.statement.startswith(f"greedy, within a factor H({result.largest_set}) = ")
    assert "exceed the exact limit" in result.statement
    covered = set().union(*(c.covers for c in result.chosen))
    coverable = set().union(*(c.covers for c in candidates))
    assert covered == coverable
    # the bound holds against the LP relaxation (a lower bound on the optimum)
    prob = pulp.LpProblem("lp", pulp.LpMinimize)
    x = [prob.add_variable(f"x{i}", 0, 1) for i in range(len(candidates))]
    prob += pulp.lpSum(float(c.cost) * x[i] for i, c in enumerate(candidates))
    for e in coverable:
        prob += pulp.lpSum(x[i] for i, c in enumerate(candidates) if e in c.covers) >= 1
    with pytest.warns(DeprecationWarning):
        solver = pulp.PULP_CBC_CMD(msg=False)
    prob.solve(solver)
    lower = pulp.value(prob.objective)
    assert lower <= float(result.cost) <= harmonic(result.largest_set) * lower + 1e-6
