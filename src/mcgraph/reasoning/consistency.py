"""``mcgraph reason check``: is the data consistent with the ontology, and if not, which individuals break it?

Two views that must agree: SPARQL over the reasoning extract names the individuals (typed with two disjoint
classes; two values of a functional property, e.g. a level in two frameworks), and HermiT gives the OWL verdict.
An inconsistency HermiT finds that the queries cannot localise is still reported, naming the batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import McgraphError
from ..store import EmbeddedStore, GraphStore, LoadRecord
from ..queries import run_query
from .extract import focus_extract
from .owl import PROFILES_PER_RUN, run_hermit

_EXTRACT_GRAPH = "https://w3id.org/mcgraph/graph/reasoning-extract"


class InconsistentDataError(McgraphError):
    """The data contradicts the ontology; the reasoner cannot classify it."""


@dataclass(frozen=True)
class Inconsistency:
    """One contradiction: its kind, the individuals involved, the axiom broken and a message."""

    kind: str
    individuals: tuple[str, ...]
    axiom: str
    message: str


@dataclass
class ConsistencyReport:
    """The verdict: consistent or not, the contradictions found, and HermiT's own verdict."""

    problems: list[Inconsistency] = field(default_factory=list)
    hermit_consistent: bool | None = None
    checked_individuals: int = 0

    @property
    def consistent(self) -> bool:
        return not self.problems and self.hermit_consistent is not False


def check_consistency(store: GraphStore, *, batch_size: int = PROFILES_PER_RUN, use_hermit: bool = True) -> ConsistencyReport:
    """Check the store's credentials, levels and crosswalks against the ontology. Reads only; writes nothing."""
    extract = focus_extract(store)
    report = ConsistencyReport(checked_individuals=len(extract.credentials))
    scratch = EmbeddedStore()  # in memory: the user's store is never written
    try:
        all_names = sorted(extract.credentials)
        record = LoadRecord(graph=_EXTRACT_GRAPH, source="reason-check")
        scratch.write_graph(_EXTRACT_GRAPH, extract.triples_for(all_names), record)
        for row in run_query(scratch, "reason-disjoint-violations").dicts():
            report.problems.append(Inconsistency(
                "disjoint classes", (row["individual"],), f"{row['classA']} owl:disjointWith {row['classB']}",
                f"{row['individual']} is typed both {_short(row['classA'])} and {_short(row['classB'])}, which the "
                "ontology declares disjoint"))
        for row in run_query(scratch, "reason-functional-violations").dicts():
            report.problems.append(Inconsistency(
                "functional property", (row["individual"], row["value1"], row["value2"]),
                f"{row['property']} a owl:FunctionalProperty",
                f"{row['individual']} has two values of {_short(row['property'])}, which allows one: "
                f"{row['value1']} and {row['value2']}"))
    finally:
        scratch.close()
    if use_hermit:
        report.hermit_consistent = True
        representatives = sorted(group[0] for group in extract.profiles())
        for start in range(0, max(len(representatives), 1), max(batch_size, 1)):
            batch = representatives[start:start + batch_size]
            run = run_hermit(extract.triples_for(batch), ())
            if not run.consistent:
                report.hermit_consistent = False
                if not report.problems:
                    report.problems.append(Inconsistency(
                        "OWL inconsistency", tuple(batch), "(HermiT)",
                        f"HermiT finds the data inconsistent in a batch of {len(batch)} credential profiles; no disjointness "
                        "or functional-property clash localises it"))
    return report


def _short(iri: str | None) -> str:
    text = iri or ""
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[-1]
    return text
