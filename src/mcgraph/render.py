"""Renderings of query results and load reports: rich tables for people, CSV / TSV / JSON for tools."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

import pyoxigraph as ox
from rich.table import Table

from .namespaces import GRAPH, PREFIXES
from .sources import LoadReport
from .store import GraphInfo, QueryResult, Term

RESULT_FORMATS = ("table", "csv", "tsv", "json")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def shorten(value: str) -> str:
    """``http://data.europa.eu/esco/model#Skill`` → ``esco:Skill`` for display; unknown IRIs unchanged."""
    for prefix, ns in _BY_LENGTH:
        if value.startswith(ns) and len(value) > len(ns):
            local = value[len(ns):]
            if all(c.isalnum() or c in "-_./" for c in local):
                return f"{prefix}:{local}"
    return value


def graph_label(graph: str) -> str:
    """``https://w3id.org/mcgraph/graph/esco/1.1.1`` → ``esco/1.1.1``; other graph IRIs unchanged."""
    return graph.removeprefix(str(GRAPH)) if graph.startswith(str(GRAPH)) else graph


def display(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value  # type: ignore[union-attr]


def result_table(result: QueryResult, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for v in result.variables:
        table.add_column(v, overflow="fold")
    for row in result.rows:
        table.add_row(*(display(t) for t in row))
    return table


def result_text(result: QueryResult, fmt: str) -> str:
    """CSV (lexical values), TSV (RDF terms) or SPARQL 1.1 JSON results."""
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower()
    if result.triples:
        return ox.serialize(list(result.triples), format=ox.RdfFormat.N_TRIPLES).decode()
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
        return json.dumps({"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}, indent=1)
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        writer.writerows([("" if t is None else t.value) for t in row] for row in result.rows)  # type: ignore[union-attr]
    else:
        buffer.write("\t".join(f"?{v}" for v in result.variables) + "\n")
        for row in result.rows:
            buffer.write("\t".join("" if t is None else str(t) for t in row) + "\n")
    return buffer.getvalue()


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _size(n: int) -> str:
    """A byte count for people: 512 B, 12.3 kB, 4.5 MB."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def graphs_table(graphs: Iterable[GraphInfo]) -> Table:
    table = Table(title="Named graphs", header_style="bold")
    for col, justify in (("graph", "left"), ("source", "left"), ("version", "left"), ("triples", "right"),
                         ("files (SHA-256, size)", "left"), ("loaded (UTC)", "left")):
        table.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
    total = 0
    for g in graphs:
        total += g.triples
        shown = [f"{f.name} ({f.sha256[:12]}, {_size(f.size)})" for f in g.sources] or list(g.files)
        files = "\n".join(shown[:3]) + (f"\n+{len(shown) - 3} more" if len(shown) > 3 else "")
        table.add_row(graph_label(g.graph), g.source or "", g.version or "", f"{g.triples:,}", files,
                      (g.loaded_at or "")[:19].replace("T", " "))
    table.add_section()
    table.add_row("total", "", "", f"{total:,}", "", "")
    return table


def report_table(report: LoadReport) -> Table:
    table = Table(title=f"Loaded {report.source} {report.version or ''} → {graph_label(report.graph or '')}",
                  header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    for kind, n in sorted(report.counts.items()):
        table.add_row(kind, f"{n:,}")
    table.add_section()
    table.add_row("triples", f"{report.triples:,}")
    table.add_row("warnings", f"{len(report.warnings):,}")
    table.add_row("seconds", f"{report.elapsed:.2f}")
    return table
