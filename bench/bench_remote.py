"""Named-query latency through :class:`~mcgraph.store.remote.RemoteStore` against the Oxigraph server, beside the
embedded store (the baseline) and a bare HTTP request to the same server.

Command: ``.venv/bin/python bench/bench_remote.py`` (defaults ``--rounds 30``; ``--store DIR`` uses a copy of an
existing store instead of a fresh ``mcgraph build``; ``--oxigraph PATH`` names the server binary).

One client, one query at a time, loopback: the seven named queries of ``bench_serve.py``'s workload (no
parameters: the same text everywhere) and four with bound parameters, each run ``--rounds`` times, the three ways
interleaved query by query (so load from other jobs falls on all alike). Answers are compared first. The rows:

1. the embedded store, ``NamedQuery.run`` (the baseline: what every command does by default);
2. ``RemoteStore``, ``NamedQuery.run`` with ``--endpoint`` (SPARQLWrapper, VALUES-bound parameters, JSON parsed into
   terms);
3. a bare ``GET /query`` to the same server with ``http.client`` (the engine and HTTP alone: what RemoteStore
   adds is row 2 minus row 3). Bound queries have no bare equivalent (the server cannot bind parameters).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine  # noqa: E402
from bench_serve import BOUND_QUERIES, SAME_QUERIES, get, oxigraph_binary, start_oxigraph, stop  # noqa: E402

from mcgraph.queries import get_query  # noqa: E402
from mcgraph.store import EmbeddedStore, QueryResult  # noqa: E402
from mcgraph.store.remote import RemoteStore  # noqa: E402


def rows(result: QueryResult) -> Counter[tuple[str, ...]]:
    return Counter(tuple("" if t is None else str(t) for t in row) for row in result.rows)


def summary(label: str, times: list[float], baseline: list[float] | None) -> str:
    ms = sorted(t * 1000 for t in times)
    p50, p99 = statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    if baseline is None:
        return f"| {label} | {len(ms):,} | {p50:.2f} | {p99:.2f} | 1.00 | 1.00 |"
    base = sorted(t * 1000 for t in baseline)
    b50, b99 = statistics.median(base), base[min(len(base) - 1, int(len(base) * 0.99))]
    return f"| {label} | {len(ms):,} | {p50:.2f} | {p99:.2f} | {p50 / b50:.2f} | {p99 / b99:.2f} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--store", type=Path, help="use a copy of this store (default: a fresh mcgraph build)")
    parser.add_argument("--oxigraph", help="the Oxigraph server binary (PyPI `oxigraph`)")
    args = parser.parse_args()
    binary = oxigraph_binary(args.oxigraph)
    with tempfile.TemporaryDirectory(prefix="mcgraph-bench-remote-") as tmp:
        store_dir, ox_dir = Path(tmp) / "store", Path(tmp) / "oxigraph-store"
        if args.store:
            shutil.copytree(args.store, store_dir)
        else:
            subprocess.run([sys.executable, "-m", "mcgraph", "--store", str(store_dir), "build"], check=True,
                           stdout=subprocess.DEVNULL)
        shutil.copytree(store_dir, ox_dir)
        version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
        proc, address = start_oxigraph(binary, ox_dir)
        try:
            embedded = EmbeddedStore(store_dir)
            remote = RemoteStore(f"http://{address}/query")
            plain = [(get_query(n), {}) for n in SAME_QUERIES]
            bound = [(get_query(n), p) for n, p in BOUND_QUERIES]
            for query, params in plain + bound:  # same answers first (and a warm-up)
                if rows(query.run(embedded, **params)) != rows(query.run(remote, **params)):
                    raise SystemExit(f"{query.name} {params}: different answers")
            times: dict[str, list[float]] = {k: [] for k in ("emb", "remote", "bare", "emb-b", "remote-b")}
            for _ in range(args.rounds):
                for query, params in plain:
                    path = "/query?" + urlencode({"query": query.text})
                    for key, call in (("emb", lambda: query.run(embedded)), ("remote", lambda: query.run(remote)),
                                      ("bare", lambda: get(address, path))):
                        started = time.perf_counter()
                        call()
                        times[key].append(time.perf_counter() - started)
                for query, params in bound:
                    for key, store in (("emb-b", embedded), ("remote-b", remote)):
                        started = time.perf_counter()
                        query.run(store, **params)
                        times[key].append(time.perf_counter() - started)
            embedded.close()
        finally:
            stop(proc)
    print(f"Machine: {machine()}; Oxigraph server {version}, loopback, one client; {args.rounds} rounds.\n")
    print("| what | calls | p50 ms | p99 ms | p50 × baseline | p99 × baseline |\n|---|---:|---:|---:|---:|---:|")
    print(summary("embedded store, 7 named queries (**baseline**)", times["emb"], None))
    print(summary("RemoteStore → Oxigraph server, same queries", times["remote"], times["emb"]))
    print(summary("bare `GET /query` → Oxigraph server, same texts", times["bare"], times["emb"]))
    print(summary("embedded store, 4 queries with bound parameters (**baseline**)", times["emb-b"], None))
    print(summary("RemoteStore → Oxigraph server, same (parameters in VALUES)", times["remote-b"], times["emb-b"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
