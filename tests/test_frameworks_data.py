"""The curated framework data (data/frameworks/): complete level schemes, a source on every fact, the numbers.

The two checks the data must pass (:func:`scheme_problems`, :func:`unsourced`) are also run on small broken
graphs, to show they fail when a level is missing or a fact has no dct:source.
"""

from __future__ import annotations

import csv
import re

import pytest
from conftest import REPO, shared_path
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

MCG = Namespace("https://w3id.org/mcgraph/ontology#")
FW = Namespace("https://w3id.org/mcgraph/id/framework/")
CS = Namespace("https://w3id.org/mcgraph/id/credit-system/")
EQF = Namespace("http://data.europa.eu/snb/eqf/")
DATA = REPO / "data" / "frameworks"
GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")
MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)

EXPECTED_LEVELS = {"eqf": 8, "nfq": 10, "scqf": 12, "aqf": 10, "nzqcf": 10, "wsq": 6, "oqf": 13, "cdqf": 3}
EXPECTED_MCFS = {
    "mcc-canada",
    "cican",
    "bc",
    "ontario",
    "saskatchewan",
    "nova-scotia",
    "au-nmf",
    "nzqa",
    "eu-council-2022",
    "ecmf",
    "microcreds-ie",
    "singapore",
}
#: Frameworks whose source gives no year; each must say so in a skos:editorialNote instead of a dct:issued.
NO_YEAR = {"mcc-canada", "singapore"}
#: Kinds of resource that state a framework fact and so must cite a source.
SOURCED_KINDS = (
    MCG.QualificationFramework,
    MCG.QualificationLevel,
    MCG.QualificationType,
    MCG.MicroCredentialFramework,
    MCG.Principle,
    MCG.Limit,
    MCG.CreditSystem,
    MCG.LevelCrosswalk,
    OWL.Axiom,
)


# -- the checks ----------------------------------------------------------------------------------------------


def scheme_problems(g: Graph) -> list[str]:
    """Problems with level schemes: a gap or duplicate in levels 1..N, or a level without label, notation,
    level number, definition or source."""
    problems = []
    for scheme in sorted(g.subjects(RDF.type, MCG.QualificationFramework)):
        levels = list(g.subjects(SKOS.inScheme, scheme))
        numbers = []
        for level in levels:
            nums = [int(n) for n in g.objects(level, MCG.levelNumber)]
            if len(nums) != 1:
                problems.append(f"{level}: {len(nums)} mcg:levelNumber values")
                continue
            numbers.append(nums[0])
            for prop in (SKOS.prefLabel, SKOS.notation, SKOS.definition, DCTERMS.source):
                if g.value(level, prop) is None:
                    problems.append(f"{level}: no {g.qname(prop)}")
            if str(g.value(level, SKOS.notation)) != str(nums[0]):
                problems.append(
                    f"{level}: notation {g.value(level, SKOS.notation)} is not its level {nums[0]}"
                )
            if (level, RDF.type, MCG.QualificationLevel) not in g:
                problems.append(f"{level}: not an mcg:QualificationLevel")
        if not numbers:
            problems.append(f"{scheme}: no levels")
        elif sorted(numbers) != list(range(1, max(numbers) + 1)):
            missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
            problems.append(f"{scheme}: levels {sorted(numbers)} (missing {missing}, or duplicated)")
    return problems


def unsourced(g: Graph) -> list[str]:
    """Framework facts without dct:source: framework entities, levels, principles, limits, credit systems,
    crosswalks and crosswalk links, and SKOS mappings between levels without a sourced owl:Axiom."""
    problems = [
        f"{s} ({g.qname(kind)}) has no dct:source"
        for kind in SOURCED_KINDS
        for s in g.subjects(RDF.type, kind)
        if g.value(s, DCTERMS.source) is None
    ]
    levels = set(g.subjects(RDF.type, MCG.QualificationLevel))
    for prop in MAPPINGS:
        for a, b in g.subject_objects(prop):
            if a not in levels:
                continue
            axioms = [
                ax
                for ax in g.subjects(OWL.annotatedSource, a)
                if (ax, OWL.annotatedProperty, prop) in g and (ax, OWL.annotatedTarget, b) in g
            ]
            if not any(g.value(ax, DCTERMS.source) is not None for ax in axioms):
                problems.append(f"mapping {a} {g.qname(prop)} {b} has no owl:Axiom with dct:source")
    return problems


# -- fixtures ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def g() -> Graph:
    graph = Graph()
    for path in sorted(DATA.glob("*.ttl")):
        graph.parse(path)
    return graph


def short(g: Graph, name: str) -> URIRef:
    found = [s for s in g.subjects(MCG.shortName, Literal(name))]
    assert len(found) == 1, f"{len(found)} resources with short name {name!r}"
    return found[0]  # type: ignore[return-value]


def limit(g: Graph, framework: str, quantity: URIRef) -> dict[str, object]:
    found = [lim for lim in g.objects(FW[framework], MCG.hasLimit) if (lim, MCG.limitQuantity, quantity) in g]
    assert len(found) == 1, f"{framework}: {len(found)} limits on {quantity}"
    lim = found[0]
    out: dict[str, object] = {
        p: g.value(lim, MCG[p])
        for p in (
            "minInclusive",
            "maxInclusive",
            "maxExclusive",
            "limitCreditSystem",
            "limitFramework",
            "limitStrength",
            "boundDerived",
        )
    }
    return {k: (v.toPython() if isinstance(v, Literal) else v) for k, v in out.items()}


# -- level schemes -------------------------------------------------------------------------------------------


def test_every_level_scheme_is_complete(g: Graph) -> None:
    assert scheme_problems(g) == []
    counts = {
        str(g.value(s, MCG.shortName)): len(list(g.subjects(SKOS.inScheme, s)))
        for s in g.subjects(RDF.type, MCG.QualificationFramework)
    }
    assert counts == EXPECTED_LEVELS


def test_scheme_check_fails_on_a_gap_and_a_missing_label(g: Graph) -> None:
    broken = Graph()
    for t in g.triples((None, None, None)):
        broken.add(t)
    nfq4 = next(
        lv for lv in g.subjects(SKOS.inScheme, short(g, "nfq")) if g.value(lv, MCG.levelNumber) == Literal(4)
    )
    broken.remove((nfq4, None, None))
    eqf2 = EQF["2"]
    broken.remove((eqf2, SKOS.prefLabel, None))
    problems = scheme_problems(broken)
    assert any("missing [4]" in p for p in problems), problems
    assert any(str(eqf2) in p and "prefLabel" in p for p in problems), problems


def test_eqf_uses_the_official_iris(g: Graph) -> None:
    eqf = short(g, "eqf")
    assert eqf == URIRef("http://data.europa.eu/snb/eqf/25831c2")
    assert set(g.subjects(SKOS.inScheme, eqf)) == {EQF[str(n)] for n in range(1, 9)}


@pytest.mark.realdata
def test_nfq_and_scqf_levels_are_the_qdr_iris(g: Graph) -> None:
    path = shared_path("qualification-frameworks", "elm_qdr_nqf_codelist.csv")
    qdr = {row["label"]: row["uri"] for row in csv.DictReader(path.open(encoding="utf-8"))}
    for name, label in (("nfq", "IE NQF Level {}"), ("scqf", "SCQF Level {}")):
        scheme = short(g, name)
        by_number = {int(g.value(lv, MCG.levelNumber)): str(lv) for lv in g.subjects(SKOS.inScheme, scheme)}
        assert by_number == {n: qdr[label.format(n)] for n in by_number}, name
    assert (short(g, "nfq"), SKOS.exactMatch, URIRef(qdr["Irish National Framework of Qualifications"])) in g
    assert (
        short(g, "scqf"),
        SKOS.exactMatch,
        URIRef(qdr["Scottish Credit and Qualifications Framework"]),
    ) in g


@pytest.mark.realdata
def test_aqf_iris_come_from_the_shared_encoding_and_descriptors_are_our_own(g: Graph) -> None:
    shared = Graph().parse(shared_path("qualification-frameworks", "aqf.ttl"))
    shared_concepts = set(shared.subjects(SKOS.inScheme, None)) | set(shared.subjects(RDF.type, SKOS.Concept))
    aqf_levels = set(g.subjects(SKOS.inScheme, short(g, "aqf")))
    assert aqf_levels == {URIRef(f"https://training.gov.au/aqfLevel/{n}") for n in range(1, 11)}
    assert aqf_levels <= shared_concepts
    types = set(g.subjects(RDF.type, MCG.QualificationType))
    assert len(types) == 14 and len(types & shared_concepts) == 12
    # Own words: no run of eight words in common with any text of the shared file.
    theirs = {
        " ".join(words[i : i + 8])
        for o in shared.objects()
        if isinstance(o, Literal)
        for words in [re.findall(r"\w+", str(o).lower())]
        for i in range(len(words) - 7)
    }
    for s in aqf_levels | types:
        words = re.findall(r"\w+", str(g.value(s, SKOS.definition)).lower())
        common = [
            " ".join(words[i : i + 8]) for i in range(len(words) - 7) if " ".join(words[i : i + 8]) in theirs
        ]
        assert not common, f"{s} copies {common[0]!r}"


def test_aqf_types_sit_at_levels_with_volumes(g: Graph) -> None:
    for t in g.subjects(RDF.type, MCG.QualificationType):
        levels = list(g.objects(t, MCG.hasLevel))
        assert levels and all((lv, SKOS.inScheme, short(g, "aqf")) in g for lv in levels), t
        lo, hi = g.value(t, MCG.volumeMinYears).toPython(), g.value(t, MCG.volumeMaxYears).toPython()
        assert 0 < lo <= hi <= 4, t
    smallest = min(
        g.value(t, MCG.volumeMinYears).toPython() for t in g.subjects(RDF.type, MCG.QualificationType)
    )
    assert float(smallest) == 0.5


# -- sources -------------------------------------------------------------------------------------------------


def test_every_framework_fact_level_and_crosswalk_link_has_a_source(g: Graph) -> None:
    assert unsourced(g) == []
    assert len(list(g.subjects(RDF.type, OWL.Axiom))) == 32


def test_source_check_fails_on_a_tiny_graph_missing_sources() -> None:
    tiny = Graph()
    ex = Namespace("https://example.org/")
    tiny.add((ex.fw, RDF.type, MCG.MicroCredentialFramework))
    tiny.add((ex.fw, MCG.hasLimit, ex.limit))
    tiny.add((ex.limit, RDF.type, MCG.Limit))
    tiny.add((ex.limit, DCTERMS.source, ex.doc))  # the limit is sourced, the framework is not
    tiny.add((ex.a, RDF.type, MCG.QualificationLevel))
    tiny.add((ex.a, DCTERMS.source, ex.doc))
    tiny.add((ex.a, SKOS.closeMatch, EQF["5"]))  # a mapping with no annotated axiom at all
    ax = BNode()
    tiny.add((ex.b, RDF.type, MCG.QualificationLevel))
    tiny.add((ex.b, DCTERMS.source, ex.doc))
    tiny.add((ex.b, SKOS.broadMatch, EQF["6"]))  # a mapping whose axiom has no source
    for p, o in (
        (RDF.type, OWL.Axiom),
        (OWL.annotatedSource, ex.b),
        (OWL.annotatedProperty, SKOS.broadMatch),
        (OWL.annotatedTarget, EQF["6"]),
    ):
        tiny.add((ax, p, o))
    problems = unsourced(tiny)
    assert any(str(ex.fw) in p for p in problems)
    assert not any(str(ex.limit) in p for p in problems)
    assert any(str(ex.a) in p and "closeMatch" in p for p in problems)
    assert any(str(ex.b) in p and "broadMatch" in p for p in problems)
    assert any("Axiom" in p for p in problems)  # the axiom itself lacks dct:source
    assert len(problems) == 4, problems


def test_every_cited_source_is_defined_once_with_a_citation(g: Graph) -> None:
    cited = set(g.objects(None, DCTERMS.source))
    assert len(cited) > 40
    for s in cited:
        assert g.value(s, DCTERMS.title) is not None, f"{s} is cited but not defined in sources.ttl"
        doc = g.value(s, DCTERMS.isPartOf) or s
        assert g.value(doc, DCTERMS.bibliographicCitation) is not None, f"{doc} has no citation"
    sources_file = Graph().parse(DATA / "sources.ttl")
    assert {s for s in cited if (s, DCTERMS.title, None) in sources_file} == cited


def test_crosswalk_axioms_and_skos_triples_agree(g: Graph) -> None:
    axioms = {
        (
            g.value(ax, OWL.annotatedSource),
            g.value(ax, OWL.annotatedProperty),
            g.value(ax, OWL.annotatedTarget),
        )
        for ax in g.subjects(RDF.type, OWL.Axiom)
    }
    levels = set(g.subjects(RDF.type, MCG.QualificationLevel))
    triples = {(a, p, b) for p in MAPPINGS for a, b in g.subject_objects(p) if a in levels}
    assert axioms == triples
    for ax in g.subjects(RDF.type, OWL.Axiom):
        crosswalk = g.value(ax, MCG.inCrosswalk)
        assert (crosswalk, RDF.type, MCG.LevelCrosswalk) in g
        src, tgt = g.value(ax, OWL.annotatedSource), g.value(ax, OWL.annotatedTarget)
        assert g.value(src, SKOS.inScheme) == g.value(crosswalk, MCG.crosswalkFrom)
        assert g.value(tgt, SKOS.inScheme) == g.value(crosswalk, MCG.crosswalkTo)


def test_data_uses_only_terms_the_ontology_declares(g: Graph) -> None:
    onto = Graph().parse(REPO / "ontology" / "mcgraph.ttl")
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(str(MCG))}
    undeclared = {t for t in used if (t, RDF.type, None) not in onto}
    assert undeclared == set()


# -- micro-credential frameworks -----------------------------------------------------------------------------


def test_the_twelve_micro_credential_frameworks(g: Graph) -> None:
    frameworks = set(g.subjects(RDF.type, MCG.MicroCredentialFramework))
    assert {str(g.value(f, MCG.shortName)) for f in frameworks} == EXPECTED_MCFS
    for f in frameworks:
        name = str(g.value(f, MCG.shortName))
        jurisdiction = g.value(f, MCG.frameworkJurisdiction)
        assert (jurisdiction, RDF.type, MCG.Jurisdiction) in g, name
        assert g.value(g.value(f, DCTERMS.publisher), URIRef("http://www.w3.org/2000/01/rdf-schema#label")), (
            name
        )
        assert len(str(g.value(f, SKOS.definition))) > 40, name
        issued = g.value(f, DCTERMS.issued)
        if name in NO_YEAR:
            assert issued is None and g.value(f, SKOS.editorialNote) is not None, name
        else:
            assert issued.datatype == GYEAR and 2017 <= int(str(issued)) <= 2025, name
        for p in g.objects(f, MCG.hasPrinciple):
            assert g.value(p, SKOS.definition) and g.value(p, DCTERMS.source), p
    principles = {
        str(g.value(f, MCG.shortName)): len(list(g.objects(f, MCG.hasPrinciple))) for f in frameworks
    }
    assert principles["mcc-canada"] == 9 and principles["eu-council-2022"] == 10 and principles["cican"] == 7


def test_cmf_limits(g: Graph) -> None:
    hours = limit(g, "ecmf", MCG.NotionalHoursQuantity)
    assert (hours["minInclusive"], hours["maxInclusive"]) == (100, 150)
    credits = limit(g, "ecmf", MCG.CreditQuantity)
    assert (credits["minInclusive"], credits["maxInclusive"], credits["limitCreditSystem"]) == (4, 6, CS.ects)
    level = limit(g, "ecmf", MCG.QualificationLevelQuantity)
    assert (level["minInclusive"], level["maxInclusive"], level["limitFramework"]) == (6, 8, short(g, "eqf"))
    assert {hours["limitStrength"], credits["limitStrength"], level["limitStrength"]} == {MCG.RequiredLimit}


def test_microcreds_limits(g: Graph) -> None:
    credits = limit(g, "microcreds-ie", MCG.CreditQuantity)
    assert (credits["minInclusive"], credits["maxInclusive"], credits["limitCreditSystem"]) == (
        1,
        30,
        CS.ects,
    )
    assert credits["limitStrength"] == MCG.TypicalLimit
    level = limit(g, "microcreds-ie", MCG.QualificationLevelQuantity)
    assert (level["minInclusive"], level["maxInclusive"], level["limitFramework"]) == (6, 9, short(g, "nfq"))


def test_nzqa_australia_and_ontario_limits(g: Graph) -> None:
    nz = limit(g, "nzqa", MCG.CreditQuantity)
    assert (nz["minInclusive"], nz["maxInclusive"], nz["limitCreditSystem"]) == (None, 40, CS["nzqa-credit"])
    au = [lim for lim in g.objects(FW["au-nmf"], MCG.hasLimit)]
    bounds = sorted(
        (g.value(x, MCG.minInclusive), g.value(x, MCG.maxExclusive), g.value(x, MCG.boundDerived)) for x in au
    )
    assert [(lo and lo.toPython(), hi and hi.toPython(), d and d.toPython()) for lo, hi, d in bounds] == [
        (None, 600, True),
        (1, None, None),
    ]
    on = limit(g, "ontario", MCG.DurationWeeksQuantity)
    assert (on["maxExclusive"], on["limitStrength"]) == (12, MCG.TypicalLimit)


def test_each_number_has_one_home() -> None:
    """Limits live only in microcredential-frameworks.ttl, hours per credit only in credit-systems.ttl."""
    for path in DATA.glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        if path.name != "microcredential-frameworks.ttl":
            assert not re.search(r"mcg:(minInclusive|maxInclusive|maxExclusive)\b", text), path.name
        if path.name != "credit-systems.ttl":
            assert "hoursPerCredit" not in text, path.name


@pytest.mark.realdata
def test_limit_numbers_are_in_the_cited_seed_sections() -> None:
    """The seed really says what the limits encode (guards against drift between data and document)."""
    seed = re.sub(
        r"\s+", " ", shared_path("..", "seeds", "002_de877750cccc7506.txt").read_text(encoding="utf-8")
    )
    for phrase in (
        "no less than 100 hours and no more than 150 hours (4-6 ECTS)",
        "Level 6 - 8 in the European Qualification Framework",
        "range from 1 to 30 ECTS credits and are placed at levels 6 to 9",
        "can be up to 40 credits in size and at any level of the framework",
        (
            "minimum of one hour volume of learning and less than that of an Australian Qualifications "
            "Framework (AQF) award qualification"
        ),
        "typically under 12 weeks",
        "six qualification levels, ranging from WSQ Certificate to WSQ Graduate Diploma",
    ):
        assert phrase in seed, phrase


@pytest.mark.realdata
def test_cited_seed_sections_exist() -> None:
    seed = shared_path("..", "seeds", "002_de877750cccc7506.txt").read_text(encoding="utf-8").lower()
    sources = Graph().parse(DATA / "sources.ttl")
    doc = URIRef("https://w3id.org/mcgraph/id/source/bccampus-2025")
    sections = list(sources.subjects(DCTERMS.isPartOf, doc))
    assert len(sections) == 22
    for section in sections:
        # The last part of each cited heading appears in the seed as written (case aside).
        heading = str(sources.value(section, DCTERMS.title)).split(": ")[-1].split(", ")[-1].lower()
        assert heading in seed, f"{section}: {heading!r}"
