"""Each framework's shapes (shapes/<framework>.ttl) against its test cases (tests/shapes/<framework>/).

A case file is a self-contained Turtle data graph of one or more credentials. The results it expects are in
the same file: ``[] a mcgt:ExpectedResult ; mcgt:shape S ; mcgt:focus F ; mcgt:path P ; mcgt:severity SEV``
(no ``mcgt:path`` when the result has none). ``valid-*.ttl`` files expect no result at all; ``invalid-*.ttl``
files expect exactly the listed results. Validation data = the file minus its mcgt: triples
+ data/frameworks/*.ttl + ontology/*.ttl + data/taxonomy-slice/*.ttl; shapes graph = shapes/<framework>.ttl
only; pySHACL (the reference engine), no inference. Files matching ``*-limit*`` and the folder ``core/``
belong to the generic checks and are not read here.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH

REPO = Path(__file__).resolve().parents[1]
SHAPES = REPO / "shapes"
CASES = REPO / "tests" / "shapes"
MCG = rdflib.Namespace("https://w3id.org/mcgraph/ontology#")
MCGT = rdflib.Namespace("https://w3id.org/mcgraph/test#")
SHAPES_NS = "https://w3id.org/mcgraph/shapes/"
NOT_MINE = ("core",)


class Result(NamedTuple):
    shape: str
    focus: str
    path: str | None
    severity: str

    def __str__(self) -> str:
        def short(iri: str | None) -> str:
            return "-" if iri is None else iri.rsplit("/", 1)[-1]
        return f"{short(self.shape)} on {short(self.focus)} path {short(self.path)} ({short(self.severity)})"


@lru_cache(maxsize=1)
def frameworks() -> dict[str, str]:
    """Short name -> framework IRI, for every micro-credential framework in data/frameworks."""
    g = rdflib.Graph().parse(REPO / "data" / "frameworks" / "microcredential-frameworks.ttl")
    return {str(short): str(fw) for fw in g.subjects(RDF.type, MCG.MicroCredentialFramework)
            for short in g.objects(fw, MCG.shortName)}


@lru_cache(maxsize=1)
def base_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for pattern in ("data/frameworks/*.ttl", "ontology/*.ttl", "data/taxonomy-slice/*.ttl"):
        for path in sorted(REPO.glob(pattern)):
            g.parse(path)
    return g


@cache
def shapes_graph(framework: str) -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES / f"{framework}.ttl")


def case_files() -> list[Path]:
    return sorted(p for d in CASES.iterdir() if d.is_dir() and d.name not in NOT_MINE
                  for p in d.glob("*.ttl")
                  if "-limit" not in p.name and p.name.startswith(("valid-", "invalid-")))


def split_case(path: Path) -> tuple[rdflib.Graph, set[Result]]:
    """The case's data (without mcgt: triples) and its expected results."""
    g = rdflib.Graph().parse(path)
    expected: set[Result] = set()
    for node in set(g.subjects(RDF.type, MCGT.ExpectedResult)):
        shape, focus, severity = (g.value(node, MCGT[p]) for p in ("shape", "focus", "severity"))
        assert shape is not None and focus is not None and severity is not None, \
            f"{path.name}: an expected result lacks mcgt:shape, mcgt:focus or mcgt:severity"
        path_ = g.value(node, MCGT.path)
        expected.add(Result(str(shape), str(focus), None if path_ is None else str(path_), str(severity)))
        g.remove((node, None, None))
    leftover = [t for t in g if any(str(x).startswith(str(MCGT)) for x in t)]
    assert not leftover, f"{path.name}: mcgt: triples outside an expected result: {leftover[:3]}"
    return g, expected


def validate(framework: str, data: rdflib.Graph) -> set[Result]:
    """pySHACL's results for ``data`` against shapes/<framework>.ttl, as (shape, focus, path, severity)."""
    merged = rdflib.Graph()
    merged += base_graph()
    merged += data
    _, report, _ = pyshacl.validate(merged, shacl_graph=shapes_graph(framework), inference="none",
                                    meta_shacl=False, advanced=False)
    out = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        assert isinstance(shape, rdflib.URIRef) and str(shape).startswith(f"{SHAPES_NS}{framework}#"), \
            f"a result comes from a shape that is not a named shape of {framework}.ttl: {shape}"
        path = report.value(r, SH.resultPath)
        out.add(Result(str(shape), str(report.value(r, SH.focusNode)), None if path is None else str(path),
                       str(report.value(r, SH.resultSeverity))))
    return out


@pytest.mark.parametrize("case", case_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case_gives_exactly_the_expected_results(case: Path) -> None:
    framework = case.parent.name
    data, expected = split_case(case)
    if case.name.startswith("valid-"):
        assert expected == set(), f"{case.name}: a valid-* case expects no result"
    actual = validate(framework, data)
    missing, unexpected = expected - actual, actual - expected
    assert not missing and not unexpected, (
        f"{case.parent.name}/{case.name}\n  expected but not reported: {sorted(map(str, missing))}"
        f"\n  reported but not expected: {sorted(map(str, unexpected))}")


@pytest.mark.parametrize("case", case_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_expected_results_name_real_shapes_and_credentials(case: Path) -> None:
    data, expected = split_case(case)
    shapes = {str(s) for s in shapes_graph(case.parent.name).subjects(SH.severity, None)}
    credentials = {str(c) for c in data.subjects(RDF.type, MCG.MicroCredential)}
    assert credentials, f"{case.name} holds no mcg:MicroCredential"
    for r in expected:
        assert r.shape in shapes, f"{case.name}: {r.shape} is not a shape of shapes/{case.parent.name}.ttl"
        assert r.focus in credentials, f"{case.name}: focus {r.focus} is not a micro-credential of the file"
        assert r.severity in (str(SH.Violation), str(SH.Warning)), f"{case.name}: severity {r.severity}"


@pytest.mark.parametrize("framework", sorted(frameworks()))
def test_every_framework_has_valid_and_invalid_cases(framework: str) -> None:
    folder = CASES / framework
    assert folder.is_dir(), f"tests/shapes/{framework}/ is missing"
    names = [p.name for p in folder.glob("*.ttl") if "-limit" not in p.name]
    assert any(n.startswith("valid-") for n in names), f"{framework}: no valid-*.ttl case"
    assert any(n.startswith("invalid-") for n in names), f"{framework}: no invalid-*.ttl case"


@pytest.mark.parametrize("framework", sorted(frameworks()))
def test_every_shape_has_an_invalid_case(framework: str) -> None:
    shapes = {str(s) for s in shapes_graph(framework).subjects(SH.severity, None)}
    covered = {r.shape for p in (CASES / framework).glob("invalid-*.ttl") if "-limit" not in p.name
               for r in split_case(p)[1]}
    assert shapes, f"shapes/{framework}.ttl defines no shape"
    uncovered = sorted(shapes - covered)
    assert uncovered == [], f"{framework}: shapes without an invalid case: {uncovered}"


def test_a_wrong_expectation_is_caught() -> None:
    """Not vacuous: the complete Australian credential minus its price fails the price rule."""
    data, _ = split_case(CASES / "au-nmf" / "valid-complete-cis.ttl")
    cred = rdflib.URIRef("https://w3id.org/mcgraph/id/credential/t-au-nmf-complete")
    assert validate("au-nmf", data) == set()
    data.remove((cred, MCG.price, None))
    assert validate("au-nmf", data) == {Result(f"{SHAPES_NS}au-nmf#Price", str(cred), str(MCG.price),
                                               str(SH.Violation))}


@lru_cache(maxsize=1)
def sample_catalogue() -> rdflib.Graph:
    """data/catalog/sample-catalogue.yaml as the credential model writes it."""
    import pyoxigraph as ox

    from mcgraph.credentials.model import catalogue_triples
    from mcgraph.credentials.table import read_credentials

    triples = list(catalogue_triples(read_credentials(REPO / "data" / "catalog" / "sample-catalogue.yaml")))
    return rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


@cache
def sample_results(framework: str) -> frozenset[Result]:
    return frozenset(validate(framework, sample_catalogue()))


# The sample credentials built to meet or to miss a framework (data/catalog/README.md), and the violations the
# framework's own shapes report on them (limits are checked elsewhere, so a credential built to miss only a
# limit shows here only its non-limit gaps).
SAMPLE_VERDICTS = [
    ("au-nmf", "au-nmf-complete-cis", set()),
    ("au-nmf", "au-nmf-incomplete-cis", {
        "Assessment", "Certification", "CreditRecognition", "DateOfDelivery", "FinancialAssistance",
        "InherentRequirements", "Prerequisites", "Price", "QualityAssurance"}),
    ("ecmf", "eu-ecmf-conforming", set()),
    # an exam not marked summative, and the identity not verified:
    ("ecmf", "eu-ecmf-short", {"SummativeAssessment", "IdentityVerification"}),
    ("ecmf", "eu-ecmf-long-unlevelled", {"SummativeAssessment", "IdentityVerification", "TranscriptLevel"}),
    ("nzqa", "nz-nzqa-level5", set()),
    ("nzqa", "nz-nzqa-45-credits", {"EvidenceOfNeed"}),
    ("ontario", "humber-12-lead", set()),
    # free modules, but no assessed competency and no employer link:
    ("ontario", "mohawk-future-ready", {"AssessedCompetencies", "EmployerRelevance"}),
]


@pytest.mark.parametrize(("framework", "credential", "violations"), SAMPLE_VERDICTS,
                         ids=[f"{f}-{c}" for f, c, _ in SAMPLE_VERDICTS])
def test_sample_catalogue_verdicts(framework: str, credential: str, violations: set[str]) -> None:
    focus = f"https://w3id.org/mcgraph/id/credential/{credential}"
    results = sample_results(framework)
    found = {r.shape.split("#")[1] for r in results
             if r.focus == focus and r.severity == str(SH.Violation)}
    assert found == violations
