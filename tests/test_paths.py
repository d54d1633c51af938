"""Stacking paths (`mcgraph paths`, `mcgraph.paths`): completions with their hours and rules, refusals naming the
unmet rule, off-ramps, level ladders through the official NFQ-EQF referencing, cycles reported, parameters bound."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

import mcgraph
from mcgraph import ParameterError, run_query
from mcgraph.analysis.pathways import PathsError, check_completion, paths
from mcgraph.analysis.stacking import UnknownCredentialError, stacking_graph
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH
from mcgraph.store import EmbeddedStore

CRED = "https://w3id.org/mcgraph/id/credential/"
REQUIRED = ["rru-caf-required-1", "rru-caf-required-2"]
SPECIALISTS = ["rru-caf-specialist-1", "rru-caf-specialist-2"]
INJECTION = '"> } ; DROP ALL ; #'


def short(iri: str) -> str:
    return iri.removeprefix(CRED)


@pytest.fixture(scope="module")
def built(built_store: EmbeddedStore) -> EmbeddedStore:
    return built_store


def fixture_store(name: str) -> EmbeddedStore:
    store = EmbeddedStore()
    load_source(store, "rdf", FIXTURES / "paths" / f"{name}.ttl", graph=str(GRAPH[f"test/{name}"]))
    return store


# -- RRU Climate Action Fundamentals, 2 + 2 + 2 (seed 002, Appendix 2) ------------------------------------------


def test_rru_from_the_two_required_courses_lists_each_thematic_completion_with_its_hours(built: EmbeddedStore) -> None:
    result = paths(built, have=REQUIRED, to="rru-caf")
    [dest] = result.destinations
    assert short(dest.credential.iri) == "rru-caf" and dest.route == (CRED + "rru-caf-required-1", CRED + "rru-caf")
    got = {c.pathway.rsplit("/", 1)[-1]: c for c in dest.completions}
    assert set(got) == {"rru-caf-communication", "rru-caf-nature-based", "rru-caf-policy"}
    # hours still to do: two 30 h specialist courses + two 30 h thematic courses (equal: listed by pathway)
    assert [(c.pathway.rsplit("/", 1)[-1], c.hours) for c in dest.completions] == [
        ("rru-caf-communication", Decimal(120)), ("rru-caf-nature-based", Decimal(120)),
        ("rru-caf-policy", Decimal(120))]
    for name, completion in got.items():
        theme = name.removeprefix("rru-caf-")
        taken = [short(s.credential) for s in completion.to_take]
        assert taken[:2] == SPECIALISTS and len(taken) == 4
        assert all(t.startswith(f"rru-caf-pathway-{theme}") for t in taken[2:]), taken
        assert [short(s.credential) for s in completion.counted] == REQUIRED
        assert completion.total_hours == 60 + completion.hours >= 150  # the pathway's minimum
        rules = {short(s.credential): s.rule for s in completion.steps}
        assert rules["rru-caf-specialist-1"] == "2 of the specialist group: specialist courses, levels 1 and 2"
        assert all(rules[t].startswith("2 of the thematic group") for t in taken[2:])
        assert all(s.rule.startswith("required part of Climate Action Fundamentals") for s in completion.counted)


def test_rru_completion_missing_a_specialist_is_refused_with_the_rule(built: EmbeddedStore) -> None:
    proposed = [*REQUIRED, "rru-caf-specialist-1", "rru-caf-pathway-policy", "rru-caf-pathway-policy-2"]
    verdict = check_completion(built, "rru-caf", proposed)
    assert not verdict.complete
    policy = next(r for r in verdict.refusals if r.pathway.endswith("rru-caf-policy"))
    assert policy.reasons == ("needs 2 of the specialist group: specialist courses, levels 1 and 2, has 1",)
    other = next(r for r in verdict.refusals if r.pathway.endswith("rru-caf-communication"))
    assert "needs 2 of the thematic group: climate communication pathway courses, has 0" in other.reasons
    assert "needs at least 150 h in total, has 90 h" in other.reasons
    whole = check_completion(built, "rru-caf", [*proposed, "rru-caf-specialist-2"])
    assert whole.complete and whole.pathway and whole.pathway.endswith("rru-caf-policy")


def test_mixing_two_themes_is_not_a_completion(built: EmbeddedStore) -> None:
    verdict = check_completion(built, "rru-caf", [*REQUIRED, *SPECIALISTS, "rru-caf-pathway-policy",
                                                  "rru-caf-pathway-nature-based"])
    assert not verdict.complete
    assert {r.reasons for r in verdict.refusals} >= {
        ("needs 2 of the thematic group: climate policy pathway courses, has 1",),
        ("needs 2 of the thematic group: nature-based solutions pathway courses, has 1",)}


# -- 100-120 h sets laddering into an undergraduate certificate (seed 002, Appendix 2) ---------------------------


def test_certificate_via_sets_lists_the_off_ramp_first_and_earns_two_sets(built: EmbeddedStore) -> None:
    result = paths(built, have=["ugc-data-1"], to="ugc-certificate")
    assert [short(d.credential.iri) for d in result.destinations] == ["ugc-set-data", "ugc-certificate"]
    off_ramp, cert = result.destinations
    assert off_ramp.completions[0].hours == 75 and len(off_ramp.completions[0].to_take) == 3
    best = cert.completions[0]
    assert [short(s.credential) for s in best.off_ramps] == ["ugc-set-data", "ugc-set-community"]
    assert best.hours == 75 + 105 and best.count == 7  # community: 25 + 30 required + the two 25 h options
    assert best.total_hours == 100 + 110  # the sets' hours count towards the certificate's 200 h minimum
    earned = {short(s.credential): s.rule for s in best.off_ramps}
    assert earned["ugc-set-data"] == "2 of the micro-credential sets group (100-120 h each)"
    assert [c.hours for c in cert.completions] == sorted(c.hours for c in cert.completions)
    assert {frozenset(short(s.credential) for s in c.off_ramps) for c in cert.completions} == {
        frozenset({"ugc-set-data", "ugc-set-community"}), frozenset({"ugc-set-data", "ugc-set-risk"}),
        frozenset({"ugc-set-community", "ugc-set-risk"})}


def test_ranking_by_price_and_by_count(built: EmbeddedStore) -> None:
    by_price = paths(built, have=["ie-ladder-certificate"], to="ie-ladder-postgraduate-diploma", by="price")
    first = by_price.destination("ie-ladder-postgraduate-diploma").completions
    assert [(short(c.to_take[0].credential), c.price) for c in first] == [
        ("eu-ladder-eqf7-research", Decimal(700)), ("ie-ladder-nfq9-capstone", Decimal(1100))]
    by_count = paths(built, have=[], to="ugc-set-community", by="count")
    assert {c.count for c in by_count.destinations[0].completions} == {4}
    with pytest.raises(PathsError, match="cannot rank completions by 'speed'"):
        paths(built, have=REQUIRED, to="rru-caf", by="speed")


def test_to_any_lists_every_destination_and_says_when_there_are_no_rules(built: EmbeddedStore) -> None:
    result = paths(built, have=["usask-credit-micro-credential", "ugc-risk-2"])
    names = [short(d.credential.iri) for d in result.destinations]
    assert names[:2] == ["ugc-set-risk", "usask-undergraduate-degree"] and names[2] == "ugc-certificate"
    degree = result.destination("usask-undergraduate-degree")
    assert not degree.has_rules and not degree.completions
    assert result.destination("ugc-set-risk").completions[0].hours == 90


# -- NFQ <-> EQF ladder through the official referencing ----------------------------------------------------


def test_nfq_eqf_ladder_counts_levels_through_the_official_crosswalk(built: EmbeddedStore) -> None:
    result = paths(built, have=["ie-ladder-nfq8-analytics"], to="ie-ladder-postgraduate-diploma")
    cert, diploma = result.destinations
    assert [(short(s.credential), s.levels) for s in diploma.ladder] == [
        ("ie-ladder-nfq8-analytics", "NFQ level 8 = EQF level 6"),
        ("ie-ladder-certificate", "NFQ level 8 = EQF level 6"),
        ("ie-ladder-postgraduate-diploma", "NFQ level 9 = EQF level 7")]
    # the certificate counts modules at EQF 6 or above: the EQF-only module and the NFQ 8 module both count
    assert {short(s.credential) for s in cert.completions[0].to_take} == {
        "eu-ladder-eqf6-visualisation", "ie-ladder-nfq8-governance"}
    assert cert.completions[0].total_credits == 30
    # the diploma's level-9 group: EQF 7 corresponds to NFQ 9 only (counts), EQF 6 to NFQ 7 and 8 (does not)
    options = {short(c.to_take[-1].credential) for c in diploma.completions}
    assert options == {"eu-ladder-eqf7-research", "ie-ladder-nfq9-capstone"}


def test_a_level_too_low_is_refused_with_the_crosswalk_reason(built: EmbeddedStore) -> None:
    verdict = check_completion(built, "ie-ladder-certificate", [
        "ie-ladder-nfq6-spreadsheets", "ie-ladder-nfq8-analytics", "ie-ladder-nfq8-governance"])
    [refusal] = verdict.refusals
    assert refusal.reasons == (
        "needs 3 of the level-8 modules group, has 2 (ie-ladder-nfq6-spreadsheets does not count: NFQ level 6 = "
        "EQF level 5 (Referencing of the Irish NFQ to the EQF) is below EQF level 6)",
        "needs at least 30 credits in ECTS, has 20")
    diploma = check_completion(built, "ie-ladder-postgraduate-diploma", ["ie-ladder-certificate",
                                                                          "eu-ladder-eqf6-ethics"])
    assert any("eu-ladder-eqf6-ethics does not count: EQF level 6 = NFQ level 7, NFQ level 8" in r
               and "is below NFQ level 9" in r for r in diploma.reasons), diploma.reasons
    held = paths(built, have=["ie-ladder-nfq6-spreadsheets"], to="ie-ladder-certificate").destinations[0]
    assert held.notes and "is below EQF level 6" in held.notes[0]
    assert len(held.completions[0].to_take) == 3  # the NFQ 6 module it holds does not count


# -- data problems: impossible pathways, cycles --------------------------------------------------------------


def test_impossible_pathways_are_refused_with_the_unmet_rule() -> None:
    store = fixture_store("impossible")
    result = paths(store, have=["imp-1"])
    award = result.destination("imp-award")
    assert not award.completions and award.refusals[0].reasons == (
        "needs 3 of the option group, can count at most 2 (1 held)",)
    long = result.destination("imp-long")
    assert long.refusals[0].reasons == ("needs at least 100 h in total, the counted parts give 20 h",)


def test_cycles_are_reported_and_not_followed() -> None:
    store = fixture_store("cyclic")
    graph = stacking_graph(store)
    assert {frozenset(c) for c in graph.cycles} == {frozenset({CRED + "cyc-a", CRED + "cyc-b"})}
    result = paths(store, have=["cyc-start"])
    assert result.cycles == graph.cycles
    a = result.destination("cyc-a")
    assert not a.completions and "cycle in the stacking data" in a.refusals[0].reasons[0]
    ok = result.destination("cyc-ok")
    assert [short(s.credential) for s in ok.completions[0].to_take] == ["cyc-other"]


def test_graph_is_cached_per_store_state() -> None:
    store = fixture_store("cyclic")
    first = stacking_graph(store)
    assert stacking_graph(store) is first
    load_source(store, "rdf", FIXTURES / "paths" / "impossible.ttl", graph=str(GRAPH["test/more"]))
    again = stacking_graph(store)
    assert again is not first and CRED + "imp-award" in again.by_destination


# -- parameters are bound ---------------------------------------------------------------------------------------


def test_injection_as_credential_finds_nothing_and_changes_nothing(built: EmbeddedStore) -> None:
    before = built.count()
    with pytest.raises(UnknownCredentialError, match="unknown credential"):
        paths(built, have=[INJECTION], to="rru-caf")
    with pytest.raises(UnknownCredentialError):
        paths(built, have=REQUIRED, to=INJECTION)
    with pytest.raises(UnknownCredentialError):
        check_completion(built, INJECTION, REQUIRED)
    with pytest.raises(ParameterError, match="expects an IRI"):
        run_query(built, "credential-stacks-into", credential=INJECTION)
    assert len(run_query(built, "volume-by-provider", jurisdiction=INJECTION)) == 0
    assert built.count() == before


def test_python_api_is_exported(built: EmbeddedStore) -> None:
    result = mcgraph.paths(built, have=REQUIRED, to="rru-caf")
    assert isinstance(result, mcgraph.PathsResult)
    data = result.to_dict()
    assert data["destinations"][0]["completions"][0]["hours"] == 120
    rows = [r for r in result.rows() if r["completion"] == 1]
    assert [(short(str(r["credential"])), r["action"]) for r in rows] == [
        ("rru-caf-required-1", "held"), ("rru-caf-required-2", "held"), ("rru-caf-specialist-1", "take"),
        ("rru-caf-specialist-2", "take"), ("rru-caf-pathway-communication-1", "take"),
        ("rru-caf-pathway-communication-2", "take")]
    assert {r["completion_hours"] for r in rows} == {120}


# -- command line ---------------------------------------------------------------------------------------------


def test_cli_lists_completions_and_checks(capsys: pytest.CaptureFixture[str], built_store_dir: Path) -> None:
    code, out, _ = run_cli(capsys, built_store_dir, "paths", "--have", ",".join(REQUIRED), "--to", "rru-caf")
    assert code == 0 and "completion 1: Climate Action Fundamentals 2 + 2 + 2, climate communication" in out
    assert "120 h, ?, 4 to take" in out and "completion 3: Climate Action Fundamentals 2 + 2 + 2, climate policy" in out
    code, out, _ = run_cli(capsys, built_store_dir, "paths", "--have",
                           ",".join([*REQUIRED, "rru-caf-specialist-1", "rru-caf-pathway-policy",
                                     "rru-caf-pathway-policy-2"]), "--to", "rru-caf", "--check")
    assert code == 1 and "needs 2 of the specialist group: specialist courses, levels 1 and 2, has 1" in out
    code, out, _ = run_cli(capsys, built_store_dir, "paths", "--have", "ugc-data-1", "--to-any", "--format", "json")
    data = json.loads(out)
    assert code == 0 and [d["destination"].rsplit("/", 1)[-1] for d in data["destinations"]] == [
        "ugc-set-data", "ugc-certificate"]
    code, out, _ = run_cli(capsys, built_store_dir, "paths", "--have", "ie-ladder-nfq8-analytics", "--to",
                           "ie-ladder-postgraduate-diploma", "--format", "md", "--limit", "1")
    assert code == 0 and "### Completion 1" in out and "NFQ level 9 = EQF level 7" in out


def test_cli_errors_exit_2_and_refusals_exit_1(capsys: pytest.CaptureFixture[str], built_store_dir: Path,
                                                 tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, built_store_dir, "paths", "--have", INJECTION, "--to-any")
    assert code == 2 and "unknown credential" in err and "Traceback" not in err
    code, _, err = run_cli(capsys, built_store_dir, "paths", "--have", "ugc-data-1")
    assert code == 2 and "exactly one of --to TARGET and --to-any" in err
    store_dir = tmp_path / "store"
    with EmbeddedStore(store_dir) as store:
        load_source(store, "rdf", FIXTURES / "paths" / "impossible.ttl", graph=str(GRAPH["test/impossible"]))
    code, out, _ = run_cli(capsys, store_dir, "paths", "--have", "imp-1", "--to", "imp-award")
    assert code == 1 and "needs 3 of the option group, can count at most 2" in out


def test_demo_shows_one_stacking_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run_cli(capsys, tmp_path / "store", "demo")
    assert code == 0
    assert "mcgraph paths --have rru-caf-required-1,rru-caf-required-2" in out  # the rule, cut at 80 columns
    assert "completion 1: Climate Action Fundamentals 2 + 2 + 2, climate communication pathway" in out
    assert "120 h" in out and "completion 2" not in out
