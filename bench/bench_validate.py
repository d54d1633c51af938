"""Validate synthetic credentials against every framework: the default engine beside pySHACL, same data and shapes.

    python bench/bench_validate.py                       # 10,000 credentials; pySHACL on a 100-credential subset
    python bench/bench_validate.py --count 10000 --subset 200
    python bench/bench_validate.py --workdir DIR --prepare-only   # make the stores once (not timed) …
    python bench/bench_validate.py --workdir DIR                  # … and reuse them

In one run:
1. a store is prepared (not timed): `mcgraph build` plus ``--count`` credentials from ``mcgraph generate
   credentials`` (seeded), loaded as one catalogue; a second store holds the first ``--subset`` rows of the same CSV;
2. ``mcgraph.validate(store, all_frameworks=True)`` with the default engine (SHACL compiled to set-based SPARQL on
   the store) on all credentials — core, limit and element shapes of all twelve frameworks;
3. the same with ``engine="pyshacl"`` (pySHACL on the focus extract, no inference, SPARQL texts parsed once) and
   with ``engine="pyshacl-plain"`` (pySHACL as usually called) on the subset: both are far too slow for 10,000, so
   their time is also given extrapolated linearly to the full store's credentials (the build's sample and pathway
   catalogues are in both stores; validation is per focus node, so it scales linearly; said in the table);
4. the default engine on the subset too, and a check that it gives exactly the results pySHACL gives there.

Each measurement runs in a fresh process (peak MB = that process's max RSS, opening the store included; seconds =
the whole process's work, opening the store included; the detail column gives the time inside ``validate`` alone).
The ratios of the pySHACL rows are against the default engine on the same subset, measured in the same run. The
load average is printed before and after (the machine may be shared).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import Measurement, machine, measure, table  # noqa: E402

GRAPH = "https://w3id.org/mcgraph/graph/bench/synthetic"


def prepare(store_dir: str, count: int, seed: int, csv_path: str) -> str:
    from mcgraph.build import build
    from mcgraph.credentials.generate import generate_credentials
    from mcgraph.credentials.table import write_csv
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        list(build(store))
        write_csv(generate_credentials(store, count, seed), Path(csv_path))
    return csv_path


def load(store_dir: str, csv_path: str) -> str:
    from mcgraph.build import build
    from mcgraph.loading import load_source
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        if not store.graph_records():
            list(build(store))
        report = load_source(store, "credentials", csv_path, graph=GRAPH)
    return f"{report.counts['credentials']:,} credentials, {report.triples:,} triples"


def subset(csv_path: str, out: str, n: int) -> None:
    with open(csv_path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows[: n + 1])


def run(store_dir: str, engine: str) -> tuple[str, list, int]:
    import mcgraph
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        start, cpu = time.perf_counter(), time.process_time()
        report = mcgraph.validate(store, all_frameworks=True, engine=engine)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        counts = report.counts()
        keys = sorted(report.keys(), key=str)
    return (f"{len(report.checked):,} credentials; {len(report.results):,} results ({counts['violation']:,} "
            f"violations, {counts['warning']:,} warnings, {counts['info']:,} notes); validate() {seconds:.2f} s wall, {cpu:.2f} s CPU", keys,
            len(report.checked))


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def stores(workdir: str, count: int, subset_n: int, seed: int) -> tuple[str, str]:
    """The full and subset stores in ``workdir``, prepared when missing (not timed; reused when present)."""
    full, small = str(Path(workdir) / f"full-{count}"), str(Path(workdir) / f"subset-{subset_n}-of-{count}")
    csv_full, csv_small = str(Path(workdir) / f"full-{count}.csv"), str(Path(workdir) / f"subset-{subset_n}.csv")
    if not Path(full + ".ready").exists():
        measure("prepare", prepare, full, count, seed, csv_full)
        print("full store:", measure("load", load, full, csv_full).detail)
        Path(full + ".ready").write_text("ok")
    if not Path(small + ".ready").exists():
        subset(csv_full, csv_small, subset_n)
        print("subset store:", measure("load", load, small, csv_small).detail)
        Path(small + ".ready").write_text("ok")
    return full, small


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--subset", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", help="keep the prepared stores here and reuse them (default: a temporary folder)")
    parser.add_argument("--prepare-only", action="store_true", help="prepare the stores in --workdir and stop")
    parser.add_argument("--no-plain", action="store_true", help="leave out plain pySHACL (the slowest row)")
    args = parser.parse_args()
    print(f"# validate {args.count:,} synthetic credentials against all frameworks — {machine()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        full, small = stores(args.workdir or tmp, args.count, args.subset, args.seed)
        if args.prepare_only:
            return 0
        print(f"before: {load_average()}\n", flush=True)

        def step(label: str, store_dir: str, engine: str) -> Measurement:
            m = measure(label, run, store_dir, engine)
            print(f"- {label}: {m.seconds:.2f} s, peak {m.peak_mb:.0f} MB — {m.detail[0]} ({load_average()})",
                  flush=True)
            return m

        fast = step(f"default engine (sparql), {args.count:,} credentials", full, "sparql")
        fast_small = step(f"default engine (sparql), {args.subset:,}-credential subset", small, "sparql")
        ref = step(f"pySHACL prepared (focus extract, no inference, queries parsed once), {args.subset:,}", small,
                   "pyshacl")
        others = [ref]
        if not args.no_plain:
            others.append(step(f"plain pySHACL (default options), {args.subset:,}", small, "pyshacl-plain"))
        print(f"\nafter: {load_average()}\n")
        scale = fast.detail[2] / fast_small.detail[2]  # credentials validated (the build's catalogues included)
        rows = [Measurement(m.label, m.seconds, m.peak_mb, m.detail[0]) for m in (fast, fast_small, *others)]
        for m in others:
            rows.append(Measurement(m.label.rsplit(",", 1)[0] + f", extrapolated ×{scale:.1f} to {fast.detail[2]:,}",
                                    m.seconds * scale, float("nan"), "linear extrapolation, not measured"))
        print(table(rows, rows[1]))
        print(f"\n(× baseline: against the default engine on the same {args.subset:,}-credential subset)")
        agree = all(m.detail[1] == fast_small.detail[1] for m in others)
        print(f"subset results identical across the engines: {agree} ({len(fast_small.detail[1]):,} results)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
