"""The coverage matrix against a brute-force count, and the named query that ranks the same occupations."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from mcgraph.analysis.coverage import ALL, coverage_matrix
from mcgraph.credentials.model import iter_credentials
from mcgraph.queries import run_query
from mcgraph.store import EmbeddedStore

ESSENTIAL = "https://w3id.org/mcgraph/ontology#Essential"


def brute_force(store: EmbeddedStore, jurisdiction: str | None) -> dict[str, tuple[int, int]]:
    claimed = {c.skill for cred in iter_credentials(store)
               if jurisdiction is None or any(j.endswith("/" + jurisdiction) for j in cred.jurisdictions)
               for c in cred.skill_claims}
    rows = run_query(store, "esco-occupation-skills", occupation="escoocc:f2b15a0e-e65a-438a-affb-29b9d50b77d1")
    assert rows  # the slice holds the demand occupations' essential skills
    out = {}
    occupations = {r["occupation"] for r in run_query(store, "occupation-demand").dicts()}
    for occ in occupations:
        skills = {r["skill"] for r in run_query(store, "esco-occupation-skills", occupation=occ,
                                                relation="essential").dicts()}
        out[occ] = (len(skills), len(skills & claimed))
    return out


@pytest.mark.parametrize("jurisdiction", [None, "CA-BC"])
def test_matrix_matches_a_brute_force_count(built_store: EmbeddedStore, jurisdiction: str | None) -> None:
    matrix = coverage_matrix(built_store, jurisdiction=jurisdiction)
    got = {r.occupation: (r.required, r.covered) for r in matrix.rows if r.scope == ALL}
    assert got == brute_force(built_store, jurisdiction)
    assert any(c for _, c in got.values())
    frame = matrix.to_frame()
    assert len(frame) == 10 and set(frame.columns) >= {"occupation", "share", "covered", "required"}


def test_best_covered_query_agrees(built_store: EmbeddedStore) -> None:
    matrix = coverage_matrix(built_store, jurisdiction="CA-BC")
    expected = {(r.occupation, r.required, r.covered) for r in matrix.best() if r.covered}
    rows = run_query(built_store, "occupations-best-covered", jurisdiction="CA-BC").dicts()
    assert {(r["occupation"], int(r["essential"]), int(r["covered"])) for r in rows} == expected
    assert rows[0]["label"] == matrix.best(1)[0].label


def test_by_jurisdiction_columns(built_store: EmbeddedStore) -> None:
    matrix = coverage_matrix(built_store, by_jurisdiction=True)
    scopes = set(matrix.scopes)
    assert ALL in scopes and "https://w3id.org/mcgraph/id/jurisdiction/CA-BC" in scopes
    wide = matrix.matrix()
    assert len(wide) == 10 and ALL in wide.columns
    for r in matrix.rows:  # a jurisdiction's part never covers more than the whole catalogue
        whole = next(x for x in matrix.rows if x.occupation == r.occupation and x.scope == ALL)
        assert r.covered <= whole.covered


def test_coverage_command(built_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, built_store_dir, "coverage", "--jurisdiction", "CA-BC", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "occupation,label,scope,required,covered,partly,share"
    assert len(out.splitlines()) == 11
    code, out, _ = run_cli(capsys, built_store_dir, "coverage", "--top", "3")
    assert code == 0 and "blockchain" in out and "10 occupations" in out
