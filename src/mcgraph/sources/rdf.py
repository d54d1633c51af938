"""Any RDF file Oxigraph reads: Turtle, N-Triples, N-Quads, TriG, N3, RDF/XML, JSON-LD (optionally gzipped).

Syntax errors become :class:`SourceFormatError` with the file, line and column (parsing lives in
:mod:`mcgraph.rdf_io`; its helpers are re-exported here for the sources that import them from this module).
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..rdf_io import gzip_error, parse_rdf, rdf_format, syntax_error
from ..store.graphs import foreign_graph_error
from .base import LoadReport, Source

__all__ = ["RdfSource", "SOURCE", "parse_rdf", "rdf_format", "read_rdf_file", "syntax_error"]


def read_rdf_file(path: Path, report: LoadReport) -> Iterator[ox.Triple | ox.Quad]:
    """Each triple or quad of one RDF file, as parsed; the file goes into the report and, at the end, the
    number read as ``triples read``. Quads keep their graph names: the caller decides what to do with them.
    A JSON-LD file gets the expansion caps of the JSON-LD credential formats (:func:`bounded_jsonld`)."""
    if not path.is_file():
        raise SourceFormatError(path, "no such file")
    report.add_file(path)
    fmt = rdf_format(path)
    items: Iterable[ox.Triple | ox.Quad] = parse_rdf(path, fmt)
    if fmt == ox.RdfFormat.JSON_LD:
        items = bounded_jsonld(path, items)
    n = 0
    for item in items:
        n += 1
        yield item
    report.count("triples read", n)


MAX_JSONLD_BYTES = 256 << 20
"""Largest (decompressed) JSON-LD file read: the whole document is expanded in memory."""


def bounded_jsonld(path: Path, items: Iterable[ox.Triple | ox.Quad]) -> Iterator[ox.Triple | ox.Quad]:
    """``items`` (the parse of the JSON-LD file ``path``) under the caps the credential formats use: the
    document's possible expansion is bounded before the parser runs (:func:`~mcgraph.credentials.jsonld.
    check_expansion`), and the parse is stopped once it exceeds the budget for the file's size
    (:func:`~mcgraph.credentials.jsonld.bounded`) — a small context-amplification bomb is refused with the
    file named instead of filling memory."""
    from ..credentials.jsonld import bounded, check_expansion, parse_json

    data = _read_bytes(path, MAX_JSONLD_BYTES)
    check_expansion(parse_json(data, path), path, len(data))
    yield from bounded(items, path, len(data))


def _read_bytes(path: Path, limit: int) -> bytes:
    try:
        if path.name.endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                data = fh.read(limit + 1)
        else:
            data = path.read_bytes()
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise gzip_error(path, exc) from exc
    except OSError as exc:
        raise SourceFormatError(path, f"cannot read the file: {exc}") from exc
    if len(data) > limit:
        raise SourceFormatError(path, f"the JSON-LD document is larger than {limit >> 20} MB: refused (it is "
                                "expanded in memory as a whole); split it, or convert it to N-Triples")
    return data


class RdfSource(Source):
    """Load RDF files as they are."""

    name = "rdf"
    title = "RDF file (any syntax Oxigraph reads)"
    accepts = "file"

    def graph_name(self, version: str | None) -> str:  # pragma: no cover - graphs for files come from the CLI
        return f"file/{version or 'unversioned'}"

    def native_format(self, path: Path) -> ox.RdfFormat | None:
        fmt = rdf_format(path)
        return None if fmt.supports_datasets else fmt

    def read(self, path: Path, report: LoadReport) -> Iterator[ox.Triple | ox.Quad]:
        """The file's triples; a quad naming a graph other than the load's own (``report.graph``) is refused
        with the file and line — a load writes only into its own graph (:mod:`mcgraph.store.graphs`)."""
        for n, item in enumerate(read_rdf_file(path, report), start=1):
            if isinstance(item, ox.Quad) and not isinstance(item.graph_name, ox.DefaultGraph) \
                    and item.graph_name.value != report.graph:
                raise foreign_graph_error(path, item.graph_name, report.graph or "", n)  # type: ignore[arg-type]
            yield item


SOURCE = RdfSource()
