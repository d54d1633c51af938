"""The embedded store: Oxigraph in the process, on disk (or in memory), behind :class:`GraphStore`.

Every load writes one named graph and one load record (PROV-O / DCAT) in the metadata graph
``https://w3id.org/mcgraph/graph/meta``. Writes are all-or-nothing: quads are produced (and so
validated) before anything is written, a fresh graph that fails half-way is removed, and a replaced
graph is swapped in with one SPARQL update. This is the only module that touches ``pyoxigraph.Store``.

>>> store = EmbeddedStore()            # in memory; EmbeddedStore(path) persists on disk
>>> store.graph_records()
[]
"""

from __future__ import annotations

import gc
import gzip
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ..errors import GraphExistsError, QueryError, StoreError
from ..namespaces import META_GRAPH, PREFIXES
from ..rdf_io import syntax_error
from .base import GraphInfo, LoadRecord, QueryResult, Term, graph_iri, iri
from .metadata import graph_triples, read_graph_records


class EmbeddedStore:
    """The default store: Oxigraph embedded in the process, on disk (or in memory when ``path`` is None)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}. Is another mcgraph process "
                             "using it? Close it or pass --store with another folder.") from exc

    @property
    def location(self) -> str | None:
        """The store's folder (None in memory)."""
        return None if self.path is None else str(self.path)

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store`` (pySHACL and oxrdflib accept it directly)."""
        return self._store

    # -- reading ---------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None,
              *, union_default_graph: bool = True) -> QueryResult:
        """Run a SPARQL query; ``bindings`` are substituted by the engine (never pasted into text).

        With ``union_default_graph`` (the default) a pattern outside ``GRAPH`` sees every named graph.
        """
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            result = self._store.query(sparql, prefixes=PREFIXES, substitutions=substitutions,
                                       use_default_graph_as_union=union_default_graph)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except RuntimeError as exc:
            if "does not contains variable" in str(exc):
                raise QueryError(f"{exc}: a query parameter must be in scope in the query — list it in the SELECT "
                                 "clause (the table view hides parameter columns) or bind it in a pattern") from exc
            raise QueryError(f"query failed: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise QueryError(f"query failed: {exc}") from exc
        return _to_result(result)

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        result = self.query(sparql, bindings)
        if result.boolean is None:
            raise QueryError("not an ASK query")
        return result.boolean

    def construct(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[ox.Triple]:
        result = self.query(sparql, bindings)
        if result.boolean is not None or result.variables:
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        return list(result.triples)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def contains_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(graph_iri(graph))

    def count(self, graph: str | None = None) -> int:
        """Triples in one named graph, or quads in the whole store."""
        if graph is None:
            return len(self._store)
        return graph_triples(self, graph)

    def graph_records(self) -> list[GraphInfo]:
        """Every named graph (but the metadata graph) with its triple count and load record."""
        return read_graph_records(self)

    # -- writing ---------------------------------------------------------------------------------
    def write_graph(self, graph: str, quads: Iterable[ox.Quad | ox.Triple], record: LoadRecord,
                    *, replace: bool = False) -> int:
        """Write ``quads`` as named graph ``graph`` with its load record, all or nothing.

        Triples (and quads in the default graph) go into ``graph``; quads naming another graph keep it.
        The iterable is consumed completely before anything is written, so a producer that raises
        (a parse error, a bad row) leaves the store untouched. Returns the number of triples in the graph.
        """
        target = graph_iri(graph)
        exists = self._store.contains_named_graph(target)
        if exists and not replace:
            raise GraphExistsError(f"graph <{graph}> is already loaded; drop it first or load with --replace")
        foreign: list[ox.Quad] = []
        data = _as_ntriples(quads, foreign)  # consumes the producer: its errors surface here, before any write
        staged = iri(f"{graph}#staging-{uuid.uuid4().hex}") if exists else target
        if foreign:
            # Quads for other graphs (N-Quads, TriG): one atomic transaction, so a failure leaves nothing behind.
            batch = [*foreign, *(ox.Quad(t.subject, t.predicate, t.object, staged)
                                 for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))]
            return self._commit(graph, staged, record, lambda: self._store.extend(batch), exists)
        return self._commit(graph, staged, record,
                            lambda: self._store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=staged), exists)

    def _commit(self, graph: str, staged: ox.NamedNode, record: LoadRecord, write: Callable[[], None],
                exists: bool) -> int:
        """Run ``write`` into ``staged``, swap it in as ``graph`` and write the record; undo on any failure."""
        try:
            write()
            record.triples = self.count(staged.value)
            if exists:
                # Both terms are validated IRIs (graph_iri), written by the term serialiser.
                target = graph_iri(graph)
                self._store.update(f"DROP SILENT GRAPH {target} ; MOVE SILENT {staged} TO {target}")
            record.ended = datetime.now(timezone.utc)
            self._replace_record(record)
        except BaseException as exc:
            if self._store.contains_named_graph(staged):
                self._store.remove_graph(staged)
            if isinstance(exc, OSError):
                raise StoreError(f"writing graph <{graph}> failed: {exc}") from exc
            raise
        if self.path is not None:
            self._store.flush()
        return record.triples

    def load_files(self, graph: str, files: Sequence[tuple[Path, ox.RdfFormat]], record: LoadRecord,
                   *, replace: bool = False, extras: Iterable[ox.Triple] = ()) -> int:
        """Bulk-load RDF files (triple syntaxes) with Oxigraph's own parser into ``graph``, all or nothing.

        The fast path for RDF sources: files go straight into a fresh graph (or a staging graph when
        replacing), followed by ``extras`` (triples the source derives from them); a syntax error or a
        failing producer removes what was written, so the store is left as it was. Raises
        :class:`~mcgraph.errors.SourceFormatError` with the file, line and column.
        """
        target = graph_iri(graph)
        exists = self._store.contains_named_graph(target)
        if exists and not replace:
            raise GraphExistsError(f"graph <{graph}> is already loaded; drop it first or load with --replace")
        staged = iri(f"{graph}#staging-{uuid.uuid4().hex}") if exists else target
        current: list[Path] = []

        def write() -> None:
            for path, fmt in files:
                current[:] = [path]
                if fmt.supports_datasets:
                    raise ValueError(f"{path}: dataset syntaxes are not bulk-loaded into one graph")
                if path.name.endswith(".gz"):
                    with gzip.open(path, "rb") as fh:
                        self._store.bulk_load(fh, format=fmt, to_graph=staged)
                else:
                    self._store.bulk_load(path=str(path), format=fmt, to_graph=staged)
            current[:] = []
            derived = _as_ntriples(extras, [])
            if derived:
                self._store.bulk_load(derived, format=ox.RdfFormat.N_TRIPLES, to_graph=staged)

        try:
            return self._commit(graph, staged, record, write, exists)
        except SyntaxError as exc:
            raise syntax_error(current[0] if current else Path(graph), exc) from exc

    def _replace_record(self, record: LoadRecord) -> None:
        self._remove_record(record.graph)
        self._store.extend(record.quads())

    def _remove_record(self, graph: str) -> None:
        meta = iri(META_GRAPH)
        old = [q for q in self._store.quads_for_pattern(None, None, None, meta)
               if isinstance(q.subject, ox.NamedNode)
               and (q.subject.value == graph or q.subject.value.startswith(graph + "#"))]
        for q in old:
            self._store.remove(q)

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph and its load record."""
        if self.contains_graph(graph):
            self._store.remove_graph(iri(graph))
        self._remove_record(graph)

    def dump(self, output: Path | str | None = None, *, fmt: ox.RdfFormat, graph: str | None = None) -> bytes | None:
        """Serialise one graph, the whole store (N-Quads, TriG, JSON-LD), or every graph merged into one
        set of triples (the other, triple-only syntaxes, when ``graph`` is None)."""
        prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        if graph is None and not fmt.supports_datasets:
            merged = {ox.Triple(q.subject, q.predicate, q.object) for q in self._store}
            return ox.serialize(merged, output, format=fmt, prefixes=prefixes)
        kwargs: dict[str, object] = {"format": fmt}
        if graph is not None:
            kwargs["from_graph"] = iri(graph)
        if prefixes:
            kwargs["prefixes"] = prefixes
        return self._store.dump(output, **kwargs) if output is not None else self._store.dump(**kwargs)

    def close(self) -> None:
        if self.path is not None:
            self._store.flush()
        del self._store

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _as_ntriples(items: Iterable[ox.Quad | ox.Triple], foreign: list[ox.Quad]) -> bytes:
    """Serialise triples (and default-graph quads) as N-Triples in one pass, setting aside quads that name
    another graph. Serialising once and bulk-loading the bytes is much cheaper than building a Quad per
    triple in Python; the garbage collector is paused meanwhile (millions of short-lived terms)."""

    def triples() -> Iterator[ox.Triple]:
        for item in items:
            if isinstance(item, ox.Triple):
                yield item
            elif isinstance(item.graph_name, ox.DefaultGraph):
                yield item.triple
            else:
                foreign.append(item)

    collecting = gc.isenabled()
    gc.disable()
    try:
        return ox.serialize(triples(), format=ox.RdfFormat.N_TRIPLES) or b""
    finally:
        if collecting:
            gc.enable()


def _to_result(result: object) -> QueryResult:
    if isinstance(result, bool):
        return QueryResult(boolean=result)
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(sol[v] for v in variables) for sol in result)
        return QueryResult(variables=variables, rows=rows)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(boolean=bool(result))
    return QueryResult(triples=tuple(result))  # type: ignore[arg-type]
