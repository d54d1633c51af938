"""SPARQL result serialisations of :class:`~mcgraph.store.QueryResult` values, and content negotiation.

Solutions (SELECT) and booleans (ASK) in the W3C SPARQL 1.1 result formats — JSON, XML, CSV, TSV;
graphs (CONSTRUCT, DESCRIBE) in Turtle, N-Triples, RDF/XML or JSON-LD.

>>> import pyoxigraph as ox
>>> r = QueryResult(("s", "n"), ((ox.NamedNode("http://example.org/a"), ox.Literal("1")),))
>>> serialise(r, "csv")
b's,n\\r\\nhttp://example.org/a,1\\r\\n'
>>> negotiate("text/csv;q=0.9, application/sparql-results+json", SOLUTION_TYPES)
'json'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from json.encoder import encode_basestring as _quote  # type: ignore[attr-defined]  # C: a JSON string literal
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..store import QueryResult, Term

SOLUTION_TYPES: Mapping[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
"""Result formats for SELECT and ASK, by short name; the first is the default."""

GRAPH_TYPES: Mapping[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
"""Result formats for CONSTRUCT and DESCRIBE, by short name; the first is the default."""

ALIASES: Mapping[str, str] = {
    "application/json": "json", "application/xml": "xml", "text/xml": "xml", "text/plain": "ntriples",
    "nt": "ntriples", "ttl": "turtle", "n-triples": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml",
}
"""Other names a client may use (``?format=ttl``, ``Accept: application/json``)."""

_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD,
}


class NotAcceptable(ValueError):
    """No format the client accepts can carry this kind of result."""


def negotiate(accept: str | None, offered: Mapping[str, str]) -> str:
    """The short name of the best format in ``offered`` for an ``Accept`` header (q-values honoured).

    A missing header, ``*/*`` or a matching ``type/*`` picks the first offered format; raises
    :class:`NotAcceptable` when nothing matches.
    """
    if not accept or not accept.strip():
        return next(iter(offered))
    by_type = {mime: name for name, mime in offered.items()}
    for mime, name in ALIASES.items():
        if "/" in mime and name in offered:
            by_type.setdefault(mime, name)
    best: tuple[float, int, int] | None = None
    chosen = ""
    for position, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        mime, q = parts[0].lower(), 1.0
        for p in parts[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if mime == "*/*":
            name = next(iter(offered))
        elif mime.endswith("/*"):
            name = next((n for n, m in offered.items() if m.startswith(mime[:-1])), "")
        else:
            name = by_type.get(mime, "")
        # prefer higher q, then specific types over wildcards, then the client's order
        rank = (q, 0 if "*" in mime else 1, -position)
        if name and (best is None or rank > best):
            best, chosen = rank, name
    if best is None:
        raise NotAcceptable(f"none of the accepted types ({accept}) can carry this result; "
                            f"available: {', '.join(offered.values())}")
    return chosen


def format_by_name(name: str, offered: Mapping[str, str]) -> str:
    """A ``format=`` value (short name, alias or media type) among ``offered``; raises :class:`NotAcceptable`."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    for short, mime in offered.items():
        if key in (short, mime):
            return short
    raise NotAcceptable(f"unknown format {name!r} for this result; use one of {', '.join(offered)}")


def offered_for(result: QueryResult) -> Mapping[str, str]:
    """The formats that can carry ``result``: graph formats for CONSTRUCT/DESCRIBE, result formats otherwise."""
    is_graph = result.boolean is None and not result.variables and not result.rows
    return GRAPH_TYPES if is_graph else SOLUTION_TYPES


def serialise(result: QueryResult, fmt: str) -> bytes:
    """``result`` in the format with short name ``fmt`` (a key of :data:`SOLUTION_TYPES` or :data:`GRAPH_TYPES`)."""
    if fmt in _GRAPH_FORMATS:
        kwargs: dict[str, object] = {"format": _GRAPH_FORMATS[fmt]}
        if fmt == "turtle":
            kwargs["prefixes"] = PREFIXES
        return ox.serialize(list(result.triples), **kwargs) or b""  # type: ignore[arg-type]
    if fmt == "json":
        return _json(result)
    if fmt == "xml":
        return _xml(result)
    if fmt == "csv":
        return _csv(result)
    if fmt == "tsv":
        return _tsv(result)
    raise NotAcceptable(f"unknown format {fmt!r}")


# -- JSON (https://www.w3.org/TR/sparql11-results-json/) ------------------------------------------------
# Written as text, term by term: three times faster than building dictionaries for json.dumps, which cost a
# third of a small query's time (bench/bench_serve.py).
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _json_term(term: Term) -> str:
    kind = type(term)
    if kind is ox.Literal:
        value = _quote(term.value)  # type: ignore[union-attr]
        if term.language:  # type: ignore[union-attr]
            return f'{{"type":"literal","value":{value},"xml:lang":{_quote(term.language)}}}'  # type: ignore[union-attr]
        datatype = term.datatype.value  # type: ignore[union-attr]
        if datatype == _XSD_STRING:
            return f'{{"type":"literal","value":{value}}}'
        return f'{{"type":"literal","value":{value},"datatype":{_quote(datatype)}}}'
    if kind is ox.NamedNode:
        return f'{{"type":"uri","value":{_quote(term.value)}}}'  # type: ignore[union-attr]
    if kind is ox.BlankNode:
        return f'{{"type":"bnode","value":{_quote(term.value)}}}'  # type: ignore[union-attr]
    # RDF-star quoted triple (SPARQL 1.2 drafts)
    parts = ",".join(f'"{k}":{_json_term(getattr(term, k))}' for k in ("subject", "predicate", "object"))
    return f'{{"type":"triple","value":{{{parts}}}}}'


def _json(result: QueryResult) -> bytes:
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}).encode()
    keys = [_quote(v) + ":" for v in result.variables]
    rows = ["{" + ",".join([keys[i] + _json_term(t) for i, t in enumerate(row) if t is not None]) + "}"
            for row in result.rows]
    head = json.dumps({"vars": list(result.variables)}, ensure_ascii=False)
    return f'{{"head":{head},"results":{{"bindings":[{",".join(rows)}]}}}}'.encode()


# -- XML (https://www.w3.org/TR/rdf-sparql-XMLres/) -----------------------------------------------------
def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return ("<triple>" + "".join(f"<{k}>{_xml_term(getattr(term, k))}</{k}>"
                                 for k in ("subject", "predicate", "object")) + "</triple>")


def _xml(result: QueryResult) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    if result.boolean is not None:
        out.append(f"</head><boolean>{'true' if result.boolean else 'false'}</boolean></sparql>")
        return "".join(out).encode()
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("</head><results>")
    for row in result.rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(result.variables, row) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode()


# -- CSV and TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/) -------------------------------------
def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _csv(result: QueryResult) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.boolean is not None:
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue().encode()
    writer.writerow(result.variables)
    writer.writerows([_csv_value(t) for t in row] for row in result.rows)
    return buffer.getvalue().encode()


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    text = str(term)  # N-Triples syntax: <iri>, _:b, "lexical"^^<datatype>, "text"@lang
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _tsv(result: QueryResult) -> bytes:
    if result.boolean is not None:
        return f"?_askResult\n{'true' if result.boolean else 'false'}\n".encode()
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode()
