"""Issue 13, item 19: an ESCO relation row naming an occupation (or skill) that no file describes leaves a node
typed ``mcg:DanglingReference`` with the file and row of each reference, so queries and analysts see it."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, shared_path

from mcgraph.loading import load_source
from mcgraph.store import EmbeddedStore

GONE = "http://data.europa.eu/esco/occupation/a9e54177-a185-404d-b6e6-15663d31137e"
QUERY = """PREFIX mcg: <https://w3id.org/mcgraph/ontology#>
SELECT ?node (GROUP_CONCAT(?at; separator="|") AS ?rows) (COUNT(?type) AS ?types)
WHERE { ?node a mcg:DanglingReference ; mcg:referencedAt ?at . OPTIONAL { ?node a ?type } }
GROUP BY ?node"""


def dangling(store: EmbeddedStore) -> dict[str, set[str]]:
    return {row["node"]: set((row["rows"] or "").split("|")) for row in store.query(QUERY).dicts()}


def test_fixture_dangling_occupation_is_typed_with_its_rows() -> None:
    store = EmbeddedStore()
    report = load_source(store, "esco", FIXTURES / "esco", version="1.1.1")
    found = dangling(store)
    assert found[GONE] == {"occupationSkillRelations.csv, row 12", "occupationSkillRelations.csv, row 13"}
    rows_warned = {w.row for w in report.warnings if "is not in the occupations file" in w.reason}
    assert {int(r.rsplit(" ", 1)[1]) for r in found[GONE]} == rows_warned
    # a skill named by a relation row but missing from skills_en.csv is marked too
    skill_rows = {w.row for w in report.warnings if "not in the skills file" in w.reason}
    assert skill_rows and any(n != GONE for n in found)
    assert report.counts["dangling references (typed mcg:DanglingReference)"] == len(found)
    assert not store.ask(f"ASK {{ <{GONE}> a <https://w3id.org/mcgraph/ontology#Occupation> }}")


@pytest.mark.realdata
@pytest.mark.slow
def test_real_v111_marks_the_67_rows() -> None:
    store = EmbeddedStore()
    report = load_source(store, "esco", shared_path("esco", "v1.1.1"))
    found = dangling(store)
    occupation_rows = {r for node, rows in found.items() if "/occupation/" in node for r in rows}
    assert len(occupation_rows) == 67
    assert all(r.startswith("occupationSkillRelations.csv, row ") for r in occupation_rows)
    assert report.counts["occupation-skill links, occupation unknown (loaded)"] == 67
