"""Tests for the mcgraph OWL ontology (ontology/mcgraph.ttl) and its alignments
(ontology/alignments.ttl).

1. both files parse with rdflib;
2. every mcg: class, property and individual is declared once, with rdfs:label and
   rdfs:comment, and every mcg: term used anywhere is declared; the term list other
   modules code against is present with the right kinds;
3. the merged ontology loads in owlready2 and is consistent under HermiT, with no
   unsatisfiable classes;
4. deliberately broken additions ARE detected, so tests 3 can fail.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
MAIN_FILE = ONTOLOGY_DIR / "mcgraph.ttl"
ALIGNMENTS_FILE = ONTOLOGY_DIR / "alignments.ttl"
ONTOLOGY_FILES = (MAIN_FILE, ALIGNMENTS_FILE)

ONTOLOGY_IRI = URIRef("https://w3id.org/mcgraph/ontology")
MCG = Namespace("https://w3id.org/mcgraph/ontology#")
DCT = Namespace("http://purl.org/dc/terms/")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")

PREFIXES = """\
@prefix mcg:  <https://w3id.org/mcgraph/ontology#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix esco: <http://data.europa.eu/esco/model#> .
@prefix ex:   <https://example.org/mcgraph-test#> .
"""

DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)

# The term list other modules code against: local name -> declared kind.
CONTRACT_CLASSES = """
    Credential MicroCredential Award Provider Jurisdiction LearningOutcome Assessment
    AssessmentType IdentityVerification SkillClaim ClaimKind RatingScale CreditValue
    CreditSystem QualificationFramework QualificationLevel Pathway ChoiceGroup Occupation
    SkillRequirement RequirementKind Skill SkillLevelConcept MicroCredentialFramework
    Principle Limit Quantity DeliveryMode LoadedGraph
""".split()
CONTRACT_OBJECT_PROPERTIES = """
    partOfJurisdiction assessmentType identityVerification hasSkillClaim claimedSkill
    claimKind proficiencyLevel levelScale fromTaxonomy teaches assesses hasCreditValue
    creditSystem hasLevel frameworkJurisdiction stacksInto pathwayDestination requiredPart
    hasChoiceGroup option minimumCreditSystem hasSkillRequirement requiredSkill
    importanceScale requirementKind relatedOccupation skillAtLevelOf hasPrinciple hasLimit
    limitQuantity limitCreditSystem limitFramework conformsToFramework
    usesQualificationFramework usesCreditSystem provider jurisdiction hasLearningOutcome
    hasAssessment deliveryMode
""".split()
CONTRACT_DATATYPE_PROPERTIES = """
    assessmentMethod levelValue scaleMinimum scaleMaximum notionalHours durationWeeks
    creditPoints hoursPerCreditMin hoursPerCreditMax levelNumber chooseAtLeast
    minimumCredits minimumHours requiredLevel importance notRelevant suppressRecommended
    minInclusive maxInclusive maxExclusive limitNote language startDate endDate
    learnerEffortNote inherentRequirements price priceCurrency financialAssistance
    certification creditRecognition qualityAssurance prerequisites expiry industrySupport
    industryAlignment illustrative tripleCount sourceFile sha256 sourceName sourceVersion
""".split()
CONTRACT_INDIVIDUALS = {
    "AssessmentType": """Summative PracticalDemonstration Portfolio Exam Project
                         WorkplaceObservation RecognitionOfPriorLearning""".split(),
    "IdentityVerification": "SupervisedOnSite SupervisedOnline OnlineVerified NotVerified".split(),
    "ClaimKind": "Taught Assessed".split(),
    "RequirementKind": "Essential Optional".split(),
    "DeliveryMode": "Online InPerson Blended".split(),
    "Quantity": """NotionalHoursQuantity CreditQuantity QualificationLevelQuantity
                   DurationWeeksQuantity""".split(),
}


# --------------------------------------------------------------------------- helpers


def _parse(path: Path) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


def _merged() -> Graph:
    graph = Graph()
    for path in ONTOLOGY_FILES:
        graph.parse(path, format="turtle")
    return graph


def _mcg_terms_used(graph: Graph) -> set[URIRef]:
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(MCG))
    }


@pytest.fixture(scope="module")
def main_graph() -> Graph:
    return _parse(MAIN_FILE)


@pytest.fixture(scope="module")
def merged_graph() -> Graph:
    return _merged()


# --------------------------------------------------------------------------- 1. parsing


@pytest.mark.parametrize("path", ONTOLOGY_FILES, ids=lambda p: p.name)
def test_file_parses_with_rdflib(path: Path) -> None:
    graph = _parse(path)
    assert len(graph) > 0
    assert list(graph.subjects(RDF.type, OWL.Ontology)), f"{path.name} has no owl:Ontology header"


def test_ontology_header(main_graph: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in main_graph
    assert (ONTOLOGY_IRI, OWL.versionInfo, Literal("0.1.0")) in main_graph
    assert main_graph.value(ONTOLOGY_IRI, DCT.title) is not None
    assert main_graph.value(ONTOLOGY_IRI, DCT.description) is not None
    assert (
        ONTOLOGY_IRI,
        DCT.license,
        URIRef("https://creativecommons.org/licenses/by/4.0/"),
    ) in main_graph


@pytest.mark.parametrize("path", ONTOLOGY_FILES, ids=lambda p: p.name)
def test_no_imports(path: Path) -> None:
    assert not list(_parse(path).objects(None, OWL.imports)), "external ontologies must not be imported"


# --------------------------------------------------------------------------- 2. documentation


def test_every_mcg_term_is_declared_in_main_file(main_graph: Graph, merged_graph: Graph) -> None:
    declared = {s for t in DECLARATION_TYPES for s in main_graph.subjects(RDF.type, t)}
    undeclared = sorted(str(t) for t in _mcg_terms_used(merged_graph) - declared)
    assert not undeclared, f"mcg: terms used but not declared in mcgraph.ttl: {undeclared}"


def test_every_mcg_term_has_label_and_comment(main_graph: Graph) -> None:
    missing = []
    for term in sorted(_mcg_terms_used(main_graph)):
        for prop in (RDFS.label, RDFS.comment):
            if main_graph.value(term, prop) is None:
                missing.append(f"{term.fragment} lacks {prop.fragment}")
    assert not missing, missing


def test_no_term_has_two_property_kinds(merged_graph: Graph) -> None:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    clashes = [
        str(s)
        for s in set(merged_graph.subjects(RDF.type, None))
        if sum((s, RDF.type, k) in merged_graph for k in kinds) > 1
    ]
    assert not clashes, f"punned properties are not OWL 2 DL: {clashes}"


def test_contract_terms_present(main_graph: Graph) -> None:
    expected = (
        [(name, OWL.Class) for name in CONTRACT_CLASSES]
        + [(name, OWL.ObjectProperty) for name in CONTRACT_OBJECT_PROPERTIES]
        + [(name, OWL.DatatypeProperty) for name in CONTRACT_DATATYPE_PROPERTIES]
    )
    missing = [
        f"{name} ({kind.fragment})"
        for name, kind in expected
        if (MCG[name], RDF.type, kind) not in main_graph
    ]
    assert not missing, missing
    for cls, names in CONTRACT_INDIVIDUALS.items():
        for name in names:
            assert (MCG[name], RDF.type, OWL.NamedIndividual) in main_graph, name
            assert (MCG[name], RDF.type, MCG[cls]) in main_graph, f"{name} is not a {cls}"


def test_key_axioms(main_graph: Graph) -> None:
    g = main_graph
    assert (MCG.MicroCredential, RDFS.subClassOf, MCG.Credential) in g
    assert (MCG.Award, RDFS.subClassOf, MCG.Credential) in g
    assert (MCG.MicroCredential, OWL.disjointWith, MCG.Award) in g
    assert (MCG.stacksInto, RDF.type, OWL.TransitiveProperty) not in g
    assert (MCG.levelValue, RDFS.domain, None) not in g
    for prop in ("levelValue", "notionalHours", "creditPoints", "minInclusive", "maxExclusive"):
        assert (MCG[prop], RDFS.range, XSD_DECIMAL) in g, prop
    assert (MCG.levelNumber, RDFS.range, XSD_INTEGER) in g


# --------------------------------------------------------------------------- 3./4. HermiT

JAVA = shutil.which("java")
needs_java = pytest.mark.skipif(JAVA is None, reason="HermiT needs a Java runtime and no `java` is on PATH")


def _load_world(tmp_path: Path, extra_turtle: str | None = None):
    """Merge both files (plus optional test triples), write RDF/XML, load it into a fresh World."""
    import owlready2

    owlready2.JAVA_EXE = JAVA
    graph = _merged()
    if extra_turtle:
        graph.parse(data=PREFIXES + extra_turtle, format="turtle")
    path = tmp_path / "mcgraph-merged.owl"
    graph.serialize(destination=path, format="xml")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    return world


def _reason(world) -> None:
    import owlready2

    owlready2.sync_reasoner(world, infer_property_values=False, debug=0)


@needs_java
def test_ontology_consistent_under_hermit(tmp_path: Path) -> None:
    import owlready2

    world = _load_world(tmp_path)
    mcg = world.get_namespace(str(MCG))
    assert mcg.MicroCredential is not None and mcg.SkillClaim is not None
    try:
        _reason(world)
    except owlready2.OwlReadyInconsistentOntologyError:  # pragma: no cover - the failure we guard against
        pytest.fail("mcgraph ontology + alignments is inconsistent under HermiT")
    assert list(world.inconsistent_classes()) == []
    # Inferred through the alignment axioms.
    assert mcg.Skill in world["http://data.europa.eu/esco/model#Skill"].ancestors()


@needs_java
def test_typical_data_is_consistent(tmp_path: Path) -> None:
    """A realistic ABox using the main terms is consistent (guards against over-strong domains)."""
    import owlready2

    world = _load_world(
        tmp_path,
        """
        ex:mc a owl:NamedIndividual , mcg:MicroCredential ;
            mcg:provider ex:uni ; mcg:notionalHours 40 ; mcg:durationWeeks 6.5 ;
            mcg:price "450.00"^^xsd:decimal ; mcg:priceCurrency "AUD" ; mcg:illustrative true ;
            mcg:deliveryMode mcg:Online ; mcg:hasAssessment ex:a ; mcg:hasSkillClaim ex:c ;
            mcg:teaches ex:python ; mcg:assesses ex:python ; mcg:hasCreditValue ex:cv ;
            mcg:hasLevel ex:eqf5 ; mcg:stacksInto ex:diploma ; mcg:conformsToFramework ex:nmf ;
            mcg:relatedOccupation ex:dev .
        ex:uni a owl:NamedIndividual , mcg:Provider .
        ex:a a owl:NamedIndividual , mcg:Assessment ; mcg:assessmentType mcg:Project , mcg:Summative ;
            mcg:identityVerification mcg:SupervisedOnline ; mcg:assessmentMethod "Capstone project" .
        ex:c a owl:NamedIndividual , mcg:SkillClaim ; mcg:claimedSkill ex:python ;
            mcg:claimKind mcg:Taught , mcg:Assessed ; mcg:levelValue 3 ; mcg:levelScale ex:sfia ;
            mcg:proficiencyLevel ex:sfia3 .
        ex:python a owl:NamedIndividual , esco:Skill .
        ex:sfia a owl:NamedIndividual , mcg:RatingScale ; mcg:scaleMinimum 1 ; mcg:scaleMaximum 7 .
        ex:cv a owl:NamedIndividual , mcg:CreditValue ; mcg:creditPoints 2.5 ; mcg:creditSystem ex:ects .
        ex:ects a owl:NamedIndividual , mcg:CreditSystem ;
            mcg:hoursPerCreditMin 25 ; mcg:hoursPerCreditMax 30 .
        ex:eqf5 a owl:NamedIndividual , mcg:QualificationLevel ; mcg:levelNumber 5 .
        ex:diploma a owl:NamedIndividual , mcg:Award .
        ex:dev a owl:NamedIndividual , esco:Occupation ; mcg:hasSkillRequirement ex:r .
        ex:r a owl:NamedIndividual , mcg:SkillRequirement ; mcg:requiredSkill ex:python ;
            mcg:requirementKind mcg:Essential ; mcg:requiredLevel 4.5 ; mcg:importance 3.75 ;
            mcg:levelScale ex:sfia ; mcg:notRelevant false .
        ex:nmf a owl:NamedIndividual , mcg:MicroCredentialFramework ; mcg:hasLimit ex:lim ;
            mcg:frameworkJurisdiction ex:au .
        ex:au a owl:NamedIndividual , mcg:Jurisdiction .
        ex:lim a owl:NamedIndividual , mcg:Limit ; mcg:limitQuantity mcg:NotionalHoursQuantity ;
            mcg:minInclusive 1 ; mcg:maxExclusive 150 .
        """,
    )
    try:
        _reason(world)
    except owlready2.OwlReadyInconsistentOntologyError:  # pragma: no cover
        pytest.fail("typical credential data is inconsistent with the ontology")
    assert list(world.inconsistent_classes()) == []
    mcg = world.get_namespace(str(MCG))
    dev = world["https://example.org/mcgraph-test#dev"]
    assert mcg.Occupation in dev.INDIRECT_is_a


@needs_java
@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(
            "ex:bad a owl:NamedIndividual , mcg:MicroCredential , mcg:Award .",
            id="micro-credential-and-award",
        ),
        pytest.param(
            "ex:bad a owl:NamedIndividual , mcg:Credential , mcg:SkillClaim .",
            id="credential-and-skill-claim",
        ),
        pytest.param("mcg:Taught owl:sameAs mcg:Assessed .", id="taught-same-as-assessed"),
    ],
)
def test_inconsistent_addition_is_detected(tmp_path: Path, broken: str) -> None:
    import owlready2

    world = _load_world(tmp_path, broken)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(world)


@needs_java
def test_unsatisfiable_class_is_detected(tmp_path: Path) -> None:
    world = _load_world(
        tmp_path,
        "ex:Hybrid a owl:Class ; rdfs:subClassOf mcg:MicroCredential , mcg:Award .",
    )
    _reason(world)
    names = [c.iri for c in world.inconsistent_classes()]
    assert "https://example.org/mcgraph-test#Hybrid" in names
