"""``mcgraph serve``: the store as a SPARQL endpoint with a query page and the named query library."""

from __future__ import annotations

import click

from .app import AppContext, cli, console, err_console, pass_app


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default is reachable from this machine only).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0 picks a free one).")
@click.option("--writable", is_flag=True, help="Accept SPARQL updates at /update (refused by default).")
@pass_app
def serve(app: AppContext, host: str, port: int, writable: bool) -> None:
    """Serve the store: query page at /, SPARQL 1.1 protocol at /query and /update, named queries at /queries.

    \b
    mcgraph serve                      http://127.0.0.1:7878/, read-only
    mcgraph serve --port 8000 --writable
    curl -H 'Accept: text/csv' 'http://127.0.0.1:7878/queries/label-search?text=data'

    Stops on Ctrl-C.
    """
    from ..serve import serve as run_server  # the web stack loads only for this command

    store = app.store
    if not store.graph_records():
        err_console.print("[yellow]warning:[/] the store is empty; run `mcgraph build` (or `mcgraph load`) first")

    def announce(url: str) -> None:
        mode = "read-write" if writable else "read-only"
        console.print(f"mcgraph serve: {url} ({mode}; SPARQL at {url}query; Ctrl-C to stop)")

    run_server(store, host=host, port=port, writable=writable, announce=announce)
    console.print("mcgraph serve: stopped")
