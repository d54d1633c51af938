"""Shared pieces of the rating-taxonomy loaders (OaSIS, O*NET): RDF terms, number parsing, small triple
builders (concepts, scales, skill requirements, occupation ratings), and reading a header row with
file-and-row errors.

>>> decimal_literal("4.120").value
'4.12'
>>> parse_number("abc") is None
True
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..namespaces import DCTERMS, MCG, RDF, RDFS, SKOS, XSD
from .tabular import check_decodes, open_text, read_problem


def node(value: object) -> ox.NamedNode:
    """An IRI node from anything whose ``str`` is an IRI (rdflib URIRefs, namespace members)."""
    return ox.NamedNode(str(value))


A = node(RDF.type)
LABEL = node(RDFS.label)
COMMENT = node(RDFS.comment)
TITLE = node(DCTERMS.title)
CONCEPT = node(SKOS.Concept)
SCHEME = node(SKOS.ConceptScheme)
IN_SCHEME = node(SKOS.inScheme)
TOP_OF = node(SKOS.topConceptOf)
HAS_TOP = node(SKOS.hasTopConcept)
BROADER = node(SKOS.broader)
NARROWER = node(SKOS.narrower)
NOTATION = node(SKOS.notation)
PREF = node(SKOS.prefLabel)
ALT = node(SKOS.altLabel)
DEFINITION = node(SKOS.definition)
NOTE = node(SKOS.note)
XSD_DECIMAL = node(XSD.decimal)
XSD_BOOLEAN = node(XSD.boolean)
TRUE = ox.Literal("true", datatype=XSD_BOOLEAN)

M = {
    name: node(MCG[name])
    for name in (
        "Occupation",
        "Skill",
        "SkillRequirement",
        "RatingScale",
        "OccupationRating",
        "hasSkillRequirement",
        "requiredSkill",
        "requiredLevel",
        "levelScale",
        "importance",
        "importanceScale",
        "fromTaxonomy",
        "notRelevant",
        "suppressRecommended",
        "scaleMinimum",
        "scaleMaximum",
        "hasOccupationRating",
        "ratedDescriptor",
        "levelValue",
    )
}


def en(text: str) -> ox.Literal:
    """An English literal."""
    return ox.Literal(text, language="en")


def parse_number(text: str) -> Decimal | None:
    """A finite decimal from a cell (``"4.12"``, ``"3"``), or None when it is not one."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


@lru_cache(maxsize=65536)
def decimal_literal(value: Decimal | int | str) -> ox.Literal:
    """An ``xsd:decimal`` literal in plain notation without trailing zeros (``4.120`` → ``4.12``)."""
    number = Decimal(value)
    text = format(number.normalize(), "f") if number != 0 else "0"
    return ox.Literal(text, datatype=XSD_DECIMAL)


def scheme_triples(scheme: ox.NamedNode, title: str) -> Iterator[ox.Triple]:
    yield ox.Triple(scheme, A, SCHEME)
    yield ox.Triple(scheme, PREF, en(title))
    yield ox.Triple(scheme, TITLE, en(title))


def concept_triples(
    concept: ox.NamedNode,
    scheme: ox.NamedNode,
    notation: str,
    label: str = "",
    definition: str = "",
    *,
    broader: ox.NamedNode | None = None,
) -> Iterator[ox.Triple]:
    """A ``skos:Concept`` in ``scheme`` with its notation, ``skos:prefLabel`` and ``skos:definition`` (each
    when not empty), and ``skos:broader`` ``broader`` — or, without one, a top concept of ``scheme``."""
    yield ox.Triple(concept, A, CONCEPT)
    yield ox.Triple(concept, IN_SCHEME, scheme)
    yield ox.Triple(concept, NOTATION, ox.Literal(notation))
    if label:
        yield ox.Triple(concept, PREF, en(label))
    if definition:
        yield ox.Triple(concept, DEFINITION, en(definition))
    if broader is None:
        yield ox.Triple(concept, TOP_OF, scheme)
        yield ox.Triple(scheme, HAS_TOP, concept)
    else:
        yield ox.Triple(concept, BROADER, broader)


def requirement_triples(
    occupation: ox.NamedNode, requirement: ox.NamedNode, skill: ox.NamedNode, scheme: ox.NamedNode
) -> Iterator[ox.Triple]:
    """An ``mcg:SkillRequirement`` of ``occupation`` for ``skill``, from the taxonomy ``scheme``; its values
    come from :func:`measure_triples`."""
    yield ox.Triple(occupation, M["hasSkillRequirement"], requirement)
    yield ox.Triple(requirement, A, M["SkillRequirement"])
    yield ox.Triple(requirement, M["requiredSkill"], skill)
    yield ox.Triple(requirement, M["fromTaxonomy"], scheme)


def measure_triples(
    requirement: ox.NamedNode, measure: str, value: Decimal | int, scale: ox.NamedNode
) -> Iterator[ox.Triple]:
    """A requirement's value with its scale: ``mcg:importance`` for the measure ``"importance"``, else
    ``mcg:requiredLevel``."""
    if measure == "importance":
        yield ox.Triple(requirement, M["importance"], decimal_literal(value))
        yield ox.Triple(requirement, M["importanceScale"], scale)
    else:
        yield ox.Triple(requirement, M["requiredLevel"], decimal_literal(value))
        yield ox.Triple(requirement, M["levelScale"], scale)


def occupation_rating_triples(
    occupation: ox.NamedNode,
    rating: ox.NamedNode,
    descriptor: ox.NamedNode,
    value: Decimal | int,
    scale: ox.NamedNode,
    scheme: ox.NamedNode,
) -> Iterator[ox.Triple]:
    """An ``mcg:OccupationRating`` of ``occupation``: ``descriptor`` rated ``value`` on ``scale``."""
    yield ox.Triple(occupation, M["hasOccupationRating"], rating)
    yield ox.Triple(rating, A, M["OccupationRating"])
    yield ox.Triple(rating, M["ratedDescriptor"], descriptor)
    yield ox.Triple(rating, M["levelValue"], decimal_literal(value))
    yield ox.Triple(rating, M["levelScale"], scale)
    yield ox.Triple(rating, M["fromTaxonomy"], scheme)


def scale_triples(
    scale: ox.NamedNode,
    label: str,
    minimum: Decimal | int,
    maximum: Decimal | int,
    comment: str | None = None,
) -> Iterator[ox.Triple]:
    """An ``mcg:RatingScale`` individual with its range."""
    yield ox.Triple(scale, A, M["RatingScale"])
    yield ox.Triple(scale, LABEL, en(label))
    yield ox.Triple(scale, M["scaleMinimum"], decimal_literal(minimum))
    yield ox.Triple(scale, M["scaleMaximum"], decimal_literal(maximum))
    if comment:
        yield ox.Triple(scale, COMMENT, en(comment))


def read_header(path: Path, *, delimiter: str = ",", encoding: str = "utf-8-sig") -> list[str]:
    """The header row of a delimited file (cells as written), with errors naming the file and row 1."""
    try:
        with open_text(path, encoding) as fh:
            row = next(csv.reader(fh, delimiter=delimiter, strict=True), None)
    except UnicodeDecodeError as exc:
        check_decodes(path, encoding, delimiter)  # raises naming the row, line and offset of the bad byte
        raise SourceFormatError(path, f"not valid {encoding} text ({exc.reason}); is this the right file or "
                                "encoding?", row=1) from exc
    except csv.Error as exc:
        raise SourceFormatError(path, f"malformed header: {exc}", row=1) from exc
    except (OSError, EOFError) as exc:
        raise SourceFormatError(path, read_problem(path, exc), row=1) from exc
    if not row or not any(cell.strip() for cell in row):
        raise SourceFormatError(path, "the file is empty (no header row)", row=1)
    return row


def check_encoding(path: Path, encoding: str = "utf-8-sig", *, delimiter: str = ",") -> None:
    """Raise :class:`SourceFormatError` naming the row and line of the first byte that is not ``encoding``.

    Reading through a text stream decodes in blocks, so a decoding error there cannot tell the row; this
    decodes the whole file once (the files of these sources are a few MB at most) and, on failure, counts
    the CSV records before the bad byte.
    """
    check_decodes(path, encoding, delimiter)


def flag(text: str, path: Path, row: int, column: str) -> bool:
    """A Y/N cell (blank = no) as a boolean; anything else is a format error."""
    value = text.strip().upper()
    if value in ("", "N"):
        return False
    if value == "Y":
        return True
    raise SourceFormatError(path, f"{column!r} must be Y, N or empty, found {text!r}", row=row, field=column)
