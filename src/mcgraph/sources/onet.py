"""O*NET database (text/TSV release) → occupations, skill and knowledge concepts, skill requirements.

``mcgraph load onet FOLDER`` reads the tab-delimited files of an O*NET release (``Occupation Data.txt``,
``Content Model Reference.txt``, ``Scales Reference.txt``, ``Skills.txt``, ``Knowledge.txt``) and writes one
named graph, ``graph/onet/29.2`` (the release is read from ``Read Me.txt``).

What becomes what (IRIs under ``https://w3id.org/mcgraph/id/onet/``):

* occupations (``occupation/15-1252.00``) — ``mcg:Occupation`` + ``skos:Concept`` in the scheme
  ``onet/occupations``, with the title as ``skos:prefLabel``, the description as ``skos:definition`` and the
  O*NET-SOC code as ``skos:notation``;
* content-model elements under Skills (``2.A``, ``2.B``) and Knowledge (``2.C``) — ``skos:Concept``s
  (``element/2.A.1.a``) in the schemes ``onet/skills`` and ``onet/knowledge``, with name, description and
  ``skos:broader`` along the element IDs; the rated leaves are also ``mcg:Skill``;
* each occupation × element with ratings — one ``mcg:SkillRequirement``
  (``requirement/15-1252.00/2.A.1.a``) with ``mcg:importance`` on the IM scale and ``mcg:requiredLevel`` on
  the LV scale (``onet/scale/IM``, ``onet/scale/LV``, ranges from ``Scales Reference.txt``);
* ``Not Relevant`` = Y (on LV rows: O*NET judged the element not relevant to the occupation) — the level is
  kept and the requirement carries ``mcg:notRelevant true``;
* ``Recommend Suppress`` = Y (a low-precision estimate) — the value is kept and the requirement carries
  ``mcg:suppressRecommended true`` (set when either its importance or its level row is flagged).

Every row of a ratings file is accounted for in the report, in exactly one of these counts, which add up
to the file's rows (``Skills.txt rows: total``): ``importance`` and ``level`` (loaded, no flag),
``flagged not relevant`` (loaded level, Not Relevant = Y), ``flagged recommend suppress`` (loaded,
Recommend Suppress = Y, whatever Not Relevant says), and ``skipped: <reason>`` (unknown occupation or
element, a scale other than IM/LV, a duplicate, an empty value — each also warned with its row).
Job zones, abilities, work activities and the other O*NET files are not read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..namespaces import ONET
from ._ratings import (
    TRUE,
    A,
    M,
    check_encoding,
    concept_triples,
    flag,
    measure_triples,
    node,
    parse_number,
    requirement_triples,
    scale_triples,
    scheme_triples,
)
from .base import LoadReport, Source
from .tabular import read_rows

_README_VERSION = re.compile(r"O\*NET\s+(\d+\.\d+)\s+Database", re.I)
_FOLDER_VERSION = re.compile(r"(\d{2})[._](\d)(?!\d)")
_SOC = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_ELEMENT_ID = re.compile(r"^[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*$")
_RATING_COLUMNS = (
    "O*NET-SOC Code",
    "Element ID",
    "Scale ID",
    "Data Value",
    "Recommend Suppress",
    "Not Relevant",
)

#: Rating files: file name → (scheme slug, scheme title, element-ID prefixes it may rate).
RATING_FILES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Skills.txt": ("skills", "O*NET skills", ("2.A", "2.B")),
    "Knowledge.txt": ("knowledge", "O*NET knowledge", ("2.C",)),
}
#: Scales used, with the ranges O*NET documents (used when Scales Reference.txt is absent).
SCALES: dict[str, tuple[str, int, int]] = {"IM": ("Importance", 1, 5), "LV": ("Level", 0, 7)}

OCCUPATIONS_SCHEME = ONET["occupations"]
_BASE = str(ONET)


@lru_cache(maxsize=4096)
def occupation_iri(code: str) -> ox.NamedNode:
    """``15-1252.00`` → ``https://w3id.org/mcgraph/id/onet/occupation/15-1252.00``."""
    return ox.NamedNode(f"{_BASE}occupation/{code}")


@lru_cache(maxsize=4096)
def element_iri(element_id: str) -> ox.NamedNode:
    """``2.A.1.a`` → ``https://w3id.org/mcgraph/id/onet/element/2.A.1.a``."""
    return ox.NamedNode(f"{_BASE}element/{element_id}")


def _tsv(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    return read_rows(path, required=required, delimiter="\t", encoding="utf-8-sig")


class OnetSource(Source):
    """O*NET database release, text (tab-delimited) files."""

    name = "onet"
    title = "O*NET database (text release): occupations, skills and knowledge with importance and level"
    accepts = "folder"

    def detect_version(self, path: Path) -> str | None:
        """``29.2`` from ``Read Me.txt`` ("O*NET 29.2 Database"), else from a folder name ``db_29_2_text``."""
        if not path.is_dir():
            return None
        readme = path / "Read Me.txt"
        if readme.is_file():
            try:
                m = _README_VERSION.search(readme.read_text(encoding="utf-8", errors="replace")[:2000])
            except OSError:
                m = None
            if m:
                return m.group(1)
        m = _FOLDER_VERSION.search(path.resolve().name)
        return f"{m.group(1)}.{m.group(2)}" if m else None

    def read(self, path: Path, report: LoadReport) -> Iterator[ox.Triple]:
        return _Reader(path, report).triples()


class _Reader:
    def __init__(self, folder: Path, report: LoadReport) -> None:
        if not folder.is_dir():
            raise SourceFormatError(
                folder,
                "the O*NET source reads the folder of an O*NET text release "
                "(Occupation Data.txt, Skills.txt …); this is not a folder",
            )
        self.folder, self.report = folder, report
        self.occupations: set[str] = set()
        self.elements: dict[str, tuple[str, str, int]] = {}

    def file(self, name: str, *, required: bool) -> Path | None:
        path = self.folder / name
        if not path.is_file():
            if required:
                raise SourceFormatError(path, f"no {name!r} in the folder; is this an O*NET text release?")
            return None
        self.report.add_file(path)
        check_encoding(path, delimiter="\t")
        return path

    def triples(self) -> Iterator[ox.Triple]:
        if (self.folder / "Read Me.txt").is_file():  # the release is read from it: record it and its hash
            self.report.add_file(self.folder / "Read Me.txt")
        occupations = self.file("Occupation Data.txt", required=True)
        model = self.file("Content Model Reference.txt", required=True)
        scales = self.file("Scales Reference.txt", required=False)
        ratings = {name: self.file(name, required=False) for name in RATING_FILES}
        if not any(ratings.values()):
            raise SourceFormatError(self.folder, f"none of {', '.join(RATING_FILES)} is in the folder")
        assert occupations is not None and model is not None
        yield from self.scale_triples(scales)
        yield from self.occupation_triples(occupations)
        self.read_elements(model)
        for name, path in ratings.items():
            if path is None:
                self.report.warn(self.folder, f"no {name!r}: its ratings are not loaded")
                continue
            yield from self.element_triples(*RATING_FILES[name])
            yield from self.rating_triples(path, *RATING_FILES[name])

    # -- reference files --------------------------------------------------------------------------------
    def scale_triples(self, path: Path | None) -> Iterator[ox.Triple]:
        ranges = {k: (v[0], v[1], v[2]) for k, v in SCALES.items()}
        if path is None:
            self.report.warn(self.folder, "no 'Scales Reference.txt': IM 1–5 and LV 0–7 assumed")
        else:
            for n, r in _tsv(path, ("Scale ID", "Scale Name", "Minimum", "Maximum")):
                sid = r["Scale ID"].strip()
                if sid not in SCALES:
                    continue
                low, high = parse_number(r["Minimum"]), parse_number(r["Maximum"])
                if low is None or high is None or low >= high:
                    raise SourceFormatError(
                        path,
                        f"scale {sid}: minimum {r['Minimum']!r} and maximum "
                        f"{r['Maximum']!r} are not a numeric range",
                        row=n,
                    )
                ranges[sid] = (r["Scale Name"].strip() or SCALES[sid][0], low, high)  # type: ignore[assignment]
        self.ranges = ranges
        for sid, (name, low, high) in ranges.items():
            self.report.count("rating scales")
            yield from scale_triples(
                node(ONET[f"scale/{sid}"]),
                f"O*NET {name} ({low}–{high})",
                low,
                high,
                f"O*NET scale {sid}, as given in Scales Reference.txt.",
            )

    def occupation_triples(self, path: Path) -> Iterator[ox.Triple]:
        scheme = node(OCCUPATIONS_SCHEME)
        yield from scheme_triples(scheme, "O*NET-SOC occupations")
        for n, r in _tsv(path, ("O*NET-SOC Code", "Title", "Description")):
            code, title = r["O*NET-SOC Code"].strip(), " ".join(r["Title"].split())
            if not _SOC.fullmatch(code):
                self.report.warn(path, f"{code!r} is not an O*NET-SOC code (NN-NNNN.NN); row skipped", n)
                self.report.count("occupations skipped")
                continue
            if code in self.occupations:
                self.report.warn(path, f"occupation {code} is listed twice; row skipped", n)
                self.report.count("occupations skipped")
                continue
            self.occupations.add(code)
            self.report.count("occupations (mcg:Occupation)")
            o = occupation_iri(code)
            yield ox.Triple(o, A, M["Occupation"])
            # O*NET-SOC occupations are a flat list: each is a top concept (no broader)
            yield from concept_triples(o, scheme, code, title, r["Description"].strip())

    def read_elements(self, path: Path) -> None:
        for n, r in _tsv(path, ("Element ID", "Element Name", "Description")):
            eid = r["Element ID"].strip()
            if not _ELEMENT_ID.fullmatch(eid):
                self.report.warn(
                    path, f"{eid!r} is not a content-model element ID (like 2.A.1.a); row skipped", n
                )
                continue
            if eid in self.elements:
                self.report.warn(path, f"element {eid} is listed twice; row skipped", n)
                continue
            self.elements[eid] = (" ".join(r["Element Name"].split()), r["Description"].strip(), n)

    def element_triples(self, slug: str, title: str, prefixes: tuple[str, ...]) -> Iterator[ox.Triple]:
        scheme = node(ONET[slug])
        yield from scheme_triples(scheme, title)
        members = [e for e in self.elements if any(e == p or e.startswith(p + ".") for p in prefixes)]
        parents = {e.rsplit(".", 1)[0] for e in members}
        for eid in members:
            name, description, _ = self.elements[eid]
            c = element_iri(eid)
            if eid not in parents:
                yield ox.Triple(c, A, M["Skill"])
                self.report.count(f"{slug} elements (mcg:Skill)")
            else:
                self.report.count(f"{slug} element groups")
            broader = None if eid in prefixes else element_iri(eid.rsplit(".", 1)[0])
            yield from concept_triples(c, scheme, eid, name, description, broader=broader)

    # -- ratings ------------------------------------------------------------------------------------------
    def rating_triples(
        self, path: Path, slug: str, title: str, prefixes: tuple[str, ...]
    ) -> Iterator[ox.Triple]:
        scheme = node(ONET[slug])
        file = path.name
        outcome: Counter[str] = Counter(
            {"importance": 0, "level": 0, "flagged not relevant": 0, "flagged recommend suppress": 0}
        )
        made: set[tuple[str, str]] = set()
        seen: dict[tuple[str, str, str], int] = {}
        suppressed: set[tuple[str, str]] = set()
        not_relevant: set[tuple[str, str]] = set()
        values: Counter[str] = Counter()
        im_scale, lv_scale = node(ONET["scale/IM"]), node(ONET["scale/LV"])

        def skip(n: int, reason: str, detail: str) -> None:
            outcome[f"skipped: {reason}"] += 1
            self.report.warn(path, f"{detail}; row skipped ({reason})", n)

        for n, r in _tsv(path, _RATING_COLUMNS):
            code, eid, sid = r["O*NET-SOC Code"].strip(), r["Element ID"].strip(), r["Scale ID"].strip()
            suppress = flag(r["Recommend Suppress"], path, n, "Recommend Suppress")
            irrelevant = flag(r["Not Relevant"], path, n, "Not Relevant")
            if code not in self.occupations:
                skip(
                    n,
                    "occupation not in Occupation Data.txt",
                    f"occupation {code!r} is not in Occupation Data.txt",
                )
                continue
            if eid not in self.elements:
                skip(
                    n,
                    "element not in Content Model Reference.txt",
                    f"element {eid!r} is not in the content model",
                )
                continue
            if not any(eid == p or eid.startswith(p + ".") for p in prefixes):
                skip(n, f"element outside {'/'.join(prefixes)}", f"element {eid} is not a {slug} element")
                continue
            if sid not in self.ranges:
                skip(
                    n,
                    f"scale {sid or '(empty)'} is not IM or LV",
                    f"scale {sid!r} is not importance or level",
                )
                continue
            key = (code, eid, sid)
            if key in seen:
                skip(
                    n,
                    "duplicate occupation, element and scale",
                    f"{code} {eid} {sid} already given in row {seen[key]}",
                )
                continue
            seen[key] = n
            cell = r["Data Value"].strip()
            if not cell:
                skip(n, "empty Data Value", f"{code} {eid} {sid} has no value")
                continue
            value = parse_number(cell)
            if value is None:
                raise SourceFormatError(
                    path, f"Data Value {cell!r} is not a number", row=n, field="Data Value"
                )
            name, low, high = self.ranges[sid]
            if not low <= value <= high:
                raise SourceFormatError(
                    path,
                    f"Data Value {cell} is outside the {name} scale {sid} ({low}–{high})",
                    row=n,
                    field="Data Value",
                )
            pair = (code, eid)
            req = ox.NamedNode(f"{_BASE}requirement/{code}/{eid}")
            if pair not in made:
                made.add(pair)
                yield from requirement_triples(occupation_iri(code), req, element_iri(eid), scheme)
            measure, scale = ("importance", im_scale) if sid == "IM" else ("level", lv_scale)
            yield from measure_triples(req, measure, value, scale)
            values[measure] += 1
            if irrelevant and pair not in not_relevant:
                not_relevant.add(pair)
                yield ox.Triple(req, M["notRelevant"], TRUE)
            if suppress and pair not in suppressed:
                suppressed.add(pair)
                yield ox.Triple(req, M["suppressRecommended"], TRUE)
            if suppress:
                outcome["flagged recommend suppress"] += 1
            elif irrelevant:
                outcome["flagged not relevant"] += 1
            else:
                outcome[measure] += 1
        for kind, count in outcome.items():
            self.report.count(f"{file} rows: {kind}", count)
        self.report.count(f"{file} rows: total", sum(outcome.values()))
        self.report.count(f"{file} importance values", values["importance"])
        self.report.count(f"{file} level values", values["level"])
        self.report.count(f"skill requirements: {slug}", len(made))
        self.report.count(f"{slug} requirements flagged not relevant", len(not_relevant))
        self.report.count(f"{slug} requirements flagged recommend suppress", len(suppressed))


SOURCE = OnetSource()
