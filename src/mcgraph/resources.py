"""The one place that knows where ontology/, shapes/, queries/ and data/ live.

In a wheel they ship as package data under ``mcgraph/_resources``; in an editable install (or a plain
checkout on ``sys.path``) they are read live from the repository root.

>>> (resource_dir("ontology") / "mcgraph.ttl").name
'mcgraph.ttl'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .errors import SourceNotFoundError

KINDS = ("ontology", "shapes", "queries", "data")


@cache
def resource_root() -> Path:
    """The folder holding ontology/, shapes/, queries/ and data/."""
    packaged = Path(__file__).resolve().parent / "_resources"
    if packaged.is_dir():
        return packaged
    repo = Path(__file__).resolve().parents[2]
    if (repo / "ontology").is_dir():
        return repo
    raise SourceNotFoundError(
        "cannot find mcgraph's ontology/, shapes/, queries/ and data/: neither packaged resources nor a "
        f"repository checkout next to {Path(__file__).resolve().parent}"
    )


def resource_dir(kind: str) -> Path:
    """Path of one resource folder: ``ontology``, ``shapes``, ``queries`` or ``data``."""
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {KINDS}")
    return resource_root() / kind


def resource_path(kind: str, relative: str | Path) -> Path:
    """Path of one file inside a resource folder; raises if it does not exist."""
    path = resource_dir(kind) / relative
    if not path.exists():
        raise SourceNotFoundError(f"no {kind} resource {str(relative)!r} (looked in {resource_dir(kind)})")
    return path
