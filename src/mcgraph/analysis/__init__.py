"""Analyses over the graph: stacking paths, skill gaps, recommended credentials (set cover), coverage matrix,
supply and demand — computed on networkx projections of the store (:mod:`.graph`) read through named queries."""

from __future__ import annotations

from .cover import recommend
from .coverage import CoverageMatrix, coverage_matrix
from .gap_results import DEFAULT_MIN_IMPORTANCE, GapItem, GapResult, GapRule, Recommendation
from .gaps import gaps
from .graph import Projection, projection
from .setcover import CoverSolution, solve
from .supply_demand import SupplyDemand, supply_demand

__all__ = [
    "DEFAULT_MIN_IMPORTANCE", "CoverSolution", "CoverageMatrix", "GapItem", "GapResult", "GapRule", "Projection",
    "Recommendation", "SupplyDemand", "coverage_matrix", "gaps", "projection", "recommend", "solve", "supply_demand",
]
