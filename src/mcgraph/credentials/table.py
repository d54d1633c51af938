"""The tabular catalogue template: CSV and YAML files whose columns follow the Australian Critical
Information Summary (seed 002, Appendix 1), plus skill claims, levels, credits and stacking.

``data/catalog/README.md`` documents every column; :data:`COLUMNS` is the same list as code. One CSV row
(one YAML mapping) is one credential. Multi-valued cells hold one value per line, or values separated by
``;`` when the cell has no line break. A skill claim in a cell reads
``SKILL | KINDS | LEVEL | SCALE | LEVEL_CONCEPT | TAXONOMY`` (trailing parts optional), e.g.
``escoskill:ccd0a1d9-afda-43d9-b901-96344886e14d | taught+assessed | 3 | proficiency-4``.

Reading is all or nothing: every row is parsed and checked (types, ranges, controlled values, skill IRIs
against the store) before the first triple is produced, and the first problem raises
:class:`~mcgraph.errors.SourceFormatError` naming the file, row and field.

>>> [c.name for c in COLUMNS if c.required][:4]
['id', 'title', 'provider', 'description']
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceFormatError
from ..namespaces import MCG, expand_curie
from ..rdf_io import NTriples
from ..sources.tabular import read_rows
from .formats import CredentialFormat
from .model import (
    ASSESSMENT_TYPES,
    CLAIM_KINDS,
    CREDENTIAL_NS,
    CREDIT_SYSTEM_NS,
    DELIVERY_MODES,
    IDENTITY_VERIFICATION,
    JURISDICTION_NS,
    KINDS,
    PROVIDER_NS,
    SCALES,
    SCALES_BY_IRI,
    Assessment,
    Credential,
    CreditValue,
    Provider,
    SkillClaim,
    canonical_decimal,
    catalogue_ntriples,
    compact,
    credential_iri,
    jurisdiction_iri,
    looks_like_iri,
    slugify,
)
from .resolve import Resolver, default_scheme


@dataclass(frozen=True)
class Column:
    """One column of the template: its name, the CIS element it records, type and an example."""

    name: str
    cis: str              # the CIS element (seed 002, Appendix 1), or "" for mcgraph's own columns
    status: str           # "required" / "recommended" (CIS status) or "mcgraph"
    kind: str             # value type, see data/catalog/README.md
    required: bool        # must be present in a CSV header
    example: str
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("id", "", "mcgraph", "identifier", True, "rru-caf-core-1",
           "Catalogue identifier (letters, digits, . _ ~ -), or a full IRI; becomes …/id/credential/<id>"),
    Column("kind", "", "mcgraph", "choice", False, "micro-credential",
           "micro-credential (default) or award (a larger credential others stack into)"),
    Column("title", "Title", "required", "text", True, "Climate Adaptation Fundamentals", "Plain-English title"),
    Column("provider", "Provider", "required", "text", True, "Royal Roads University",
           "Name of the institution delivering the credential"),
    Column("provider_id", "Provider", "required", "identifier", False, "royal-roads-university",
           "Provider identifier or IRI (default: the name, slugified)"),
    Column("description", "Content / description", "required", "text", True, "Two required courses …",
           "Structure and key topics"),
    Column("learning_outcomes", "Learning outcomes", "required", "text list", True,
           "Explain climate adaptation concepts", "Knowledge, skills or competencies acquired; one per line"),
    Column("language", "Language", "required", "language list", True, "en; fr",
           "Language(s) of instruction and assessment, BCP 47 codes"),
    Column("delivery_mode", "Delivery mode", "required", "choice", True, "blended",
           "online, in-person or blended"),
    Column("delivery_note", "Delivery mode", "required", "text", False, "hybrid; synchronous sessions",
           "Synchronous or asynchronous; locations when on site"),
    Column("start_date", "Date of delivery", "required", "date", True, "2025-09-08", "First day (YYYY-MM-DD)"),
    Column("end_date", "Date of delivery", "required", "date", True, "2025-12-12", "Last day (YYYY-MM-DD)"),
    Column("schedule_note", "Date of delivery", "required", "text", False, "self-paced, start any time",
           "Schedule outline, or self-paced"),
    Column("notional_hours", "Learner effort", "required", "hours", True, "27.5",
           "Total volume of learning in hours (≥ 0)"),
    Column("hours_in_person", "Learner effort (i)", "required", "hours", False, "6",
           "In-person contact hours with teaching staff"),
    Column("hours_online_sync", "Learner effort (ii)", "required", "hours", False, "6",
           "Synchronous online contact hours"),
    Column("hours_peer", "Learner effort (iii)", "required", "hours", False, "4", "Peer-to-peer engagement hours"),
    Column("hours_self_study", "Learner effort (iv)", "required", "hours", False, "8",
           "Asynchronous content, reading, viewing"),
    Column("hours_assessment", "Learner effort (v)", "required", "hours", False, "3.5", "Hours spent on assessment"),
    Column("effort_note", "Learner effort", "required", "text", False, "peer work in online forums",
           "Free-text breakdown (e.g. the mode of peer engagement)"),
    Column("duration_weeks", "", "mcgraph", "number", False, "6", "Calendar duration in weeks (≥ 0)"),
    Column("inherent_requirements", "Inherent requirements", "required", "text", True, "a laptop",
           "Resources needed (laptop, software, textbooks …)"),
    Column("price", "Price and financial assistance", "required", "amount", True, "650",
           "Cost to the learner (≥ 0); needs currency"),
    Column("currency", "Price and financial assistance", "required", "currency", False, "CAD",
           "ISO 4217 code of the price"),
    Column("financial_assistance", "Price and financial assistance", "required", "text", True,
           "StrongerBC future skills grant", "Financial assistance the credential qualifies for"),
    Column("assessment_method", "Assessment", "required", "text", True, "practical assessment against outcomes",
           "Method and type of assessment (competency vs proficiency); location if on site"),
    Column("assessment_types", "Assessment", "required", "choice list", False, "project; summative",
           "Any of: " + ", ".join(ASSESSMENT_TYPES)),
    Column("identity_verification", "Assessment", "required", "choice", False, "online-verified",
           "One of: " + ", ".join(IDENTITY_VERIFICATION)),
    Column("certification", "Certification", "required", "text", True, "digital badge",
           "Proof of learning issued on completion"),
    Column("credit_recognition", "Credit / other recognition", "required", "text", True,
           "credit towards the graduate certificate", "Recognition given on completion"),
    Column("credits", "Credit / other recognition", "required", "credit list", False, "5 ects",
           "Credit values: POINTS SYSTEM (system = ects, nzqf, … or an IRI)"),
    Column("quality_assurance", "Quality assurance", "required", "text", True, "institutional QA process",
           "QA statement, regulator, provider codes"),
    Column("prerequisites", "Pre-requisites", "required", "text", True, "none",
           "What must be completed before"),
    Column("expiry", "Expiration of the micro-credential", "recommended", "text", False, "review 2027",
           "When it is due for review"),
    Column("depth_of_learning", "Depth of learning", "recommended", "text", False, "intermediate",
           "Mastery level on completion"),
    Column("jurisdiction", "Jurisdiction", "recommended", "jurisdiction list", False, "CA-BC",
           "Where it is applicable or recognised: ISO 3166 codes (CA-BC, AU, IE, EU) or IRIs"),
    Column("industry_support", "Industry support", "recommended", "text", False, "developed with employers",
           "Statement of industry support"),
    Column("stacks_into", "Stackability", "recommended", "credential list", False, "rru-caf-certificate",
           "Credentials (ids in the file, or IRIs) this one stacks into"),
    Column("stackability_note", "Stackability", "recommended", "text", False, "2 + 2 + 2 pathway",
           "Free-text stacking description"),
    Column("industry", "Industry / occupation", "recommended", "text", False, "public administration",
           "Industries the credential sits within"),
    Column("occupations", "Industry / occupation", "recommended", "IRI list", False,
           "escoocc:b4bf7ec1-4e7d-4ee6-b4c4-9e8f4a7d6ecb", "Occupations it leads to (ESCO, OaSIS … IRIs)"),
    Column("industry_alignment", "Industry alignment", "recommended", "text", False,
           "Climate Adaptation Competency Framework", "Industry competency frameworks it aligns to"),
    Column("levels", "", "mcgraph", "IRI list", False, "eqf:6; https://training.gov.au/aqfLevel/7",
           "Qualification levels (EQF, NFQ, … level IRIs)"),
    Column("skill_claims", "", "mcgraph", "skill claim list", False,
           "escoskill:… | taught+assessed | 3 | proficiency-4",
           "SKILL | KINDS | LEVEL | SCALE | LEVEL_CONCEPT | TAXONOMY, one per line"),
    Column("conforms_to", "", "mcgraph", "IRI list", False, "mcgid:framework/ecmf",
           "Micro-credential frameworks the provider claims conformance to"),
    Column("illustrative", "", "mcgraph", "boolean", False, "true",
           "true when modelled on a public example for illustration"),
    Column("source", "", "mcgraph", "source list", False, "seed 002, British Columbia, RRU",
           "Where the facts come from: URLs or citations"),
    Column("note", "", "mcgraph", "text list", False, "hours are an illustrative assumption",
           "Notes (e.g. which values are assumptions)"),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)

_COLUMN_SET = frozenset(COLUMN_NAMES)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_JURISDICTION = re.compile(r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n"}

#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula, or it is an already escaped one (``'=…``)."""
    return text[:1] in FORMULA_STARTS or (text[:1] == "'" and _formula_like(text[1:]))


def escape_formula(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ``=``, ``+``, ``-``, ``@``, tab or CR gets a ``'``
    before it, as OWASP advises; :func:`unescape_formula` undoes it, so the file still loads back.

    >>> escape_formula("=SUM(A1)"), escape_formula("'-1"), escape_formula("plain")
    ("'=SUM(A1)", "''-1", 'plain')
    """
    return "'" + text if _formula_like(text) else text


def unescape_formula(text: str) -> str:
    """The inverse of :func:`escape_formula` (a cell read from a template CSV)."""
    return text[1:] if text[:1] == "'" and _formula_like(text[1:]) else text


# -- reading --------------------------------------------------------------------------------------

class _Cell:
    """Error context for one value: file, row (and YAML line), field."""

    def __init__(self, path: Path, row: int, line: int | None, field: str) -> None:
        self.path, self.row, self.line, self.field = path, row, line, field

    def fail(self, reason: str) -> SourceFormatError:
        return SourceFormatError(self.path, reason, row=self.row, line=self.line, field=self.field)


def split_items(raw: object) -> list[str]:
    """The values of a multi-valued cell: one per line if the cell has a line break, else split on ``;``.

    >>> split_items("en; fr"), split_items("a; b\\n"), split_items(["x", 2])
    (['en', 'fr'], ['a; b'], ['x', '2'])
    """
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        return [s for s in (_text(v) for v in raw) if s]
    if isinstance(raw, str):
        text: str | None = raw.replace("\r\n", "\n").replace("\r", "\n")
    else:
        text = _text(raw)
    if text is None:
        return []
    parts = text.split("\n") if "\n" in text else text.split(";")
    return [p.strip() for p in parts if p.strip()]


def join_items(values: Sequence[str]) -> str:
    """The inverse of :func:`split_items` for a CSV cell."""
    if not values:
        return ""
    if len(values) == 1:
        return values[0] + ("\n" if ";" in values[0] or "\n" in values[0] else "")
    if any(";" in v for v in values):
        return "\n".join(values)
    return "; ".join(values)


def _text(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, float):
        return repr(raw)
    if isinstance(raw, (int, Decimal, str)):
        text = str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
        return text or None
    raise TypeError(type(raw).__name__)


def parse_iri(text: str, cell: _Cell, what: str = "IRI") -> str:
    """An absolute IRI from ``<…>``, ``prefix:local`` (known prefixes) or a plain absolute IRI."""
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    expanded = expand_curie(value)
    if expanded is not None:
        value = expanded
    if not _SCHEME.match(value) or _IRI_FORBIDDEN.search(value) or value.endswith(":"):
        raise cell.fail(f"{text!r} is not an {what}: give a full IRI (https://…) or a known prefix such as "
                        "escoskill:, eqf:, mcgid:")
    if value.split(":", 1)[0].lower() not in ("http", "https", "urn") and expand_curie(text.strip()) is None:
        raise cell.fail(f"{text!r} is not an {what}: unknown prefix {value.split(':', 1)[0]!r}; use a full "
                        "IRI or one of the prefixes `mcgraph` knows (escoskill, escoocc, eqf, mcgid, oasis …)")
    return value


def _decimal(text: str, cell: _Cell, *, what: str = "number") -> Decimal:
    try:
        value = Decimal(text.replace("_", "x"))
    except InvalidOperation:
        raise cell.fail(f"{text!r} is not a {what}") from None
    if not value.is_finite():
        raise cell.fail(f"{text!r} is not a finite {what}")
    if value < 0:
        raise cell.fail(f"{what} must not be negative, got {text}")
    if abs(value) >= Decimal("1e12"):
        raise cell.fail(f"{what} {text} is implausibly large")
    return value


def _single(raw: object, cell: _Cell) -> str | None:
    if isinstance(raw, (list, tuple, dict)):
        raise cell.fail("expects a single value, not a list or mapping")
    try:
        return _text(raw)
    except TypeError as exc:
        raise cell.fail(f"unexpected value of type {exc}") from None


def _list(raw: object, cell: _Cell) -> list[str]:
    if isinstance(raw, dict):
        raise cell.fail("expects a value or a list, not a mapping")
    try:
        return split_items(raw)
    except TypeError as exc:
        raise cell.fail(f"unexpected value of type {exc}") from None


def _choice(text: str, options: Mapping[str, str], cell: _Cell, what: str) -> str:
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    if key in options:
        return options[key]
    if text in options.values():
        return text
    expanded = expand_curie(text)
    if expanded in options.values():
        return expanded  # type: ignore[return-value]
    raise cell.fail(f"unknown {what} {text!r}; use one of {', '.join(options)}")


@dataclass
class _Draft:
    """A credential's fields as parsed from one row, before the checks against the store (which fill in
    ``stacks_into`` and the claims' taxonomies); the Credential is made once, by :func:`_checked`."""

    values: dict[str, Any]
    row: int
    line: int | None
    stacks: list[str]
    record: Mapping[str, Any]


def parse_record(record: Mapping[str, Any], path: Path, row: int, line: int | None = None,
                 level_name: Callable[[str], str | None] | None = None) -> _Draft:
    """One credential from one row (CSV) or mapping (YAML); raises naming ``path``, ``row`` and field.

    ``level_name`` turns a level short name (``nfq:8``) into its IRI (:meth:`Resolver.level_iri`).
    """
    unknown = [k for k in record if k not in _COLUMN_SET]
    if unknown:
        raise _Cell(path, row, line, str(unknown[0])).fail(
            f"unknown column {unknown[0]!r}; the template's columns are {', '.join(COLUMN_NAMES)}")

    def cell(name: str) -> _Cell:
        return _Cell(path, row, line, name)

    def one(name: str) -> str | None:
        raw = record.get(name)
        if raw is None or raw == "":
            return None
        if type(raw) is str and "\r" not in raw:  # the common case (every CSV cell), without the checks below
            return raw.strip() or None
        return _single(raw, cell(name))

    def items(name: str) -> list[str]:
        raw = record.get(name)
        if raw is None or raw == "":
            return []
        return _list(raw, cell(name))

    def hours(name: str) -> Decimal | None:
        text = one(name)
        return None if text is None else _decimal(text, cell(name), what="hours")

    ident = one("id")
    if ident is None:
        raise cell("id").fail("every credential needs an id")
    if _ID.match(ident):
        iri = credential_iri(ident)
    elif looks_like_iri(ident):
        iri = ident
    else:
        raise cell("id").fail(f"id {ident!r} must be letters, digits and . _ ~ - (or a full IRI)")
    title = one("title")
    if title is None:
        raise cell("title").fail("every credential needs a title")
    kind_text = one("kind") or "micro-credential"
    if kind_text.lower() not in KINDS:
        raise cell("kind").fail(f"unknown kind {kind_text!r}; use micro-credential or award")

    provider = None
    name, pid = one("provider"), one("provider_id")
    if name or pid:
        if pid is None:
            piri = PROVIDER_NS + slugify(name or "")
        elif _ID.match(pid):
            piri = PROVIDER_NS + pid
        else:
            piri = parse_iri(pid, cell("provider_id"))
        provider = Provider(piri, name)

    languages = items("language")
    for lang in languages:
        if not _LANG.match(lang):
            raise cell("language").fail(f"{lang!r} is not a language code (BCP 47, e.g. en, fr-CA)")

    delivery = one("delivery_mode")
    start, end = _date(one("start_date"), cell("start_date")), _date(one("end_date"), cell("end_date"))
    if start and end and end < start:
        raise cell("end_date").fail(f"end date {end} is before start date {start}")

    price, currency = one("price"), one("currency")
    price_value = None if price is None else _decimal(price, cell("price"), what="price")
    if currency is not None and not _CURRENCY.match(currency):
        raise cell("currency").fail(f"{currency!r} is not an ISO 4217 currency code (e.g. CAD, AUD, EUR)")
    if price_value is not None and currency is None:
        raise cell("currency").fail(f"price {price} is given without a currency")

    method = one("assessment_method")
    types = tuple(sorted({_choice(t, ASSESSMENT_TYPES, cell("assessment_types"), "assessment type")
                          for t in items("assessment_types")}))
    identity = one("identity_verification")
    identity_iri = None if identity is None else _choice(identity, IDENTITY_VERIFICATION,
                                                         cell("identity_verification"), "identity verification")
    assessments = (Assessment(method, types, identity_iri),) if (method or types or identity_iri) else ()

    credits = tuple(_credit(v, cell("credits")) for v in _credit_items(record.get("credits"), cell("credits")))
    systems = [c.system for c in credits]
    if len(systems) != len(set(systems)):
        raise cell("credits").fail("the same credit system is given twice")

    jurisdictions = []
    for j in items("jurisdiction"):
        jurisdictions.append(jurisdiction_iri(j.upper()) if _JURISDICTION.match(j)
                             else parse_iri(j, cell("jurisdiction"), "ISO 3166 code or IRI"))

    illustrative_text = one("illustrative")
    illustrative = None
    if illustrative_text is not None:
        if illustrative_text.lower() not in _TRUE | _FALSE:
            raise cell("illustrative").fail(f"{illustrative_text!r} is not true or false")
        illustrative = illustrative_text.lower() in _TRUE

    claims = tuple(_claim(v, cell("skill_claims")) for v in _claim_items(record.get("skill_claims"),
                                                                         cell("skill_claims")))
    seen: set[str] = set()
    for cl in claims:
        if cl.skill in seen:
            raise cell("skill_claims").fail(f"skill <{cl.skill}> is claimed twice; give one claim with both "
                                            "kinds (taught+assessed)")
        seen.add(cl.skill)

    sources = []
    for s in items("source"):
        sources.append(s if not (s.startswith("<") or looks_like_iri(s) or expand_curie(s))
                       else parse_iri(s, cell("source")))

    values = dict(
        iri=iri, title=title, kind=kind_text.lower(), provider=provider,
        description=one("description"), learning_outcomes=tuple(items("learning_outcomes")),
        languages=tuple(dict.fromkeys(languages)),
        delivery_mode=None if delivery is None else _choice(delivery, DELIVERY_MODES, cell("delivery_mode"),
                                                             "delivery mode"),
        delivery_note=one("delivery_note"), start_date=start, end_date=end, schedule_note=one("schedule_note"),
        notional_hours=hours("notional_hours"), hours_in_person=hours("hours_in_person"),
        hours_online_sync=hours("hours_online_sync"), hours_peer=hours("hours_peer"),
        hours_self_study=hours("hours_self_study"), hours_assessment=hours("hours_assessment"),
        effort_note=one("effort_note"),
        duration_weeks=None if one("duration_weeks") is None else _decimal(
            one("duration_weeks") or "", cell("duration_weeks"), what="duration in weeks"),
        inherent_requirements=one("inherent_requirements"), price=price_value, currency=currency,
        financial_assistance=one("financial_assistance"), assessments=assessments,
        certification=one("certification"), credit_recognition=one("credit_recognition"), credits=credits,
        quality_assurance=one("quality_assurance"), prerequisites=one("prerequisites"), expiry=one("expiry"),
        depth_of_learning=one("depth_of_learning"), jurisdictions=tuple(sorted(set(jurisdictions))),
        industry_support=one("industry_support"), stackability_note=one("stackability_note"),
        industry=one("industry"),
        occupations=tuple(sorted({parse_iri(o, cell("occupations")) for o in items("occupations")})),
        industry_alignment=one("industry_alignment"),
        levels=tuple(sorted({_level(v, cell("levels"), level_name) for v in items("levels")})),
        skill_claims=claims,
        conforms_to=tuple(sorted({parse_iri(v, cell("conforms_to"), "framework IRI")
                                  for v in items("conforms_to")})),
        illustrative=illustrative, sources=tuple(sorted(set(sources))), notes=tuple(sorted(set(items("note")))),
    )
    return _Draft(values, row, line, items("stacks_into"), record)


_LEVEL_NAME = re.compile(r"^\s*([A-Za-z][\w-]*)\s*:\s*(\d+)\s*$")


def _level(text: str, cell: _Cell, level_name: Callable[[str], str | None] | None) -> str:
    """A level IRI from an IRI, a known prefix (``eqf:6``) or a framework short name and number (``nfq:8``),
    the last as ``mcgraph crosswalk level`` reads it."""
    if expand_curie(text.strip()) is None and _LEVEL_NAME.match(text):
        found = level_name(text) if level_name is not None else None
        if found is not None:
            return found
        if level_name is None:
            raise cell.fail(f"{text!r} names a level by framework short name, which needs the frameworks loaded "
                            "(`mcgraph build`); or give the level IRI")
        raise cell.fail(f"{text!r} is not a level of a loaded qualification framework (`mcgraph frameworks` "
                        "lists them; write FRAMEWORK:NUMBER, e.g. nfq:8, or the level IRI)")
    return parse_iri(text, cell, "level IRI")


def _date(text: str | None, cell: _Cell) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise cell.fail(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _credit_items(raw: object, cell: _Cell) -> list[str | Mapping[str, Any]]:
    if isinstance(raw, list):
        return [v if isinstance(v, dict) else _single(v, cell) or "" for v in raw if v not in (None, "")]
    return list(_list(raw, cell))


def _credit(value: str | Mapping[str, Any], cell: _Cell) -> CreditValue:
    if isinstance(value, Mapping):
        extra = set(value) - {"points", "system"}
        if extra or "points" not in value or "system" not in value:
            raise cell.fail("a credit value mapping needs exactly 'points' and 'system'")
        points_text, system_text = _single(value["points"], cell), _single(value["system"], cell)
    else:
        parts = value.split()
        if len(parts) != 2:
            raise cell.fail(f"credit value {value!r} must read POINTS SYSTEM, e.g. '5 ects'")
        points_text, system_text = parts
    if points_text is None or system_text is None:
        raise cell.fail("a credit value needs points and a system")
    points = _decimal(points_text, cell, what="credit points")
    system = CREDIT_SYSTEM_NS + system_text.lower() if _ID.match(system_text) else parse_iri(
        system_text, cell, "credit system")
    return CreditValue(points, system)


def _claim_items(raw: object, cell: _Cell) -> list[str | Mapping[str, Any]]:
    if isinstance(raw, list):
        out: list[str | Mapping[str, Any]] = []
        for v in raw:
            if isinstance(v, dict):
                out.append(v)
            elif v not in (None, ""):
                text = _single(v, cell)
                if text:
                    out.append(text)
        return out
    return list(_list(raw, cell))


_CLAIM_KEYS = ("skill", "kinds", "level", "scale", "level_concept", "taxonomy")


def _claim(value: str | Mapping[str, Any], cell: _Cell) -> SkillClaim:
    if isinstance(value, Mapping):
        extra = [k for k in value if k not in _CLAIM_KEYS]
        if extra:
            raise cell.fail(f"unknown key {extra[0]!r} in a skill claim; keys: {', '.join(_CLAIM_KEYS)}")
        kinds_raw = value.get("kinds")
        parts = [_single(value.get("skill"), cell) or "",
                 "+".join(_list(kinds_raw, cell)) if isinstance(kinds_raw, list) else _single(kinds_raw, cell) or "",
                 *(_single(value.get(k), cell) or "" for k in _CLAIM_KEYS[2:])]
    else:
        parts = [p.strip() for p in value.split("|")]
        if len(parts) > len(_CLAIM_KEYS):
            raise cell.fail(f"skill claim {value!r} has {len(parts)} parts; expected at most "
                            "SKILL | KINDS | LEVEL | SCALE | LEVEL_CONCEPT | TAXONOMY")
        parts += [""] * (len(_CLAIM_KEYS) - len(parts))
    skill_text, kinds_text, level_text, scale_text, concept_text, taxonomy_text = parts
    if not skill_text:
        raise cell.fail("a skill claim needs a skill IRI")
    skill = parse_iri(skill_text, cell, "skill IRI")
    kinds: set[str] = set()
    for k in re.split(r"[+,\s]+", kinds_text.lower()) if kinds_text else ["both"]:
        if k == "both":
            kinds |= set(CLAIM_KINDS)
        elif k in CLAIM_KINDS:
            kinds.add(k)
        elif k:
            raise cell.fail(f"unknown claim kind {k!r} for <{skill}>; use taught, assessed or taught+assessed")
    level = _decimal(level_text, cell, what="skill level") if level_text else None
    scale = None
    if scale_text:
        scale = SCALES[scale_text.lower()].iri if scale_text.lower() in SCALES else parse_iri(
            scale_text, cell, f"rating scale (one of {', '.join(SCALES)}) or IRI")
    if level is not None and scale is None:
        raise cell.fail(f"level {level_text} of <{skill}> needs a scale (one of {', '.join(SCALES)}, or an IRI)")
    if level is not None and scale in SCALES_BY_IRI:
        s = SCALES_BY_IRI[scale]
        if not s.minimum <= level <= s.maximum:
            raise cell.fail(f"level {level_text} of <{skill}> is outside the {s.name} scale "
                            f"({canonical_decimal(s.minimum)}-{canonical_decimal(s.maximum)})")
    concept = parse_iri(concept_text, cell, "level concept IRI") if concept_text else None
    taxonomy = parse_iri(taxonomy_text, cell, "taxonomy (concept scheme) IRI") if taxonomy_text else None
    return SkillClaim(skill, frozenset(kinds), level, concept, scale, taxonomy)


# -- files ----------------------------------------------------------------------------------------

def _csv_records(path: Path) -> Iterator[tuple[int, int | None, dict[str, str]]]:
    # read as the rows are (an undecodable byte is still reported with its own row and offset)
    for row, record in read_rows(path, encoding="utf-8-sig", check_header=lambda header: _check_header(path, header)):
        if any(v.strip() for v in record.values()):
            yield row, None, {k: unescape_formula(v) for k, v in record.items()}


def _check_header(path: Path, header: list[str]) -> None:
    """The template's columns: every required one, no unknown or repeated one."""
    for name in REQUIRED_COLUMNS:
        if name not in header:
            raise SourceFormatError(path, f"missing required column {name!r} (see data/catalog/README.md; "
                                    "the column may be empty but must be there)", row=1, field=name)
    for name in header:
        if name not in COLUMN_NAMES:
            raise SourceFormatError(path, f"unknown column {name!r}; the template's columns are "
                                    f"{', '.join(COLUMN_NAMES)}", row=1, field=name or "(empty header)")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise SourceFormatError(path, f"column {dupes[0]!r} appears twice", row=1, field=dupes[0])


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line of every mapping (as key ``__line__``)."""


def _mapping_with_line(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[str, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (str, int, float, bool)) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} in one mapping (the later value would silently replace the "
                "earlier)", key_node.start_mark)
        if isinstance(key, (str, int, float, bool)):
            seen.add(key)
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _yaml_records(path: Path) -> Iterator[tuple[int, int | None, dict[str, Any]]]:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_LineLoader)  # noqa: S506 (safe loader)
    except UnicodeDecodeError as exc:
        raise SourceFormatError(path, f"not valid UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceFormatError(path, f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                                line=mark.line + 1 if mark else None) from exc
    except (OSError, ValueError, TypeError, RecursionError) as exc:
        raise SourceFormatError(path, f"cannot read the file: {exc}") from exc
    if isinstance(doc, dict):
        if set(doc) - {"credentials", "__line__"}:
            extra = sorted(k for k in doc if k not in ("credentials", "__line__"))[0]
            raise SourceFormatError(path, f"unexpected top-level key {extra!r}; a catalogue is a mapping with "
                                    "one key 'credentials' holding a list", line=doc.get("__line__"),
                                    field=str(extra))
        records = doc.get("credentials")
    else:
        records = doc
    if records is None:
        return
    if not isinstance(records, list):
        raise SourceFormatError(path, "'credentials' must be a list of credentials (mappings)", line=1)
    for n, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise SourceFormatError(path, f"credential {n} is not a mapping of column: value", row=n)
        line = record.pop("__line__", None)
        for value in record.values():
            _strip_lines(value)
        yield n, line, {str(k): v for k, v in record.items()}


def _strip_lines(value: Any) -> None:
    if isinstance(value, dict):
        value.pop("__line__", None)
        for v in value.values():
            _strip_lines(v)
    elif isinstance(value, list):
        for v in value:
            _strip_lines(v)


def _records(path: Path) -> Iterator[tuple[int, int | None, Mapping[str, Any]]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _csv_records(path)
    elif suffix in (".yaml", ".yml"):
        yield from _yaml_records(path)
    else:
        raise SourceFormatError(path, f"a catalogue table is .csv, .yaml or .yml, not {suffix or 'no suffix'!r}")


def iter_checked(path: str | Path, resolver: Resolver | None = None) -> Iterator[Credential]:
    """Parse and check the credentials of a CSV/YAML catalogue one at a time, as they are read.

    Nothing is held for the whole catalogue but the identifiers seen (for duplicate ids and ``stacks_into``
    references to credentials further down the file, checked when the file ends). A problem raises
    :class:`SourceFormatError`: a consumer that writes only after the iterator is exhausted (as
    :meth:`GraphStore.write_graph` does) stays all or nothing. ``resolver.unchecked`` is set at the end.
    """
    path = Path(path)
    resolver = resolver or Resolver(None)
    rows: dict[str, int] = {}
    pending: list[tuple[str, int, int | None]] = []  # (stacks_into reference, row, line) not yet seen
    unchecked: set[str] = set()
    for row, line, record in _records(path):
        d = parse_record(record, path, row, line, resolver.level_iri if resolver.checking else None)
        iri = d.values["iri"]
        if iri in rows:
            ident = iri[len(CREDENTIAL_NS):] if iri.startswith(CREDENTIAL_NS) else iri
            raise _Cell(path, row, line, "id").fail(f"id {ident!r} is used twice (first in row {rows[iri]})")
        rows[iri] = row
        yield _checked(d, path, resolver, rows, pending, unchecked)
    for ref, row, line in pending:
        if credential_iri(ref) not in rows:
            raise _Cell(path, row, line, "stacks_into").fail(
                f"stacks into {ref!r}, which is neither an id in this file nor a loaded credential; give its id "
                "or IRI")
    resolver.unchecked = sorted(unchecked)


_QUALIFICATION_LEVEL, _CREDIT_SYSTEM, _FRAMEWORK = (
    str(MCG.QualificationLevel), str(MCG.CreditSystem), str(MCG.MicroCredentialFramework))


def _checked(d: _Draft, path: Path, resolver: Resolver, rows: Mapping[str, int],
             pending: list[tuple[str, int, int | None]], unchecked: set[str]) -> Credential:
    """One parsed credential checked against the store (and the ids read so far)."""
    cell = _Cell(path, d.row, d.line, "stacks_into")
    targets = []
    for ref in d.stacks:
        if _ID.match(ref):
            target = credential_iri(ref)
            if target not in rows and not (resolver.checking and resolver.known(target)):
                pending.append((ref, d.row, d.line))
        else:
            target = parse_iri(ref, cell, "credential id or IRI")
        if target == d.values["iri"]:
            raise cell.fail("a credential cannot stack into itself")
        targets.append(target)
    claims = []
    for n, claim in enumerate(d.values["skill_claims"], start=1):
        if not resolver.checking:
            claims.append(claim)
            continue
        ccell = _Cell(path, d.row, d.line, "skill_claims")
        if not resolver.known(claim.skill):
            raise ccell.fail(f"claim {n}: {resolver.why_unknown(claim.skill)}")
        if claim.level is not None and claim.scale is not None and claim.scale not in SCALES_BY_IRI:
            bounds = resolver.scale_range(claim.scale)
            if bounds is None:
                raise ccell.fail(f"claim {n}: unknown rating scale <{claim.scale}>; use one of "
                                 f"{', '.join(SCALES)} or the IRI of a loaded mcg:RatingScale")
            if not bounds[0] <= claim.level <= bounds[1]:
                raise ccell.fail(f"claim {n}: level {canonical_decimal(claim.level)} is outside "
                                 f"<{claim.scale}> ({canonical_decimal(bounds[0])}-{canonical_decimal(bounds[1])})")
        taxonomy = claim.taxonomy or resolver.scheme_of(claim.skill)
        claims.append(claim if taxonomy == claim.taxonomy else SkillClaim(
            claim.skill, claim.kinds, claim.level, claim.level_concept, claim.scale, taxonomy))
    if resolver.checking:
        for occ in d.values["occupations"]:
            if not resolver.known(occ):
                raise _Cell(path, d.row, d.line, "occupations").fail(resolver.why_unknown(occ, "occupation"))
        for field, values, cls, what in (
                ("levels", d.values["levels"], _QUALIFICATION_LEVEL, "qualification level"),
                ("credits", [c.system for c in d.values["credits"]], _CREDIT_SYSTEM, "credit system"),
                ("conforms_to", d.values["conforms_to"], _FRAMEWORK, "micro-credential framework")):
            if not values:
                continue
            if not resolver.class_loaded(cls):
                unchecked.add(what)
                continue
            for v in values:
                if not resolver.known(v):
                    raise _Cell(path, d.row, d.line, field).fail(
                        f"<{v}> is not a {what} in the loaded frameworks (data/frameworks/, loaded by "
                        "`mcgraph build`); check the IRI or name")
    d.values["skill_claims"] = tuple(claims)
    return Credential(**d.values, stacks_into=tuple(sorted(set(targets))))


def read_credentials(path: str | Path, resolver: Resolver | None = None) -> list[Credential]:
    """Parse and check every credential of a CSV/YAML catalogue; raises on the first problem.

    With a ``resolver`` (a store), skill and occupation IRIs must be loaded, and ``stacks_into`` may name
    credentials already in the store. (:func:`iter_checked` does the same one credential at a time.)
    """
    return list(iter_checked(path, resolver))


def read_table(path: Path, report: Any) -> Iterator[NTriples]:
    """The ``table`` format's reader: yields the triples of each credential as it is read and checked, as
    N-Triples text (one block per credential: :func:`~mcgraph.credentials.model.catalogue_ntriples`).

    A bad row raises while the store is still consuming the triples, before it writes anything.
    """
    report.add_file(path)
    resolver = Resolver(getattr(report, "store", None))
    if not resolver.checking:
        report.warn(path, "skill and occupation IRIs were not checked: no store to look them up in")
    counted = _Counted(iter_checked(path, resolver))
    yield from catalogue_ntriples(counted)
    for what in resolver.unchecked:
        report.warn(path, f"{what} IRIs were not checked: no {what}s are loaded (`mcgraph build` loads the frameworks)")
    report.count("credentials", counted.credentials)
    report.count("skill claims", counted.claims)


class _Counted:
    """Pass credentials through, counting them and their skill claims."""

    def __init__(self, credentials: Iterable[Credential]) -> None:
        self._credentials = credentials
        self.credentials = self.claims = 0

    def __iter__(self) -> Iterator[Credential]:
        for cred in self._credentials:
            self.credentials += 1
            self.claims += len(cred.skill_claims)
            yield cred


def _sniff(path: Path, head: str) -> bool:
    first = head.split("\n", 1)[0]
    return ("title" in first and "provider" in first and "," in first) or "credentials:" in head


FORMAT = CredentialFormat("table", (".csv", ".yaml", ".yml"), _sniff, read_table,
                          title="mcgraph catalogue template (CSV or YAML, CIS columns)")


def columns_markdown() -> str:
    """The column table of ``data/catalog/README.md`` (a test keeps the README in step with :data:`COLUMNS`)."""
    lines = ["| column | CIS element (seed 002, App. 1) | CIS status | CSV header | type | meaning | example |",
             "|---|---|---|---|---|---|---|"]
    for c in COLUMNS:
        status = {"required": "required", "recommended": "recommended", "mcgraph": "—"}[c.status]
        lines.append(f"| `{c.name}` | {c.cis or '(mcgraph)'} | {status} | "
                     f"{'**must be present**' if c.required else 'optional'} | {c.kind} | "
                     f"{c.help.replace('|', chr(92) + '|')} | `{c.example.replace('|', chr(92) + '|')}` |")
    return "\n".join(lines) + "\n"


# -- writing --------------------------------------------------------------------------------------

def _word(iri: str | None, options: Mapping[str, str]) -> str | None:
    if iri is None:
        return None
    for k, v in options.items():
        if v == iri:
            return k
    return iri


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else canonical_decimal(value)


def claim_text(claim: SkillClaim) -> str:
    """A skill claim in the compact cell syntax."""
    scale = claim.scale
    scale_text = SCALES_BY_IRI[scale].name if scale in SCALES_BY_IRI else (compact(scale) if scale else "")
    kinds = "+".join(k for k in CLAIM_KINDS if k in claim.kinds)
    taxonomy = claim.taxonomy if claim.taxonomy and claim.taxonomy != default_scheme(claim.skill) else None
    parts = [compact(claim.skill), kinds, _dec(claim.level) or "", scale_text,
             compact(claim.level_concept) if claim.level_concept else "", compact(taxonomy) if taxonomy else ""]
    while parts and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


def to_record(cred: Credential) -> dict[str, Any]:
    """A credential as a template record: column → text, or list of texts for multi-valued columns."""
    provider_id = None
    if cred.provider is not None:
        default = PROVIDER_NS + slugify(cred.provider.name or "")
        if cred.provider.iri != default:
            provider_id = (cred.provider.iri[len(PROVIDER_NS):] if cred.provider.iri.startswith(PROVIDER_NS)
                           else cred.provider.iri)
    a = cred.assessments[0] if cred.assessments else Assessment()
    if len(cred.assessments) > 1:  # the template has one assessment: merge
        a = Assessment("\n".join(x.method for x in cred.assessments if x.method) or None,
                       tuple(sorted({t for x in cred.assessments for t in x.types})),
                       next((x.identity_verification for x in cred.assessments if x.identity_verification), None))
    def credit_text(cv: CreditValue) -> str:
        system = cv.system[len(CREDIT_SYSTEM_NS):] if cv.system.startswith(CREDIT_SYSTEM_NS) else compact(cv.system)
        return f"{canonical_decimal(cv.points)} {system}"

    def jurisdiction_text(iri: str) -> str:
        return iri[len(JURISDICTION_NS):] if iri.startswith(JURISDICTION_NS) else compact(iri)

    def credential_ref(iri: str) -> str:
        return iri[len(CREDENTIAL_NS):] if iri.startswith(CREDENTIAL_NS) else iri

    return {
        "id": cred.identifier,
        "kind": cred.kind,
        "title": cred.title,
        "provider": cred.provider.name if cred.provider else None,
        "provider_id": provider_id,
        "description": cred.description,
        "learning_outcomes": list(cred.learning_outcomes),
        "language": list(cred.languages),
        "delivery_mode": _word(cred.delivery_mode, DELIVERY_MODES),
        "delivery_note": cred.delivery_note,
        "start_date": cred.start_date.isoformat() if cred.start_date else None,
        "end_date": cred.end_date.isoformat() if cred.end_date else None,
        "schedule_note": cred.schedule_note,
        "notional_hours": _dec(cred.notional_hours),
        "hours_in_person": _dec(cred.hours_in_person),
        "hours_online_sync": _dec(cred.hours_online_sync),
        "hours_peer": _dec(cred.hours_peer),
        "hours_self_study": _dec(cred.hours_self_study),
        "hours_assessment": _dec(cred.hours_assessment),
        "effort_note": cred.effort_note,
        "duration_weeks": _dec(cred.duration_weeks),
        "inherent_requirements": cred.inherent_requirements,
        "price": _dec(cred.price),
        "currency": cred.currency,
        "financial_assistance": cred.financial_assistance,
        "assessment_method": a.method,
        "assessment_types": [_word(t, ASSESSMENT_TYPES) or t for t in a.types],
        "identity_verification": _word(a.identity_verification, IDENTITY_VERIFICATION),
        "certification": cred.certification,
        "credit_recognition": cred.credit_recognition,
        "credits": [credit_text(cv) for cv in cred.credits],
        "quality_assurance": cred.quality_assurance,
        "prerequisites": cred.prerequisites,
        "expiry": cred.expiry,
        "depth_of_learning": cred.depth_of_learning,
        "jurisdiction": [jurisdiction_text(j) for j in cred.jurisdictions],
        "industry_support": cred.industry_support,
        "stacks_into": [credential_ref(s) for s in cred.stacks_into],
        "stackability_note": cred.stackability_note,
        "industry": cred.industry,
        "occupations": [compact(o) for o in cred.occupations],
        "industry_alignment": cred.industry_alignment,
        "levels": [compact(v) for v in cred.levels],
        "skill_claims": [claim_text(c) for c in cred.skill_claims],
        "conforms_to": [compact(v) for v in cred.conforms_to],
        "illustrative": None if cred.illustrative is None else ("true" if cred.illustrative else "false"),
        "source": list(cred.sources),
        "note": list(cred.notes),
    }


def write_csv(credentials: Iterable[Credential], output: Path | None = None) -> bytes:
    """The credentials as a template CSV (every column, in template order); cells a spreadsheet would run as a
    formula are escaped (:func:`escape_formula`).

    With ``output`` the rows are streamed to that file (and ``b""`` is returned); otherwise the bytes.
    """
    def rows(writer: Any) -> None:
        writer.writerow(COLUMN_NAMES)
        for cred in credentials:
            record = to_record(cred)
            writer.writerow([escape_formula(join_items(v) if isinstance(v, list) else (v or "")) for v in
                             (record[c] for c in COLUMN_NAMES)])

    if output is not None:
        with Path(output).open("w", encoding="utf-8", newline="") as fh:
            rows(csv.writer(fh, lineterminator="\r\n"))
        return b""
    buffer = io.StringIO(newline="")
    rows(csv.writer(buffer, lineterminator="\r\n"))
    return buffer.getvalue().encode("utf-8")


def write_yaml(credentials: Iterable[Credential], output: Path | None = None) -> bytes:
    """The credentials as a template YAML file (empty columns left out)."""
    records = []
    for cred in credentials:
        record = {k: v for k, v in to_record(cred).items() if v not in (None, [], "")}
        records.append(record)
    text = yaml.safe_dump({"credentials": records}, sort_keys=False, allow_unicode=True, width=110)
    data = text.encode("utf-8")
    if output is not None:
        Path(output).write_bytes(data)
    return data


__all__ = [
    "COLUMNS", "COLUMN_NAMES", "FORMAT", "FORMULA_STARTS", "REQUIRED_COLUMNS", "Column", "claim_text",
    "escape_formula", "join_items", "unescape_formula",
    "iter_checked", "parse_record", "read_credentials", "read_table", "split_items", "to_record", "write_csv", "write_yaml",
]
