"""Namespaces used across mcgraph, as rdflib namespaces and as one PREFIXES table.

``PREFIXES`` is what SPARQL queries, Turtle output and the CLI's ``prefix:local`` shorthand use.

>>> MCG.MicroCredential
rdflib.term.URIRef('https://w3id.org/mcgraph/ontology#MicroCredential')
>>> expand_curie("esco:Skill")
'http://data.europa.eu/esco/model#Skill'
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

MCG = Namespace("https://w3id.org/mcgraph/ontology#")
"""The mcgraph ontology (T-box)."""

MCGID = Namespace("https://w3id.org/mcgraph/id/")
"""Instances mcgraph itself curates (credentials, providers, frameworks, levels without official IRIs)."""

GRAPH = Namespace("https://w3id.org/mcgraph/graph/")
"""Named graphs: one per loaded source and version (``GRAPH['esco/1.1.1']``)."""

META_GRAPH = GRAPH["meta"]
"""The graph holding one load record per named graph."""

ESCO = Namespace("http://data.europa.eu/esco/model#")
ESCO_SKILL = Namespace("http://data.europa.eu/esco/skill/")
ESCO_OCCUPATION = Namespace("http://data.europa.eu/esco/occupation/")
ESCO_ISCO = Namespace("http://data.europa.eu/esco/isco/")
ELM = Namespace("http://data.europa.eu/snb/model/elm/")
EQF = Namespace("http://data.europa.eu/snb/eqf/")
CETERMS = Namespace("https://purl.org/ctdl/terms/")
OB = Namespace("https://purl.imsglobal.org/spec/vc/ob/vocab.html#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
OASIS = Namespace("https://w3id.org/mcgraph/id/oasis/")
NOC = Namespace("https://w3id.org/mcgraph/id/noc/")
ONET = Namespace("https://w3id.org/mcgraph/id/onet/")
SFIA = Namespace("https://rdf.sfia-online.org/9/")

PREFIXES: dict[str, str] = {
    "mcg": str(MCG),
    "mcgid": str(MCGID),
    "graph": str(GRAPH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "sh": str(SH),
    "esco": str(ESCO),
    "escoskill": str(ESCO_SKILL),
    "escoocc": str(ESCO_OCCUPATION),
    "isco": str(ESCO_ISCO),
    "elm": str(ELM),
    "eqf": str(EQF),
    "ceterms": str(CETERMS),
    "ob": str(OB),
    "schema": str(SCHEMA),
    "sssom": str(SSSOM),
    "semapv": str(SEMAPV),
    "oasis": str(OASIS),
    "noc": str(NOC),
    "onet": str(ONET),
    "sfia": str(SFIA),
}


def expand_curie(text: str) -> str | None:
    """``prefix:local`` → full IRI for a known prefix, else None."""
    prefix, sep, local = text.partition(":")
    if not sep or prefix not in PREFIXES or local.startswith("//"):
        return None
    return PREFIXES[prefix] + local


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """``PREFIX`` lines for the given (default: all known) prefixes."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or PREFIXES).items())
