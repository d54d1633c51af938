"""The registry of credential catalogue formats (tabular CSV/YAML, Open Badges 3.0, ELM, CTDL …).

Every module in :mod:`mcgraph.credentials` that defines a module-level ``FORMAT`` (a
:class:`CredentialFormat`) is registered under ``FORMAT.name``. ``mcgraph load credentials PATH`` picks
the format of a file with :func:`detect_format`: by suffix first, and where several formats share a
suffix (``.json``/``.jsonld``), by asking each one's ``sniff`` about the head of the file.

A format module looks like this::

    def _sniff(path: Path, head: str) -> bool:
        return '"OpenBadgeCredential"' in head

    def _read(path: Path, report: LoadReport) -> Iterator[ox.Triple]:
        report.add_file(path)
        ...                          # yield triples in the mcgraph model (see credentials/model.py)

    FORMAT = CredentialFormat("ob3", (".json", ".jsonld"), _sniff, _read, title="Open Badges 3.0")

and, to be exportable with ``mcgraph export credentials --format NAME``, a function
``export(store) -> bytes`` in the same module.

>>> sorted(available_formats())[:1] == sorted(available_formats())[:1]
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import SourceFormatError, SourceNotFoundError
from ..registry import discover

if TYPE_CHECKING:  # pragma: no cover
    from ..sources.base import LoadReport

HEAD_CHARS = 16_384
"""How much of a file ``sniff`` sees: its first 16 KiB, decoded as UTF-8 (bad bytes replaced)."""

#: Modules of the package known to define no FORMAT (not imported during discovery).
_NOT_FORMATS = frozenset({"formats", "model", "resolve", "generate"})

Sniff = Callable[[Path, str], bool]
Reader = Callable[[Path, "LoadReport"], Iterable[ox.Triple | ox.Quad]]


@dataclass(frozen=True)
class CredentialFormat:
    """One catalogue format: its name, file suffixes, a content sniffer and a reader.

    ``suffixes`` are lower-case with the dot (``".csv"``). ``sniff(path, head)`` gets the path and the
    first :data:`HEAD_CHARS` characters of the file and says whether the file is in this format.
    ``read(path, report)`` yields the triples (mcgraph model; :class:`~mcgraph.rdf_io.NTriples` text blocks
    are taken too) and raises :class:`~mcgraph.errors.SourceFormatError` on bad input; it must call
    ``report.add_file(path)``.
    """

    name: str
    suffixes: tuple[str, ...]
    sniff: Sniff
    read: Reader
    title: str = ""

    def claims_suffix(self, path: Path) -> bool:
        return _suffix(path) in self.suffixes


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


@cache
def available_formats() -> dict[str, CredentialFormat]:
    """Every registered catalogue format by name."""
    from .. import credentials as package

    return discover(package, "FORMAT", CredentialFormat, skip=_NOT_FORMATS)


def get_format(name: str) -> CredentialFormat:
    """The format registered as ``name``; raises with the known names."""
    formats = available_formats()
    if name not in formats:
        raise SourceNotFoundError(f"no credential format called {name!r}; known: {', '.join(formats) or 'none'}")
    return formats[name]


def read_head(path: Path, chars: int = HEAD_CHARS) -> str:
    """The first ``chars`` characters of a file (UTF-8, bad bytes replaced; gzip looked through)."""
    import gzip

    from ..sources.tabular import read_problem

    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                data = fh.read(chars * 4)
        else:
            with path.open("rb") as fh:
                data = fh.read(chars * 4)
    except (OSError, EOFError) as exc:
        raise SourceFormatError(path, read_problem(path, exc)) from exc
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")[:chars]


def detect_format(path: str | Path) -> CredentialFormat:
    """The format of the file at ``path``: by suffix, with ``sniff`` deciding between formats sharing one.

    Raises :class:`SourceFormatError` (naming the file and the known formats) when no format fits.
    """
    path = Path(path)
    formats = list(available_formats().values())
    by_suffix = [f for f in formats if f.claims_suffix(path)]
    if len(by_suffix) == 1:
        return by_suffix[0]
    head = read_head(path)
    candidates = by_suffix or formats
    for fmt in candidates:
        try:
            if fmt.sniff(path, head):
                return fmt
        except Exception:  # a sniffer must never break detection  # noqa: BLE001
            continue
    known = "; ".join(f"{f.name} ({' '.join(f.suffixes)})" for f in formats) or "none registered"
    if _suffix(path) in (".json", ".jsonld"):
        from .jsonld import read_json

        read_json(path)  # a JSON syntax error is the better message: it has the line and column
    if by_suffix:
        raise SourceFormatError(path, f"the file has suffix {_suffix(path)!r} but none of the formats using it "
                                f"({', '.join(f.name for f in by_suffix)}) recognises its content")
    raise SourceFormatError(path, f"cannot tell the credential catalogue format of this file; known formats: {known}")


__all__ = ["HEAD_CHARS", "CredentialFormat", "available_formats", "detect_format", "get_format", "read_head"]
