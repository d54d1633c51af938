"""Named queries: header parsing, typed parameters bound by the engine, and every shipped query well-formed."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from mcgraph import NamedQuery, ParameterError, QueryError, list_queries, run_query
from mcgraph.store import EmbeddedStore

INJECTION = '"> } ; DROP ALL ; #'


@pytest.fixture(scope="module")
def built(built_store: EmbeddedStore) -> EmbeddedStore:
    return built_store


def test_parameters_are_typed() -> None:
    q = NamedQuery.parse("# param: n integer — a\n# param: x iri optional — b\n# param: d decimal default=2.5 — c\n"
                         "SELECT ?n ?x ?d WHERE {}", name="t")
    bound = q.bind({"n": "3", "x": "esco:Skill"})
    assert bound["n"] == ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert bound["x"] == ox.NamedNode("http://data.europa.eu/esco/model#Skill")
    assert bound["d"].value == "2.5"


@pytest.mark.parametrize("values,message", [
    ({}, "needs parameter 'n'"),
    ({"n": "three"}, "expects a whole number"),
    ({"n": "1", "x": INJECTION}, "expects an IRI"),
    ({"n": "1", "nope": "1"}, "no parameter 'nope'"),
])
def test_bad_parameters_name_the_parameter(values: dict[str, str], message: str) -> None:
    q = NamedQuery.parse("# param: n integer — a\n# param: x iri optional — b\nSELECT ?n ?x WHERE {}", name="t")
    with pytest.raises(ParameterError, match=message):
        q.bind(values)


def test_injection_is_a_literal_and_drops_nothing(built: EmbeddedStore) -> None:
    before = set(built.oxigraph)
    result = run_query(built, "label-search", text=INJECTION)
    assert len(result) == 0
    assert set(built.oxigraph) == before
    echo = NamedQuery.parse("# param: text string — t\n# columns: text\nSELECT ?text WHERE {}", name="echo")
    [row] = echo.run(built, text=INJECTION).rows
    assert row[0] == ox.Literal(INJECTION)


def test_parameter_filters_results(built: EmbeddedStore) -> None:
    everything = run_query(built, "ontology-classes")
    some = run_query(built, "ontology-classes", text="credential")
    assert 0 < len(some) < len(everything)
    assert all("credential" in label.lower() for label in some.values("label"))
    assert "text" not in some.variables


def test_every_shipped_query_declares_and_projects_its_parameters() -> None:
    queries = list_queries(internal=True)
    names = [q.name for q in queries]
    assert len(names) == len(set(names)), "two query files share a name"
    assert queries, "no named queries shipped"
    for q in queries:
        assert q.title, f"{q.name}: header has no title"
        assert q.text.lstrip().startswith("#"), f"{q.name}: no header comment"
        select = q.text.upper().split("WHERE", 1)[0]
        for p in q.parameters:
            if "SELECT" in select:
                assert f"?{p.name.upper()}" in select, f"{q.name}: parameter ?{p.name} must be in the SELECT clause"


def test_internal_queries_are_listed_only_when_asked() -> None:
    public = {q.name for q in list_queries()}
    every = {q.name for q in list_queries(internal=True)}
    assert "graph-counts" in every - public and "label-search" in public


def test_every_shipped_query_parses(built: EmbeddedStore) -> None:
    """Each query runs, and gives what its header promises: the declared columns in order, an ASK answer, or
    triples (a CONSTRUCT query declares the columns ``s p o``)."""
    for q in list_queries(internal=True):
        placeholder = {p.name: {"iri": "http://example.org/x", "integer": "1", "decimal": "1", "number": "1",
                                "boolean": "true", "date": "2025-01-01"}.get(p.type, "x")
                       for p in q.parameters if p.required}
        result = q.run(built, **placeholder)
        if result.boolean is None and not result.variables:
            assert q.columns == ("s", "p", "o"), f"{q.name}: a CONSTRUCT query declares the columns s p o"
            assert all(isinstance(t, ox.Triple) for t in result.triples), q.name
        elif q.columns:
            assert result.variables == q.columns, q.name
            assert all(len(row) == len(q.columns) for row in result.rows), q.name
        else:
            assert result.boolean is not None, f"{q.name}: no columns declared and not an ASK query"


def test_syntax_error_is_a_query_error(built: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="syntax"):
        built.query("SELEKT * WHERE {}")
