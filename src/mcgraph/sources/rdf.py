"""Any RDF file Oxigraph reads: Turtle, N-Triples, N-Quads, TriG, N3, RDF/XML, JSON-LD (optionally gzipped).

Syntax errors become :class:`SourceFormatError` with the file, line and column (parsing lives in
:mod:`mcgraph.rdf_io`; its helpers are re-exported here for the sources that import them from this module).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..rdf_io import parse_rdf, rdf_format, syntax_error
from .base import LoadReport, Source

__all__ = ["RdfSource", "SOURCE", "parse_rdf", "rdf_format", "read_rdf_file", "syntax_error"]


def read_rdf_file(path: Path, report: LoadReport) -> Iterator[ox.Triple | ox.Quad]:
    """Each triple or quad of one RDF file, as parsed; the file goes into the report and, at the end, the
    number read as ``triples read``."""
    if not path.is_file():
        raise SourceFormatError(path, "no such file")
    report.add_file(path)
    n = 0
    for item in parse_rdf(path):
        n += 1
        yield item
    report.count("triples read", n)


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
        yield from read_rdf_file(path, report)


SOURCE = RdfSource()
