"""``mcgraph generate``: synthetic data for benchmarks (``mcgraph generate credentials``)."""

from __future__ import annotations

import time
from pathlib import Path

import click
import pyoxigraph as ox

from ..credentials.generate import generate_credentials
from ..credentials.model import catalogue_triples
from ..credentials.table import write_csv, write_yaml
from ..namespaces import PREFIXES
from .app import AppContext, cli, err_console, pass_app


@cli.group()
def generate() -> None:
    """Generate synthetic data (for benchmarks and demos)."""


@generate.command("credentials")
@click.option("--count", "-n", type=click.IntRange(min=0), default=1000, show_default=True,
              help="How many credentials.")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="Random seed: same seed, same catalogue.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write (.csv, .yaml or .ttl).")
@click.option("--format", "fmt", type=click.Choice(["csv", "yaml", "ttl"]),
              help="Output format (default: from the file suffix, else csv).")
@pass_app
def credentials(app: AppContext, count: int, seed: int, output: Path, fmt: str | None) -> None:
    """A synthetic micro-credential catalogue drawing skills, levels and credit systems from the store.

    \b
    mcgraph build
    mcgraph generate credentials --count 100000 --seed 1 -o synthetic.csv
    mcgraph load credentials synthetic.csv
    """
    fmt = fmt or {".yaml": "yaml", ".yml": "yaml", ".ttl": "ttl"}.get(output.suffix.lower(), "csv")
    started = time.perf_counter()
    creds = generate_credentials(app.store, count, seed)
    if fmt == "csv":
        write_csv(creds, output)
    elif fmt == "yaml":
        write_yaml(creds, output)
    else:
        ox.serialize(catalogue_triples(creds), output=str(output), format=ox.RdfFormat.TURTLE,
                     prefixes={k: PREFIXES[k] for k in ("mcg", "dct", "xsd", "skos", "rdfs")})
    err_console.print(f"wrote {count:,} synthetic credentials to {output} in {time.perf_counter() - started:.1f} s")
