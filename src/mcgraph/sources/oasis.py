"""OaSIS (ESDC, Canada; 2023 v1.0 open-data CSVs) with the NOC 2021 structure → SKOS and skill requirements.

``mcgraph load oasis FOLDER`` reads the folder of official CSVs (UTF-8 with BOM, codes kept as strings)
and writes one named graph, ``graph/oasis/2023-v1.0``.

What becomes what (IRIs under ``https://w3id.org/mcgraph/id/``):

* ``noc_structure_en.csv`` — NOC 2021 broad categories, major, sub-major and minor groups and unit groups
  as ``skos:Concept``s in the scheme ``noc/2021``, with ``skos:notation``, ``skos:prefLabel``,
  ``skos:definition`` and ``skos:broader`` (code minus its last digit). NOC codes are only unique within a
  NOC version (NOC 2016's 4-digit unit groups reuse NOC 2021's minor-group codes), so the IRIs carry it:
  ``noc/2021/00010`` (:func:`noc_iri`).
* ``labels_oasis…`` — the 900 OaSIS profiles (``oasis/profile/00010.00``) as ``mcg:Occupation`` (and
  ``skos:Concept``) in the scheme ``oasis/profiles``, ``skos:broader`` their NOC unit group. The lead
  statement is the ``skos:definition``, example titles (types Example, Index and Inclusion alike) are
  ``skos:altLabel``s, main duties are ``skos:note``s.
* ``guide_oasis…`` — every guide entry (category, sub-category, similarity group, descriptor) as a
  ``skos:Concept`` (``oasis/descriptor/F01a01``) in one scheme per family (``oasis/skills``,
  ``oasis/abilities``, ``oasis/knowledge``, ``oasis/personal-attributes``, ``oasis/work-activities``,
  ``oasis/work-context``, ``oasis/interests``), with the guide's description as ``skos:definition`` and
  ``skos:broader`` along the code prefixes. Descriptors of skills, abilities and knowledge are also typed
  ``mcg:Skill``; personal attributes, work activities, work context and interests are plain concepts
  (they describe the worker's traits, the job's activities and its conditions, not learnable skills).
* Wide rating files (one column per descriptor; headers matched to the guide as documented in
  :mod:`.oasis_descriptors`) — one ``mcg:SkillRequirement`` per profile × descriptor with a non-zero
  rating (``oasis/requirement/00010.00/F01a01``): ``mcg:requiredLevel`` + ``mcg:levelScale`` for skills and
  abilities (proficiency 1–5), knowledge (1–3) and work activities (complexity 1–5); ``mcg:importance`` +
  ``mcg:importanceScale`` for personal attributes (importance 1–5, as the guide states), and
  ``mcg:fromTaxonomy`` naming the family's scheme. **A 0 means "not required"**: it lies outside every
  scale the guide states (1–5, 1–3), so no requirement is made; zeros are counted in the report. Blank
  cells are counted (and warned about) as "not rated".
* Work context is not a skill: its ratings are frequencies, durations or degrees of conditions (time
  pressure, sitting, automation), some descriptors rated on two dimensions in two columns. Each non-zero
  cell becomes an ``mcg:OccupationRating`` (``oasis/rating/00010.00/J01c02/frequency``) with
  ``mcg:levelValue`` on a scale per dimension as the guide states it ("frequency 1–5"); three descriptors
  whose guide text states no scale get a "rating 1–5" scale saying so.
* ``interests_oasis…`` — the three Holland (RIASEC) letters of each profile as ``mcg:OccupationRating``s of
  the interest descriptors with their rank (1 = dominant) as the value; lower-case letters are read as
  upper case.

Not loaded (reported as such): employment requirements, additional information, exclusions and
workplaces/employers.

Data quirks handled (each reported as a warning with file and row): codes that lost their ``.NN`` suffix
or a trailing zero in a spreadsheet (``10010`` → ``10010.00``, ``31100.1`` → ``31100.10``); a rating row
whose code is not a profile but whose label names exactly one profile of the same unit group (the 2023
v1.0 interests file has ``14404.01`` for ``14404.00 Dispatchers``); a guide name with a code glued on.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..namespaces import NOC, OASIS
from ._ratings import (
    ALT,
    BROADER,
    DEFINITION,
    NOTE,
    A,
    M,
    check_encoding,
    concept_triples,
    en,
    measure_triples,
    node,
    occupation_rating_triples,
    parse_number,
    read_header,
    requirement_triples,
    scale_triples,
    scheme_triples,
)
from .base import LoadReport, Source
from .oasis_descriptors import (
    BY_CATEGORY,
    FAMILIES,
    HEADER_ALIASES,
    HOLLAND,
    INTERESTS,
    SECOND_DIMENSION_HEADERS,
    Family,
    clean_name,
    normalise_header,
    parse_dimensions,
    slug,
)
from .tabular import read_rows

_VERSION = re.compile(r"oasis[-_](\d{4})_v(\d+(?:\.\d+)*)\.csv$", re.I)
_PROFILE_CODE = re.compile(r"^(\d{1,5})(?:\.(\d{1,2}))?$")
_GUIDE_CODE = re.compile(r"^[A-Za-z0-9]+$")
_CODE_COLUMNS = ("OaSIS Code - Final", "OaSIS Code", "OaSIS profile code")
_LABEL_COLUMNS = ("OaSIS Label - Final", "OaSIS Label", "Label")
_STRUCTURE_TYPES = ("Category", "Sub-Category", "Similarity Group", "Descriptor")
_NOC_LEVELS = {
    1: "broad categories",
    2: "major groups",
    3: "sub-major groups",
    4: "minor groups",
    5: "unit groups",
}
#: Files of the download this loader knows it leaves out.
NOT_LOADED = ("employment-requirements", "additional-information", "exclusions", "workplaces-employers")

PROFILES_SCHEME = OASIS["profiles"]
_BASE = str(OASIS)


@lru_cache(maxsize=4096)
def profile_iri(code: str) -> ox.NamedNode:
    """``00010.00`` → ``https://w3id.org/mcgraph/id/oasis/profile/00010.00``."""
    return ox.NamedNode(f"{_BASE}profile/{code}")


@lru_cache(maxsize=4096)
def descriptor_iri(code: str) -> ox.NamedNode:
    """Guide code ``F01a01`` → ``https://w3id.org/mcgraph/id/oasis/descriptor/F01a01``."""
    return ox.NamedNode(f"{_BASE}descriptor/{code}")


def noc_iri(code: str, version: str = "2021") -> ox.NamedNode:
    """NOC code (any level) → ``https://w3id.org/mcgraph/id/noc/2021/00010``."""
    return node(NOC[f"{version}/{code}"])


def noc_scheme(version: str = "2021") -> ox.NamedNode:
    return node(NOC[version])


def normalise_profile_code(raw: str) -> str | None:
    """An OaSIS profile code as published (``00010.00``) from what a file holds, or None.

    >>> [normalise_profile_code(c) for c in ("00010.00", "10010", "31100.1", "10.00", "x")]
    ['00010.00', '10010.00', '31100.10', '00010.00', None]
    """
    m = _PROFILE_CODE.fullmatch(raw.strip())
    if not m:
        return None
    return f"{m.group(1).zfill(5)}.{(m.group(2) or '00').ljust(2, '0')}"


@dataclass
class _GuideEntry:
    code: str
    name: str
    structure: str
    family: Family
    description: str
    row: int


class OasisSource(Source):
    """ESDC OaSIS 2023 open data (folder of CSVs) with the NOC 2021 structure."""

    name = "oasis"
    title = "OaSIS (ESDC Canada) profiles, descriptors and ratings, with the NOC 2021 hierarchy"
    accepts = "folder"

    def detect_version(self, path: Path) -> str | None:
        """``2023-v1.0`` from file names such as ``skills_oasis_2023_v1.0.csv``."""
        if not path.is_dir():
            return None
        found = {f"{m.group(1)}-v{m.group(2)}" for p in path.iterdir() if (m := _VERSION.search(p.name))}
        return found.pop() if len(found) == 1 else None

    def read(self, path: Path, report: LoadReport) -> Iterator[ox.Triple]:
        return _Reader(path, report).triples()


class _Reader:
    """One load of one folder: reads the files in order and yields triples."""

    def __init__(self, folder: Path, report: LoadReport) -> None:
        if not folder.is_dir():
            raise SourceFormatError(
                folder,
                "the OaSIS source reads a folder of CSV files (labels_oasis_…csv, "
                "guide_oasis_…csv, skills_oasis_…csv …); this is not a folder",
            )
        self.folder = folder
        self.report = report
        self.labels: dict[str, str] = {}
        self.by_unit: dict[str, list[str]] = defaultdict(list)
        self.guide: dict[str, _GuideEntry] = {}
        self.noc_units: set[str] = set()
        self.noc_version = "2021"
        self.emitted_scales: set[str] = set()
        self.made: Counter[str] = Counter()

    # -- files -------------------------------------------------------------------------------------
    def find(self, stem: str, *, required: bool = False, pattern: str | None = None) -> Path | None:
        matches = sorted(p for p in self.folder.glob(pattern or f"{stem}_oasis*.csv") if p.is_file())
        if not matches:
            if required:
                raise SourceFormatError(
                    self.folder,
                    f"no {pattern or stem + '_oasis_<version>.csv'} file in the "
                    "folder; is this an OaSIS download?",
                )
            self.report.warn(self.folder, f"no {pattern or stem + '_oasis_…csv'} file: {stem} not loaded")
            return None
        if len(matches) > 1:
            raise SourceFormatError(
                matches[1],
                f"several {stem} files in one folder "
                f"({', '.join(p.name for p in matches)}); keep one release per folder",
            )
        self.report.add_file(matches[0])
        check_encoding(matches[0])
        return matches[0]

    def triples(self) -> Iterator[ox.Triple]:
        guide = self.find("guide", required=True)
        labels = self.find("labels", required=True)
        noc = self.find("noc_structure", pattern="noc_structure_en*.csv")
        assert guide is not None and labels is not None
        self.read_guide_rows(guide)
        self.read_labels(labels)
        if noc is not None:
            yield from self.noc_triples(noc)
        yield from self.guide_triples()
        yield from self.profile_triples()
        if (lead := self.find("lead-statement")) is not None:
            yield from self.text_triples(
                lead, ("Lead statement",), DEFINITION, "lead statements (skos:definition)"
            )
        if (duties := self.find("main-duties", pattern="main-duties_oasis*.csv")) is not None:
            yield from self.text_triples(duties, ("Main duties",), NOTE, "main duties (skos:note)")
        if (titles := self.find("example-titles")) is not None:
            yield from self.title_triples(titles)
        for family in FAMILIES.values():
            if (ratings := self.find(family.stem)) is not None:
                yield from self.rating_triples(ratings, family)
        if (interests := self.find("interests")) is not None:
            yield from self.interest_triples(interests)
        for kind, n in self.made.items():
            self.report.count(kind, n)
        for stem in NOT_LOADED:
            if any(self.folder.glob(f"{stem}_oasis*.csv")):
                self.report.count(f"files present but not loaded: {stem}")

    # -- codes ---------------------------------------------------------------------------------------
    def resolve(self, raw: str, label: str, path: Path, row: int, quirks: Counter[str]) -> str | None:
        """The profile a row is about, or None (warned) when it names none."""
        code = normalise_profile_code(raw)
        if code is None:
            self.report.warn(path, f"{raw!r} is not an OaSIS profile code (NNNNN.NN); row skipped", row)
            self.report.count("rows skipped: not a profile code")
            return None
        if code in self.labels:
            if code != raw.strip():
                if not quirks["normalised"]:
                    self.report.warn(
                        path,
                        f"profile code {raw!r} read as {code!r} (suffix or trailing zero lost "
                        "in a spreadsheet); further codes like it in this file are read the same way",
                        row,
                    )
                quirks["normalised"] += 1
                self.report.count("profile codes normalised (10010 → 10010.00)")
            return code
        wanted = " ".join(label.split()).casefold()
        same = [c for c in self.by_unit.get(code[:5], []) if wanted and self.labels[c].casefold() == wanted]
        if len(same) == 1:
            self.report.warn(
                path,
                f"profile code {raw!r} is not in the labels file; its label {label.strip()!r} "
                f"is that of {same[0]} in the same unit group: read as {same[0]}",
                row,
            )
            self.report.count("profile codes corrected by label")
            return same[0]
        self.report.warn(path, f"profile code {raw!r} is not in the labels file; row skipped", row)
        self.report.count("rows skipped: unknown profile")
        return None

    # -- guide ---------------------------------------------------------------------------------------
    def read_guide_rows(self, path: Path) -> None:
        for n, r in read_rows(path, required=("Code", "Name", "Structure type", "Category", "Description")):
            code, category, structure = r["Code"].strip(), r["Category"].strip(), r["Structure type"].strip()
            if not _GUIDE_CODE.fullmatch(code):
                self.report.warn(path, f"guide code {code!r} is not letters and digits; row skipped", n)
                continue
            family = BY_CATEGORY.get(category)
            if family is None:
                self.report.warn(path, f"unknown category {category!r} for {code}; skipped", n)
                continue
            if structure not in _STRUCTURE_TYPES:
                self.report.warn(
                    path, f"unknown structure type {structure!r} for {code}; read as a grouping", n
                )
            if code in self.guide:
                self.report.warn(
                    path,
                    f"code {code} appears twice (first in row {self.guide[code].row}); this row skipped",
                    n,
                )
                continue
            name, changed = clean_name(r["Name"])
            if changed:
                self.report.warn(
                    path, f"name {r['Name'].strip()!r} of {code} has a code glued on; read as {name!r}", n
                )
            if not name:
                self.report.warn(path, f"guide entry {code} has no name; skipped", n)
                continue
            self.guide[code] = _GuideEntry(code, name, structure, family, r["Description"].strip(), n)

    def guide_parent(self, entry: _GuideEntry) -> _GuideEntry | None:
        for end in range(len(entry.code) - 1, 0, -1):
            parent = self.guide.get(entry.code[:end])
            if parent is not None and parent.family is entry.family:
                return parent
        return None

    def guide_triples(self) -> Iterator[ox.Triple]:
        families = {e.family for e in self.guide.values()}
        for family in sorted(families, key=lambda f: f.scheme_slug):
            yield from scheme_triples(node(OASIS[family.scheme_slug]), family.title)
        for entry in self.guide.values():
            c, scheme = descriptor_iri(entry.code), node(OASIS[entry.family.scheme_slug])
            if entry.structure == "Descriptor":
                self.report.count(f"descriptors: {entry.family.scheme_slug}")
                if entry.family.is_skill:
                    yield ox.Triple(c, A, M["Skill"])
            else:
                self.report.count("descriptor groups (categories, sub-categories, similarity groups)")
            parent = self.guide_parent(entry)
            broader = None if parent is None else descriptor_iri(parent.code)
            yield from concept_triples(c, scheme, entry.code, entry.name, entry.description, broader=broader)

    # -- profiles and NOC ------------------------------------------------------------------------------
    def read_labels(self, path: Path) -> None:
        code_col = _pick(read_header(path), ("OaSIS profile code", *_CODE_COLUMNS), path)
        label_col = _pick(read_header(path), ("Label", *_LABEL_COLUMNS), path)
        for n, r in read_rows(path, required=(code_col, label_col)):
            raw, label = r[code_col], " ".join(r[label_col].split())
            code = normalise_profile_code(raw)
            if code is None:
                self.report.warn(path, f"{raw!r} is not an OaSIS profile code (NNNNN.NN); row skipped", n)
                self.report.count("rows skipped: not a profile code")
                continue
            if code in self.labels:
                self.report.warn(path, f"profile {code} is listed twice; this row skipped", n)
                continue
            if not label:
                self.report.warn(path, f"profile {code} has no label", n)
            self.labels[code] = label
            self.by_unit[code[:5]].append(code)

    def noc_triples(self, path: Path) -> Iterator[ox.Triple]:
        header = [h.strip() for h in read_header(path)]
        code_col = next((h for h in header if h.lower().startswith("code")), "Code - NOC 2021 V1.0")
        if m := re.search(r"NOC\s+(\d{4})", code_col):
            self.noc_version = m.group(1)
        rows = []
        for n, r in read_rows(path, required=("Level", code_col, "Class title", "Class definition")):
            level_text, code = r["Level"].strip(), r[code_col].strip()
            if level_text not in {"1", "2", "3", "4", "5"} or not code.isdigit():
                raise SourceFormatError(
                    path,
                    f"expected a level 1–5 and a numeric NOC code, found level "
                    f"{level_text!r} and code {code!r}",
                    row=n,
                )
            level = int(level_text)
            if len(code) != level:
                fixed = code.zfill(level)
                if len(fixed) != level:
                    raise SourceFormatError(
                        path, f"NOC code {code!r} is too long for level {level}", row=n, field=code_col
                    )
                self.report.warn(
                    path, f"NOC code {code!r} at level {level} read as {fixed!r} (leading zeros lost)", n
                )
                code = fixed
            rows.append((n, level, code, " ".join(r["Class title"].split()), r["Class definition"].strip()))
        codes = {code for _, _, code, _, _ in rows}
        scheme = noc_scheme(self.noc_version)
        yield from scheme_triples(scheme, f"National Occupational Classification (NOC) {self.noc_version}")
        seen: set[str] = set()
        for n, level, code, title, definition in rows:
            if code in seen:
                self.report.warn(path, f"NOC code {code} appears twice; this row skipped", n)
                continue
            seen.add(code)
            c = noc_iri(code, self.noc_version)
            self.report.count(f"NOC {self.noc_version} {_NOC_LEVELS[level]}")
            if level == 5:
                self.noc_units.add(code)
            if level > 1 and code[:-1] not in codes:
                self.report.warn(path, f"NOC {code}: its parent {code[:-1]} is not in the file", n)
            broader = None if level == 1 else noc_iri(code[:-1], self.noc_version)
            yield from concept_triples(c, scheme, code, title, definition, broader=broader)

    def profile_triples(self) -> Iterator[ox.Triple]:
        yield from scheme_triples(node(PROFILES_SCHEME), "OaSIS occupational profiles")
        scheme = node(PROFILES_SCHEME)
        missing_units = 0
        for code, label in self.labels.items():
            p = profile_iri(code)
            self.report.count("OaSIS profiles (mcg:Occupation)")
            yield ox.Triple(p, A, M["Occupation"])
            yield from concept_triples(p, scheme, code, label)  # a top concept of the profile list …
            yield ox.Triple(p, BROADER, noc_iri(code[:5], self.noc_version))  # … whose broader is in the NOC
            if self.noc_units and code[:5] not in self.noc_units:
                missing_units += 1
        if missing_units:
            self.report.warn(
                self.folder,
                f"{missing_units} profiles belong to NOC unit groups missing from noc_structure_en.csv",
            )
        self.report.count("NOC unit groups with profiles", len({c[:5] for c in self.labels}))

    def text_triples(
        self, path: Path, columns: tuple[str, ...], predicate: ox.NamedNode, kind: str
    ) -> Iterator[ox.Triple]:
        header = read_header(path)
        code_col = _pick(header, ("OaSIS profile code", *_CODE_COLUMNS), path)
        text_col = _pick(header, columns, path)
        quirks: Counter[str] = Counter()
        seen: set[tuple[str, str]] = set()
        for n, r in read_rows(path, required=(code_col, text_col)):
            text = r[text_col].strip()
            if not text:
                self.report.warn(path, "empty text; row skipped", n)
                continue
            code = self.resolve(r[code_col], "", path, n, quirks)
            if code is None or (code, text) in seen:
                continue
            seen.add((code, text))
            self.report.count(kind)
            yield ox.Triple(profile_iri(code), predicate, en(text))

    def title_triples(self, path: Path) -> Iterator[ox.Triple]:
        header = read_header(path)
        code_col = _pick(header, ("OaSIS profile code", *_CODE_COLUMNS), path)
        quirks: Counter[str] = Counter()
        seen: set[tuple[str, str]] = set()
        for n, r in read_rows(path, required=(code_col, "Job title type", "Job title text")):
            title = " ".join(r["Job title text"].split())
            if not title:
                self.report.warn(path, "empty job title; row skipped", n)
                continue
            code = self.resolve(r[code_col], "", path, n, quirks)
            if code is None:
                continue
            self.report.count(f"job titles read: {r['Job title type'].strip() or '(no type)'}")
            if (code, title) in seen or title == self.labels.get(code):
                continue
            seen.add((code, title))
            self.report.count("example titles (skos:altLabel)")
            yield ox.Triple(profile_iri(code), ALT, en(title))

    # -- ratings -----------------------------------------------------------------------------------------
    def map_columns(
        self, path: Path, header: list[str], family: Family, skip: set[str]
    ) -> dict[str, tuple[_GuideEntry, int]]:
        """Rating-file header → (guide descriptor, dimension index 0/1)."""
        descriptors = {
            e.name: e for e in self.guide.values() if e.family is family and e.structure == "Descriptor"
        }
        folded = {name.casefold(): e for name, e in descriptors.items()}
        aliases = HEADER_ALIASES.get(family.category, {})
        out: dict[str, tuple[_GuideEntry, int]] = {}
        taken: dict[tuple[str, int], str] = {}
        for raw in header:
            if raw.strip() in skip:
                continue
            name = normalise_header(raw)
            entry, dim = descriptors.get(name) or folded.get(name.casefold()), 0
            if entry is None and name in aliases:
                entry = self.guide.get(aliases[name])
            if entry is None and family.stem == "workcontext" and name in SECOND_DIMENSION_HEADERS:
                entry, dim = self.guide.get(SECOND_DIMENSION_HEADERS[name]), 1
            if entry is None:
                self.report.warn(
                    path,
                    f"column {raw!r} names no {family.category} descriptor of the guide; "
                    "its ratings are not loaded",
                    1,
                )
                self.report.count(f"columns not matched to the guide: {family.scheme_slug}")
                continue
            if (entry.code, dim) in taken:
                raise SourceFormatError(
                    path,
                    f"columns {taken[entry.code, dim]!r} and {raw!r} both rate {entry.code} {entry.name!r}",
                    row=1,
                    field=raw,
                )
            taken[entry.code, dim] = raw
            out[raw.strip()] = (entry, dim)
        return out

    def family_scale(self, family: Family) -> tuple[ox.NamedNode, list[ox.Triple]]:
        key = f"scale/{family.scheme_slug}"
        scale = node(OASIS[key])
        if key in self.emitted_scales:
            return scale, []
        self.emitted_scales.add(key)
        self.report.count("rating scales")
        label = f"{family.title}: {family.scale_name} ({family.minimum}–{family.maximum})"
        return scale, list(
            scale_triples(
                scale,
                label,
                family.minimum,
                family.maximum,
                "OaSIS rating scale as stated in the OaSIS guide; a 0 in the rating "
                "files means not required and is not loaded as a requirement.",
            )
        )

    def context_scale(self, entry: _GuideEntry, dim: int) -> tuple[ox.NamedNode, str, int, list[ox.Triple]]:
        dims = parse_dimensions(entry.description)
        if dim < len(dims):
            name, low, high = dims[dim]
            note = (
                "Work context scale as stated in the OaSIS guide; "
                "0 in the file = not applicable (not loaded)."
            )
        else:
            name, low, high = ("rating" if dim == 0 else f"rating {dim + 1}"), 1, 5
            note = (
                "The OaSIS guide states no scale for this work context descriptor; 1–5 is assumed from the "
                "other descriptors; 0 in the file = not applicable (not loaded)."
            )
        key = f"scale/work-context/{slug(name)}-{low}-{high}"
        scale = node(OASIS[key])
        if key in self.emitted_scales:
            return scale, name, high, []
        self.emitted_scales.add(key)
        self.report.count("rating scales")
        return (
            scale,
            name,
            high,
            list(scale_triples(scale, f"OaSIS work context: {name} ({low}–{high})", low, high, note)),
        )

    def rating_triples(self, path: Path, family: Family) -> Iterator[ox.Triple]:
        header = read_header(path)
        code_col = _pick(header, _CODE_COLUMNS, path)
        label_col = _pick(header, _LABEL_COLUMNS, path, required=False)
        columns = self.map_columns(path, header, family, {code_col, label_col or code_col})
        scheme = node(OASIS[family.scheme_slug])
        scales: dict[str, tuple[ox.NamedNode, str, int]] = {}
        for column, (entry, dim) in columns.items():
            if family.measure == "context":
                scale, dim_name, high, extra = self.context_scale(entry, dim)
            else:
                (scale, extra), dim_name, high = self.family_scale(family), "", family.maximum
            yield from extra
            scales[column] = (scale, dim_name, high)
        quirks: Counter[str] = Counter()
        done: dict[str, int] = {}
        for n, r in read_rows(path, required=(code_col,)):
            code = self.resolve(r[code_col], r.get(label_col or "", ""), path, n, quirks)
            if code is None:
                continue
            if code in done:
                self.report.warn(
                    path, f"profile {code} is rated twice (first in row {done[code]}); row skipped", n
                )
                self.report.count("rows skipped: profile rated twice")
                continue
            done[code] = n
            p = profile_iri(code)
            for column, (entry, _dim) in columns.items():
                scale, dim_name, high = scales[column]
                cell = r[column].strip()
                if not cell:
                    where = "" if normalise_header(column) == entry.name else f" (column {column!r})"
                    self.report.warn(path, f"no rating for {entry.name!r}{where}; not rated", n)
                    self.report.count(f"blank ratings (not rated): {family.scheme_slug}")
                    continue
                value = parse_number(cell)
                if value is None:
                    raise SourceFormatError(
                        path, f"rating {cell!r} of {entry.name!r} is not a number", row=n, field=column
                    )
                if value == 0:
                    self.made[f"zero ratings (not required, no requirement): {family.scheme_slug}"] += 1
                    continue
                low = 1
                if not low <= value <= high:
                    raise SourceFormatError(
                        path,
                        f"rating {cell} of {entry.name!r} is outside its scale "
                        f"{low}–{high} (0 = not required)",
                        row=n,
                        field=column,
                    )
                yield from self.rating(p, code, entry, family, scheme, scale, dim_name, value)

    def rating(
        self,
        p: ox.NamedNode,
        code: str,
        entry: _GuideEntry,
        family: Family,
        scheme: ox.NamedNode,
        scale: ox.NamedNode,
        dim_name: str,
        value: Decimal,
    ) -> Iterator[ox.Triple]:
        if family.measure == "context":
            r = ox.NamedNode(f"{_BASE}rating/{code}/{entry.code}/{slug(dim_name)}")
            self.made["work context ratings (mcg:OccupationRating)"] += 1
            yield from occupation_rating_triples(p, r, descriptor_iri(entry.code), value, scale, scheme)
            return
        r = ox.NamedNode(f"{_BASE}requirement/{code}/{entry.code}")
        self.made[f"skill requirements: {family.scheme_slug}"] += 1
        yield from requirement_triples(p, r, descriptor_iri(entry.code), scheme)
        yield from measure_triples(r, family.measure, value, scale)

    def interest_triples(self, path: Path) -> Iterator[ox.Triple]:
        header = read_header(path)
        code_col = _pick(header, _CODE_COLUMNS, path)
        label_col = _pick(header, _LABEL_COLUMNS, path, required=False)
        ranks: dict[str, int] = {}
        for h in header:
            if m := re.fullmatch(r"holland codes?\s*-?\s*(\d+)", normalise_header(h), re.I):
                ranks[h.strip()] = int(m.group(1))
        if not ranks:
            raise SourceFormatError(path, "no 'Holland Codes - N' columns", row=1)
        by_name = {
            e.name: e for e in self.guide.values() if e.family is INTERESTS and e.structure == "Descriptor"
        }
        letters = {letter: by_name.get(name) for letter, name in HOLLAND.items()}
        scale = node(OASIS["scale/interests-rank"])
        yield from scale_triples(
            scale,
            f"OaSIS interests: Holland code rank (1–{max(ranks.values())})",
            1,
            max(ranks.values()),
            "Rank of the interest among the profile's Holland codes: 1 = the dominant interest.",
        )
        self.report.count("rating scales")
        scheme = node(OASIS[INTERESTS.scheme_slug])
        quirks: Counter[str] = Counter()
        done: set[str] = set()
        for n, r in read_rows(path, required=(code_col, *ranks)):
            code = self.resolve(r[code_col], r.get(label_col or "", ""), path, n, quirks)
            if code is None:
                continue
            if code in done:
                self.report.warn(path, f"profile {code} is listed twice; row skipped", n)
                continue
            done.add(code)
            seen: set[str] = set()
            for column, rank in sorted(ranks.items(), key=lambda kv: kv[1]):
                cell = r[column].strip()
                if not cell:
                    self.report.count("interest ranks left blank")
                    continue
                letter = cell.upper()
                if letter not in HOLLAND:
                    raise SourceFormatError(
                        path, f"{cell!r} is not a Holland code (R, I, A, S, E or C)", row=n, field=column
                    )
                if cell != letter:
                    self.report.count("Holland letters in lower case (read as upper case)")
                entry = letters[letter]
                if entry is None:
                    raise SourceFormatError(
                        path,
                        f"the guide has no interest descriptor {HOLLAND[letter]!r} for letter {letter}",
                        row=n,
                        field=column,
                    )
                if letter in seen:
                    self.report.warn(path, f"{letter} is given twice for {code}; rank {rank} skipped", n)
                    continue
                seen.add(letter)
                rating = node(OASIS[f"rating/{code}/{entry.code}"])
                self.report.count("interest ratings (mcg:OccupationRating)")
                yield from occupation_rating_triples(
                    profile_iri(code), rating, descriptor_iri(entry.code), rank, scale, scheme
                )


def _pick(header: list[str], names: tuple[str, ...], path: Path, *, required: bool = True) -> str | None:
    """The first of ``names`` present in ``header`` (compared without stray spaces), as stripped."""
    stripped = {normalise_header(h).casefold(): h.strip() for h in header}
    for name in names:
        if name.casefold() in stripped:
            return stripped[name.casefold()]
    if required:
        raise SourceFormatError(
            path,
            f"missing column {names[0]!r}"
            + (f" (or {', '.join(map(repr, names[1:]))})" if len(names) > 1 else "")
            + f"; the header has {', '.join(map(repr, [h.strip() for h in header[:8]]))}"
            + (" …" if len(header) > 8 else ""),
            row=1,
        )
    return None


SOURCE = OasisSource()
