"""The framework shapes files themselves: one per framework, every shape documented and sourced, valid SHACL.

Checks every shapes/<short-name>.ttl of a micro-credential framework in data/frameworks: its shapes-graph
node; each shape's label, message, severity and source (a source defined in data/frameworks/sources.ttl);
that it passes SHACL's own shapes (pySHACL ``meta_shacl=True``); that no numeric limit is retyped (limits are
read from the framework data by the generic limit checks); and that its header comment says what is encoded,
what is left to the limit checks and what was left out.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import pyshacl
import pytest
import rdflib
from pyshacl.errors import ReportableRuntimeError
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH

REPO = Path(__file__).resolve().parents[1]
SHAPES = REPO / "shapes"
MCG = rdflib.Namespace("https://w3id.org/mcgraph/ontology#")
SHAPES_NS = "https://w3id.org/mcgraph/shapes/"
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
SEVERITIES = {SH.Violation: "must", SH.Warning: "should"}
RANGE_COMPONENTS = (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive)
HEADER_SECTIONS = ("What the framework requires", "Encoded here", "Checked generically as limits", "Left out")


@lru_cache(maxsize=1)
def framework_data() -> rdflib.Graph:
    return rdflib.Graph().parse(REPO / "data" / "frameworks" / "microcredential-frameworks.ttl")


@lru_cache(maxsize=1)
def frameworks() -> dict[str, rdflib.URIRef]:
    g = framework_data()
    return {str(short): fw for fw in g.subjects(RDF.type, MCG.MicroCredentialFramework)  # type: ignore[misc]
            for short in g.objects(fw, MCG.shortName)}


@lru_cache(maxsize=1)
def known_sources() -> set[rdflib.term.Node]:
    """Every document and section defined in data/frameworks/sources.ttl."""
    g = rdflib.Graph().parse(REPO / "data" / "frameworks" / "sources.ttl")
    return set(g.subjects(DCTERMS.isPartOf, None)) | set(g.subjects(RDF.type, DCTERMS.BibliographicResource))


@cache
def shapes_graph(short: str) -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES / f"{short}.ttl")


def shapes_of(g: rdflib.Graph) -> set[rdflib.term.Node]:
    """Every node that is declared a shape or has a target (the shapes that report results)."""
    declared = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    return declared | {s for t in TARGETS for s in g.subjects(t, None)}


def shape_problems(g: rdflib.Graph, short: str) -> list[str]:
    """Everything wrong with the shapes of one framework file (empty when all is well)."""
    problems = []
    shapes = shapes_of(g)
    if not shapes:
        problems.append("no shape")
    for s in sorted(shapes, key=str):
        name = str(s)
        if not isinstance(s, rdflib.URIRef) or not name.startswith(f"{SHAPES_NS}{short}#"):
            problems.append(f"{name}: a shape must be an IRI under {SHAPES_NS}{short}#")
        if g.value(s, RDFS.label) is None:
            problems.append(f"{name}: no rdfs:label")
        message = g.value(s, SH.message)
        if message is None:
            problems.append(f"{name}: no sh:message")
        severity = g.value(s, SH.severity)
        if severity not in SEVERITIES:
            problems.append(f"{name}: severity must be sh:Violation or sh:Warning, not {severity}")
        elif message is not None and SEVERITIES[severity] not in str(message):  # type: ignore[index]
            problems.append(f"{name}: a {severity.split('#')[-1]} message should say "
                            f"'{SEVERITIES[severity]}'")  # type: ignore[index, union-attr]
        sources = list(g.objects(s, DCTERMS.source))
        if not sources:
            problems.append(f"{name}: no dct:source")
        for src in sources:
            if src not in known_sources():
                problems.append(f"{name}: dct:source {src} is not a document or section of sources.ttl")
        if (s, SH.targetClass, MCG.MicroCredential) not in g:
            problems.append(f"{name}: does not target mcg:MicroCredential")
        if (s, SH.property, None) in g:
            problems.append(f"{name}: sh:property would report results from anonymous shapes; "
                            "use sh:and / sh:or")
    return problems


def header(short: str) -> str:
    """The leading comment block of shapes/<short>.ttl, without the '# ' markers."""
    lines = []
    for line in (SHAPES / f"{short}.ttl").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[2:] if line.startswith("# ") else line[1:])
    return "\n".join(lines)


def header_section(text: str, title: str) -> str:
    """The body of one header section: the indented lines after the line starting with ``title``."""
    match = re.search(rf"^{re.escape(title)}[^\n]*\n((?:[ \t]+[^\n]*\n?)*)", text, re.MULTILINE)
    assert match, f"header has no section '{title}'"
    return match.group(1)


@pytest.mark.parametrize("short", sorted(frameworks()))
def test_every_framework_has_a_shapes_file(short: str) -> None:
    assert (SHAPES / f"{short}.ttl").is_file(), f"shapes/{short}.ttl is missing"


@pytest.mark.parametrize("short", sorted(frameworks()))
def test_shapes_graph_names_its_framework_and_source(short: str) -> None:
    g = shapes_graph(short)
    node = rdflib.URIRef(f"{SHAPES_NS}{short}")
    assert (node, RDF.type, OWL.Ontology) in g
    assert list(g.objects(node, MCG.shapesFor)) == [frameworks()[short]]
    sources = list(g.objects(node, DCTERMS.source))
    assert sources and all(s in known_sources() for s in sources)


@pytest.mark.parametrize("short", sorted(frameworks()))
def test_every_shape_has_label_message_severity_and_source(short: str) -> None:
    assert shape_problems(shapes_graph(short), short) == []


def test_a_shape_without_source_or_message_fails() -> None:
    g = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix mcg: <https://w3id.org/mcgraph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/mcgraph/shapes/x#Bare> a sh:PropertyShape ; rdfs:label "bare" ;
            sh:targetClass mcg:MicroCredential ; sh:path mcg:price ; sh:minCount 1 ;
            sh:severity sh:Violation .
        <https://w3id.org/mcgraph/shapes/x#Soft> a sh:PropertyShape ; rdfs:label "soft" ;
            sh:targetClass mcg:MicroCredential ; sh:path mcg:price ; sh:minCount 1 ; sh:severity sh:Warning ;
            sh:message "The price must be stated." ;
            <http://purl.org/dc/terms/source> <https://w3id.org/mcgraph/id/source/no-such-document> .
    """, format="turtle")
    assert shape_problems(g, "x") == [
        "https://w3id.org/mcgraph/shapes/x#Bare: no sh:message",
        "https://w3id.org/mcgraph/shapes/x#Bare: no dct:source",
        "https://w3id.org/mcgraph/shapes/x#Soft: a Warning message should say 'should'",
        ("https://w3id.org/mcgraph/shapes/x#Soft: dct:source "
         "https://w3id.org/mcgraph/id/source/no-such-document is not a document or section of sources.ttl"),
    ]


@pytest.mark.parametrize("short", sorted(frameworks()))
def test_passes_shacl_shapes_for_shacl(short: str) -> None:
    conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=shapes_graph(short), meta_shacl=True,
                                         inference="none")
    assert conforms, text


def test_meta_shacl_rejects_a_broken_shape() -> None:
    broken = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix mcg: <https://w3id.org/mcgraph/ontology#> .
        <https://w3id.org/mcgraph/shapes/x#Broken> a sh:PropertyShape ; sh:targetClass mcg:MicroCredential ;
            sh:path mcg:price ; sh:minCount "one" .
    """, format="turtle")
    with pytest.raises(ReportableRuntimeError, match="MetaSHACL"):
        pyshacl.validate(rdflib.Graph(), shacl_graph=broken, meta_shacl=True, inference="none")


@pytest.mark.parametrize("short", sorted(frameworks()))
def test_no_numeric_limit_is_retyped(short: str) -> None:
    """Hours, credits, levels and durations are mcg:Limit data checked generically, never bounds here."""
    g = shapes_graph(short)
    assert [(s, p) for p in RANGE_COMPONENTS for s in g.subjects(p, None)] == []
    counts = {int(o) for p in (SH.minCount, SH.qualifiedMinCount) for o in g.objects(None, p)}
    assert counts <= {1}, f"{short}: a count other than 1 looks like a retyped number: {counts}"


@pytest.mark.parametrize("short", sorted(frameworks()))
def test_header_says_what_is_encoded_limited_and_left_out(short: str) -> None:
    text = header(short)
    assert text.startswith("SHACL shapes: "), "the header starts with the framework's name"
    assert f"({short})" in text.splitlines()[0]
    for title in HEADER_SECTIONS:
        header_section(text, title)
    encoded = header_section(text, "Encoded here")
    for shape in shapes_of(shapes_graph(short)):
        local = str(shape).split("#")[-1]
        assert re.search(rf"\b{local}\b", encoded), f"'Encoded here' does not list the shape {local}"
    limits_text = header_section(text, "Checked generically as limits")
    limits = [str(limit).rsplit("/", 1)[-1]
              for limit in framework_data().objects(frameworks()[short], MCG.hasLimit)]
    if limits:
        for name in limits:
            assert re.search(rf"- {re.escape(name)}\b", limits_text), f"header does not name the limit {name}"
    else:
        assert "none" in limits_text, "a framework without mcg:Limit says 'none' under the limits section"
    left_out = header_section(text, "Left out")
    assert re.search(r"^\s+- \S", left_out, re.MULTILINE), "the 'Left out' section lists at least one rule"


def test_frameworks_table_lists_every_file_with_its_counts() -> None:
    """shapes/FRAMEWORKS.md has one row per file, and its violation and warning counts are the files' own."""
    table = (SHAPES / "FRAMEWORKS.md").read_text(encoding="utf-8")
    rows = {m.group(1): (int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"^\|[^|]*\| `([a-z0-9-]+)\.ttl` \| (\d+) \| (\d+) \|", table, re.MULTILINE)}
    assert sorted(rows) == sorted(frameworks())
    for short, counts in rows.items():
        g = shapes_graph(short)
        actual = tuple(len(set(g.subjects(SH.severity, sev))) for sev in (SH.Violation, SH.Warning))
        assert counts == actual, f"FRAMEWORKS.md counts for {short}.ttl: {counts}, the file has {actual}"
