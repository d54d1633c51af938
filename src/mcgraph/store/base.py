"""The store interface every backend implements, and the values it passes around.

Nothing here talks to an engine: :class:`GraphStore` is the protocol the CLI, loaders, queries and
analyses use; :class:`LoadRecord` is the provenance of one load (written to the metadata graph
``https://w3id.org/mcgraph/graph/meta``); :class:`QueryResult` is a SPARQL answer. Terms are pyoxigraph's
term classes (``NamedNode``, ``Literal`` …) whatever the backend.

>>> graph_iri("https://w3id.org/mcgraph/graph/esco/1.1.1").value
'https://w3id.org/mcgraph/graph/esco/1.1.1'
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

from ..errors import StoreError
from ..namespaces import DCAT, DCTERMS, MCG, META_GRAPH, OWL, PROV, RDF, XSD

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

STORE_ENV = "MCGRAPH_STORE"
"""Environment variable naming the embedded store's folder."""


def default_store_path() -> Path:
    """Where the embedded store lives unless ``--store`` or ``$MCGRAPH_STORE`` says otherwise.

    ``$XDG_DATA_HOME/mcgraph/store`` (``~/.local/share/mcgraph/store`` when XDG_DATA_HOME is unset).
    """
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "mcgraph" / "store"


def iri(value: str) -> ox.NamedNode:
    """A pyoxigraph IRI node from a string (``str(rdflib.URIRef)`` works too)."""
    return ox.NamedNode(str(value))


def graph_iri(value: str) -> ox.NamedNode:
    """A named graph's IRI, checked: a value that is not an absolute IRI raises :class:`StoreError`.

    >>> graph_iri("https://w3id.org/mcgraph/graph/x> ; DROP ALL ; <y")
    Traceback (most recent call last):
    ...
    mcgraph.errors.StoreError: not a valid graph IRI: 'https://w3id.org/mcgraph/graph/x> ; DROP ALL ; <y' (Invalid IRI code point '>')
    """
    try:
        node = ox.NamedNode(str(value))
    except ValueError as exc:
        raise StoreError(f"not a valid graph IRI: {str(value)!r} ({exc})") from None
    if ":" not in node.value:
        raise StoreError(f"not a valid graph IRI: {str(value)!r} (no scheme)")
    return node


@dataclass(frozen=True)
class SourceFile:
    """One file a load read: its name, SHA-256 and size in bytes."""

    name: str
    sha256: str
    size: int


@dataclass
class LoadRecord:
    """What was loaded into one named graph: the provenance written to the metadata graph."""

    graph: str
    source: str
    version: str | None = None
    title: str | None = None
    files: list[SourceFile] = field(default_factory=list)
    triples: int = 0
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    ended: datetime | None = None
    #: Written by the graph's owner (``reserved_ok``: ``mcgraph build``, reasoning): others may not replace or drop it.
    reserved: bool = False

    def quads(self) -> list[ox.Quad]:
        """The record as quads in the metadata graph."""
        g, meta = iri(self.graph), iri(META_GRAPH)
        activity = iri(f"{self.graph}#load")
        ended = self.ended or datetime.now(timezone.utc)

        def lit(value: object, datatype: str | None = None) -> ox.Literal:
            return ox.Literal(str(value), datatype=iri(datatype)) if datatype else ox.Literal(str(value))

        def stamp(moment: datetime) -> ox.Literal:
            return lit(moment.isoformat(), str(XSD.dateTime))

        out = [
            (g, RDF.type, iri(MCG.LoadedGraph)),
            (g, RDF.type, iri(DCAT.Dataset)),
            (g, MCG.sourceName, lit(self.source)),
            (g, MCG.tripleCount, lit(self.triples, str(XSD.integer))),
            (g, PROV.generatedAtTime, stamp(ended)),
            (g, PROV.wasGeneratedBy, activity),
            (activity, RDF.type, iri(PROV.Activity)),
            (activity, PROV.startedAtTime, stamp(self.started)),
            (activity, PROV.endedAtTime, stamp(ended)),
        ]
        if self.version:
            out += [(g, MCG.sourceVersion, lit(self.version)), (g, OWL.versionInfo, lit(self.version))]
        if self.title:
            out.append((g, DCTERMS.title, lit(self.title)))
        if self.reserved:
            out.append((g, MCG.reserved, lit("true", str(XSD.boolean))))
        for n, f in enumerate(self.files, start=1):
            node = iri(f"{self.graph}#file-{n}")
            out += [
                (activity, PROV.used, node),
                (g, DCTERMS.source, node),
                (node, MCG.sourceFile, lit(f.name)),
                (node, MCG.sha256, lit(f.sha256)),
                (node, DCAT.byteSize, lit(f.size, str(XSD.integer))),
            ]
        return [ox.Quad(s, iri(p) if not isinstance(p, ox.NamedNode) else p, o, meta) for s, p, o in out]


@dataclass(frozen=True)
class GraphInfo:
    """A named graph in the store with its load record (fields are None for graphs loaded by others)."""

    graph: str
    triples: int
    source: str | None = None
    version: str | None = None
    loaded_at: str | None = None
    files: tuple[str, ...] = ()
    #: The files with their SHA-256 and size, as recorded (sorted by name).
    sources: tuple[SourceFile, ...] = ()
    #: The load record marks the graph as written by its owner (``mcg:reserved``: ``mcgraph build``, reasoning);
    #: only the owner may replace or drop it (:mod:`mcgraph.store.graphs`).
    reserved: bool = False


@dataclass(frozen=True)
class QueryResult:
    """A SPARQL result: ``rows`` for SELECT, ``boolean`` for ASK, ``triples`` for CONSTRUCT/DESCRIBE."""

    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()

    def __iter__(self) -> Iterator[dict[str, Term | None]]:
        for row in self.rows:
            yield dict(zip(self.variables, row))

    def __len__(self) -> int:
        return len(self.rows)

    def values(self, variable: str) -> list[str | None]:
        """The lexical value of one column, row by row (``None`` where unbound)."""
        i = self.variables.index(variable)
        return [None if r[i] is None else r[i].value for r in self.rows]  # type: ignore[union-attr]

    def without(self, hidden: set[str]) -> QueryResult:
        """The same result without the named columns (used to hide bound parameters)."""
        keep = [i for i, v in enumerate(self.variables) if v not in hidden]
        if len(keep) == len(self.variables):
            return self
        return QueryResult(tuple(self.variables[i] for i in keep),
                           tuple(tuple(r[i] for i in keep) for r in self.rows), self.boolean, self.triples)

    def dicts(self) -> list[dict[str, str | None]]:
        """Rows as plain dictionaries of lexical values."""
        return [{v: (None if t is None else t.value) for v, t in zip(self.variables, r)} for r in self.rows]  # type: ignore[union-attr]


@runtime_checkable
class GraphStore(Protocol):
    """What the rest of mcgraph needs from a store, embedded or remote.

    Reading: :meth:`query` (SELECT/ASK/CONSTRUCT with engine-bound parameters), :meth:`ask`,
    :meth:`construct`, :meth:`named_graphs`, :meth:`contains_graph`, :meth:`count`, :meth:`graph_records`,
    :meth:`dump`. Writing (each all or nothing, each with its load record): :meth:`write_graph`,
    :meth:`load_files`, :meth:`drop_graph`; a user's SPARQL update: :meth:`update`. ``location`` is the folder or URL the store lives at
    (None for an in-memory store); ``notices`` are what the store did or found on opening that the user should
    hear about (an interrupted replace, an orphan staging graph removed).

    Graph rules (:mod:`mcgraph.store.graphs`): a write touches only its own graph; the metadata graph is the
    store's own; reserved graphs (ontology, frameworks/…, inferred/…) take ``reserved_ok=True``; ``drop_graph``
    takes only graphs with a load record; an empty load is refused.
    """

    @property
    def location(self) -> str | None: ...

    @property
    def notices(self) -> list[str]: ...

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        """Run a SPARQL query; ``bindings`` are bound by the engine as RDF terms, never pasted into text."""
        ...

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """The answer of an ASK query."""
        ...

    def construct(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[ox.Triple]:
        """The triples of a CONSTRUCT (or DESCRIBE) query."""
        ...

    def named_graphs(self) -> list[str]:
        """Every named graph's IRI, sorted (the metadata graph included)."""
        ...

    def contains_graph(self, graph: str) -> bool: ...

    def count(self, graph: str | None = None) -> int:
        """Triples in one named graph, or quads in the whole store."""
        ...

    def graph_records(self) -> list[GraphInfo]:
        """Every named graph but the metadata graph, with its triple count and load record."""
        ...

    def write_graph(self, graph: str, quads: Iterable[ox.Quad | ox.Triple], record: LoadRecord,
                    *, replace: bool = False, reserved_ok: bool = False) -> int:
        """Write triples as named graph ``graph`` with its load record, all or nothing; returns its size."""
        ...

    def load_files(self, graph: str, files: Sequence[tuple[Path, ox.RdfFormat]], record: LoadRecord,
                   *, replace: bool = False, extras: Iterable[ox.Triple] = (), reserved_ok: bool = False) -> int:
        """Load RDF files (triple syntaxes) with the engine's own parser into ``graph``, all or nothing."""
        ...

    def drop_graph(self, graph: str, *, reserved_ok: bool = False) -> None:
        """Remove a loaded graph and its load record (a graph without a record is refused)."""
        ...

    def update(self, sparql: str) -> None:
        """Run a user's SPARQL 1.1 Update under the graph rules of :mod:`mcgraph.store.updates`: only named
        graphs the user's updates own are written (and get a load record); reserved and file-loaded graphs,
        ``LOAD``, ``SERVICE`` and ``DROP/CLEAR ALL|NAMED|DEFAULT`` are refused before anything runs."""
        ...

    def dump(self, output: Path | str | None = None, *, fmt: ox.RdfFormat,
             graph: str | None = None) -> bytes | None:
        """Serialise one graph, or the whole store (dataset syntaxes) / every graph merged (triple syntaxes)."""
        ...

    def close(self) -> None: ...


__all__: Sequence[str] = [
    "STORE_ENV", "GraphInfo", "GraphStore", "LoadRecord", "QueryResult", "SourceFile", "Term",
    "default_store_path", "graph_iri", "iri",
]
