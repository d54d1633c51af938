"""Reading RDF files (the syntax from the extension, Oxigraph's parser, its errors as file/line/column), and
writing N-Triples text directly.

A low module (it knows files and the parser, not the store or the sources), shared by the ``rdf`` source,
the credential readers and the stores' bulk-load path.

>>> rdf_format(Path("data.ttl.gz")).name
'Turtle'
>>> print(nt_iri("http://example.org/a"), nt_literal('say "hi"', language="EN"))
<http://example.org/a> "say \\"hi\\""@en
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

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


MAX_ENTITY_VALUE = 100
"""Longest value an RDF/XML entity may have (namespace abbreviations such as ``&owl;`` are well under it)."""
_PROLOG_LIMIT = 1 << 20
_SAFE_ENTITY = re.compile(
    (r"<!ENTITY\s+[A-Za-z_][\w.-]*\s+"
     rf"""("[^"&%<]{{0,{MAX_ENTITY_VALUE}}}"|'[^'&%<]{{0,{MAX_ENTITY_VALUE}}}')\s*>""").encode("ascii"))


def refuse_xml_entities(path: Path) -> None:
    """Refuse an XML file whose DOCTYPE declares entities that could expand it, before any parser sees it.

    "Billion laughs" files nest entities (or point them at other files) to turn 1 KB into gigabytes. Allowed:
    only the plain abbreviations ontology editors write (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``,
    a value of at most :data:`MAX_ENTITY_VALUE` characters with no ``&``, ``%`` or ``<``), which can expand a
    file a few dozen times at most. Refused, with the line: any other entity (nested references, SYSTEM or
    PUBLIC, parameter entities) and a DOCTYPE longer than 1 MB.
    """
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:  # type: ignore[operator]
            head = fh.read(_PROLOG_LIMIT)
    except (OSError, EOFError) as exc:
        raise SourceFormatError(path, f"cannot read the file: {exc}") from exc
    start = head.find(b"<!DOCTYPE")
    if start < 0:
        return
    end = head.find(b"]>", start)
    if end < 0:
        end = head.find(b">", start) if b"[" not in head[start:head.find(b">", start) + 1] else -1
    if end < 0:
        raise SourceFormatError(path, "the XML DOCTYPE is longer than 1 MB: refused (entity expansion)",
                                line=head.count(b"\n", 0, start) + 1)
    at = head.find(b"<!ENTITY", start, end)
    while at >= 0:
        if not _SAFE_ENTITY.match(head, at):
            raise SourceFormatError(
                path, "the XML declares an entity that could expand without bound (nested references, an "
                f"external file, or a value over {MAX_ENTITY_VALUE} characters): refused, as entity expansion can "
                "blow a small file up to gigabytes ('billion laughs'); write the values out instead",
                line=head.count(b"\n", 0, at) + 1)
        at = head.find(b"<!ENTITY", at + 1, end)


def parse_rdf(path: Path, fmt: ox.RdfFormat | None = None, base_iri: str | None = None) -> Iterator[ox.Triple | ox.Quad]:
    """Parse a whole RDF file, turning syntax errors into :class:`SourceFormatError` (line, column), and a
    truncated or corrupt ``.gz`` into one saying so. RDF/XML declaring entities is refused first
    (:func:`refuse_xml_entities`); a UTF-8 byte order mark at the start is skipped (:func:`open_rdf`)."""
    fmt = fmt or rdf_format(path)
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_xml_entities(path)
    try:
        if needs_opening(path):
            with open_rdf(path) as fh:
                yield from ox.parse(fh, format=fmt, base_iri=base_iri)
        else:
            yield from ox.parse(path=str(path), format=fmt, base_iri=base_iri)
    except SyntaxError as exc:
        raise syntax_error(path, exc, fmt) from exc
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise gzip_error(path, exc) from exc
    except (OSError, ValueError) as exc:
        raise SourceFormatError(path, f"cannot read the file: {exc}") from exc


BOM = b"\xef\xbb\xbf"
"""The UTF-8 byte order mark some editors put at the start of a text file (Oxigraph's parsers refuse it)."""


def needs_opening(path: Path) -> bool:
    """Whether ``path`` must be read through :func:`open_rdf` (gzipped, or starting with a BOM) rather than
    handed to Oxigraph by name."""
    if path.name.endswith(".gz"):
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(len(BOM)) == BOM
    except OSError:
        return False  # the parser names the problem


def open_rdf(path: Path) -> BinaryIO:
    """The file's bytes (gzip looked through), positioned after a UTF-8 byte order mark if it starts with one."""
    fh: BinaryIO = gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")  # type: ignore[assignment]
    try:
        if fh.peek(len(BOM))[:len(BOM)] == BOM:  # type: ignore[attr-defined]
            fh.read(len(BOM))
    except BaseException:
        fh.close()
        raise
    return fh


def gzip_error(path: Path, exc: BaseException) -> SourceFormatError:
    """A gzip file that cannot be decompressed, named for what it is."""
    return SourceFormatError(path, f"truncated or corrupt gzip file ({exc}); download or copy it again")


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


# -- writing N-Triples text -----------------------------------------------------------------------------

class NTriples(str):
    """A block of N-Triples lines (each ending in a newline), written with :func:`nt_iri` and
    :func:`nt_literal` in exactly the form Oxigraph writes them.

    A reader may yield one wherever it would yield triples: the embedded store bulk-loads the text as it is
    (no Python object per triple), and :func:`as_triples` turns it back into triples for anything else.
    """

    __slots__ = ()


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
_ESCAPES = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)} | {
    0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}


@lru_cache(maxsize=1 << 16)
def nt_iri(value: str) -> str:
    """``<value>``: an IRI as N-Triples writes it; raises ValueError for a string that is not an IRI (checked
    once per distinct IRI: the answers are cached, as the same IRIs recur on every line)."""
    ox.NamedNode(value)  # validates
    return f"<{value}>"


@lru_cache(maxsize=1 << 10)
def _language(tag: str) -> str:
    return "@" + (ox.Literal("", language=tag).language or "")  # validated and lower-cased, as Oxigraph stores it


def nt_literal(text: str, *, datatype: str | None = None, language: str | None = None) -> str:
    """A literal as N-Triples writes it: quotes, backslashes and control characters escaped (the same
    escapes Oxigraph's serializer uses), other characters as they are; ``@lang`` or ``^^<datatype>``
    (none for ``xsd:string``)."""
    quoted = f'"{text.translate(_ESCAPES)}"' if _NEEDS_ESCAPE.search(text) else f'"{text}"'
    if language is not None:
        return quoted + _language(language)
    if datatype is not None and datatype != XSD_STRING:
        return f"{quoted}^^{nt_iri(datatype)}"
    return quoted


def as_triples(items: Iterable[ox.Triple | ox.Quad | NTriples]) -> Iterator[ox.Triple | ox.Quad]:
    """``items`` with every :class:`NTriples` block parsed back into triples (for consumers that want objects)."""
    for item in items:
        if isinstance(item, str):
            for quad in ox.parse(item.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
                yield quad.triple
        else:
            yield item
