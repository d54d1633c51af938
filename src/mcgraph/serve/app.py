"""The ``mcgraph serve`` web application: SPARQL protocol, named query library and query page on one store.

>>> from mcgraph.store import EmbeddedStore
>>> app = create_app(EmbeddedStore())
>>> sorted(r.path for r in app.routes)
['/', '/queries', '/queries/{name:path}', '/query', '/static', '/update']

Run it with :func:`mcgraph.serve.serve` (``mcgraph serve``) or any ASGI server.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..store import GraphStore
from .library import QueryLibrary
from .pages import page_routes
from .sparql import SparqlEndpoints

STATIC = Path(__file__).resolve().parent / "static"
"""The query page and its bundled assets (YASGUI; see static/NOTICE.md)."""


def create_app(store: GraphStore, *, writable: bool = False, extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The ASGI application over ``store``; updates are refused (403) unless ``writable``.

    Routes: ``/`` query page, ``/static/…`` its assets, ``/query`` and ``/update`` (SPARQL 1.1 protocol),
    ``/queries`` and ``/queries/NAME`` (named queries), then the report pages of
    :func:`~mcgraph.serve.pages.page_routes` and ``extra_routes``.
    """
    sparql = SparqlEndpoints(store, writable=writable)
    library = QueryLibrary(store)

    async def page(request: object) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    routes: list[BaseRoute] = [
        Route("/", page, methods=["GET", "HEAD"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        Route("/query", sparql.query, methods=["GET", "POST"]),
        Route("/update", sparql.update, methods=["POST"]),
        Route("/queries", library.index, methods=["GET"]),
        Route("/queries/{name:path}", library.run, methods=["GET"]),
        *page_routes(store),
        *extra_routes,
    ]
    app = Starlette(routes=routes)
    app.state.store = store
    app.state.writable = writable
    return app
