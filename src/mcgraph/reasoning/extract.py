"""Focus extracts for the reasoner: only the credentials, their levels, the crosswalks and the ontology.

The extract is what the queries ``reason-extract-*`` (in ``queries/internal/reason/``) construct; nothing else
of the store reaches the reasoner, so classifying a national catalogue does not mean reasoning over ESCO.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ..namespaces import MCG, RDF
from ..queries import run_query
from ..store import GraphStore

CREDENTIAL_TYPES = frozenset({str(MCG.MicroCredential), str(MCG.Award), str(MCG.Credential)})


@dataclass(frozen=True)
class FocusExtract:
    """The triples the reasoner sees: the ontology, the shared context and the credentials' own facts."""

    ontology: tuple[ox.Triple, ...]
    context: tuple[ox.Triple, ...]
    credentials: dict[str, tuple[ox.Triple, ...]]

    def __len__(self) -> int:
        return len(self.ontology) + len(self.context) + sum(len(t) for t in self.credentials.values())

    def batches(self, size: int) -> Iterator[list[str]]:
        """The credential IRIs in batches of at most ``size`` (sorted, so runs are reproducible)."""
        names = sorted(self.credentials)
        for start in range(0, len(names), max(size, 1)):
            yield names[start:start + size]

    def profiles(self) -> list[list[str]]:
        """Credentials grouped by profile: the same facts up to renaming the credential and its own claim and
        credit nodes, and up to the text of non-numeric literals. OWL semantics does not depend on names, and the
        ontology restricts no string values (a test checks), so every credential of a group is in exactly the
        classes of the group's first member: the reasoner needs to see one credential per profile."""
        groups: dict[tuple, list[str]] = {}
        for name in sorted(self.credentials):
            groups.setdefault(_profile(name, self.credentials[name]), []).append(name)
        return list(groups.values())

    def triples_for(self, credentials: Sequence[str]) -> Iterator[ox.Triple]:
        """The ontology, the context and the facts of the given credentials (and their claim/credit nodes)."""
        yield from self.ontology
        yield from self.context
        for name in credentials:
            yield from self.credentials[name]


def focus_extract(store: GraphStore) -> FocusExtract:
    """Build the extract from the store (three CONSTRUCT queries)."""
    ontology = run_query(store, "reason-ontology").triples
    context = run_query(store, "reason-extract-context").triples
    facts = run_query(store, "reason-extract-credentials").triples
    grouped, shared = _by_credential(facts)
    return FocusExtract(tuple(ontology), (*context, *shared), grouped)


def _by_credential(triples: Iterable[ox.Triple]) -> tuple[dict[str, tuple[ox.Triple, ...]], list[ox.Triple]]:
    """Group the credential facts by credential: a triple about a credit value or skill claim goes with the
    credential that links to it; triples about nodes no credential links to directly (a credit system) are
    shared by every batch."""
    triples = list(triples)
    credentials = {t.subject.value for t in triples
                   if t.predicate.value == str(RDF.type) and t.object.value in CREDENTIAL_TYPES}
    owner: dict[str, str] = {}
    for t in triples:
        if t.subject.value in credentials and isinstance(t.object, ox.NamedNode | ox.BlankNode):
            owner.setdefault(t.object.value, t.subject.value)
    grouped: dict[str, list[ox.Triple]] = {c: [] for c in credentials}
    shared: list[ox.Triple] = []
    for t in triples:
        subject = t.subject.value
        key = subject if subject in credentials else owner.get(subject)
        (grouped[key] if key is not None else shared).append(t)
    return {c: tuple(ts) for c, ts in grouped.items()}, shared


_NUMERIC = ("integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
            "positiveInteger", "boolean", "date", "dateTime")


def _profile(credential: str, triples: Sequence[ox.Triple]) -> tuple:
    """A canonical, name-free description of one credential's facts (see :meth:`FocusExtract.profiles`)."""
    owned: dict[str, list[tuple[str, object]]] = {}
    own: list[tuple[str, object]] = []
    for t in triples:
        if t.subject.value == credential:
            own.append((t.predicate.value, t.object))
        else:
            owned.setdefault(t.subject.value, []).append((t.predicate.value, t.object))

    def canon(term: object) -> object:
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            keep = datatype.rsplit("#", 1)[-1] in _NUMERIC and datatype.startswith("http://www.w3.org/2001/XMLSchema#")
            return ("literal", datatype, term.value if keep else "", term.language or "")
        value = term.value  # type: ignore[attr-defined]
        if value == credential:
            return ("self",)
        if value in owned:
            return ("node", tuple(sorted((p, canon(o)) for p, o in owned[value] if getattr(o, "value", None) != value)))
        return ("iri", value)

    return tuple(sorted((p, canon(o)) for p, o in own))
