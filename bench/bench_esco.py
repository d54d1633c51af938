"""Full ESCO v1.1.1 CSV load three ways in one run: mcgraph vs pyoxigraph raw bulk_load vs rdflib.

    python bench/bench_esco.py                          # data from ../shared/data (next to the repository)
    python bench/bench_esco.py --data /path/to/data     # the folder holding esco/v1.1.1/
    python bench/bench_esco.py --repeat 3               # median of three runs of the two Oxigraph loads
    python bench/bench_esco.py --skip-rdflib            # leave out the slow rdflib baseline

(a) ``load_source(store, "esco", …/esco/v1.1.1)`` into a fresh on-disk store (CSV parsing, triple building,
the transactional write and the load record); (b) the triples that load wrote, dumped as N-Triples, loaded
with pyoxigraph's raw ``Store(path).bulk_load`` into a fresh on-disk store — the baseline; (c) rdflib
``Graph().parse(…, format="nt")`` of the same file. Both variants are measured: with the
``mcg:SkillRequirement`` node of each occupation–skill link (the default) and without (``--lean`` only).
Each measurement runs in a fresh process, so its peak memory (max RSS) is its own.
Goal (issue 3): (a) at most 1.5× (b), and at least 10× faster than (c).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import Measurement, machine, measure, table

GRAPH = "https://w3id.org/mcgraph/graph/esco/1.1.1"


def run_mcgraph(data: str, store_dir: str, requirements: bool) -> str:
    from mcgraph.loading import load_source
    from mcgraph.sources.esco import EscoSource
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        report = load_source(store, EscoSource(skill_requirements=requirements), data, version="1.1.1")
    return f"{report.triples:,} triples, {len(report.warnings)} warnings"


def dump_nt(store_dir: str, out: str) -> int:
    import pyoxigraph as ox

    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        store.dump(out, fmt=ox.RdfFormat.N_TRIPLES, graph=GRAPH)
        return store.count(GRAPH)


def run_bulk(path: str, store_dir: str) -> str:
    import pyoxigraph as ox

    store = ox.Store(store_dir)
    store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH))
    store.flush()
    return f"{len(store):,} quads"


def run_rdflib(path: str) -> str:
    import rdflib

    g = rdflib.Graph()
    g.parse(path, format="nt")
    return f"{len(g):,} triples"


def median(label: str, runs: list[Measurement]) -> Measurement:
    seconds = statistics.median(m.seconds for m in runs)
    detail = runs[0].detail
    if len(runs) > 1:
        detail = f"{detail}; runs: {', '.join(f'{m.seconds:.2f}' for m in runs)} s"
    return Measurement(label, seconds, max(m.peak_mb for m in runs), detail)


def variant(data: Path, work: Path, requirements: bool, repeat: int, rdflib: bool) -> tuple[list[Measurement], float]:
    name = "with" if requirements else "without"
    mcg_runs, bulk_runs = [], []
    nt = work / f"esco-{name}.nt"
    for i in range(repeat):
        store = work / f"mcg-{name}-{i}"
        mcg_runs.append(measure("mcgraph", run_mcgraph, str(data), str(store), requirements))
        if i == 0:
            triples = dump_nt(str(store), str(nt))
            print(f"  {name} requirement nodes: {triples:,} triples, N-Triples {nt.stat().st_size / 1e6:.0f} MB",
                  flush=True)
        bulk_runs.append(measure("bulk", run_bulk, str(nt), str(work / f"bulk-{name}-{i}")))
        print(f"  run {i + 1}: mcgraph {mcg_runs[-1].seconds:.2f} s, bulk_load {bulk_runs[-1].seconds:.2f} s", flush=True)
    bulk = median(f"pyoxigraph bulk_load of the same N-Triples (baseline, {name} requirement nodes)", bulk_runs)
    mcg = median(f"mcgraph load esco v1.1.1 CSV ({name} requirement nodes)", mcg_runs)
    rows = [bulk, mcg]
    if rdflib:
        rows.append(measure(f"rdflib Graph().parse of the N-Triples ({name} requirement nodes)", run_rdflib, str(nt)))
    return rows, mcg.seconds / bulk.seconds


def main() -> None:
    default_data = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=default_data, help="folder holding esco/v1.1.1/ [../shared/data]")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each Oxigraph load; the median is reported")
    parser.add_argument("--skip-rdflib", action="store_true", help="leave out the (slow) rdflib baseline")
    parser.add_argument("--lean", action="store_true", help="only the variant without requirement nodes")
    args = parser.parse_args()
    data = args.data / "esco" / "v1.1.1"
    if not data.is_dir():
        sys.exit(f"no ESCO v1.1.1 CSV folder at {data}; pass --data")
    print(f"data: {data}; machine: {machine()}", flush=True)
    variants = [False] if args.lean else [True, False]
    with tempfile.TemporaryDirectory() as tmp:
        for requirements in variants:
            rows, ratio = variant(data, Path(tmp), requirements, max(1, args.repeat),
                                  rdflib=not args.skip_rdflib and requirements)
            print(table(rows, rows[0]))
            verdict = "meets" if ratio <= 1.5 else "misses"
            line = f"mcgraph takes {ratio:.2f}× the raw bulk load ({verdict} the ≤ 1.5× goal)"
            if len(rows) > 2:
                speedup = rows[2].seconds / rows[1].seconds
                line += f"; {speedup:.1f}× faster than rdflib ({'meets' if speedup >= 10 else 'misses'} the ≥ 10× goal)"
            print(line + "\n", flush=True)


if __name__ == "__main__":
    main()
