"""The errors mcgraph raises; every one names what went wrong and where.

::

    McgraphError                  base: anything the user can act on (CLI exit code 2)
    ├── SourceFormatError         a file cannot be read: path, line/row, column, reason
    ├── SourceNotFoundError       no loader of that name / no file at that path
    ├── GraphExistsError          the target named graph is already loaded (use replace)
    ├── QueryError                a query is malformed or failed in the engine
    │   └── ParameterError        a query parameter is missing, unknown or mistyped
    ├── StoreError                the store cannot be opened or written
    └── ConfigurationError        a manifest, mapping or setting is wrong
"""

from __future__ import annotations

from pathlib import Path


class McgraphError(Exception):
    """Base class of every error mcgraph raises on purpose."""


class SourceFormatError(McgraphError):
    """A source file is malformed.

    >>> str(SourceFormatError("skills.csv", "missing column 'conceptUri'", line=1))
    "skills.csv, line 1: missing column 'conceptUri'"
    """

    def __init__(
        self,
        path: str | Path,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        self.column = column
        self.row = row
        self.field = field
        super().__init__(self._render())

    def _render(self) -> str:
        where = [self.path]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.reason}"


class SourceNotFoundError(McgraphError):
    """No loader, file or resource of the given name."""


class GraphExistsError(McgraphError):
    """The named graph a load targets already holds data."""


class QueryError(McgraphError):
    """A SPARQL query is malformed, unknown, or failed in the engine."""


class ParameterError(QueryError):
    """A query parameter is missing, not declared by the query, or not of its type."""


class StoreError(McgraphError):
    """The store cannot be opened, read or written."""


class ConfigurationError(McgraphError):
    """A manifest, mapping file or setting is wrong."""
