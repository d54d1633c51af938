"""The OWL reasoner: owlready2 with HermiT (Java) over a set of triples.

A run loads the triples into a fresh owlready2 world, declares the qualification frameworks pairwise distinct
(mcgraph gives each framework one IRI, and OWL makes no unique-name assumption), and runs HermiT.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import McgraphError
from ..namespaces import MCG

JAVA_MEMORY_MB = 4000
"""Heap for HermiT's JVM (owlready2's default is 2000 MB)."""

PROFILES_PER_RUN = 200
"""Credential profiles per HermiT run: each run costs a few seconds of JVM start and ontology loading, and past a
few hundred profiles a run's cost grows faster than its size (bench/bench_reasoning.py; bench/RESULTS.md)."""


class ReasonerError(McgraphError):
    """The OWL reasoner could not run (no Java, or the JVM failed)."""


@dataclass(frozen=True)
class ReasonerRun:
    """What HermiT concluded: consistent or not, and the inferred members of the classes asked about."""

    consistent: bool
    members: dict[str, frozenset[str]]


def run_hermit(triples: Iterable[ox.Triple], classes: Iterable[str]) -> ReasonerRun:
    """Classify ``triples`` with HermiT; return the members of each class in ``classes`` (asserted or inferred).

    An inconsistent input gives ``consistent=False`` and no members (an inconsistent ontology entails
    everything, so memberships would mean nothing).
    """
    import owlready2

    java = shutil.which("java")
    if java is None:
        raise ReasonerError("the OWL reasoner (HermiT) needs Java: install a JRE (e.g. `apt-get install "
                            "default-jre-headless`) and make `java` available on PATH")
    owlready2.JAVA_EXE = java
    owlready2.reasoning.JAVA_MEMORY = JAVA_MEMORY_MB
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    world = owlready2.World()
    try:
        onto = world.get_ontology("https://w3id.org/mcgraph/extract")
        onto.load(fileobj=io.BytesIO(data), format="ntriples")
        frameworks = list(world.search(type=world[str(MCG.QualificationFramework)])) \
            if world[str(MCG.QualificationFramework)] is not None else []
        with onto:
            if len(frameworks) > 1:
                owlready2.AllDifferent(frameworks)
            try:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError:
                return ReasonerRun(False, {})
            except owlready2.OwlReadyJavaError as exc:
                raise ReasonerError(f"HermiT failed: {str(exc).strip().splitlines()[-1] if str(exc).strip() else exc}") from None
        members: dict[str, frozenset[str]] = {}
        for name in classes:
            cls = world[name]
            members[name] = frozenset(i.iri for i in cls.instances(world=world)) if cls is not None else frozenset()
        return ReasonerRun(True, members)
    finally:
        world.close()
