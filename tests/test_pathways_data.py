"""The sample pathways: every part is a credential of the sample catalogue that stacks into the destination."""

from __future__ import annotations

import pytest

from mcgraph import run_query
from mcgraph.store import EmbeddedStore

CAF = "https://w3id.org/mcgraph/id/credential/rru-caf"


@pytest.fixture(scope="module")
def built(built_store: EmbeddedStore) -> EmbeddedStore:
    return built_store


def test_rru_caf_is_two_required_plus_two_choice_groups(built: EmbeddedStore) -> None:
    """One pathway per thematic pathway the learner may choose (seed 002, Appendix 2: 2 + 2 + 2)."""
    rows = run_query(built, "pathway-structure", destination=CAF).dicts()
    by_pathway: dict[str, list[dict[str, str | None]]] = {}
    for r in rows:
        by_pathway.setdefault(r["pathway"], []).append(r)
    assert len(by_pathway) == 3
    for pathway_rows in by_pathway.values():
        required = sorted(r["part"].rsplit("/", 1)[-1] for r in pathway_rows if r["role"] == "required")
        assert required == ["rru-caf-required-1", "rru-caf-required-2"]
        groups = {r["choiceGroup"]: int(r["chooseAtLeast"]) for r in pathway_rows if r["role"] == "choice"}
        assert len(groups) == 2 and set(groups.values()) == {2}
        assert sum(1 for r in pathway_rows if r["role"] == "choice") == 4
    assert all(r["partTitle"] for r in rows), "every part is a credential of the catalogue with a title"


def test_every_pathway_part_stacks_into_its_destination(built: EmbeddedStore) -> None:
    loose = built.query("""SELECT ?pathway ?part WHERE {
        ?pathway a mcg:Pathway ; mcg:pathwayDestination ?dest .
        { ?pathway mcg:requiredPart ?part } UNION { ?pathway mcg:hasChoiceGroup/mcg:option ?part }
        FILTER NOT EXISTS { ?part mcg:stacksInto ?dest } }""")
    assert len(loose) == 0, loose.dicts()


def test_every_pathway_fact_has_a_source(built: EmbeddedStore) -> None:
    unsourced = built.query("""SELECT ?x WHERE { { ?x a mcg:Pathway } UNION { ?x a mcg:ChoiceGroup }
        FILTER NOT EXISTS { ?x dct:source ?s } }""")
    assert len(unsourced) == 0, unsourced.dicts()
