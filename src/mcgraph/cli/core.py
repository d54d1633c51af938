"""Core commands: build, load, stats, query, queries, export, drop."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click
import pyoxigraph as ox
from rich.table import Table

from ..build import build as run_build
from ..errors import McgraphError
from ..exports import get_exporter
from ..loading import load_source
from ..namespaces import GRAPH
from ..queries import get_query, list_queries, parse_pairs
from ..render import RESULT_FORMATS, graphs_table, report_table, result_table, result_text
from ..sources import available_sources
from .app import (AppContext, cli, console, err_console, output_file, pass_app, progress_counter, resolve_graph,
                  write_output)

EXPORT_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
}


@cli.command()
@pass_app
def build(app: AppContext) -> None:
    """Create the default graph from the repository's own ontology/ and data/ (see data/build.yaml)."""
    reports = []
    with progress_counter("building") as update:
        for report in run_build(app.store, progress=lambda graph, n: update(n)):
            reports.append(report)
    table = Table(title=f"Built {len(reports)} graphs in {app.location}", header_style="bold")
    for col in ("graph", "source", "files", "triples", "seconds"):
        table.add_column(col, justify="right" if col in ("triples", "seconds", "files") else "left")
    for r in reports:
        table.add_row(r.graph.removeprefix(str(GRAPH)), r.source, str(len(r.files)), f"{r.triples:,}", f"{r.elapsed:.2f}")
    console.print(table)


@cli.command(context_settings={"ignore_unknown_options": False})
@click.argument("args", nargs=-1, required=True, metavar="[SOURCE] PATH...")
@click.option("--graph", "graph", help="Named graph to load into (IRI or short name); default: one per source/version or file.")
@click.option("--version", "version", help="Release of the data (recorded in the load metadata and the graph name).")
@click.option("--replace", is_flag=True, help="Replace the graph if it is already loaded.")
@click.option("-O", "--option", "options", multiple=True, metavar="NAME=VALUE",
              help="An option of the source, e.g. -O strict=true for skos, -O kind=esco-onet for crosswalk "
                   "(`mcgraph sources` lists them).")
@pass_app
def load(app: AppContext, args: tuple[str, ...], graph: str | None, version: str | None, replace: bool,
         options: tuple[str, ...]) -> None:
    """Load RDF files, or an official download through a named source.

    \b
    mcgraph load data.ttl more.nt            any RDF syntax Oxigraph reads, one graph per file
    mcgraph load esco path/to/esco-csv/      a registered source (see `mcgraph sources`)
    mcgraph load skos my-taxonomy.ttl -O strict=true
    """
    source_options = _parse_pairs(options, "option")
    sources = available_sources()
    if args[0] in sources and not Path(args[0]).exists():
        source, paths = args[0], args[1:]
        if not paths:
            raise click.UsageError(f"give the PATH to load with source {source!r}")
        jobs = [(list(paths), resolve_graph(graph))]
    else:
        source, paths = "rdf", args
        if graph is not None:
            jobs = [(list(paths), resolve_graph(graph))]
        else:
            jobs = [([p], str(GRAPH[f"file/{Path(p).name.split('.')[0]}"])) for p in paths]
    for job_paths, target in jobs:
        with progress_counter(f"loading {', '.join(Path(p).name for p in job_paths)}") as update:
            report = load_source(app.store, source, job_paths, version=version, graph=target,
                                 replace=replace, progress=update, options=source_options)
        console.print(report_table(report))
        for w in report.warnings[:20]:
            err_console.print(f"[yellow]warning:[/] {w}")
        if len(report.warnings) > 20:
            err_console.print(f"[yellow]… and {len(report.warnings) - 20:,} more warnings[/]")


@cli.command()
def sources() -> None:
    """List the registered sources (loaders)."""
    table = Table(title="Sources", header_style="bold")
    table.add_column("name")
    table.add_column("reads")
    table.add_column("what")
    table.add_column("options (-O NAME=VALUE)")
    for name, src in available_sources().items():
        table.add_row(name, src.accepts, src.title, "\n".join(f"{k}: {v}" for k, v in src.options.items()))
    console.print(table)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table: files with a short SHA-256 and size; json: everything, full SHA-256.")
@pass_app
def stats(app: AppContext, fmt: str) -> None:
    """Named graphs with triple counts and their load metadata (files read, SHA-256, size)."""
    records = app.store.graph_records()
    if fmt == "json":
        rows = [dataclasses.asdict(r) | {"files": list(r.files), "sources": [dataclasses.asdict(f) for f in r.sources]}
                for r in records]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        console.print(graphs_table(records))


_parse_pairs = parse_pairs


@cli.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; repeat for several. Bound by the engine, typed by the query header.")
@click.option("--format", "fmt", type=click.Choice(RESULT_FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the result to a file.")
@click.option("--allow-service", is_flag=True, help="Let the query use SERVICE (federated: fetches from the network).")
@pass_app
def query(app: AppContext, name: str, params: tuple[str, ...], fmt: str, output: Path | None,
          allow_service: bool) -> None:
    """Run a named query (see `mcgraph queries`) or a .rq file."""
    output = output_file(output)
    q = get_query(name)
    result = q.run(app.store, allow_service=allow_service, **_parse_pairs(params))
    if fmt == "table" and output is None:
        console.print(result_table(result, title=q.title or q.name))
        console.print(f"[dim]{len(result)} rows[/]")
        return
    text = result_text(result, "csv" if fmt == "table" else fmt)
    if output:
        write_output(output, text.encode("utf-8"))
        err_console.print(f"wrote {len(result)} rows to {output}")
    else:
        sys.stdout.write(text)


@cli.command()
@click.option("--all", "show_all", is_flag=True, help="Also list the internal queries mcgraph's modules run.")
def queries(show_all: bool) -> None:
    """List the named queries with their parameters."""
    table = Table(title="Named queries", header_style="bold", show_lines=True)
    table.add_column("name")
    table.add_column("what")
    table.add_column("parameters")
    for q in list_queries(internal=show_all):
        params = "\n".join(f"{p.name} ({p.type}{'' if p.required else ', optional'})" for p in q.parameters)
        table.add_row(q.name, q.title + (f"\n[dim]{q.description}[/]" if q.description else ""), params)
    console.print(table)


@cli.command()
@click.argument("what", required=False)
@click.option("--graph", help="Graph to export (IRI or short name); default: every graph.")
@click.option("--format", "fmt", default="ttl", show_default=True,
              help=f"RDF: {', '.join(sorted(EXPORT_FORMATS))}; with WHAT, that exporter's formats.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout).")
@pass_app
def export(app: AppContext, what: str | None, graph: str | None, fmt: str, output: Path | None) -> None:
    """Serialise graphs as RDF, or export WHAT (e.g. credentials) in an outside format.

    \b
    mcgraph export --graph ontology --format ttl
    mcgraph export credentials --format elm -o catalogue.jsonld
    """
    output = output_file(output)
    if what is not None:
        exporter = get_exporter(what)
        if fmt not in exporter.formats:
            raise click.BadParameter(f"{what} exports as {', '.join(exporter.formats)}", param_hint="--format")
        data = exporter.export(app.store, fmt, output)
        if output is None:
            sys.stdout.buffer.write(data or b"")
        else:
            err_console.print(f"wrote {output}")
        return
    if fmt not in EXPORT_FORMATS:
        raise click.BadParameter(f"choose one of {', '.join(sorted(EXPORT_FORMATS))}", param_hint="--format")
    rdf_format = EXPORT_FORMATS[fmt]
    target = resolve_graph(graph)
    if target is not None and not app.store.contains_graph(target):
        raise McgraphError(f"no graph <{target}> in the store; `mcgraph stats` lists them")
    data = app.store.dump(fmt=rdf_format, graph=target)  # no graph: the whole dataset, or every graph merged
    if output:
        write_output(output, data or b"")
        err_console.print(f"wrote {output}")
    else:
        sys.stdout.buffer.write(data or b"")


@cli.command()
@click.argument("graph")
@pass_app
def drop(app: AppContext, graph: str) -> None:
    """Remove one loaded graph and its load record (graphs built by `mcgraph build` and the metadata graph
    are refused)."""
    target = resolve_graph(graph)
    assert target is not None
    if not app.store.contains_graph(target) and not any(r.graph == target for r in app.store.graph_records()):
        raise McgraphError(f"no graph <{target}> in the store; `mcgraph stats` lists them")
    app.store.drop_graph(target)
    console.print(f"dropped <{target}>")
