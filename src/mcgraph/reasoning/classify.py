"""``mcgraph reason classify``: put the loaded credentials into the ontology's defined classes.

Example (needs Java for HermiT; tests/test_reasoning.py runs it)::

    store = EmbeddedStore(); list(build(store))
    result = classify(store)
    result.classes_of("https://w3id.org/mcgraph/id/credential/ie-microcreds-nfq9")
    # {CREDIT_BEARING, EQF6_PLUS}
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import __version__
from ..namespaces import GRAPH, MCG, RDF
from ..store import GraphStore, LoadRecord
from .extract import focus_extract
from .inferred import write_inferred
from .module import locality_module
from .owl import PROFILES_PER_RUN, run_hermit

STACKABLE = str(MCG.StackableMicroCredential)
CREDIT_BEARING = str(MCG.CreditBearingMicroCredential)
EQF6_PLUS = str(MCG.Eqf6PlusMicroCredential)
INDUSTRY_ALIGNED = str(MCG.IndustryAlignedMicroCredential)
FULLY_DESCRIBED_CIS = str(MCG.FullyDescribedUnderCis)
DEFINED_CLASSES: tuple[str, ...] = (STACKABLE, CREDIT_BEARING, EQF6_PLUS, INDUSTRY_ALIGNED, FULLY_DESCRIBED_CIS)
"""The defined classes of ontology/mcgraph.ttl that credentials are classified into."""

INFERRED_CLASSES_GRAPH = str(GRAPH["inferred/classes"])
DEFAULT_BATCH = PROFILES_PER_RUN


@dataclass
class Classification:
    """Inferred memberships: class IRI -> credential IRIs; plus how much was reasoned over and how long."""

    members: dict[str, set[str]] = field(default_factory=dict)
    credentials: int = 0
    extract_triples: int = 0
    profiles: int = 0
    batches: int = 0
    seconds: float = 0.0
    written: int = 0

    def classes_of(self, credential: str) -> set[str]:
        """The defined classes one credential was put in."""
        return {c for c, m in self.members.items() if credential in m}

    def triples(self) -> list[ox.Triple]:
        """The inferred ``rdf:type`` triples."""
        a = ox.NamedNode(str(RDF.type))
        return [ox.Triple(ox.NamedNode(c), a, ox.NamedNode(cls))
                for cls, members in sorted(self.members.items()) for c in sorted(members)]


def classify(store: GraphStore, *, batch_size: int = DEFAULT_BATCH, write: bool = True,
             by_profile: bool = True, module: bool = True) -> Classification:
    """Classify every credential of the store with HermiT, in batches of ``batch_size`` credentials.

    Credentials with the same profile (the same facts up to names; :meth:`FocusExtract.profiles`) are in the
    same classes, so HermiT sees one credential per profile: a national catalogue has far fewer profiles than
    credentials. Credentials are independent of each other for these classes (each definition looks only at
    the credential, its claims and credit values, its levels and the shared context), so batches give the same
    answer as one run while keeping the reasoner's memory small. With ``write``, the inferred types replace the
    graph ``graph/inferred/classes`` (with a load record). ``by_profile=False`` hands HermiT every credential
    with all its facts (the baseline in ``bench/bench_reasoning.py``; a test checks both give the same classes).

    With ``module`` (the default) HermiT gets only the ⊥-locality module of the ontology for the defined classes
    and the names the extract uses (:func:`~mcgraph.reasoning.module.locality_module`): the same entailments over
    those names from far fewer axioms, computed once for all batches. Inconsistencies that lie wholly outside those
    names are `mcgraph reason check`'s business, which reasons over the whole ontology.
    """
    started = time.perf_counter()
    extract = focus_extract(store)
    profiles = extract.profiles() if by_profile else [[name] for name in sorted(extract.credentials)]
    members_of = {group[0]: group for group in profiles}
    result = Classification(members={c: set() for c in DEFINED_CLASSES}, credentials=len(extract.credentials),
                            extract_triples=len(extract), profiles=len(profiles))
    ontology = locality_module(extract.ontology, extract.signature() | set(DEFINED_CLASSES)) if module else None
    representatives = sorted(members_of)
    for start in range(0, len(representatives), max(batch_size, 1)):
        batch = representatives[start:start + batch_size]
        run = run_hermit(extract.triples_for(batch, ontology=ontology, reduce=by_profile), DEFINED_CLASSES)
        if not run.consistent:
            from .consistency import InconsistentDataError

            raise InconsistentDataError("the credentials are inconsistent with the ontology; run `mcgraph reason "
                                        "check` to see which individuals")
        for cls, members in run.members.items():
            for representative in members & set(batch):
                result.members[cls].update(members_of[representative])
        result.batches += 1
    result.seconds = time.perf_counter() - started
    if write:
        triples = result.triples()
        record = LoadRecord(graph=INFERRED_CLASSES_GRAPH, source="reason-classify", version=__version__,
                            title="Credentials classified into the ontology's defined classes (owlready2 + HermiT)")
        result.written = write_inferred(store, INFERRED_CLASSES_GRAPH, triples, record)
    return result
