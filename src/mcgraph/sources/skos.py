"""Any SKOS taxonomy as an RDF file (any syntax Oxigraph reads), checked for SKOS integrity on load.

``mcgraph load skos my-taxonomy.ttl`` loads the file as it is into ``graph:skos/<file stem>`` (``--version``
or ``--graph`` name it otherwise) and runs :func:`mcgraph.checks.skos.check_skos` over it: every issue
becomes a warning of the load report (``error: …`` or ``warning: …``), and the counts ``concepts``,
``schemes``, ``SKOS errors`` and ``SKOS warnings`` are reported. ``SkosSource(strict=True)`` refuses to load a
file with SKOS errors (nothing is written); ``mcgraph check skos FILE`` prints the full report and exits 1.

>>> from mcgraph.store import EmbeddedStore
>>> from mcgraph.loading import load_source
>>> from mcgraph.resources import resource_path
>>> report = load_source(EmbeddedStore(), "skos", resource_path("data", "examples/green-skills/green-skills.ttl"))
>>> report.counts["concepts"], report.counts["SKOS errors"]
(9, 0)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..checks.skos import SkosReport, check_skos
from ._options import option_bool
from .base import LoadReport, Source
from .rdf import parse_rdf
from .tabular import require_file


def record_skos_report(report: LoadReport, path: Path, skos: SkosReport, *, strict: bool = False) -> None:
    """Copy a SKOS check into a load report (counts + one warning per issue); raise when ``strict`` and errors."""
    report.count("concepts", skos.concepts)
    report.count("schemes", len(skos.schemes))
    report.count("SKOS errors", len(skos.errors))
    report.count("SKOS warnings", len(skos.warnings))
    if strict and skos.errors:
        first = skos.errors[0]
        raise SourceFormatError(path, f"{len(skos.errors)} SKOS integrity error(s), e.g. {first.rule}: "
                                f"<{first.focus}> {first.message} (run `mcgraph check skos` for the report)")
    for issue in skos.issues:
        report.warn(path, f"SKOS {issue}")


class SkosSource(Source):
    """Load a SKOS file unchanged and report its SKOS integrity."""

    name = "skos"
    title = "SKOS taxonomy file (any RDF syntax), checked for SKOS integrity"
    accepts = "file"
    options = {"strict": "true/false (yes/no, on/off, 1/0): true refuses to load when the SKOS check finds errors"}

    def __init__(self, strict: bool | str = False) -> None:
        self.strict = option_bool(strict, "strict")

    def detect_version(self, path: Path) -> str | None:
        """The file's stem stands in for the taxonomy's name, so two files load into two graphs."""
        stem = path.name.split(".")[0]
        return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or None

    def read(self, path: Path, report: LoadReport) -> Iterator[ox.Triple | ox.Quad]:
        require_file(path)
        report.add_file(path)
        items = list(parse_rdf(path))
        report.count("triples read", len(items))
        record_skos_report(report, path, check_skos(items, source=path.name), strict=self.strict)
        yield from items


SOURCE = SkosSource()
