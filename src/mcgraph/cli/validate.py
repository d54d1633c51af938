"""``mcgraph validate`` and ``mcgraph compliance``: which frameworks do credentials meet, and why not."""

from __future__ import annotations

from pathlib import Path

import click

from ..build import build
from ..checks.compliance import compliance as compliance_frame
from ..checks.compliance import matrix
from ..checks.render import FORMATS, render
from ..checks.results import CheckReport, CheckResult, Severity
from ..checks.shacl import ENGINES, source_names, validate as run_validate
from ..credentials.model import credential_iri
from ..errors import McgraphError
from ..queries import get_query
from ..store import EmbeddedStore, GraphStore, LoadRecord
from .app import EXIT_OK, EXIT_PROBLEMS, AppContext, cli, console

_RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".n3", ".rdf", ".owl")
FILE_GRAPH = "https://w3id.org/mcgraph/graph/validate/file"


def load_for_validation(path: Path) -> tuple[EmbeddedStore, list[str], list[CheckResult]]:
    """A temporary in-memory store with the built frameworks plus the file's credentials (nothing else is
    touched), the IRIs of the file's credentials, and the load warnings as findings."""
    from ..sources.base import LoadReport
    from ..sources.rdf import parse_rdf

    if not path.is_file():
        raise McgraphError(f"{path}: no such file")
    store = EmbeddedStore()
    list(build(store))
    report = LoadReport(source="credentials", store=store)
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(_RDF_SUFFIXES):
        triples = list(parse_rdf(path))
    else:
        from ..credentials.formats import detect_format

        triples = list(detect_format(path).read(path, report))
    store.write_graph(FILE_GRAPH, triples, LoadRecord(FILE_GRAPH, "validate"))
    found = get_query("graph-credentials").run(store, g=FILE_GRAPH)
    credentials = sorted(r["c"].value for r in found)  # type: ignore[union-attr]
    warnings = [CheckResult(Severity.WARNING, str(path), "load:warning", str(w), source=(str(path),))
                for w in report.warnings]
    return store, credentials, warnings


def _credential(text: str) -> str:
    if "://" in text or text.startswith("urn:"):
        return text
    if text.startswith("mcgid:credential/"):
        return credential_iri(text.split("/", 1)[1])
    return credential_iri(text)


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--framework", "frameworks", multiple=True, metavar="ID",
              help="Check against this framework (short name, e.g. ecmf); repeatable. Default: the frameworks "
                   "that apply to each credential (claimed, or of its jurisdiction).")
@click.option("--all", "all_frameworks", is_flag=True, help="Check every credential against every framework.")
@click.option("--credential", "credentials", multiple=True, metavar="IRI",
              help="Only this credential (IRI, mcgid:credential/ID or ID); repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--engine", type=click.Choice(ENGINES), default="sparql", show_default=True,
              help="sparql: shapes compiled to SPARQL on the store; pyshacl: the reference engine.")
@click.pass_context
def validate(ctx: click.Context, file: Path | None, frameworks: tuple[str, ...], all_frameworks: bool,
             credentials: tuple[str, ...], fmt: str, engine: str) -> None:
    """Validate credentials against micro-credential framework rules (shapes/), grouped by credential,
    framework and rule, each finding with its source.

    \b
    mcgraph validate                          # the catalogue in the store, applicable frameworks
    mcgraph validate --framework ecmf --credential ie-microcreds-nfq5
    mcgraph validate my-catalogue.csv --all   # a file, before loading it (nothing is written)

    Exit code 0 when conformant (warnings allowed), 1 when a rule is violated, 2 on error.
    """
    if frameworks and all_frameworks:
        raise click.UsageError("give --framework or --all, not both")
    warnings: list[CheckResult] = []
    store: GraphStore
    chosen = [_credential(c) for c in credentials] or None
    if file is not None:
        store, in_file, warnings = load_for_validation(file)
        chosen = chosen or in_file
        if not in_file:
            raise McgraphError(f"{file}: no credentials found in the file")
    else:
        app: AppContext = ctx.find_object(AppContext)
        store = app.store
    report: CheckReport = run_validate(store, frameworks=list(frameworks) or None, all_frameworks=all_frameworks,
                                       credentials=chosen, engine=engine)
    report.results.extend(warnings)
    if file is not None:
        report.title = f"mcgraph validate {file.name}"
    text = render(report, fmt, source_names(store))
    if fmt in ("text", "md"):
        console.print(text, markup=False)
    else:
        click.echo(text)
    ctx.exit(EXIT_OK if report.conforms else EXIT_PROBLEMS)


@cli.command()
@click.option("--jurisdiction", help="Only credentials offered in this jurisdiction (code such as CA-BC).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md", "html"]), default="table",
              show_default=True)
@click.option("--engine", type=click.Choice(ENGINES), default="sparql", show_default=True)
@click.pass_context
def compliance(ctx: click.Context, jurisdiction: str | None, fmt: str, engine: str) -> None:
    """Credentials x frameworks: meets / fails (violations, warnings) / n/a (the framework does not apply:
    the credential neither claims it nor is offered in its jurisdiction)."""
    app: AppContext = ctx.find_object(AppContext)
    frame = compliance_frame(app.store, jurisdiction=jurisdiction, engine=engine)
    show_compliance(frame, fmt)


def show_compliance(frame, fmt: str = "table") -> None:  # type: ignore[no-untyped-def]
    """Print the compliance result in one of the formats of ``mcgraph compliance``."""
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
        return
    if fmt == "json":
        click.echo(frame.to_json(orient="records", indent=1))
        return
    grid = matrix(frame)
    if fmt == "md":
        click.echo(grid.to_markdown() if hasattr(grid, "to_markdown") and _has_tabulate() else _md(grid))
    elif fmt == "html":
        click.echo(grid.to_html())
    else:
        from rich.table import Table

        table = Table(title="Compliance: credentials x frameworks", show_lines=False)
        table.add_column("credential")
        for col in grid.columns:
            table.add_column(str(col))
        for title, row in grid.iterrows():
            table.add_row(str(title), *[_style(str(v)) for v in row])
        width = max(len(str(t)) for t in grid.index) + sum(max(len(str(c)), 14) + 3 for c in grid.columns) + 4
        from rich.console import Console

        Console(width=max(console.width, width), highlight=False, soft_wrap=False).print(table)


def _style(cell: str) -> str:
    if cell.startswith("fails"):
        return f"[red]{cell}[/]"
    if cell.startswith("meets"):
        return f"[green]{cell}[/]"
    return f"[dim]{cell}[/]"


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def _md(grid) -> str:  # type: ignore[no-untyped-def]
    cols = [str(c) for c in grid.columns]
    lines = ["| credential | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for title, row in grid.iterrows():
        lines.append(f"| {title} | " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines)


__all__ = ["compliance", "load_for_validation", "show_compliance", "validate"]
