"""Reading the ESCO CSV export: which files a release folder holds, and fast, row-accurate CSV rows.

The official export is UTF-8 with CRLF line ends and RFC 4180 quoting; multi-valued cells hold values
separated by newlines (``inScheme`` by a comma and a newline). File names differ between releases
(``broaderRelationsOccPillar.csv`` in v1.1.x, ``broaderRelationsOccPillar_en.csv`` in v1.2.x) and
columns differ in order between files, so files are found by name pattern and read by header.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "skills_en.csv").write_bytes(b"conceptUri,preferredLabel\\r\\nhttp://x/1,one\\r\\n")
>>> files = find_files(folder)
>>> files.paths["skills"].name, files.language
('skills_en.csv', 'en')
>>> [(n, cells) for n, cells in read_columns(files.paths["skills"], ["preferredLabel", "conceptUri"])]
[(2, ('one', 'http://x/1'))]
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from ..errors import SourceFormatError
from .tabular import check_decodes, read_problem

csv.field_size_limit(sys.maxsize)  # conceptSchemes_en.csv has cells far above the default 131,072

#: The standard files of the export: key → file stem. Language-dependent files end in ``_<lang>``;
#: relation files have no language suffix in v1.1.x and ``_en`` in v1.2.x; any may be gzipped.
STANDARD_FILES: dict[str, str] = {
    "concept_schemes": "conceptSchemes",
    "isco_groups": "ISCOGroups",
    "occupations": "occupations",
    "skill_groups": "skillGroups",
    "skills": "skills",
    "skills_hierarchy": "skillsHierarchy",
    "broader_occupations": "broaderRelationsOccPillar",
    "broader_skills": "broaderRelationsSkillPillar",
    "skill_skill": "skillSkillRelations",
    "occupation_skill": "occupationSkillRelations",
}

#: Language-independent relation files (no language suffix in v1.1.x, ``_en`` in v1.2.x).
RELATION_FILES = ("broader_occupations", "broader_skills", "skill_skill", "occupation_skill")

#: Collection files → the ESCO concept scheme that holds the collection (membership is ``skos:inScheme``,
#: as in the ESCO RDF and the ``inScheme`` column of skills_en.csv / occupations_en.csv).
COLLECTIONS: dict[str, tuple[str, str]] = {
    "digitalSkillsCollection": ("digital", "http://data.europa.eu/esco/concept-scheme/6c930acd-c104-4ece-acf7-f44fd7333036"),
    "digCompSkillsCollection": ("DigComp", "http://data.europa.eu/esco/concept-scheme/digcomp"),
    "greenSkillsCollection": ("green", "http://data.europa.eu/esco/concept-scheme/green"),
    "languageSkillsCollection": ("language", "http://data.europa.eu/esco/concept-scheme/skill-language-groups"),
    "transversalSkillsCollection": ("transversal", "http://data.europa.eu/esco/concept-scheme/skill-transversal-groups"),
    "researchSkillsCollection": ("research skills", "http://data.europa.eu/esco/concept-scheme/research"),
    "researchOccupationsCollection": ("research occupations", "http://data.europa.eu/esco/concept-scheme/8ae4b9f3-507e-4057-a145-2f96f0132613"),
}

_NAME = re.compile(r"^(?P<stem>[A-Za-z]+?)(?:_(?P<lang>[a-z]{2,3}))?\.csv(?:\.gz)?$")


@dataclass
class EscoFiles:
    """The files found in one release folder."""

    folder: Path
    language: str = "en"
    paths: dict[str, Path] = field(default_factory=dict)
    collections: dict[str, Path] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    unknown: list[Path] = field(default_factory=list)

    @property
    def layout(self) -> str:
        """``1.1`` when relation files carry no language suffix (v1.1.x), ``1.2`` when they do, else ``?``."""
        rel = [self.paths[k] for k in RELATION_FILES if k in self.paths]
        if not rel:
            return "?"
        return "1.2" if any(_NAME.match(p.name).group("lang") for p in rel) else "1.1"  # type: ignore[union-attr]


def find_files(folder: Path) -> EscoFiles:
    """Classify the CSV files of an ESCO export folder (standard, collection, unknown; what is missing).

    The label language is the one of ``occupations_<lang>.csv`` / ``skills_<lang>.csv`` (English preferred).
    """
    by_stem: dict[str, list[tuple[str | None, Path]]] = {}
    unknown: list[Path] = []
    for p in sorted(folder.iterdir()):
        if not p.is_file():
            continue
        m = _NAME.match(p.name)
        if m is None:
            if p.name.lower().endswith((".csv", ".csv.gz")):
                unknown.append(p)
            continue
        by_stem.setdefault(m.group("stem"), []).append((m.group("lang"), p))
    languages = {lang for stem in ("occupations", "skills", "skillGroups", "ISCOGroups")
                 for lang, _ in by_stem.get(stem, []) if lang}
    language = "en" if "en" in languages or not languages else min(languages)
    files = EscoFiles(folder, language)
    known_stems = set(STANDARD_FILES.values()) | set(COLLECTIONS)
    for stem, found in by_stem.items():
        if stem not in known_stems:
            unknown.extend(p for _, p in found)
            continue
        # a file in the chosen language wins; then one without a language suffix
        found.sort(key=lambda lp: (lp[0] != language, lp[0] is not None, lp[1].name))
        lang, path = found[0]
        if lang not in (None, language):
            unknown.extend(p for _, p in found)
            continue
        unknown.extend(p for _, p in found[1:])
        if stem in COLLECTIONS:
            files.collections[stem] = path
        else:
            key = next(k for k, v in STANDARD_FILES.items() if v == stem)
            files.paths[key] = path
    files.missing = [f"{stem}.csv or {stem}_{language}.csv" if key in RELATION_FILES else f"{stem}_{language}.csv"
                     for key, stem in STANDARD_FILES.items() if key not in files.paths]
    files.missing += [f"{stem}_{language}.csv" for stem in COLLECTIONS if stem not in files.collections]
    files.unknown = sorted(unknown)
    return files


def _open(path: Path) -> io.TextIOBase:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")  # type: ignore[arg-type]
    return path.open(encoding="utf-8", newline="")


def _ends_with_line_break(path: Path) -> bool:
    """Whether a plain file's last byte is a line feed (empty files count as ending well). A gzipped file is
    not checked here: gzip's own length and CRC check catches a cut-off stream."""
    if path.name.endswith(".gz"):
        return True
    with path.open("rb") as fh:
        if fh.seek(0, 2) == 0:
            return True
        fh.seek(-1, 2)
        return fh.read(1) == b"\n"


def read_columns(
    path: Path,
    columns: Sequence[str],
    *,
    optional: Sequence[str] = (),
    min_cells: int | None = None,
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Yield ``(row_number, values)`` with the values of ``columns`` then ``optional`` columns, in that order.

    Rows are numbered as a spreadsheet does (the header is row 1; quoted newlines do not count). A missing
    required column, a row with another number of cells than the header (fewer than ``min_cells`` when
    short rows are allowed: ``skillsHierarchy_en.csv`` omits empty trailing cells), bad quoting, text
    that is not UTF-8, a damaged gzip stream or a last line without a line break (a truncated file: the
    export always ends with CRLF) raise :class:`SourceFormatError` naming the file and row. Absent
    optional columns read as ``""``.
    """
    row_no = 1
    reader = None
    try:
        ended = _ends_with_line_break(path)
        with _open(path) as fh:
            reader = csv.reader(fh, strict=True)
            try:
                header = [h.strip().lstrip("\ufeff") for h in next(reader)]
            except StopIteration:
                raise SourceFormatError(path, "the file is empty (no header row)", row=1) from None
            missing = [c for c in columns if c not in header]
            if missing:
                shown = ", ".join(map(repr, header[:14])) + (" …" if len(header) > 14 else "")
                raise SourceFormatError(path, f"missing column(s) {', '.join(map(repr, missing))}; "
                                        f"the header has {shown}", row=1, line=1)
            width = len(header)
            index = [header.index(c) for c in columns] + [header.index(c) if c in header else width
                                                          for c in optional]
            pick = itemgetter(*index) if len(index) > 1 else (lambda cells: (cells[index[0]],))
            pad = any(i == width for i in index)
            lowest = width if min_cells is None else min_cells
            for cells in reader:
                row_no += 1
                n = len(cells)
                if n != width:
                    if not cells:
                        continue
                    if n > width or n < lowest:
                        raise SourceFormatError(
                            path, f"expected {width} cells as in the header, found {n} (truncated file, "
                            "stray delimiter or unbalanced quote?)", row=row_no, line=reader.line_num)
                    cells += [""] * (width - n)
                if pad:
                    cells.append("")
                yield row_no, pick(cells)
            if not ended:
                raise SourceFormatError(path, "the last line has no line break: the file looks truncated "
                                        "(ESCO exports end with CRLF)", row=row_no, line=reader.line_num)
    except UnicodeDecodeError as exc:
        check_decodes(path, "utf-8")  # raises naming the row, line and offset of the bad byte
        raise SourceFormatError(path, f"not valid UTF-8 text ({exc.reason}); ESCO exports are UTF-8: is this the "
                                "right file?", row=row_no + 1) from exc
    except csv.Error as exc:
        raise SourceFormatError(path, f"malformed CSV: {exc}", row=row_no + 1,
                                line=reader.line_num if reader is not None else None) from exc
    except (EOFError, zlib.error, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise SourceFormatError(path, "no such file") from exc
        raise SourceFormatError(path, read_problem(path, exc), row=row_no + 1) from exc


def split_values(cell: str) -> list[str]:
    """Values of a multi-valued cell: newline-separated, each stripped of spaces and a trailing comma.

    >>> split_values("http://a,\\r\\nhttp://b")
    ['http://a', 'http://b']
    """
    if "\n" not in cell and "\r" not in cell:
        value = cell.strip().rstrip(",").rstrip()
        return [value] if value else []
    out = []
    for part in cell.replace("\r", "\n").split("\n"):
        value = part.strip().rstrip(",").rstrip()
        if value:
            out.append(value)
    return out
