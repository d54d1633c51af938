"""Focus extracts for the reasoner: only the credentials, their levels, the crosswalks and the ontology.

The extract is what the queries ``reason-extract-*`` (in ``queries/internal/reason/``) construct; nothing else
of the store reaches the reasoner, so classifying a national catalogue does not mean reasoning over ESCO.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

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
        """Credentials grouped by profile (:func:`profile_key`): every credential of a group is in exactly the
        classes of the group's first member, so the reasoner needs to see one credential per profile."""
        groups: dict[tuple, list[str]] = {}
        for name in sorted(self.credentials):
            key = profile_key(name, self.credentials[name], self._known, self._value_free)
            groups.setdefault(key, []).append(name)
        return list(groups.values())

    def reduced(self, credential: str) -> tuple[ox.Triple, ...]:
        """The credential's facts without repeats: of several facts with the same key (two skill claims from the
        same taxonomy, two foreign stacking targets) only the first, with its own node's facts. The reduced facts
        have the same profile as the full ones, so the reasoner draws the same conclusions from fewer individuals."""
        triples = self.credentials[credential]
        canon = _Canon(credential, triples, self._known, self._value_free)
        seen: set[tuple] = set()
        dropped: set[str] = set()
        kept: list[ox.Triple] = []
        for t in triples:
            if t.subject.value != credential:
                continue
            key = (t.predicate.value, canon(t.object, t.predicate.value))
            if key in seen:
                if t.object.value in canon.owned:  # type: ignore[attr-defined]
                    dropped.add(t.object.value)  # type: ignore[attr-defined]
                continue
            seen.add(key)
            kept.append(t)
        kept.extend(t for t in triples if t.subject.value != credential and t.subject.value not in dropped)
        return tuple(kept)

    def triples_for(self, credentials: Sequence[str], *, ontology: Sequence[ox.Triple] | None = None,
                    reduce: bool = False) -> Iterator[ox.Triple]:
        """The ontology (or the given part of it), the context and the facts of the given credentials (and their
        claim/credit nodes; with ``reduce``, without repeats: :meth:`reduced`)."""
        yield from self.ontology if ontology is None else ontology
        yield from self.context
        for name in credentials:
            yield from self.reduced(name) if reduce else self.credentials[name]

    @cached_property
    def _known(self) -> set[str]:
        """Names profiles keep: those of the ontology and the context, the credentials, and every name more than
        one credential uses (such as a taxonomy's IRI)."""
        users: dict[str, int] = {}
        for name, triples in self.credentials.items():
            for value in {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}:
                users[value] = users.get(value, 0) + 1
        shared = {value for value, n in users.items() if n > 1}
        return _names(self.ontology) | _names(self.context) | set(self.credentials) | shared

    @cached_property
    def _value_free(self) -> frozenset[str]:
        return value_free_properties(self.ontology)

    def signature(self) -> set[str]:
        """Every IRI the context and the credentials' facts use (the seed of the ontology module)."""
        return _names(self.context) | _names(t for ts in self.credentials.values() for t in ts)


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


_XSD = "http://www.w3.org/2001/XMLSchema#"
_BROAD_DATATYPES = frozenset({"http://www.w3.org/2000/01/rdf-schema#Literal", "http://www.w3.org/2002/07/owl#real",
                              "http://www.w3.org/2002/07/owl#rational", _XSD + "decimal", _XSD + "string",
                              "http://www.w3.org/1999/02/22-rdf-syntax-ns#PlainLiteral"})
"""Data ranges whose membership depends only on a literal's datatype (and on its lexical form being valid)."""
_LEXICAL = {
    **dict.fromkeys(("decimal",), re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")),
    **dict.fromkeys(("integer", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
                     "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
                     "unsignedByte"), re.compile(r"[+-]?\d+")),
    **dict.fromkeys(("double", "float"), re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|NaN)|-INF")),
}
_BOUNDS = {"long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1), "short": (-2**15, 2**15 - 1), "byte": (-128, 127),
           "nonNegativeInteger": (0, None), "positiveInteger": (1, None), "nonPositiveInteger": (None, 0),
           "negativeInteger": (None, -1), "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1),
           "unsignedShort": (0, 2**16 - 1), "unsignedByte": (0, 255)}
_VALUE_FREE_TYPES = frozenset({_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
                               *(_XSD + name for name in _LEXICAL)})


def value_free_properties(ontology: Sequence[ox.Triple]) -> frozenset[str]:
    """The data properties whose values no axiom looks at: every axiom of the ontology that mentions one is a
    declaration, an annotation, a domain, a broad range (rdfs:Literal, xsd:decimal, xsd:string, ...), a
    sub-property axiom under another such property, or a someValuesFrom/allValuesFrom restriction to a broad
    datatype. Whether a literal of such a property satisfies the ontology depends only on its datatype and on its
    lexical form being valid, never on the value (no facet, value, key, cardinality or functionality touches it),
    so profiles may ignore the value."""
    rdf_type, sub, on = (str(RDF.type), "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
                         "http://www.w3.org/2002/07/owl#onProperty")
    owl = "http://www.w3.org/2002/07/owl#"
    by_subject: dict[object, list[ox.Triple]] = {}
    for t in ontology:
        by_subject.setdefault(t.subject, []).append(t)
    candidates = {t.subject.value for t in ontology
                  if t.predicate.value == rdf_type and t.object.value == owl + "DatatypeProperty"}
    harmless = {rdf_type, "http://www.w3.org/2000/01/rdf-schema#domain", "http://www.w3.org/2000/01/rdf-schema#label",
                "http://www.w3.org/2000/01/rdf-schema#comment", "http://www.w3.org/2000/01/rdf-schema#seeAlso"}
    harmless |= {t.subject.value for t in ontology
                 if t.predicate.value == rdf_type and t.object.value == owl + "AnnotationProperty"}
    supers: dict[str, set[str]] = {}
    free = set(candidates)
    for t in ontology:
        subject, predicate, obj = t.subject.value, t.predicate.value, t.object
        if subject in candidates:
            if predicate == rdf_type and obj.value not in (owl + "DatatypeProperty", owl + "NamedIndividual"):
                free.discard(subject)  # functional, or anything else it could be
            elif predicate == sub:
                supers.setdefault(subject, set()).add(obj.value)  # type: ignore[attr-defined]
            elif predicate == "http://www.w3.org/2000/01/rdf-schema#range":
                if obj.value not in _BROAD_DATATYPES:  # type: ignore[attr-defined]
                    free.discard(subject)
            elif predicate not in harmless:
                free.discard(subject)
        if isinstance(obj, ox.NamedNode) and obj.value in candidates and predicate not in (sub, rdf_type):
            if predicate != on:
                free.discard(obj.value)
                continue
            rest = [r for r in by_subject.get(t.subject, ()) if r.predicate.value not in (on, rdf_type)]
            if not (len(rest) == 1 and rest[0].predicate.value in (owl + "someValuesFrom", owl + "allValuesFrom")
                    and rest[0].object.value in _BROAD_DATATYPES):  # type: ignore[attr-defined]
                free.discard(obj.value)
    changed = True
    while changed:  # a property whose super-property is value-sensitive is value-sensitive too
        changed = False
        for p in list(free):
            if any(s not in free for s in supers.get(p, ())):
                free.discard(p)
                changed = True
    return frozenset(free)


def _valid(literal: ox.Literal) -> bool:
    """Whether the literal's lexical form is valid for its (numeric) datatype."""
    local = literal.datatype.value.removeprefix(_XSD)
    pattern = _LEXICAL.get(local)
    if pattern is None:
        return True
    if not pattern.fullmatch(literal.value):
        return False
    low, high = _BOUNDS.get(local, (None, None))
    number = int(literal.value) if local in _BOUNDS else None
    return number is None or ((low is None or number >= low) and (high is None or number <= high))


def _names(triples: Iterable[ox.Triple]) -> set[str]:
    return {term.value for t in triples for term in (t.subject, t.predicate, t.object) if isinstance(term, ox.NamedNode)}


class _Canon:
    """Canonical, name-free forms of the objects of one credential's facts (see :func:`profile_key`)."""

    def __init__(self, credential: str, triples: Sequence[ox.Triple], known: set[str],
                 value_free: frozenset[str]) -> None:
        self.credential, self.known, self.value_free = credential, known, value_free
        self.owned: dict[str, list[tuple[str, object]]] = {}
        uses: dict[str, int] = {}
        for t in triples:
            if t.subject.value != credential:
                self.owned.setdefault(t.subject.value, []).append((t.predicate.value, t.object))
            if not isinstance(t.object, ox.Literal):
                uses[t.object.value] = uses.get(t.object.value, 0) + 1
        self.once = {name for name, n in uses.items() if n == 1}

    def __call__(self, term: object, predicate: str) -> object:
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            if predicate in self.value_free and datatype in _VALUE_FREE_TYPES:
                return ("literal", datatype, _valid(term))
            return ("literal", datatype, term.value, term.language or "")
        value = term.value  # type: ignore[attr-defined]
        if value == self.credential:
            return ("self",)
        if value in self.owned and value in self.once:
            return ("node", tuple(sorted({(p, self(o, p)) for p, o in self.owned[value]
                                          if getattr(o, "value", None) != value})))
        if value in self.owned:
            return ("shared node", value)
        if value in self.known or value not in self.once:
            return ("iri", value)
        return ("foreign",)


def profile_key(credential: str, triples: Sequence[ox.Triple], known: set[str],
                value_free: frozenset[str]) -> tuple:
    """A canonical, name-free description of one credential's facts: a set (repeats count once) of (predicate,
    object) where the object is kept as it is if the ontology or the context names it, is described by its own
    facts if it is the credential's own node (a skill claim, a credit value), stands for "some other thing" if it is
    a name nothing else mentions, and is only its datatype (and whether it is valid) if it is a literal of a
    :func:`value_free_properties` property.

    Two credentials with the same key are in the same classes. The reason: the key describes a tree that maps onto
    each credential's facts and back (a homomorphism both ways, keeping the ontology's and the context's names);
    OWL makes no unique-name assumption, so every model of one credential's facts and the ontology becomes a model
    of the other's by re-pointing the renamed nodes — the classes and properties stay as they are, so every
    membership of the credential carries over. A node or name used twice in one credential keeps its name (so the
    tree shape holds), and literal values are dropped only where no axiom can tell them apart.
    """
    canon = _Canon(credential, triples, known, value_free)
    return tuple(sorted({(t.predicate.value, canon(t.object, t.predicate.value))
                         for t in triples if t.subject.value == credential}))
