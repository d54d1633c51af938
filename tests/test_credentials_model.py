"""The credential model ↔ RDF, reading credentials back from a store, the format registry and the catalogue queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcgraph.credentials import formats
from mcgraph.credentials.formats import CredentialFormat, available_formats, detect_format
from mcgraph.credentials.model import (
    CLAIM_KINDS,
    SCALES,
    Assessment,
    Credential,
    CreditValue,
    Provider,
    SkillClaim,
    canonical_decimal,
    catalogue_triples,
    compact,
    credential_iri,
    from_store,
    iter_credentials,
    jurisdiction_iri,
    slugify,
)
from mcgraph.errors import SourceFormatError
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH, MCG
from mcgraph.queries import run_query
from mcgraph.store import EmbeddedStore, LoadRecord

FIX = Path(__file__).resolve().parent / "fixtures" / "credentials"
WRITE = "http://data.europa.eu/esco/skill/c32ad607-0c4d-4e34-b73f-668298f7bf13"
REPORTS = "http://data.europa.eu/esco/skill/941364b9-1375-4add-9889-d67bae99bc8c"
GROUP = "http://data.europa.eu/esco/skill/8f9f8b20-ff26-4392-b04f-695dcde5b90a"
DATA = "http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"
ESCO_SKILLS = "http://data.europa.eu/esco/concept-scheme/skills"
P4 = SCALES["proficiency-4"].iri


def full_credential(ident: str = "m1") -> Credential:
    return Credential(
        iri=credential_iri(ident), title="Model test", provider=Provider("https://w3id.org/mcgraph/id/provider/p", "P"),
        description="d", learning_outcomes=("one", "two"), languages=("en",), delivery_mode=str(MCG.Online),
        start_date=date(2025, 1, 6), end_date=date(2025, 2, 6), notional_hours=Decimal("27.50"),
        hours_self_study=Decimal(20), price=Decimal("100.0"), currency="EUR",
        assessments=(Assessment("exam", (str(MCG.Exam),), str(MCG.SupervisedOnline)),),
        credits=(CreditValue(Decimal(1), "https://w3id.org/mcgraph/id/credit-system/ects"),),
        jurisdictions=(jurisdiction_iri("CA-BC"),), levels=("http://data.europa.eu/snb/eqf/5",),
        skill_claims=(SkillClaim(WRITE, frozenset({"taught", "assessed"}), Decimal(3), None, P4, ESCO_SKILLS),
                      SkillClaim(REPORTS, frozenset({"assessed"}), Decimal(2), None, P4, ESCO_SKILLS)),
        illustrative=True, sources=("seed 002, Appendix 1",), notes=("a note",))


def store_with(*creds: Credential, taxonomy: bool = True) -> EmbeddedStore:
    store = EmbeddedStore()
    if taxonomy:
        load_source(store, "rdf", FIX / "taxonomy.ttl", graph=str(GRAPH["fixture/taxonomy"]))
    store.write_graph(str(GRAPH["catalog/test"]), catalogue_triples(creds),
                      LoadRecord(str(GRAPH["catalog/test"]), "test"))
    return store


def test_to_triples_writes_claims_with_kinds_levels_and_shortcuts() -> None:
    triples = set(full_credential().to_triples())
    c = ox.NamedNode(credential_iri("m1"))
    claim = ox.NamedNode(credential_iri("m1") + "/claim/2")
    assert ox.Triple(c, ox.NamedNode(str(MCG.hasSkillClaim)), claim) in triples
    assert ox.Triple(claim, ox.NamedNode(str(MCG.claimKind)), ox.NamedNode(CLAIM_KINDS["assessed"])) in triples
    assert ox.Triple(claim, ox.NamedNode(str(MCG.claimKind)), ox.NamedNode(CLAIM_KINDS["taught"])) not in triples
    assert ox.Triple(c, ox.NamedNode(str(MCG.assesses)), ox.NamedNode(REPORTS)) in triples
    assert ox.Triple(c, ox.NamedNode(str(MCG.teaches)), ox.NamedNode(REPORTS)) not in triples
    assert ox.Triple(c, ox.NamedNode(str(MCG.teaches)), ox.NamedNode(WRITE)) in triples
    hours = [t.object for t in triples if t.predicate.value == str(MCG.notionalHours)]
    assert [h.value for h in hours] == ["27.5"]  # canonical decimal form
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)


def test_catalogue_triples_write_shared_context_once() -> None:
    a, b = full_credential("a"), full_credential("b")
    triples = list(catalogue_triples([a, b]))
    assert len(triples) == len(set(triples))
    provider_types = [t for t in triples if t.subject.value.endswith("/provider/p") and "type" in t.predicate.value]
    assert len(provider_types) == 1
    parent = [t for t in triples if t.predicate.value == str(MCG.partOfJurisdiction)]
    assert [t.object.value for t in parent] == [jurisdiction_iri("CA")]
    scale = [t for t in triples if t.subject.value == P4 and t.predicate.value == str(MCG.scaleMaximum)]
    assert [t.object.value for t in scale] == ["4"]


def test_from_store_gives_back_the_credential() -> None:
    cred = full_credential()
    store = store_with(cred, full_credential("other"))
    assert from_store(store, cred.iri) == cred
    assert from_store(store, credential_iri("nothing")) is None
    assert [c.identifier for c in iter_credentials(store)] == ["m1", "other"]


def test_iter_credentials_reads_blank_node_parts_from_other_formats() -> None:
    """An importer may write claims as blank nodes; the model reads them the same way."""
    store = EmbeddedStore()
    c, claim = ox.NamedNode(credential_iri("bn")), ox.BlankNode()

    def t(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode) -> ox.Triple:
        return ox.Triple(s, ox.NamedNode(p), o)

    store.write_graph("https://example.org/g", [
        t(c, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(str(MCG.MicroCredential))),
        t(c, "http://purl.org/dc/terms/title", ox.Literal("Blank")),
        t(c, str(MCG.hasSkillClaim), claim),
        t(claim, str(MCG.claimedSkill), ox.NamedNode(DATA)),
        t(claim, str(MCG.claimKind), ox.NamedNode(str(MCG.Assessed))),
        t(claim, str(MCG.levelValue), ox.Literal("4.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))),
    ], LoadRecord("https://example.org/g", "test"))
    (cred,) = iter_credentials(store)
    assert cred.skill_claims == (SkillClaim(DATA, frozenset({"assessed"}), Decimal(4)),)


def test_helpers() -> None:
    assert canonical_decimal(Decimal("120.0")) == "120" and canonical_decimal(Decimal("2.50")) == "2.5"
    assert canonical_decimal(Decimal("1E+2")) == "100" and canonical_decimal(Decimal("-0.0")) == "0"
    assert compact(WRITE) == "escoskill:c32ad607-0c4d-4e34-b73f-668298f7bf13"
    assert compact("http://data.europa.eu/snb/eqf/6") == "eqf:6"
    assert compact("https://example.org/x y") == "https://example.org/x y"
    assert slugify("Royal Roads University") == "royal-roads-university" and slugify("École") == "ecole"


# -- the format registry ------------------------------------------------------------------------------

def test_registry_discovers_format_modules_and_dispatches(tmp_path: Path) -> None:
    found = available_formats()
    assert "table" in found and all(isinstance(f, CredentialFormat) for f in found.values())
    assert detect_format(FIX / "good.csv").name == "table"
    unknown = tmp_path / "x.weird"
    unknown.write_text("nothing", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="cannot tell the credential catalogue format"):
        detect_format(unknown)


def test_sniffing_decides_between_formats_sharing_a_suffix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def reader(path: Path, report: object) -> list[ox.Triple]:
        return []

    a = CredentialFormat("fa", (".json",), lambda p, head: '"A"' in head, reader)
    b = CredentialFormat("fb", (".json",), lambda p, head: '"B"' in head, reader)
    monkeypatch.setattr(formats, "available_formats", lambda: {"fa": a, "fb": b})
    f = tmp_path / "c.json"
    f.write_text('{"type": "B"}', encoding="utf-8")
    assert detect_format(f).name == "fb"
    f.write_text('{"type": "C"}', encoding="utf-8")
    with pytest.raises(SourceFormatError, match="none of the formats using it"):
        detect_format(f)


# -- the catalogue queries ---------------------------------------------------------------------------

def test_credential_skills_query() -> None:
    store = store_with(full_credential())
    rows = {r["label"]: r for r in run_query(store, "credential-skills", credential=credential_iri("m1")).dicts()}
    assert set(rows) == {"apply technical communication skills", "write technical reports"}
    assert rows["write technical reports"]["kinds"] == "assessed"
    assert sorted(rows["apply technical communication skills"]["kinds"].split("+")) == ["assessed", "taught"]
    assert rows["write technical reports"]["level"] == "2" and rows["write technical reports"]["scale"] == P4
    assert rows["write technical reports"]["taxonomy"] == ESCO_SKILLS


def test_credentials_by_skill_query_levels_kinds_and_narrower() -> None:
    low = Credential(credential_iri("low"), "Low", skill_claims=(SkillClaim(WRITE, frozenset({"taught"}), Decimal(1),
                                                                            None, P4),))
    store = store_with(full_credential(), low)

    def ids(**params: object) -> list[str]:
        return sorted(r["credential"].rsplit("/", 1)[-1] for r in run_query(store, "credentials-by-skill", **params).dicts())

    assert ids(skill=WRITE) == ["low", "m1"]
    assert ids(skill=WRITE, minLevel=2) == ["m1"]
    assert ids(skill=WRITE, kind="assessed") == ["m1"]
    assert ids(skill=WRITE, kind="taught") == ["low", "m1"]
    assert ids(skill=GROUP) == ["low", "m1"]            # the group is broader than the claimed skill
    assert ids(skill=GROUP, narrower=False) == []
    assert ids(skill=DATA) == []


def test_catalogue_overview_query_and_jurisdiction_filter() -> None:
    other = Credential(credential_iri("au"), "AU one", jurisdictions=(jurisdiction_iri("AU"),),
                       notional_hours=Decimal(10))
    store = store_with(full_credential(), other)
    rows = {r["credential"].rsplit("/", 1)[-1]: r for r in run_query(store, "catalogue-overview").dicts()}
    assert rows["m1"]["credits"] == "1 ects" and rows["m1"]["hours"] == "27.5" and rows["m1"]["skillClaims"] == "2"
    assert rows["m1"]["jurisdictions"] == "CA-BC" and rows["m1"]["provider"] == "P"
    by = lambda code: sorted(r["credential"].rsplit("/", 1)[-1]  # noqa: E731
                             for r in run_query(store, "catalogue-overview", jurisdiction=code).dicts())
    assert by("CA") == ["m1"] and by("CA-BC") == ["m1"] and by("AU") == ["au"] and by("NZ") == []
