"""SKOS integrity checks (mcgraph.skos_check), the SKOS loader and `mcgraph check skos`."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from mcgraph.cli import cli
from mcgraph.errors import McgraphError, SourceFormatError
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH
from mcgraph.checks.skos import CHECKS, ERROR, check_skos
from mcgraph.sources.skos import SkosSource
from mcgraph.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]
BROKEN = Path(__file__).resolve().parent / "fixtures" / "skos" / "broken.ttl"
GREEN = REPO / "data" / "examples" / "green-skills" / "green-skills.ttl"
EX = "https://example.org/broken/"
PRE = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix : <http://ex/> . @prefix rdfs: " \
      "<http://www.w3.org/2000/01/rdf-schema#> .\n:s a skos:ConceptScheme ; skos:hasTopConcept :top .\n" \
      ":top a skos:Concept ; skos:prefLabel \"top\"@en .\n"


def check_ttl(text: str):
    return check_skos(ox.parse((PRE + text).encode(), format=ox.RdfFormat.TURTLE))


def found(report) -> list[tuple[str, str | None]]:
    return [(i.rule, i.focus) for i in report.issues]


# -- the checks ----------------------------------------------------------------------------------

EXPECTED = {
    "pref-label-per-language": EX + "a",
    "label-clash": EX + "b",
    "broader-cycle": EX + "c",
    "not-in-scheme": EX + "f",
    "related-broader-clash": EX + "g",
    "undefined-broader": EX + "f",
    "missing-pref-label": EX + "g",
    "top-concept-has-broader": EX + "top",
    "scheme-without-top-concept": EX + "empty",
    "undefined-scheme": EX + "h",
}


def test_every_check_is_exercised_by_the_broken_fixture() -> None:
    assert set(EXPECTED) == set(CHECKS)


@pytest.fixture(scope="module")
def broken_report():
    return check_skos(ox.parse(path=str(BROKEN), format=ox.RdfFormat.TURTLE), source=BROKEN.name)


@pytest.mark.parametrize("check", sorted(EXPECTED))
def test_broken_fixture_has_exactly_the_planted_problem(broken_report, check: str) -> None:
    hits = [i for i in broken_report.issues if i.rule == check]
    assert [i.focus for i in hits] == [EXPECTED[check]]
    assert hits[0].severity == CHECKS[check]


def test_broken_fixture_summary(broken_report) -> None:
    assert len(broken_report.errors) == 5 and len(broken_report.warnings) == 5
    assert not broken_report.ok
    assert broken_report.concepts == 9
    cycle = next(i for i in broken_report.issues if i.rule == "broader-cycle")
    assert cycle.message.count("→") == 3  # c → d → e → c
    clash = next(i for i in broken_report.issues if i.rule == "pref-label-per-language")
    assert "'A', 'Alpha'" in clash.message and "'en'" in clash.message  # the French "A" is no clash


def test_clean_example_has_no_issue() -> None:
    report = check_skos(ox.parse(path=str(GREEN), format=ox.RdfFormat.TURTLE))
    assert report.issues == [] and report.ok
    assert report.concepts == 9
    (scheme,) = report.schemes
    assert scheme.label == "Green skills (example)" and scheme.concepts == 9 and len(scheme.top_concepts) == 3


def test_self_loop_and_narrower_cycle_are_found() -> None:
    report = check_ttl(":a a skos:Concept ; skos:prefLabel \"a\"@en ; skos:inScheme :s ; skos:broader :a .\n"
                       ":b a skos:Concept ; skos:prefLabel \"b\"@en ; skos:inScheme :s ; skos:narrower :c .\n"
                       ":c a skos:Concept ; skos:prefLabel \"c\"@en ; skos:inScheme :s ; skos:narrower :b .\n")
    cycles = [i.focus for i in report.issues if i.rule == "broader-cycle"]
    assert cycles == ["http://ex/a", "http://ex/b"]


def test_subclass_of_concept_counts_as_a_concept() -> None:
    report = check_ttl(":Kind rdfs:subClassOf skos:Concept .\n:k a :Kind ; skos:prefLabel \"k\"@en .\n")
    assert ("not-in-scheme", "http://ex/k") in found(report)
    assert report.concepts == 2


def test_same_label_in_two_languages_and_repeated_triples_are_fine() -> None:
    report = check_ttl(":a a skos:Concept ; skos:inScheme :s ; skos:prefLabel \"Data\"@en , \"Data\"@nl ;"
                       " skos:altLabel \"Data\"@fr .\n")
    assert report.issues == []


def test_language_tags_compare_case_insensitively() -> None:
    report = check_ttl(":a a skos:Concept ; skos:inScheme :s ; skos:prefLabel \"x\"@en-GB , \"y\"@en-gb .\n")
    assert found(report) == [("pref-label-per-language", "http://ex/a")]


def test_text_and_json_renderings() -> None:
    report = check_skos(ox.parse(path=str(BROKEN), format=ox.RdfFormat.TURTLE), source="broken.ttl")
    text = report.render_text(max_examples=1)
    assert text.splitlines()[0] == "SKOS check of broken.ttl: 9 concepts in 3 schemes — 5 errors, 5 warnings"
    assert "Errors:" in text and "Warnings:" in text and "broader-cycle (1):" in text
    data = json.loads(report.to_json())
    assert data["errors"] == 5 and data["ok"] is False
    assert {i["check"] for i in data["issues"]} == set(CHECKS)
    assert all(i["severity"] in (ERROR.label, "warning") for i in data["issues"])


# -- the loader ----------------------------------------------------------------------------------

def test_load_skos_example(store: EmbeddedStore) -> None:
    report = load_source(store, "skos", GREEN)
    assert report.graph == str(GRAPH["skos/green-skills"])
    assert report.counts["concepts"] == 9 and report.counts["SKOS errors"] == 0
    assert report.triples == report.counts["triples read"] == 59
    assert report.warnings == []
    assert store.count(report.graph) == 59


def test_load_skos_other_syntax(store: EmbeddedStore, tmp_path: Path) -> None:
    triples = list(ox.parse(path=str(GREEN), format=ox.RdfFormat.TURTLE))
    for fmt, ext in ((ox.RdfFormat.RDF_XML, "rdf"), (ox.RdfFormat.N_TRIPLES, "nt"), (ox.RdfFormat.JSON_LD, "jsonld")):
        path = tmp_path / f"green.{ext}"
        path.write_bytes(ox.serialize(triples, format=fmt))
        report = load_source(store, "skos", path, graph=f"urn:test:{ext}")
        assert report.counts["concepts"] == 9 and report.triples == 59


def test_broken_file_loads_with_warnings_but_not_strictly(store: EmbeddedStore) -> None:
    report = load_source(store, "skos", BROKEN)
    assert report.counts["SKOS errors"] == 5 and report.counts["SKOS warnings"] == 5
    assert len(report.warnings) == 10
    assert any("violation: broader-cycle" in str(w) for w in report.warnings)
    before = set(store.oxigraph)
    with pytest.raises(SourceFormatError, match="5 SKOS integrity error"):
        load_source(store, SkosSource(strict=True), BROKEN, graph="urn:test:strict")
    assert set(store.oxigraph) == before


def test_syntax_error_names_line_and_writes_nothing(store: EmbeddedStore, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(GREEN.read_text(encoding="utf-8").replace("gs:G2.1 a mcg:Skill ;", "gs:G2.1 a mcg:Skill ;;;;<"),
                   encoding="utf-8")
    with pytest.raises(SourceFormatError) as info:
        load_source(store, "skos", bad)
    assert info.value.line is not None and info.value.path == str(bad)
    assert len(store.oxigraph) == 0


# -- the command ---------------------------------------------------------------------------------

def run(*args: str, store: Path, catch: bool = False):
    return CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=catch)


def test_check_command_exit_codes(tmp_path: Path) -> None:
    result = run("check", "skos", str(BROKEN), store=tmp_path / "s")
    assert result.exit_code == 1
    assert "5 errors, 5 warnings" in result.output and "broader-cycle" in result.output
    result = run("check", "skos", str(GREEN), store=tmp_path / "s")
    assert result.exit_code == 0 and "no problems" in result.output


def test_check_command_strict_counts_warnings(tmp_path: Path) -> None:
    only_warning = tmp_path / "w.ttl"
    only_warning.write_text(PRE.replace(":top a skos:Concept", ":top a skos:Concept ; skos:inScheme :s"),
                            encoding="utf-8")
    assert run("check", "skos", str(only_warning), store=tmp_path / "s").exit_code == 0
    text = only_warning.read_text(encoding="utf-8") + ":x a skos:Concept ; skos:inScheme :s .\n"
    only_warning.write_text(text, encoding="utf-8")
    assert run("check", "skos", str(only_warning), store=tmp_path / "s").exit_code == 0
    assert run("check", "skos", "--strict", str(only_warning), store=tmp_path / "s").exit_code == 1


def test_check_command_on_a_loaded_graph_and_json(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as store:
        load_source(store, "skos", BROKEN)
    result = run("check", "skos", "--graph", "skos/broken", "--format", "json", store=tmp_path / "s")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["errors"] == 5 and data["source"].endswith("skos/broken>")


def test_check_command_errors(tmp_path: Path) -> None:
    assert run("check", "skos", store=tmp_path / "s").exit_code == 2  # usage: nothing to check
    result = run("check", "skos", "--graph", "nothing/here", store=tmp_path / "s", catch=True)
    assert isinstance(result.exception, McgraphError) and "no graph" in str(result.exception)
