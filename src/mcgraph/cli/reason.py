"""Reasoning commands: ``mcgraph reason classify | materialise | check``.

\b
mcgraph reason classify             credentials into the ontology's defined classes (owlready2 + HermiT)
mcgraph reason materialise          inverses, sub-properties, skos:broader closure -> graph/inferred/closure
mcgraph reason check                contradictions with the ontology, with the individuals (exit 1 if any)
mcgraph reason drop classes         drop an inferred graph (classes, closure or all); rerun to rebuild it
"""

from __future__ import annotations

import json
import sys

import click
from rich.table import Table

from ..reasoning import DEFINED_CLASSES, check_consistency, classify, materialise
from ..reasoning.classify import DEFAULT_BATCH
from ..reasoning.inferred import INFERRED_GRAPHS, drop_inferred
from ..reasoning.materialise import ENGINES
from .app import EXIT_PROBLEMS, AppContext, cli, console, pass_app


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@cli.group()
def reason() -> None:
    """OWL reasoning: classify credentials, materialise inferences, check consistency."""


@reason.command("classify")
@click.option("--batch-size", type=click.IntRange(1), default=DEFAULT_BATCH, show_default=True,
              help="Credential profiles per reasoner run (each run sees the ontology module, the levels and one "
                   "credential per profile).")
@click.option("--dry-run", is_flag=True, help="Classify and print, but write nothing to the store.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_app
def classify_command(app: AppContext, batch_size: int, dry_run: bool, fmt: str) -> None:
    """Put the loaded credentials into the defined classes (stackable, credit-bearing, EQF 6+, industry-aligned,
    fully described under the Australian CIS); the inferred types go to graph/inferred/classes."""
    result = classify(app.store, batch_size=batch_size, write=not dry_run)
    if fmt == "json":
        json.dump({"credentials": result.credentials, "profiles": result.profiles, "batches": result.batches,
                   "seconds": round(result.seconds, 3),
                   "classes": {c: sorted(result.members[c]) for c in DEFINED_CLASSES}}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    table = Table(title=f"{result.credentials} credentials classified in {result.seconds:.1f} s "
                        f"({result.profiles:,} profiles, {result.batches} reasoner run(s), "
                        f"{result.extract_triples:,} triples in the extract)")
    table.add_column("defined class")
    table.add_column("credentials", justify="right")
    for cls in DEFINED_CLASSES:
        table.add_row(_short(cls), f"{len(result.members[cls]):,}")
    console.print(table)
    if not dry_run:
        console.print(f"wrote {result.written:,} triples to graph inferred/classes")


@reason.command("materialise")
@click.option("--engine", type=click.Choice(ENGINES), default="sparql", show_default=True,
              help="sparql: CONSTRUCT rules on the store (fast); owlrl: the owlrl package's OWL RL closure.")
@pass_app
def materialise_command(app: AppContext, engine: str) -> None:
    """Write inverses, sub-properties and the transitive skos:broader closure to graph/inferred/closure."""
    result = materialise(app.store, engine=engine)
    for rule, count in result.per_rule.items():
        console.print(f"{rule}: {count:,} triples")
    console.print(f"wrote {result.written:,} new triples to graph inferred/closure in {result.seconds:.1f} s "
                  f"({engine})")


@reason.command("check")
@click.option("--no-hermit", is_flag=True, help="Only the SPARQL checks (no Java needed).")
@pass_app
def check_command(app: AppContext, no_hermit: bool) -> None:
    """Report contradictions between the data and the ontology, naming the individuals; exit 1 when any."""
    report = check_consistency(app.store, use_hermit=not no_hermit)
    if report.consistent:
        verdict = "consistent" + ("" if no_hermit else " (HermiT agrees)")
        console.print(f"{report.checked_individuals} credentials checked: {verdict}")
        return
    for problem in report.problems:
        console.print(f"[red]{problem.kind}[/]: {problem.message}")
        console.print(f"  axiom: {problem.axiom}")
    if report.hermit_consistent is False:
        console.print("HermiT: inconsistent")
    raise click.exceptions.Exit(EXIT_PROBLEMS)


@reason.command("drop")
@click.argument("which", type=click.Choice([*INFERRED_GRAPHS, "all"]), default="all")
@pass_app
def drop_command(app: AppContext, which: str) -> None:
    """Drop inferred graphs (graph/inferred/…, which only the reasoning commands write)."""
    dropped = drop_inferred(app.store, which)
    for graph in dropped:
        console.print(f"dropped <{graph}>")
    if not dropped:
        console.print("no inferred graph to drop")
