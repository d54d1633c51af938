"""``mcgraph reason materialise``: write what the ontology entails for queries to use without property paths.

Three OWL 2 RL rules, each a CONSTRUCT file in ``queries/internal/rules/`` that reads its axioms from the
ontology graph: inverse properties, sub-properties, and the transitive ``skos:broader`` closure. The triples
they give (less those already asserted) replace the graph ``graph/inferred/closure``. For the shipped ontology
one pass reaches the fixpoint (no rule's output feeds another; a test checks it).

The ``owlrl`` engine computes the full OWL RL closure with the ``owlrl`` package over the same graphs and keeps
the triples of the same predicates: the reference the SPARQL rules are compared with (tests) and measured
against (``bench/bench_reasoning.py``).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import __version__
from ..errors import McgraphError
from ..namespaces import GRAPH
from ..queries import run_query
from ..store import GraphStore, LoadRecord
from .inferred import write_inferred

INFERRED_CLOSURE_GRAPH = str(GRAPH["inferred/closure"])
RULES: tuple[str, ...] = ("rule-inverse-properties", "rule-sub-properties", "rule-broader-transitive")
ENGINES = ("sparql", "owlrl")


@dataclass
class Materialisation:
    """The inferred triples (not already asserted), counted per rule, and the time taken."""

    triples: set[ox.Triple] = field(default_factory=set)
    per_rule: Counter[str] = field(default_factory=Counter)
    engine: str = "sparql"
    seconds: float = 0.0
    written: int = 0


def infer(store: GraphStore, *, engine: str = "sparql") -> Materialisation:
    """Compute the closure triples without writing them."""
    if engine not in ENGINES:
        raise McgraphError(f"unknown reasoning engine {engine!r}: choose one of {', '.join(ENGINES)}")
    started = time.perf_counter()
    result = Materialisation(engine=engine)
    if engine == "sparql":
        for rule in RULES:
            produced = set(run_query(store, rule).triples)
            result.per_rule[rule] = len(produced)
            result.triples |= produced
        asserted = _asserted(store, result.triples)
        result.triples -= asserted
    else:
        from .owlrl_engine import owlrl_closure

        result.triples = owlrl_closure(store)
        result.per_rule["owlrl"] = len(result.triples)
    result.seconds = time.perf_counter() - started
    return result


def materialise(store: GraphStore, *, engine: str = "sparql") -> Materialisation:
    """Compute the closure and write it as ``graph/inferred/closure`` (replacing an earlier one)."""
    result = infer(store, engine=engine)
    record = LoadRecord(graph=INFERRED_CLOSURE_GRAPH, source=f"reason-materialise ({engine})", version=__version__,
                        title="Inverse properties, sub-properties and the skos:broader closure (OWL 2 RL rules)")
    result.written = write_inferred(store, INFERRED_CLOSURE_GRAPH, sorted(result.triples, key=str), record)
    return result


def _asserted(store: GraphStore, triples: set[ox.Triple]) -> set[ox.Triple]:
    """Those of ``triples`` already asserted in a graph other than the inferred ones."""
    by_predicate: dict[ox.NamedNode, set[ox.Triple]] = {}
    for t in triples:
        by_predicate.setdefault(t.predicate, set()).add(t)
    found: set[ox.Triple] = set()
    for predicate, candidates in by_predicate.items():
        present = run_query(store, "reason-asserted-with-predicate", predicate=predicate).triples
        found |= candidates & set(present)
    return found
