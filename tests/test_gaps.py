"""Skill gaps and recommendations on a small hand-built graph: statuses, the rule, formats, errors, binding."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_cli
from mcgraph.analysis import gaps, projection
from mcgraph.analysis.gaps import GapError
from mcgraph.store import EmbeddedStore, LoadRecord

OCC = "http://data.europa.eu/esco/occupation/test-occ"
SK = "http://data.europa.eu/esco/skill/"
CRED = "https://w3id.org/mcgraph/id/credential/"

#: An ESCO-shaped occupation with five essential skills (s1..s5) and one optional (s6); s5n is narrower than
#: s5. Credentials: "held" claims s1 and s5n; in CA-BC a {s2, s3} 2 h, b {s2} 1.5 h, c {s3, s4} 2.4 h and
#: d {s4} 2.5 h: greedy takes a (1 h per skill) then c, 4.4 h; the optimum is b + c, 3.9 h. "far" {s4} 0.8 h
#: is in AU.
GRAPH_TTL = f"""
@prefix mcg: <https://w3id.org/mcgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix esco: <http://data.europa.eu/esco/model#> .
<{OCC}> a mcg:Occupation, esco:Occupation ; skos:prefLabel "test occupation"@en ;
  mcg:hasSkillRequirement <{OCC}/r1>, <{OCC}/r2>, <{OCC}/r3>, <{OCC}/r4>, <{OCC}/r5>, <{OCC}/r6> .
<{OCC}/r1> mcg:requiredSkill <{SK}s1> ; mcg:requirementKind mcg:Essential .
<{OCC}/r2> mcg:requiredSkill <{SK}s2> ; mcg:requirementKind mcg:Essential .
<{OCC}/r3> mcg:requiredSkill <{SK}s3> ; mcg:requirementKind mcg:Essential .
<{OCC}/r4> mcg:requiredSkill <{SK}s4> ; mcg:requirementKind mcg:Essential .
<{OCC}/r5> mcg:requiredSkill <{SK}s5> ; mcg:requirementKind mcg:Essential .
<{OCC}/r6> mcg:requiredSkill <{SK}s6> ; mcg:requirementKind mcg:Optional .
<{OCC}> esco:relatedEssentialSkill <{SK}s1>, <{SK}s2>, <{SK}s3>, <{SK}s4>, <{SK}s5> ;
  esco:relatedOptionalSkill <{SK}s6> .
<{SK}s1> a mcg:Skill ; skos:prefLabel "skill one"@en .
<{SK}s2> a mcg:Skill ; skos:prefLabel "skill two"@en .
<{SK}s3> a mcg:Skill ; skos:prefLabel "skill three"@en .
<{SK}s4> a mcg:Skill ; skos:prefLabel "skill four"@en .
<{SK}s5> a mcg:Skill ; skos:prefLabel "skill five"@en .
<{SK}s6> a mcg:Skill ; skos:prefLabel "skill six"@en .
<{SK}s5n> a mcg:Skill ; skos:prefLabel "skill five, narrower"@en ; skos:broader <{SK}s5> .
<{CRED}held> dct:title "Held" ; mcg:notionalHours 10 ; mcg:hasSkillClaim <{CRED}held/1>, <{CRED}held/2> .
<{CRED}held/1> mcg:claimedSkill <{SK}s1> .
<{CRED}held/2> mcg:claimedSkill <{SK}s5n> .
<{CRED}a> dct:title "A" ; mcg:notionalHours 2 ; mcg:price 100 ; mcg:jurisdiction <https://w3id.org/mcgraph/id/jurisdiction/CA-BC> ;
  mcg:hasSkillClaim [ mcg:claimedSkill <{SK}s2> ], [ mcg:claimedSkill <{SK}s3> ], [ mcg:claimedSkill <{SK}s5> ] .
<{CRED}b> dct:title "B" ; mcg:notionalHours 1.5 ; mcg:price 900 ; mcg:jurisdiction <https://w3id.org/mcgraph/id/jurisdiction/CA-BC> ;
  mcg:conformsToFramework <https://w3id.org/mcgraph/id/framework/test-mcf> ;
  mcg:hasSkillClaim [ mcg:claimedSkill <{SK}s2> ] .
<{CRED}c> dct:title "C" ; mcg:notionalHours 2.4 ; mcg:price 50 ; mcg:jurisdiction <https://w3id.org/mcgraph/id/jurisdiction/CA-BC> ;
  mcg:conformsToFramework <https://w3id.org/mcgraph/id/framework/test-mcf> ;
  mcg:hasSkillClaim [ mcg:claimedSkill <{SK}s3> ], [ mcg:claimedSkill <{SK}s4> ] .
<{CRED}d> dct:title "D" ; mcg:notionalHours 2.5 ; mcg:price 10 ; mcg:jurisdiction <https://w3id.org/mcgraph/id/jurisdiction/CA-BC> ;
  mcg:hasSkillClaim [ mcg:claimedSkill <{SK}s4> ] .
<{CRED}far> dct:title "Far" ; mcg:notionalHours 0.8 ; mcg:jurisdiction <https://w3id.org/mcgraph/id/jurisdiction/AU> ;
  mcg:hasSkillClaim [ mcg:claimedSkill <{SK}s4> ] .
<https://w3id.org/mcgraph/id/jurisdiction/CA-BC> mcg:partOfJurisdiction <https://w3id.org/mcgraph/id/jurisdiction/CA> .
"""


def write(store: EmbeddedStore, ttl: str = GRAPH_TTL, graph: str = "https://w3id.org/mcgraph/graph/test") -> None:
    triples = list(ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE))
    store.write_graph(graph, triples, LoadRecord(graph, "test"), replace=True)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        write(store)
    return path


def test_statuses_and_how(small: Path) -> None:
    with EmbeddedStore(small) as store:
        result = gaps(store, OCC, ["held"])
    by_skill = {i.skill.rsplit("/", 1)[-1]: i for i in result.items}
    assert set(by_skill) == {"s1", "s2", "s3", "s4", "s5"}  # the optional s6 is not counted
    assert by_skill["s1"].status == "covered" and by_skill["s1"].credentials == (CRED + "held",)
    assert by_skill["s5"].status == "partly covered" and by_skill["s5"].claimed_skill == SK + "s5n"
    assert {k for k, i in by_skill.items() if i.status == "missing"} == {"s2", "s3", "s4"}
    assert result.counts() == {"covered": 1, "partly covered": 1, "missing": 3}
    assert result.percentages()["missing"] == pytest.approx(60.0)
    assert result.skipped == {"optional (use --include-optional)": 1}
    frame = result.to_frame()
    assert list(frame["status"]) == ["covered", "partly covered", "missing", "missing", "missing"]


def test_include_optional(small: Path) -> None:
    with EmbeddedStore(small) as store:
        result = gaps(store, OCC, ["held"], include_optional=True)
    assert SK + "s6" in result.missing_skills and len(result.items) == 6


def test_recommend_is_optimal_where_greedy_is_not(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # missing s2, s3, s4 (s5 is partly covered); in CA-BC greedy takes a then c (4.4 h), the optimum is b + c
    args = ("gaps", "--occupation", OCC, "--have", "held", "--recommend", "--jurisdiction", "CA-BC")
    code, out, _ = run_cli(capsys, small, *args, "--format", "json")
    assert code == 0
    rec = json.loads(out)["recommendation"]
    assert rec["statement"] == "optimal" and rec["total"] == pytest.approx(3.9)
    assert sorted(c["credential"] for c in rec["credentials"]) == [CRED + "b", CRED + "c"]
    code, out, _ = run_cli(capsys, small, *args, "--method", "greedy", "--format", "json")
    rec = json.loads(out)["recommendation"]
    assert sorted(c["credential"] for c in rec["credentials"]) == [CRED + "a", CRED + "c"]
    assert rec["total"] == pytest.approx(4.4) and rec["statement"] == "greedy, within a factor H(2) = 1.50 of optimal"
    code, out, _ = run_cli(capsys, small, *args)
    assert code == 0 and "Recommended credentials (optimal): 3.9 hours in total" in out


def test_recommend_by_price_and_filters(small: Path) -> None:
    with EmbeddedStore(small) as store:
        by_price = gaps(store, OCC, ["held"], recommend=True, budget="price").recommendation
        assert by_price.credentials == [CRED + "a", CRED + "d"] and by_price.solution.cost == 110
        assert by_price.without_cost == 1  # "far" has no price
        # "far" (AU, 0.8 h) is cheapest for s4 but outside CA; a country takes its provinces' credentials
        in_ca = gaps(store, OCC, ["held"], recommend=True, jurisdiction="CA").recommendation
        assert in_ca.credentials == [CRED + "c", CRED + "b"] and in_ca.solution.cost == Decimal("3.9")
        anywhere = gaps(store, OCC, ["held"], recommend=True).recommendation
        assert anywhere.credentials == [CRED + "a", CRED + "far"] and anywhere.solution.cost == Decimal("2.8")
        conforming = gaps(store, OCC, ["held"], recommend=True, conforms_to="test-mcf").recommendation
        assert sorted(conforming.credentials) == [CRED + "b", CRED + "c"] and conforming.considered == 2
        hook = gaps(store, OCC, ["held"], recommend=True, accept=lambda info: info.title != "B").recommendation
        assert CRED + "b" not in hook.credentials
        only_d = gaps(store, OCC, ["held"], recommend=True, accept=lambda info: info.title == "D").recommendation
        assert only_d.credentials == [CRED + "d"]
        assert {s.rsplit("/", 1)[-1] for s, _ in only_d.uncovered} == {"s2", "s3"}


def test_formats(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, small, "gaps", "--occupation", OCC, "--have", CRED + "held", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("skill,label,status,source,how,credentials")
    assert len(out.splitlines()) == 6
    code, out, _ = run_cli(capsys, small, "gaps", "--occupation", OCC, "--have", "held", "--format", "md")
    assert "| partly covered | escoskill:s5 | skill five | ESCO essential |" in out
    assert "1 covered (20 %), 1 partly covered (20 %), 3 missing (60 %)" in out


def test_errors_exit_2_and_injection_changes_nothing(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with EmbeddedStore(small) as store:
        before = len(store.oxigraph)
    for attack in [f"{OCC}> . }} DROP ALL ; <x", f'{OCC}" }} ; DELETE WHERE {{ ?s ?p ?o }} #', "x' || true"]:
        code, _, err = run_cli(capsys, small, "gaps", "--occupation", attack, "--have", "held")
        assert code == 2 and "no occupation" in err
    code, _, err = run_cli(capsys, small, "gaps", "--occupation", OCC, "--have", "nope")
    assert code == 2 and "no credential with skill claims named" in err
    code, _, err = run_cli(capsys, small, "gaps", "--occupation", OCC, "--format", "xml")
    assert code == 2
    with EmbeddedStore(small) as store:
        assert len(store.oxigraph) == before
        # the occupation-gap query binds its parameters too: the injected text is one literal
        from mcgraph.queries import run_query

        rows = run_query(store, "occupation-gap", occupation=OCC, have=f'{CRED}held" ) }} DROP ALL #').dicts()
        assert {r["status"] for r in rows} == {"missing"} and len(store.oxigraph) == before


def test_occupation_gap_query_partly_covered(small: Path) -> None:
    from mcgraph.queries import run_query

    with EmbeddedStore(small) as store:
        rows = {r["skill"].rsplit("/", 1)[-1]: r["status"]
                for r in run_query(store, "occupation-gap", occupation=OCC, have=CRED + "held").dicts()}
        assert rows == {"s1": "covered", "s5": "partly covered", "s2": "missing", "s3": "missing", "s4": "missing"}
        assert set(rows) == {i.skill.rsplit("/", 1)[-1] for i in gaps(store, OCC, ["held"]).items}


def test_projection_is_cached_until_the_store_changes(small: Path) -> None:
    with EmbeddedStore(small) as store:
        first = projection(store)
        assert projection(store) is first
        assert SK + "s5" in first.broader(SK + "s5n")
        write(store, GRAPH_TTL.replace("skill five, narrower", "renamed"), graph="https://w3id.org/mcgraph/graph/test2")
        assert projection(store) is not first


def test_demo_shows_a_gap_with_recommended_credentials(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, tmp_path / "store", "demo")
    assert code == 0
    assert "sustainability manager: 37 requirements (ESCO essential skills): 1 covered" in out
    assert "Recommended credentials (optimal): 30 hours in total" in out


def test_occupation_by_code_on_the_built_store(built_store: EmbeddedStore) -> None:
    result = gaps(built_store, "1213.8", ["rru-caf-required-1"], taxonomy="esco")
    assert result.occupation == "http://data.europa.eu/esco/occupation/2cf2b905-3308-4b5d-8e8d-633fc7a3f3ce"
    assert [i.label for i in result.covered] == ["climate change impact"]
    with pytest.raises(GapError, match="no occupation '9999.9'"):
        gaps(built_store, "9999.9", [])


def test_esco_links_read_in_bulk_keep_essential_over_optional(small: Path) -> None:
    # a second load states s6 essential and s2 optional (as two ESCO releases may): essential wins either way
    second = f"""@prefix esco: <http://data.europa.eu/esco/model#> .
<{OCC}> a esco:Occupation ; esco:relatedEssentialSkill <{SK}s6> ; esco:relatedOptionalSkill <{SK}s2> .
<{OCC}-2> a esco:Occupation ; esco:relatedOptionalSkill <{SK}s1> .
<{OCC}-not-an-occupation> esco:relatedEssentialSkill <{SK}s1> ."""
    with EmbeddedStore(small) as store:
        write(store, second, graph="https://w3id.org/mcgraph/graph/test-2")
        links = projection(store).requirements_in("esco")
    assert set(links) == {OCC, OCC + "-2"}  # only subjects typed esco:Occupation
    assert [(r.skill.rsplit("/", 1)[-1], r.kind) for r in links[OCC]] == [
        ("s1", "essential"), ("s2", "essential"), ("s3", "essential"), ("s4", "essential"), ("s5", "essential"),
        ("s6", "essential")]
    assert [(r.skill, r.kind, r.family) for r in links[OCC + "-2"]] == [(SK + "s1", "optional", "esco")]
