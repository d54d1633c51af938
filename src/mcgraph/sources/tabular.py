"""Reading delimited files the way official downloads ship them, with row-accurate errors.

>>> import io, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_text("code,label\\n1,one\\n")
>>> [(n, r["label"]) for n, r in read_rows(p, required=["code", "label"])]
[(2, 'one')]
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import SourceFormatError

csv.field_size_limit(sys.maxsize)


def read_problem(path: Path, exc: BaseException) -> str:
    """Why a file could not be read, in words: a truncated or corrupt compressed file says so.

    >>> read_problem(Path("x.csv.gz"), EOFError("Compressed file ended before the end-of-stream marker was reached"))
    'the compressed file is truncated or corrupt (Compressed file ended before the end-of-stream marker was reached); download it again'
    """
    if isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)):
        return f"the compressed file is truncated or corrupt ({exc}); download it again"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "this is a folder, not a file"
    return f"cannot read the file: {exc}"


def require_file(path: Path, hint: str = "") -> None:
    """Raise :class:`SourceFormatError` unless ``path`` is a regular file, saying what it is instead."""
    if path.is_file():
        return
    if not path.exists():
        reason = "no such file"
    elif path.is_dir():
        reason = "this is a folder, not a file"
    else:
        reason = "not a regular file (a device, pipe or socket); give a data file"
    raise SourceFormatError(path, reason + hint)


def open_text(path: Path, encoding: str) -> io.TextIOBase:
    """Open a (possibly gzip-compressed) text file for streaming csv reading."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding=encoding, newline="")
    return path.open(encoding=encoding, newline="")


def read_text(path: Path, encoding: str) -> str:
    """The whole (possibly gzip-compressed) file decoded, or a :class:`SourceFormatError` naming the exact
    line and record where the encoding breaks."""
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (EOFError, gzip.BadGzipFile, OSError, zlib.error) as exc:
        raise SourceFormatError(path, read_problem(path, exc)) from exc
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        row = _record_at(raw[: exc.start], encoding)
        raise SourceFormatError(path, f"not valid {encoding} text ({exc.reason}, byte 0x{raw[exc.start]:02x} at "
                                f"offset {exc.start}); is this the right file or encoding?", row=row, line=line) from exc


def _record_at(prefix: bytes, encoding: str) -> int | None:
    """The spreadsheet row number of the record in which ``prefix`` ends (header = row 1)."""
    try:
        return sum(1 for _ in csv.reader(io.StringIO(prefix.decode(encoding, errors="replace"), newline="")))
    except csv.Error:
        return None


def read_rows(
    path: str | Path,
    *,
    required: Sequence[str] = (),
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    normalise_headers: bool = True,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(row_number, row)`` for each record of a delimited file, read by header.

    Row numbers count records as a spreadsheet does (the header is row 1), so multi-line quoted cells do
    not shift them. Headers are stripped of surrounding spaces when ``normalise_headers``. A missing
    required column, a short or long row, bad quoting, a wrong encoding or a truncated gzip raise
    :class:`SourceFormatError` naming the file and row.
    """
    path = Path(path)
    text = read_text(path, encoding)
    row_no = 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise SourceFormatError(path, "the file is empty (no header row)", row=1) from None
        if normalise_headers:
            header = [h.strip() for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise SourceFormatError(
                path, f"missing column(s) {', '.join(map(repr, missing))}; the header has "
                f"{', '.join(map(repr, header[:12]))}{' …' if len(header) > 12 else ''}", row=1)
        width = len(header)
        for cells in reader:
            row_no += 1
            if not cells:
                continue
            if len(cells) != width:
                raise SourceFormatError(
                    path, f"expected {width} cells as in the header, found {len(cells)} "
                    "(truncated file or stray delimiter?)", row=row_no, line=reader.line_num)
            yield row_no, dict(zip(header, cells))
    except csv.Error as exc:
        raise SourceFormatError(path, f"malformed CSV: {exc}", row=row_no + 1, line=reader.line_num) from exc


def split_multi(cell: str) -> list[str]:
    """Split a multi-valued cell (values separated by newlines, as ESCO ships them)."""
    return [v.strip() for v in cell.replace("\r", "\n").split("\n") if v.strip()]
