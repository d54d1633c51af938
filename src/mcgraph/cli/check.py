"""``mcgraph check``: checks that report problems (exit code 1 when they find some, 0 when not).

Other modules add their checks to the same group: ``from .check import check`` then ``@check.command()``.
"""

from __future__ import annotations

from pathlib import Path

import click
import pyoxigraph as ox

from ..checks.skos import check_skos
from ..errors import McgraphError
from ..queries import get_query
from ..sources.rdf import parse_rdf
from .app import EXIT_OK, EXIT_PROBLEMS, AppContext, cli, console, resolve_graph


@cli.group()
def check() -> None:
    """Check data for problems; exit code 1 when a check finds some, 0 when none, 2 on error."""


@check.command("skos")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--graph", "graphs", multiple=True,
              help="Check a loaded graph (IRI or short name such as skos/green-skills); repeatable.")
@click.option("--strict", is_flag=True, help="Warnings count as problems too (exit 1).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--max-examples", type=click.IntRange(min=1), default=10, show_default=True,
              help="Issues shown per check in the text report.")
@click.pass_context
def skos(ctx: click.Context, files: tuple[Path, ...], graphs: tuple[str, ...], strict: bool, fmt: str,
         max_examples: int) -> None:
    """Check SKOS files (any RDF syntax) or loaded graphs for SKOS integrity.

    \b
    mcgraph check skos my-taxonomy.ttl
    mcgraph check skos --graph csv-taxonomy/digital-skills/2025.1

    Errors: two preferred labels in one language, a label both preferred and alternative, skos:broader
    cycles, concepts in no scheme, skos:related between hierarchically linked concepts. Warnings: broader
    concepts not defined, missing preferred labels, top concepts with broader concepts, schemes without top
    concepts, inScheme to an undeclared scheme.
    """
    if not files and not graphs:
        raise click.UsageError("give one or more FILES, or --graph")
    problems = False
    targets: list[tuple[str, list[ox.Triple | ox.Quad]]] = []
    for path in files:
        if not path.is_file():
            raise McgraphError(f"{path}: no such file")
        targets.append((str(path), list(parse_rdf(path))))
    if graphs:
        app: AppContext = ctx.find_object(AppContext)
        for name in graphs:
            target = resolve_graph(name)
            assert target is not None
            if target not in {info.graph for info in app.store.graph_records()}:
                raise McgraphError(f"no graph <{target}> in the store; `mcgraph stats` lists them")
            triples = list(get_query("graph-triples").run(app.store, g=target).triples)
            targets.append((f"<{target}>", triples))
    for name, triples in targets:
        report = check_skos(triples, source=name)
        problems |= bool(report.errors) or (strict and bool(report.warnings))
        if fmt == "json":
            click.echo(report.to_json())
        else:
            console.print(report.render_text(max_examples=max_examples), markup=False)
            console.print()
    ctx.exit(EXIT_PROBLEMS if problems else EXIT_OK)


__all__ = ["check"]
