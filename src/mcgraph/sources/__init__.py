"""Loaders for outside sources, one module each; see README.md in this folder for how to add one.

Every module here that defines a module-level ``SOURCE`` (an instance of :class:`~.base.Source`) is
registered under ``SOURCE.name`` and becomes ``mcgraph load <name> PATH``.

>>> "rdf" in available_sources()
True
"""

from __future__ import annotations

import sys
from functools import cache

from ..errors import SourceNotFoundError
from ..registry import discover
from .base import LoadReport, Source, SourceWarning


@cache
def available_sources() -> dict[str, Source]:
    """All registered sources by name."""
    return discover(sys.modules[__name__], "SOURCE", Source, skip={"base", "tabular"})


def get_source(name: str) -> Source:
    """The source registered as ``name``; raises with the list of known names."""
    sources = available_sources()
    if name not in sources:
        raise SourceNotFoundError(f"no source called {name!r}; known sources: {', '.join(sources)}")
    return sources[name]


__all__ = ["LoadReport", "Source", "SourceWarning", "available_sources", "get_source"]
