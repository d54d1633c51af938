"""Exporters: turn what is in the store back into outside formats (``mcgraph export WHAT --format F``).

Every module here defining a module-level ``EXPORTER`` (an :class:`Exporter`) is registered under its name.
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from functools import cache
from pathlib import Path

from ..errors import SourceNotFoundError
from ..registry import discover
from ..store import GraphStore


class Exporter(ABC):
    """Writes one kind of thing (credentials, crosswalks, …) from the store in one of several formats."""

    name: str = ""
    title: str = ""
    formats: tuple[str, ...] = ()

    @abstractmethod
    def export(self, store: GraphStore, fmt: str, output: Path | None) -> bytes | None:
        """Write to ``output`` (returning None) or return the bytes when ``output`` is None."""


@cache
def available_exporters() -> dict[str, Exporter]:
    """All registered exporters by name."""
    return discover(sys.modules[__name__], "EXPORTER", Exporter)


def get_exporter(name: str) -> Exporter:
    exporters = available_exporters()
    if name not in exporters:
        raise SourceNotFoundError(f"nothing called {name!r} to export; known: {', '.join(exporters) or 'none'} "
                                  "(or omit it to export graphs as RDF)")
    return exporters[name]
