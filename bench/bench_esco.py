"""Full ESCO v1.1.1 CSV load three ways in one run: mcgraph vs pyoxigraph raw bulk_load vs rdflib.

    python bench/bench_esco.py                          # data from ../shared/data (next to the repository)
    python bench/bench_esco.py --data /path/to/data     # the folder holding esco/v1.1.1/
    python bench/bench_esco.py --repeat 3               # median of three runs of each on-disk load
    python bench/bench_esco.py --skip-rdflib            # leave out the slow rdflib baseline

(a) ``load_source(store, "esco", …/esco/v1.1.1)`` into a fresh on-disk store (CSV parsing, triple building,
the transactional write and the load record); (b) the triples that load wrote, dumped as N-Triples, loaded
with pyoxigraph's raw ``Store(path).bulk_load`` into a fresh on-disk store — into the same named graph (the
baseline: the same quads written) and, for reference, into the default graph (fewer indexes); (c) rdflib
``Graph().parse(…, format="nt")`` of the same file. Both variants are measured: with the
``mcg:SkillRequirement`` node of each occupation–skill link (the default) and without (``--lean`` only).
Each measurement runs in a fresh process, so its peak memory (max RSS) is its own.
Goal (issue 3): (a) at most 1.5× (b), and at least 10× faster than (c).
"""

from __future__ import annotations

import argparse
import shutil
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


def run_bulk(path: str, store_dir: str, named: bool) -> str:
    import pyoxigraph as ox

    store = ox.Store(store_dir)
    if named:
        store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH))
    else:
        store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES)
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


def variant(data: Path, work: Path, requirements: bool, repeat: int, rdflib: bool) -> list[Measurement]:
    """Rows: [bulk_load into the named graph (the baseline), bulk_load into the default graph, mcgraph, rdflib?]."""
    name = "with" if requirements else "without"
    mcg_runs, named_runs, default_runs = [], [], []
    nt = work / f"esco-{name}.nt"
    for i in range(repeat):
        store = work / f"mcg-{name}-{i}"
        mcg_runs.append(measure("mcgraph", run_mcgraph, str(data), str(store), requirements))
        if i == 0:
            triples = dump_nt(str(store), str(nt))
            print(f"  {name} requirement nodes: {triples:,} triples, N-Triples {nt.stat().st_size / 1e6:.0f} MB",
                  flush=True)
        shutil.rmtree(store)
        named_runs.append(measure("bulk", run_bulk, str(nt), str(work / f"named-{name}-{i}"), True))
        default_runs.append(measure("bulk", run_bulk, str(nt), str(work / f"default-{name}-{i}"), False))
        for folder in (f"named-{name}-{i}", f"default-{name}-{i}"):
            shutil.rmtree(work / folder)
        print(f"  run {i + 1}: mcgraph {mcg_runs[-1].seconds:.2f} s, bulk_load into the named graph "
              f"{named_runs[-1].seconds:.2f} s, into the default graph {default_runs[-1].seconds:.2f} s", flush=True)
    rows = [median(f"pyoxigraph bulk_load of the same N-Triples into the same named graph (baseline, {name} "
                   "requirement nodes)", named_runs),
            median("pyoxigraph bulk_load of the same N-Triples into the default graph", default_runs),
            median(f"mcgraph load esco v1.1.1 CSV ({name} requirement nodes)", mcg_runs)]
    if rdflib:
        rows.append(measure("rdflib Graph().parse of the same N-Triples (memory store)", run_rdflib, str(nt)))
    return rows


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
            rows = variant(data, Path(tmp), requirements, max(1, args.repeat),
                           rdflib=not args.skip_rdflib and requirements)
            named, default, mcg = rows[:3]
            print(table(rows, named))
            ratio = mcg.seconds / named.seconds
            line = (f"mcgraph takes {ratio:.2f}× the raw bulk load into the same named graph "
                    f"({'meets' if ratio <= 1.5 else 'misses'} the ≤ 1.5× goal) and "
                    f"{mcg.seconds / default.seconds:.2f}× a bulk load into the default graph")
            if len(rows) > 3:
                speedup = rows[3].seconds / mcg.seconds
                line += (f"; {speedup:.1f}× faster than rdflib ({'meets' if speedup >= 10 else 'misses'} the ≥ 10× "
                         f"goal; the raw bulk load itself is {rows[3].seconds / named.seconds:.1f}× faster than rdflib)")
            print(line + "\n", flush=True)


if __name__ == "__main__":
    main()
