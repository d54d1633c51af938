"""Result serialisation and content negotiation of `mcgraph serve` (no server needed)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from mcgraph.serve.formats import (
    GRAPH_TYPES,
    SOLUTION_TYPES,
    NotAcceptable,
    format_by_name,
    negotiate,
    offered_for,
    serialise,
)
from mcgraph.store import QueryResult

XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@pytest.mark.parametrize(("accept", "offered", "chosen"), [
    (None, SOLUTION_TYPES, "json"),
    ("", GRAPH_TYPES, "turtle"),
    ("*/*", SOLUTION_TYPES, "json"),
    ("text/csv", SOLUTION_TYPES, "csv"),
    ("text/csv;q=0.5, text/tab-separated-values", SOLUTION_TYPES, "tsv"),
    ("application/sparql-results+xml;q=0.9, */*;q=0.95", SOLUTION_TYPES, "json"),
    ("text/*", SOLUTION_TYPES, "csv"),
    ("application/json", SOLUTION_TYPES, "json"),
    ("application/n-triples, text/turtle", GRAPH_TYPES, "ntriples"),
    ("text/plain", GRAPH_TYPES, "ntriples"),
    ("application/sparql-results+json, */*;q=0.9", GRAPH_TYPES, "turtle"),  # YASGUI's header, on a CONSTRUCT
])
def test_negotiate_picks_by_quality_then_specificity_then_order(accept, offered, chosen) -> None:
    assert negotiate(accept, offered) == chosen


@pytest.mark.parametrize("accept", ["image/png", "text/csv;q=0", "application/sparql-results+json"])
def test_negotiate_refuses_what_it_cannot_give(accept: str) -> None:
    with pytest.raises(NotAcceptable, match="none of the accepted types"):
        negotiate(accept, GRAPH_TYPES if "sparql" in accept else SOLUTION_TYPES)


def test_format_names_aliases_and_media_types() -> None:
    assert format_by_name("CSV", SOLUTION_TYPES) == "csv"
    assert format_by_name("ttl", GRAPH_TYPES) == "turtle"
    assert format_by_name("application/n-triples", GRAPH_TYPES) == "ntriples"
    with pytest.raises(NotAcceptable, match="unknown format 'turtle' for this result; use one of json, xml, csv, tsv"):
        format_by_name("turtle", SOLUTION_TYPES)


def test_offered_formats_follow_the_kind_of_result() -> None:
    triple = ox.Triple(ox.NamedNode("http://e.org/s"), ox.NamedNode("http://e.org/p"), ox.Literal("o"))
    assert offered_for(QueryResult(triples=(triple,))) is GRAPH_TYPES
    assert offered_for(QueryResult()) is GRAPH_TYPES  # an empty CONSTRUCT
    assert offered_for(QueryResult(boolean=False)) is SOLUTION_TYPES
    assert offered_for(QueryResult(("x",))) is SOLUTION_TYPES  # a SELECT without rows


def test_ask_in_every_result_format() -> None:
    result = QueryResult(boolean=False)
    assert json.loads(serialise(result, "json")) == {"head": {}, "boolean": False}
    root = ET.fromstring(serialise(result, "xml"))
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"
    assert serialise(result, "csv") == b"_askResult\r\nfalse\r\n"
    assert serialise(result, "tsv") == b"?_askResult\nfalse\n"


def test_tsv_escapes_tabs_and_newlines_and_csv_quotes() -> None:
    result = QueryResult(("a", "b"), ((ox.Literal("tab\there\nline"), ox.Literal("7", datatype=XSD_INT)),))
    assert serialise(result, "tsv").decode().splitlines()[1] == (
        '"tab\\there\\nline"\t"7"^^<http://www.w3.org/2001/XMLSchema#integer>')
    assert list(csv.reader(io.StringIO(serialise(result, "csv").decode()))) == [["a", "b"], ["tab\there\nline", "7"]]


def test_xml_escapes_markup_in_values() -> None:
    result = QueryResult(("v",), ((ox.Literal("<b>&amp;</b>"),),))
    root = ET.fromstring(serialise(result, "xml"))
    literal = root.find(".//{http://www.w3.org/2005/sparql-results#}literal")
    assert literal.text == "<b>&amp;</b>"


def test_engine_written_json_equals_the_python_writer_for_the_named_queries(built_store) -> None:  # type: ignore[no-untyped-def]
    """The fast path of `mcgraph serve` (the engine writes SPARQL JSON; parameter columns dropped from the head)
    answers exactly what the Python writer does, for every public named query that runs without parameters,
    and steps aside (None) when a hidden parameter column has values."""
    from mcgraph.queries import list_queries
    from mcgraph.serve.formats import serialise
    from mcgraph.serve.sparql import without_columns

    compared = 0
    for query in list_queries():
        if any(p.required for p in query.parameters):
            continue
        bound = query.bind({})
        hidden = {p.name for p in query.parameters} - set(query.columns)
        if hidden & bound.keys():
            continue  # a default is bound: serve takes the Python path
        answer = built_store.query_json(query.text, bound)
        if not isinstance(answer, bytes):
            continue  # CONSTRUCT: the Python path
        fast = without_columns(answer, hidden)
        assert fast is not None, query.name
        assert json.loads(fast) == json.loads(serialise(query.run(built_store), "json")), query.name
        compared += 1
    assert compared >= 15
    body = built_store.query_json('SELECT ?text ?x WHERE { BIND("a" AS ?text) BIND(1 AS ?x) }')
    assert without_columns(body, {"text"}) is None
    assert json.loads(without_columns(built_store.query_json("SELECT ?x ?text WHERE { BIND(1 AS ?x) }"), {"text"})) \
        == {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1",
            "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}
