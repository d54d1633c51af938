"""Load one RDF file three ways in one run: ``mcgraph load`` vs pyoxigraph raw bulk_load vs rdflib.

    python bench/bench_load.py                      # a synthetic 1,000,000-triple N-Triples file
    python bench/bench_load.py --triples 200000
    python bench/bench_load.py --file some.ttl      # any N-Triples / Turtle file
    python bench/bench_load.py --replace --triples 200000   # load --replace beside a fresh load

The baseline is pyoxigraph's raw ``Store.bulk_load`` of the same file into a fresh on-disk store. With
``--replace`` the baseline is ``mcgraph load`` of the file into an empty store, beside ``mcgraph load --replace``
of the same file, of a file sharing 90% of its triples, and of an entirely different file of the same size over
that graph, and beside the replace mcgraph used before (bulk-load a staging graph, then one SPARQL
``DROP … ; MOVE …`` update), done with raw pyoxigraph.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine, measure, table  # noqa: E402


def synthetic(path: Path, n: int, seed: int = 1) -> None:
    """An N-Triples file shaped like a taxonomy: concepts with labels, types, schemes and broader links."""
    rng = random.Random(seed)
    base = "https://example.org/skill/"
    with path.open("w", encoding="utf-8") as fh:
        i = 0
        while i < n:
            c = f"<{base}{i // 5}>"
            k = i % 5
            if k == 0:
                fh.write(f"{c} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2004/02/skos/core#Concept> .\n")
            elif k == 1:
                fh.write(f'{c} <http://www.w3.org/2004/02/skos/core#prefLabel> "skill number {i // 5}"@en .\n')
            elif k == 2:
                fh.write(f'{c} <http://www.w3.org/2004/02/skos/core#altLabel> "alt label {rng.random():.6f}"@en .\n')
            elif k == 3:
                fh.write(f"{c} <http://www.w3.org/2004/02/skos/core#inScheme> <{base}scheme> .\n")
            else:
                fh.write(f"{c} <http://www.w3.org/2004/02/skos/core#broader> <{base}{rng.randrange(max(1, i // 5))}> .\n")
            i += 1


def run_mcgraph(path: str, store_dir: str) -> str:
    from mcgraph.loading import load_source
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        report = load_source(store, "rdf", path, graph="https://w3id.org/mcgraph/graph/bench")
    return f"{report.triples:,} triples"


def run_bulk(path: str, store_dir: str) -> str:
    import pyoxigraph as ox

    store = ox.Store(store_dir)
    store.bulk_load(path=path, to_graph=ox.NamedNode("https://w3id.org/mcgraph/graph/bench"))
    store.flush()
    return f"{len(store):,} quads"


GRAPH = "https://w3id.org/mcgraph/graph/bench"


def run_replace(path: str, store_dir: str) -> str:
    from mcgraph.loading import load_source
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        report = load_source(store, "rdf", path, graph=GRAPH, replace=True)
    return f"{report.triples:,} triples"


def run_staging_move(path: str, store_dir: str) -> str:
    """The replace of earlier versions: bulk-load a staging graph, then swap it in with one SPARQL update."""
    import pyoxigraph as ox

    store = ox.Store(store_dir)
    staged, target = ox.NamedNode(GRAPH + "-staging"), ox.NamedNode(GRAPH)
    store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=staged)
    store.update(f"DROP SILENT GRAPH {target} ; MOVE SILENT {staged} TO {target}")
    store.flush()
    return f"{len(store):,} quads"


def changed(source: Path, target: Path, share: float) -> None:
    """A copy of ``source`` keeping the first ``share`` of its lines and rewriting the rest (other subjects)."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    keep = int(len(lines) * share)
    target.write_text("".join(lines[:keep]) + "".join(line.replace("/skill/", "/other/", 1) for line in lines[keep:]),
                      encoding="utf-8")


def replace_comparison(path: Path, work: Path) -> None:
    """``mcgraph load --replace`` beside a fresh load of the same file (each over a store holding the graph)."""
    similar, different = work / "similar.nt", work / "different.nt"
    changed(path, similar, 0.9)
    changed(path, different, 0.0)
    fresh = measure("mcgraph load into an empty store (baseline)", run_mcgraph, str(path), str(work / "fresh"))
    rows = [fresh]
    for label, new, fn in (("mcgraph load --replace, same file", path, run_replace),
                           ("mcgraph load --replace, 10% of triples changed", similar, run_replace),
                           ("mcgraph load --replace, every triple changed", different, run_replace),
                           ("earlier replace: staging graph + SPARQL DROP/MOVE, every triple changed", different,
                            run_staging_move)):
        store_dir = work / f"replace-{len(rows)}"
        measure("(setup: the graph to replace)", run_mcgraph, str(path), str(store_dir))  # not in the table
        rows.append(measure(label, fn, str(new), str(store_dir)))
    print(table(rows, fresh))


def run_rdflib(path: str) -> str:
    import rdflib

    g = rdflib.Graph()
    g.parse(path, format="nt" if path.endswith(".nt") else None)
    return f"{len(g):,} triples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, help="RDF file to load (default: a synthetic N-Triples file)")
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic file")
    parser.add_argument("--skip-rdflib", action="store_true", help="leave out the (slow) rdflib baseline")
    parser.add_argument("--replace", action="store_true", help="measure load --replace beside a fresh load")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = args.file
        if path is None:
            path = work / "synthetic.nt"
            synthetic(path, args.triples)
        print(f"file: {path.name} ({path.stat().st_size / 1e6:.1f} MB); machine: {machine()}", flush=True)
        if args.replace:
            replace_comparison(path, work)
            return
        bulk = measure("pyoxigraph bulk_load (baseline)", run_bulk, str(path), str(work / "bulk"))
        rows = [bulk, measure("mcgraph load (transactional, with load record)", run_mcgraph, str(path), str(work / "mcg"))]
        if not args.skip_rdflib:
            rows.append(measure("rdflib Graph().parse (memory store)", run_rdflib, str(path)))
        print(table(rows, bulk))
        mcg = rows[1]
        if not args.skip_rdflib:
            print(f"\nmcgraph load is {rows[2].seconds / mcg.seconds:.1f}× faster than rdflib and takes "
                  f"{mcg.seconds / bulk.seconds:.2f}× the raw bulk load.")


if __name__ == "__main__":
    main()
