"""Load test of ``mcgraph serve`` beside Oxigraph's own server (PyPI ``oxigraph``) on a copy of the same store.

Command: ``.venv/bin/python bench/bench_serve.py`` (defaults: ``--requests 10000 --clients 8``; ``--store DIR``
serves a copy of an existing store instead of a fresh ``mcgraph build``; ``--oxigraph PATH`` names the server
binary, found beside the Python interpreter or on PATH otherwise).

Everything is on loopback, with ports picked by the OS, and bounded: each target gets exactly ``--requests``
requests (from 8 client processes with keep-alive connections), a round gives up after ``--deadline`` seconds,
and both servers are stopped at the end whatever happens. The targets:

1. Oxigraph server, ``GET /query?query=TEXT`` of each named query (the baseline);
2. ``mcgraph serve``, the same texts at ``/query``;
3. ``mcgraph serve``, the same queries by name at ``/queries/NAME``;
4. ``mcgraph serve``, named queries with bound parameters (``/queries/label-search?text=…``), which Oxigraph's
   server cannot bind (no baseline).

The requests are split into ``--rounds`` interleaved rounds (1, 2, 3, 4, 1, 2, 3, 4, …) so that load from
other jobs on a shared machine falls on every target alike.

The workload is the named queries whose parameters are all optional without default, sent without them, so
the Oxigraph server runs the very same query (with ``--union-default-graph``, as the store queries). Before
the load, every query's answer is compared across the servers.

``--designs`` instead compares the ways ``mcgraph serve`` could be built, on ``/query`` (same texts, and the
near-empty query of ``bench/serve_tiny.rq`` that shows the cost per request): Oxigraph's server alone (baseline);
the Starlette app as shipped (queries in a thread pool); the same app running queries on the event loop; and a
Starlette proxy in front of Oxigraph's server (httpx), the least a "Python app in front of Oxigraph" adds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine  # noqa: E402

from mcgraph.queries import get_query  # noqa: E402

SAME_QUERIES = ["ontology-classes", "credit-systems", "frameworks-overview", "qualification-frameworks",
                "framework-limits", "crosswalk-links", "catalogue-overview"]
"""Named queries without required parameters or defaults: identical text on both servers."""

BOUND_QUERIES = [("label-search", {"text": "data"}), ("ontology-classes", {"text": "credential"}),
                 ("framework-limits", {"short": "ecmf"}), ("catalogue-overview", {"jurisdiction": "IE"})]
"""Named queries with parameters bound by mcgraph (no Oxigraph equivalent)."""

ACCEPT = "application/sparql-results+json"


# -- servers ---------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_mcgraph(store: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "mcgraph", "--store", str(store), "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    if "http://" not in line:
        proc.kill()
        raise SystemExit(f"mcgraph serve did not start: {line}{proc.stderr.read() if proc.stderr else ''}")
    return proc, line.split("http://", 1)[1].split("/", 1)[0]


def oxigraph_binary(given: str | None) -> str:
    candidates = [given] if given else [str(Path(sys.executable).with_name("oxigraph")), shutil.which("oxigraph")]
    for c in candidates:
        if c and Path(c).is_file():
            return c
    raise SystemExit("no Oxigraph server binary: `pip install oxigraph` (or pass --oxigraph PATH)")


def start_oxigraph(binary: str, store: Path) -> tuple[subprocess.Popen[str], str]:
    address = f"127.0.0.1:{free_port()}"
    proc = subprocess.Popen([binary, "serve-read-only", "--location", str(store), "--bind", address,
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = get(address, "/query?" + urlencode({"query": "ASK {}"}))
            if status == 200:
                return proc, address
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"the Oxigraph server did not start: {proc.stderr.read() if proc.stderr else ''}")


def stop(proc: subprocess.Popen[str]) -> int | None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            return proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return None
    return proc.returncode


def get(address: str, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(address, timeout=60)
    try:
        conn.request("GET", path, headers={"Accept": ACCEPT})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# -- load ------------------------------------------------------------------------------------------------
def _client(address: str, paths: list[str], indices: range, go: mp.Event, deadline: float,
            out: mp.Queue) -> None:
    conn = http.client.HTTPConnection(address, timeout=60)
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    go.wait()
    for i in indices:
        if time.time() > deadline:
            errors["deadline passed"] += 1
            continue
        started = time.perf_counter()
        try:
            conn.request("GET", paths[i % len(paths)], headers={"Accept": ACCEPT})
            response = conn.getresponse()
            body = response.read()
            if response.status != 200 or not body:
                errors[f"HTTP {response.status}"] += 1
        except (OSError, http.client.HTTPException) as exc:
            errors[type(exc).__name__] += 1
            conn.close()
            conn = http.client.HTTPConnection(address, timeout=60)
        latencies.append(time.perf_counter() - started)
    conn.close()
    out.put((latencies, dict(errors)))


def load(address: str, paths: list[str], requests: int, clients: int, deadline_s: float) -> dict[str, object]:
    """``requests`` GETs spread over ``clients`` processes; latency percentiles, throughput and errors."""
    ctx = mp.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    deadline = time.time() + deadline_s
    procs = [ctx.Process(target=_client, args=(address, paths, range(k, requests, clients), go, deadline, out))
             for k in range(clients)]
    for p in procs:
        p.start()
    time.sleep(0.5)
    started = time.perf_counter()
    go.set()
    results = [out.get() for _ in procs]
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join()
    latencies = sorted(x for lat, _ in results for x in lat)
    errors: Counter[str] = Counter()
    for _, e in results:
        errors.update(e)
    return {"latencies": latencies, "seconds": elapsed, "errors": dict(errors)}


def merge(chunks: list[dict[str, object]]) -> dict[str, object]:
    """The rounds of one target together: requests, errors, requests/s over the time spent, p50 and p99."""
    latencies = sorted(x for c in chunks for x in c["latencies"])  # type: ignore[attr-defined]
    seconds = sum(float(c["seconds"]) for c in chunks)  # type: ignore[arg-type]
    errors: Counter[str] = Counter()
    for c in chunks:
        errors.update(c["errors"])  # type: ignore[arg-type]
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "seconds": seconds, "rps": len(latencies) / seconds,
            "p50": q[49] * 1000, "p99": q[98] * 1000, "errors": sum(errors.values()), "kinds": dict(errors)}


# -- answers ---------------------------------------------------------------------------------------------
def rows(body: bytes, keep: list[str] | None = None) -> Counter[tuple[tuple[str, str], ...]]:
    data = json.loads(body)
    names = keep if keep is not None else data["head"]["vars"]
    return Counter(tuple((v, b[v]["value"]) for v in names if v in b) for b in data["results"]["bindings"])


def compare(mc: str, ox: str) -> list[str]:
    """Each SAME_QUERIES answer from the Oxigraph server, mcgraph /query and mcgraph /queries/NAME."""
    lines = []
    for name in SAME_QUERIES:
        text = get_query(name).text
        s1, ox_body = get(ox, "/query?" + urlencode({"query": text}))
        s2, mq_body = get(mc, "/query?" + urlencode({"query": text}))
        s3, named_body = get(mc, f"/queries/{name}")
        if (s1, s2, s3) != (200, 200, 200):
            raise SystemExit(f"{name}: HTTP {s1} (Oxigraph) {s2} (/query) {s3} (/queries)")
        named_vars = json.loads(named_body)["head"]["vars"]
        same = rows(ox_body) == rows(mq_body) and rows(ox_body, named_vars) == rows(named_body)
        if not same:
            raise SystemExit(f"{name}: the answers differ between the Oxigraph server and mcgraph serve")
        lines.append(f"{name} {sum(rows(ox_body).values())} rows")
    return lines


def table(runs: list[tuple[str, dict[str, object]]], baseline: dict[str, object]) -> str:
    out = ["| what | requests | errors | req/s | p50 ms | p99 ms | p50 × baseline | p99 × baseline |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, r in runs:
        out.append(f"| {label} | {r['requests']:,} | {r['errors']} | {r['rps']:,.0f} | {r['p50']:.1f} | "
                   f"{r['p99']:.1f} | {r['p50'] / baseline['p50']:.2f} | {r['p99'] / baseline['p99']:.2f} |")
    return "\n".join(out)


# -- design comparison -----------------------------------------------------------------------------------
def run_variant(variant: str, store: Path, port: int, upstream: str) -> None:
    """Serve one design on ``port`` (runs in a child process until killed)."""
    import uvicorn

    import mcgraph.serve.library as library
    import mcgraph.serve.sparql as sparql
    from mcgraph.serve.app import create_app
    from mcgraph.store import EmbeddedStore

    if variant == "inline":
        async def direct(fn, *args):  # type: ignore[no-untyped-def]
            return fn(*args)

        sparql.run_in_threadpool = direct  # type: ignore[assignment]
        library.run_in_threadpool = direct  # type: ignore[assignment]
    if variant == "proxy":
        import httpx
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Route

        client = httpx.AsyncClient(base_url=f"http://{upstream}", timeout=60,
                                   limits=httpx.Limits(max_connections=64, max_keepalive_connections=64))

        async def forward(request: Request) -> Response:
            answer = await client.get("/query", params=request.query_params,
                                      headers={"accept": request.headers.get("accept", "*/*")})
            return Response(answer.content, status_code=answer.status_code,
                            media_type=answer.headers.get("content-type"))

        app = Starlette(routes=[Route("/query", forward)])
    else:
        app = create_app(EmbeddedStore(store))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def start_variant(variant: str, store: Path, upstream: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--run-variant", variant, "--store", str(store),
                             "--port", str(port), "--upstream", upstream], text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(f"127.0.0.1:{port}", "/query?" + urlencode({"query": TINY}))[0] == 200:
                return proc, f"127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"design {variant!r} did not start")


TINY = (Path(__file__).resolve().parent / "serve_tiny.rq").read_text(encoding="utf-8")


def designs(args: argparse.Namespace, binary: str, version: str, tmp: Path, store: Path) -> int:
    stores = {v: shutil.copytree(store, tmp / v) for v in ("oxigraph", "threadpool", "inline")}
    procs: list[subprocess.Popen[str]] = []
    try:
        ox_proc, ox = start_oxigraph(binary, stores["oxigraph"])
        procs.append(ox_proc)
        targets = {f"Oxigraph server {version} (**baseline**)": ox}
        for label, variant, where in (("Starlette + uvicorn, queries in a thread pool (**shipped**)", "threadpool",
                                       stores["threadpool"]),
                                      ("Starlette + uvicorn, queries on the event loop", "inline", stores["inline"]),
                                      ("Starlette proxy (httpx) in front of the Oxigraph server", "proxy", tmp / "none")):
            proc, address = start_variant(variant, where, ox)
            procs.append(proc)
            targets[label] = address
        texts = ["/query?" + urlencode({"query": get_query(n).text}) for n in SAME_QUERIES]
        tiny = ["/query?" + urlencode({"query": TINY})]
        print(f"Machine: {machine()}; {args.requests:,} requests per design and workload, {args.clients} client "
              f"processes, keep-alive, loopback, {args.rounds} interleaved rounds.\n")
        for workload, paths in (("near-empty ASK (`bench/serve_tiny.rq`)", tiny), ("named-query texts", texts)):
            for address in targets.values():
                load(address, paths, min(400, args.requests), args.clients, args.deadline)
            chunks: dict[str, list[dict[str, object]]] = {label: [] for label in targets}
            for round_no in range(args.rounds):
                for label, address in targets.items():
                    share = args.requests // args.rounds + (round_no < args.requests % args.rounds)
                    chunks[label].append(load(address, paths, share, args.clients, args.deadline))
            runs = [(label, merge(chunks[label])) for label in targets]
            print(f"Workload: {workload}\n")
            print(table(runs, runs[0][1]) + "\n", flush=True)
    finally:
        for proc in procs:
            stop(proc)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--store", type=Path, help="serve a copy of this store (default: a fresh mcgraph build)")
    parser.add_argument("--oxigraph", help="the Oxigraph server binary (PyPI `oxigraph`)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds the requests are split into")
    parser.add_argument("--deadline", type=float, default=600, help="seconds one round of one target may take")
    parser.add_argument("--designs", action="store_true", help="compare ways of building the server instead")
    parser.add_argument("--run-variant", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--upstream", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_variant:
        run_variant(args.run_variant, args.store, args.port, args.upstream)
        return 0
    binary = oxigraph_binary(args.oxigraph)
    with tempfile.TemporaryDirectory(prefix="mcgraph-bench-serve-") as tmp:
        store, ox_store = Path(tmp) / "store", Path(tmp) / "oxigraph-store"
        if args.store:
            shutil.copytree(args.store, store)
        else:
            subprocess.run([sys.executable, "-m", "mcgraph", "--store", str(store), "build"], check=True,
                           stdout=subprocess.DEVNULL)
        version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
        if args.designs:
            return designs(args, binary, version, Path(tmp), store)
        shutil.copytree(store, ox_store)
        mc_proc, mc = start_mcgraph(store)
        ox_proc, ox = None, ""
        try:
            ox_proc, ox = start_oxigraph(binary, ox_store)
            checked = compare(mc, ox)
            texts = ["/query?" + urlencode({"query": get_query(n).text}) for n in SAME_QUERIES]
            named = [f"/queries/{n}" for n in SAME_QUERIES]
            bound = [f"/queries/{n}?{urlencode(p)}" for n, p in BOUND_QUERIES]
            for address, paths in ((ox, texts), (mc, texts), (mc, named), (mc, bound)):
                load(address, paths, min(400, args.requests), args.clients, args.deadline)  # warm-up
            plan = [(f"Oxigraph server {version} `/query` (**baseline**)", ox, texts),
                    ("`mcgraph serve` `/query`, same texts", mc, texts),
                    ("`mcgraph serve` `/queries/NAME`, same queries", mc, named),
                    ("`mcgraph serve` `/queries/NAME?param=…` (bound; no baseline)", mc, bound)]
            # interleaved rounds, so that load from other jobs on a shared machine falls on every target alike
            chunks: dict[str, list[dict[str, object]]] = {label: [] for label, _, _ in plan}
            for round_no in range(args.rounds):
                for label, address, paths in plan:
                    share = args.requests // args.rounds + (round_no < args.requests % args.rounds)
                    chunks[label].append(load(address, paths, share, args.clients, args.deadline))
                print(f"round {round_no + 1}/{args.rounds} done", file=sys.stderr)
            runs = [(label, merge(chunks[label])) for label, _, _ in plan]
        finally:
            mc_code = stop(mc_proc)
            if ox_proc is not None:
                stop(ox_proc)
    baseline = runs[0][1]
    print(f"Machine: {machine()}; {args.requests:,} requests per run, {args.clients} client processes, "
          f"keep-alive, loopback. Answers checked equal first: {', '.join(checked)}.\n")
    print(table(runs, baseline))
    print(f"\nmcgraph serve exit code after SIGINT: {mc_code}")
    failed = sum(int(r["errors"]) for _, r in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
