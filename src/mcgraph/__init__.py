"""mcgraph: a competency-mapping knowledge graph for micro-credentials.

>>> import mcgraph
>>> store = mcgraph.EmbeddedStore()          # in memory; mcgraph.open_store() opens the default on disk
>>> reports = list(mcgraph.build(store))     # the repository's ontology and curated data
>>> len(mcgraph.run_query(store, "ontology-classes")) > 10
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mcgraph")
except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
    __version__ = "0.0.0"

from .analysis import GapResult, coverage_matrix, gaps, recommend, supply_demand  # noqa: E402
from .analysis.pathways import PathsResult, check_completion, paths  # noqa: E402
from .build import build  # noqa: E402
from .checks import CheckReport, CheckResult, Severity  # noqa: E402
from .checks.compliance import compliance  # noqa: E402
from .checks.shacl import validate  # noqa: E402
from .errors import (  # noqa: E402
    ConfigurationError,
    GraphExistsError,
    McgraphError,
    ParameterError,
    QueryError,
    SourceFormatError,
    SourceNotFoundError,
    StoreError,
)
from .loading import load_source  # noqa: E402
from .queries import NamedQuery, get_query, list_queries, run_query  # noqa: E402
from .reasoning import check_consistency, classify, materialise  # noqa: E402
from .sources import LoadReport, Source, available_sources, get_source  # noqa: E402
from .store import EmbeddedStore, GraphInfo, GraphStore, LoadRecord, QueryResult, open_store  # noqa: E402
from .store.remote import RemoteStore  # noqa: E402

__all__ = [
    "CheckReport", "CheckResult", "ConfigurationError", "EmbeddedStore", "GapResult", "GraphExistsError",
    "GraphInfo", "GraphStore", "LoadRecord", "LoadReport", "McgraphError", "NamedQuery", "ParameterError",
    "PathsResult", "QueryError", "QueryResult", "RemoteStore", "Severity", "Source", "SourceFormatError",
    "SourceNotFoundError", "StoreError", "__version__", "available_sources", "build", "check_completion",
    "check_consistency", "classify", "compliance", "coverage_matrix", "gaps", "get_query", "get_source",
    "list_queries", "load_source", "materialise", "open_store", "paths", "recommend", "run_query", "supply_demand",
    "validate",
]
