"""Frameworks commands: ``crosswalk level``, ``convert`` and ``frameworks`` (data from ``mcgraph build``).

\b
mcgraph crosswalk level nfq:9 --to eqf          official level crosswalk, with its source
mcgraph crosswalk level nfq:9 --to nzqcf --via eqf   two steps through the EQF (said to be unofficial)
mcgraph convert 40 nzqa-credit --to ects        volume of learning, as a range, with the assumption
mcgraph frameworks                              what is known, with counts
"""

from __future__ import annotations

import json
import sys

import click
from rich.table import Table

from ..credits import convert as convert_units
from ..credits import credit_systems
from ..levels import crosswalk_level, qualification_frameworks, require_frameworks
from ..queries import run_query
from .app import AppContext, cli, console, pass_app


def _crosswalk_group() -> click.Group:
    """The ``crosswalk`` group: shared with other modules that add crosswalk subcommands."""
    existing = cli.commands.get("crosswalk")
    if isinstance(existing, click.Group):
        return existing

    @cli.group()
    def crosswalk() -> None:
        """Crosswalks between frameworks and taxonomies."""

    return crosswalk


@_crosswalk_group().command("level")
@click.argument("level")
@click.option(
    "--to",
    "target",
    required=True,
    metavar="FRAMEWORK",
    help="Target framework short name (eqf, nfq, scqf, aqf, nzqcf, wsq, oqf, cdqf).",
)
@click.option(
    "--via",
    metavar="FRAMEWORK",
    help="Derive the answer in two steps through this framework (e.g. eqf); never an official mapping.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_app
def crosswalk_level_command(app: AppContext, level: str, target: str, via: str | None, fmt: str) -> None:
    """Map a qualification LEVEL (e.g. nfq:9, or a level IRI) to a level of another framework.

    Uses only official referencing and comparison reports, and prints their sources. A level no report
    links answers "no official mapping"; a level placed across two levels is reported as a span.
    """
    answer = crosswalk_level(app.store, level, target, via=via)
    if fmt == "json":
        sys.stdout.write(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    console.print(answer.summary(), markup=False)
    for line in answer.explain():
        console.print(f"  {line}", markup=False)


@cli.command()
@click.argument("value")
@click.argument("unit")
@click.option("--to", "target", required=True, metavar="UNIT", help="Unit to convert to (e.g. ects, hours).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_app
def convert(app: AppContext, value: str, unit: str, target: str, fmt: str) -> None:
    """Convert VALUE in UNIT (a credit system short name, or hours) to another unit, through notional hours.

    \b
    mcgraph convert 40 nzqa-credit --to ects    → 13.33–16 ECTS (10 h per NZQA credit, 25–30 h per ECTS)
    mcgraph convert 5 ects --to hours
    Units: `mcgraph frameworks` lists them.
    """
    result = convert_units(app.store, value, unit, target)
    if fmt == "json":
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        console.print(str(result), markup=False)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_app
def frameworks(app: AppContext, fmt: str) -> None:
    """List the qualification frameworks, credit systems and micro-credential frameworks mcgraph knows."""
    store = app.store
    require_frameworks(store)
    qfs = qualification_frameworks(store)
    systems = credit_systems(store)
    mcfs = run_query(store, "frameworks-overview").dicts()
    if fmt == "json":
        data = {
            "qualification_frameworks": [fw.__dict__ for fw in qfs.values()],
            "credit_systems": [
                {
                    "short_name": s.short_name,
                    "label": s.label,
                    "hours_per_credit_min": None if s.hours_min is None else str(s.hours_min),
                    "hours_per_credit_max": None if s.hours_max is None else str(s.hours_max),
                    "sources": list(s.sources),
                }
                for s in systems.values()
            ],
            "microcredential_frameworks": mcfs,
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(qfs)} qualification frameworks", header_style="bold")
    for col in ("name", "framework", "jurisdiction", "levels", "crosswalks"):
        table.add_column(col, justify="right" if col in ("levels", "crosswalks") else "left")
    for fw in qfs.values():
        table.add_row(fw.short_name, fw.label, fw.jurisdiction or "", str(fw.levels), str(fw.crosswalks))
    console.print(table)
    table = Table(
        title=f"{len(systems)} credit systems (units for `mcgraph convert`, plus hours)", header_style="bold"
    )
    for col in ("unit", "credit", "notional hours per credit"):
        table.add_column(col)
    for s in systems.values():
        per = "no official figure" if not s.convertible else s.per_credit().split(" notional")[0]
        table.add_row(s.short_name, s.label, per)
    console.print(table)
    table = Table(title=f"{len(mcfs)} micro-credential frameworks", header_style="bold")
    for col in ("name", "framework", "jurisdiction", "year", "principles", "limits"):
        table.add_column(col, justify="right" if col in ("principles", "limits") else "left")
    for row in mcfs:
        table.add_row(
            *(row[k] or "" for k in ("shortName", "label", "jurisdiction", "year", "principles", "limits"))
        )
    console.print(table)
