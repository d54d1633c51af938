"""Stacking-path queries on full ESCO v1.1.1 + 10,000 synthetic credentials: mcgraph vs a plain-rdflib baseline.

    python bench/bench_paths.py                       # data from ../shared/data (or $MCGRAPH_SHARED_DATA)
    python bench/bench_paths.py --count 10000 --queries 200 --seed 1
    python bench/bench_paths.py --taxonomy slice      # without the ESCO download (the bundled taxonomy slice)
    python bench/bench_paths.py --store DIR           # keep the prepared store in DIR and reuse it next time
    python bench/bench_paths.py --store DIR --prepare-only   # prepare it only (outside the benchmark lock)

Setup (not timed against the goal): ``mcgraph build`` + the full ESCO v1.1.1 into a fresh on-disk store;
``generate_credentials`` (``mcgraph generate credentials``) writes N synthetic credentials — about 3 % awards, a
quarter of the rest stacking into an award of the same provider — loaded with ``load_source(…, "credentials")``;
the generator writes no pathways, so this script gives every synthetic award that others stack into a pathway
(the cheapest-to-name part is required, the others form a choose-2 group, plus a minimum of hours) and loads it as
RDF. Then, for the same ``--queries`` held credentials (drawn with ``--seed``) in the same run:

(a) ``mcgraph.paths(store, have=[c])`` for a synthetic credential that stacks into an award (every destination, cheapest completions by hours) — warm: the networkx
    stacking graph is cached per store state, and each call still checks the store state (one small query);
(a') the same with the stacking graph passed in (``paths(store, have=[c], graph=g)``): the computation alone;
(b) the same with the cache dropped before each call (every query re-reads the stacking data from the store),
    for the first ``--cold`` of the held credentials;
(c) baseline: plain rdflib — the catalogue and pathway triples whose predicate the computation reads
    (:data:`BASELINE_PREDICATES`; not ESCO, which it never touches) in an ``rdflib.Graph``, the same computation through rdflib's triple API: destinations
    by ``transitive_objects`` over ``mcg:stacksInto``, pathway rules and hours by triple lookups, the same
    enumeration of choices. Each answer's cheapest hours are checked equal to mcgraph's.

Goal (issue 9): a stacking-path query p50 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MCGRAPH_SHARED_DATA", REPO.parent / "shared" / "data"))
SYNTHETIC = "https://w3id.org/mcgraph/graph/bench/synthetic"
PATHWAYS = "https://w3id.org/mcgraph/graph/bench/synthetic-pathways"
MCG = "https://w3id.org/mcgraph/ontology#"
PW = "https://w3id.org/mcgraph/id/pathway/bench-"
#: What the baseline's computation reads: the rest of the catalogue is left out of its rdflib graph.
BASELINE_PREDICATES = {f"<{MCG}{name}>".encode() for name in (
    "stacksInto", "pathwayDestination", "requiredPart", "hasChoiceGroup", "option", "chooseAtLeast",
    "notionalHours", "minimumHours")}


def prepare(store, taxonomy: str, count: int, seed: int, tmp: Path) -> dict[str, float]:
    """Build, load ESCO, generate and load the synthetic catalogue and its pathways; seconds per step."""
    from mcgraph.build import build
    from mcgraph.credentials.generate import generate_credentials
    from mcgraph.credentials.table import write_csv
    from mcgraph.loading import load_source

    times = {}
    t = time.perf_counter()
    list(build(store))
    if taxonomy == "esco":
        load_source(store, "esco", SHARED / "esco" / "v1.1.1")
    times["build + taxonomy"] = time.perf_counter() - t
    t = time.perf_counter()
    csv_path = tmp / "synthetic.csv"
    write_csv(generate_credentials(store, count, seed), csv_path)
    load_source(store, "credentials", csv_path, graph=SYNTHETIC)
    times["generate + load credentials"] = time.perf_counter() - t
    t = time.perf_counter()
    ttl = tmp / "pathways.ttl"
    ttl.write_text(pathways_turtle(store), encoding="utf-8")
    load_source(store, "rdf", ttl, graph=PATHWAYS)
    times["pathways for the synthetic awards"] = time.perf_counter() - t
    return times


def pathways_turtle(store) -> str:
    """A pathway for every award others stack into that has none: one required part, a choose-2 group of the rest."""
    from mcgraph.analysis.stacking import build_stacking_graph

    graph = build_stacking_graph(store)
    into: dict[str, list[str]] = {}
    for source, target, kind in graph.graph.edges(data="kind"):
        if kind == "stacksInto" and target not in graph.by_destination:
            into.setdefault(target, []).append(source)
    lines = [f"@prefix mcg: <{MCG}> .", "@prefix dct: <http://purl.org/dc/terms/> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .", ""]
    n = 0
    for award, parts in sorted(into.items()):
        parts = sorted(set(parts))
        n += 1
        pw = f"<{PW}{n}>"
        lines.append(f'{pw} a mcg:Pathway ; mcg:pathwayDestination <{award}> ; dct:source "bench_paths.py" ;')
        lines.append(f"    mcg:requiredPart <{parts[0]}> ;")
        if len(parts) > 1:
            group = f"<{PW}{n}-group>"
            lines.append(f"    mcg:hasChoiceGroup {group} ;")
            lines.append('    mcg:minimumHours "20"^^xsd:decimal .')
            options = " , ".join(f"<{p}>" for p in parts[1:])
            lines.append(f"{group} a mcg:ChoiceGroup ; mcg:option {options} ; "
                         f"mcg:chooseAtLeast {min(2, len(parts) - 1)} .")
        else:
            lines[-1] = lines[-1].rstrip(" ;") + " ."
        lines.append("")
    return "\n".join(lines)


# -- (c) the plain-rdflib baseline --------------------------------------------------------------------------------


class RdflibPaths:
    """The same computation as mcgraph.paths (hours, every destination), on an rdflib Graph's triple API."""

    def __init__(self, graph) -> None:
        from rdflib import URIRef

        self.g = graph
        self.U = URIRef
        self.stacks = URIRef(MCG + "stacksInto")
        self.dest = URIRef(MCG + "pathwayDestination")
        self.req = URIRef(MCG + "requiredPart")
        self.has_group = URIRef(MCG + "hasChoiceGroup")
        self.option = URIRef(MCG + "option")
        self.choose = URIRef(MCG + "chooseAtLeast")
        self.hours = URIRef(MCG + "notionalHours")
        self.min_hours = URIRef(MCG + "minimumHours")

    def _hours(self, c) -> float:
        h = self.g.value(c, self.hours)
        return math.inf if h is None else float(h.toPython())

    def cost(self, credential, held: frozenset, visiting: tuple = ()) -> float:
        """Hours to obtain a credential not held: its pathway's cheapest completion, else its own hours."""
        if credential in visiting:
            return math.inf
        pathways = list(self.g.subjects(self.dest, credential))
        if not pathways:
            return self._hours(credential)
        return min(self.complete(pw, held, (*visiting, credential)) for pw in pathways)

    def complete(self, pw, held: frozenset, visiting: tuple = ()) -> float:
        total = 0.0
        counted: list = []
        for part in self.g.objects(pw, self.req):
            counted.append(part)
            if part not in held:
                total += self.cost(part, held, visiting)
        choices, pool = [], []
        for group in self.g.objects(pw, self.has_group):
            n = int(self.g.value(group, self.choose).toPython())
            options = list(self.g.objects(group, self.option))
            have = [o for o in options if o in held]
            counted += have
            need = max(0, n - len(have))
            candidates = sorted((self.cost(o, held, visiting), str(o), o) for o in options if o not in held)
            if len(candidates) < need:
                return math.inf
            pool += candidates
            choices.append(list(itertools.combinations(candidates, need)))
        minimum = self.g.value(pw, self.min_hours)
        spare = sorted(set(pool))
        best = math.inf
        for picked in itertools.product(*choices):
            chosen = [c for combo in picked for c in combo]
            hours = sum(self._hours(c) for c in counted) + sum(self._hours(c[2]) for c in chosen)
            cost = total + sum(c[0] for c in chosen)
            if minimum is not None and hours < float(minimum.toPython()):
                # short of the minimum: add further options of the groups, cheapest first (as mcgraph does)
                for extra in [c for c in spare if c not in chosen]:
                    hours += self._hours(extra[2])
                    cost += extra[0]
                    if hours >= float(minimum.toPython()):
                        break
                else:
                    continue
            best = min(best, cost)
        return best

    def paths(self, have: str) -> dict[str, float]:
        held = frozenset({self.U(have)})
        out = {}
        for dest in self.g.transitive_objects(self.U(have), self.stacks):
            if dest in held or not list(self.g.subjects(self.dest, dest)):
                continue
            out[str(dest)] = min(self.complete(pw, held, (dest,)) for pw in self.g.subjects(self.dest, dest))
        return out


def load_average() -> str:
    text = subprocess.run(["uptime"], capture_output=True, text=True).stdout
    return text.strip().split("load average:")[-1].strip()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", type=Path, help="prepare the store in this folder once and reuse it")
    parser.add_argument("--cold", type=int, default=30, help="how many of the queries to repeat without the cache")
    parser.add_argument("--prepare-only", action="store_true", help="prepare --store and stop")
    parser.add_argument("--taxonomy", choices=["esco", "slice"],
                        default="esco" if (SHARED / "esco" / "v1.1.1").is_dir() else "slice")
    args = parser.parse_args()

    import pyoxigraph as ox
    import rdflib

    from mcgraph.analysis import stacking
    from mcgraph.analysis.pathways import paths
    from mcgraph.store import EmbeddedStore

    print(f"# stacking paths — {machine()}; taxonomy: {args.taxonomy}; {args.count:,} synthetic credentials; "
          f"load average {load_average()}\n")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.store or Path(tmp) / "store"
        marker = folder / f"bench-paths-{args.taxonomy}-{args.count}-{args.seed}.ready"
        reuse = marker.exists()
        store = EmbeddedStore(folder)
        if reuse:
            print(f"- setup: reusing the store prepared in {folder}")
        else:
            for step, seconds in prepare(store, args.taxonomy, args.count, args.seed, Path(tmp)).items():
                print(f"- setup: {step}: {seconds:.1f} s")
            if args.store:
                marker.write_text("prepared by bench_paths.py\n")
        if args.prepare_only:
            store.close()
            return 0
        print(f"- store: {store.count():,} quads")
        from mcgraph.queries import run_query

        for name in ("store-state", "stacking-credentials", "stacking-levels", "stacking-credits", "stacking-edges",
                     "pathway-rules",
                     "level-links"):
            t = time.perf_counter()
            n = len(run_query(store, name))
            print(f"  - query {name}: {n:,} rows, {(time.perf_counter() - t) * 1000:.0f} ms")

        t = time.perf_counter()
        graph = stacking.stacking_graph(store)
        cold = time.perf_counter() - t
        starts = sorted(n for n in graph.graph if "/credential/syn-" in n and graph.graph.out_degree(n)
                        and any(d in graph.by_destination for d in graph.graph.successors(n)))
        rng = random.Random(args.seed)
        sample = rng.sample(starts, min(args.queries, len(starts)))
        print(f"- stacking graph: {graph.graph.number_of_nodes():,} credentials, "
              f"{graph.graph.number_of_edges():,} links, {len(graph.pathways):,} pathways, "
              f"{len(graph.cycles)} cycles; built in {cold * 1000:.0f} ms (cold: 6 queries + networkx)")
        print(f"- {len(sample)} held credentials drawn with seed {args.seed}\n")

        # (c) baseline data: the triples the computation reads (BASELINE_PREDICATES) of the catalogue and
        # pathway graphs, as N-Triples into rdflib (setup, timed apart)
        t = time.perf_counter()
        g = rdflib.Graph()
        kept = total = 0
        for name in (SYNTHETIC, PATHWAYS, "https://w3id.org/mcgraph/graph/catalog/sample",
                     "https://w3id.org/mcgraph/graph/catalog/pathways-catalogue",
                     "https://w3id.org/mcgraph/graph/catalog/pathways"):
            lines = (store.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=name) or b"").splitlines()
            wanted = [line for line in lines
                      if line.strip() and line.split(b" ", 2)[1] in BASELINE_PREDICATES]
            total += len(lines)
            kept += len(wanted)
            g.parse(data=b"\n".join(wanted).decode("utf-8"), format="nt")
        rdflib_load = time.perf_counter() - t
        baseline = RdflibPaths(g)
        print(f"- rdflib baseline graph: {len(g):,} triples (the {kept:,} of {total:,} catalogue and pathway "
              f"triples whose predicate the computation reads), parsed in {rdflib_load:.1f} s (setup)\n")

        warm, given, uncached, base, mismatches = [], [], [], [], 0
        for cred in sample:
            t = time.perf_counter()
            ours = paths(store, have=[cred])
            warm.append(time.perf_counter() - t)
            t = time.perf_counter()
            paths(store, have=[cred], graph=graph)
            given.append(time.perf_counter() - t)
            t = time.perf_counter()
            theirs = baseline.paths(cred)
            base.append(time.perf_counter() - t)
            got = {d.credential.iri: float(d.completions[0].hours) if d.completions and d.completions[0].hours
                   is not None else math.inf for d in ours.destinations if d.has_rules}
            expected = {k: v for k, v in theirs.items()}
            if got != expected:
                mismatches += 1
                if mismatches <= 3:
                    print(f"  differs for {cred}: mcgraph {got} rdflib {expected}")
        state = []
        for _ in sample:
            t = time.perf_counter()
            stacking.store_state(store)
            state.append(time.perf_counter() - t)
        for cred in sample[: args.cold]:
            stacking._CACHE.clear()
            t = time.perf_counter()
            paths(store, have=[cred])
            uncached.append(time.perf_counter() - t)

        def row(label: str, values: list[float], ref: list[float]) -> str:
            p50, p95 = percentile(values, 50) * 1000, percentile(values, 95) * 1000
            return (f"| {label} | {p50:.2f} | {p95:.2f} | {statistics.mean(values) * 1000:.2f} | "
                    f"{p50 / (percentile(ref, 50) * 1000):.2f} |")

        print("| what | p50 ms | p95 ms | mean ms | p50 × baseline |")
        print("|---|---:|---:|---:|---:|")
        print(row("(a) `mcgraph.paths(store, have=[c])`, warm (graph cached per store state)", warm, base))
        print(row("(a') the same with the graph passed in (`graph=`): no store-state check", given, base))
        print(row(f"(b) the same, cache dropped before each call ({len(uncached)} calls)", uncached, base))
        print(row("(c) baseline: plain rdflib, triple API, same computation", base, base))
        print(row("part of (a): the store-state check alone (one query of the metadata graph)", state, base))
        print(f"\nanswers equal to the baseline's (cheapest hours per destination): "
              f"{len(sample) - mismatches}/{len(sample)}")
        goal = percentile(warm, 50) * 1000 <= 50
        print(f"goal p50 ≤ 50 ms (warm): {'met' if goal else 'NOT met'}; load average {load_average()}")
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
