"""Report pages served beside the SPARQL endpoint: the one place to add them.

A report module (a compliance matrix, a credential's report, an occupation's gap) offers its pages as
Starlette routes built over the store, and :func:`page_routes` lists them; :func:`~mcgraph.serve.app.create_app`
mounts whatever it returns. None exists yet, so there are no page routes. To add one::

    from starlette.routing import Route

    def page_routes(store):
        from ..compliance import render_matrix            # the report module, imported late
        async def matrix(request):
            return HTMLResponse(render_matrix(store))
        return [Route("/reports/compliance", matrix)]

Keep page modules free of SPARQL strings: they call named queries (``mcgraph.queries.run_query``).
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from ..store import GraphStore


def page_routes(store: GraphStore) -> list[BaseRoute]:
    """The report pages to serve over ``store`` (none yet)."""
    return []
