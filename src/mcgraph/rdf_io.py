"""Reading RDF files: the syntax from the extension, Oxigraph's parser, and its errors as file/line/column.

A low module (it knows files and the parser, not the store or the sources), shared by the ``rdf`` source and
the stores' bulk-load path.

>>> rdf_format(Path("data.ttl.gz")).name
'Turtle'
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from .errors import SourceFormatError

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


def _position(exc: SyntaxError) -> tuple[int | None, int | None]:
    match = _POSITION.search(str(exc))
    if match:
        return int(match.group(1)), int(match.group(2))
    return exc.lineno, exc.offset


def _reason(exc: SyntaxError) -> str:
    text = str(exc)
    return text.split(": ", 1)[1] if text.startswith("Parser error at") and ": " in text else text
