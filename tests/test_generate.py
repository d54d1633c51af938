"""The synthetic catalogue generator: deterministic per seed, plausible distributions, and the output loads."""

from __future__ import annotations

import statistics
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcgraph.build import build
from mcgraph.cli import main
from mcgraph.credentials.generate import HOURS_MIX, JURISDICTIONS, generate_credentials
from mcgraph.credentials.model import SCALES_BY_IRI, Credential
from mcgraph.credentials.table import write_csv
from mcgraph.errors import McgraphError
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH
from mcgraph.store import EmbeddedStore

N = 3000


@pytest.fixture(scope="module")
def built() -> EmbeddedStore:
    store = EmbeddedStore()
    list(build(store))
    return store


@pytest.fixture(scope="module")
def sample(built: EmbeddedStore) -> list[Credential]:
    return list(generate_credentials(built, N, seed=7))


def test_same_seed_same_catalogue_other_seed_other(built: EmbeddedStore) -> None:
    a = write_csv(generate_credentials(built, 200, seed=1))
    assert a == write_csv(generate_credentials(built, 200, seed=1))
    assert a != write_csv(generate_credentials(built, 200, seed=2))
    assert write_csv(generate_credentials(built, 0, seed=1)).count(b"\n") == 1


def test_ids_are_unique_and_every_credential_is_marked_synthetic(sample: list[Credential]) -> None:
    assert len({c.iri for c in sample}) == N
    assert all(c.illustrative and any(n.startswith("synthetic") for n in c.notes) for c in sample)


def test_jurisdictions_follow_the_weights(sample: list[Credential]) -> None:
    counts = Counter(c.jurisdictions[0].rsplit("/", 1)[-1] for c in sample)
    assert set(counts) == {j[0] for j in JURISDICTIONS}
    for code, weight, *_ in JURISDICTIONS:
        assert abs(counts[code] / N - weight) < 0.03, code


def test_hours_are_spread_like_a_real_catalogue(sample: list[Credential]) -> None:
    hours = [float(c.notional_hours or 0) for c in sample if c.kind == "micro-credential"]
    assert min(hours) >= 1 and max(hours) <= 600
    assert 20 <= statistics.median(hours) <= 120
    ecmf_band = sum(90 <= h <= 160 for h in hours) / len(hours)
    assert abs(ecmf_band - HOURS_MIX[2][0]) < 0.05
    short = sum(10 <= h < 40 for h in hours) / len(hours)
    assert abs(short - HOURS_MIX[1][0]) < 0.05


def test_skill_claims_are_loaded_skills_with_levels_on_their_scales(built: EmbeddedStore,
                                                                    sample: list[Credential]) -> None:
    skills = set(built.query("SELECT ?s WHERE { ?s a mcg:Skill }").values("s"))
    claims = [cl for c in sample for cl in c.skill_claims]
    assert 1.5 <= len(claims) / N <= 5
    assert all(1 <= len(c.skill_claims) <= 12 for c in sample)
    for cl in claims:
        assert cl.skill in skills
        scale = SCALES_BY_IRI[cl.scale or ""]
        assert cl.level is not None and scale.minimum <= cl.level <= scale.maximum
    popularity = Counter(cl.skill for cl in claims).most_common()
    assert popularity[0][1] > 5 * (len(claims) / len(skills))  # a few skills are claimed far more than average
    kinds = Counter("+".join(sorted(cl.kinds)) for cl in claims)
    assert kinds["assessed+taught"] > kinds["taught"] > kinds["assessed"] > 0


def test_levels_credits_awards_and_providers(built: EmbeddedStore, sample: list[Credential]) -> None:
    levels = {r for r in built.query("SELECT ?l WHERE { ?l a mcg:QualificationLevel }").values("l")}
    with_level = [c for c in sample if c.levels]
    assert 0.3 < len(with_level) / N < 0.7 and all(set(c.levels) <= levels for c in with_level)
    eu = [c for c in sample if c.jurisdictions[0].endswith("/EU")]
    ects = [c for c in eu if c.credits]
    assert len(ects) / len(eu) > 0.7
    for c in ects:  # ECTS = hours / 27.5, to the half credit
        assert abs(c.credits[0].points - (c.notional_hours or Decimal(0)) / Decimal("27.5")) <= Decimal("0.25")
    awards = [c for c in sample if c.kind == "award"]
    assert 0.01 < len(awards) / N < 0.06
    award_iris = {a.iri for a in awards}
    stacked = [c for c in sample if c.stacks_into]
    assert stacked and all(set(c.stacks_into) <= award_iris for c in stacked)
    by_provider = Counter(c.provider.iri for c in sample if c.provider)
    top, median = by_provider.most_common(1)[0][1], statistics.median(by_provider.values())
    assert top > 3 * median  # Zipf: a few providers offer many credentials


def test_generated_catalogue_loads(built: EmbeddedStore, tmp_path: Path) -> None:
    out = tmp_path / "syn.csv"
    write_csv(generate_credentials(built, 500, seed=3), out)
    report = load_source(built, "credentials", out, graph=str(GRAPH["test/synthetic"]))
    assert report.counts["credentials"] == 500 and not report.warnings
    n = built.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH['test/synthetic']}> "
                    "{ ?c a mcg:MicroCredential } }").values("n")[0]
    assert 450 < int(n or 0) < 500
    built.drop_graph(str(GRAPH["test/synthetic"]))


def test_no_skills_loaded_is_an_error() -> None:
    with pytest.raises(McgraphError, match="no skills are loaded"):
        list(generate_credentials(EmbeddedStore(), 3))


def test_cli_generates_csv_and_turtle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    for args in (["build"], ["generate", "credentials", "--count", "50", "--seed", "4", "-o", str(tmp_path / "s.csv")],
                 ["generate", "credentials", "-n", "20", "-o", str(tmp_path / "s.ttl")],
                 ["load", "credentials", str(tmp_path / "s.csv"), "--graph", "synthetic"]):
        with pytest.raises(SystemExit) as exit_:
            main(["--store", str(store), *args])
        assert exit_.value.code in (0, None), capsys.readouterr().err
    assert "wrote 50 synthetic credentials" in capsys.readouterr().err
    triples = list(ox.parse(path=str(tmp_path / "s.ttl"), format=ox.RdfFormat.TURTLE))
    assert sum(1 for t in triples if t.predicate.value.endswith("#hasSkillClaim")) >= 20
