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
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import SourceFormatError

csv.field_size_limit(sys.maxsize)


def open_text(path: Path, encoding: str) -> io.TextIOBase:
    """Open a (possibly gzip-compressed) text file for csv reading."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding=encoding, newline="")
    return path.open(encoding=encoding, newline="")


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
    row_no = 1
    try:
        with open_text(path, encoding) as fh:
            reader = csv.reader(fh, delimiter=delimiter, strict=True)
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
    except UnicodeDecodeError as exc:
        raise SourceFormatError(path, f"not valid {encoding} text ({exc.reason} at byte {exc.start}); "
                                "is this the right file or encoding?", row=row_no + 1) from exc
    except csv.Error as exc:
        raise SourceFormatError(path, f"malformed CSV: {exc}", row=row_no + 1) from exc
    except (EOFError, gzip.BadGzipFile, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise SourceFormatError(path, "no such file") from exc
        raise SourceFormatError(path, f"cannot read the file: {exc}", row=row_no + 1) from exc


def split_multi(cell: str) -> list[str]:
    """Split a multi-valued cell (values separated by newlines, as ESCO ships them)."""
    return [v.strip() for v in cell.replace("\r", "\n").split("\n") if v.strip()]
