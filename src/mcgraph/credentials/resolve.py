"""Checking the skill and occupation IRIs of a catalogue against what the store has loaded.

A skill claim must point at a concept some loaded graph describes (it has an ``rdf:type``). An IRI of a
known taxonomy (ESCO, OaSIS/NOC, O*NET, SFIA) that is not loaded is an error naming the file, row and
field; when the taxonomy is not loaded at all, the message says to load it first. IRIs of other
("custom") taxonomies must be loaded too.

>>> taxonomy_of("http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d").label
'ESCO'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from ..namespaces import NOC, OASIS, ONET
from ..queries import NamedQuery, get_query
from ..store import GraphStore


@dataclass(frozen=True)
class Taxonomy:
    """A skills or occupations taxonomy mcgraph knows by namespace."""

    key: str
    label: str
    namespace: str
    #: The scheme a claim names (``mcg:fromTaxonomy``) when it names none; None: look it up in the store.
    default_scheme: str | None
    load_hint: str


ESCO_SKILLS_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"

TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy("esco", "ESCO", "http://data.europa.eu/esco/", ESCO_SKILLS_SCHEME,
             "`mcgraph load esco FOLDER` (the ESCO CSV download), or `mcgraph build` for the sample slice"),
    Taxonomy("oasis", "OaSIS", str(OASIS), None,
             "`mcgraph load oasis FOLDER` (the OaSIS open data), or `mcgraph build` for the sample slice"),
    Taxonomy("noc", "NOC", str(NOC), None, "`mcgraph load oasis FOLDER` (NOC structure)"),
    Taxonomy("onet", "O*NET", str(ONET), None, "`mcgraph load onet FOLDER` (the O*NET database)"),
    Taxonomy("sfia", "SFIA", "https://rdf.sfia-online.org/", None, "`mcgraph load sfia FILE` (the SFIA download)"),
)


def taxonomy_of(iri: str) -> Taxonomy | None:
    """The known taxonomy an IRI belongs to by namespace, or None for a custom one."""
    for tax in TAXONOMIES:
        if iri.startswith(tax.namespace):
            return tax
    return None


def default_scheme(iri: str) -> str | None:
    """The scheme a claim on ``iri`` names when the catalogue names none and the namespace decides it."""
    tax = taxonomy_of(iri)
    if tax is not None and tax.key == "esco" and "/esco/skill/" in iri:
        return tax.default_scheme
    return None


PREFETCH_AFTER = 64
"""Distinct IRIs of one known taxonomy asked about one by one before the resolver fetches all of that
taxonomy's concepts in one query (a large catalogue names thousands; a small one only a few)."""


class Resolver:
    """Look-ups against a (read-only) store, cached for one load.

    ``store`` may be None: then nothing can be checked and :attr:`checking` is False. The named queries are
    looked up once per resolver; after :data:`PREFETCH_AFTER` distinct IRIs of one known taxonomy, its loaded
    concepts are fetched in one query, and only IRIs not among them are asked about one by one.
    """

    def __init__(self, store: GraphStore | None) -> None:
        self.store = store
        self._queries: dict[str, NamedQuery] = {}
        self._known: dict[str, bool] = {}
        self._asked: dict[str, int] = {}
        self._typed: dict[str, set[str]] = {}
        self._loaded: dict[str, bool] = {}
        self._schemes: dict[str, str | None] = {}
        self._levels: dict[str, str | None] = {}
        #: What a load could not check (kinds of reference whose targets are not loaded at all).
        self.unchecked: list[str] = []

    @property
    def checking(self) -> bool:
        return self.store is not None

    def known(self, iri: str) -> bool:
        """Whether some loaded graph describes ``iri`` (gives it an rdf:type)."""
        if self.store is None:
            return True
        if iri not in self._known:
            tax = taxonomy_of(iri)
            if tax is not None and iri in self._typed_in(tax):
                self._known[iri] = True
            else:
                self._known[iri] = bool(self._query("concept-typed").run(self.store, s=ox.NamedNode(iri)).boolean)
        return self._known[iri]

    def _query(self, name: str) -> NamedQuery:
        if name not in self._queries:
            self._queries[name] = get_query(name)
        return self._queries[name]

    def _typed_in(self, tax: Taxonomy) -> set[str]:
        """The taxonomy's loaded concepts once many of its IRIs were asked about (empty before that)."""
        if tax.key not in self._typed:
            self._asked[tax.key] = self._asked.get(tax.key, 0) + 1
            if self._asked[tax.key] <= PREFETCH_AFTER or self.store is None:
                return set()
            rows = self._query("typed-in-namespace").run(self.store, ns=tax.namespace)
            self._typed[tax.key] = {v for v in rows.values("s") if v}
        return self._typed[tax.key]

    def level_iri(self, text: str) -> str | None:
        """The IRI of a level given by framework short name and number (``nfq:8``), resolved as
        ``mcgraph crosswalk level`` resolves it (:func:`mcgraph.levels.resolve_level`); None when there is no
        store or no such level."""
        if self.store is None:
            return None
        key = text.strip().lower()
        if key not in self._levels:
            from ..levels import UnknownLevelError, resolve_level

            try:
                self._levels[key] = resolve_level(self.store, text).iri
            except UnknownLevelError:
                self._levels[key] = None
        return self._levels[key]

    def class_loaded(self, cls: str) -> bool:
        """Whether the store has any instance of ``cls`` (e.g. are frameworks loaded at all?)."""
        if self.store is None:
            return False
        if cls not in self._loaded:
            self._loaded[cls] = bool(self._query("class-has-instances").run(self.store, c=ox.NamedNode(cls)).boolean)
        return self._loaded[cls]

    def unknown(self, iris: Iterable[str]) -> set[str]:
        return {i for i in set(iris) if not self.known(i)}

    def taxonomy_loaded(self, tax: Taxonomy) -> bool:
        """Whether any concept of the taxonomy's namespace is loaded."""
        if self.store is None:
            return True
        if tax.key not in self._loaded:
            self._loaded[tax.key] = len(self._query("namespace-loaded").run(self.store, ns=tax.namespace)) > 0
        return self._loaded[tax.key]

    def scheme_of(self, iri: str) -> str | None:
        """The taxonomy scheme of a concept: the namespace default, else its (first) skos:inScheme."""
        scheme = default_scheme(iri)
        if scheme is not None or self.store is None:
            return scheme
        if iri not in self._schemes:
            rows = self._query("concept-schemes").run(self.store, s=ox.NamedNode(iri))
            values = [v for v in rows.values("scheme") if v]
            self._schemes[iri] = values[0] if values else None
        return self._schemes[iri]

    def scale_range(self, iri: str) -> tuple[Decimal, Decimal] | None:
        """Minimum and maximum of a rating scale described in the store, or None."""
        if self.store is None:
            return None
        rows = self._query("scale-range").run(self.store, s=ox.NamedNode(iri))
        if not len(rows):
            return None
        lo, hi = rows.values("min")[0], rows.values("max")[0]
        try:
            return Decimal(str(lo)), Decimal(str(hi))
        except ArithmeticError:
            return None

    def why_unknown(self, iri: str, what: str = "skill") -> str:
        """The reason to give for an IRI that is not loaded."""
        tax = taxonomy_of(iri)
        if tax is None:
            return (f"{what} <{iri}> is not described by any loaded graph (no rdf:type); load the taxonomy "
                    "that defines it first, or check the IRI")
        if not self.taxonomy_loaded(tax):
            return (f"{what} <{iri}> is an {tax.label} IRI but {tax.label} is not loaded; load it first: "
                    f"{tax.load_hint}")
        return f"unknown {tax.label} {what} <{iri}>: the loaded {tax.label} has no such concept (check the IRI)"


__all__ = ["ESCO_SKILLS_SCHEME", "Resolver", "TAXONOMIES", "Taxonomy", "default_scheme", "taxonomy_of"]
