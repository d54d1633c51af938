"""Any RDF file Oxigraph reads: Turtle, N-Triples, N-Quads, TriG, N3, RDF/XML, JSON-LD (optionally gzipped).

Syntax errors become :class:`SourceFormatError` with the file, line and column.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceFormatError
from .base import LoadReport, Source

_POSITION = re.compile(r"line (\d+) column (\d+)")


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF syntax of a file, from its extension (``.gz`` looked through)."""
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    aliases = {"jsonld": "jsonld", "json": "jsonld", "owl": "rdf", "xml": "rdf", "n3": "n3"}
    fmt = ox.RdfFormat.from_extension(aliases.get(ext, ext))
    if fmt is None:
        raise SourceFormatError(path, f"cannot tell the RDF syntax from the extension {ext!r}; use one of "
                                ".ttl .nt .nq .trig .n3 .rdf .owl .jsonld (optionally .gz)")
    return fmt


def parse_rdf(path: Path, fmt: ox.RdfFormat | None = None, base_iri: str | None = None) -> Iterator[ox.Triple | ox.Quad]:
    """Parse a whole RDF file, turning syntax errors into :class:`SourceFormatError` (line, column)."""
    fmt = fmt or rdf_format(path)
    try:
        if path.name.endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                yield from ox.parse(fh, format=fmt, base_iri=base_iri)
        else:
            yield from ox.parse(path=str(path), format=fmt, base_iri=base_iri)
    except SyntaxError as exc:
        raise syntax_error(path, exc, fmt) from exc
    except (OSError, EOFError, ValueError) as exc:
        raise SourceFormatError(path, f"cannot read the file: {exc}") from exc


def syntax_error(path: Path, exc: SyntaxError, fmt: ox.RdfFormat | None = None) -> SourceFormatError:
    """Oxigraph's parser error as a :class:`SourceFormatError` with file, line and column."""
    line, column = _position(exc)
    kind = f"{fmt.name} syntax error" if fmt is not None else "syntax error"
    return SourceFormatError(path, f"{kind}: {_reason(exc)}", line=line, column=column)


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


def _position(exc: SyntaxError) -> tuple[int | None, int | None]:
    match = _POSITION.search(str(exc))
    if match:
        return int(match.group(1)), int(match.group(2))
    return exc.lineno, exc.offset


def _reason(exc: SyntaxError) -> str:
    text = str(exc)
    return text.split(": ", 1)[1] if text.startswith("Parser error at") and ": " in text else text


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
