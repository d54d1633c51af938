"""The user-facing named query library: at least 25 queries with the full header, and each query added for stacking
paths, levels, volumes and taxonomy statistics returning real rows on the built sample graph (and on the real ESCO
v1.1.1 where it applies, checked against counts computed here from the raw CSV files)."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import run_cli, shared_path

from mcgraph import list_queries, run_query
from mcgraph.build import build
from mcgraph.loading import load_source
from mcgraph.sources.esco import EscoSource
from mcgraph.store import EmbeddedStore

CRED = "https://w3id.org/mcgraph/id/credential/"
EQF6 = "http://data.europa.eu/snb/eqf/6"
NFQ8 = "http://data.europa.eu/snb/qdr/c_218a7e54"
COMMUNICATION = "http://data.europa.eu/esco/skill/dc06de9f-dd3a-4f28-b58f-b01b5ae72ab8"
ADDED = ("credentials-at-level", "credential-stacks-into", "pathways-to-target", "skill-subtree-credentials",
         "taxonomy-statistics", "volume-by-jurisdiction", "volume-by-provider")


@pytest.fixture(scope="module")
def built(built_store: EmbeddedStore) -> EmbeddedStore:
    return built_store


def short(iri: str | None) -> str:
    return (iri or "").removeprefix(CRED)


def test_library_has_at_least_25_user_facing_queries_with_headers() -> None:
    public = list_queries()
    assert len(public) >= 25, [q.name for q in public]
    by_name = {q.name: q for q in public}
    for name in ADDED:
        q = by_name[name]
        assert q.title and q.description and q.columns, name
        assert f"# example: mcgraph query {name}" in q.text, f"{name}: no example call in the header"


def test_credentials_at_eqf6_include_nfq8_credentials_through_the_referencing(built: EmbeddedStore) -> None:
    rows = run_query(built, "credentials-at-level", level="eqf:6").dicts()
    direct = {short(r["credential"]) for r in rows if r["via"] == "direct"}
    through = {short(r["credential"]): r for r in rows if r["via"] != "direct"}
    assert {"eu-ladder-eqf6-visualisation", "eu-ladder-eqf6-ethics", "ie-microcreds-40-ects"} <= direct
    assert {"ie-ladder-nfq8-analytics", "ie-ladder-nfq8-governance", "ie-ladder-certificate"} <= set(through)
    nfq8 = through["ie-ladder-nfq8-analytics"]
    assert nfq8["credentialLevel"] == NFQ8 and nfq8["credentialLevelLabel"] == "NFQ level 8"
    assert nfq8["via"] == "Referencing of the Irish NFQ to the EQF" and nfq8["span"] == "false"
    assert "ie-ladder-nfq6-spreadsheets" not in direct | set(through)  # NFQ 6 is EQF 5
    assert all(r["credential"].startswith("https://w3id.org/mcgraph/id/credential/") for r in rows)
    eqf7 = {short(r["credential"]) for r in run_query(built, "credentials-at-level", level="eqf:7").dicts()}
    assert {"ie-ladder-nfq9-capstone", "eu-ladder-eqf7-research", "ie-microcreds-nfq9"} <= eqf7


def test_credential_stacks_into_walks_every_step(built: EmbeddedStore) -> None:
    rows = run_query(built, "credential-stacks-into", credential="mcgid:credential/ugc-data-1").dicts()
    assert [(short(r["target"]), r["direct"], r["rule"]) for r in rows] == [
        ("ugc-set-data", "true", "required part"), ("ugc-certificate", "false", None)]
    rows = run_query(built, "credential-stacks-into", credential=CRED + "rru-caf-specialist-1").dicts()
    assert {short(r["pathway"].rsplit("/", 1)[-1]) for r in rows} == {
        "rru-caf-nature-based", "rru-caf-policy", "rru-caf-communication"}
    assert {r["rule"] for r in rows} == {"option: 2 of the specialist group: specialist courses, levels 1 and 2"}
    assert run_query(built, "credential-stacks-into", credential=CRED + "ugc-certificate").dicts() == []


def test_pathways_to_target_include_the_off_ramps(built: EmbeddedStore) -> None:
    rows = run_query(built, "pathways-to-target", target="mcgid:credential/ugc-certificate").dicts()
    got = {r["pathway"].rsplit("/", 1)[-1]: r for r in rows}
    assert set(got) == {"ugc-certificate", "ugc-set-data", "ugc-set-risk", "ugc-set-community"}
    assert got["ugc-certificate"]["direct"] == "true" and got["ugc-set-data"]["direct"] == "false"
    assert (got["ugc-set-community"]["requiredParts"], got["ugc-set-community"]["choiceGroups"]) == ("2", "1")
    assert Decimal(got["ugc-certificate"]["minimumHours"]) == 200
    assert got["ugc-certificate"]["source"].endswith("bccampus-2025#appendix-2")
    diploma = run_query(built, "pathways-to-target", target=CRED + "ie-ladder-postgraduate-diploma").dicts()
    assert {r["minimumLevel"] for r in diploma} == {EQF6, None} and len(diploma) == 2


def test_volume_by_provider_sums_the_stated_hours(built: EmbeddedStore) -> None:
    rows = {r["provider"]: r for r in run_query(built, "volume-by-provider", jurisdiction="CA-BC").dicts()}
    poly = rows["Example Polytechnic (hypothetical)"]
    # 13 courses (4 × 25 h, 4 × 30 h, 25 + 30 + 30 + 25 + 25 h), three sets (100, 120, 110 h), the 240 h certificate
    assert (poly["credentials"], poly["withHours"], poly["totalHours"]) == ("17", "17", "925")
    assert (poly["minHours"], poly["maxHours"], poly["withPrice"], poly["currencies"]) == ("25", "240", "13", "CAD")
    rru = rows["Royal Roads University"]
    # six 30 h courses, the 180 h pathway micro-credential, four 30 h thematic courses; one without hours
    assert (rru["credentials"], rru["withHours"], rru["totalHours"]) == ("12", "11", "480")
    assert rows["University of British Columbia"]["totalHours"] is None
    everywhere = {r["provider"] for r in run_query(built, "volume-by-provider").dicts()}
    assert set(rows) < everywhere and "Example Technological University (hypothetical)" in everywhere - set(rows)


def test_volume_by_jurisdiction_counts_credentials_and_levels(built: EmbeddedStore) -> None:
    rows = {r["jurisdiction"]: r for r in run_query(built, "volume-by-jurisdiction").dicts()}
    assert {"CA-BC", "CA-ON", "IE", "EU", "NZ", "AU", "SG", "US"} <= set(rows)
    ie = rows["IE"]
    # 4 sample (incl. ie-microcreds-accredited) + 6 ladder credentials
    assert ie["withLevel"] == ie["withCredits"] == ie["credentials"] == "10"
    assert ie["totalHours"] == str(250 + 1000 + 125 + 125 + 250 + 250 + 750 + 250 + 1000 + 125)  # accredited: 125 h
    assert rows["CA-ON"]["withHours"] == "0" and rows["CA-ON"]["meanHours"] is None


def test_taxonomy_statistics_count_concepts_per_scheme_and_graph(built: EmbeddedStore) -> None:
    rows = run_query(built, "taxonomy-statistics").dicts()
    eqf = [r for r in rows if r["graph"].endswith("/frameworks/eqf")]
    assert [(r["schemeLabel"], r["concepts"]) for r in eqf] == [("European Qualifications Framework (EQF)", "8")]
    slice_skills = next(r for r in rows if r["scheme"] == "http://data.europa.eu/esco/concept-scheme/skills")
    assert int(slice_skills["concepts"]) > int(slice_skills["skills"]) > 0
    one = run_query(built, "taxonomy-statistics", graph="https://w3id.org/mcgraph/graph/frameworks/nfq").dicts()
    assert [(r["scheme"], r["concepts"]) for r in one] == [("https://w3id.org/mcgraph/id/qf/nfq", "10")]


def test_skill_subtree_counts_credentials_per_narrower_skill(built: EmbeddedStore) -> None:
    rows = run_query(built, "skill-subtree-credentials", skill=COMMUNICATION).dicts()
    assert len(rows) >= 5 and all(int(r["credentials"]) >= max(int(r["teaching"]), int(r["assessing"])) for r in rows)
    listed = run_query(built, "credentials-by-skill", skill=COMMUNICATION).dicts()
    for r in rows:  # the same claims the credential-level query lists, skill by skill
        creds = {x["credential"] for x in listed if x["claimedSkill"] == r["claimedSkill"]}
        assert len(creds) == int(r["credentials"]), r


def test_every_added_query_runs_from_the_command_line(capsys: pytest.CaptureFixture[str],
                                                     built_store_dir: Path) -> None:
    for name, params in [("credentials-at-level", ["level=eqf:6"]),
                         ("credential-stacks-into", ["credential=mcgid:credential/ugc-data-1"]),
                         ("pathways-to-target", ["target=mcgid:credential/ugc-certificate"]),
                         ("skill-subtree-credentials", [f"skill={COMMUNICATION}"]),
                         ("taxonomy-statistics", []), ("volume-by-jurisdiction", []),
                         ("volume-by-provider", ["jurisdiction=IE"])]:
        args = [a for p in params for a in ("-p", p)]
        code, out, err = run_cli(capsys, built_store_dir, "query", name, *args, "--format", "csv")
        assert code == 0, err
        assert len(out.strip().splitlines()) >= 2, f"{name} returned no rows"


# -- on the real ESCO v1.1.1 --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def with_esco() -> EmbeddedStore:
    folder = shared_path("esco", "v1.1.1")
    store = EmbeddedStore()
    list(build(store))
    load_source(store, EscoSource(skill_requirements=False), folder, version="1.1.1")
    return store


def _csv_schemes(folder: Path, names: tuple[str, ...], scheme: str) -> set[str]:
    found = set()
    for name in names:
        with (folder / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if scheme in set(re.split(r"[,\s]+", row["inScheme"])):
                    found.add(row["conceptUri"])
    return found


@pytest.mark.realdata
@pytest.mark.slow
def test_real_esco_taxonomy_statistics_match_the_csv(with_esco: EmbeddedStore) -> None:
    folder = shared_path("esco", "v1.1.1")
    rows = run_query(with_esco, "taxonomy-statistics",
                     graph="https://w3id.org/mcgraph/graph/esco/1.1.1").dicts()
    by_scheme = {r["scheme"]: r for r in rows}
    skills = "http://data.europa.eu/esco/concept-scheme/skills"
    expected = _csv_schemes(folder, ("skills_en.csv",), skills) | _csv_schemes(folder, ("skillGroups_en.csv",), skills)
    assert len(_csv_schemes(folder, ("skills_en.csv",), skills)) == int(by_scheme[skills]["skills"]) == 13_896
    assert int(by_scheme[skills]["concepts"]) == len(expected)  # the skills and the skill groups in the scheme
    occupations = "http://data.europa.eu/esco/concept-scheme/occupations"
    assert len(_csv_schemes(folder, ("occupations_en.csv",), occupations)) == 3_007
    assert int(by_scheme[occupations]["concepts"]) == len(
        _csv_schemes(folder, ("occupations_en.csv", "ISCOGroups_en.csv"), occupations))  # with the ISCO groups


@pytest.mark.realdata
@pytest.mark.slow
def test_real_esco_skill_subtree_reaches_the_sample_claims(with_esco: EmbeddedStore) -> None:
    rows = run_query(with_esco, "skill-subtree-credentials", skill=COMMUNICATION).dicts()
    slice_rows = run_query(with_esco, "credentials-by-skill", skill=COMMUNICATION).dicts()
    assert {r["claimedSkill"] for r in rows} == {r["claimedSkill"] for r in slice_rows}
    assert sum(int(r["credentials"]) for r in rows) >= 10
