"""`mcgraph validate`, `mcgraph compliance`, mcgraph.validate / mcgraph.compliance, and the must-show cases."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

import mcgraph
from mcgraph.checks.compliance import FAILS, MEETS, NOT_APPLICABLE
from mcgraph.checks.render import FORMATS, render
from mcgraph.store import EmbeddedStore, LoadRecord

from conftest import run_cli

REPO = Path(__file__).resolve().parents[1]
CRED = "https://w3id.org/mcgraph/id/credential/"

# A credential complete for the Common Microcredential Framework except for three things: no title, 40 notional
# hours (the framework needs 100-150), and a level of the Australian framework that has no official EQF mapping.
MUST_SHOW = """@prefix dct: <http://purl.org/dc/terms/> .
@prefix mcg: <https://w3id.org/mcgraph/ontology#> .
@prefix ex: <https://example.org/catalogue/> .
ex:data-analysis a mcg:MicroCredential ;
    dct:description "Short course in data analysis." ;
    mcg:notionalHours 40 ;
    mcg:hasLevel <https://training.gov.au/aqfLevel/5> ;
    mcg:hasLearningOutcome ex:data-analysis-outcome ;
    mcg:hasAssessment ex:data-analysis-exam ;
    mcg:hasCreditValue ex:data-analysis-credit .
ex:data-analysis-outcome a mcg:LearningOutcome ; dct:description "Analyse a data set" .
ex:data-analysis-exam a mcg:Assessment ; mcg:assessmentType mcg:Summative ; mcg:identityVerification mcg:OnlineVerified .
ex:data-analysis-credit mcg:creditPoints 5 ; mcg:creditSystem <https://w3id.org/mcgraph/id/credit-system/ects> .
"""


def test_must_show_three_findings_an_analyst_can_act_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "catalogue.ttl"
    path.write_text(MUST_SHOW, encoding="utf-8")
    code, out, err = run_cli(capsys, tmp_path / "store", "validate", str(path), "--framework", "ecmf",
                             "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    found = sorted((r["rule"].rsplit("/", 1)[-1], r["severity"], re.split("[#/]", r["path"])[-1])
                   for r in data["results"])
    assert found == sorted([("core#Title", "violation", "title"), ("hours#shape", "violation", "notionalHours"),
                            ("eqf-level#cannot-tell", "info", "hasLevel")])
    messages = {r["rule"].rsplit("/", 1)[-1]: r["message"] for r in data["results"]}
    assert messages["core#Title"].startswith("The credential has no title")
    assert "needs 100-150 notional hours; the credential has 40" in messages["hours#shape"]
    assert "AQF level 5 has no official mapping" in messages["eqf-level#cannot-tell"]
    assert all(r["source"] for r in data["results"])
    assert not (tmp_path / "store").exists()  # nothing written to the user's store
    code, text, _ = run_cli(capsys, tmp_path / "store", "validate", str(path), "--framework", "ecmf")
    assert "European Common Micro-Credential Framework" in text and "FAILS" in text


def test_validate_catalogue_csv_before_loading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, tmp_path / "store", "validate", str(REPO / "data" / "catalog" / "example.csv"),
                             "--all", "--format", "json")
    assert code in (0, 1), err
    data = json.loads(out)
    with (REPO / "data" / "catalog" / "example.csv").open(encoding="utf-8", newline="") as fh:
        ids = [row["id"] for row in csv.DictReader(fh)]
    assert data["checked"] == sorted(CRED + i for i in ids) and len(ids) >= 5
    assert not (tmp_path / "store").exists()


def test_validate_bad_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    code, _, err = run_cli(capsys, tmp_path / "store", "validate", str(bad))
    assert code == 2 and "bad.ttl" in err and "Traceback" not in err
    code, _, err = run_cli(capsys, tmp_path / "store", "validate", "--framework", "nope", str(bad))
    assert code == 2


def test_validate_store_credential_and_formats(built_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("validate", "--credential", "ie-microcreds-nfq5", "--framework", "microcreds-ie")
    code, out, _ = run_cli(capsys, built_store_dir, *args, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["checked"] == [CRED + "ie-microcreds-nfq5"]
    level = [r for r in data["results"] if r["rule"].endswith("microcreds-ie/limit/nfq-level#shape")]
    assert len(level) == 1 and "needs Irish National Framework of Qualifications (NFQ) level 6-9" in level[0]["message"]
    assert "NFQ level 5" in level[0]["message"]
    for fmt in FORMATS:
        code, out, _ = run_cli(capsys, built_store_dir, *args, "--format", fmt)
        assert code == 1 and out.strip()
    code, out, _ = run_cli(capsys, built_store_dir, *args, "--format", "ttl")
    graph = ox.parse(out.encode(), format=ox.RdfFormat.TURTLE)
    assert any(t.object == ox.NamedNode("http://www.w3.org/ns/shacl#ValidationReport") for t in graph)
    code, out, _ = run_cli(capsys, built_store_dir, "validate", "--credential", "ie-microcreds-accredited",
                           "--format", "json")
    assert code == 0, out
    assert set(json.loads(out)["frameworks"]) >= {"microcreds-ie", "eu-council-2022", "ecmf"}


def test_both_engines_agree_on_the_sample(built_store: EmbeddedStore) -> None:
    fast = mcgraph.validate(built_store, all_frameworks=True)
    reference = mcgraph.validate(built_store, all_frameworks=True, engine="pyshacl")
    assert fast.keys() == reference.keys() and len(fast.results) > 1000


def test_sample_catalogue_meets_and_fails_each_framework(built_store: EmbeddedStore) -> None:
    frame = mcgraph.compliance(built_store)
    assert set(frame.columns) >= {"credential", "framework", "status", "violations", "warnings"}
    counts = frame.groupby(["framework", "status"]).size().unstack(fill_value=0)
    # MCC Canada and Singapore state only recommendations (no rule a credential can violate): meets only.
    no_required_rule = {"mcc-canada", "singapore"}
    for fw, row in counts.iterrows():
        assert row.get(MEETS, 0) >= 1, fw
        if fw not in no_required_rule:
            assert row.get(FAILS, 0) >= 1, fw
    report = mcgraph.validate(built_store)
    failures = [r for r in report.results if r.severity.label == "violation"]
    assert failures and all(r.source and r.rule for r in failures)
    row = frame[(frame.credential == CRED + "nz-nzqa-45-credits") & (frame.framework == "nzqa")].iloc[0]
    assert row.status == FAILS and row.violations >= 1
    row = frame[(frame.credential == CRED + "nz-nzqa-45-credits") & (frame.framework == "bc")].iloc[0]
    assert row.status == NOT_APPLICABLE


def test_changing_a_limit_in_the_data_changes_the_verdict() -> None:
    store = EmbeddedStore()
    list(mcgraph.build(store))
    cred = CRED + "ie-microcreds-nfq9"  # 250 notional hours, 10 ECTS
    before = mcgraph.validate(store, frameworks=["ecmf"], credentials=[cred])
    assert any(r.rule.endswith("ecmf/limit/hours#shape") for r in before.results)
    text = (REPO / "data" / "frameworks" / "microcredential-frameworks.ttl").read_text(encoding="utf-8")
    assert "mcg:maxInclusive 150.0 ;" in text
    changed = text.replace("mcg:maxInclusive 150.0 ;", "mcg:maxInclusive 300.0 ;")
    store.write_graph("https://w3id.org/mcgraph/graph/frameworks/microcredential-frameworks",
                      ox.parse(changed.encode(), format=ox.RdfFormat.TURTLE),
                      LoadRecord("https://w3id.org/mcgraph/graph/frameworks/microcredential-frameworks", "rdf"),
                      replace=True, reserved_ok=True)
    after = mcgraph.validate(store, frameworks=["ecmf"], credentials=[cred])
    assert not any(r.rule.endswith("ecmf/limit/hours#shape") for r in after.results)


def test_compliance_command_formats(built_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, built_store_dir, "compliance", "--format", "csv", "--jurisdiction", "NZ")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "credential,title,framework,status,violations,warnings,infos"
    assert {line.split(",")[0].rsplit("/", 1)[-1] for line in lines[1:]} == {"nz-nzqa-level5", "nz-nzqa-45-credits"}
    for fmt in ("table", "json", "md", "html"):
        code, out, _ = run_cli(capsys, built_store_dir, "compliance", "--format", fmt)
        assert code == 0 and "nz-nzqa-45-credits" in out


def test_render_text_groups_by_credential_framework_rule(built_store: EmbeddedStore) -> None:
    report = mcgraph.validate(built_store, frameworks=["nzqa"], credentials=[CRED + "nz-nzqa-45-credits"])
    text = render(report, "text")
    lines = text.splitlines()
    assert lines[0].startswith("mcgraph validate: 1 checked — does not conform")
    assert any(line.startswith("  NZQA micro-credentials (nzqa): FAILS") for line in lines)
    assert "needs at most 40 NZQA credits; the credential has 45" in text
