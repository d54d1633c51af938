"""A spreadsheet taxonomy (CSV) plus a small YAML mapping file → a SKOS concept scheme, no Python needed.

``mcgraph load csv-taxonomy mapping.yaml`` reads the mapping, checks it against the CSV's header, turns every
row into a concept, and runs the SKOS integrity checks (:mod:`mcgraph.checks.skos`) on the result. The
mapping (see ``docs/custom-taxonomy.md`` for a worked example)::

    csv: digital-skills.csv              # the spreadsheet, relative to this file
    encoding: utf-8                      # default utf-8 (a byte-order mark is skipped)
    delimiter: ","                       # default ","
    version: "2025.1"                    # optional; graph = csv-taxonomy/<csv stem>/<version>
    strict: true                         # SKOS integrity errors stop the load (default false: warnings)
    base: https://example.org/digital-skills/    # concept IRI = base + id (percent-encoded)
    language: en                         # default language of labels and definitions
    scheme:
      iri: https://example.org/digital-skills
      label: Digital skills framework
    columns:
      id: Code                           # required: the identifier column
      prefLabel: Skill name              # required; or [{column: Name, language: en}, {column: Nom, language: fr}]
      altLabels: {column: Also known as, separator: ";"}
      definition: Description
      notation: Code
      broader: {column: Parent, separator: "|"}    # ids of other rows, or absolute IRIs / known prefixes
      type:
        column: Kind
        values: {area: skos:Concept, skill: mcg:Skill}
        default: mcg:Skill               # for empty cells (the only type when no column is given)

Every concept is a ``skos:Concept`` (plus its mapped type) in the scheme; rows with no broader concept in the
file are its top concepts. A mapping key or column that is unknown, or a column missing from the CSV header,
is a :class:`SourceFormatError` naming the mapping file and the field; a bad row names the CSV file and row.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
import yaml

from ..errors import SourceFormatError
from ..namespaces import DCTERMS, OWL, PREFIXES, RDF, SKOS, expand_curie
from ..checks.skos import check_skos
from .base import LoadReport, Source
from .sfia import decode
from .skos import record_skos_report
from .tabular import read_problem, read_rows, require_file

TOP_KEYS = {"csv", "encoding", "delimiter", "version", "strict", "base", "language", "scheme", "columns"}
COLUMN_FIELDS = {"id", "prefLabel", "altLabels", "definition", "notation", "broader", "type"}
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_ABSOLUTE = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|^`\\]+$')
_SAFE_ID = "-._~!$&'()*+,;=:@/"


@dataclass(frozen=True)
class TextColumn:
    """A CSV column read as text: optionally in a language, optionally split by a separator."""

    column: str
    language: str | None = None
    separator: str | None = None


@dataclass(frozen=True)
class TypeMapping:
    """How a row's class is chosen: a column's value through ``values``, else ``default``."""

    column: str | None
    values: dict[str, str]
    default: str | None


@dataclass
class Mapping:
    """A parsed, validated mapping file."""

    path: Path
    csv: Path
    encoding: str
    delimiter: str
    base: str
    scheme: str
    scheme_label: str | None
    language: str
    version: str | None = None
    strict: bool = False
    columns: dict[str, list[TextColumn]] = field(default_factory=dict)
    type: TypeMapping | None = None

    def used_columns(self) -> list[tuple[str, str]]:
        """``(field, column)`` for every column the mapping names."""
        out = [(f, c.column) for f, specs in self.columns.items() for c in specs]
        if self.type is not None and self.type.column is not None:
            out.append(("type", self.type.column))
        return out


def _fail(mapping: Path, field_name: str, reason: str) -> SourceFormatError:
    return SourceFormatError(mapping, reason, field=field_name)


def _text(mapping: Path, field_name: str, value: Any, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or not str(value).strip():
        raise _fail(mapping, field_name, f"expected a non-empty text value, found {value!r}")
    return str(value).strip()


def _iri(mapping: Path, field_name: str, value: Any) -> str:
    text = _text(mapping, field_name, value)
    assert text is not None
    expanded = expand_curie(text) or text
    if not _ABSOLUTE.match(expanded) or not (expand_curie(text) or "://" in text or text.startswith(("urn:", "tag:"))):
        raise _fail(mapping, field_name, f"{text!r} is not an absolute IRI (https://…) or a prefixed name with a "
                    f"known prefix ({', '.join(sorted(PREFIXES))})")
    try:
        ox.NamedNode(expanded)
    except ValueError as exc:
        raise _fail(mapping, field_name, f"{text!r} is not a valid IRI: {exc}") from None
    return expanded


def _language(mapping: Path, field_name: str, value: Any) -> str:
    text = _text(mapping, field_name, value)
    assert text is not None
    if not _LANGUAGE.match(text):
        raise _fail(mapping, field_name, f"{text!r} is not a language tag such as en or fr-CA")
    return text


def _text_columns(mapping: Path, name: str, spec: Any, language: str, *, multi: bool) -> list[TextColumn]:
    """A field given as a column name, a {column, language, separator} table, or a list of those."""
    field_name = f"columns.{name}"
    items = spec if isinstance(spec, list) else [spec]
    if not items:
        raise _fail(mapping, field_name, "expected a column name or a list of {column: …, language: …}")
    out = []
    for n, item in enumerate(items):
        where = f"{field_name}[{n}]" if isinstance(spec, list) else field_name
        if isinstance(item, dict):
            unknown = sorted(set(map(str, item)) - {"column", "language", "separator"})
            if unknown:
                raise _fail(mapping, where, f"unknown key(s) {', '.join(map(repr, unknown))}; "
                            "use column, language, separator")
            column = _text(mapping, f"{where}.column", item.get("column"))
            lang = _language(mapping, f"{where}.language", item.get("language", language))
            separator = item.get("separator")
            if separator is not None and (not isinstance(separator, str) or not separator):
                raise _fail(mapping, f"{where}.separator", f"expected a non-empty text, found {separator!r}")
            if separator is not None and not multi:
                raise _fail(mapping, f"{where}.separator", f"{name} takes one value per row; no separator")
        else:
            column, lang, separator = _text(mapping, where, item), language, None
        assert column is not None
        out.append(TextColumn(column, None if name in ("id", "notation", "broader") else lang, separator))
    if len(out) > 1 and name in ("id", "notation", "broader"):
        raise _fail(mapping, field_name, f"{name} takes one column")
    return out


def _type_mapping(mapping: Path, spec: Any) -> TypeMapping:
    if not isinstance(spec, dict):
        raise _fail(mapping, "columns.type", "expected a table {column: …, values: {…}, default: …}, "
                    f"found {spec!r}")
    unknown = sorted(set(map(str, spec)) - {"column", "values", "default"})
    if unknown:
        raise _fail(mapping, "columns.type", f"unknown key(s) {', '.join(map(repr, unknown))}; "
                    "use column, values, default")
    column = _text(mapping, "columns.type.column", spec.get("column"), required=False)
    raw_values = spec.get("values") or {}
    if not isinstance(raw_values, dict):
        raise _fail(mapping, "columns.type.values", f"expected a table value → class, found {raw_values!r}")
    values = {str(k).strip(): _iri(mapping, f"columns.type.values.{k}", v) for k, v in raw_values.items()}
    default = _iri(mapping, "columns.type.default", spec["default"]) if spec.get("default") is not None else None
    if column is None and default is None:
        raise _fail(mapping, "columns.type", "give a column (with values) or a default class")
    if column is not None and not values and default is None:
        raise _fail(mapping, "columns.type.values", "a type column needs values (cell → class) or a default")
    return TypeMapping(column, values, default)


def read_mapping(path: str | Path) -> Mapping:
    """Parse and validate a mapping file (not yet against the CSV's header: see :func:`check_columns`)."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceFormatError(path, f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                                line=mark.line + 1 if mark is not None else None) from None
    except UnicodeDecodeError as exc:
        raise SourceFormatError(path, f"a mapping file must be UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise SourceFormatError(path, f"cannot read the mapping file: {exc}") from None
    if not isinstance(raw, dict):
        raise SourceFormatError(path, "a mapping file is a YAML table with csv, base, scheme and columns")
    unknown = sorted(set(map(str, raw)) - TOP_KEYS)
    if unknown:
        raise _fail(path, unknown[0], f"unknown key(s) {', '.join(map(repr, unknown))}; a mapping has "
                    f"{', '.join(sorted(TOP_KEYS))}")
    for key in ("csv", "base", "scheme", "columns"):
        if key not in raw:
            raise _fail(path, key, f"missing required key {key!r}")
    csv_name = _text(path, "csv", raw["csv"])
    assert csv_name is not None
    encoding = _text(path, "encoding", raw.get("encoding", "utf-8"))
    assert encoding is not None
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise _fail(path, "encoding", f"unknown text encoding {encoding!r} (try utf-8 or cp1252)") from None
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    delimiter = raw.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in "\r\n\"":
        raise _fail(path, "delimiter", f"expected one character such as ',' ';' or a tab, found {delimiter!r}")
    language = _language(path, "language", raw.get("language", "en"))
    base = _iri(path, "base", raw["base"])
    scheme_spec = raw["scheme"]
    if isinstance(scheme_spec, dict):
        unknown = sorted(set(map(str, scheme_spec)) - {"iri", "label"})
        if unknown:
            raise _fail(path, "scheme", f"unknown key(s) {', '.join(map(repr, unknown))}; use iri, label")
        scheme = _iri(path, "scheme.iri", scheme_spec.get("iri"))
        label = _text(path, "scheme.label", scheme_spec.get("label"), required=False)
    else:
        scheme, label = _iri(path, "scheme", scheme_spec), None
    strict = raw.get("strict", False)
    if not isinstance(strict, bool):
        raise _fail(path, "strict", f"expected true or false, found {strict!r}")
    version = _text(path, "version", raw.get("version"), required=False)
    columns = raw["columns"]
    if not isinstance(columns, dict):
        raise _fail(path, "columns", "expected a table: field → CSV column")
    unknown = sorted(set(map(str, columns)) - COLUMN_FIELDS)
    if unknown:
        raise _fail(path, f"columns.{unknown[0]}", f"unknown field(s) {', '.join(map(repr, unknown))}; the "
                    f"fields are {', '.join(sorted(COLUMN_FIELDS))}")
    for required in ("id", "prefLabel"):
        if columns.get(required) is None:
            raise _fail(path, f"columns.{required}", f"missing required field columns.{required}")
    parsed = {name: _text_columns(path, name, spec, language, multi=name in ("altLabels", "broader"))
              for name, spec in columns.items() if name != "type" and spec is not None}
    type_mapping = _type_mapping(path, columns["type"]) if columns.get("type") is not None else None
    return Mapping(path, (path.parent / csv_name), encoding, delimiter, base, scheme, label, language, version,
                   strict, parsed, type_mapping)


def read_header(mapping: Mapping) -> list[str]:
    """The CSV's header row (stripped), as the mapping reads it; the whole file must decode."""
    csv_path = mapping.csv
    if not csv_path.is_file():
        raise _fail(mapping.path, "csv", f"the CSV file {csv_path.name!r} does not exist next to the mapping")
    try:
        data = gzip.decompress(csv_path.read_bytes()) if csv_path.suffix == ".gz" else csv_path.read_bytes()
    except (OSError, EOFError) as exc:
        raise SourceFormatError(csv_path, read_problem(csv_path, exc)) from None
    text = decode(csv_path, data, mapping.encoding)
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter, strict=True), None)
    except csv.Error as exc:
        raise SourceFormatError(csv_path, f"malformed CSV header: {exc}", row=1) from None
    if not header:
        raise SourceFormatError(csv_path, "the file is empty (no header row)", row=1)
    return [h.strip() for h in header]


def check_columns(mapping: Mapping, header: list[str]) -> None:
    """Every column the mapping names must be in the CSV header."""
    for field_name, column in mapping.used_columns():
        if column not in header:
            shown = ", ".join(repr(h) for h in header[:15]) + (" …" if len(header) > 15 else "")
            raise SourceFormatError(mapping.path, f"columns.{field_name} names the column {column!r}, which is not "
                                    f"in the header of {mapping.csv.name}: {shown}", field=f"columns.{field_name}")


def _values(cell: str, spec: TextColumn) -> list[str]:
    if spec.separator is None:
        return [cell.strip()] if cell.strip() else []
    return [v.strip() for v in cell.split(spec.separator) if v.strip()]


class CsvTaxonomySource(Source):
    """A CSV taxonomy described by a YAML mapping file."""

    name = "csv-taxonomy"
    title = "Spreadsheet taxonomy: a CSV file described by a small YAML mapping (see docs/custom-taxonomy.md)"
    accepts = "file"

    def detect_version(self, path: Path) -> str | None:
        """``<csv stem>/<version>`` (or the stem alone), so each spreadsheet loads into its own graph."""
        try:
            mapping = read_mapping(path)
        except SourceFormatError:
            return None
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", mapping.csv.name.split(".")[0]).strip("-") or "taxonomy"
        return f"{stem}/{mapping.version}" if mapping.version else stem

    def read(self, path: Path, report: LoadReport) -> Iterator[ox.Triple]:
        require_file(path)
        mapping = read_mapping(path)
        report.add_file(path)
        check_columns(mapping, read_header(mapping))
        report.add_file(mapping.csv)
        triples = list(_triples(mapping, report))
        record_skos_report(report, mapping.csv, check_skos(triples, source=mapping.csv.name), strict=mapping.strict)
        yield from dict.fromkeys(triples)


def _triples(mapping: Mapping, report: LoadReport) -> Iterator[ox.Triple]:
    T, N = ox.Triple, ox.NamedNode
    a, concept_class = N(str(RDF.type)), N(str(SKOS.Concept))
    scheme = N(mapping.scheme)
    in_scheme, top_of, has_top = N(str(SKOS.inScheme)), N(str(SKOS.topConceptOf)), N(str(SKOS.hasTopConcept))
    yield T(scheme, a, N(str(SKOS.ConceptScheme)))
    if mapping.scheme_label:
        yield T(scheme, N(str(SKOS.prefLabel)), ox.Literal(mapping.scheme_label, language=mapping.language))
        yield T(scheme, N(str(DCTERMS.title)), ox.Literal(mapping.scheme_label, language=mapping.language))
    if mapping.version:
        yield T(scheme, N(str(OWL.versionInfo)), ox.Literal(mapping.version))
    cols = mapping.columns
    id_col = cols["id"][0].column
    seen: dict[str, int] = {}
    pending: list[tuple[int, str, ox.NamedNode, str, str]] = []  # row, column, concept, raw value, kind
    literal_fields = (("prefLabel", SKOS.prefLabel), ("altLabels", SKOS.altLabel), ("definition", SKOS.definition))
    for row, cells in read_rows(mapping.csv, encoding=mapping.encoding, delimiter=mapping.delimiter):
        ident = cells[id_col].strip()
        if not ident:
            raise SourceFormatError(mapping.csv, f"the identifier column {id_col!r} is empty", row=row, field=id_col)
        if ident in seen:
            raise SourceFormatError(mapping.csv, f"identifier {ident!r} appears again (first in row {seen[ident]})",
                                    row=row, field=id_col)
        seen[ident] = row
        node = _concept_iri(mapping, ident, row, id_col)
        yield T(node, a, concept_class)
        yield T(node, in_scheme, scheme)
        labels = 0
        for name, predicate in literal_fields:
            for spec in cols.get(name, []):
                for value in _values(cells[spec.column], spec):
                    labels += name == "prefLabel"
                    yield T(node, N(str(predicate)), ox.Literal(value, language=spec.language))
        if not labels:
            shown = ", ".join(repr(s.column) for s in cols["prefLabel"])
            raise SourceFormatError(mapping.csv, f"concept {ident!r} has no preferred label (column {shown} empty)",
                                    row=row, field=cols["prefLabel"][0].column)
        for spec in cols.get("notation", []):
            for value in _values(cells[spec.column], spec):
                yield T(node, N(str(SKOS.notation)), ox.Literal(value))
        if mapping.type is not None:
            yield T(node, a, N(_row_type(mapping, mapping.type, cells, row)))
        parents = [v for spec in cols.get("broader", []) for v in _values(cells[spec.column], spec)]
        for parent in parents:
            pending.append((row, cols["broader"][0].column, node, parent, ident))
        if not parents:
            yield T(node, top_of, scheme)
            yield T(scheme, has_top, node)
            report.count("top concepts")
        report.count("rows")
    if not seen:
        raise SourceFormatError(mapping.csv, "no rows: the file has a header but no concepts", row=2)
    broader = N(str(SKOS.broader))
    for row, column, node, parent, ident in pending:
        if parent in seen:
            target = _concept_iri(mapping, parent, row, column)
        elif _ABSOLUTE.match(expand_curie(parent) or parent) and ("://" in parent or expand_curie(parent)):
            target = _external(mapping, parent, row, column)
        else:
            raise SourceFormatError(mapping.csv, f"broader {parent!r} of {ident!r} is not the identifier of any row "
                                    "(nor an absolute IRI)", row=row, field=column)
        yield T(node, broader, target)


def _concept_iri(mapping: Mapping, ident: str, row: int, column: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(mapping.base + quote(ident, safe=_SAFE_ID))
    except ValueError as exc:
        raise SourceFormatError(mapping.csv, f"identifier {ident!r} does not make an IRI: {exc}", row=row,
                                field=column) from None


def _external(mapping: Mapping, value: str, row: int, column: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(expand_curie(value) or value)
    except ValueError as exc:
        raise SourceFormatError(mapping.csv, f"broader {value!r} is not a valid IRI: {exc}", row=row,
                                field=column) from None


def _row_type(mapping: Mapping, spec: TypeMapping, cells: dict[str, str], row: int) -> str:
    """The class of a row: its cell through ``values``; ``default`` for an empty cell (or with no column)."""
    value = cells[spec.column].strip() if spec.column is not None else ""
    if value in spec.values:
        return spec.values[value]
    if not value and spec.default is not None:
        return spec.default
    known = ", ".join(repr(k) for k in spec.values) or "none"
    raise SourceFormatError(mapping.csv, f"type value {value!r} is not in the mapping's columns.type.values "
                            f"({known})" + ("" if value else " and there is no default"), row=row,
                            field=spec.column)


SOURCE = CsvTaxonomySource()
