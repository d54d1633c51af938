"""``mcgraph serve``: a SPARQL endpoint, the named query library and a query page over the store.

:func:`create_app` builds the ASGI application; :func:`~mcgraph.serve.runner.serve` runs it with uvicorn.
"""

from __future__ import annotations

from .app import create_app
from .runner import serve

__all__ = ["create_app", "serve"]
