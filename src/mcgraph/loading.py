"""Loading: run a source over a path and write the result as one named graph with its load record.

>>> from mcgraph.store import EmbeddedStore
>>> store = EmbeddedStore()
>>> report = load_source(store, "rdf", resource_path("ontology", "mcgraph.ttl"), graph=GRAPH["my/ontology"])
>>> report.triples > 100
True
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from .errors import SourceFormatError
from .rdf_io import NTriples, as_triples
from .namespaces import GRAPH
from .resources import resource_path  # noqa: F401  (used by the doctest)
from .sources import LoadReport, Source, get_source
from .store import EmbeddedStore, GraphStore, LoadRecord
from .store.graphs import check_writable

Progress = Callable[[int], None]


def load_source(
    store: GraphStore,
    source: str | Source,
    path: str | Path | Sequence[str | Path],
    *,
    version: str | None = None,
    graph: str | None = None,
    replace: bool = False,
    progress: Progress | None = None,
    options: Mapping[str, str] | None = None,
    reserved_ok: bool = False,
) -> LoadReport:
    """Load ``path`` (or several paths, into the same graph) with ``source`` into its own named graph;
    all or nothing.

    The graph defaults to ``https://w3id.org/mcgraph/graph/<source>/<version>``. ``progress`` is called
    with the running triple count every 50,000 triples. ``options`` configure the source (see
    :attr:`Source.options`), e.g. ``{"strict": "true"}`` for ``skos``. Only the owners of reserved graphs
    (``mcgraph build``) pass ``reserved_ok`` (see :mod:`mcgraph.store.graphs`).
    """
    src = get_source(source) if isinstance(source, str) else source
    src = src.configure(options or {})
    paths = [Path(p) for p in ([path] if isinstance(path, (str, Path)) else path)]
    if not paths:
        raise SourceFormatError("(no path)", "nothing to load")
    for p in paths:
        if not p.exists():
            raise SourceFormatError(p, f"no such {src.accepts}")
    started = time.perf_counter()
    version = version or src.detect_version(paths[0])
    target = str(graph) if graph else str(GRAPH[src.graph_for(paths[0], version)])
    check_writable(target, reserved_ok=reserved_ok)  # a bad name fails before any file is read
    report = LoadReport(source=src.name, version=version, graph=target, store=store)
    # The record shares the report's file list: the source fills it while the store consumes the
    # triples, and the store writes the record only after that.
    record = LoadRecord(graph=target, source=src.name, version=version, title=src.title, files=report.files)
    native = [(p, src.native_format(p)) for p in paths]
    if all(fmt is not None and p.is_file() for p, fmt in native):
        for p in paths:
            report.add_file(p)
        extras = (t for p in paths for t in src.extra_triples(p, report))
        report.triples = store.load_files(target, native, record, replace=replace, extras=extras,  # type: ignore[arg-type]
                                          reserved_ok=reserved_ok)
    else:
        triples = _guarded(((p, t) for p in paths for t in src.read(p, report)), progress)
        if not isinstance(store, EmbeddedStore):  # only the embedded store takes N-Triples text as it is
            triples = as_triples(triples)
        report.triples = store.write_graph(target, triples, record, replace=replace, reserved_ok=reserved_ok)
    report.elapsed = time.perf_counter() - started
    return report


def _guarded(items: Iterable[tuple[Path, ox.Triple | ox.Quad | NTriples]],
             progress: Progress | None) -> Iterator[ox.Triple | ox.Quad | NTriples]:
    """Pass items through, reporting progress (a text block counts its lines) and turning stray decoding
    errors into SourceFormatError."""
    n = reported = 0
    path: Path | str = "(input)"
    try:
        for path, item in items:
            n += item.count("\n") if isinstance(item, str) else 1
            if progress is not None and n - reported >= 50_000:
                reported = n - n % 50_000
                progress(n)
            yield item
    except UnicodeDecodeError as exc:
        raise SourceFormatError(path, f"not valid text in the expected encoding: {exc.reason}") from exc
    if progress is not None:
        progress(n)
