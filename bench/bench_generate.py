"""Generate synthetic credential catalogues and load them: time and peak memory, against a raw bulk-load baseline.

    python bench/bench_generate.py                          # 10,000 and 100,000 credentials
    python bench/bench_generate.py --counts 10000 --taxonomy slice
    python bench/bench_generate.py --prepare DIR            # only prepare the store (build + ESCO) in DIR
    python bench/bench_generate.py --store DIR              # reuse a store prepared that way
    python bench/bench_generate.py --store DIR --inputs IN  # and the catalogues (and their N-Triples) in IN

For each count, in one run:
1. ``mcgraph generate credentials`` (``generate_credentials`` → template CSV), timed;
2. ``load_source(store, "credentials", FILE.csv)`` into a copy of a prepared on-disk store (``mcgraph build`` plus,
   with ``--taxonomy esco``, the full ESCO v1.1.1 from ../shared/data, so every skill IRI is checked against
   13,896 skills) — parsing, checking and writing every row all or nothing;
3. the baseline: pyoxigraph's raw ``Store.bulk_load`` of exactly the same triples, written beforehand as
   N-Triples (outside the timing), into another copy of the same store.

Each measurement runs in a fresh process (peak memory = that process's max RSS).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine, measure, table  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MCGRAPH_SHARED_DATA", REPO.parent / "shared" / "data"))


def prepare(store_dir: str, taxonomy: str) -> str:
    from mcgraph.build import build
    from mcgraph.loading import load_source
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        list(build(store))
        if taxonomy == "esco":
            load_source(store, "esco", SHARED / "esco" / "v1.1.1")
        skills = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a mcg:Skill }").values("n")[0]
    return f"{skills} skills loaded"


def run_generate(store_dir: str, count: int, seed: int, out: str) -> str:
    from mcgraph.credentials.generate import generate_credentials
    from mcgraph.credentials.table import write_csv
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        write_csv(generate_credentials(store, count, seed), Path(out))
    return f"{Path(out).stat().st_size / 1e6:.1f} MB CSV"


def to_ntriples(store_dir: str, csv_path: str, nt_path: str) -> int:
    """The triples a load of ``csv_path`` writes, as N-Triples (for the baseline; not timed): the very text the
    catalogue reader hands the store, written out as it streams."""
    from mcgraph.credentials.model import catalogue_ntriples
    from mcgraph.credentials.resolve import Resolver
    from mcgraph.credentials.table import iter_checked
    from mcgraph.store import EmbeddedStore

    n = 0
    with EmbeddedStore(store_dir) as store, open(nt_path, "w", encoding="utf-8") as out:
        for block in catalogue_ntriples(iter_checked(Path(csv_path), Resolver(store))):
            out.write(block)
            n += block.count("\n")
    return n


def run_load(store_dir: str, csv_path: str) -> str:
    from mcgraph.loading import load_source
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        report = load_source(store, "credentials", csv_path, graph="https://w3id.org/mcgraph/graph/bench/synthetic")
    return f"{report.counts['credentials']:,} credentials, {report.triples:,} triples"


def run_bulk(store_dir: str, nt_path: str) -> str:
    import pyoxigraph as ox

    store = ox.Store(store_dir)
    store.bulk_load(path=nt_path, format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode("https://w3id.org/mcgraph/graph/bench/synthetic"))
    store.flush()
    return "raw bulk_load, no checks"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--taxonomy", choices=["esco", "slice"],
                        default="esco" if (SHARED / "esco" / "v1.1.1").is_dir() else "slice")
    parser.add_argument("--prepare", metavar="DIR", help="only prepare the store in DIR (build + taxonomy), then stop")
    parser.add_argument("--store", metavar="DIR", help="a store prepared with --prepare (copied, never changed)")
    parser.add_argument("--inputs", metavar="DIR",
                        help="keep the generated catalogues (syn-COUNT.csv) and their N-Triples in DIR and reuse them "
                             "when present (the generation row is then not measured)")
    args = parser.parse_args()
    if args.prepare:
        print(prepare(args.prepare, args.taxonomy))
        return 0
    print(f"# synthetic catalogue load — {machine()}; taxonomy: {args.taxonomy}; load average {load_average()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        base = str(Path(tmp) / "base")
        if args.store:
            shutil.copytree(args.store, base)
            print(f"copied the prepared store {Path(args.store).name}\n")
        else:
            prep = measure("prepare store (build + taxonomy)", prepare, base, args.taxonomy)
            print(f"prepared the store: {prep.detail} ({prep.seconds:.1f} s)\n")
        inputs = Path(args.inputs) if args.inputs else Path(tmp)
        inputs.mkdir(parents=True, exist_ok=True)
        for count in args.counts:
            csv_path, nt_path = str(inputs / f"syn-{count}.csv"), str(inputs / f"syn-{count}.nt")
            rows = []
            if not Path(csv_path).exists():
                rows.append(measure(f"generate {count:,} → CSV", run_generate, base, count, args.seed, csv_path))
            if not Path(nt_path).exists():
                to_ntriples(base, csv_path, nt_path)
            n = sum(1 for _ in open(nt_path, "rb"))
            copies = []
            for name in ("load", "bulk"):
                target = str(Path(tmp) / f"{name}-{count}")
                shutil.copytree(base, target)
                copies.append(target)
            baseline = measure(f"baseline: pyoxigraph bulk_load of the same {n:,} triples (N-Triples)", run_bulk,
                               copies[1], nt_path)
            load = measure(f"mcgraph load credentials ({count:,})", run_load, copies[0], csv_path)
            print(f"## {count:,} credentials\n")
            print(table([*rows, load, baseline], baseline))
            print(f"\nload average after the {count:,} rows: {load_average()}\n")
            for c in copies:
                shutil.rmtree(c, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
