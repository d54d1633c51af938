"""Plug-in discovery: the modules of a package that define a named module-level object of a given type.

Sources (``SOURCE``), exporters (``EXPORTER``) and credential formats (``FORMAT``) are all found this way, so
adding one is adding a module.

>>> from mcgraph import sources
>>> "rdf" in discover(sources, "SOURCE", sources.Source, skip={"base", "tabular"})
True
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Collection
from types import ModuleType
from typing import TypeVar

T = TypeVar("T")


def discover(package: ModuleType, attribute: str, kind: type[T], *, skip: Collection[str] = ()) -> dict[str, T]:
    """``{obj.name: obj}`` for every module of ``package`` (not private, not in ``skip``) whose
    ``attribute`` is an instance of ``kind``, sorted by name."""
    found: dict[str, T] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_") or info.name in skip:
            continue
        obj = getattr(importlib.import_module(f"{package.__name__}.{info.name}"), attribute, None)
        if isinstance(obj, kind):
            found[obj.name] = obj  # type: ignore[attr-defined]
    return dict(sorted(found.items()))
