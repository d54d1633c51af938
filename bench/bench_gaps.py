"""Skill gaps, recommendations and the coverage matrix on full ESCO v1.1.1 + 10,000 synthetic credentials,
beside a plain-rdflib baseline doing the same computation, in one run.

    python bench/bench_gaps.py --store DIR --prepare-only   # prepare the store and the inputs (no timings)
    python bench/bench_gaps.py --store DIR                  # the timed run (reuses what DIR holds)

Preparation (timed, not compared): ``mcgraph build``, ``mcgraph load esco …/v1.1.1``, ``mcgraph generate
credentials --count 10000 --seed 1`` and loading them, into an on-disk store; then the inputs both sides
share: ``--occupations`` ESCO occupations spread over the sorted list, each with the two credentials (first
by IRI) claiming its first essential skill as the credentials held, and the baseline's triples (below),
written beside the store. Then, each side in a fresh process:

* **mcgraph** — ``mcgraph.gaps(store, occupation, have)`` for each occupation: the first call per occupation
  (the very first also reads the skill hierarchy), then ``--rounds`` warm rounds; ``recommend=True`` (exact
  set cover by hours): the first call (reads the claims on the missing skills and the candidates' facts),
  then warm rounds; the coverage matrix of every ESCO occupation with essential skills, cold (fresh
  projection: links, claims and credential facts read from the store) and warm.
* **rdflib** — an ``rdflib.Graph`` holding the triples the computation reads, from every graph of the store
  (``esco:relatedEssentialSkill``, ``rdf:type esco:Occupation``, ``skos:broader``, ``mcg:hasSkillClaim``,
  ``mcg:claimedSkill``, ``mcg:notionalHours``; the rest of ESCO and of the catalogue is left out, which only
  makes its parse and its lookups cheaper), then the same computations with rdflib's triple API: essential
  skills, claims of the credentials held, the ``skos:broader`` closure for "partly covered", candidate
  credentials and their hours for the cover (solved by the same solver), every occupation's covered share.

Both sides' answers are compared (missing and partly-covered sets, recommendation costs, covered counts of
every occupation); disagreements are printed after the timings and make the exit code 1.
Targets (issue 9): gap p50 ≤ 20 ms warm; recommendation p50 ≤ 200 ms; coverage of all occupations ≤ 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine, measure

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MCGRAPH_SHARED_DATA", REPO.parent / "shared" / "data"))
ESCO_OCC = "http://data.europa.eu/esco/occupation/"
RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
ESCO_OCCUPATION_CLASS = b"<http://data.europa.eu/esco/model#Occupation>"
#: The predicates the baseline's computation reads (rdf:type only for esco:Occupation).
BASELINE_PREDICATES = {f"<{p}>".encode() for p in (
    "http://data.europa.eu/esco/model#relatedEssentialSkill", "http://www.w3.org/2004/02/skos/core#broader",
    "https://w3id.org/mcgraph/ontology#hasSkillClaim", "https://w3id.org/mcgraph/ontology#claimedSkill",
    "https://w3id.org/mcgraph/ontology#notionalHours")}


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


def choose(store_dir: str, count: int) -> tuple[list[str], dict[str, list[str]]]:
    """``count`` ESCO occupations spread over the list, each with the credentials claiming its first essential
    skill (the first two by IRI)."""
    from mcgraph.analysis.graph import projection
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        proj = projection(store)
        esco = proj.requirements_in("esco")
        occupations = sorted(o for o, reqs in esco.items() if any(r.kind == "essential" for r in reqs))
        chosen = occupations[:: len(occupations) // count][:count]
        have = {}
        for occ in chosen:
            first = min(r.skill for r in esco[occ] if r.kind == "essential")
            have[occ] = sorted({c.credential for c in proj.claims_on(first)})[:2]
    return chosen, have


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def stats(values: list[float]) -> dict[str, float]:
    return {"p50": p50(values), "p95": p95(values), "n": len(values)}


def run_mcgraph(store_dir: str, occupations: list[str], have: dict[str, list[str]], rounds: int) -> dict:
    from mcgraph.analysis import gaps
    from mcgraph.analysis.coverage import coverage_matrix
    from mcgraph.analysis.graph import _CACHE
    from mcgraph.store import EmbeddedStore

    out: dict = {}
    with EmbeddedStore(store_dir) as store:
        first, warm, rec_first, rec, cov, answers, costs = [], [], [], [], [], {}, {}
        for occ in occupations:
            t = time.perf_counter()
            gaps(store, occ, have[occ])
            first.append(time.perf_counter() - t)
        for _ in range(rounds):
            for occ in occupations:
                t = time.perf_counter()
                result = gaps(store, occ, have[occ])
                warm.append(time.perf_counter() - t)
                answers[occ] = (sorted(result.missing_skills), sorted(i.skill for i in result.partly_covered))
        for occ in occupations:
            t = time.perf_counter()
            gaps(store, occ, have[occ], recommend=True)
            rec_first.append(time.perf_counter() - t)
        for _ in range(rounds):
            for occ in occupations:
                t = time.perf_counter()
                r = gaps(store, occ, have[occ], recommend=True).recommendation
                rec.append(time.perf_counter() - t)
                costs[occ] = (float(r.solution.cost), r.solution.method, len(r.uncovered))
        _CACHE.clear()
        t = time.perf_counter()
        matrix = coverage_matrix(store, labels=False)
        out["coverage cold"] = time.perf_counter() - t
        for _ in range(rounds):
            t = time.perf_counter()
            matrix = coverage_matrix(store, labels=False)
            cov.append(time.perf_counter() - t)
    out.update({"gap first": stats(first), "gap first max": max(first), "gap warm": stats(warm),
                "recommend first": stats(rec_first), "recommend first max": max(rec_first),
                "recommend": stats(rec), "recommend max": max(rec), "coverage": stats(cov),
                "answers": answers, "costs": costs,
                "coverage rows": {r.occupation: (r.required, r.covered, r.partly) for r in matrix.rows}})
    return out


def dump(store_dir: str, out: str) -> tuple[int, int]:
    """The triples the baseline reads, from every graph of the store, as N-Triples: (kept, of how many)."""
    import pyoxigraph as ox

    from mcgraph.store import EmbeddedStore

    kept = total = 0
    with EmbeddedStore(store_dir) as store, open(out, "wb") as fh:
        # every graph: claims of held credentials may sit in the sample catalogue, broader links in the slices
        for record in store.graph_records():
            for line in (store.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=record.graph) or b"").splitlines():
                if not line.strip():
                    continue
                total += 1
                _, predicate, rest = line.split(b" ", 2)
                if predicate in BASELINE_PREDICATES or (
                        predicate == RDF_TYPE and rest.startswith(ESCO_OCCUPATION_CLASS)):
                    fh.write(line + b"\n")
                    kept += 1
    return kept, total


def run_rdflib(nt: str, occupations: list[str], have: dict[str, list[str]], rounds: int) -> dict:
    from decimal import Decimal

    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import RDF, SKOS

    from mcgraph.analysis.setcover import Candidate, solve

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

    def recommend(occ: str) -> tuple[float, str, int]:
        _, _, missing = gap(occ, have[occ])
        covers: dict[URIRef, set[str]] = {}
        for skill in missing:
            for claim in g.subjects(MCG.claimedSkill, skill):
                for cred in g.subjects(MCG.hasSkillClaim, claim):
                    if str(cred) not in have[occ]:
                        covers.setdefault(cred, set()).add(str(skill))
        cands = []
        for cred, skills in covers.items():
            # mcgraph's rule for several values: the least as text
            hours = sorted(str(h) for h in g.objects(cred, MCG.notionalHours))
            if hours:
                cands.append(Candidate(str(cred), "", Decimal(hours[0]), frozenset(skills)))
        sol = solve({str(s) for s in missing}, cands)
        coverable = set().union(*(c.covers for c in cands)) if cands else set()
        return float(sol.cost), sol.method, len({str(s) for s in missing} - coverable)

    def coverage() -> dict[str, tuple[int, int, int]]:
        claimed_all = set(g.objects(None, MCG.claimedSkill))
        partly_all = {b for c in claimed_all for b in broader(c)}
        rows = {}
        for occ in g.subjects(RDF.type, ESCO.Occupation):
            essential = set(g.objects(occ, ESCO.relatedEssentialSkill))
            if essential:
                covered = essential & claimed_all
                rows[str(occ)] = (len(essential), len(covered), len((essential - covered) & partly_all))
        return rows

    times, answers, rec, costs, cov = [], {}, [], {}, []
    for _ in range(rounds):
        for occ in occupations:
            t0 = time.perf_counter()
            missing, partly, _ = gap(occ, have[occ])
            times.append(time.perf_counter() - t0)
            answers[occ] = (missing, partly)
    for _ in range(rounds):
        for occ in occupations:
            t0 = time.perf_counter()
            costs[occ] = recommend(occ)
            rec.append(time.perf_counter() - t0)
    for _ in range(rounds):
        t0 = time.perf_counter()
        rows = coverage()
        cov.append(time.perf_counter() - t0)
    out.update({"gap": stats(times), "recommend": stats(rec), "coverage": stats(cov), "answers": answers,
                "costs": costs, "coverage rows": rows, "triples": len(g)})
    return out


def load_average() -> str:
    text = subprocess.run(["uptime"], capture_output=True, text=True).stdout
    return text.strip().split("load average:")[-1].strip()


def inputs(store_dir: Path, count: int) -> tuple[list[str], dict[str, list[str]], Path, tuple[int, int]]:
    """The occupations, credentials held and baseline triples both sides share, made once beside the store."""
    chosen_file = store_dir.parent / f"gaps-inputs-{count}.json"
    nt = store_dir.parent / "baseline.nt"
    if not chosen_file.exists() or not nt.exists():
        t = time.perf_counter()
        occupations, have = choose(str(store_dir), count)
        kept, total = dump(str(store_dir), str(nt))
        data = {"occupations": occupations, "have": have, "triples": [kept, total]}
        chosen_file.write_text(json.dumps(data))
        print(f"inputs prepared in {time.perf_counter() - t:.1f} s")
    data = json.loads(chosen_file.read_text())
    return data["occupations"], data["have"], nt, tuple(data["triples"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(SHARED))
    parser.add_argument("--store", required=True, help="the prepared store (reused when it exists)")
    parser.add_argument("--occupations", type=int, default=30, help="occupations timed (default 30)")
    parser.add_argument("--rounds", type=int, default=3, help="warm rounds over the occupations (default 3)")
    parser.add_argument("--prepare-only", action="store_true", help="prepare store and inputs only")
    args = parser.parse_args()
    store_dir = Path(args.store)
    print(f"# bench_gaps on {machine()}; load average {load_average()}", flush=True)
    if not (store_dir / "CURRENT").exists():
        m = measure("prepare: build + ESCO + 10,000 credentials", prepare, str(store_dir), args.data)
        print(f"prepared in {m.seconds:.1f} s ({m.detail})")
    occupations, have, nt, (kept, total) = inputs(store_dir, args.occupations)
    if args.prepare_only:
        return
    mc = measure("mcgraph", run_mcgraph, str(store_dir), occupations, have, args.rounds)
    a = mc.detail
    print(f"mcgraph done in {mc.seconds:.1f} s; load average {load_average()}", flush=True)
    rd = measure("rdflib", run_rdflib, str(nt), occupations, have, args.rounds)
    b = rd.detail
    print(f"rdflib done in {rd.seconds:.1f} s (parse {b['parse']:.1f} s of {b['triples']:,} triples); "
          f"load average {load_average()}", flush=True)
    differ = {
        "gaps": sorted(o for o in occupations if a["answers"].get(o) != b["answers"].get(o)),
        "cover costs": sorted(o for o in occupations if a["costs"][o] != b["costs"][o]),
        "coverage": sorted(o for o in set(a["coverage rows"]) | set(b["coverage rows"])
                           if a["coverage rows"].get(o) != b["coverage rows"].get(o)),
    }
    pairs = {"gaps": "answers", "cover costs": "costs", "coverage": "coverage rows"}
    for what, occs in differ.items():
        if occs:
            print(f"DISAGREEMENT: {what} differ for {len(occs)} occupations, e.g. {occs[:3]}")
            for o in occs[:2]:
                key = pairs[what]
                print(f"  {o}: mcgraph {str(a[key].get(o))[:300]} | rdflib {str(b[key].get(o))[:300]}")
    methods = sorted({c[1] for c in a["costs"].values()})
    sizes = {"gaps": len(occupations), "cover costs": len(occupations), "coverage": len(a["coverage rows"])}
    equal = {w: sizes[w] - len(d) for w, d in differ.items()}
    print(f"answers equal: gaps {equal['gaps']}/{sizes['gaps']}, recommendation cost, method and uncovered "
          f"count {equal['cover costs']}/{sizes['cover costs']} ({', '.join(methods)}), coverage rows "
          f"{equal['coverage']:,}/{sizes['coverage']:,} (rdflib {len(b['coverage rows']):,}); baseline graph "
          f"{kept:,} of the store's {total:,} triples")

    def ms(x: float) -> str:
        return f"{x * 1000:,.1f}"

    rows = [("gap, one occupation, warm", a["gap warm"], b["gap"], "≤ 20 ms"),
            ("gap, first call per occupation", a["gap first"], b["gap"], ""),
            ("recommendation (gap + exact cover by hours), warm", a["recommend"], b["recommend"], "≤ 200 ms"),
            ("recommendation, first call per occupation", a["recommend first"], b["recommend"], ""),
            ("coverage matrix, all ESCO occupations, warm", a["coverage"], b["coverage"], "≤ 5 s")]
    print("| what | n | mcgraph p50 ms | p95 ms | rdflib p50 ms | p95 ms | p50 ratio | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, x, y, target in rows:
        print(f"| {label} | {x['n']} | {ms(x['p50'])} | {ms(x['p95'])} | {ms(y['p50'])} | {ms(y['p95'])} | "
              f"{x['p50'] / y['p50']:.2f} | {target} |")
    print(f"| coverage matrix, cold (projection read from the store) | 1 | {ms(a['coverage cold'])} | | "
          f"{ms(b['coverage']['p50'])} | | {a['coverage cold'] / b['coverage']['p50']:.2f} | |")
    print(f"slowest: first gap {ms(a['gap first max'])} ms (reads the skill hierarchy), first recommendation "
          f"{ms(a['recommend first max'])} ms, warm recommendation {ms(a['recommend max'])} ms; rdflib parse "
          f"{b['parse']:.1f} s; peak MB mcgraph {mc.peak_mb:,.0f}, rdflib {rd.peak_mb:,.0f}")
    if any(differ.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
