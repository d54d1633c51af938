"""``mcgraph supply-demand``: skills employers need in a jurisdiction and how many credentials there teach them."""

from __future__ import annotations

import json
import sys

import click
from rich.table import Table

from ..analysis.supply_demand import supply_demand as compute
from ..render import shorten
from .app import AppContext, cli, console, pass_app


@cli.command("supply-demand")
@click.option("--jurisdiction", required=True, help="Where: an ISO 3166 code such as CA-BC (or a jurisdiction IRI).")
@click.option("--top", type=click.IntRange(min=1), help="Only the first N skills.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@pass_app
def supply_demand(app: AppContext, jurisdiction: str, top: int | None, fmt: str) -> None:
    """Essential skills of in-demand occupations, ranked by demand, with the credentials in the jurisdiction
    that teach or assess each — the skills no credential there covers first.

    \b
    mcgraph build            # loads an illustrative demand file for CA-BC
    mcgraph supply-demand --jurisdiction CA-BC --top 15
    """
    result = compute(app.store, jurisdiction, top=top)
    if fmt == "csv":
        sys.stdout.write(result.to_frame().to_csv(index=False))
        return
    if fmt == "json":
        sys.stdout.write(json.dumps({"jurisdiction": jurisdiction, "credentials": result.credentials,
                                     "illustrative": result.illustrative,
                                     "rows": result.to_frame().to_dict(orient="records")},
                                    indent=1, ensure_ascii=False) + "\n")
        return
    uncovered = sum(1 for r in result.rows if not r.covered)
    table = Table(title=f"Supply and demand in {jurisdiction}: {len(result.figures)} demand figures, "
                        f"{result.credentials} credentials offered", header_style="bold",
                  caption=f"{uncovered} of {len(result.rows)} skills shown have no credential in {jurisdiction}"
                          + (" — demand figures are ILLUSTRATIVE" if result.illustrative else ""))
    for col in ("skill", "label", "demand", "credentials", "narrower", "needed by"):
        table.add_column(col, justify="right" if col in ("demand", "credentials", "narrower") else "left")
    for r in result.rows:
        style = "red" if not r.covered else "green"
        table.add_row(shorten(r.skill), r.label, f"{r.demand.normalize():f} {r.unit}",
                      f"[{style}]{r.credentials}[/]", str(r.narrower), "; ".join(r.occupations))
    console.print(table)
