"""The remote store against the embedded one: writing the sample graph and running the named query library.

Needs the engines of scripts/test-engines.sh (their URLs in the environment):

    scripts/test-engines.sh start /tmp/engines && . /tmp/engines/engines.env
    .venv/bin/python bench/bench_remote.py --repeat 3
    scripts/test-engines.sh stop /tmp/engines

Each figure is the median of the runs, measured in a fresh process; ratios are to the embedded store measured in
the same run (so the machine's load cancels out as far as it can). The engines' datasets are emptied first.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _harness import Measurement, machine, measure, table  # noqa: E402


def _store(engine: str):  # type: ignore[no-untyped-def]
    """A fresh store; an engine's is locked (as the tests lock it) until the process ends, and emptied."""
    from engine_support import ENGINES, locked_store
    from mcgraph.store import EmbeddedStore

    if engine == "embedded":
        return EmbeddedStore()
    return locked_store(ENGINES[engine], timeout=600)


def _sample_graphs() -> list[tuple[str, list[ox.Triple]]]:
    from mcgraph.build import build
    from mcgraph.namespaces import META_GRAPH
    from mcgraph.store import EmbeddedStore

    source = EmbeddedStore()
    list(build(source))
    graphs: dict[str, list[ox.Triple]] = {}
    for q in ox.parse(source.dump(fmt=ox.RdfFormat.N_QUADS) or b"", format=ox.RdfFormat.N_QUADS):
        if q.graph_name.value != str(META_GRAPH):  # type: ignore[union-attr]
            graphs.setdefault(q.graph_name.value, []).append(q.triple)  # type: ignore[union-attr]
    return sorted(graphs.items())


def write_sample(engine: str) -> str:
    """Every graph of the sample build written with write_graph (load record included); seconds of writing only."""
    from mcgraph.store import LoadRecord

    graphs = _sample_graphs()
    store = _store(engine)
    start = time.perf_counter()
    n = sum(store.write_graph(g, triples, LoadRecord(g, "bench")) for g, triples in graphs)
    seconds = time.perf_counter() - start
    return f"{n:,} triples in {len(graphs)} graphs, {seconds:.2f} s writing"


def run_library(engine: str) -> str:
    """Every case of the cross-engine test's query table, once, on the sample graph."""
    from engine_support import copy_dataset
    from mcgraph.build import build
    from mcgraph.queries import get_query
    from test_engines_queries import CASES

    store = _store(engine)
    if engine == "embedded":
        list(build(store))
    else:
        from mcgraph.store import EmbeddedStore

        source = EmbeddedStore()
        list(build(source))
        copy_dataset(source, store)
    start = time.perf_counter()
    rows = sum(len(get_query(name).run(store, **params).rows) for name, cases in CASES.items() for params in cases)
    seconds = time.perf_counter() - start
    return f"{sum(len(c) for c in CASES.values())} queries, {rows:,} rows, {seconds:.2f} s querying"


def _seconds(detail: str) -> float:
    return float(detail.rsplit(", ", 1)[1].split()[0])


def median_of(label: str, fn, engine: str, repeat: int) -> Measurement:  # type: ignore[no-untyped-def]
    runs = [measure(label, fn, engine) for _ in range(repeat)]
    times = [_seconds(m.detail) for m in runs]
    mid = sorted(runs, key=lambda m: _seconds(m.detail))[len(runs) // 2]
    return Measurement(label, statistics.median(times), mid.peak_mb,
                       f"{mid.detail}; runs {', '.join(f'{t:.2f}' for t in times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engines = ["embedded", "oxigraph-server", "virtuoso"]
    print(f"Machine: {machine()}\n")
    for title, fn in [("Writing the sample graph (write_graph per graph)", write_sample),
                      ("The named query library on the sample graph", run_library)]:
        rows = [median_of(f"{e}{' (**baseline**)' if e == 'embedded' else ''}", fn, e, args.repeat) for e in engines]
        print(f"### {title}\n\n{table(rows, rows[0])}\n")


if __name__ == "__main__":
    main()
