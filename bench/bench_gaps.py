"""Skill gaps, recommendations and the coverage matrix on full ESCO v1.1.1 + 10,000 synthetic credentials,
beside a plain-rdflib baseline doing the same computation, in one run.

    python bench/bench_gaps.py                       # data from ../shared/data (or $MCGRAPH_SHARED_DATA)
    python bench/bench_gaps.py --store DIR           # reuse a store prepared by an earlier run (kept in DIR)

Preparation (timed, not compared): ``mcgraph build``, ``mcgraph load esco …/v1.1.1``, ``mcgraph generate
credentials --count 10000 --seed 1`` and loading them, into an on-disk store. Then, each side in a fresh process:

* **mcgraph** — ``mcgraph.gaps(store, occupation, have)`` for 30 ESCO occupations (each with the synthetic
  credentials claiming its first essential skill as ``have``): the first call per occupation (the skill
  hierarchy is read once in the first), then warm repeats; ``recommend=True`` (exact set cover by hours) for
  the same occupations, warm; the coverage matrix of every ESCO occupation, cold (fresh projection) and warm.
* **rdflib** — the same files' triples (the ESCO and catalogue graphs dumped as N-Triples) parsed into an
  ``rdflib.Graph``, then the same computations with rdflib's triple API: essential skills
  (``esco:relatedEssentialSkill``), claims of the credentials held, the ``skos:broader`` closure for "partly
  covered", candidate credentials and their hours for the cover (solved by the same solver), and every
  occupation's covered share.

Both sides' answers are compared (missing sets, recommendation costs, covered counts) and must agree.
Targets (issue 9): gap p50 ≤ 20 ms warm; recommendation p50 ≤ 200 ms; coverage of all occupations ≤ 5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine, measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MCGRAPH_SHARED_DATA", REPO.parent / "shared" / "data"))
ESCO_OCC = "http://data.europa.eu/esco/occupation/"


def prepare(store_dir: str, data: str) -> str:
    from mcgraph.build import build
    from mcgraph.credentials.generate import generate_credentials
    from mcgraph.credentials.table import write_csv
    from mcgraph.loading import load_source
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        list(build(store))
        load_source(store, "esco", Path(data) / "esco" / "v1.1.1", version="1.1.1")
        csv_path = Path(store_dir).parent / "synthetic-10000.csv"
        write_csv(generate_credentials(store, 10_000, 1), csv_path)
        report = load_source(store, "credentials", csv_path)
    return f"{report.triples:,} catalogue triples"


def choose(store_dir: str) -> tuple[list[str], dict[str, list[str]]]:
    """30 ESCO occupations spread over the list, and for each the credentials claiming its first essential skill."""
    from mcgraph.analysis.graph import projection
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        proj = projection(store)
        esco = proj.requirements_in("esco")
        occupations = sorted(o for o, reqs in esco.items() if any(r.kind == "essential" for r in reqs))
        chosen = occupations[:: len(occupations) // 30][:30]
        have = {}
        for occ in chosen:
            first = sorted(r.skill for r in esco[occ] if r.kind == "essential")[0]
            have[occ] = sorted({c.credential for c in proj.claims_on(first)})[:2]
    return chosen, have


def p50(values: list[float]) -> float:
    return statistics.median(values)


def run_mcgraph(store_dir: str, occupations: list[str], have: dict[str, list[str]]) -> dict:
    from mcgraph.analysis import gaps
    from mcgraph.analysis.coverage import coverage_matrix
    from mcgraph.analysis.graph import _CACHE
    from mcgraph.store import EmbeddedStore

    out: dict = {}
    with EmbeddedStore(store_dir) as store:
        first, warm, rec, answers = [], [], [], {}
        for occ in occupations:
            t = time.perf_counter()
            gaps(store, occ, have[occ])
            first.append(time.perf_counter() - t)
        for _ in range(3):
            for occ in occupations:
                t = time.perf_counter()
                result = gaps(store, occ, have[occ])
                warm.append(time.perf_counter() - t)
                answers[occ] = (sorted(result.missing_skills), sorted(i.skill for i in result.partly_covered))
        t = time.perf_counter()
        gaps(store, occupations[0], have[occupations[0]], recommend=True)
        out["recommend first"] = time.perf_counter() - t
        costs = {}
        for occ in occupations:
            t = time.perf_counter()
            r = gaps(store, occ, have[occ], recommend=True).recommendation
            rec.append(time.perf_counter() - t)
            costs[occ] = (float(r.solution.cost), r.solution.method, len(r.uncovered))
        _CACHE.clear()
        t = time.perf_counter()
        matrix = coverage_matrix(store, labels=False)
        out["coverage cold"] = time.perf_counter() - t
        t = time.perf_counter()
        matrix = coverage_matrix(store, labels=False)
        out["coverage warm"] = time.perf_counter() - t
    out.update({"gap first p50": p50(first), "gap warm p50": p50(warm), "recommend p50": p50(rec),
                "recommend max": max(rec), "answers": answers, "costs": costs,
                "coverage": {r.occupation: (r.required, r.covered, r.partly) for r in matrix.rows},
                "occupations": len(matrix.rows)})
    return out


def dump(store_dir: str, out: str) -> int:
    import pyoxigraph as ox

    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store, open(out, "wb") as fh:
        graphs = [g.graph for g in store.graph_records()
                  if g.graph.endswith(("/esco/1.1.1", "catalog/synthetic-10000"))]
        for g in graphs:
            fh.write(store.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=g) or b"")
        return sum(store.count(g) for g in graphs)


def run_rdflib(nt: str, occupations: list[str], have: dict[str, list[str]]) -> dict:
    from decimal import Decimal

    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import RDF, SKOS

    from mcgraph.analysis.cover import Candidate, solve

    ESCO = Namespace("http://data.europa.eu/esco/model#")
    MCG = Namespace("https://w3id.org/mcgraph/ontology#")
    out: dict = {}
    t = time.perf_counter()
    g = Graph()
    g.parse(nt, format="nt")
    out["parse"] = time.perf_counter() - t

    def broader(skill: URIRef) -> set[URIRef]:
        return set(g.transitive_objects(skill, SKOS.broader)) - {skill}

    def claims(cred: URIRef) -> set[URIRef]:
        return {s for claim in g.objects(cred, MCG.hasSkillClaim) for s in g.objects(claim, MCG.claimedSkill)}

    def gap(occ: str, held: list[str]) -> tuple[list[str], list[str], set[URIRef]]:
        essential = set(g.objects(URIRef(occ), ESCO.relatedEssentialSkill))
        claimed = set().union(*(claims(URIRef(c)) for c in held)) if held else set()
        covered = essential & claimed
        ups = {b for c in claimed for b in broader(c)}
        partly = (essential - covered) & ups
        missing = essential - covered - partly
        return sorted(map(str, missing)), sorted(map(str, partly)), missing

    times, answers = [], {}
    for _ in range(3):
        for occ in occupations:
            t0 = time.perf_counter()
            missing, partly, _ = gap(occ, have[occ])
            times.append(time.perf_counter() - t0)
            answers[occ] = (missing, partly)
    rec, costs = [], {}
    for occ in occupations:
        t0 = time.perf_counter()
        _, _, missing = gap(occ, have[occ])
        covers: dict[URIRef, set[str]] = {}
        for skill in missing:
            for claim in g.subjects(MCG.claimedSkill, skill):
                for cred in g.subjects(MCG.hasSkillClaim, claim):
                    if str(cred) not in have[occ]:
                        covers.setdefault(cred, set()).add(str(skill))
        cands = []
        for cred, skills in covers.items():
            hours = g.value(cred, MCG.notionalHours)
            if hours is not None:
                cands.append(Candidate(str(cred), "", Decimal(str(hours)), frozenset(skills)))
        sol = solve({str(s) for s in missing}, cands)
        rec.append(time.perf_counter() - t0)
        coverable = set().union(*(c.covers for c in cands)) if cands else set()
        costs[occ] = (float(sol.cost), sol.method, len({str(s) for s in missing} - coverable))
    t0 = time.perf_counter()
    claimed_all = set(g.objects(None, MCG.claimedSkill))
    partly_all = {b for c in claimed_all for b in broader(c)}
    coverage = {}
    for occ in g.subjects(RDF.type, ESCO.Occupation):
        essential = set(g.objects(occ, ESCO.relatedEssentialSkill))
        if essential:
            covered = essential & claimed_all
            coverage[str(occ)] = (len(essential), len(covered), len((essential - covered) & partly_all))
    out["coverage"] = time.perf_counter() - t0
    out.update({"gap p50": p50(times), "recommend p50": p50(rec), "answers": answers, "costs": costs,
                "coverage rows": coverage, "triples": len(g)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(SHARED))
    parser.add_argument("--store", help="folder for the prepared store (reused when it exists)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-gaps-"))
    store_dir = Path(args.store) if args.store else work / "store"
    print(f"# bench_gaps on {machine()}")
    if not (store_dir / "CURRENT").exists():
        m = measure("prepare: build + ESCO v1.1.1 + 10,000 synthetic credentials", prepare, str(store_dir), args.data)
        print(f"prepared in {m.seconds:.1f} s ({m.detail})")
    occupations, have = choose(str(store_dir))
    nt = str(work / "esco-and-catalogue.nt")
    triples = dump(str(store_dir), nt)
    mc = measure("mcgraph", run_mcgraph, str(store_dir), occupations, have)
    rd = measure("rdflib", run_rdflib, nt, occupations, have)
    a, b = mc.detail, rd.detail
    assert a["answers"] == b["answers"], "gap answers differ"
    assert {o: c[0] for o, c in a["costs"].items()} == {o: c[0] for o, c in b["costs"].items()}, "cover costs differ"
    assert a["coverage"] == b["coverage rows"], "coverage differs"
    methods = sorted({c[1] for c in a["costs"].values()})
    print(f"answers agree: {len(occupations)} gaps, {len(a['costs'])} recommendations ({', '.join(methods)}), "
          f"coverage of {a['occupations']:,} occupations; {triples:,} triples (rdflib parse {b['parse']:.1f} s, "
          f"{b['triples']:,} triples)")
    rows = [("gap, one occupation, p50 warm", a["gap warm p50"], b["gap p50"], "≤ 20 ms"),
            ("gap, first call per occupation, p50", a["gap first p50"], b["gap p50"], ""),
            ("recommendation (exact cover by hours), p50", a["recommend p50"], b["recommend p50"], "≤ 200 ms"),
            ("coverage matrix, all ESCO occupations, warm", a["coverage warm"], b["coverage"], "≤ 5 s"),
            ("coverage matrix, cold (projection read from the store)", a["coverage cold"], b["coverage"], "")]
    print("| what | mcgraph | rdflib | mcgraph ÷ rdflib | target |")
    print("|---|---:|---:|---:|---|")
    for label, x, y, target in rows:
        print(f"| {label} | {x * 1000:,.1f} ms | {y * 1000:,.1f} ms | {x / y:.2f} | {target} |")
    print(f"first recommendation (reads the catalogue's claims): {a['recommend first'] * 1000:,.0f} ms; "
          f"slowest recommendation {a['recommend max'] * 1000:,.0f} ms; peak MB mcgraph {mc.peak_mb:,.0f}, "
          f"rdflib {rd.peak_mb:,.0f}")


if __name__ == "__main__":
    main()
