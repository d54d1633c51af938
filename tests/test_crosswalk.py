"""Occupation crosswalks (ESCO–O*NET, NOC 2021–O*NET, NOC 2016–2021) as SKOS mappings + SSSOM nodes,
and the crosswalk queries; on hand-written fixtures and on the real files in ../shared/data/crosswalks."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import shared_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcgraph.errors import McgraphError, SourceFormatError
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH
from mcgraph.queries import run_query
from mcgraph.sources.crosswalk import CrosswalkSource, mapping_iri, noc_iri, onet_iri
from mcgraph.store import EmbeddedStore

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "crosswalk"
ESCO_ONET = FIXTURES / "esco_onet_small.csv"
NOC_ONET = FIXTURES / "noc2021_onet_small.csv"
NOC_NOC = FIXTURES / "noc_2021_2016_small.csv"
ESCO_ISCO = FIXTURES / "esco_isco_small.ttl"
OCC = "http://data.europa.eu/esco/occupation/00000000-0000-4000-8000-00000000000"
SKOS = "http://www.w3.org/2004/02/skos/core#"

MAPPINGS = """SELECT ?m ?s ?p ?o ?conf ?sim ?just ?source ?set ?comment ?slabel ?olabel ?g WHERE { GRAPH ?g {
  ?m a sssom:Mapping ; sssom:subject_id ?s ; sssom:predicate_id ?p ; sssom:object_id ?o ;
     sssom:mapping_justification ?just ; dct:source ?source ; dct:isPartOf ?set ; sssom:comment ?comment .
  ?s ?p ?o .
  OPTIONAL { ?m sssom:confidence ?conf } OPTIONAL { ?m sssom:similarity_score ?sim }
  OPTIONAL { ?m sssom:subject_label ?slabel } OPTIONAL { ?m sssom:object_label ?olabel } } }"""


def mappings(store: EmbeddedStore, graph: str) -> dict[tuple[str, str], dict[str, str | None]]:
    rows = store.query(MAPPINGS, {"g": ox.NamedNode(graph)}, union_default_graph=False).dicts()
    return {(r["s"], r["o"]): r for r in rows}  # type: ignore[misc]


def predicates(found: dict) -> dict[tuple[str, str], str]:
    return {k: v["p"].removeprefix(SKOS) for k, v in found.items()}


@pytest.fixture(scope="module")
def fixture_store() -> EmbeddedStore:
    store = EmbeddedStore()
    for path in (ESCO_ONET, NOC_ONET, NOC_NOC):
        load_source(store, "crosswalk", path)
    load_source(store, "rdf", ESCO_ISCO, graph=str(GRAPH["test/esco"]))
    return store


# -- kinds and IRIs ------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "kind"), [(ESCO_ONET, "esco-onet"), (NOC_ONET, "noc2021-onet"),
                                            (NOC_NOC, "noc2016-noc2021")])
def test_kind_is_detected_from_the_header(path: Path, kind: str) -> None:
    assert CrosswalkSource().detect_version(path) == kind


def test_unknown_layout_and_wrong_kind(store: EmbeddedStore, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="not a known crosswalk layout") as info:
        load_source(store, "crosswalk", other, version="x")
    assert info.value.row == 1 and "esco-onet: concept_uri" in info.value.reason
    with pytest.raises(SourceFormatError, match="expected a noc2021-onet crosswalk"):
        load_source(store, CrosswalkSource(kind="noc2021-onet"), ESCO_ONET)
    with pytest.raises(ValueError):
        CrosswalkSource(kind="isco-onet")
    assert len(store.oxigraph) == 0


def test_iris_match_the_occupation_loaders() -> None:
    assert onet_iri("15-1252.00").value == "https://w3id.org/mcgraph/id/onet/occupation/15-1252.00"
    assert noc_iri("00010", "2021").value == "https://w3id.org/mcgraph/id/noc/2021/00010"
    from mcgraph.sources import oasis, onet

    assert onet.occupation_iri("15-1252.00") == onet_iri("15-1252.00")
    assert oasis.noc_iri("00010") == noc_iri("00010", "2021")
    assert oasis.noc_iri("0011", "2016") == noc_iri("0011", "2016")


# -- ESCO → O*NET --------------------------------------------------------------------------------

def test_esco_onet(fixture_store: EmbeddedStore) -> None:
    found = mappings(fixture_store, str(GRAPH["crosswalk/esco-onet"]))
    assert len(found) == 5
    assert predicates(found) == {
        (OCC + "1", onet_iri("11-1031.00").value): "broadMatch",   # legislators is shared by two ESCO occupations
        (OCC + "2", onet_iri("11-1031.00").value): "broadMatch",
        (OCC + "3", onet_iri("15-1252.00").value): "closeMatch",   # confidence 2, one-to-one
        (OCC + "4", onet_iri("15-2051.00").value): "closeMatch",   # confidence 1, one-to-one
        (OCC + "5", onet_iri("11-1011.00").value): "broadMatch",   # confidence 0.5: nearest, more general
    }
    mp = found[(OCC + "1", onet_iri("11-1031.00").value)]
    assert mp["m"] == mapping_iri("esco-onet", "00000000-0000-4000-8000-000000000001", "11-1031.00").value
    assert float(mp["conf"]) == 1.0 and mp["sim"] == "0.747042378783226"
    assert float(found[(OCC + "5", onet_iri("11-1011.00").value)]["conf"]) == 0.25
    assert mp["just"] == "https://w3id.org/semapv/vocab/CompositeMatching"
    assert "nestauk/mapping-career-causeways" in mp["source"]
    assert mp["slabel"] == "member of parliament" and mp["olabel"] == "legislators"
    assert "matched to 2 ESCO occupations" in mp["comment"] and "Nesta confidence 2.0" in mp["comment"]
    publisher = fixture_store.query("SELECT ?p ?s WHERE { ?s dct:publisher ?p }",
                                    {"s": ox.NamedNode(mp["set"])}).values("p")
    assert publisher == ["Nesta"]


# -- NOC 2021 → O*NET ----------------------------------------------------------------------------

def test_noc_onet(fixture_store: EmbeddedStore) -> None:
    found = mappings(fixture_store, str(GRAPH["crosswalk/noc2021-onet"]))
    noc, onet = (lambda c: noc_iri(c, "2021").value), (lambda c: onet_iri(c).value)
    assert predicates(found) == {
        (noc("00010"), onet("11-1031.00")): "closeMatch",   # "10" padded to 00010; one-to-one
        (noc("21232"), onet("15-1252.00")): "closeMatch",   # many-to-many
        (noc("21232"), onet("15-1253.00")): "narrowMatch",  # the NOC maps to two; this O*NET only to it
        (noc("21231"), onet("15-1252.00")): "broadMatch",   # the O*NET occupation is shared by two NOCs
        (noc("22101"), onet("19-4043.00")): "closeMatch",   # the file repeats the pair with two titles
    }
    twice = found[(noc("22101"), onet("19-4043.00"))]
    assert twice["olabel"] == "Geophysical Data Technicians / Geological Sample Test Technicians"
    assert twice["conf"] is None and twice["sim"] is None
    assert twice["just"] == "https://w3id.org/semapv/vocab/ManualMappingCuration"


def test_noc_onet_report_accounts_for_every_row(store: EmbeddedStore) -> None:
    report = load_source(store, "crosswalk", NOC_ONET)
    assert report.counts["rows"] == 6
    assert report.counts["mappings"] + report.counts["duplicate rows (same pair)"] == 6
    assert sum(v for k, v in report.counts.items() if k.startswith("mappings: ")) == report.counts["mappings"] == 5


# -- NOC 2016 → NOC 2021 -------------------------------------------------------------------------

def test_noc2016_noc2021(fixture_store: EmbeddedStore) -> None:
    found = mappings(fixture_store, str(GRAPH["crosswalk/noc2016-noc2021"]))
    old, new = (lambda c: noc_iri(c, "2016").value), (lambda c: noc_iri(c, "2021").value)
    assert predicates(found) == {
        (old("0011"), new("00010")): "exactMatch",     # virtual change only, one-to-one
        (old("0112"), new("10011")): "narrowMatch",    # 0112 continues as 10011, which comes only from it
        (old("0112"), new("11200")): "relatedMatch",   # a transferred part; 11200 also has 1121
        (old("0112"), new("22232")): "relatedMatch",   # a split-off part; 22232 also has 2263
        (old("1121"), new("11200")): "broadMatch",     # 1121 went whole into 11200
        (old("2263"), new("21120")): "narrowMatch",    # breakdown
        (old("2263"), new("22232")): "relatedMatch",
        (old("3124"), new("31303")): "closeMatch",     # "continues as", but 31303 also took part of 3125
        (old("3124"), new("32103")): "narrowMatch",
        (old("3125"), new("31209")): "narrowMatch",
        (old("3125"), new("31303")): "relatedMatch",
    }
    comment = found[(old("0112"), new("11200"))]["comment"]
    assert "change type: RC5 - Transfer" in comment and "notes: 0112 continues as 10011" in comment
    labels = fixture_store.query("SELECT ?l ?n ?c WHERE { ?c a mcg:Occupation ; skos:notation ?n ; skos:prefLabel ?l }",
                                 {"c": ox.NamedNode(old("0011"))}).dicts()
    assert [(r["n"], r["l"]) for r in labels] == [("0011", "Legislators")]


# -- queries -------------------------------------------------------------------------------------

def test_crosswalk_occupation_query(fixture_store: EmbeddedStore) -> None:
    rows = run_query(fixture_store, "crosswalk-occupation", occupation="onet:occupation/11-1031.00").dicts()
    by_mapped = {r["mapped"]: r for r in rows}
    assert set(by_mapped) == {OCC + "1", OCC + "2", noc_iri("00010", "2021").value}
    # loaded as ESCO skos:broadMatch O*NET; seen from the O*NET side it is narrowMatch
    assert by_mapped[OCC + "1"]["predicate"] == SKOS + "narrowMatch"
    assert by_mapped[OCC + "1"]["label"] == "member of parliament"
    assert by_mapped[noc_iri("00010", "2021").value]["predicate"] == SKOS + "closeMatch"
    rows = run_query(fixture_store, "crosswalk-occupation", occupation="noc:2021/00010").dicts()
    assert {(r["mapped"], r["predicate"].removeprefix(SKOS)) for r in rows} == {
        (onet_iri("11-1031.00").value, "closeMatch"), (noc_iri("0011", "2016").value, "exactMatch")}


def test_crosswalk_isco_onet_query(fixture_store: EmbeddedStore) -> None:
    rows = run_query(fixture_store, "crosswalk-isco-onet", isco="isco:C1111").dicts()
    assert [(r["onetLabel"], r["escoOccupations"], r["predicates"], float(r["maxConfidence"])) for r in rows] == [
        ("legislators", "2", "broadMatch", 1.0)]
    assert rows[0]["iscoLabel"] == "Legislators"
    units = run_query(fixture_store, "crosswalk-isco-onet", digits=4).dicts()
    assert {(r["iscoCode"], r["onet"].rsplit("/", 1)[1]) for r in units} == {
        ("1111", "11-1031.00"), ("1112", "11-1011.00"), ("2511", "15-2051.00"), ("2512", "15-1252.00")}
    majors = run_query(fixture_store, "crosswalk-isco-onet", isco="isco:C1").dicts()
    assert {r["onet"].rsplit("/", 1)[1]: r["escoOccupations"] for r in majors} == {"11-1031.00": "2",
                                                                                  "11-1011.00": "1"}


# -- bad input -----------------------------------------------------------------------------------

def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(("source", "row", "column", "value", "reason"), [
    (ESCO_ONET, 3, "onet_code", "15-1252", "not an O*NET-SOC code"),
    (ESCO_ONET, 2, "concept_uri", "http://data.europa.eu/esco/skill/abc", "not an ESCO occupation IRI"),
    (ESCO_ONET, 4, "confidence", "3", "not a number from 0 to 2"),
    (ESCO_ONET, 5, "semantic_similarity", "high", "not a number from 0 to 1"),
    (ESCO_ONET, 5, "semantic_similarity", "nan", "not a number from 0 to 1"),
    (NOC_ONET, 2, "noc", "10A", "not a NOC code of at most 5 digits"),
    (NOC_ONET, 6, "noc", "123456", "not a NOC code of at most 5 digits"),
    (NOC_NOC, 3, "NOC2016", "01121", "not a NOC code of at most 4 digits"),
])
def test_bad_cells_name_row_and_field(store: EmbeddedStore, tmp_path: Path, source: Path, row: int, column: str,
                                      value: str, reason: str) -> None:
    load_source(store, "crosswalk", NOC_NOC, graph="urn:test:kept")
    before = set(store.oxigraph)
    rows = rows_of(source)
    rows[row - 1][rows[0].index(column)] = value
    path = write(tmp_path / source.name, rows)
    with pytest.raises(SourceFormatError) as info:
        load_source(store, "crosswalk", path, graph="urn:test:bad")
    error = info.value
    assert (error.path, error.row, error.field) == (str(path), row, column) and reason in error.reason
    assert set(store.oxigraph) == before


def test_truncated_and_missing_column(store: EmbeddedStore, tmp_path: Path) -> None:
    data = ESCO_ONET.read_text(encoding="utf-8")
    cut = tmp_path / "esco_onet_cut.csv"
    cut.write_text(data[: data.index("software developers")], encoding="utf-8")
    with pytest.raises(SourceFormatError) as info:
        load_source(store, "crosswalk", cut, version="esco-onet")
    assert info.value.row == 4 and "cells" in info.value.reason
    rows = [r[:-1] for r in rows_of(ESCO_ONET)]  # no concept_uri
    with pytest.raises(SourceFormatError, match="not a known crosswalk layout"):
        load_source(store, "crosswalk", write(tmp_path / "x.csv", rows), version="x")
    assert len(store.oxigraph) == 0


def test_mapping_iris_are_deterministic() -> None:
    a, b = EmbeddedStore(), EmbeddedStore()
    load_source(a, "crosswalk", NOC_NOC)
    load_source(b, "crosswalk", NOC_NOC)
    graph = str(GRAPH["crosswalk/noc2016-noc2021"])
    assert set(mappings(a, graph)) == set(mappings(b, graph))
    assert {v["m"] for v in mappings(a, graph).values()} == {v["m"] for v in mappings(b, graph).values()}


FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(which=st.sampled_from([ESCO_ONET, NOC_ONET, NOC_NOC]),
       cells=st.lists(st.tuples(st.integers(1, 12), st.integers(0, 9), st.text(max_size=12)), max_size=4))
def test_fuzz_cells(tmp_path: Path, which: Path, cells: list[tuple[int, int, str]]) -> None:
    rows = rows_of(which)
    for r, c, value in cells:
        if r < len(rows) and c < len(rows[r]):
            rows[r][c] = value
    path = write(tmp_path / which.name, rows)
    try:
        load_source(EmbeddedStore(), "crosswalk", path)
    except McgraphError:
        pass


# -- the real files ------------------------------------------------------------------------------

REAL = {"esco-onet": "esco_onet_crosswalk_Nov2020.csv", "noc2021-onet": "noc2021_onet26.csv",
        "noc2016-noc2021": "noc_2021_2016.csv"}


@pytest.fixture(scope="module")
def real():
    store = EmbeddedStore()
    reports = {kind: load_source(store, "crosswalk", shared_path("crosswalks", name)) for kind, name in REAL.items()}
    return store, reports


def real_rows(kind: str) -> list[dict[str, str]]:
    return list(csv.DictReader(shared_path("crosswalks", REAL[kind]).open(encoding="utf-8", newline="")))


@pytest.mark.realdata
def test_real_esco_onet(real) -> None:
    store, reports = real
    report, rows = reports["esco-onet"], real_rows("esco-onet")
    assert report.counts["rows"] == len(rows) == 1680
    assert report.counts["mappings"] == 1680 and report.counts["duplicate rows (same pair)"] == 0
    assert report.counts["mappings: skos:closeMatch"] + report.counts["mappings: skos:broadMatch"] == 1680
    found = mappings(store, str(GRAPH["crosswalk/esco-onet"]))
    assert len(found) == 1680
    for row in rows:
        m = found[(row["concept_uri"], onet_iri(row["onet_code"]).value)]
        assert m["sim"] == row["semantic_similarity"]          # similarity kept as published
        assert float(m["conf"]) == float(row["confidence"]) / 2  # Nesta 0.5/1/2 → 0.25/0.5/1
        assert m["slabel"] == row["esco_occupation"]
    shared = Counter(r["onet_code"] for r in rows)
    close = {(r["concept_uri"]) for r in rows if shared[r["onet_code"]] == 1 and float(r["confidence"]) >= 1}
    assert {k[0] for k, v in found.items() if v["p"] == SKOS + "closeMatch"} == close


@pytest.mark.realdata
def test_real_noc2021_onet(real) -> None:
    store, reports = real
    report, rows = reports["noc2021-onet"], real_rows("noc2021-onet")
    pairs = {(r["noc"], r["onet"]) for r in rows}
    assert report.counts["rows"] == len(rows) == 1467
    assert report.counts["mappings"] == len(pairs) == 1389
    assert report.counts["duplicate rows (same pair)"] == 1467 - 1389
    found = mappings(store, str(GRAPH["crosswalk/noc2021-onet"]))
    codes = {s.rsplit("/", 1)[1] for s, _ in found}
    assert len(codes) == len({r["noc"] for r in rows}) == 515
    assert all(re.fullmatch(r"\d{5}", c) for c in codes)
    assert "00010" in codes and "10" not in codes
    assert all(s.startswith("https://w3id.org/mcgraph/id/noc/2021/") for s, _ in found)


@pytest.mark.realdata
def test_real_noc2016_noc2021(real) -> None:
    store, reports = real
    report, rows = reports["noc2016-noc2021"], real_rows("noc2016-noc2021")
    assert report.counts["rows"] == report.counts["mappings"] == len(rows) == 584
    assert report.counts["NOC 2016 unit groups"] == 500
    found = mappings(store, str(GRAPH["crosswalk/noc2016-noc2021"]))
    assert len(found) == 584
    old = {s.rsplit("/", 1)[1] for s, _ in found}
    new = {o.rsplit("/", 1)[1] for _, o in found}
    assert all(re.fullmatch(r"\d{4}", c) for c in old) and all(re.fullmatch(r"\d{5}", c) for c in new)
    assert len(new) == 516
    by_predicate = Counter(v["p"].removeprefix(SKOS) for v in found.values())
    assert sum(by_predicate.values()) == 584
    # rows whose only changes are virtual (code / name) are never split or partial
    for row in rows:
        if not re.search(r"\bRC", row["Change_type"]):
            key = (noc_iri(row["NOC2016"].zfill(4), "2016").value, noc_iri(row["NOC2021"].zfill(5), "2021").value)
            assert found[key]["p"] in (SKOS + "exactMatch", SKOS + "broadMatch")
