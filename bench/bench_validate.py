"""Validate synthetic credentials against every framework: the default engine beside pySHACL, same data and shapes.

    python bench/bench_validate.py                       # 10,000 credentials; pySHACL on a 100-credential subset
    python bench/bench_validate.py --count 10000 --subset 200

In one run:
1. a store is prepared (not timed): `mcgraph build` plus ``--count`` credentials from ``mcgraph generate
   credentials`` (seeded), loaded as one catalogue; a second store holds the first ``--subset`` rows of the same CSV;
2. ``mcgraph.validate(store, all_frameworks=True)`` with the default engine (SHACL compiled to set-based SPARQL on
   the store) on all credentials — core, limit and element shapes of all twelve frameworks;
3. the same with ``engine="pyshacl"`` (pySHACL on the focus extract, no inference, SPARQL texts parsed once) and
   with ``engine="pyshacl-plain"`` (pySHACL as usually called) on the subset: both are far too slow for 10,000, so
   their time is also given extrapolated linearly to ``--count`` (validation is per focus node, so it scales
   linearly; said in the table);
4. the default engine on the subset too, and a check that it gives exactly the results pySHACL gives there.

Each measurement runs in a fresh process (peak MB = that process's max RSS, opening the store included).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
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


def run(store_dir: str, engine: str) -> tuple[str, list]:
    import mcgraph
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        report = mcgraph.validate(store, all_frameworks=True, engine=engine)
        counts = report.counts()
        keys = sorted(report.keys(), key=str)
    return (f"{len(report.checked):,} credentials; {counts['violation']:,} violations, {counts['warning']:,} "
            f"warnings, {counts['info']:,} notes", keys)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--subset", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"# validate {args.count:,} synthetic credentials against all frameworks — {machine()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        full, small = str(Path(tmp) / "full"), str(Path(tmp) / "small")
        csv_full, csv_small = str(Path(tmp) / "full.csv"), str(Path(tmp) / "small.csv")
        measure("prepare", prepare, full, args.count, args.seed, csv_full)
        subset(csv_full, csv_small, args.subset)
        print("full store:", measure("load", load, full, csv_full).detail)
        print("subset store:", measure("load", load, small, csv_small).detail, "\n")
        fast = measure(f"default engine (sparql), {args.count:,} credentials", run, full, "sparql")
        fast_small = measure(f"default engine (sparql), {args.subset:,}-credential subset", run, small, "sparql")
        ref = measure(f"pySHACL prepared (focus extract, no inference, queries parsed once), {args.subset:,}",
                      run, small, "pyshacl")
        plain = measure(f"plain pySHACL (default options), {args.subset:,}", run, small, "pyshacl-plain")
        scale = args.count / args.subset
        rows = [Measurement(m.label, m.seconds, m.peak_mb, m.detail[0]) for m in (fast, fast_small, ref, plain)]
        for m in (ref, plain):
            rows.append(Measurement(m.label.rsplit(",", 1)[0] + f", extrapolated ×{scale:g} to {args.count:,}",
                                    m.seconds * scale, float("nan"), "linear extrapolation, not measured"))
        baseline = rows[-1]
        print(table(rows, baseline))
        agree = fast_small.detail[1] == ref.detail[1] == plain.detail[1]
        print(f"\nsubset results identical across the three engines: {agree} ({len(ref.detail[1]):,} results)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
