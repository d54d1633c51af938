"""Analyses over the graph: skill gaps, recommended credentials (set cover), coverage matrix, supply and
demand — computed on networkx projections of the store (:mod:`.graph`) read through named queries."""

from __future__ import annotations

from .cover import CoverSolution, Recommendation, recommend, solve
from .gaps import DEFAULT_MIN_IMPORTANCE, GapItem, GapResult, GapRule, gaps
from .graph import Projection, projection

__all__ = [
    "DEFAULT_MIN_IMPORTANCE", "CoverSolution", "GapItem", "GapResult", "GapRule", "Projection", "Recommendation",
    "gaps", "projection", "recommend", "solve",
]
