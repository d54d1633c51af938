"""What every source (loader) is: a named reader turning files into triples, plus its load report.

A source never touches the store. It yields ``pyoxigraph`` triples (or quads) and tells the report what it
read, counted and skipped; :func:`mcgraph.loading.load_source` writes the result as one named graph.

>>> class Tiny(Source):
...     name, title = "tiny", "A tiny example"
...     def read(self, path, report):
...         report.add_file(path)
...         yield ox.Triple(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/p"), ox.Literal("x"))
...         report.count("things")
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import ConfigurationError
from ..rdf_io import NTriples
from ..store import GraphStore, SourceFile


@dataclass(frozen=True)
class SourceWarning:
    """Something a load skipped or doubted, with where it was."""

    path: str
    reason: str
    row: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}, row {self.row}" if self.row is not None else self.path
        return f"{where}: {self.reason}"


@dataclass
class LoadReport:
    """What one load did: files read (with hashes), counts per kind of thing, warnings, time, triples."""

    source: str
    version: str | None = None
    graph: str | None = None
    files: list[SourceFile] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    warnings: list[SourceWarning] = field(default_factory=list)
    triples: int = 0
    elapsed: float = 0.0
    #: The store being loaded into, for read-only look-ups while reading (for example: is this skill IRI
    #: loaded?). Sources must never write to it; None when a source runs without a store.
    store: GraphStore | None = field(default=None, repr=False, compare=False)

    def add_file(self, path: str | Path) -> None:
        """Record that ``path`` was read (name, SHA-256, size) for the load's provenance."""
        p = Path(path)
        digest = hashlib.sha256()
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        self.files.append(SourceFile(p.name, digest.hexdigest(), p.stat().st_size))

    def count(self, kind: str, n: int = 1) -> None:
        self.counts[kind] += n

    def warn(self, path: str | Path, reason: str, row: int | None = None) -> None:
        self.warnings.append(SourceWarning(Path(path).name, reason, row))


class Source(ABC):
    """A loader for one kind of outside source.

    Subclasses set ``name`` (the CLI word: ``mcgraph load <name> PATH``) and ``title``, and implement
    :meth:`read`. Register one instance as the module-level ``SOURCE`` of a module in ``mcgraph.sources``.
    """

    name: str = ""
    title: str = ""
    #: What PATH is: "file", "folder" or "file or folder" (shown in help and errors).
    accepts: str = "file"
    #: Options the source takes (``mcgraph load NAME PATH -O key=value``): name → help. Each is a keyword
    #: argument of the subclass's ``__init__``; "true"/"false" values arrive as booleans.
    options: dict[str, str] = {}

    def configure(self, options: Mapping[str, str]) -> Source:
        """A copy of this source with ``options`` set; unknown names raise, listing the known ones."""
        if not options:
            return self
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            known = ", ".join(f"{k} ({v})" for k, v in self.options.items()) or "none"
            raise ConfigurationError(f"source {self.name!r} has no option {', '.join(map(repr, unknown))}; "
                                     f"its options: {known}")
        values = {k: {"true": True, "false": False}.get(v.lower(), v) for k, v in options.items()}
        try:
            return type(self)(**values)
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(f"source {self.name!r}: {exc}") from exc

    def detect_version(self, path: Path) -> str | None:
        """The release of the data at ``path`` when it can be told from the files (else None)."""
        return None

    def native_format(self, path: Path) -> ox.RdfFormat | None:
        """The RDF syntax of ``path`` when the store may bulk-load it as is, skipping :meth:`read`.

        Sources reading RDF return it (a triple syntax) for the fast path; the default, None, means "use read".
        """
        return None

    def extra_triples(self, path: Path, report: LoadReport) -> Iterable[ox.Triple]:
        """Triples to add beside a file loaded on the fast path (:meth:`native_format`), in the same
        all-or-nothing write: what the source derives from the file (types, reified links …). Default: none."""
        return ()

    def graph_name(self, version: str | None) -> str:
        """Local part of the named graph for this source and version (``esco/1.1.1``)."""
        return f"{self.name}/{version or 'unversioned'}"

    def graph_for(self, path: Path, version: str | None) -> str:
        """Local part of the default graph for loading ``path``: :meth:`graph_name` unless a source names
        graphs after their files (one catalogue file, one graph)."""
        return self.graph_name(version)

    @abstractmethod
    def read(self, path: Path, report: LoadReport) -> Iterable[ox.Triple | ox.Quad | NTriples]:
        """Yield the triples of the data at ``path``; raise :class:`~mcgraph.errors.SourceFormatError`
        (file, row, reason) on input that cannot be read. Warnings and counts go to ``report``.

        A source producing millions of triples may yield :class:`~mcgraph.rdf_io.NTriples` text blocks instead
        (written with :func:`~mcgraph.rdf_io.nt_iri` and :func:`~mcgraph.rdf_io.nt_literal`): the embedded
        store bulk-loads them as they are, with no Python object per triple."""
