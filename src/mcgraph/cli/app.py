"""The ``mcgraph`` command group, its shared options and helpers every subcommand module uses."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .. import __version__
from ..errors import McgraphError
from ..namespaces import GRAPH, expand_curie
from ..store import STORE_ENV, GraphStore, default_store_path, open_store

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


@dataclass
class AppContext:
    """State shared by subcommands: where the store is, opened on first use."""

    store_path: Path
    _store: GraphStore | None = field(default=None, repr=False)
    endpoint: str | None = None
    update_endpoint: str | None = None

    @property
    def location(self) -> str:
        """The SPARQL endpoint's URL, or the embedded store's folder."""
        return self.endpoint or str(self.store_path)

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            if self.endpoint:
                from ..store.remote import RemoteStore  # the remote backend only when asked for

                self._store = RemoteStore(self.endpoint, update_endpoint=self.update_endpoint)
            else:
                self._store = open_store(self.store_path)
            for notice in self._store.notices:
                err_console.print(f"[yellow]note:[/] {notice}")
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(AppContext)
F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="mcgraph")
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path), envvar=STORE_ENV,
              default=None, show_envvar=True,
              help=f"Folder of the embedded graph store [default: {default_store_path()}].")
@click.option("--endpoint", metavar="URL", envvar="MCGRAPH_ENDPOINT", default=None, show_envvar=True,
              help="A SPARQL 1.1 endpoint to use instead of the embedded store (docs/remote-engines.md).")
@click.option("--update-endpoint", metavar="URL", envvar="MCGRAPH_UPDATE_ENDPOINT", default=None, show_envvar=True,
              help="The engine's SPARQL Update URL, where it differs from --endpoint.")
@click.pass_context
def cli(ctx: click.Context, store_path: Path | None, endpoint: str | None, update_endpoint: str | None) -> None:
    """mcgraph — a competency-mapping knowledge graph for micro-credentials.

    Exit codes: 0 success, 1 a check found problems, 2 error.
    """
    commandline = click.core.ParameterSource.COMMANDLINE
    if endpoint and store_path and ctx.get_parameter_source("store_path") == ctx.get_parameter_source("endpoint") == commandline:
        raise click.UsageError("give either --store (an embedded store) or --endpoint (a SPARQL engine), not both")
    app = AppContext(store_path or default_store_path(), endpoint=endpoint or None, update_endpoint=update_endpoint)
    ctx.obj = app
    ctx.call_on_close(app.close)


def resolve_graph(text: str | None) -> str | None:
    """A graph given as a full IRI, a prefixed name, or a short name such as ``esco/1.1.1``."""
    if text is None:
        return None
    if not text.strip():
        raise McgraphError("an empty graph name: give an IRI or a short name such as esco/1.1.1")
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if "://" in text or text.startswith("urn:"):
        return text
    return expand_curie(text) or str(GRAPH[text])


def output_file(path: Path | None) -> Path | None:
    """Check an ``-o`` path before any work is done: its folder must exist and it must not be a folder."""
    if path is None:
        return None
    if path.is_dir():
        raise McgraphError(f"cannot write {path}: it is a folder; give a file name")
    if not path.parent.is_dir():
        raise McgraphError(f"cannot write {path}: the folder {path.parent} does not exist; create it first or "
                           "choose another -o path")
    return path


def write_output(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, turning an operating-system error into a message with the path."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise McgraphError(f"cannot write {path}: {exc.strerror or exc}") from None


@contextmanager
def progress_counter(description: str) -> Iterator[Callable[[int], None]]:
    """A live spinner with a running count (triples); yields the callback to update it."""
    quiet = not sys.stderr.isatty()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=None),
                  TextColumn("{task.fields[count]:>12,} triples"), TimeElapsedColumn(),
                  console=err_console, transient=True, disable=quiet) as progress:
        task = progress.add_task(description, total=None, count=0)
        yield lambda n: progress.update(task, count=n)
