"""Helpers shared by the OB3 / ELM / CTDL interchange tests: a hand-written catalogue built with the credential
model, loading a file into a fresh store, exporting and re-importing, and comparing graphs."""

from __future__ import annotations

import importlib
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from mcgraph.credentials import model as m
from mcgraph.loading import load_source
from mcgraph.sources.base import LoadReport
from mcgraph.store import EmbeddedStore

GRAPH = "https://w3id.org/mcgraph/graph/test/interchange"
ESCO_TEST_DATA = "http://data.europa.eu/esco/skill/81a2db2c-7e55-44d0-9cd9-74c25147d7cd"
ESCO_TEST_PROC = "http://data.europa.eu/esco/skill/f10142ce-d522-49c3-9fd1-054fb63529d4"
OASIS_SKILL = "https://w3id.org/mcgraph/id/oasis/skill/2.C.1.a"
OASIS_SCHEME = "https://w3id.org/mcgraph/id/oasis/scheme/skills"
SFIA_PROG = "https://rdf.sfia-online.org/9/skill/PROG"
SFIA_PROG_4 = "https://rdf.sfia-online.org/9/skill/PROG/4"
ESCO_SKILLS = "http://data.europa.eu/esco/concept-scheme/skills"
ECTS = "https://w3id.org/mcgraph/id/credit-system/ects"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def scale(*names: str) -> m.Scale:
    """The first of ``names`` the credential model knows (its scale names are still settling)."""
    for name in names:
        if name in m.SCALES:
            return m.SCALES[name]
    raise KeyError(names)


SFIA_SCALE = scale("sfia-9", "sfia")
OASIS_SCALE = scale("oasis-skills", "oasis-proficiency")
PROFICIENCY_4 = scale("proficiency-4")


def fixture_catalogue() -> list[m.Credential]:
    """Two credentials exercising every part of the model the interchange formats carry."""
    provider = m.Provider("https://example.org/providers/fixture-poly", "Fixture Polytechnic")
    award = m.Credential(
        "https://example.org/credentials/data-certificate", "Certificate in Data Work", "award",
        provider=provider, description="A hand-written fixture award.", languages=("en",),
        credits=(m.CreditValue(Decimal(10), ECTS),), levels=("http://data.europa.eu/snb/eqf/6",),
        skill_claims=(m.SkillClaim(ESCO_TEST_PROC, frozenset({"taught"}), taxonomy=ESCO_SKILLS),))
    micro = m.Credential(
        "https://example.org/credentials/data-basics", "Data basics", "micro-credential",
        provider=provider, description="A hand-written fixture micro-credential.",
        learning_outcomes=("Analyse a small data set", "Report findings"), languages=("en",),
        delivery_mode=str(m.MCG.Online), notional_hours=Decimal("37.5"), prerequisites="None.",
        credits=(m.CreditValue(Decimal("1.5"), ECTS),), levels=("http://data.europa.eu/snb/eqf/5",),
        stacks_into=(award.iri,),
        skill_claims=(
            m.SkillClaim(ESCO_TEST_DATA, frozenset({"taught", "assessed"}), Decimal(3),
                         scale=PROFICIENCY_4.iri, taxonomy=ESCO_SKILLS),
            m.SkillClaim(OASIS_SKILL, frozenset({"taught", "assessed"}), Decimal(2),
                         scale=OASIS_SCALE.iri, taxonomy=OASIS_SCHEME),
            m.SkillClaim(SFIA_PROG, frozenset({"taught", "assessed"}), Decimal(4), SFIA_PROG_4,
                         SFIA_SCALE.iri),
        ))
    return [micro, award]


def label_triples() -> list[ox.Triple]:
    """Labels of the things the fixture credentials refer to (as a loaded taxonomy would give them)."""
    def t(s: str, p: str, o: str, lang: str | None = "en") -> ox.Triple:
        return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.Literal(o, language=lang))

    return [
        t(ESCO_TEST_DATA, SKOS_PREF, "analyse test data"),
        t(ESCO_TEST_PROC, SKOS_PREF, "develop test procedures"),
        t(OASIS_SKILL, SKOS_PREF, "Reading comprehension"),
        t(OASIS_SCHEME, SKOS_PREF, "OaSIS skills"),
        t(SFIA_PROG, SKOS_PREF, "Programming/software development"),
        t(SFIA_PROG_4, SKOS_PREF, "Programming/software development level 4"),
        t("http://data.europa.eu/snb/eqf/5", SKOS_PREF, "EQF level 5"),
        t("http://data.europa.eu/snb/eqf/6", SKOS_PREF, "EQF level 6"),
        t(ECTS, RDFS_LABEL, "ECTS credit"),
    ]


def catalogue_store(credentials: list[m.Credential] | None = None) -> EmbeddedStore:
    """A store holding the fixture catalogue (and labels) in one named graph."""
    store = EmbeddedStore()
    from mcgraph.store import LoadRecord

    triples = list(m.catalogue_triples(credentials or fixture_catalogue())) + label_triples()
    store.write_graph(GRAPH, triples, LoadRecord(graph=GRAPH, source="test"))
    return store


def load(path: Path) -> tuple[EmbeddedStore, LoadReport]:
    """Load one file with the credentials source into a fresh store."""
    store = EmbeddedStore()
    report = load_source(store, "credentials", path, graph=GRAPH)
    return store, report


def export(fmt: str, store: EmbeddedStore) -> bytes:
    return importlib.import_module(f"mcgraph.credentials.{fmt}").export(store)


def reimport(fmt: str, store: EmbeddedStore, tmp_path: Path) -> tuple[EmbeddedStore, LoadReport, bytes]:
    """Export ``store`` as ``fmt``, write it to a file and load that file into a fresh store."""
    data = export(fmt, store)
    out = tmp_path / f"export-{fmt}.jsonld"
    out.write_bytes(data)
    again, report = load(out)
    return again, report, data


def graph(store: EmbeddedStore, name: str = GRAPH) -> rdflib.Graph:
    """One named graph of a store as an rdflib graph (for isomorphism checks)."""
    g = rdflib.Graph()
    nt = "".join(f"{q.subject} {q.predicate} {q.object} .\n"
                 for q in store._store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    g.parse(data=nt, format="nt")
    return g


def assert_isomorphic(a: rdflib.Graph, b: rdflib.Graph) -> None:
    if not isomorphic(a, b):
        only_a = sorted(str(t) for t in set(a) - set(b))[:10]
        only_b = sorted(str(t) for t in set(b) - set(a))[:10]
        raise AssertionError(f"graphs differ; only in first: {only_a}; only in second: {only_b}")


CLAIM_FIELDS = ("skill", "kinds", "level", "level_concept", "scale", "taxonomy")


def built_catalogue() -> tuple[EmbeddedStore, list[m.Credential]]:
    """The store `mcgraph build` makes from the repository (frameworks, taxonomy slice, sample catalogue)."""
    import pytest

    from mcgraph.build import build

    store = EmbeddedStore()
    list(build(store))
    creds = list(m.iter_credentials(store))
    if not creds:
        pytest.skip("`mcgraph build` loads no credential catalogue in this checkout")
    return store, creds


def compare_round_trip(before: list[m.Credential], after_store: EmbeddedStore, fields: tuple[str, ...]) -> None:
    """Every credential comes back with the same ``fields`` and the same skill claims."""
    after = {c.iri: c for c in m.iter_credentials(after_store)}
    assert set(after) == {c.iri for c in before}
    for b in before:
        a = after[b.iri]
        assert {f: getattr(a, f) for f in fields} == {f: getattr(b, f) for f in fields}, b.iri
        claims = lambda c: {tuple(getattr(s, f) for f in CLAIM_FIELDS) for s in c.skill_claims}
        assert claims(a) == claims(b), b.iri
