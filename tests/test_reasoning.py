"""Reasoning (issue 12): classification into the defined classes, materialised closure, consistency.

The expected classifications below were checked by hand against data/catalog/sample-catalogue.yaml and
data/catalog/pathways.ttl (stacking links, credit values, levels and the NFQ/AQF crosswalks, industry fields,
CIS elements); the tests then change the data and see the verdicts change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from mcgraph.build import build
from mcgraph.namespaces import GRAPH, MCG
from mcgraph.queries import run_query
from mcgraph.reasoning import check_consistency, classify, materialise
from mcgraph.reasoning.classify import (CREDIT_BEARING, EQF6_PLUS, FULLY_DESCRIBED_CIS, INDUSTRY_ALIGNED,
                                        INFERRED_CLASSES_GRAPH, STACKABLE)
from mcgraph.reasoning.classify import DEFINED_CLASSES
from mcgraph.reasoning.consistency import InconsistentDataError
from mcgraph.reasoning.extract import focus_extract, profile_key, value_free_properties
from mcgraph.reasoning.materialise import INFERRED_CLOSURE_GRAPH, infer
from mcgraph.reasoning.module import locality_module
from mcgraph.store import EmbeddedStore, LoadRecord

from conftest import FIXTURES, run_cli

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT (owlready2) needs Java on PATH")
CRED = "https://w3id.org/mcgraph/id/credential/"

EXPECTED = {
    STACKABLE: {"lethpolytech-badge", "mru-ce-micro-credential", "rru-caf-pathway-nature-based",
                "rru-caf-pathway-policy", "rru-caf-required-1", "rru-caf-required-2", "rru-caf-specialist-1",
                "rru-caf-specialist-2", "sg-wsq-statement-of-attainment", "sit-csm-micro-credential",
                "uoft-scs-micro-course", "usask-credit-micro-credential"},
    CREDIT_BEARING: {"eu-ecmf-conforming", "eu-ecmf-long-unlevelled", "eu-ecmf-short", "ie-microcreds-40-ects",
                     "ie-microcreds-nfq5", "ie-microcreds-nfq9", "nz-nzqa-45-credits", "nz-nzqa-level5"},
    # EQF 7 directly; NFQ 9 -> EQF 7; AQF 7 -> EQF 6 (AQF-EQF comparison); NFQ 5 -> EQF 4 is not EQF 6+.
    EQF6_PLUS: {"au-nmf-complete-cis", "eu-ecmf-conforming", "ie-microcreds-40-ects", "ie-microcreds-nfq9"},
    INDUSTRY_ALIGNED: {"au-nmf-complete-cis", "humber-12-lead", "mohawk-multi-sensory-environments",
                       "mru-ce-micro-credential", "nahq-healthcare-quality", "nz-nzqa-level5", "rru-caf",
                       "rru-caf-pathway-nature-based", "rru-caf-pathway-policy", "rru-caf-required-1",
                       "rru-caf-required-2", "rru-caf-specialist-1", "rru-caf-specialist-2",
                       "rru-infrastructure-climate-resilience", "seneca-accessible-podcasting",
                       "seneca-cybersecurity-analyst", "vcc-addiction-counselling"},
    FULLY_DESCRIBED_CIS: {"au-nmf-complete-cis"},
}
# data/catalog/pathways-catalogue.csv (stacking examples: the undergraduate-certificate sets, the NFQ/EQF ladder,
# more RRU themes) and the sample catalogue's compliance rows, checked by hand the same way: every ugc-* course
# states all 15 CIS elements; NFQ 6 -> EQF 5 is not EQF 6+, NFQ 8 -> EQF 6 is.
_UGC = {f"ugc-{s}-{i}" for s, n in (("community", 5), ("data", 4), ("risk", 4)) for i in range(1, n + 1)}
_LADDER_CREDIT = {"eu-ladder-eqf6-ethics", "eu-ladder-eqf6-visualisation", "eu-ladder-eqf7-research",
                  "ie-ladder-nfq6-spreadsheets", "ie-ladder-nfq8-analytics", "ie-ladder-nfq8-governance",
                  "ie-ladder-nfq9-capstone"}
_RRU_MORE = {"rru-caf-pathway-communication-1", "rru-caf-pathway-communication-2", "rru-caf-pathway-nature-based-2",
             "rru-caf-pathway-policy-2"}
EXPECTED[STACKABLE] |= _UGC | _LADDER_CREDIT | _RRU_MORE | {"ugc-set-community", "ugc-set-data", "ugc-set-risk"}
EXPECTED[CREDIT_BEARING] |= _LADDER_CREDIT | {"ie-microcreds-accredited"}
EXPECTED[EQF6_PLUS] |= (_LADDER_CREDIT - {"ie-ladder-nfq6-spreadsheets"}) | {"ie-microcreds-accredited"}
EXPECTED[INDUSTRY_ALIGNED] |= _RRU_MORE | {"bc-unassessed-workshop", "ns-employer-aligned"}
EXPECTED[FULLY_DESCRIBED_CIS] |= _UGC


def _short(members: set[str]) -> set[str]:
    return {m.removeprefix(CRED) for m in members}


def _nquads_hash(store: EmbeddedStore) -> int:
    return hash(tuple(sorted(str(q) for q in run_query(store, "reason-closure-input").triples)))


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    """A fresh built store this module may write to."""
    s = EmbeddedStore()
    list(build(s))
    return s


@pytest.fixture(scope="module")
def classified(store: EmbeddedStore):
    return classify(store)


@needs_java
@pytest.mark.parametrize("cls", sorted(EXPECTED))
def test_sample_catalogue_classification_matches_hand_checked_expectation(classified, cls: str) -> None:
    assert _short(classified.members[cls]) == EXPECTED[cls]


@needs_java
def test_inferred_types_are_written_to_their_own_graph_with_a_load_record(store, classified) -> None:
    record = next(g for g in store.graph_records() if g.graph == INFERRED_CLASSES_GRAPH)
    assert record.source == "reason-classify"
    expected = sum(len(m) for m in EXPECTED.values())
    assert record.triples == expected == classified.written
    rows = store.query("SELECT ?c WHERE { GRAPH <%s> { ?c a mcg:FullyDescribedUnderCis } }" % INFERRED_CLASSES_GRAPH)
    assert _short(set(rows.values("c"))) == EXPECTED[FULLY_DESCRIBED_CIS]


@needs_java
def test_a_change_in_the_data_changes_the_verdict() -> None:
    s = EmbeddedStore()
    list(build(s))
    before = classify(s, write=False)
    assert CRED + "mcgill-micro-credential" not in before.members[STACKABLE]
    assert CRED + "au-nmf-complete-cis" in before.members[FULLY_DESCRIBED_CIS]
    # mcgill now stacks into an award; the unlevelled ECMF credential gets EQF level 6.
    change = [ox.Triple(ox.NamedNode(CRED + "mcgill-micro-credential"), ox.NamedNode(str(MCG.stacksInto)),
                        ox.NamedNode(CRED + "rru-caf")),
              ox.Triple(ox.NamedNode(CRED + "eu-ecmf-long-unlevelled"), ox.NamedNode(str(MCG.hasLevel)),
                        ox.NamedNode("http://data.europa.eu/snb/eqf/6"))]
    s.write_graph(str(GRAPH["test/change"]), change, LoadRecord(graph=str(GRAPH["test/change"]), source="test"))
    after = classify(s, write=False)
    assert CRED + "eu-ecmf-long-unlevelled" not in before.members[EQF6_PLUS]
    assert CRED + "mcgill-micro-credential" in after.members[STACKABLE]
    assert CRED + "eu-ecmf-long-unlevelled" in after.members[EQF6_PLUS]
    assert after.members[CREDIT_BEARING] == before.members[CREDIT_BEARING]


@needs_java
def test_batches_of_every_credential_give_the_same_answer_as_one_credential_per_profile(store, classified) -> None:
    batched = classify(store, batch_size=50, write=False, by_profile=False)
    assert batched.batches == -(-classified.credentials // 50) and classified.profiles < classified.credentials
    assert batched.members == classified.members


@needs_java
def test_drop_and_rebuild_the_inferred_graph(tmp_path: Path, capsys) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        list(build(s))
    code, out, _ = run_cli(capsys, path, "reason", "classify")
    assert code == 0 and "FullyDescribedUnderCis" in out
    assert run_cli(capsys, path, "drop", "inferred/classes")[0] == 2  # reserved: only reasoning drops it
    assert run_cli(capsys, path, "reason", "drop", "classes")[0] == 0
    with EmbeddedStore(path) as s:
        assert INFERRED_CLASSES_GRAPH not in {g.graph for g in s.graph_records()}
    code, out, _ = run_cli(capsys, path, "reason", "classify", "--format", "json")
    assert code == 0
    with EmbeddedStore(path) as s:
        assert next(g for g in s.graph_records() if g.graph == INFERRED_CLASSES_GRAPH).triples == \
            sum(len(m) for m in EXPECTED.values())


# -- materialisation -------------------------------------------------------------------------------------


def test_broader_closure_equals_the_transitive_closure_computed_independently(store) -> None:
    result = infer(store)
    pairs = store.query("SELECT ?x ?y WHERE { ?x skos:broader ?y }").dicts()
    graph = nx.DiGraph((p["x"], p["y"]) for p in pairs)
    expected = {(x, y) for x in graph for y in nx.descendants(graph, x)}
    got = {(t.subject.value, t.object.value) for t in result.triples
           if t.predicate.value == "http://www.w3.org/2004/02/skos/core#broaderTransitive"}
    assert got == expected and len(expected) > 100


def test_claims_skill_is_the_union_of_teaches_and_assesses(store) -> None:
    result = infer(store)
    claims = {(t.subject.value, t.object.value) for t in result.triples if t.predicate.value == str(MCG.claimsSkill)}
    rows = store.query("SELECT ?c ?s WHERE { { ?c mcg:teaches ?s } UNION { ?c mcg:assesses ?s } }").dicts()
    assert claims == {(r["c"], r["s"]) for r in rows} and claims


def test_inverse_rule_gives_essential_for() -> None:
    s = EmbeddedStore()
    list(build(s))
    esco = "http://data.europa.eu/esco/"
    triples = [ox.Triple(ox.NamedNode(esco + "occupation/o1"), ox.NamedNode(esco + "model#relatedEssentialSkill"),
                         ox.NamedNode(esco + "skill/s1"))]
    s.write_graph(str(GRAPH["test/esco"]), triples, LoadRecord(graph=str(GRAPH["test/esco"]), source="test"))
    got = {(t.subject.value, t.predicate.value, t.object.value) for t in infer(s).triples
           if t.predicate.value == str(MCG.essentialFor) and t.subject.value == esco + "skill/s1"}
    assert got == {(esco + "skill/s1", str(MCG.essentialFor), esco + "occupation/o1")}


def test_sparql_rules_and_owlrl_give_identical_results_on_the_sample_slice(store) -> None:
    sparql = infer(store, engine="sparql")
    owlrl = infer(store, engine="owlrl")
    assert sparql.triples == owlrl.triples
    assert len(sparql.triples) > 500


def test_one_pass_of_the_rules_reaches_the_fixpoint(store) -> None:
    """No rule's output feeds another for the shipped ontology: rerunning over base + closure adds nothing."""
    first = infer(store)
    scratch = EmbeddedStore()
    base = run_query(store, "reason-closure-input").triples
    scratch.write_graph(str(GRAPH["base"]), list(base) + list(first.triples),
                        LoadRecord(graph=str(GRAPH["base"]), source="test"))
    ontology = run_query(store, "reason-ontology").triples
    scratch.write_graph(str(GRAPH["ontology"]), ontology, LoadRecord(graph=str(GRAPH["ontology"]), source="test"),
                        reserved_ok=True)
    assert infer(scratch).triples == set()


def test_materialise_writes_the_closure_graph_and_the_inferred_query_matches_the_explicit_one(store) -> None:
    result = materialise(store)
    record = next(g for g in store.graph_records() if g.graph == INFERRED_CLOSURE_GRAPH)
    assert record.triples == result.written == len(result.triples)
    # an ESCO skill group of the taxonomy slice with claims below it
    groups = store.query("SELECT DISTINCT ?g WHERE { ?c mcg:teaches|mcg:assesses ?s . ?s skos:broader+ ?g }")
    group_iris = groups.values("g")
    assert group_iris
    for group in group_iris[:10]:
        inferred = run_query(store, "skill-credentials-inferred", skill=group).dicts()
        explicit = run_query(store, "skill-credentials-explicit", skill=group).dicts()
        assert inferred == explicit and inferred


# -- consistency -----------------------------------------------------------------------------------------


def test_consistent_data_exits_0(built_store_dir: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, built_store_dir, "reason", "check", "--no-hermit")
    assert code == 0 and "consistent" in out


@needs_java
def test_inconsistent_input_is_reported_with_its_individuals_and_the_store_is_unchanged(tmp_path, capsys) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        list(build(s))
    assert run_cli(capsys, path, "load", str(FIXTURES / "reasoning" / "inconsistent.ttl"))[0] == 0
    with EmbeddedStore(path) as s:
        before = _nquads_hash(s), sorted(g.graph for g in s.graph_records())
    code, out, _ = run_cli(capsys, path, "reason", "check")
    assert code == 1
    assert "both-kinds" in out and "disjoint" in out
    assert "level/shared" in out and "levelInFramework" in out
    assert "HermiT: inconsistent" in out
    code, _, err = run_cli(capsys, path, "reason", "classify")
    assert code == 2 and "reason check" in err and "Traceback" not in err
    with EmbeddedStore(path) as s:
        assert (_nquads_hash(s), sorted(g.graph for g in s.graph_records())) == before


def test_consistency_report_names_each_problem(tmp_path) -> None:
    s = EmbeddedStore()
    list(build(s))
    data = (FIXTURES / "reasoning" / "inconsistent.ttl").read_bytes()
    s.write_graph(str(GRAPH["test/bad"]), ox.parse(data, format=ox.RdfFormat.TURTLE),
                  LoadRecord(graph=str(GRAPH["test/bad"]), source="test"))
    report = check_consistency(s, use_hermit=False)
    kinds = {(p.kind, p.individuals[0].rsplit("/", 2)[-2] + "/" + p.individuals[0].rsplit("/", 1)[-1])
             for p in report.problems}
    assert kinds == {("disjoint classes", "credential/both-kinds"), ("functional property", "level/shared")}
    assert not report.consistent


def _turtle(text: str) -> list[ox.Triple]:
    prefixes = ("@prefix : <http://example.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> . "
                "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . "
                "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . ")
    return list(ox.parse((prefixes + text).encode(), format=ox.RdfFormat.TURTLE))


def test_value_free_properties_are_those_no_axiom_reads_the_value_of() -> None:
    """Profiles drop literal values only for these properties (the text of a string, the number of credits)."""
    s = EmbeddedStore()
    list(build(s))
    free = value_free_properties(focus_extract(s).ontology)
    assert {str(MCG.creditPoints), str(MCG.industrySupport), str(MCG.industryAlignment)} <= free
    assert str(MCG.levelNumber) not in free  # Eqf6PlusLevel reads it through a facet (>= 6)
    tiny = _turtle("""
        :free a owl:DatatypeProperty ; rdfs:range xsd:decimal ; rdfs:label "free" .
        :freeToo a owl:DatatypeProperty ; rdfs:subPropertyOf :free .
        :faceted a owl:DatatypeProperty .
        :valued a owl:DatatypeProperty .
        :functional a owl:DatatypeProperty , owl:FunctionalProperty .
        :counted a owl:DatatypeProperty .
        :integral a owl:DatatypeProperty ; rdfs:range xsd:integer .
        :underFaceted a owl:DatatypeProperty ; rdfs:subPropertyOf :faceted .
        :A owl:equivalentClass [ a owl:Restriction ; owl:onProperty :free ; owl:someValuesFrom xsd:decimal ] .
        :B owl:equivalentClass [ a owl:Restriction ; owl:onProperty :faceted ; owl:someValuesFrom
            [ a rdfs:Datatype ; owl:onDatatype xsd:integer ; owl:withRestrictions ( [ xsd:minInclusive 6 ] ) ] ] .
        :C owl:equivalentClass [ a owl:Restriction ; owl:onProperty :valued ; owl:hasValue "x" ] .
        :D rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :counted ; owl:maxCardinality 1 ] .
    """)
    assert value_free_properties(tiny) == {"http://example.org/free", "http://example.org/freeToo"}


def test_profile_key_ignores_names_repeats_and_values_no_axiom_reads() -> None:
    ex = "http://example.org/"
    known = {ex + "sfia", ex + "ects", ex + "esco"}  # named by the context, or used by several credentials
    free = frozenset({ex + "points"})

    def credential(name: str, claims: list[str], points: ox.Literal, target: str) -> list[ox.Triple]:
        c = ox.NamedNode(ex + name)
        triples = [ox.Triple(c, ox.NamedNode(ex + "stacksInto"), ox.NamedNode(ex + target)),
                   ox.Triple(c, ox.NamedNode(ex + "credit"), ox.NamedNode(ex + name + "/credit")),
                   ox.Triple(ox.NamedNode(ex + name + "/credit"), ox.NamedNode(ex + "points"), points),
                   ox.Triple(ox.NamedNode(ex + name + "/credit"), ox.NamedNode(ex + "system"), ox.NamedNode(ex + "ects"))]
        for i, scheme in enumerate(claims):
            claim = ox.NamedNode(f"{ex}{name}/claim/{i}")
            triples += [ox.Triple(c, ox.NamedNode(ex + "claim"), claim),
                        ox.Triple(claim, ox.NamedNode(ex + "taxonomy"), ox.NamedNode(ex + scheme))]
        return triples

    def key(name: str, *args) -> tuple:
        return profile_key(ex + name, credential(name, *args), known, free)

    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    base = key("a", ["esco", "esco", "esco"], ox.Literal("5", datatype=decimal), "x1")
    # fewer claims of the same kind, another credit value, another target nothing else names: same profile
    assert key("b", ["esco"], ox.Literal("10", datatype=decimal), "x2") == base
    # a double is not an xsd:decimal, an invalid decimal is no value at all, SFIA is named by the context, a
    # named target may be known: each is a different profile
    assert key("c", ["esco"], ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")),
               "x1") != base
    assert key("d", ["esco"], ox.Literal("five", datatype=decimal), "x1") != base
    assert key("e", ["esco", "sfia"], ox.Literal("5", datatype=decimal), "x1") != base
    assert key("f", ["esco"], ox.Literal("5", datatype=decimal), "sfia") != base
    # a value-sensitive property keeps its value
    assert profile_key(ex + "a", credential("a", ["esco"], ox.Literal("5", datatype=decimal), "x1"), known,
                       frozenset()) != profile_key(ex + "b", credential("b", ["esco"], ox.Literal("10", datatype=decimal), "x1"), known,
                                                   frozenset())


def test_locality_module_keeps_what_the_signature_needs_and_leaves_out_the_rest() -> None:
    ontology = _turtle("""
        :A a owl:Class ; rdfs:label "A" ; rdfs:comment "the class asked about" ;
            owl:equivalentClass [ owl:intersectionOf ( :B [ a owl:Restriction ; owl:onProperty :p ;
                                                            owl:someValuesFrom :C ] ) ] .
        :p a owl:ObjectProperty ; rdfs:range :H .
        :H rdfs:subClassOf :K .
        :D rdfs:subClassOf :A .
        :E rdfs:subClassOf :F .
        :q a owl:ObjectProperty ; rdfs:domain :G .
        :B owl:disjointWith :C .
        :B owl:disjointWith :F .
        [] a owl:AllDisjointClasses ; owl:members ( :B :K ) .
        [] a owl:AllDisjointClasses ; owl:members ( :B :E :F ) .
        :x a :B .
    """)
    module = locality_module(ontology, {"http://example.org/A"})
    kept = {(t.subject.value.rsplit("/", 1)[-1] if isinstance(t.subject, ox.NamedNode) else "_",
             t.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
             t.object.value.rsplit("/", 1)[-1] if isinstance(t.object, ox.NamedNode) else "_") for t in module}
    assert ("A", "equivalentClass", "_") in kept  # the definition, with B, p and C
    assert ("p", "range", "H") in kept and ("H", "subClassOf", "K") in kept  # reached through p, then H
    assert ("B", "disjointWith", "C") in kept and ("x", "type", "B") in kept
    # B and K are both in the signature by then; of B, E and F only B is
    assert [t.object.value for t in module].count("http://www.w3.org/2002/07/owl#AllDisjointClasses") == 1
    assert not {("D", "subClassOf", "A"), ("E", "subClassOf", "F"), ("q", "domain", "G"),
                ("B", "disjointWith", "F")} & kept  # D, E, F, q are empty for the signature: local
    assert not any(p in ("label", "comment") for _, p, _ in kept)


@needs_java
def test_the_ontology_module_gives_the_same_classes_as_the_whole_ontology(store, classified) -> None:
    whole = classify(store, write=False, module=False)
    assert whole.members == classified.members
    extract = focus_extract(store)
    module = locality_module(extract.ontology, extract.signature() | set(DEFINED_CLASSES))
    assert len(module) < len(extract.ontology) / 2
