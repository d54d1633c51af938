"""SFIA (Skills Framework for the Information Age): the skills download (CSV) or SFIA's own RDF.

``mcgraph load sfia sfia-9_current-standard_en_SKILLS.csv`` (``--version`` defaults to the number in the file
name, else ``9``) reads the CSV as SFIA publishes it: Windows-1252 text (UTF-8 is accepted with a warning),
columns ``#``, seven unnamed level columns listing the levels a skill is defined at (the first may be headed
``Levels``), then ``Code, URL, Skill, Category, Subcategory, Overall description, Guidance notes,
Level 1 description … Level 7 description``; cells may hold line breaks. ``mcgraph load sfia sfia.ttl`` reads
SFIA's RDF (``https://rdf.sfia-online.org/<version>/``, any RDF syntax) and adds the same mcgraph terms.

What is made (``sfia:`` = ``https://rdf.sfia-online.org/<version>/``, the IRIs SFIA's RDF uses):

* each skill ``sfia:skills/PROG``: ``mcg:Skill``, ``skos:notation "PROG"``, ``skos:prefLabel``, the overall
  description as ``skos:definition``, the guidance notes as ``skos:scopeNote``, ``skos:broader`` its subcategory
  (``sfia:categories/<name>``), which is ``skos:broader`` its category (a top concept); all in the scheme
  ``mcgid:sfia/<version>``;
* each skill at a level ``sfia:skilllevels/PROG_4``: ``mcg:SkillLevelConcept`` with ``mcg:skillAtLevelOf`` the
  skill, ``mcg:levelValue 4``, ``mcg:proficiencyLevel sfia:lor/4``, ``mcg:levelScale mcgid:sfia/<version>/scale``
  and the level description as ``skos:definition``;
* the seven levels of responsibility ``sfia:lor/1`` … ``/7`` as concepts of ``mcgid:sfia/<version>/levels``, and
  the rating scale ``mcgid:sfia/<version>/scale`` (``mcg:RatingScale``, 1–7).

SFIA is licensed by the SFIA Foundation: mcgraph ships no SFIA text; users load their own download.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..namespaces import DCTERMS, MCG, MCGID, OWL, RDF, RDFS, SKOS, XSD
from ..store import Term
from .base import LoadReport, Source
from .rdf import parse_rdf, rdf_format
from .tabular import check_no_nul, decode_error, read_problem, require_file

csv.field_size_limit(2**31 - 1)

LEVELS = range(1, 8)
NAMED_COLUMNS = ("Code", "URL", "Skill", "Category", "Subcategory", "Overall description", "Guidance notes",
                 *(f"Level {n} description" for n in LEVELS))
_CODE = re.compile(r"^[A-Za-z0-9]{1,16}$")
_VERSION = re.compile(r"^[0-9][0-9A-Za-z.]*$")
_SFIA_NS = re.compile(r"https://rdf\.sfia-online\.org/([0-9][0-9A-Za-z.]*)/")
_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*://[^\s<>"{}|^`\\]+$')


def _n(value: str) -> ox.NamedNode:
    return ox.NamedNode(str(value))


def _iri_or_none(text: str) -> ox.NamedNode | None:
    """An absolute IRI, or None for text that is not one."""
    if not _IRI.match(text):
        return None
    try:
        return ox.NamedNode(text)
    except ValueError:
        return None


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD.integer))


_A = _n(RDF.type)
_CONCEPT = _n(SKOS.Concept)


def category_slug(name: str) -> str:
    """The local name SFIA's RDF gives a category: lower case, spaces and commas as ``_`` (else %-encoded)."""
    return quote(name.strip().lower().replace(" ", "_").replace(",", "_"), safe="_-.~")


class SfiaTerms:
    """IRIs for one SFIA version: SFIA's own for skills, levels and categories; mcgraph's for schemes."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.base = f"https://rdf.sfia-online.org/{version}/"
        self.onto = self.base + "ontology/"
        self.scheme = _n(MCGID[f"sfia/{version}"])
        self.levels = _n(MCGID[f"sfia/{version}/levels"])
        self.scale = _n(MCGID[f"sfia/{version}/scale"])

    def skill(self, code: str) -> ox.NamedNode:
        return _n(f"{self.base}skills/{code}")

    def skill_level(self, code: str, level: int) -> ox.NamedNode:
        return _n(f"{self.base}skilllevels/{code}_{level}")

    def lor(self, level: int) -> ox.NamedNode:
        return _n(f"{self.base}lor/{level}")

    def category(self, name: str) -> ox.NamedNode:
        return _n(f"{self.base}categories/{category_slug(name)}")

    def term(self, local: str) -> ox.NamedNode:
        return _n(self.onto + local)

    def frame(self) -> Iterator[ox.Triple]:
        """Schemes, the rating scale and the seven levels of responsibility."""
        v = self.version
        T = ox.Triple
        yield from (
            T(self.scheme, _A, _n(SKOS.ConceptScheme)),
            T(self.scheme, _n(SKOS.prefLabel), _en(f"SFIA {v} skills")),
            T(self.scheme, _n(DCTERMS.title), _en(f"SFIA {v} skills")),
            T(self.scheme, _n(DCTERMS.publisher), _en("SFIA Foundation")),
            T(self.scheme, _n(OWL.versionInfo), ox.Literal(v)),
            T(self.levels, _A, _n(SKOS.ConceptScheme)),
            T(self.levels, _n(SKOS.prefLabel), _en(f"SFIA {v} levels of responsibility")),
            T(self.scale, _A, _n(MCG.RatingScale)),
            T(self.scale, _n(RDFS.label), _en(f"SFIA {v} levels of responsibility (1–7)")),
            T(self.scale, _n(MCG.scaleMinimum), _int(1)),
            T(self.scale, _n(MCG.scaleMaximum), _int(7)),
        )
        for n in LEVELS:
            lor = self.lor(n)
            yield from (
                T(lor, _A, _CONCEPT),
                T(lor, _A, self.term("Level")),
                T(lor, _n(SKOS.prefLabel), _en(f"SFIA level {n}")),
                T(lor, _n(SKOS.notation), ox.Literal(str(n))),
                T(lor, _n(MCG.levelValue), _int(n)),
                T(lor, _n(MCG.levelScale), self.scale),
                T(lor, _n(SKOS.inScheme), self.levels),
                T(lor, _n(SKOS.topConceptOf), self.levels),
                T(self.levels, _n(SKOS.hasTopConcept), lor),
            )

    def skill_at_level(self, skill: ox.NamedNode, node: ox.NamedNode, level: int, label: str | None,
                       description: str | None) -> Iterator[ox.Triple]:
        T = ox.Triple
        yield from (
            T(node, _A, _n(MCG.SkillLevelConcept)),
            T(node, _A, _CONCEPT),
            T(node, _n(MCG.skillAtLevelOf), skill),
            T(node, _n(MCG.levelValue), _int(level)),
            T(node, _n(MCG.levelScale), self.scale),
            T(node, _n(MCG.proficiencyLevel), self.lor(level)),
            T(node, _n(SKOS.inScheme), self.scheme),
        )
        if label:
            yield T(node, _n(SKOS.prefLabel), _en(f"{label} – level {level}"))
        if description:
            yield T(node, _n(SKOS.definition), _en(description))


class SfiaSource(Source):
    """SFIA skills, skills at levels and levels of responsibility."""

    name = "sfia"
    title = "SFIA skills: the SFIA skills CSV download (Windows-1252) or SFIA's RDF"
    accepts = "file"

    def detect_version(self, path: Path) -> str | None:
        """The SFIA version in the file name (``sfia-9_…``) or, for RDF, in its IRIs; else ``9``."""
        match = re.search(r"sfia[-_ ]?(\d+)", path.name, re.IGNORECASE)
        if match:
            return match.group(1)
        if _is_rdf(path):
            try:
                with path.open("rb") as fh:
                    head = fh.read(1 << 20).decode("utf-8", "replace")
            except OSError:
                return "9"
            found = _SFIA_NS.search(head)
            if found:
                return found.group(1)
        return "9"

    def read(self, path: Path, report: LoadReport) -> Iterator[ox.Triple | ox.Quad]:
        require_file(path)
        version = report.version or "9"
        if not _VERSION.match(version):
            raise SourceFormatError(path, f"SFIA version {version!r} is not a version number such as 9 or 8")
        report.add_file(path)
        if _is_rdf(path):
            yield from _read_rdf(path, report, SfiaTerms(version))
        else:
            yield from _read_csv(path, report, SfiaTerms(version))


def _is_rdf(path: Path) -> bool:
    """True for a file with an RDF extension (.ttl, .rdf, .nt, .jsonld …); anything else is read as CSV."""
    try:
        rdf_format(path)
    except SourceFormatError:
        return False
    return True


# -- CSV -----------------------------------------------------------------------------------------

def _encoding(path: Path, data: bytes, report: LoadReport) -> str:
    """Windows-1252 as SFIA publishes; UTF-8 when the bytes say so (a re-saved file), with a warning."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceFormatError(path, "the file is UTF-16 text (it starts with a UTF-16 byte-order mark), not "
                                "Windows-1252 as SFIA publishes it; save it again as CSV (Windows-1252 or UTF-8)",
                                row=1, line=1)
    if data.startswith(codecs.BOM_UTF8):
        report.warn(path, "the file is UTF-8 (with a byte-order mark), not Windows-1252 as SFIA publishes it; "
                    "read as UTF-8")
        return "utf-8-sig"
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "cp1252"
        report.warn(path, "the file is UTF-8, not Windows-1252 as SFIA publishes it; read as UTF-8")
        return "utf-8"
    return "cp1252"


def decode(path: Path, data: bytes, encoding: str) -> str:
    """The file's text; an undecodable byte → SourceFormatError naming the record (row) and line it is in."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise decode_error(path, data, exc, encoding) from None
    check_no_nul(path, text)
    return text


def _records(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells)`` for every record, the header being row 1; bad quoting → SourceFormatError."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row_no = 0
    try:
        for cells in reader:
            row_no += 1
            yield row_no, cells
    except csv.Error as exc:
        raise SourceFormatError(path, f"malformed CSV: {exc} (a truncated file?)", row=row_no + 1,
                                line=reader.line_num) from exc


def _header(path: Path, cells: list[str]) -> tuple[list[int], dict[str, int]]:
    """Positions of the seven level columns and of the named columns; raises on any other layout."""
    header = [c.strip() for c in cells]
    shown = ", ".join(repr(h) for h in header[:12]) + (" …" if len(header) > 12 else "")
    if not header or header[0] != "#":
        raise SourceFormatError(path, f"the first column must be '#' as in the SFIA skills download; the header "
                                f"has {shown}", row=1)
    if "Code" not in header:
        raise SourceFormatError(path, f"missing column 'Code'; the header has {shown}", row=1, field="Code")
    code_at = header.index("Code")
    level_columns = list(range(1, code_at))
    if len(level_columns) != 7:
        raise SourceFormatError(path, f"expected seven level columns between '#' and 'Code', found "
                                f"{len(level_columns)}; the header has {shown}", row=1)
    named = {h: i for i, h in enumerate(header) if i > code_at and h}
    named["Code"] = code_at
    missing = [c for c in NAMED_COLUMNS if c not in named]
    if missing:
        raise SourceFormatError(path, f"missing column(s) {', '.join(map(repr, missing))}; the header has {shown}",
                                row=1, field=missing[0])
    return level_columns, named


def _read_csv(path: Path, report: LoadReport, terms: SfiaTerms) -> Iterator[ox.Triple]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceFormatError(path, read_problem(path, exc)) from exc
    records = _records(path, decode(path, data, _encoding(path, data, report)))
    first = next(records, None)
    if first is None:
        raise SourceFormatError(path, "the file is empty (no header row)", row=1)
    level_columns, col = _header(path, first[1])
    width = len(first[1])
    triples: list[ox.Triple] = list(terms.frame())
    T = ox.Triple
    seen: dict[str, int] = {}
    categories: set[ox.NamedNode] = set()
    for row, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != width:
            raise SourceFormatError(path, f"expected {width} cells as in the header, found {len(cells)} "
                                    "(truncated file or stray delimiter?)", row=row)

        def cell(name: str, cells: list[str] = cells) -> str:
            return cells[col[name]].strip()

        code = cell("Code")
        if not _CODE.match(code):
            raise SourceFormatError(path, f"skill code {code!r} is not a code of letters and digits such as PROG",
                                    row=row, field="Code")
        if code in seen:
            raise SourceFormatError(path, f"skill code {code!r} appears again (first in row {seen[code]})",
                                    row=row, field="Code")
        seen[code] = row
        name = cell("Skill")
        if not name:
            raise SourceFormatError(path, f"skill {code} has no name", row=row, field="Skill")
        levels: list[int] = []
        for position, i in enumerate(level_columns, start=1):
            text = cells[i].strip()
            if not text:
                continue
            if not text.isdigit() or not 1 <= int(text) <= 7:
                raise SourceFormatError(path, f"level column {position} holds {text!r}, not a level 1–7",
                                        row=row, field=f"level column {position}")
            levels.append(int(text))
        if not levels:
            report.warn(path, f"skill {code} is defined at no level (all seven level columns are empty)", row=row)
        skill = terms.skill(code)
        triples += [
            T(skill, _A, _n(MCG.Skill)), T(skill, _A, _CONCEPT), T(skill, _A, terms.term("Skill")),
            T(skill, _n(SKOS.prefLabel), _en(name)), T(skill, _n(SKOS.notation), ox.Literal(code)),
            T(skill, _n(SKOS.inScheme), terms.scheme),
        ]
        if cell("Overall description"):
            triples.append(T(skill, _n(SKOS.definition), _en(cell("Overall description"))))
        if cell("Guidance notes"):
            triples.append(T(skill, _n(SKOS.scopeNote), _en(cell("Guidance notes"))))
        url = cell("URL")
        page = _iri_or_none(url)
        if page is not None:
            triples.append(T(skill, _n(RDFS.seeAlso), page))
        elif url:
            report.warn(path, f"skill {code}: URL {url!r} is not an absolute IRI; left out", row=row)
        parent = _categories(path, row, code, cell("Category"), cell("Subcategory"), terms, triples, categories,
                             report)
        if parent is not None:
            triples.append(T(skill, _n(SKOS.broader), parent))
        for n in sorted(set(levels)):
            description = cell(f"Level {n} description")
            if not description:
                report.warn(path, f"skill {code} is defined at level {n} but its level {n} description is empty",
                            row=row)
            node = terms.skill_level(code, n)
            triples += [T(skill, terms.term("definedAtLevel"), node), T(node, _A, terms.term("SkillLevel")),
                        T(node, _n(SKOS.notation), ox.Literal(f"{code}_{n}"))]
            triples += terms.skill_at_level(skill, node, n, name, description or None)
            report.count("skills at levels")
        for n in LEVELS:
            if n not in levels and cell(f"Level {n} description"):
                report.warn(path, f"skill {code} has a level {n} description but the level columns do not list "
                            f"level {n}; the description is left out", row=row)
        report.count("skills")
    if not seen:
        raise SourceFormatError(path, "no skills: the file has a header but no skill rows", row=2)
    report.count("categories", len(categories))
    report.count("levels of responsibility", len(LEVELS))
    yield from dict.fromkeys(triples)


def _categories(path: Path, row: int, code: str, category: str, subcategory: str, terms: SfiaTerms,
                triples: list[ox.Triple], seen: set[ox.NamedNode], report: LoadReport) -> ox.NamedNode | None:
    """Add the category and subcategory concepts and their link (once each); return the skill's parent."""
    T = ox.Triple
    if not category:
        report.warn(path, f"skill {code} has no category", row=row)
        return None
    top = terms.category(category)
    if top not in seen:
        seen.add(top)
        triples += [T(top, _A, _CONCEPT), T(top, _A, terms.term("Category")),
                    T(top, _n(SKOS.prefLabel), _en(category)), T(top, _n(SKOS.inScheme), terms.scheme),
                    T(top, _n(SKOS.topConceptOf), terms.scheme), T(terms.scheme, _n(SKOS.hasTopConcept), top)]
    sub = terms.category(subcategory) if subcategory else top
    if sub == top:
        return top
    if sub not in seen:
        seen.add(sub)
        triples += [T(sub, _A, _CONCEPT), T(sub, _A, terms.term("Category")),
                    T(sub, _n(SKOS.prefLabel), _en(subcategory)), T(sub, _n(SKOS.inScheme), terms.scheme)]
    triples.append(T(sub, _n(SKOS.broader), top))  # repeated links collapse in the store
    return sub


# -- RDF -----------------------------------------------------------------------------------------

def _read_rdf(path: Path, report: LoadReport, terms: SfiaTerms) -> Iterator[ox.Triple | ox.Quad]:
    """SFIA's RDF as it is, plus mcgraph's terms for its skills, skill levels, categories and levels."""
    items = list(parse_rdf(path))
    report.count("triples read", len(items))
    by_local: dict[str, list[ox.Triple | ox.Quad]] = defaultdict(list)
    types: dict[str, set[ox.NamedNode | ox.BlankNode]] = defaultdict(set)
    values: dict[tuple[str, str], list[Term]] = defaultdict(list)
    sfia_onto = re.compile(r"^https://rdf\.sfia-online\.org/[0-9][0-9A-Za-z.]*/ontology/(\w+)$")
    for q in items:
        p = q.predicate.value
        m = sfia_onto.match(p)
        if m:
            by_local[m.group(1)].append(q)
        if p == str(RDF.type) and isinstance(q.object, ox.NamedNode):
            m = sfia_onto.match(q.object.value)
            if m:
                types[m.group(1)].add(q.subject)
        if p in (str(RDFS.label), str(SKOS.prefLabel), str(SKOS.notation)):
            values[(_key(q.subject), p)].append(q.object)
    skills = types.get("Skill", set())
    if not skills:
        raise SourceFormatError(path, "no SFIA skills in this file (nothing is typed sfia:Skill in an "
                                "https://rdf.sfia-online.org/<version>/ontology/ namespace); is it SFIA's RDF?")
    T = ox.Triple
    out: list[ox.Triple | ox.Quad] = list(items)
    out += list(terms.frame())

    def label(node: Term) -> str | None:
        for p in (str(SKOS.prefLabel), str(RDFS.label)):
            for lit in values.get((_key(node), p), []):
                if isinstance(lit, ox.Literal):
                    return lit.value
        return None

    for skill in sorted(skills, key=_key):
        out += [T(skill, _A, _n(MCG.Skill)), T(skill, _A, _CONCEPT), T(skill, _n(SKOS.inScheme), terms.scheme)]
        if not values.get((_key(skill), str(SKOS.prefLabel))) and label(skill):
            out.append(T(skill, _n(SKOS.prefLabel), _en(label(skill))))  # type: ignore[arg-type]
    for q in by_local.get("skillDescription", []):
        out.append(T(q.subject, _n(SKOS.definition), q.object))
    for q in by_local.get("skillNotes", []):
        out.append(T(q.subject, _n(SKOS.scopeNote), q.object))
    for q in by_local.get("skillCategory", []):
        out.append(T(q.subject, _n(SKOS.broader), q.object))
    categories = types.get("Category", set())
    has_broader = {_key(q.subject) for q in items if q.predicate.value == str(SKOS.broader)}
    for c in sorted(categories, key=_key):
        out += [T(c, _A, _CONCEPT), T(c, _n(SKOS.inScheme), terms.scheme)]
        if _key(c) not in has_broader:
            out += [T(c, _n(SKOS.topConceptOf), terms.scheme), T(terms.scheme, _n(SKOS.hasTopConcept), c)]
    owner = {_key(q.object): q.subject for q in by_local.get("definedAtLevel", [])}
    level_of = {_key(q.subject): q.object for q in by_local.get("level", [])}
    described = {_key(q.subject): q.object for q in by_local.get("skillLevelDescription", [])}
    for node in sorted(types.get("SkillLevel", set()) | {q.object for q in by_local.get("definedAtLevel", [])
                                                         if not isinstance(q.object, ox.Literal)}, key=_key):
        skill = owner.get(_key(node))
        level = _level_number(level_of.get(_key(node)), values)
        if skill is None or level is None:
            report.warn(path, f"skill level <{_key(node)}> has no skill (sfia:definedAtLevel) or no level 1–7 "
                        "(sfia:level); left as it is")
            continue
        description = described.get(_key(node))
        out += list(terms.skill_at_level(skill, node, level, None, None))  # type: ignore[arg-type]
        if description is not None:
            out.append(T(node, _n(SKOS.definition), description))
        if not values.get((_key(node), str(SKOS.prefLabel))) and label(skill):
            out.append(T(node, _n(SKOS.prefLabel), _en(f"{label(skill)} – level {level}")))
        report.count("skills at levels")
    report.count("skills", len(skills))
    report.count("categories", len(categories))
    yield from dict.fromkeys(out)


def _key(term: object) -> str:
    return str(term)


def _level_number(level: object, values: dict[tuple[str, str], list[Term]]) -> int | None:
    """1–7 from a level IRI ending in the number (``…/lor/4``) or from the level's skos:notation."""
    if isinstance(level, ox.Literal):
        text = level.value
    elif isinstance(level, ox.NamedNode):
        text = level.value.rstrip("/").rsplit("/", 1)[-1]
        if not text.isdigit():
            notes = [v for v in values.get((_key(level), str(SKOS.notation)), []) if isinstance(v, ox.Literal)]
            text = notes[0].value if notes else ""
    else:
        return None
    return int(text) if text.isdigit() and 1 <= int(text) <= 7 else None


SOURCE = SfiaSource()
