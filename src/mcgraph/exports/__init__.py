"""Exporters: turn what is in the store back into outside formats (``mcgraph export WHAT --format F``).

Every module here defining a module-level ``EXPORTER`` (an :class:`Exporter`) is registered under its name.
"""

from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from functools import cache
from pathlib import Path

from ..errors import SourceNotFoundError
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
    found: dict[str, Exporter] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        exporter = getattr(importlib.import_module(f"{__name__}.{info.name}"), "EXPORTER", None)
        if isinstance(exporter, Exporter):
            found[exporter.name] = exporter
    return dict(sorted(found.items()))


def get_exporter(name: str) -> Exporter:
    exporters = available_exporters()
    if name not in exporters:
        raise SourceNotFoundError(f"nothing called {name!r} to export; known: {', '.join(exporters) or 'none'} "
                                  "(or omit it to export graphs as RDF)")
    return exporters[name]
