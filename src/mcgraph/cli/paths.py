"""``mcgraph paths``: what a learner can stack towards, the cheapest completions, and checks of a completion.

\b
mcgraph paths --have rru-caf-required-1,rru-caf-required-2 --to rru-caf
mcgraph paths --have ie-ladder-nfq8-analytics --to-any --by price
mcgraph paths --have rru-caf-required-1,rru-caf-required-2,rru-caf-specialist-1 --to rru-caf --check
"""

from __future__ import annotations

import json
import sys

import click
from rich.table import Table

from ..analysis.pathways import (
    DEFAULT_LIMIT,
    METRICS,
    Completion,
    Destination,
    PathsResult,
    Verdict,
    check_completion,
)
from ..analysis.pathways import paths as find_paths
from ..analysis.stacking import stacking_graph
from .app import EXIT_OK, EXIT_PROBLEMS, AppContext, cli, console, pass_app

FORMATS = ("table", "json", "md")


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@cli.command("paths")
@click.option("--have", "have", required=True, metavar="CRED[,CRED...]",
              help="Credentials the learner holds: catalogue ids (rru-caf-required-1), prefixed names or IRIs.")
@click.option("--to", "target", metavar="TARGET", help="The credential to stack towards.")
@click.option("--to-any", is_flag=True, help="Every destination the held credentials stack towards.")
@click.option("--by", type=click.Choice(METRICS), default="hours", show_default=True,
              help="Rank completions by hours still to do, price, or number of credentials to take.")
@click.option("--limit", type=click.IntRange(min=1), default=DEFAULT_LIMIT, show_default=True,
              help="Completions listed per destination.")
@click.option("--check", is_flag=True,
              help="Only check whether the held credentials already complete TARGET; list the unmet rules.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_app
def paths_command(app: AppContext, have: str, target: str | None, to_any: bool, by: str, limit: int,
                  check: bool, fmt: str) -> None:
    """Stacking paths: the cheapest completions of each destination the held credentials stack towards.

    Pathways are data (data/catalog/pathways.ttl): required parts, choose-N groups, minimum hours or credits,
    minimum levels through the official crosswalks. Each step names the rule it satisfies; a destination that
    cannot be completed is refused with the unmet rule. Exit code 1 when the target cannot be completed (or,
    with --check, is not complete).
    """
    if bool(target) == to_any:
        raise click.UsageError("give exactly one of --to TARGET and --to-any")
    if check and not target:
        raise click.UsageError("--check needs --to TARGET")
    graph = stacking_graph(app.store)
    if check:
        verdict = check_completion(app.store, target or "", _ids(have), graph=graph)
        _print_verdict(verdict, fmt)
        sys.exit(EXIT_OK if verdict.complete else EXIT_PROBLEMS)
    result = find_paths(app.store, _ids(have), target, by=by, limit=limit, graph=graph)
    if fmt == "json":
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    elif fmt == "md":
        sys.stdout.write(markdown(result))
    else:
        print_paths(result)
    if target and not any(d.reachable for d in result.destinations if d.credential.iri == result.target):
        sys.exit(EXIT_PROBLEMS)


def _money(c: Completion) -> str:
    if c.price is None:
        return "?"
    return f"{c.price} {'/'.join(c.currencies)}".strip()


def _heading(d: Destination) -> str:
    route = " → ".join(_short(c) for c in d.route)
    return f"{d.credential.title} ({d.credential.short})" + (f"   route: {route}" if route else "")


def _short(iri: str) -> str:
    return iri.rsplit("/credential/", 1)[-1]


def print_paths(result: PathsResult) -> None:
    """The result as rich tables on the console: one per completion, with refusals, notes and cycles."""
    if not result.destinations:
        console.print("None of the held credentials stacks into anything in the loaded data.")
    for d in result.destinations:
        console.print(f"\n[bold]{_heading(d)}[/]", markup=True, highlight=False)
        if any(step.levels for step in d.ladder):
            console.print("  levels: " + "  →  ".join(f"{_short(s.credential)} ({s.levels or 'no level'})"
                                                    for s in d.ladder), markup=False)
        for note in d.notes:
            console.print(f"  note: {note}", markup=False)
        if not d.has_rules:
            console.print("  stacks into it, but the data holds no pathway rules for it: requirements unknown",
                          markup=False)
            continue
        for ref in d.refusals:
            console.print(f"  refused: {ref.pathway_label}", markup=False)
            for reason in ref.reasons:
                console.print(f"    - {reason}", markup=False)
        for n, c in enumerate(d.completions, start=1):
            table = Table(title=f"completion {n}: {c.pathway_label} — {c.hours if c.hours is not None else '?'} h, "
                                f"{_money(c)}, {c.count} to take", title_justify="left", header_style="bold")
            for col in ("step", "credential", "hours", "price", "rule"):
                table.add_column(col, overflow="fold")
            for s in (*c.counted, *c.steps):
                table.add_row(s.action, f"{s.title} ({_short(s.credential)})",
                              "" if s.hours is None else str(s.hours),
                              "" if s.price is None else f"{s.price} {s.currency or ''}".strip(),
                              s.rule.removesuffix(f" of {c.pathway_label}"))
            console.print(table)
        if d.limited:
            console.print("  (many option combinations: only the cheapest options of each group were combined)")
    for cycle in result.cycles:
        console.print("[yellow]cycle in the stacking data (not followed):[/] "
                      + " → ".join(_short(c) for c in (*cycle, cycle[0])), highlight=False)


def markdown(result: PathsResult) -> str:
    """The result as Markdown: a section per destination, a table per completion."""
    out = [f"# Stacking paths from {', '.join(_short(h) for h in result.have)} (by {result.by})", ""]
    for d in result.destinations:
        out += [f"## {_heading(d)}", ""]
        out += [f"- levels: {s.title}: {s.levels}" for s in d.ladder if s.levels]
        out += [f"- note: {note}" for note in d.notes]
        if not d.has_rules:
            out += ["No pathway rules in the data: requirements unknown.", ""]
            continue
        for ref in d.refusals:
            out += [f"**Refused** ({ref.pathway_label}):", *(f"- {r}" for r in ref.reasons), ""]
        for n, c in enumerate(d.completions, start=1):
            out += [f"### Completion {n}: {c.pathway_label} — {c.hours} h, {_money(c)}, {c.count} to take", "",
                    "| step | credential | hours | price | rule |", "|---|---|---|---|---|"]
            for s in (*c.counted, *c.steps):
                out.append(f"| {s.action} | {s.title} (`{_short(s.credential)}`) | {s.hours or ''} | "
                           f"{'' if s.price is None else s.price} | {s.rule} |")
            out.append("")
    for cycle in result.cycles:
        out.append(f"- cycle in the stacking data (not followed): {' → '.join(_short(c) for c in cycle)}")
    return "\n".join(out) + "\n"


def _print_verdict(verdict: Verdict, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(verdict.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    if verdict.complete:
        console.print(f"complete: {_short(verdict.destination)} by {verdict.pathway}", markup=False)
        return
    console.print(f"not complete: {_short(verdict.destination)}", markup=False)
    for ref in verdict.refusals:
        console.print(f"  {ref.pathway_label or 'no pathway'}:", markup=False)
        for reason in ref.reasons:
            console.print(f"    - {reason}", markup=False)
