"""The sample catalogue (data/catalog/) as `mcgraph build` loads it: illustrative, cited, resolvable, spread over
jurisdictions, and built to meet and to miss the micro-credential frameworks it says it does."""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import shared_path

from mcgraph.build import build
from mcgraph.credentials.model import iter_credentials
from mcgraph.credentials.resolve import Resolver
from mcgraph.credentials.table import COLUMN_NAMES, columns_markdown, read_credentials
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH
from mcgraph.store import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "data" / "catalog"
SAMPLE = str(GRAPH["catalog/sample"])
SLICE = str(GRAPH["taxonomy-slice/"])
FW = "https://w3id.org/mcgraph/id/framework/"


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    s = EmbeddedStore()
    reports = list(build(s))
    assert any(r.graph == SAMPLE for r in reports)
    return s


def values(store: EmbeddedStore, query: str, var: str = "x") -> list[str]:
    return [v for v in store.query(query).values(var) if v is not None]


def test_at_least_25_credentials_and_some_awards(store: EmbeddedStore) -> None:
    micro = values(store, f"SELECT ?x WHERE {{ GRAPH <{SAMPLE}> {{ ?x a mcg:MicroCredential }} }}")
    awards = values(store, f"SELECT ?x WHERE {{ GRAPH <{SAMPLE}> {{ ?x a mcg:Award }} }}")
    assert len(micro) >= 25 and len(awards) >= 3


def test_every_credential_is_illustrative_and_cites_the_seed(store: EmbeddedStore) -> None:
    creds = [c for c in iter_credentials(store)]
    assert len(creds) >= 25
    for c in creds:
        assert c.illustrative is True, c.iri
        assert any(s.startswith("seed 002") for s in c.sources), c.iri
    hypothetical = [c for c in creds if "hypothetical" in (c.title + (c.provider.name if c.provider else ""))]
    assert len(hypothetical) >= 10
    for c in hypothetical:
        assert any("illustrative assumption" in n for n in c.notes) or c.kind == "award", c.iri


def test_every_skill_claim_and_occupation_resolves_to_a_concept_in_the_slice(store: EmbeddedStore) -> None:
    unresolved = values(store, f"""
        SELECT DISTINCT ?x WHERE {{
          GRAPH <{SAMPLE}> {{ {{ ?claim mcg:claimedSkill ?x }} UNION {{ ?c mcg:relatedOccupation ?x }} }}
          FILTER NOT EXISTS {{ GRAPH ?g {{ ?x a ?type ; skos:prefLabel ?label }}
                               FILTER(STRSTARTS(STR(?g), "{SLICE}")) }}
        }}""")
    assert unresolved == []
    claims = values(store, f"SELECT ?x WHERE {{ GRAPH <{SAMPLE}> {{ ?x a mcg:SkillClaim }} }}")
    esco = values(store, f"""SELECT DISTINCT ?x WHERE {{ GRAPH <{SAMPLE}> {{ ?c mcg:claimedSkill ?x }}
                              FILTER(STRSTARTS(STR(?x), "http://data.europa.eu/esco/skill/")) }}""")
    oasis = values(store, f"""SELECT DISTINCT ?x WHERE {{ GRAPH <{SAMPLE}> {{ ?c mcg:claimedSkill ?x }}
                               FILTER(CONTAINS(STR(?x), "/oasis/descriptor/")) }}""")
    assert len(claims) >= 60 and len(esco) >= 40 and len(oasis) >= 4


def test_claims_have_levels_within_their_scales(store: EmbeddedStore) -> None:
    bad = values(store, f"""
        SELECT ?x WHERE {{
          GRAPH <{SAMPLE}> {{ ?x a mcg:SkillClaim ; mcg:levelValue ?v ; mcg:levelScale ?s }}
          ?s mcg:scaleMinimum ?min ; mcg:scaleMaximum ?max .
          FILTER(?v < ?min || ?v > ?max)
        }}""")
    unlevelled = values(store, f"""SELECT ?x WHERE {{ GRAPH <{SAMPLE}> {{ ?x a mcg:SkillClaim
                                    FILTER NOT EXISTS {{ ?x mcg:levelValue ?v }} }} }}""")
    assert bad == [] and unlevelled == []


def test_spread_over_at_least_8_jurisdictions(store: EmbeddedStore) -> None:
    codes = {j.rsplit("/", 1)[-1] for j in values(store, f"""
        SELECT DISTINCT ?x WHERE {{ GRAPH <{SAMPLE}> {{ ?c mcg:jurisdiction ?x }} }}""")}
    assert len(codes) >= 8
    assert {"CA-BC", "CA-ON", "AU", "NZ", "IE", "EU", "SG", "US"} <= codes


def test_stacking_targets_are_credentials_of_the_catalogue(store: EmbeddedStore) -> None:
    dangling = values(store, f"""SELECT ?x WHERE {{ GRAPH <{SAMPLE}> {{ ?c mcg:stacksInto ?x
                                  FILTER NOT EXISTS {{ ?x a ?t }} }} }}""")
    into_caf = values(store, f"""SELECT ?x WHERE {{ GRAPH <{SAMPLE}> {{
                                   ?x mcg:stacksInto <https://w3id.org/mcgraph/id/credential/rru-caf> }} }}""")
    assert dangling == [] and len(into_caf) == 6  # the RRU 2 + 2 + 2 pathway


# -- designed to meet / miss the frameworks (README table), judged by the frameworks' own limits ---------------

DESIGN = {
    "eu-ecmf-conforming": True, "eu-ecmf-short": False, "eu-ecmf-long-unlevelled": False,
    "ie-microcreds-nfq9": True, "ie-microcreds-40-ects": False, "ie-microcreds-nfq5": False,
    "nz-nzqa-level5": True, "nz-nzqa-45-credits": False,
    "au-nmf-complete-cis": True, "au-nmf-incomplete-cis": False,
}


def meets_limits(store: EmbeddedStore, credential: str, framework: str) -> bool:
    """Whether the credential satisfies every numeric limit of the framework (a missing value fails)."""
    limits = store.query(f"""
        SELECT ?limit ?q ?min ?max ?maxEx ?system ?qf WHERE {{
          <{framework}> mcg:hasLimit ?limit . ?limit mcg:limitQuantity ?q .
          OPTIONAL {{ ?limit mcg:minInclusive ?min }} OPTIONAL {{ ?limit mcg:maxInclusive ?max }}
          OPTIONAL {{ ?limit mcg:maxExclusive ?maxEx }} OPTIONAL {{ ?limit mcg:limitCreditSystem ?system }}
          OPTIONAL {{ ?limit mcg:limitFramework ?qf }}
        }}""").dicts()
    assert limits, f"no limits for {framework}"
    for lim in limits:
        quantity = lim["q"].rsplit("#", 1)[-1]
        if quantity == "NotionalHoursQuantity":
            found = values(store, f"SELECT ?x WHERE {{ <{credential}> mcg:notionalHours ?x }}")
        elif quantity == "CreditQuantity":
            found = values(store, f"""SELECT ?x WHERE {{ <{credential}> mcg:hasCreditValue ?cv .
                                      ?cv mcg:creditSystem <{lim['system']}> ; mcg:creditPoints ?x }}""")
        elif quantity == "QualificationLevelQuantity":
            found = values(store, f"""SELECT ?x WHERE {{ <{credential}> mcg:hasLevel ?l .
                                      ?l skos:inScheme <{lim['qf']}> ; mcg:levelNumber ?x }}""")
        else:
            continue
        if not found:
            return False
        v = Decimal(found[0])
        if (lim["min"] and v < Decimal(lim["min"])) or (lim["max"] and v > Decimal(lim["max"])) or \
                (lim["maxEx"] and v >= Decimal(lim["maxEx"])):
            return False
    return True


@pytest.mark.parametrize(("ident", "expected"), sorted(DESIGN.items()))
def test_framework_credentials_meet_or_miss_as_designed(store: EmbeddedStore, ident: str, expected: bool) -> None:
    cred = f"https://w3id.org/mcgraph/id/credential/{ident}"
    (framework,) = values(store, f"SELECT ?x WHERE {{ <{cred}> mcg:conformsToFramework ?x }}")
    assert framework.startswith(FW)
    assert meets_limits(store, cred, framework) is expected


def test_rru_pathway_exceeds_the_ecmf_hours(store: EmbeddedStore) -> None:
    caf = "https://w3id.org/mcgraph/id/credential/rru-caf"
    assert not meets_limits(store, caf, FW + "ecmf")
    hours = values(store, f"SELECT ?x WHERE {{ ?c mcg:stacksInto <{caf}> ; mcg:notionalHours ?x }}")
    assert sorted(set(hours)) == ["30"]  # each course: the upper bound of the 25-30 h the seed gives


# -- the template, the example and the README ------------------------------------------------------------

def test_template_csv_is_the_header_and_loads_empty() -> None:
    text = (CATALOG / "template.csv").read_text(encoding="utf-8")
    assert next(csv.reader([text.splitlines()[0]])) == list(COLUMN_NAMES)
    assert read_credentials(CATALOG / "template.csv") == []


def test_template_yaml_uses_only_template_keys() -> None:
    import yaml

    (record,) = yaml.safe_load((CATALOG / "template.yaml").read_text(encoding="utf-8"))["credentials"]
    assert list(record) == list(COLUMN_NAMES)


def test_example_csv_loads_and_matches_the_sample_catalogue(store: EmbeddedStore) -> None:
    example = read_credentials(CATALOG / "example.csv", Resolver(store))
    sample = {c.iri: c for c in iter_credentials(store)}
    assert len(example) >= 5
    for cred in example:
        assert cred == sample[cred.iri], cred.iri


def test_example_csv_loads_through_the_cli_source(store: EmbeddedStore) -> None:
    report = load_source(store, "credentials", CATALOG / "example.csv", graph=str(GRAPH["test/example"]))
    assert report.counts["credentials"] >= 5 and not report.warnings
    store.drop_graph(str(GRAPH["test/example"]))


def test_readme_documents_every_column() -> None:
    readme = (CATALOG / "README.md").read_text(encoding="utf-8")
    assert columns_markdown() in readme
    for ident in DESIGN:
        assert f"`{ident}`" in readme


# -- the slice against the real downloads ----------------------------------------------------------------

@pytest.mark.realdata
def test_slice_labels_match_the_official_esco_and_oasis_files(store: EmbeddedStore) -> None:
    csv.field_size_limit(sys.maxsize)
    esco = shared_path("esco", "v1.1.1")
    labels: dict[str, str] = {}
    for name in ("skills_en.csv", "occupations_en.csv"):
        with (esco / name).open(encoding="utf-8", newline="") as fh:
            labels.update({r["conceptUri"]: r["preferredLabel"] for r in csv.DictReader(fh)})
    with shared_path("oasis", "guide_oasis_2023_v1.0.csv").open(encoding="utf-8-sig", newline="") as fh:
        labels.update({f"https://w3id.org/mcgraph/id/oasis/descriptor/{r['Code']}": r["Name"].strip()
                       for r in csv.DictReader(fh)})
    used = {cl.skill for c in read_credentials(CATALOG / "sample-catalogue.yaml") for cl in c.skill_claims}
    checked = 0
    for iri in sorted(used):
        rows = store.query("SELECT ?l ?s WHERE { ?s skos:prefLabel ?l }", {"s": __import__("pyoxigraph").NamedNode(iri)})
        assert iri in labels, f"{iri} is not in the official files"
        assert labels[iri].strip() in {v.strip() for v in rows.values("l") if v}, iri
        checked += 1
    assert checked >= 45


def test_sample_catalogue_round_trips_through_csv_and_yaml(store: EmbeddedStore, tmp_path: Path) -> None:
    import pyoxigraph as ox
    import rdflib
    from rdflib.compare import isomorphic

    from mcgraph.exports import get_exporter

    def graph(s: EmbeddedStore, name: str) -> rdflib.Graph:
        data = s.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=name).decode("utf-8")
        return rdflib.Graph().parse(data=data, format="nt")

    original = graph(store, SAMPLE)
    # `mcgraph build` also loads data/catalog/pathways-catalogue.csv; the export holds every credential loaded
    original += graph(store, str(GRAPH["catalog/pathways-catalogue"]))
    for fmt in ("csv", "yaml"):
        out = tmp_path / f"sample.{fmt}"
        get_exporter("credentials").export(store, fmt, out)
        load_source(store, "credentials", out, graph=str(GRAPH[f"test/round-trip-{fmt}"]))
        again = graph(store, str(GRAPH[f"test/round-trip-{fmt}"]))
        store.drop_graph(str(GRAPH[f"test/round-trip-{fmt}"]))
        assert len(again) == len(original) and isomorphic(original, again), fmt
