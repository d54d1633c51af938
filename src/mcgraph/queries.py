"""Named SPARQL queries: ``queries/<name>.rq`` files with a header, run with engine-bound parameters.

A query file starts with a comment header::

    # title: Classes of the mcgraph ontology
    # description: Every OWL class in the ontology with its label and comment.
    # param: text string optional — only classes whose label contains this text (case-insensitive)
    # param: limit integer default=100 — at most this many rows
    # columns: class label comment

Parameters are SPARQL variables (``?text``) whose values the engine substitutes before evaluation
(Oxigraph's ``substitutions``, SEP-0007): a value is always one RDF term, never query text.

>>> q = NamedQuery.parse("# title: t\\n# param: n integer — a number\\nSELECT ?n WHERE {}", name="t")
>>> q.bind({"n": "3"})["n"].value
'3'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from .errors import ParameterError, QueryError
from .namespaces import XSD, expand_curie
from .resources import resource_dir
from .store import GraphStore, QueryResult, Term

PARAM_TYPES = ("iri", "string", "literal", "integer", "decimal", "number", "boolean", "date")
_HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s+(\w+)((?:\s+(?:required|optional|default=\S+))*)\s*(?:[—-]+\s*(.*))?$")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')
#: IRI schemes written without ``//`` that a bare parameter value may use (others must be in ``<…>``).
_BARE_SCHEMES = frozenset({"urn", "mailto", "tag", "did", "data"})

ALLOW_SERVICE_OPTION = "--allow-service"
"""The ``mcgraph query`` option that lets a query use ``SERVICE`` (federated query: the engine fetches from
the network). Off by default; none of the named queries needs it."""

# SPARQL 1.1 lexical pieces (section 19.8) that may contain the word SERVICE without being the keyword.
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SPARQL_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'          # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'                # short strings
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'           # IRI references
    r"|#[^\n\r]*"                          # comments
    r"|[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+"  # variables
    r"|[\w.\u00b7-]*:[\w.:%\\\u00b7-]*"      # prefixed names (and bare prefixes)
    r"|\w+",                               # keywords and other words
    re.UNICODE,
)


@dataclass(frozen=True)
class Parameter:
    """One declared query parameter."""

    name: str
    type: str
    required: bool = True
    default: str | None = None
    description: str = ""

    def to_term(self, value: object) -> Term:
        """Turn a Python or command-line value into the RDF term of this parameter's type."""
        if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
            return value
        text = str(value)
        try:
            return _convert(self.type, text)
        except InvalidOperation:  # decimal's own message is a class name (decimal.ConversionSyntax)
            raise ParameterError(f"parameter {self.name!r} expects {_describe(self.type)}; got {text!r}") from None
        except ValueError as exc:
            raise ParameterError(f"parameter {self.name!r} expects {_describe(self.type)}; got {text!r}: {exc}") from None


def _describe(kind: str) -> str:
    return {
        "iri": "an IRI (<http://…>, http://… or a known prefix such as esco:Skill)",
        "integer": "a whole number", "decimal": "a decimal number", "number": "a number",
        "boolean": "true or false", "date": "a date YYYY-MM-DD",
    }.get(kind, "a text value")


def _convert(kind: str, text: str) -> Term:
    if kind == "iri":
        value = text[1:-1] if text.startswith("<") and text.endswith(">") else (expand_curie(text) or text)
        scheme = value.split(":", 1)[0].lower()
        if value == text and "://" not in value and scheme not in _BARE_SCHEMES and ":" in value:
            raise ValueError(f"unknown prefix {scheme!r}; write the full IRI (in <…> for other schemes) or use a "
                             "prefix mcgraph knows (esco:, escoskill:, eqf:, mcg:, mcgid: …)")
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or _IRI_FORBIDDEN.search(value):
            raise ValueError("not an absolute IRI")
        return ox.NamedNode(value)
    if kind == "integer":
        return ox.Literal(str(int(text)), datatype=ox.NamedNode(str(XSD.integer)))
    if kind in ("decimal", "number"):
        number = Decimal(text)
        if not number.is_finite():
            raise ValueError("not a finite number")
        if kind == "number" and number == number.to_integral_value() and "." not in text and "e" not in text.lower():
            return ox.Literal(str(int(number)), datatype=ox.NamedNode(str(XSD.integer)))
        return ox.Literal(str(number), datatype=ox.NamedNode(str(XSD.decimal)))
    if kind == "boolean":
        lowered = text.lower()
        if lowered not in ("true", "false", "1", "0"):
            raise ValueError("not a boolean")
        return ox.Literal("true" if lowered in ("true", "1") else "false", datatype=ox.NamedNode(str(XSD.boolean)))
    if kind == "date":
        return ox.Literal(date.fromisoformat(text).isoformat(), datatype=ox.NamedNode(str(XSD.date)))
    return ox.Literal(text)


def _unescape(text: str) -> str:
    """SPARQL processes ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes before parsing (SPARQL 1.1, 19.2)."""
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def uses_service(sparql: str) -> bool:
    """Whether a SPARQL query contains the ``SERVICE`` keyword (a federated query, which makes the engine
    fetch from the network).

    The query is tokenised as SPARQL is: the word inside a comment, a string, an IRI, a variable or a
    prefixed name is not the keyword; any letter case and ``\\u`` escapes are.

    >>> uses_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service { ?service ex:service "SERVICE" } # SERVICE')
    False
    """
    for token in _SPARQL_TOKEN.finditer(_unescape(sparql)):
        if token.group(0).upper() == "SERVICE":
            return True
    return False


def refuse_service(sparql: str, name: str) -> None:
    """Raise :class:`QueryError` when ``sparql`` is a federated query (see :func:`uses_service`)."""
    if uses_service(sparql):
        raise QueryError(f"query {name!r} uses SERVICE, which makes the query engine fetch data from the "
                         f"network; federated queries are off by default. Pass {ALLOW_SERVICE_OPTION} to "
                         "`mcgraph query` (allow_service=True in Python) if you trust the endpoints it names")


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its parsed header."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    columns: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, text: str, *, name: str, path: Path | None = None) -> NamedQuery:
        """Read the ``# key: value`` header at the top of a query file."""
        title, description, params, columns = "", [], [], ()
        for line_no, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            if not line.startswith("#"):
                break
            m = _HEADER.match(line)
            if not m:
                if description and line.lstrip("#").strip():
                    description.append(line.lstrip("#").strip())
                continue
            key, value = m.group(1).lower(), m.group(2).strip()
            if key == "title":
                title = value
            elif key in ("description", "summary"):
                description.append(value)
            elif key == "columns":
                columns = tuple(c.strip("?, ") for c in value.split() if c.strip("?, "))
            elif key == "param":
                pm = _PARAM.match(value)
                if not pm or pm.group(2) not in PARAM_TYPES:
                    raise QueryError(f"{path or name}, line {line_no}: cannot read parameter declaration "
                                     f"{value!r}; expected 'name TYPE [required|optional|default=V] — text' "
                                     f"with TYPE one of {', '.join(PARAM_TYPES)}")
                flags = pm.group(3).split()
                default = next((f.split("=", 1)[1] for f in flags if f.startswith("default=")), None)
                required = "optional" not in flags and default is None
                params.append(Parameter(pm.group(1), pm.group(2), required, default, (pm.group(4) or "").strip()))
        return cls(name, text, title, " ".join(description), tuple(params), columns, path)

    @classmethod
    def from_file(cls, path: str | Path) -> NamedQuery:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"cannot read query file {path}: {exc}") from exc
        return cls.parse(text, name=path.stem, path=path)

    def bind(self, values: Mapping[str, object]) -> dict[str, Term]:
        """Check and convert parameter values; raises :class:`ParameterError` naming the parameter."""
        declared = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            known = ", ".join(declared) or "none"
            raise ParameterError(f"query {self.name!r} has no parameter {', '.join(map(repr, unknown))} "
                                 f"(its parameters: {known})")
        bound: dict[str, Term] = {}
        for p in self.parameters:
            if p.name in values and values[p.name] is not None:
                bound[p.name] = p.to_term(values[p.name])
            elif p.default is not None:
                bound[p.name] = p.to_term(p.default)
            elif p.required:
                raise ParameterError(f"query {self.name!r} needs parameter {p.name!r} ({p.type}): "
                                     f"pass -p {p.name}=VALUE. {p.description}".rstrip())
        return bound

    def run(self, store: GraphStore, *, allow_service: bool = False, **values: object) -> QueryResult:
        """Run on ``store`` with parameter values bound by the engine.

        Parameter variables are projected by the query (Oxigraph binds only variables in scope) and
        dropped from the result unless the header's ``columns`` lists them. A query using ``SERVICE`` is
        refused unless ``allow_service`` (the query engine would reach the network).
        """
        if not allow_service:
            refuse_service(self.text, self.name)
        bound = self.bind(values)
        try:
            result = store.query(self.text, bound)
        except OSError as exc:  # a SERVICE endpoint that failed while the results were read
            raise QueryError(f"query {self.name!r} failed reading from the network: {exc}") from exc
        return result.without({p.name for p in self.parameters} - set(self.columns))


INTERNAL = "internal"
"""Sub-folder of queries/ for the queries mcgraph's own modules run (listed by ``mcgraph queries --all``)."""


def parse_pairs(pairs: Sequence[str], what: str = "parameter") -> dict[str, str]:
    """``NAME=VALUE`` command-line pairs (``-p``, ``-O``) as a mapping; a malformed pair or a name given twice
    raises :class:`ParameterError` (the last value must not silently win).

    >>> parse_pairs(["n=3", "?text=a=b"])
    {'n': '3', 'text': 'a=b'}
    """
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ParameterError(f"{what} {pair!r} is not NAME=VALUE")
        key = name.lstrip("?$")
        if key in out:
            raise ParameterError(f"{what} {key!r} is given twice ({key}={out[key]!r} and {key}={value!r}); give it once")
        out[key] = value
    return out


def query_dirs() -> list[Path]:
    return [resource_dir("queries")]


@cache
def _parsed(path: Path, mtime_ns: int) -> NamedQuery:
    return NamedQuery.from_file(path)


def _read(path: Path) -> NamedQuery:
    """A query file parsed once (re-read when it changes on disk)."""
    return _parsed(path, path.stat().st_mtime_ns)


def list_queries(*, internal: bool = False) -> list[NamedQuery]:
    """The named queries shipped in ``queries/`` (sub-folders included, ``internal/`` only when asked),
    sorted by name."""
    found = []
    for folder in query_dirs():
        for path in sorted(folder.rglob("*.rq")):
            if internal or INTERNAL not in path.relative_to(folder).parts[:-1]:
                found.append(_read(path))
    return sorted(found, key=lambda q: q.name)


def get_query(name_or_path: str | Path) -> NamedQuery:
    """A named query by name (internal ones included), or any ``.rq`` file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" and candidate.is_file():
        return NamedQuery.from_file(candidate)
    for q in list_queries(internal=True):
        if q.name == str(name_or_path):
            return q
    names = ", ".join(q.name for q in list_queries())
    raise QueryError(f"no query named {str(name_or_path)!r} and no such .rq file; named queries: {names}")


def run_query(store: GraphStore, name: str | Path, *, allow_service: bool = False, **values: object) -> QueryResult:
    """Run a named query (or .rq file) with bound parameters; ``SERVICE`` is refused unless ``allow_service``.

    Example: ``run_query(store, "ontology-classes", text="credential")``.
    """
    return get_query(name).run(store, allow_service=allow_service, **values)
