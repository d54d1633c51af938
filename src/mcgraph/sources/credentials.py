"""``mcgraph load credentials FILE``: a micro-credential catalogue in any registered format.

The format is chosen by :func:`mcgraph.credentials.formats.detect_format`: ``.csv``/``.yaml``/``.yml`` are the
tabular template (``data/catalog/README.md``); JSON-LD files go to whichever registered format (Open Badges
3.0, ELM, CTDL) recognises their content.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ..credentials.formats import available_formats, detect_format
from .base import LoadReport, Source
from .tabular import require_file


class CredentialsSource(Source):
    """Credential catalogues: tabular CSV/YAML template, Open Badges 3.0, ELM or CTDL."""

    name = "credentials"
    title = "Micro-credential catalogue (CSV/YAML template, OB3, ELM, CTDL)"
    accepts = "file"

    def graph_name(self, version: str | None) -> str:
        return f"catalog/{version or 'unversioned'}"

    def graph_for(self, path: Path, version: str | None) -> str:
        """``catalog/<file stem>[/<version>]``: each catalogue file is its own graph."""
        stem = path.name.split(".")[0] or "unnamed"
        return f"catalog/{stem}" + (f"/{version}" if version else "")

    def read(self, path: Path, report: LoadReport) -> Iterator[ox.Triple | ox.Quad]:
        suffixes = ", ".join(sorted({s for f in available_formats().values() for s in f.suffixes}))
        require_file(path, f" (give a catalogue file: {suffixes})")
        fmt = detect_format(path)
        report.count(f"files read as {fmt.name}")
        yield from fmt.read(path, report)


SOURCE = CredentialsSource()
