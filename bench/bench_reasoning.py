"""Reasoning: classification of a synthetic catalogue, materialisation on full ESCO, inferred vs explicit queries.

    python bench/bench_reasoning.py                       # everything (needs ../shared/data/esco/v1.1.1)
    python bench/bench_reasoning.py --parts classify --counts 1000 --batches 50 100 200 500
    python bench/bench_reasoning.py --parts classify --counts 10000 --work DIR   # reuse prepared stores
    python bench/bench_reasoning.py --parts materialise --owlrl-timeout 900

1. classify: ``mcgraph reason classify`` of N synthetic credentials (``mcgraph generate credentials``, seed 1) on
   the built store, for each batch size of ``--batches`` (profiles per HermiT run); in the same run: the focus
   extract alone (the ratio baseline), the whole ontology instead of its module (``--full-ontology``) and, up to
   ``--baseline-max`` credentials, HermiT over every credential with all its facts.
2. materialise: ``mcgraph reason materialise`` on the built store + full ESCO v1.1.1, SPARQL rules vs the
   ``owlrl`` engine (full OWL RL closure in rdflib, cut to the same predicates; stopped after --owlrl-timeout s);
   added triple counts, and whether both give the same triples.
3. query: ``skill-credentials-inferred`` (mcg:claimsSkill + skos:broaderTransitive from the closure) vs its
   explicit twin (``mcg:teaches|mcg:assesses`` and ``skos:broader+``) on ESCO + 10,000 credentials, p50 per tier
   of skills ranked by claiming credentials (five of the largest, five at rank 200, five at rank 2,000); the rows
   are compared.

Each timed step runs in a fresh process (peak memory = its max RSS).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine, measure, table  # noqa: E402

from mcgraph.reasoning.classify import DEFAULT_BATCH  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MCGRAPH_SHARED_DATA", REPO.parent / "shared" / "data"))
ESCO = SHARED / "esco" / "v1.1.1"


def prepare(store_dir: str, count: int, esco: bool) -> str:
    from mcgraph.build import build
    from mcgraph.credentials.generate import generate_credentials
    from mcgraph.credentials.table import write_csv
    from mcgraph.loading import load_source
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        list(build(store))
        if esco:
            load_source(store, "esco", ESCO)
        if count:
            csv_path = Path(store_dir).parent / f"synthetic-{count}.csv"
            write_csv(generate_credentials(store, count, 1), csv_path)
            load_source(store, "credentials", csv_path, graph="https://w3id.org/mcgraph/graph/bench/synthetic")
        n = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?c a mcg:MicroCredential }").values("n")[0]
    return f"{n} micro-credentials"


def run_classify(store_dir: str, batch: int, by_profile: bool = True, module: bool = True) -> str:
    import resource

    from mcgraph.reasoning import classify
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        result = classify(store, batch_size=batch, write=False, by_profile=by_profile, module=module)
    counts = ", ".join(f"{c.rsplit('#', 1)[1].removesuffix('MicroCredential')} {len(m):,}"
                       for c, m in result.members.items())
    java_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return (f"{result.profiles:,} profiles, {result.batches} run(s), {result.extract_triples:,} extract triples; "
            f"{counts}; HermiT JVM peak {java_mb:.0f} MB; load {_load()}")


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run_extract(store_dir: str) -> str:
    from mcgraph.reasoning.extract import focus_extract
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        extract = focus_extract(store)
    return f"{len(extract):,} triples for {len(extract.credentials):,} credentials"


def run_materialise(store_dir: str, engine: str, out: str) -> str:
    import pyoxigraph as ox

    from mcgraph.reasoning.materialise import infer
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        result = infer(store, engine=engine)
    ox.serialize(sorted(result.triples, key=str), output=out, format=ox.RdfFormat.N_TRIPLES)
    return f"{len(result.triples):,} triples added; " + ", ".join(f"{k} {v:,}" for k, v in result.per_rule.items())


def run_owlrl_with_timeout(store_dir: str, out: str, timeout: float) -> tuple[float | None, str]:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    proc = ctx.Process(target=run_materialise, args=(store_dir, "owlrl", out))
    started = time.perf_counter()
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None, f"did not finish within {timeout:.0f} s (stopped)"
    return time.perf_counter() - started, "finished" if proc.exitcode == 0 else f"failed (exit {proc.exitcode})"


def run_queries(store_dir: str, repeats: int) -> str:
    from mcgraph.queries import run_query
    from mcgraph.reasoning import materialise
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        materialise(store)
        # skills and groups with claims below them, ranked by claiming credentials: five of the largest, five
        # from rank 200 and five from rank 2,000
        ranked = ("SELECT ?g (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c mcg:claimsSkill ?s . ?s skos:broaderTransitive ?g } "
                  "GROUP BY ?g ORDER BY DESC(?n) ?g ")
        tiers = {f"rank {offset + 1}-{offset + 5}": store.query(ranked + f"OFFSET {offset} LIMIT 5").values("g")
                 for offset in (0, 200, 2000)}
        lines, same = [], True
        for tier, groups in tiers.items():
            if not groups:
                continue
            timings: dict[str, list[float]] = {"inferred": [], "explicit": []}
            rows = []
            for g in groups:
                results = {}
                for name, query in (("inferred", "skill-credentials-inferred"),
                                    ("explicit", "skill-credentials-explicit")):
                    run_query(store, query, skill=g)  # warm
                    for _ in range(repeats):
                        t = time.perf_counter()
                        results[name] = run_query(store, query, skill=g).dicts()
                        timings[name].append(time.perf_counter() - t)
                same &= results["inferred"] == results["explicit"]
                rows.append(len(results["inferred"]))
            p50 = {k: statistics.median(v) * 1000 for k, v in timings.items()}
            lines.append(f"| {tier} | {min(rows):,}–{max(rows):,} | {p50['inferred']:.1f} | {p50['explicit']:.1f} | "
                         f"{p50['explicit'] / p50['inferred']:.2f} |")
    return ("\n| skills (by claiming credentials) | rows per skill | p50 inferred ms | p50 explicit ms | explicit / "
            "inferred |\n|---|---:|---:|---:|---:|\n" + "\n".join(lines) +
            f"\n\n{repeats} timed runs per skill after one warm-up; same rows in every case: {same}; load {_load()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", nargs="+", choices=["classify", "materialise", "query"],
                        default=["classify", "materialise", "query"])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--owlrl-timeout", type=float, default=900)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--baseline-max", type=int, default=0,
                        help="run the every-credential, whole-ontology baseline up to this many credentials (slow)")
    parser.add_argument("--batches", type=int, nargs="+", default=[DEFAULT_BATCH],
                        help="profiles per HermiT run to measure (the first is also used with --full-ontology)")
    parser.add_argument("--full-ontology", action="store_true", help="also classify with the whole ontology")
    parser.add_argument("--work", help="keep (and reuse) the prepared stores in this folder: classify-<N>/store, "
                                       "esco/store, esco-10000/store (build + ESCO + 10,000 credentials)")
    args = parser.parse_args()
    print(f"# reasoning — {machine()}; load average {_load()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        if "classify" in args.parts:
            for count in args.counts:
                base = str(work / f"classify-{count}" / "store")
                if not Path(base).exists():
                    measure("prepare", prepare, base, count, False)
                extract = measure(f"focus extract ({count:,})", run_extract, base)
                rows = [extract]
                for batch in args.batches:
                    rows.append(measure(f"mcgraph reason classify ({count:,}), {batch:,} profiles per HermiT run",
                                        run_classify, base, batch))
                if args.full_ontology:
                    rows.append(measure(f"the same with the whole ontology ({count:,}, {args.batches[0]:,} per run)",
                                        run_classify, base, args.batches[0], True, False))
                if count <= args.baseline_max:
                    rows.append(measure(f"baseline: every credential, all its facts, whole ontology ({count:,})",
                                        run_classify, base, 2000, False, False))
                print(f"## classify {count:,} synthetic credentials (load at the end {_load()})\n")
                print(table(rows, extract))
                print()
                if not args.work:
                    shutil.rmtree(Path(base).parent, ignore_errors=True)
        if ESCO.is_dir() and ("materialise" in args.parts or "query" in args.parts):
            base = str(work / ("esco-10000" if "query" in args.parts else "esco") / "store")
            if not Path(base).exists():
                prep = measure("prepare", prepare, base, 10_000 if "query" in args.parts else 0, True)
                print(f"prepared: mcgraph build + ESCO v1.1.1 ({prep.detail}, {prep.seconds:.0f} s)\n")
            if "materialise" in args.parts:
                sparql_out, owlrl_out = str(Path(tmp) / "sparql.nt"), str(Path(tmp) / "owlrl.nt")
                sparql = measure("materialise: SPARQL rules on Oxigraph", run_materialise, base, "sparql", sparql_out)
                print(f"## materialise on ESCO v1.1.1\n\n{table([sparql], sparql)}\n")
                seconds, status = run_owlrl_with_timeout(base, owlrl_out, args.owlrl_timeout)
                if seconds is None:
                    print(f"owlrl engine: {status}; the SPARQL rules took {sparql.seconds:.1f} s\n")
                else:
                    same = Path(sparql_out).read_bytes() == Path(owlrl_out).read_bytes()
                    print(f"owlrl engine: {seconds:.1f} s ({seconds / sparql.seconds:.1f}× the SPARQL rules); "
                          f"identical triples: {same}\n")
            if "query" in args.parts:
                q = measure("queries", run_queries, base, args.repeats)
                print(f"## inferred vs explicit query on ESCO + 10,000 credentials\n\n{q.detail}\n")
        elif "materialise" in args.parts or "query" in args.parts:
            print(f"ESCO v1.1.1 not found at {ESCO}: materialise/query parts skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
