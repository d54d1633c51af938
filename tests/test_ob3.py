"""Open Badges 3.0 import and export: alignments → skill claims, the level convention, the real sample."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, shared_path
from interchange_support import (
    ESCO_TEST_DATA,
    GRAPH,
    SFIA_PROG,
    SFIA_PROG_4,
    SFIA_SCALE,
    assert_isomorphic,
    built_catalogue,
    catalogue_store,
    compare_round_trip,
    fixture_catalogue,
    graph,
    load,
    reimport,
)

from mcgraph.credentials import ob3
from mcgraph.credentials.model import iter_credentials
from mcgraph.errors import SourceFormatError
from mcgraph.store import EmbeddedStore

HERE = FIXTURES / "interchange"


def test_fixture_badge_alignments_become_claims_levels_and_a_provider() -> None:
    store, report = load(HERE / "ob3-badge.json")
    (cred,) = iter_credentials(store)
    assert (cred.iri, cred.title, cred.kind) == ("https://example.org/achievements/data-basics", "Data basics",
                                                 "micro-credential")
    assert cred.provider is not None and cred.provider.name == "Example Polytechnic"  # the issuer, no creator
    assert cred.levels == ("http://data.europa.eu/snb/eqf/4",)                        # ext:QualificationLevel
    claims = {c.skill: c for c in cred.skill_claims}
    assert set(claims) == {ESCO_TEST_DATA, SFIA_PROG}
    assert claims[ESCO_TEST_DATA].taxonomy == "http://data.europa.eu/esco/concept-scheme/skills"
    assert all(c.kinds == frozenset({"assessed"}) for c in claims.values())          # badge default: assessed
    # the level from the ResultDescription's required RubricCriterionLevel
    assert (claims[SFIA_PROG].level, claims[SFIA_PROG].level_concept) == (Decimal(3), SFIA_PROG + "/3")
    assert claims[SFIA_PROG].taxonomy == "https://w3id.org/mcgraph/id/taxonomy/sfia-9"  # from targetFramework
    labels = store.query("SELECT ?s ?l WHERE { GRAPH ?g { ?s skos:prefLabel ?l } }",
                         {"s": __import__("pyoxigraph").NamedNode(SFIA_PROG)}).values("l")
    assert labels == ["Programming"]
    assert report.counts["credentials read (OB3)"] == 1


def test_skill_resolution_counts_loaded_concepts(tmp_path: Path) -> None:
    """A claimed ESCO skill that is loaded is resolved; one that is not is counted and warned about."""
    import pyoxigraph as ox

    from mcgraph.loading import load_source
    from mcgraph.store import LoadRecord

    store = EmbeddedStore()
    esco = "https://w3id.org/mcgraph/graph/esco/test"
    store.write_graph(esco, [ox.Triple(ox.NamedNode(ESCO_TEST_DATA), ox.NamedNode(str(__import__("rdflib").RDF.type)),
                                       ox.NamedNode("http://www.w3.org/2004/02/skos/core#Concept"))],
                      LoadRecord(graph=esco, source="test"))
    report = load_source(store, "credentials", HERE / "ob3-badge.json", graph=GRAPH)
    assert report.counts["claimed skills resolved to loaded concepts"] == 1     # the ESCO skill
    assert report.counts["claimed skills not among loaded concepts"] == 1       # SFIA is not loaded
    assert any("SFIA" in w.reason for w in report.warnings)


def test_achievement_without_name_is_rejected_and_nothing_loaded() -> None:
    with pytest.raises(SourceFormatError) as err:
        load(HERE / "bad-ob3-no-name.json")
    assert err.value.field == "achievement.name" and "has no name" in err.value.reason
    assert err.value.path.endswith("bad-ob3-no-name.json")


def test_non_numeric_credits_are_rejected(tmp_path: Path) -> None:
    doc = json.loads((HERE / "ob3-badge.json").read_text())
    doc["credentialSubject"]["achievement"]["creditsAvailable"] = "lots"
    path = tmp_path / "bad-credits.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(SourceFormatError) as err:
        load(path)
    assert err.value.field == "achievement.creditsAvailable"


def test_export_writes_achievements_with_the_level_convention() -> None:
    doc = json.loads(ob3.export(catalogue_store()))
    assert doc["@context"] == ob3.CONTEXTS
    achievements = {a["id"]: a for a in doc["@graph"]}
    micro = achievements["https://example.org/credentials/data-basics"]
    assert micro["achievementType"] == "MicroCredential"
    assert achievements["https://example.org/credentials/data-certificate"]["achievementType"] == "Award"
    (prog,) = [r for r in micro["resultDescription"] if r["alignment"][0]["targetUrl"] == SFIA_PROG]
    assert prog["resultType"] == "RubricCriterionLevel" and prog["requiredLevel"] == SFIA_PROG_4
    assert prog["rubricCriterionLevel"][0]["level"] == "4"
    assert (prog["valueMin"], prog["valueMax"], prog["levelScale"]) == ("1", "7", SFIA_SCALE.iri)
    kinds = {a["targetUrl"]: a.get("claimKind") for a in micro["alignment"]}
    assert kinds[ESCO_TEST_DATA] == ["Assessed", "Taught"]
    assert {a["targetType"] for a in micro["alignment"]} == {"ceasn:Competency", "ext:QualificationLevel",
                                                             "ceterms:Credential"}


def test_catalogue_round_trip_keeps_claims_kinds_levels_and_stacking(tmp_path: Path) -> None:
    again, _, _ = reimport("ob3", catalogue_store(), tmp_path)
    # exact, the taught-only award claim included
    compare_round_trip(fixture_catalogue(), again, ("title", "kind", "description", "provider", "languages",
                                                    "notional_hours", "credits", "levels", "stacks_into"))


@pytest.mark.realdata
def test_mynextid_badge_imports_with_its_esco_skills() -> None:
    store, report = load(shared_path("credential-samples", "mynextid", "open-badge-mc-example.json"))
    (cred,) = iter_credentials(store)
    assert cred.title == "Data Science Fundamentals" and cred.kind == "micro-credential"
    assert sorted(c.skill.rsplit("/", 1)[-1] for c in cred.skill_claims) == [
        "81a2db2c-7e55-44d0-9cd9-74c25147d7cd", "f10142ce-d522-49c3-9fd1-054fb63529d4"]
    assert all(c.taxonomy == "http://data.europa.eu/esco/concept-scheme/skills" for c in cred.skill_claims)
    assert [c.points for c in cred.credits] == [Decimal(5)]
    assert cred.provider is not None and cred.provider.name == "NETIS d.o.o."
    assert cred.languages == ("en",)
    assert any("names no credit system" in w.reason for w in report.warnings)


@pytest.mark.realdata
def test_mynextid_badge_round_trips(tmp_path: Path) -> None:
    first, _ = load(shared_path("credential-samples", "mynextid", "open-badge-mc-example.json"))
    again, _, _ = reimport("ob3", first, tmp_path)
    assert_isomorphic(graph(first), graph(again))


def test_sample_catalogue_round_trips_what_open_badges_carry(tmp_path: Path) -> None:
    """The repository's sample catalogue → OB3 → import: titles, kinds, providers, hours, credits, levels,
    stacking and every skill claim with its kind and level (72 leveled claims)."""
    store, creds = built_catalogue()
    again, _, data = reimport("ob3", store, tmp_path)
    assert len(json.loads(data)["@graph"]) == len(creds)
    single_language = [c for c in creds if len(c.languages) <= 1]
    compare_round_trip(creds, again, ("title", "kind", "description", "provider", "notional_hours", "levels",
                                      "stacks_into"))
    after = {c.iri: c for c in iter_credentials(again)}
    assert all(after[c.iri].languages == c.languages for c in single_language)
    assert all(after[c.iri].credits == c.credits for c in creds if len(c.credits) <= 1)
