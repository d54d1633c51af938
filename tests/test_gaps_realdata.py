"""Skill gaps on the real downloads, checked against gaps computed independently from the raw files.

Each test loads one taxonomy with its mcgraph loader, writes credentials claiming a part of some occupations'
requirements (and, for ESCO, a narrower skill of one requirement), and compares ``mcgraph.gaps`` with the
same rule applied by this file's own csv/gzip code to the official files: ESCO v1.1.1 (10 occupations),
OaSIS 2023 v1.0 (3 profiles, level-aware) and O*NET 29.2 (3 occupations, importance thresholds).
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import shared_path
from mcgraph.analysis import gaps
from mcgraph.credentials.model import SCALES, Credential, SkillClaim, catalogue_triples, credential_iri
from mcgraph.loading import load_source
from mcgraph.store import EmbeddedStore, LoadRecord

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

ESCO_OCC = "http://data.europa.eu/esco/occupation/"
OASIS_ID = "https://w3id.org/mcgraph/id/oasis/"
ONET_ID = "https://w3id.org/mcgraph/id/onet/"
CATALOGUE = "https://w3id.org/mcgraph/graph/catalog/test-gaps"


def write_credentials(store: EmbeddedStore, creds: list[Credential]) -> None:
    store.write_graph(CATALOGUE, catalogue_triples(creds), LoadRecord(CATALOGUE, "test"), replace=True)


# --------------------------------------------------------------------------------------------- ESCO

def esco_raw(folder: Path) -> tuple[dict[str, list[str]], dict[str, set[str]], set[str]]:
    """Essential skills per occupation, the broader skills of each skill, and the occupations listed."""
    with (folder / "occupations_en.csv").open(encoding="utf-8", newline="") as fh:
        occupations = {row["conceptUri"] for row in csv.DictReader(fh)}
    essential: dict[str, list[str]] = defaultdict(list)
    with gzip.open(folder / "occupationSkillRelations.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["relationType"] == "essential":
                essential[row["occupationUri"]].append(row["skillUri"])
    broader: dict[str, set[str]] = defaultdict(set)
    with (folder / "broaderRelationsSkillPillar.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            broader[row["conceptUri"]].add(row["broaderUri"])
    return essential, broader, occupations


def ancestors(skill: str, broader: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), list(broader.get(skill, ()))
    while todo:
        b = todo.pop()
        if b not in seen:
            seen.add(b)
            todo.extend(broader.get(b, ()))
    return seen


@pytest.fixture(scope="module")
def esco_store() -> EmbeddedStore:
    store = EmbeddedStore()
    load_source(store, "esco", shared_path("esco", "v1.1.1"), version="1.1.1")
    return store


def test_esco_gaps_match_the_raw_csv(esco_store: EmbeddedStore) -> None:
    folder = shared_path("esco", "v1.1.1")
    essential, broader, listed = esco_raw(folder)
    narrower_of: dict[str, list[str]] = defaultdict(list)
    for skill, parents in broader.items():
        for p in parents:
            narrower_of[p].append(skill)
    candidates = sorted(o for o, skills in essential.items() if o in listed and len(set(skills)) >= 6)
    # ten occupations spread over the list, preferring ones with an essential skill that has a narrower skill
    with_narrower = [o for o in candidates if any(narrower_of.get(s) for s in essential[o])]
    chosen = with_narrower[:: max(1, len(with_narrower) // 7)][:7] + candidates[5:: len(candidates) // 3][:3]
    chosen = sorted(set(chosen))[:10]
    assert len(chosen) == 10
    creds, expected = [], {}
    for n, occ in enumerate(chosen):
        skills = sorted(set(essential[occ]))
        claimed = skills[::2]
        partly_target = next((s for s in skills[1::2] if narrower_of.get(s)), None)
        extra = [sorted(narrower_of[partly_target])[0]] if partly_target else []
        claims = tuple(SkillClaim(s) for s in claimed + extra)
        creds.append(Credential(credential_iri(f"test-esco-{n}"), f"ESCO test {n}", skill_claims=claims))
        claimed_set = set(claimed) | set(extra)
        covered = set(skills) & claimed_set
        partly = {s for s in set(skills) - covered if any(s in ancestors(c, broader) for c in claimed_set)}
        expected[occ] = (covered, partly, set(skills) - covered - partly, credential_iri(f"test-esco-{n}"))
    write_credentials(esco_store, creds)
    partly_seen = 0
    for occ, (covered, partly, missing, cred) in expected.items():
        result = gaps(esco_store, occ, [cred])
        assert result.missing_skills == missing, occ
        assert {i.skill for i in result.covered} == covered, occ
        assert {i.skill for i in result.partly_covered} == partly, occ
        assert all(i.credentials == (cred,) for i in result.covered + result.partly_covered)
        partly_seen += len(partly)
    assert partly_seen >= 5  # the narrower claims do make requirements partly covered


def test_occupation_gap_query_agrees_with_gaps(esco_store: EmbeddedStore) -> None:
    from mcgraph.queries import run_query

    folder = shared_path("esco", "v1.1.1")
    essential, _, _ = esco_raw(folder)
    occ = ESCO_OCC + "f2b15a0e-e65a-438a-affb-29b9d50b77d1"  # software developer
    skills = sorted(set(essential[occ]))
    cred = credential_iri("test-esco-query")
    write_credentials(esco_store, [Credential(cred, "q", skill_claims=tuple(SkillClaim(s) for s in skills[:5]))])
    rows = run_query(esco_store, "occupation-gap", occupation=occ, have=cred).dicts()
    by_status = defaultdict(set)
    for r in rows:
        by_status[r["status"]].add(r["skill"])
    result = gaps(esco_store, occ, [cred])
    assert by_status["missing"] == result.missing_skills and len(result.missing_skills) == len(skills) - 5
    assert by_status["covered"] == {i.skill for i in result.covered} == set(skills[:5])


def test_injection_as_occupation_finds_nothing_and_changes_nothing(esco_store: EmbeddedStore) -> None:
    before = len(esco_store.oxigraph)
    from mcgraph.analysis.gaps import GapError

    for attack in ['x> } ; DROP ALL ; <y', 'escoocc:x> . } DELETE WHERE { ?s ?p ?o } #', '" } DROP ALL #']:
        with pytest.raises(GapError, match="no occupation"):
            gaps(esco_store, attack, [])
    assert len(esco_store.oxigraph) == before


# --------------------------------------------------------------------------------------------- OaSIS

KNOWLEDGE_ALIASES = {  # headers of knowledges_oasis_2023_v1.0.csv that rename a guide entry (read by hand)
    "business administration": "G01a02", "client services": "G01a07",
    "vehicles and machinery operations": "G10a06",
}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def oasis_raw(folder: Path) -> dict[str, dict[str, tuple[str, Decimal]]]:
    """Profile → descriptor IRI → (family, rating) for the non-zero skills and knowledge ratings."""
    codes: dict[tuple[str, str], str] = {}
    with (folder / "guide_oasis_2023_v1.0.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["Structure type"].strip() == "Descriptor":
                codes[(row["Category"].strip(), norm(row["Name"]))] = row["Code"].strip()
    out: dict[str, dict[str, tuple[str, Decimal]]] = defaultdict(dict)
    for name, category, family in (("skills_oasis_2023_v1.0.csv", "Skills", "skills"),
                                   ("knowledges_oasis_2023_v1.0.csv", "Knowledge", "knowledge")):
        with (folder / name).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            columns = {}
            for i, h in enumerate(header[2:], start=2):
                code = codes.get((category, norm(h))) or KNOWLEDGE_ALIASES.get(norm(h))
                assert code, f"{name}: header {h!r} matches no guide descriptor"
                columns[i] = code
            for row in reader:
                for i, code in columns.items():
                    if row[i].strip() and Decimal(row[i]) > 0:
                        out[row[0].strip()][f"{OASIS_ID}descriptor/{code}"] = (family, Decimal(row[i]))
    return out


def test_oasis_gaps_match_the_raw_csv_level_aware() -> None:
    folder = shared_path("oasis")
    raw = oasis_raw(folder)
    store = EmbeddedStore()
    load_source(store, "oasis", folder)
    profiles = ["21232.00", "31301.01", "72410.01"]
    creds, expected = [], {}
    for n, code in enumerate(profiles):
        reqs = sorted(raw[code].items())
        assert len(reqs) >= 10
        claims, covered = [], set()
        for k, (skill, (family, level)) in enumerate(reqs):
            scale = SCALES["oasis-skills" if family == "skills" else "oasis-knowledge"]
            if k % 3 == 0:      # at the required level: covered
                claims.append(SkillClaim(skill, level=level, scale=scale.iri))
                covered.add(skill)
            elif k % 3 == 1 and level > 1:     # one below the required level: missing when level-aware
                claims.append(SkillClaim(skill, level=level - 1, scale=scale.iri))
        iri = credential_iri(f"test-oasis-{n}")
        creds.append(Credential(iri, f"OaSIS test {n}", skill_claims=tuple(claims)))
        claimed = {c.skill for c in claims}
        expected[code] = (iri, {s for s, _ in reqs} - covered, {s for s, _ in reqs} - claimed, claimed - covered)
    write_credentials(store, creds)
    for code, (iri, missing_aware, missing_plain, short) in expected.items():
        aware = gaps(store, f"oasis:profile/{code}", [iri], level_aware=True)
        assert aware.missing_skills == missing_aware
        assert {i.skill for i in aware.missing if i.shortfall == 1} == short and short
        plain = gaps(store, f"oasis:profile/{code}", [iri])
        assert plain.missing_skills == missing_plain


# --------------------------------------------------------------------------------------------- O*NET

def onet_raw(folder: Path) -> dict[str, dict[str, tuple[Decimal, Decimal | None, bool, bool]]]:
    """Occupation → element IRI → (importance, level, not relevant, suppress) from Skills and Knowledge."""
    out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [None, None, False, False]))
    for name in ("Skills.txt", "Knowledge.txt"):
        with (folder / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                cell = out[row["O*NET-SOC Code"]][f"{ONET_ID}element/{row['Element ID']}"]
                if row["Scale ID"] == "IM":
                    cell[0] = Decimal(row["Data Value"])
                elif row["Scale ID"] == "LV":
                    cell[1] = Decimal(row["Data Value"])
                    cell[2] = cell[2] or row["Not Relevant"] == "Y"
                cell[3] = cell[3] or row["Recommend Suppress"] == "Y"
    return {o: {e: tuple(v) for e, v in els.items()} for o, els in out.items()}  # type: ignore[misc]


@pytest.fixture(scope="module")
def onet_store() -> EmbeddedStore:
    store = EmbeddedStore()
    load_source(store, "onet", shared_path("onet"))
    return store


@pytest.mark.parametrize("threshold", [Decimal(3), Decimal("3.5")])
def test_onet_gaps_match_the_raw_files(onet_store: EmbeddedStore, threshold: Decimal) -> None:
    raw = onet_raw(shared_path("onet"))
    store = onet_store
    occupations = ["15-1211.00", "29-1141.00", "47-2111.00"]
    creds, expected = [], {}
    for n, code in enumerate(occupations):
        elements = raw[code]
        required = {e for e, (imp, _, nr, _) in elements.items() if imp is not None and imp >= threshold and not nr}
        assert len(required) >= 3
        claimed = set(sorted(required)[::2]) | {sorted(elements)[0]}   # plus one element that may not count
        iri = credential_iri(f"test-onet-{n}")
        creds.append(Credential(iri, f"O*NET test {n}", skill_claims=tuple(SkillClaim(s) for s in sorted(claimed))))
        suppressed = {e for e in required if elements[e][3]}
        expected[code] = (iri, required, required - claimed, suppressed)
    write_credentials(store, creds)
    for code, (iri, required, missing, suppressed) in expected.items():
        result = gaps(store, f"onet:occupation/{code}", [iri], min_importance=threshold)
        assert {i.skill for i in result.items} == required
        assert result.missing_skills == missing
        assert {i.skill for i in result.items if i.suppress_recommended} == suppressed
