"""``mcgraph coverage``: occupations × catalogue — the share of each occupation's essential skills covered."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.table import Table

from ..analysis.coverage import ALL, coverage_matrix
from ..analysis.graph import TAXONOMIES
from ..render import shorten
from .app import AppContext, cli, console, err_console, pass_app


@cli.command("coverage")
@click.option("--taxonomy", type=click.Choice(TAXONOMIES), default="esco", show_default=True,
              help="Whose occupations: ESCO (essential skills), OaSIS or O*NET (importance ≥ 3).")
@click.option("--jurisdiction", help="Only the catalogue's credentials offered in this jurisdiction (e.g. CA-BC).")
@click.option("--provider", help="Only this provider's credentials (IRI or name).")
@click.option("--by-jurisdiction", is_flag=True, help="One column per jurisdiction as well as the whole catalogue.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="Table: the best covered occupations shown.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="csv/json: every occupation (long form: one row per occupation and scope).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@pass_app
def coverage(app: AppContext, taxonomy: str, jurisdiction: str | None, provider: str | None,
             by_jurisdiction: bool, top: int, fmt: str, output: Path | None) -> None:
    """Coverage matrix: the share of each occupation's essential skills the catalogue covers.

    \b
    mcgraph coverage --jurisdiction CA-BC --top 10
    mcgraph coverage --by-jurisdiction --format csv -o coverage.csv
    """
    result = coverage_matrix(app.store, taxonomy=taxonomy, jurisdiction=jurisdiction, provider=provider,
                             by_jurisdiction=by_jurisdiction)
    if fmt == "table" and output is None:
        scope_note = f" in {jurisdiction}" if jurisdiction else ""
        table = Table(title=f"Coverage of {taxonomy.upper()} occupations by the catalogue{scope_note} "
                            f"({result.credentials[ALL]} credentials)", header_style="bold",
                      caption=f"{len(result.best())} occupations; requirements: {result.rule}; "
                              "share = covered / required")
        for col in ("occupation", "label", "required", "covered", "partly", "share"):
            table.add_column(col, justify="right" if col in ("required", "covered", "partly", "share") else "left")
        extra = [s for s in result.scopes if s != ALL] if by_jurisdiction else []
        for s in extra:
            table.add_column(shorten(s).removeprefix("mcgid:jurisdiction/"), justify="right")
        shares = {(r.occupation, r.scope): r.share for r in result.rows}
        for r in result.best(top):
            table.add_row(shorten(r.occupation), r.label, str(r.required), str(r.covered), str(r.partly),
                          f"{r.share:.0%}", *(f"{shares.get((r.occupation, s), 0):.0%}" for s in extra))
        console.print(table)
        return
    frame = result.to_frame()
    text = frame.to_csv(index=False) if fmt in ("csv", "table") else json.dumps(
        {"taxonomy": taxonomy, "rule": result.rule, "credentials": result.credentials,
         "rows": frame.to_dict(orient="records")}, indent=1, ensure_ascii=False) + "\n"
    if output is not None:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {len(frame)} rows to {output}")
    else:
        sys.stdout.write(text)
