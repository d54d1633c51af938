"""``mcgraph build``: load the repository's own ontology/ and data/ as listed in ``data/build.yaml``.

Each manifest entry names a graph, a source and the paths (globs, relative to the resource root) it reads::

    graphs:
      - graph: ontology
        source: rdf
        paths: [ontology/mcgraph.ttl, ontology/alignments.ttl]
      - graph: frameworks/{stem}     # {stem}: one graph per matched file
        source: rdf
        paths: [data/frameworks/*.ttl]

Build replaces the graphs it writes, so running it twice gives the same store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import __version__
from .errors import ConfigurationError
from .loading import load_source
from .namespaces import GRAPH
from .resources import resource_path, resource_root
from .sources import LoadReport
from .store import GraphStore

MANIFEST = "build.yaml"


@dataclass(frozen=True)
class BuildStep:
    """One graph the build writes: its name, source and files."""

    graph: str
    source: str
    paths: tuple[Path, ...]
    version: str


def read_manifest(path: Path | None = None) -> list[BuildStep]:
    """The build steps of ``data/build.yaml`` with globs expanded."""
    path = path or resource_path("data", MANIFEST)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{path}: not valid YAML: {exc}") from exc
    root = resource_root()
    steps: list[BuildStep] = []
    for n, entry in enumerate(doc.get("graphs", []), start=1):
        try:
            graph, source, patterns = entry["graph"], entry.get("source", "rdf"), entry["paths"]
        except (KeyError, TypeError) as exc:
            raise ConfigurationError(f"{path}: entry {n} needs 'graph' and 'paths'") from exc
        version = str(entry.get("version", __version__))
        matched: list[Path] = []
        for pattern in patterns:
            hits = sorted(root.glob(pattern))
            if not hits and entry.get("required", True):
                raise ConfigurationError(f"{path}: entry {n} ({graph}): nothing matches {pattern!r}")
            matched.extend(hits)
        if "{stem}" in graph:
            steps.extend(BuildStep(graph.format(stem=p.stem), source, (p,), version) for p in matched)
        elif matched:
            steps.append(BuildStep(graph, source, tuple(matched), version))
    return steps


def build(store: GraphStore, *, progress: Callable[[str, int], None] | None = None,
          manifest: Path | None = None) -> Iterator[LoadReport]:
    """Load every build step into ``store`` (replacing earlier builds), yielding one report per graph."""
    for step in read_manifest(manifest):
        callback = (lambda n, g=step.graph: progress(g, n)) if progress else None
        yield load_source(store, step.source, list(step.paths), version=step.version,
                          graph=str(GRAPH[step.graph]), replace=True, progress=callback, reserved_ok=True)
