"""Labour-market demand: ``mcgraph load demand FILE.csv`` — how much each occupation is in demand.

One row per figure, read by header (other columns are an error, so a typo is not silently dropped):

========================  =========  ==================================================================
column                    required   meaning
========================  =========  ==================================================================
``occupation``            yes        the occupation: a full or prefixed IRI, or its code in ``taxonomy``
``taxonomy``              yes        ``esco``, ``oasis`` or ``onet`` (how a code is read)
``demand``                yes        the figure, a number ≥ 0 (e.g. job openings)
``unit``                  yes        what the figure counts, e.g. ``job openings``
``period``                yes        the period it covers, e.g. ``2024-2034``
``source``                yes        where the figure comes from (document and table, or a URL)
``jurisdiction``          no         where the demand is, an ISO 3166 code such as ``CA-BC``
``label``                 no         the occupation's name as the source writes it (for readers)
``illustrative``          no         ``true`` when the figure is made up for illustration
========================  =========  ==================================================================

Codes: OaSIS profile ``21232.00`` → ``oasis:profile/21232.00``, O*NET-SOC ``15-1211.00`` →
``onet:occupation/15-1211.00``; an ESCO code (``2512.4``) is looked up in the store (load ESCO first).
Each row becomes one ``mcg:DemandFigure`` (``mcg:demandFor``, ``mcg:demandValue``, ``mcg:demandUnit``,
``mcg:demandPeriod``, ``mcg:jurisdiction``, ``dct:source``, ``mcg:illustrative``) with an IRI made from the
row's content, so loading the same file twice gives the same graph. Graph: ``demand/<file stem>``.

>>> SOURCE.name, SOURCE.graph_for(Path("data/demand/bc-outlook.csv"), None)
('demand', 'demand/bc-outlook')
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from ..credentials.model import jurisdiction_iri, jurisdiction_triples
from ..errors import SourceFormatError
from ..namespaces import DCTERMS, MCG, MCGID, OASIS, ONET, RDF, XSD, expand_curie
from ._ratings import read_header
from .base import LoadReport, Source
from .tabular import read_rows

REQUIRED = ("occupation", "taxonomy", "demand", "unit", "period", "source")
OPTIONAL = ("jurisdiction", "label", "illustrative")
TAXONOMIES = ("esco", "oasis", "onet")
_OASIS_CODE = re.compile(r"^\d{5}\.\d{2}$")
_ONET_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_JURISDICTION = re.compile(r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+$")

N = ox.NamedNode
A = N(str(RDF.type))
P = {name: N(str(MCG[name])) for name in ("DemandFigure", "demandFor", "demandValue", "demandUnit", "demandPeriod",
                                          "jurisdiction", "illustrative")}
SOURCE_P = N(str(DCTERMS.source))
XSD_DECIMAL, XSD_BOOLEAN = N(str(XSD.decimal)), N(str(XSD.boolean))


class DemandSource(Source):
    """Occupation demand figures from a CSV table (e.g. a province's labour-market outlook)."""

    name = "demand"
    title = "Occupation demand figures (CSV: occupation, taxonomy, demand, unit, period, source)"
    accepts = "file"

    def graph_name(self, version: str | None) -> str:
        return f"demand/{version or 'unversioned'}"

    def graph_for(self, path: Path, version: str | None) -> str:
        """``demand/<file stem>[/<version>]``: each demand file is its own graph."""
        stem = path.name.split(".")[0] or "unnamed"
        return f"demand/{stem}" + (f"/{version}" if version else "")

    def read(self, path: Path, report: LoadReport) -> Iterator[ox.Triple]:
        if not path.is_file():
            raise SourceFormatError(path, "no such file (give a demand CSV file)")
        report.add_file(path)
        unknown = sorted({h.strip() for h in read_header(path)} - set(REQUIRED) - set(OPTIONAL) - {""})
        if unknown:
            raise SourceFormatError(path, f"unknown column(s) {', '.join(map(repr, unknown))}; the columns are "
                                    f"{', '.join(REQUIRED + OPTIONAL)}", row=1)
        seen_jurisdictions: set[str] = set()
        rows = 0
        for row_no, row in read_rows(path, required=REQUIRED):
            if not any((v or "").strip() for v in row.values()):
                continue
            rows += 1
            yield from self._row(path, row_no, row, report, seen_jurisdictions)
        if not rows:
            raise SourceFormatError(path, "no demand rows after the header", row=2)

    def _row(self, path: Path, row_no: int, row: dict[str, str], report: LoadReport,
             seen: set[str]) -> Iterator[ox.Triple]:
        def fail(column: str, reason: str) -> SourceFormatError:
            return SourceFormatError(path, f"{column}: {reason}", row=row_no, field=column)

        cells = {k: (v or "").strip() for k, v in row.items()}
        for column in REQUIRED:
            if not cells.get(column):
                raise fail(column, "empty; every row needs occupation, taxonomy, demand, unit, period and source")
        taxonomy = cells["taxonomy"].lower()
        if taxonomy not in TAXONOMIES:
            raise fail("taxonomy", f"{cells['taxonomy']!r} is not one of {', '.join(TAXONOMIES)}")
        occupation = self._occupation(cells["occupation"], taxonomy, report, fail)
        try:
            value = Decimal(cells["demand"].replace(",", "").replace("_", ""))
        except InvalidOperation:
            raise fail("demand", f"{cells['demand']!r} is not a number") from None
        if not value.is_finite() or value < 0:
            raise fail("demand", f"{cells['demand']!r} is not a number ≥ 0")
        jurisdiction = cells.get("jurisdiction", "")
        if jurisdiction and not _JURISDICTION.match(jurisdiction):
            raise fail("jurisdiction", f"{jurisdiction!r} is not an ISO 3166 code such as CA-BC")
        illustrative = cells.get("illustrative", "").lower()
        if illustrative not in ("", "true", "false", "yes", "no"):
            raise fail("illustrative", f"{cells['illustrative']!r} is not true or false")
        key = "|".join([occupation, cells["unit"], cells["period"], jurisdiction, cells["source"]])
        node = N(f"{MCGID}demand/{hashlib.sha1(key.encode()).hexdigest()[:16]}")
        text = format(value.normalize(), "f")
        yield ox.Triple(node, A, P["DemandFigure"])
        yield ox.Triple(node, P["demandFor"], N(occupation))
        yield ox.Triple(node, P["demandValue"], ox.Literal(text, datatype=XSD_DECIMAL))
        yield ox.Triple(node, P["demandUnit"], ox.Literal(cells["unit"]))
        yield ox.Triple(node, P["demandPeriod"], ox.Literal(cells["period"]))
        yield ox.Triple(node, SOURCE_P, ox.Literal(cells["source"]))
        if jurisdiction:
            j = jurisdiction_iri(jurisdiction)
            yield ox.Triple(node, P["jurisdiction"], N(j))
            if j not in seen:
                seen.add(j)
                yield from jurisdiction_triples(j)
        if illustrative in ("true", "yes"):
            yield ox.Triple(node, P["illustrative"], ox.Literal("true", datatype=XSD_BOOLEAN))
        report.count("demand figures")

    def _occupation(self, text: str, taxonomy: str, report: LoadReport, fail) -> str:  # type: ignore[no-untyped-def]
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        expanded = expand_curie(text) if not text.startswith(("http://", "https://")) else None
        if expanded or _IRI.match(text) and text.split(":", 1)[0] in ("http", "https", "urn"):
            return expanded or text
        if taxonomy == "oasis":
            if not _OASIS_CODE.match(text):
                raise fail("occupation", f"{text!r} is not an OaSIS profile code like 21232.00 nor an IRI")
            return f"{OASIS}profile/{text}"
        if taxonomy == "onet":
            if not _ONET_CODE.match(text):
                raise fail("occupation", f"{text!r} is not an O*NET-SOC code like 15-1211.00 nor an IRI")
            return f"{ONET}occupation/{text}"
        return self._esco_code(text, report, fail)

    def _esco_code(self, code: str, report: LoadReport, fail) -> str:  # type: ignore[no-untyped-def]
        from ..queries import run_query

        if report.store is None:
            raise fail("occupation", f"ESCO code {code!r} can only be resolved against a store; give the IRI")
        found = [r for r in run_query(report.store, "analysis-occupation", code=code).values("occupation")
                 if r and r.startswith("http://data.europa.eu/esco/occupation/")]
        if len(found) != 1:
            raise fail("occupation", f"ESCO code {code!r} names {len(found)} loaded ESCO occupations; "
                       "load ESCO first or give the occupation IRI")
        return found[0]


SOURCE = DemandSource()
