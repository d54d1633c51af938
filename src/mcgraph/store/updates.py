"""A user's SPARQL 1.1 Update (``mcgraph serve --writable``, :meth:`GraphStore.update`): what it may write.

The rule, the same on every backend, checked on the parsed update before the engine sees it:

* an update writes only into **named graphs it owns**: a graph that does not exist yet, or one an earlier
  update created (its load record's source is :data:`UPDATE_SOURCE`). Every template, ``INSERT DATA``,
  ``DELETE DATA``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``/``COPY``/``MOVE`` target must name such a graph by
  its IRI (``GRAPH <…>`` or ``WITH <…>``): a variable graph name (``GRAPH ?g``) or the default graph is refused,
  as it could reach any graph;
* reserved graphs (the metadata graph, ``ontology``, ``inferred/…``, the graphs ``mcgraph build`` wrote) are
  never written (see :mod:`.graphs`); nor are graphs ``mcgraph load`` filled from files — their load record
  holds the files' SHA-256, which an edit would make false: change the files and ``mcgraph load --replace``;
* ``DROP``/``CLEAR ALL``, ``NAMED`` and ``DEFAULT`` are refused, and so are ``LOAD`` and ``SERVICE`` (nothing a
  user sends makes the engine reach the network);
* the ``WHERE`` clause may read every graph.

After the update each graph it wrote has a load record (source :data:`UPDATE_SOURCE`, its triple count), so
``mcgraph stats`` lists it and ``mcgraph drop`` removes it; ``DROP GRAPH`` in an update removes the record too.

>>> plan_update("INSERT DATA { GRAPH <https://example.org/g> { <urn:a> <urn:b> 1 } }").graphs
('https://example.org/g',)
>>> plan_update("DROP ALL")
Traceback (most recent call last):
...
mcgraph.store.updates.UpdateRefused: update refused: DROP ALL would remove every graph (the load records and the built frameworks too); drop one graph you created by update with DROP GRAPH <…>
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..errors import QueryError, StoreError
from ..namespaces import PREFIXES
from .base import GraphStore, LoadRecord, iri
from .graphs import check_graph, is_reserved
from .metadata import internal_query, reserved_graphs

UPDATE_SOURCE = "sparql-update"
"""The source named by the load record of a graph a user's SPARQL update created."""
UPDATE_TITLE = "written by SPARQL update"


_KEYWORDS = {"InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE"}


class UpdateRefused(StoreError):
    """A user update the graph rules refuse (nothing was run)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"update refused: {reason}")


@dataclass(frozen=True)
class UpdatePlan:
    """The graphs one update writes or drops (in order of first mention), and those among them it drops."""

    graphs: tuple[str, ...]
    drops: tuple[str, ...] = ()


def plan_update(sparql: str) -> UpdatePlan:
    """Parse ``sparql`` (mcgraph's prefixes known) and list the graphs it writes; refuse what the rule forbids.

    Raises :class:`~mcgraph.errors.QueryError` for a syntax error and :class:`UpdateRefused` for an operation
    the rule refuses.
    """
    from rdflib.plugins.sparql.algebra import translateUpdate  # rdflib's SPARQL parser loads only here
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        update = translateUpdate(parseUpdate(sparql), initNs=dict(PREFIXES))
    except Exception as exc:  # noqa: BLE001  (pyparsing and rdflib raise many kinds)
        raise QueryError(f"SPARQL update syntax error: {' '.join(str(exc).split())[:300]}") from None
    writes: dict[str, None] = {}  # every graph written or dropped
    drops: dict[str, None] = {}
    for op in update.algebra:
        if _contains_service(op):
            raise UpdateRefused("SERVICE makes the engine fetch data from the network; updates sent to mcgraph "
                                "may not use it")
        kind = op.name
        if kind == "Load":
            raise UpdateRefused("LOAD makes the engine fetch a document from the network; load files with "
                                "`mcgraph load FILE --graph NAME`")
        if kind in ("Drop", "Clear", "Create"):
            target = op.graphiri
            if target in ("ALL", "NAMED", "DEFAULT"):
                if target == "DEFAULT":
                    raise UpdateRefused(f"{kind.upper()} DEFAULT: mcgraph keeps every triple in named graphs; "
                                        f"name one with {kind.upper()} GRAPH <…>")
                what = "every graph" if target == "ALL" else "every named graph"
                raise UpdateRefused(f"{kind.upper()} {target} would remove {what} (the load records and the built "
                                    f"frameworks too); {kind.lower()} one graph you created by update with "
                                    f"{kind.upper()} GRAPH <…>")
            name = _graph_name(target, kind.upper())
            writes[name] = None
            if kind == "Drop":
                drops[name] = None
        elif kind in ("Add", "Copy", "Move"):
            source, destination = op.graph
            writes[_graph_name(destination, f"{kind.upper()} … TO")] = None
            if kind == "Move":
                writes[_graph_name(source, "MOVE")] = None
                drops[_graph_name(source, "MOVE")] = None
            elif source == "DEFAULT":
                raise UpdateRefused(f"{kind.upper()} DEFAULT: mcgraph keeps every triple in named graphs; name the "
                                    "graph to read from")
        elif kind in ("InsertData", "DeleteData", "DeleteWhere"):
            for name in _template_graphs(op, None, _KEYWORDS[kind]):
                writes[name] = None
        elif kind == "Modify":
            default = dict.get(op, "withClause")  # CompValue.get answers the key itself when it is missing
            for clause in (dict.get(op, "delete"), dict.get(op, "insert")):
                if clause is not None:
                    for name in _template_graphs(clause, default, "DELETE/INSERT"):
                        writes[name] = None
        else:  # pragma: no cover  (every SPARQL 1.1 Update operation is listed above)
            raise UpdateRefused(f"unknown update operation {kind}")
    return UpdatePlan(tuple(writes), tuple(drops))


def _graph_name(term: object, where: str) -> str:
    from rdflib import URIRef

    if isinstance(term, URIRef):
        return _iri(term)
    if term == "DEFAULT":
        raise UpdateRefused(f"{where} DEFAULT: mcgraph keeps every triple in named graphs; name one with GRAPH <…>")
    raise UpdateRefused(f"{where} needs a graph IRI")  # pragma: no cover  (the grammar allows nothing else)


def _template_graphs(clause: Mapping[str, Any], default: object, what: str) -> Iterator[str]:
    """The graphs a template (or DATA block) writes: its ``GRAPH <g>`` parts, and ``default`` (``WITH``) for
    triples outside them."""
    from rdflib import URIRef

    if dict.get(clause, "triples"):
        if not isinstance(default, URIRef):
            raise UpdateRefused(f"{what} writes triples to the default graph: mcgraph keeps every triple in a named "
                                "graph; wrap them in GRAPH <https://…> { … } (or start the update with WITH <…>)")
        yield _iri(default)
    for graph in (dict.get(clause, "quads") or {}):
        if not isinstance(graph, URIRef):
            raise UpdateRefused(f"{what} writes GRAPH ?{graph}: a variable graph name could reach any graph, "
                                "reserved ones included; name the graph by its IRI")
        yield _iri(graph)


def _iri(term: object) -> str:
    """The IRI as the engine reads it: rdflib keeps the backslash of a prefixed name's escapes
    (``graph:inferred\\/x``), which SPARQL drops (no IRI holds a backslash otherwise)."""
    return re.sub(r"\\(.)", r"\1", str(term))


def _contains_service(node: object) -> bool:
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, Mapping):
        return any(_contains_service(v) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_contains_service(v) for v in node)
    return False


def check_update(store: GraphStore, sparql: str) -> tuple[UpdatePlan, set[str]]:
    """The plan of ``sparql`` when ``store``'s graph rules let a user run it, and which of its graphs have a
    load record already; raises :class:`UpdateRefused` otherwise. Only reads the store."""
    plan = plan_update(sparql)
    recorded: set[str] = set()
    for graph in plan.graphs:
        action = "drop" if graph in plan.drops else "write into"
        check_graph(graph)  # no dot segments, fragments or queries in graph names
        if is_reserved(graph, built=bool(reserved_graphs(store, graph))):
            raise UpdateRefused(f"cannot {action} <{graph}>: it is a reserved graph (the metadata graph, the "
                                "ontology, a graph `mcgraph build` or reasoning wrote), written only by mcgraph "
                                "itself; write into a graph of your own")
        source = record_source(store, graph)
        if source is not None and source != UPDATE_SOURCE:
            raise UpdateRefused(f"cannot {action} <{graph}>: `mcgraph load` filled it from {source} and its load "
                                "record holds the files' SHA-256; change the files and run `mcgraph load "
                                "--replace`, or write into a graph of your own")
        if source is None and store.contains_graph(graph):
            raise UpdateRefused(f"cannot {action} <{graph}>: it has no load record (mcgraph did not write it); "
                                "write into a graph of your own")
        if source is not None:
            recorded.add(graph)
    return plan, recorded


def records_after(store: GraphStore, plan: UpdatePlan, recorded: set[str]) -> list[tuple[str, LoadRecord | None]]:
    """Each graph the update touched, with its new load record (None: remove the record). A graph that exists
    or had a record keeps one with its new triple count; one the update dropped loses it; one it only named
    (an INSERT … WHERE that matched nothing) gets none."""
    out: list[tuple[str, LoadRecord | None]] = []
    for graph in plan.graphs:
        exists = store.contains_graph(graph)
        if exists or (graph in recorded and graph not in plan.drops):
            record = LoadRecord(graph=graph, source=UPDATE_SOURCE, title=UPDATE_TITLE)
            record.triples = store.count(graph) if exists else 0
            record.ended = datetime.now(timezone.utc)
            out.append((graph, record))
        elif graph in recorded:
            out.append((graph, None))
    return out


def record_source(store: GraphStore, graph: str) -> str | None:
    """The source named by ``graph``'s load record (None without one)."""
    rows = store.query(internal_query("load-records"), {"g": iri(graph)}).rows
    return rows[0][1].value if rows else None  # type: ignore[union-attr]


__all__: Sequence[str] = ["UPDATE_SOURCE", "UpdatePlan", "UpdateRefused", "check_update", "plan_update",
                          "record_source", "records_after"]
