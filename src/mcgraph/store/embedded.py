"""The embedded store: Oxigraph in the process, on disk (or in memory), behind :class:`GraphStore`.

Every load writes one named graph and one load record (PROV-O / DCAT) in the metadata graph
``https://w3id.org/mcgraph/graph/meta``, and only that graph: quads naming another graph are refused, the
metadata graph is the store's own, reserved graphs need ``reserved_ok`` (the rules: :mod:`.graphs`), and an
empty load is refused. A fresh load is all-or-nothing: a graph that fails half-way is removed. A replace
reads (and so checks) the whole new input before writing, then changes only the triples that differ —
bracketed by a marker, so a process stopped half-way is reported on the next open and finished by running
the same replace again — or, when that would cost more, rebuilds the store folder without the old graph
(:mod:`.rebuild`). Opening the store finishes or removes what a stopped rebuild left, removes staging graphs
older versions left behind and names a damaged, locked or read-only folder for what it is. This module (with
its helper :mod:`.rebuild`) is the only one that touches ``pyoxigraph.Store``.

>>> store = EmbeddedStore()            # in memory; EmbeddedStore(path) persists on disk
>>> store.graph_records()
[]
"""

from __future__ import annotations

import gc
import gzip
import itertools
from collections import deque
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ..errors import GraphExistsError, QueryError, SourceFormatError, StoreError
from ..namespaces import MCG, META_GRAPH, PREFIXES, RDF
from ..rdf_io import NTriples, gzip_error, needs_opening, open_rdf, parse_rdf, refuse_xml_entities, syntax_error
from .base import GraphInfo, LoadRecord, QueryResult, Term, graph_iri, iri
from .graphs import check_writable, foreign_graph_error
from .metadata import (REPLACING, graph_triples, internal_query, interrupted_notice, interrupted_replaces,
                       read_graph_records, staging_graphs)
from .rebuild import build_without, can_rebuild, finish_swap, remove_leftovers, swap_in
from .updates import check_update, records_after

LOADING = str(MCG.loadStarted)
"""Set on a graph (in the metadata graph) while a fresh load writes it; removed with the load record."""
_READ_ONLY = ("Permission denied", "Read-only file system", "Operation not permitted")


class EmbeddedStore:
    """The default store: Oxigraph embedded in the process, on disk (or in memory when ``path`` is None)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = False
        self._notices: list[str] = []
        if self.path is not None:
            self._notices += finish_swap(self.path)
        self._store = ox.Store() if self.path is None else self._open(self.path)
        if self.path is not None:
            self._recover()

    def _open(self, path: Path) -> ox.Store:
        """Open (or create) the on-disk store, saying what is wrong and what to do when it cannot be."""
        try:
            path.mkdir(parents=True, exist_ok=True)
            return ox.Store(str(path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower() and "temporarily unavailable" in text.lower():
                raise StoreError(f"cannot open the store at {path}: another mcgraph process is using it. Wait "
                                 "for it to finish, or pass --store with another folder.") from None
            if isinstance(exc, PermissionError) or any(w in text for w in _READ_ONLY):
                return self._open_read_only(path, text)
            raise StoreError(f"cannot open the store at {path}: {text}. Check the folder, or pass --store with "
                             "another folder.") from None
        except RuntimeError as exc:  # RocksDB corruption (a damaged CURRENT or MANIFEST file …)
            raise StoreError(f"the store at {path} is damaged and cannot be opened ({exc}). Move the folder aside "
                             "and load the data again (`mcgraph build`, `mcgraph load`), or restore a copy "
                             "(`mcgraph export --format nq` makes one from a working store).") from None

    def _open_read_only(self, path: Path, reason: str) -> ox.Store:
        try:
            store = ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"the store at {path} is read-only for this user and cannot be opened even for "
                             f"reading ({exc}). Fix the folder's permissions, or pass --store with another "
                             "folder.") from None
        self.read_only = True
        self._notices.append(f"the store at {path} is read-only ({reason.split(': ')[-1]}): it can be "
                             "queried but not loaded into or dropped from")
        return store

    def _recover(self) -> None:
        """Remove what a stopped process left behind (graphs of unfinished fresh loads, staging graphs of
        older versions), and report interrupted replaces."""
        self._finish_stopped_loads()
        for graph in staging_graphs(self.named_graphs()):
            if self.read_only:
                self._notices.append(f"found the staging graph <{graph}> of a stopped load (read-only store: "
                                     "not removed)")
                continue
            n = self.count(graph)
            self._store.remove_graph(iri(graph))
            self._notices.append(f"removed <{graph}> ({n:,} triples): the staging graph of a load that was "
                                 "stopped before it finished")
        self._notices += [interrupted_notice(g, at) for g, at in interrupted_replaces(self)]
        if not self.read_only and self.path is not None:
            self._notices += remove_leftovers(self.path)
        if self._notices and not self.read_only:
            self._store.flush()

    def _finish_stopped_loads(self) -> None:
        """Graphs whose fresh load set the loading marker (:meth:`_write`) and never finished: removed."""
        meta = iri(META_GRAPH)
        for marker in list(self._store.quads_for_pattern(None, iri(LOADING), None, meta)):
            graph = marker.subject
            if self._has_record(graph.value):  # stopped after the record was written: the load is complete
                if not self.read_only:
                    self._store.remove(marker)
                continue
            if self.read_only:
                self._notices.append(f"found <{graph.value}>, a load that was stopped before it finished "
                                     "(read-only store: not removed)")
                continue
            n = self.count(graph.value)
            if self._store.contains_named_graph(graph):  # type: ignore[arg-type]
                self._store.remove_graph(graph)  # type: ignore[arg-type]
            self._store.remove(marker)
            self._notices.append(f"removed <{graph.value}> ({n:,} triples): a load that was stopped before it "
                                 "finished (load it again)")

    @property
    def notices(self) -> list[str]:
        """What opening the store found or did that the user should hear about."""
        return list(self._notices)

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
        return _to_result(self._run(sparql, bindings, union_default_graph))

    def _run(self, sparql: str, bindings: Mapping[str, Term] | None, union_default_graph: bool = True) -> object:
        """The engine's own answer to a query (errors as :class:`QueryError`)."""
        substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self._store.query(sparql, prefixes=PREFIXES, substitutions=substitutions,
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

    def query_json(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bytes | QueryResult:
        """A SELECT or ASK answer as SPARQL 1.1 JSON results, written by the engine (much faster than building
        :class:`QueryResult` terms in Python: ``mcgraph serve`` uses it); a CONSTRUCT or DESCRIBE answer comes
        back as a :class:`QueryResult`."""
        result = self._run(sparql, bindings)
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            try:
                return result.serialize(format=ox.QueryResultsFormat.JSON)
            except (OSError, RuntimeError, ValueError) as exc:
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

    # -- a user's SPARQL update (the rules: .updates) --------------------------------------------
    def update(self, sparql: str) -> None:
        """Run a user's SPARQL 1.1 Update under the graph rules of :mod:`.updates`: it writes only named graphs
        it owns (new ones, or ones an earlier update created), never reserved or file-loaded graphs; ``LOAD``,
        ``SERVICE`` and ``DROP/CLEAR ALL|NAMED|DEFAULT`` are refused before anything runs. The update itself is
        one transaction; the load records of the graphs it touched are written right after it."""
        self._refuse_read_only("run updates")
        plan, recorded = check_update(self, sparql)
        try:
            self._store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL update syntax error: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"update failed: {exc}") from exc
        for graph, record in records_after(self, plan, recorded):
            if record is None:
                self._remove_record(graph)
            else:
                self._replace_record(record)
        self._flush()

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
    def write_graph(self, graph: str, quads: Iterable[ox.Quad | ox.Triple | NTriples], record: LoadRecord,
                    *, replace: bool = False, reserved_ok: bool = False) -> int:
        """Write ``quads`` as named graph ``graph`` with its load record, all or nothing.

        Triples (and quads in the default graph or in ``graph`` itself) go into ``graph``; a quad naming any
        other graph is refused (see :mod:`.graphs`). :class:`~mcgraph.rdf_io.NTriples` text blocks are taken
        as they are (the cheap way for a source to hand over millions of triples). A fresh graph is written
        while the producer runs, in bounded chunks (:data:`CHUNK_BYTES` of N-Triples, each bulk-loaded in a
        worker thread while the next is produced), so memory does not grow with the input; a producer that
        raises, or a process that is stopped, leaves nothing (:meth:`_write`). Replacing an existing graph
        consumes the producer completely first (:meth:`_replace`). Returns the number of triples in the graph.
        """
        target = self._writable(graph, replace, reserved_ok)
        record.reserved = reserved_ok
        if self._loaded(target):
            # consumes the producer: its errors surface here, before any write
            return self._replace(target, b"".join(_ntriples_chunks(quads, target, record, limit=None)), record)
        return self._write(target, record, lambda: self._bulk_load_chunks(target, _ntriples_chunks(quads, target, record, CHUNK_BYTES)))

    def load_files(self, graph: str, files: Sequence[tuple[Path, ox.RdfFormat]], record: LoadRecord,
                   *, replace: bool = False, extras: Iterable[ox.Triple | NTriples] = (),
                   reserved_ok: bool = False) -> int:
        """Bulk-load RDF files (triple syntaxes) with Oxigraph's own parser into ``graph``, all or nothing.

        The fast path for RDF sources: files go straight into a fresh graph, followed by ``extras``
        (triples the source derives from them); a syntax error, a truncated file or a failing producer
        removes what was written, so the store is left as it was. Replacing an existing graph parses the
        files first and writes only the difference (:meth:`_replace`). Raises
        :class:`~mcgraph.errors.SourceFormatError` with the file, line and column.
        """
        target = self._writable(graph, replace, reserved_ok)
        record.reserved = reserved_ok
        for path, fmt in files:
            if fmt.supports_datasets:
                raise StoreError(f"{path}: dataset syntaxes ({fmt.name}) are read quad by quad, not bulk-loaded")
        if self._loaded(target):
            # replacing: read (and so check) everything first, then change only what differs
            items = itertools.chain((q for p, f in files for q in parse_rdf(p, f)), extras)
            return self._replace(target, b"".join(_ntriples_chunks(items, target, record, limit=None)), record)
        return self._write(target, record, lambda: self._bulk_load_files(target, files, extras))

    def _writable(self, graph: str, replace: bool, reserved_ok: bool) -> ox.NamedNode:
        target = check_writable(graph, reserved_ok=reserved_ok, built=self._built(graph))
        self._refuse_read_only("load into it")
        if self._loaded(target) and not replace:
            raise GraphExistsError(f"graph <{graph}> is already loaded; drop it first or load with --replace")
        return target

    def _loaded(self, target: ox.NamedNode) -> bool:
        """A graph with triples, or with a load record (a load of no triples is recorded too)."""
        return self._store.contains_named_graph(target) or self._has_record(target.value)

    def _built(self, graph: str) -> bool:
        """Whether the load record marks ``graph`` as written by its owner (``reserved_ok``: build, reasoning)."""
        try:
            node = iri(graph)
        except ValueError:  # not an IRI: check_writable says so
            return False
        pattern = (node, iri(MCG.reserved), None, iri(META_GRAPH))
        return next(iter(self._store.quads_for_pattern(*pattern)), None) is not None

    def _write(self, target: ox.NamedNode, record: LoadRecord, write: Callable[[], None]) -> int:
        """Write a fresh graph all or nothing: ``write()`` fills it, then the load record is added.

        A marker in the metadata graph (``mcg:loadStarted``) is set before the first triple is written and
        removed after the record: a failure removes the graph, the record and the marker; a process stopped
        half-way leaves the marker, and the next open removes the partial graph (:meth:`_recover`).
        """
        meta = iri(META_GRAPH)
        had_meta = self._store.contains_named_graph(meta)
        marker = ox.Quad(target, iri(LOADING), ox.Literal(datetime.now(timezone.utc).isoformat()), meta)
        self._store.add(marker)
        self._flush()
        try:
            write()
            record.triples = self.count(target.value)
            record.ended = datetime.now(timezone.utc)
            self._store.extend(record.quads())  # a fresh graph has no old record: the record, then the marker goes
            self._store.remove(marker)
        except BaseException as exc:
            if self._store.contains_named_graph(target):
                self._store.remove_graph(target)
            self._remove_record(target.value)  # the record (if written) and the marker
            if not had_meta and next(iter(self._store.quads_for_pattern(None, None, None, meta)), None) is None:
                self._store.remove_graph(meta)  # the marker made it: leave the store exactly as it was
            self._flush()
            if isinstance(exc, OSError):
                raise StoreError(f"writing graph <{target.value}> failed: {exc}") from exc
            if isinstance(exc, SyntaxError):  # N-Triples a source wrote wrongly: a bug, said plainly
                raise StoreError(f"writing graph <{target.value}> failed: the data handed to the store is not "
                                 f"valid N-Triples ({exc})") from exc
            raise
        self._flush()
        return record.triples

    def _bulk_load_chunks(self, target: ox.NamedNode, chunks: Iterable[bytes], into: ox.Store | None = None) -> None:
        """Bulk-load N-Triples ``chunks`` into ``target``, two at a time in worker threads while the next is made.

        Oxigraph releases the GIL while it loads, so reading and checking the input (Python) and writing it
        (Rust) overlap, and two chunks load side by side (one call loads a chunk on one core; Oxigraph's own
        bulk loader runs two batches at once the same way); at most :data:`LOADS_IN_FLIGHT` chunks are being
        loaded and one made. An error in either stops both and raises once every started load has ended.
        """
        pending: deque[Future[None]] = deque()
        with ThreadPoolExecutor(max_workers=LOADS_IN_FLIGHT, thread_name_prefix="mcgraph-load") as pool:
            try:
                for chunk in chunks:
                    if len(pending) >= LOADS_IN_FLIGHT:
                        pending.popleft().result()
                    pending.append(pool.submit((into or self._store).bulk_load, chunk,
                                               format=ox.RdfFormat.N_TRIPLES, to_graph=target))
            finally:  # wait for every started load even when the producer failed: the caller then undoes them
                errors = [e for e in (f.exception() for f in pending) if e is not None]
            if errors:
                raise errors[0]

    def _bulk_load_files(self, target: ox.NamedNode, files: Sequence[tuple[Path, ox.RdfFormat]],
                         extras: Iterable[ox.Triple | NTriples]) -> None:
        for path, fmt in files:
            if fmt == ox.RdfFormat.RDF_XML:
                refuse_xml_entities(path)
            try:
                if needs_opening(path):  # gzipped, or starting with a byte order mark
                    with open_rdf(path) as fh:
                        self._store.bulk_load(fh, format=fmt, to_graph=target)
                else:
                    self._store.bulk_load(path=str(path), format=fmt, to_graph=target)
            except SyntaxError as exc:
                raise syntax_error(path, exc, fmt) from exc
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                raise gzip_error(path, exc) from exc
        self._bulk_load_chunks(target, _ntriples_chunks(extras, target, None, CHUNK_BYTES))

    def _replace(self, target: ox.NamedNode, data: bytes, record: LoadRecord) -> int:
        """Replace graph ``target`` by the N-Triples ``data``, changing only the triples that differ.

        The new content is complete and checked before anything is written. Triples in both the old and the
        new graph stay untouched; the new ones are bulk-loaded and the gone ones deleted — the cost of a
        replace is the cost of what changed (deleting is Oxigraph's slow operation, several times a bulk
        load per triple). A marker in the metadata graph brackets the two writes: a process killed between
        them leaves the marker, which the next open reports (:attr:`notices`); running the same replace again
        finishes the job (the difference is computed afresh). When deleting the gone triples would cost more
        than copying every other graph, the store folder is rebuilt instead (:meth:`_replace_by_rebuild`).
        """
        old = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=target) or b""
        added, gone = _difference(old, data)
        del old
        if self._rebuild_pays(target, data, added, gone):
            return self._replace_by_rebuild(target, data, record)
        marker = ox.Quad(target, iri(REPLACING), ox.Literal(datetime.now(timezone.utc).isoformat()), iri(META_GRAPH))
        self._store.add(marker)
        try:
            # delete first: the store keeps some literals in a canonical form ("25.0"^^xsd:decimal is dumped as
            # "25"), so a line may differ in text from a triple equal in value; deleting the old text before
            # adding the new keeps such a triple
            _delete(self._store, gone, target)
            if added:
                self._store.bulk_load(added, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
            record.triples = self.count(target.value)
            record.ended = datetime.now(timezone.utc)
            self._replace_record(record)  # removes the marker with the old record
        except OSError as exc:
            raise StoreError(f"replacing graph <{target.value}> failed: {exc}; run the same load again to "
                             "finish it") from exc
        self._flush()
        return record.triples

    def _rebuild_pays(self, target: ox.NamedNode, data: bytes, added: bytes, gone: bytes) -> bool:
        """Whether rebuilding the store (:mod:`.rebuild`: copy every other graph, load the new content)
        costs less than deleting the gone triples and loading the added ones in place, in bulk-load units:
        a delete costs :data:`DELETE_COST`, copying a triple of another graph :data:`COPY_COST`."""
        if not can_rebuild(self.path):
            return False
        rows = self.query(internal_query("recorded-triples"), {"skip": target}).rows
        others = int(rows[0][1].value) if rows and rows[0][1] is not None else 0  # type: ignore[union-attr]
        in_place = DELETE_COST * gone.count(b"\n") + added.count(b"\n")
        return COPY_COST * others + data.count(b"\n") < in_place

    def _replace_by_rebuild(self, target: ox.NamedNode, data: bytes, record: LoadRecord) -> int:
        """Replace graph ``target`` by rebuilding the store folder without it (:mod:`.rebuild`), then swap
        the folders: all or nothing, and a process stopped at any point is made whole on the next open."""
        assert self.path is not None

        def load_new(copy: ox.Store) -> None:
            self._bulk_load_chunks(target, _pieces(data, CHUNK_BYTES), into=copy)

        def update_meta(copy: ox.Store) -> None:
            record.triples = _graph_count(copy, target)
            record.ended = datetime.now(timezone.utc)
            _remove_record_from(copy, target.value)
            copy.extend(record.quads())

        try:
            built = build_without(self._store, self.path, target, load_new, update_meta)
        except OSError as exc:
            raise StoreError(f"replacing graph <{target.value}> failed while rebuilding the store: {exc}; the "
                             "store is as it was") from exc
        self._store.flush()
        del self._store  # closes the folder: the swap renames it
        try:
            swap_in(self.path, built)
        except OSError as exc:
            raise StoreError(f"replacing graph <{target.value}> failed while swapping in the rebuilt store "
                             f"({exc}); open the store again to finish or undo it") from exc
        finally:  # a swap stopped half-way (the store folder renamed, the rebuilt one not yet) is finished first
            self._notices += finish_swap(self.path)
            self._store = self._open(self.path)
        return record.triples

    def _refuse_read_only(self, what: str) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is read-only: cannot {what}. Fix the folder's "
                             "permissions, or pass --store with a writable folder.")

    def _flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def _has_record(self, graph: str) -> bool:
        pattern = (iri(graph), iri(RDF.type), iri(MCG.LoadedGraph), iri(META_GRAPH))
        return next(iter(self._store.quads_for_pattern(*pattern)), None) is not None

    def _replace_record(self, record: LoadRecord) -> None:
        self._remove_record(record.graph)
        self._store.extend(record.quads())

    def _remove_record(self, graph: str) -> None:
        _remove_record_from(self._store, graph)

    def drop_graph(self, graph: str, *, reserved_ok: bool = False) -> None:
        """Remove a loaded graph and its load record; a graph without a load record is refused."""
        target = check_writable(graph, reserved_ok=reserved_ok, built=self._built(graph), action="drop")
        self._refuse_read_only("drop graphs")
        if not self._has_record(target.value):
            raise StoreError(f"<{graph}> has no load record: `mcgraph drop` removes only graphs mcgraph loaded "
                             "(`mcgraph stats` lists them)")
        if self._store.contains_named_graph(target):
            self._store.remove_graph(target)
        self._remove_record(target.value)
        self._flush()

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
        if self.path is not None and not self.read_only:
            self._store.flush()
        del self._store

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


CHUNK_BYTES = 64 << 20
"""About how many bytes of N-Triples a fresh graph is bulk-loaded in at a time (~400,000 triples of a
catalogue): Oxigraph's bulk loader needs several times its input in memory, so chunks keep the peak bounded,
while each chunk is large enough that the per-load overhead stays small."""
LOADS_IN_FLIGHT = 2
"""Chunks bulk-loaded at once: Oxigraph loads one chunk on one core, so two keep both cores busy (measured on
100,000 credentials' 5.6 M triples in 64 MB chunks: 51 s for two at a time against 67 s one at a time and 41 s
for the whole file in one call, which peaks at 1.7 GB)."""
_SERIALIZE_EVERY = 50_000


def _ntriples_chunks(items: Iterable[ox.Quad | ox.Triple | NTriples], target: ox.NamedNode,
                     record: LoadRecord | None, limit: int | None) -> Iterator[bytes]:
    """N-Triples bytes of ``items`` in chunks of about ``limit`` bytes (one chunk when ``limit`` is None).

    Text blocks pass as they are; triples (and quads in the default graph or in ``target``) are serialised by
    Oxigraph in batches; a quad naming another graph is refused. The garbage collector is paused meanwhile
    (millions of short-lived objects, no cycles)."""
    parts: list[bytes] = []
    triples: list[ox.Triple] = []
    size = 0
    collecting = gc.isenabled()
    gc.disable()
    try:
        for n, item in enumerate(items, start=1):
            if isinstance(item, str):
                block = _encode(item)
                parts.append(block)
                size += len(block)
            else:
                if isinstance(item, ox.Triple):
                    triples.append(item)
                elif isinstance(item.graph_name, ox.DefaultGraph) or item.graph_name == target:
                    triples.append(item.triple)
                else:
                    where = ", ".join(f.name for f in record.files) if record is not None and record.files else "the input"
                    raise foreign_graph_error(where, item.graph_name, target.value, n)  # type: ignore[arg-type]
                if len(triples) >= _SERIALIZE_EVERY:
                    block = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
                    triples.clear()
                    parts.append(block)
                    size += len(block)
            if limit is not None and size >= limit:
                chunk = b"".join(parts)
                parts.clear()  # before handing the chunk over: the pieces are not kept while it waits to load
                size = 0
                yield chunk
        if triples:
            parts.append(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
        if parts:
            yield b"".join(parts)
    finally:
        if collecting:
            gc.enable()


DELETE_COST = 2.0
"""What deleting a triple costs against bulk-loading one (measured: quad-by-quad removal 1.95–2.0×)."""
COPY_COST = 1.6
"""What copying a triple of another graph costs in a rebuild against bulk-loading one (dump, N-Quads, bulk
load: measured 1.36–1.87× on a 1,000,000-triple graph)."""


def _pieces(data: bytes, size: int) -> Iterator[bytes]:
    """``data`` (N-Triples) in pieces of about ``size`` bytes, each ending at a line end."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", min(start + size, len(data)) - 1)
        end = len(data) if end < 0 else end + 1
        yield data[start:end]
        start = end


def _graph_count(store: ox.Store, graph: ox.NamedNode) -> int:
    rows = list(store.query(internal_query("graph-counts"), substitutions={ox.Variable("g"): graph}))  # type: ignore[union-attr]
    return int(rows[0]["n"].value) if rows else 0  # type: ignore[index]


def _remove_record_from(store: ox.Store, graph: str) -> None:
    """Remove the load record of ``graph`` (and any marker on it) from the metadata graph of ``store``."""
    meta = iri(META_GRAPH)
    old = [q for q in store.quads_for_pattern(None, None, None, meta)
           if isinstance(q.subject, ox.NamedNode)
           and (q.subject.value == graph or q.subject.value.startswith(graph + "#"))]
    for q in old:
        store.remove(q)


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StoreError(f"cannot write {text[max(exc.start - 40, 0):exc.start]!r}…: the text holds a character that "
                         "is not valid Unicode (a lone surrogate); fix the input") from exc


def _difference(old: bytes, new: bytes) -> tuple[bytes, bytes]:
    """The N-Triples lines only in ``new`` (to add) and only in ``old`` (to delete).

    Blank nodes never match across the two (each parse labels them afresh), so triples with blank nodes are
    always replaced — which is right, as their old labels mean nothing to the new data. The sets hold the
    lines the split already made, so they cost a table entry per line, not a copy."""
    old_lines, new_lines = old.split(b"\n"), new.split(b"\n")
    old_set, new_set = set(old_lines), set(new_lines)
    added = b"\n".join(line for line in new_lines if line and line not in old_set)
    gone = b"\n".join(line for line in old_lines if line and line not in new_set)
    return (added + b"\n" if added else b""), (gone + b"\n" if gone else b"")


def _delete(store: ox.Store, ntriples: bytes, graph: ox.NamedNode) -> None:
    """Delete the triples of ``ntriples`` (lines of the store's own dump) from ``graph``, quad by quad:
    Oxigraph has no bulk delete, and one transaction over millions of deletions costs far more."""
    lines = [line for line in ntriples.split(b"\n") if line.strip()]
    plain = b"\n".join(line for line in lines if b"_:" not in line)
    for q in ox.parse(plain, format=ox.RdfFormat.N_TRIPLES):
        store.remove(ox.Quad(q.subject, q.predicate, q.object, graph))
    labelled = {line for line in lines if b"_:" in line}
    if labelled:  # blank nodes keep their labels only inside the store: find those quads by their dumped line
        for q in list(store.quads_for_pattern(None, None, None, graph)):
            if ox.serialize([q.triple], format=ox.RdfFormat.N_TRIPLES).rstrip(b"\n") in labelled:
                store.remove(q)


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
