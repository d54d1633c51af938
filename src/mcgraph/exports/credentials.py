"""``mcgraph export credentials --format csv|yaml|elm|ob3|ctdl``: the credentials in the store, as a file.

``csv`` and ``yaml`` write the catalogue template (``data/catalog/README.md``), which loads back into the
same graph. ``elm``, ``ob3`` and ``ctdl`` call ``mcgraph.credentials.<format>.export(store) -> bytes``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..credentials.model import iter_credentials
from ..credentials.table import write_csv, write_yaml
from ..errors import McgraphError
from ..store import GraphStore
from . import Exporter

INTERCHANGE_FORMATS = ("elm", "ob3", "ctdl")


class CredentialsExporter(Exporter):
    name = "credentials"
    title = "Credential catalogue (template CSV/YAML, ELM, Open Badges 3.0, CTDL)"
    formats = ("csv", "yaml", "elm", "ob3", "ctdl")

    def export(self, store: GraphStore, fmt: str, output: Path | None) -> bytes | None:
        if fmt in ("csv", "yaml"):
            credentials = iter_credentials(store)
            data = write_csv(credentials) if fmt == "csv" else write_yaml(credentials)
        elif fmt in INTERCHANGE_FORMATS:
            data = _interchange(fmt)(store)
        else:
            raise McgraphError(f"credentials export as {fmt!r} is not supported; use one of {', '.join(self.formats)}")
        if output is not None:
            Path(output).write_bytes(data)
            return None
        return data


def _interchange(fmt: str):  # type: ignore[no-untyped-def]
    try:
        module = importlib.import_module(f"mcgraph.credentials.{fmt}")
    except ModuleNotFoundError as exc:
        if exc.name != f"mcgraph.credentials.{fmt}":
            raise
        raise McgraphError(f"credentials export as {fmt!r} is not available in this version of mcgraph "
                           "(no module mcgraph.credentials." + fmt + ")") from None
    export = getattr(module, "export", None)
    if export is None:
        raise McgraphError(f"credentials export as {fmt!r} is not available: mcgraph.credentials.{fmt} "
                           "has no export(store) function")
    return export


EXPORTER = CredentialsExporter()
