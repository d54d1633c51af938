"""CTDL import and export: credential classes, teaches/assesses, stacking, the Credential Engine samples."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, shared_path
from interchange_support import (
    ESCO_TEST_DATA,
    assert_isomorphic,
    built_catalogue,
    catalogue_store,
    compare_round_trip,
    fixture_catalogue,
    graph,
    load,
    reimport,
)

from mcgraph.credentials import ctdl
from mcgraph.credentials.model import iter_credentials
from mcgraph.errors import SourceFormatError

HERE = FIXTURES / "interchange"
RES = "https://credentialengineregistry.org/resources/"
#: The credential fields CTDL carries, compared after a round trip.
CTDL_FIELDS = ("title", "kind", "description", "provider", "languages", "notional_hours", "credits", "levels",
               "stacks_into")


def test_fixture_credentials_import_with_kinds_stacking_and_claims() -> None:
    store, report = load(HERE / "ctdl-credentials.json")
    creds = {c.iri: c for c in iter_credentials(store)}
    micro, degree = creds[RES + "ce-fixture-micro"], creds[RES + "ce-fixture-certificate"]
    assert (micro.kind, degree.kind) == ("micro-credential", "award")
    assert micro.stacks_into == (degree.iri,)                 # isPartOf and the degree's hasPart agree
    assert micro.notional_hours == Decimal(40)
    assert micro.provider is not None and micro.provider.name == "Fixture College"
    claims = {c.skill: c.kinds for c in micro.skill_claims}
    assert claims == {ESCO_TEST_DATA: frozenset({"taught"}), RES + "ce-fixture-competency": frozenset({"assessed"})}
    assert report.counts["credentials read (CTDL)"] == 2


def test_open_badge_is_not_mistaken_for_ctdl() -> None:
    """An OB3 alignment's targetType value "ceasn:Competency" must not make the file look like CTDL."""
    head = (HERE / "ob3-badge.json").read_text()
    assert not ctdl.sniff(HERE / "ob3-badge.json", head)
    assert ctdl.sniff(HERE / "ctdl-credentials.json", (HERE / "ctdl-credentials.json").read_text())


def test_teaches_with_a_literal_is_rejected(tmp_path: Path) -> None:
    doc = json.loads((HERE / "ctdl-credentials.json").read_text())
    doc["@graph"][0]["ceterms:teaches"] = [{"@value": "statistics"}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(SourceFormatError) as err:
        load(path)
    assert err.value.field == "ceterms:teaches"


def test_export_uses_teaches_and_assesses_alignment_objects() -> None:
    doc = json.loads(ctdl.export(catalogue_store()))
    nodes = {n["@id"]: n for n in doc["@graph"]}
    micro = nodes["https://example.org/credentials/data-basics"]
    assert micro["@type"] == "ceterms:MicroCredential"
    assert nodes["https://example.org/credentials/data-certificate"]["@type"] == "ceterms:Credential"
    taught = {a["ceterms:targetNode"] for a in micro["ceterms:teaches"]}
    assessed = {a["ceterms:targetNode"] for a in micro["ceterms:assesses"]}
    assert ESCO_TEST_DATA in taught and ESCO_TEST_DATA in assessed
    assert micro["ceterms:isPartOf"] == ["https://example.org/credentials/data-certificate"]
    assert micro["ceterms:estimatedDuration"][0]["ceterms:exactDuration"] == "PT37.5H"


def test_catalogue_round_trip_keeps_claims_credits_and_stacking(tmp_path: Path) -> None:
    again, _, _ = reimport("ctdl", catalogue_store(), tmp_path)
    compare_round_trip(fixture_catalogue(), again, CTDL_FIELDS)


@pytest.mark.realdata
def test_credential_engine_samples_import_cleanly() -> None:
    """All ten CTDL samples load without error; the degree samples give one award each, with the competencies
    the degree requires as assessed claims; learning programmes, courses and assessment profiles are skipped."""
    folder = shared_path("credential-samples", "ctdl")
    found = {}
    for path in sorted(folder.glob("*.json")):
        store, report = load(path)
        found[path.name] = (list(iter_credentials(store)), report)
    assert len(found) == 10
    degrees = {n: creds for n, (creds, _) in found.items() if creds}
    assert sorted(degrees) == ["s1_1_DegreeInRegistry.json", "s1_2_DegreeInRegistryAndVC.json",
                               "s1_3_LinkToDegreeInRegistry.json", "s_2_2_CompetenceAndDegree.json"]
    assert all(len(c) == 1 and c[0].kind == "award" and c[0].title == "Bachelor’s Degree" for c in degrees.values())
    assert len(degrees["s1_2_DegreeInRegistryAndVC.json"][0].skill_claims) == 2
    assert len(degrees["s_2_2_CompetenceAndDegree.json"][0].skill_claims) == 2
    assert found["s_3_1_CoursesFromDifferntOrgs.json"][1].counts["CTDL non-credential nodes skipped"] == 3


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["s1_2_DegreeInRegistryAndVC.json", "s_2_2_CompetenceAndDegree.json"])
def test_credential_engine_samples_round_trip(name: str, tmp_path: Path) -> None:
    first, _ = load(shared_path("credential-samples", "ctdl", name))
    again, _, _ = reimport("ctdl", first, tmp_path)
    assert_isomorphic(graph(first), graph(again))


def test_sample_catalogue_round_trips_what_ctdl_carries(tmp_path: Path) -> None:
    store, creds = built_catalogue()
    again, _, data = reimport("ctdl", store, tmp_path)
    assert len(json.loads(data)["@graph"]) == len(creds)
    compare_round_trip(creds, again, CTDL_FIELDS)
