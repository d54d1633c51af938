"""The common result model (mcgraph.checks.results) and its renderers."""

from __future__ import annotations

import json

import pyoxigraph as ox

from mcgraph.checks.render import render
from mcgraph.checks.results import CheckReport, CheckResult, Severity
from mcgraph.checks.skos import check_skos

SH = "http://www.w3.org/ns/shacl#"


def sample_report() -> CheckReport:
    results = [
        CheckResult(Severity.VIOLATION, "https://ex/c1", "https://ex/shape/hours", "needs 100-150 hours; has 40",
                    path="https://w3id.org/mcgraph/ontology#notionalHours", value="40", source=("https://ex/src",),
                    framework="ecmf", rule_label="Hours limit"),
        CheckResult(Severity.WARNING, "https://ex/c1-credit", "https://ex/shape/core", "credit value note",
                    rule_label="Core rule"),
        CheckResult(Severity.INFO, "https://ex/c2", "https://ex/shape/level", "cannot tell", framework="ecmf"),
    ]
    return CheckReport(results, checked=("https://ex/c1", "https://ex/c2"), frameworks=("ecmf",),
                       labels={"https://ex/c1": "Course one", "ecmf": "CMF"},
                       owner={"https://ex/c1-credit": "https://ex/c1"}, scope={"https://ex/c1": ("ecmf",)})


def test_severity_maps_to_shacl() -> None:
    assert [s.iri for s in Severity] == [SH + "Violation", SH + "Warning", SH + "Info"]
    assert Severity.from_iri(SH + "Info") is Severity.INFO
    assert Severity.from_iri("https://ex/custom") is Severity.VIOLATION  # SHACL: other severities count as violations


def test_report_conforms_counts_and_groups() -> None:
    report = sample_report()
    assert not report.conforms
    assert report.counts() == {"violation": 1, "warning": 1, "info": 1}
    grouped = report.by_focus()
    assert set(grouped) == {"https://ex/c1", "https://ex/c2"}  # the credit value is grouped under its credential
    assert set(grouped["https://ex/c1"]) == {"ecmf", "core"}
    only_info = report.filtered(severities=[Severity.INFO, Severity.WARNING])
    assert only_info.conforms and len(only_info.results) == 2


def test_renderers() -> None:
    report = sample_report()
    text = render(report, "text", {"https://ex/src": "seed 002, section X"})
    assert "Course one <https://ex/c1>" in text and "CMF (ecmf): FAILS" in text and "seed 002, section X" in text
    assert "# mcgraph check" in render(report, "md")
    assert "<h2>Course one</h2>" in render(report, "html")
    data = json.loads(render(report, "json"))
    assert data["conforms"] is False and data["results"][0]["credential"] == "https://ex/c1"
    graph = list(ox.parse(render(report, "ttl").encode(), format=ox.RdfFormat.TURTLE))
    conforms = [t.object.value for t in graph if t.predicate.value == SH + "conforms"]
    assert conforms == ["false"]
    assert sum(1 for t in graph if t.object == ox.NamedNode(SH + "ValidationResult")) == 3


def test_skos_findings_are_check_results() -> None:
    ttl = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix : <http://ex/> .
    :a a skos:Concept ; skos:prefLabel "A"@en , "Alpha"@en ."""
    report = check_skos(ox.parse(ttl, format=ox.RdfFormat.TURTLE), source="x.ttl")
    assert all(isinstance(i, CheckResult) for i in report.issues)
    assert {(i.rule, i.severity) for i in report.issues} == {("pref-label-per-language", Severity.VIOLATION),
                                                            ("not-in-scheme", Severity.VIOLATION)}
    common = report.to_check_report()
    assert not common.conforms and common.checked == ("x.ttl",)
