"""``mcgraph gaps``: what an occupation requires that a learner's credentials do not cover, and the cheapest
catalogue credentials that close the gap (``--recommend``)."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import click
from rich.table import Table

from ..analysis.cover import BUDGETS, Recommendation
from ..analysis.gaps import DEFAULT_MIN_IMPORTANCE, GapResult, gaps as compute_gaps
from ..analysis.graph import TAXONOMIES
from ..render import shorten
from .app import AppContext, cli, console, err_console, pass_app

FORMATS = ("table", "csv", "json", "md")


def _num(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def summary_line(result: GapResult) -> str:
    counts, pct = result.counts(), result.percentages()
    text = ", ".join(f"{counts[s]} {s} ({pct[s]:.0f} %)" for s in counts)
    return f"{len(result.items)} requirements ({result.rule.describe()}): {text}"


def gap_table(result: GapResult) -> Table:
    table = Table(title=f"Skill gap: {result.occupation_label} ({shorten(result.occupation)})",
                  header_style="bold", caption=summary_line(result))
    for col in ("status", "skill", "label", "requirement", "how", "credential"):
        table.add_column(col)
    style = {"covered": "green", "partly covered": "yellow", "missing": "red"}
    for item in result.items:
        flag = " [dim](suppress recommended)[/]" if item.suppress_recommended else ""
        table.add_row(f"[{style[item.status]}]{item.status}[/]", shorten(item.skill), item.label + flag,
                      item.source, item.how, " ".join(shorten(c) for c in item.credentials))
    return table


def recommendation_table(rec: Recommendation) -> Table:
    table = Table(title=f"Recommended credentials ({rec.statement}): {_num(rec.solution.cost)} {rec.by} in total",
                  header_style="bold",
                  caption=f"{rec.missing} missing skills, {rec.considered} candidate credentials"
                          + (f" ({', '.join(f'{k}={v}' for k, v in rec.filters.items())})" if rec.filters else "")
                          + (f", {rec.without_cost} left out without {rec.by}" if rec.without_cost else "")
                          + f"; {len(rec.uncovered)} skills no credential covers")
    for col in ("credential", "title", rec.by, "covers"):
        table.add_column(col, justify="right" if col in (rec.by,) else "left")
    for c in rec.solution.chosen:
        table.add_row(shorten(c.iri), c.title, _num(c.cost), str(len(rec.covers.get(c.iri, ()))))
    return table


def gap_markdown(result: GapResult) -> str:
    lines = [f"# Skill gap: {result.occupation_label}", "", f"Occupation: <{result.occupation}>  ",
             f"Credentials held: {', '.join(result.have) or 'none'}  ", f"{summary_line(result)}", "",
             "| status | skill | label | requirement | how | credential |", "|---|---|---|---|---|---|"]
    for i in result.items:
        cells = [i.status, shorten(i.skill), i.label, i.source, i.how, " ".join(shorten(c) for c in i.credentials)]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    rec = result.recommendation
    if rec is not None:
        lines += ["", f"## Recommended credentials ({rec.statement}): {_num(rec.solution.cost)} {rec.by}", "",
                  f"| credential | title | {rec.by} | covers |", "|---|---|---:|---:|"]
        lines += [f"| {shorten(c.iri)} | {c.title} | {_num(c.cost)} | {len(rec.covers.get(c.iri, ()))} |"
                  for c in rec.solution.chosen]
        if rec.uncovered:
            lines += ["", "No credential in the catalogue covers: " + ", ".join(lab for _, lab in rec.uncovered)]
    return "\n".join(lines) + "\n"


def gap_text(result: GapResult, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return gap_markdown(result)
    return result.to_frame().to_csv(index=False)


def print_gap(result: GapResult) -> None:
    """Print a gap (and its recommendation) as rich tables."""
    console.print(gap_table(result))
    if result.skipped:
        console.print("[dim]not counted: " + ", ".join(f"{n} {why}" for why, n in result.skipped.items()) + "[/]")
    if result.suppressed:
        console.print(f"[dim]{result.suppressed} requirement(s) O*NET marks 'suppress recommended' "
                      "(low-precision estimates) are counted and flagged[/]")
    rec = result.recommendation
    if rec is not None:
        console.print(recommendation_table(rec))
        if rec.uncovered:
            console.print("No credential in the catalogue covers: " + ", ".join(lab for _, lab in rec.uncovered))


@cli.command("gaps")
@click.option("--occupation", required=True, help="Occupation IRI or prefixed name (escoocc:…, "
              "oasis:profile/21232.00, onet:occupation/15-1211.00), or its code with --taxonomy.")
@click.option("--have", "have", multiple=True, metavar="CRED[,CRED...]",
              help="Credentials held: IRIs, prefixed names or catalogue identifiers (comma-separated; repeatable).")
@click.option("--taxonomy", type=click.Choice(TAXONOMIES), help="Which requirements count (default: the "
              "occupation's own taxonomy).")
@click.option("--include-optional", is_flag=True, help="ESCO: count optional skills too.")
@click.option("--min-importance", type=float, default=float(DEFAULT_MIN_IMPORTANCE), show_default=True,
              help="O*NET: least importance (1-5) an element needs to count.")
@click.option("--min-level", type=float, help="OaSIS/O*NET: least required level a rating needs to count.")
@click.option("--level-aware", is_flag=True, help="A claim below the required level (same scale) does not cover.")
@click.option("--recommend", is_flag=True, help="Also recommend the cheapest catalogue credentials covering "
              "the missing skills.")
@click.option("--budget", type=click.Choice(BUDGETS), default="hours", show_default=True,
              help="What --recommend minimises: total notional hours or total price.")
@click.option("--jurisdiction", help="--recommend: only credentials offered in this jurisdiction (e.g. CA-BC).")
@click.option("--provider", help="--recommend: only credentials of this provider (IRI or name).")
@click.option("--conforms-to", "conforms_to", metavar="FRAMEWORK",
              help="--recommend: only credentials claiming conformance to this framework (mcg:conformsToFramework).")
@click.option("--method", type=click.Choice(["auto", "exact", "greedy"]), default="auto", show_default=True,
              help="--recommend: exact ILP, greedy, or exact unless the instance is large.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@pass_app
def gaps_command(app: AppContext, occupation: str, have: tuple[str, ...], taxonomy: str | None,
                 include_optional: bool, min_importance: float, min_level: float | None, level_aware: bool,
                 recommend: bool, budget: str, jurisdiction: str | None, provider: str | None,
                 conforms_to: str | None, method: str, fmt: str, output: Path | None) -> None:
    """Skill gap of an occupation for the credentials a learner holds: covered, partly covered, missing.

    \b
    mcgraph gaps --occupation escoocc:f2b15a0e-e65a-438a-affb-29b9d50b77d1 --have ubc-blockchain --recommend
    mcgraph gaps --occupation 15-1211.00 --taxonomy onet --min-importance 3.5 --format md
    """
    held = [part for value in have for part in value.split(",") if part.strip()]
    result = compute_gaps(app.store, occupation, held, taxonomy=taxonomy, include_optional=include_optional,
                          min_importance=min_importance, min_level=min_level, level_aware=level_aware,
                          recommend=recommend, budget=budget, jurisdiction=jurisdiction, provider=provider,
                          conforms_to=conforms_to, method=method)
    if fmt == "table" and output is None:
        print_gap(result)
        return
    text = gap_text(result, "csv" if fmt == "table" else fmt)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote the gap of {result.occupation_label} to {output}")
    else:
        sys.stdout.write(text)
