"""Reasoning over the graph: OWL classification, materialised inference and consistency.

- :func:`classify` — owlready2 + HermiT put the loaded credentials into the defined classes of
  ``ontology/mcgraph.ttl`` (stackable, credit-bearing, EQF 6+, industry-aligned, fully described under the
  Australian CIS); the inferred types go to ``graph/inferred/classes``.
- :func:`materialise` — inverse properties, sub-properties and the transitive ``skos:broader`` closure, by
  SPARQL CONSTRUCT rules on the store (or OWL RL through ``owlrl``); into ``graph/inferred/closure``.
- :func:`check_consistency` — disjoint classes and functional properties, with the offending individuals.

Each inferred graph has a load record, so ``mcgraph drop inferred/classes`` removes it and a new run rebuilds it.
"""

from __future__ import annotations

from .classify import DEFINED_CLASSES, Classification, classify
from .consistency import ConsistencyReport, Inconsistency, check_consistency
from .materialise import Materialisation, materialise

__all__ = [
    "DEFINED_CLASSES",
    "Classification",
    "ConsistencyReport",
    "Inconsistency",
    "Materialisation",
    "check_consistency",
    "classify",
    "materialise",
]
