"""Reading delimited files the way official downloads ship them, with row-accurate errors.

>>> import io, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_text("code,label\\n1,one\\n")
>>> [(n, r["label"]) for n, r in read_rows(p, required=["code", "label"])]
[(2, 'one')]
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
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


def raw_bytes(path: Path) -> bytes:
    """The bytes of a file, gzip looked through; problems → :class:`SourceFormatError` (:func:`read_problem`)."""
    try:
        return gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    except (EOFError, gzip.BadGzipFile, OSError, zlib.error) as exc:
        raise SourceFormatError(path, read_problem(path, exc)) from exc


_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252 (cp1252)"}


def decode_error(path: Path, data: bytes, exc: UnicodeDecodeError, encoding: str,
                 delimiter: str = ",") -> SourceFormatError:
    """The error for an undecodable byte: the spreadsheet row (header = row 1) and line it is in, the byte
    and its offset in the (decompressed) file; a UTF-16 file (byte-order mark) is named as such."""
    prefix = data[: exc.start].decode(encoding, errors="replace")
    try:
        records = sum(1 for _ in csv.reader(io.StringIO(prefix, newline=""), delimiter=delimiter))
        row: int | None = records + 1 if not prefix or prefix.endswith(("\n", "\r")) else records
    except csv.Error:
        row = None
    line = data.count(b"\n", 0, exc.start) + 1
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not encoding.startswith("utf-16"):
        return SourceFormatError(path, f"the file is UTF-16 text (it starts with a UTF-16 byte-order mark), not "
                                 f"{encoding}; save it again as UTF-8 CSV", row=1, line=1)
    return SourceFormatError(path, f"not valid {encoding} text ({exc.reason}, byte 0x{data[exc.start]:02x} at offset "
                             f"{exc.start}); is this the right file or encoding (expected "
                             f"{_ENCODING_NAMES.get(encoding, encoding)})?", row=row, line=line)


def check_decodes(path: Path, encoding: str, delimiter: str = ",") -> None:
    """Raise :func:`decode_error` for the first byte of ``path`` that is not ``encoding`` (reads the whole file:
    used after a streaming decoder failed somewhere in a block)."""
    data = raw_bytes(path)
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise decode_error(path, data, exc, encoding, delimiter) from None


def read_text(path: Path, encoding: str) -> str:
    """The whole (possibly gzip-compressed) file decoded, or a :class:`SourceFormatError` naming the exact
    line and record where the encoding breaks."""
    raw = raw_bytes(path)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise decode_error(path, raw, exc, encoding) from exc
    check_no_nul(path, text)
    return text


def stream_lines(path: Path, encoding: str, delimiter: str = ",") -> Iterator[str]:
    """The lines of a (possibly gzip-compressed) text file as it is read, line ends kept (for :mod:`csv`).

    Memory holds a block of the file, never the whole. An undecodable byte or a NUL character raises the same
    error as :func:`read_text` (row, line and byte offset: the file is read again to find them); a truncated
    gzip says so (:func:`read_problem`).
    """
    try:
        with open_text(path, encoding) as fh:
            for line in fh:
                if "\x00" in line:
                    break
                yield line
            else:
                return
    except UnicodeDecodeError:
        pass
    except (EOFError, gzip.BadGzipFile, OSError, zlib.error) as exc:
        raise SourceFormatError(path, read_problem(path, exc)) from exc
    check_decodes(path, encoding, delimiter)  # the exact place of the bad byte …
    check_no_nul(path, read_text(path, encoding), delimiter)  # … or of the NUL character
    raise SourceFormatError(path, f"cannot read the file as {encoding} text")  # pragma: no cover (one of both raised)


def check_no_nul(path: Path, text: str, delimiter: str = ",") -> None:
    """Refuse text holding a NUL character (a binary or damaged file), naming the row and line it is in."""
    at = text.find("\x00")
    if at < 0:
        return
    prefix = text[:at]
    try:
        records = sum(1 for _ in csv.reader(io.StringIO(prefix, newline=""), delimiter=delimiter))
        row: int | None = records + 1 if not prefix or prefix.endswith(("\n", "\r")) else records
    except csv.Error:
        row = None
    raise SourceFormatError(path, f"a NUL character (0x00) at character {at}: text files never hold one; is "
                            "this a binary or damaged file?", row=row, line=prefix.count("\n") + 1)


def read_rows(
    path: str | Path,
    *,
    required: Sequence[str] = (),
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    normalise_headers: bool = True,
    text: str | None = None,
    check_header: Callable[[list[str]], None] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(row_number, row)`` for each record of a delimited file, read by header.

    Row numbers count records as a spreadsheet does (the header is row 1), so multi-line quoted cells do
    not shift them. Headers are stripped of surrounding spaces when ``normalise_headers``. ``text`` is the
    file's text when the caller has already read it (:func:`read_text`); otherwise the file is read as the rows
    are (:func:`stream_lines`: memory holds a row, not the file). ``check_header`` is called with the header
    before the first row. A missing required column, a short or long row, bad quoting, a wrong encoding or a
    truncated gzip raise :class:`SourceFormatError` naming the file and row.
    """
    path = Path(path)
    lines = stream_lines(path, encoding, delimiter) if text is None else io.StringIO(text, newline="")
    row_no = 1
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise SourceFormatError(path, "the file is empty (no header row)", row=1) from None
        if normalise_headers:
            header = [h.strip() for h in header]
        if check_header is not None:
            check_header(header)
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
