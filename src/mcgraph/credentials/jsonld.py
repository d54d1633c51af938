"""Offline JSON-LD: read a credential document and turn it into RDF without ever touching the network.

Remote ``@context`` references are replaced by the copies bundled in ``contexts/`` (see its README.md for
where each came from) before the document is expanded by Oxigraph's JSON-LD parser, which itself never
fetches anything. A context that is not bundled is an error naming the file and the context, not a download.

>>> doc = {"@context": "https://www.w3.org/ns/credentials/v2", "id": "urn:x:1", "type": "VerifiableCredential"}
>>> [t.object.value for t in expand(doc, "example.json")]
['https://www.w3.org/2018/credentials#VerifiableCredential']

JWS JSON envelopes (``{"payload": …, "signatures": […]}``, as in Europass's signed samples) are opened with
:func:`open_envelope`; the signature is not verified.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import SourceFormatError
from . import model as m

#: Context URL → bundled file in ``contexts/``. http/https and trailing-slash variants are looked up too.
BUNDLED: dict[str, str] = {
    "https://www.w3.org/2018/credentials/v1": "w3c-credentials-v1.jsonld",
    "https://www.w3.org/ns/credentials/v2": "w3c-credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "http://data.europa.eu/snb/model/context/edc-ap": "edc-ap.jsonld",
    "http://credreg.net/ctdl/schema/context/json": "ctdl-minimal.jsonld",
    "http://credreg.net/ctdlasn/schema/context/json": "ctdl-minimal.jsonld",
    "https://w3id.org/mcgraph/contexts/ob3-skill-claims/v1": "mcgraph-ob3-skill-claims.jsonld",
}

#: Stop runaway documents: contexts nest at most this deep (bundled ones nest two levels).
_MAX_DEPTH = 64


def _variants(url: str) -> list[str]:
    base = url.rstrip("/#")
    out = [url, base]
    for a, b in (("http://", "https://"), ("https://", "http://")):
        if base.startswith(a):
            out.append(b + base[len(a):])
    return out


def bundled_file(url: str) -> str | None:
    """The bundled file for a context URL (None when it is not bundled)."""
    for candidate in _variants(url):
        if candidate in BUNDLED:
            return BUNDLED[candidate]
    return None


@cache
def _context_text(name: str) -> str:
    return resources.files(__package__).joinpath("contexts", name).read_text(encoding="utf-8")


def bundled_context(url: str) -> Any:
    """The ``@context`` value of the bundled copy of ``url``; raises KeyError when not bundled."""
    name = bundled_file(url)
    if name is None:
        raise KeyError(url)
    return json.loads(_context_text(name))["@context"]


def read_json(path: Path) -> Any:
    """Parse a JSON file; syntax errors become :class:`SourceFormatError` with line and column."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(path, f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    except OSError as exc:
        raise SourceFormatError(path, f"cannot read the file: {exc}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(path, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from exc
    except RecursionError as exc:
        raise SourceFormatError(path, "JSON nested too deeply") from exc


def open_envelope(doc: Any, path: Path | str) -> tuple[Any, bool]:
    """The credential inside a JWS JSON envelope (``payload`` + ``signatures``), and whether it was one.

    The payload may be plain JSON text (unencoded payload, as Europass signs) or base64url. The signature is
    not checked: mcgraph reads the credential's content, it does not verify it.
    """
    if not (isinstance(doc, dict) and "payload" in doc and ("signatures" in doc or "signature" in doc)):
        return doc, False
    payload = doc["payload"]
    if not isinstance(payload, str):
        raise SourceFormatError(path, "JWS envelope whose payload is not a string", field="payload")
    text = payload.strip()
    if not text.startswith("{"):
        try:
            text = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
        except (binascii.Error, ValueError) as exc:
            raise SourceFormatError(path, f"JWS payload is neither JSON nor base64url JSON: {exc}",
                                    field="payload") from exc
    try:
        return json.loads(text), True
    except json.JSONDecodeError as exc:
        raise SourceFormatError(path, f"JWS payload is not valid JSON: {exc.msg} (payload character {exc.pos})",
                                field="payload") from exc


def context_urls(doc: Any) -> list[str]:
    """The remote context references of a document, in order (top-level ``@context`` only)."""
    ctx = doc.get("@context") if isinstance(doc, dict) else None
    items = ctx if isinstance(ctx, list) else [ctx]
    return [c for c in items if isinstance(c, str)]


def inline_contexts(doc: Any, path: Path | str) -> Any:
    """A copy of ``doc`` with every remote ``@context`` reference replaced by the bundled context.

    Raises :class:`SourceFormatError` (field ``@context``) for a context that is not bundled: mcgraph never
    fetches one.
    """

    def node(value: Any, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise SourceFormatError(path, "JSON-LD nested too deeply")
        if isinstance(value, dict):
            return {k: (context(v, depth + 1) if k == "@context" else node(v, depth + 1)) for k, v in value.items()}
        if isinstance(value, list):
            return [node(v, depth + 1) for v in value]
        return value

    def context(value: Any, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise SourceFormatError(path, "JSON-LD contexts nested too deeply", field="@context")
        if isinstance(value, str):
            try:
                return node(bundled_context(value), depth + 1)
            except KeyError:
                known = ", ".join(sorted({u for u in BUNDLED}))
                raise SourceFormatError(
                    path, f"JSON-LD context {value} is not bundled, and mcgraph never fetches contexts from the "
                    f"network (bundled: {known})", field="@context") from None
        if isinstance(value, list):
            return [context(v, depth + 1) for v in value]
        if isinstance(value, dict):
            return node(value, depth)
        return value

    return node(doc, 0)


def expand(doc: Any, path: Path | str) -> list[ox.Triple]:
    """The RDF triples of a JSON-LD document (remote contexts served from the bundle, nothing fetched).

    Named graphs inside the document (e.g. a VC 2.0 ``proof``) are flattened into triples. JSON-LD errors
    become :class:`SourceFormatError`.
    """
    if not isinstance(doc, (dict, list)):
        raise SourceFormatError(path, "a JSON-LD document must be a JSON object or array")
    if isinstance(doc, dict) and "@context" not in doc and "@graph" not in doc:
        raise SourceFormatError(path, "no @context: this is JSON but not JSON-LD", field="@context")
    inlined = inline_contexts(doc, path)
    try:
        data = json.dumps(inlined, ensure_ascii=False).encode("utf-8")
        quads = list(ox.parse(data, ox.RdfFormat.JSON_LD))
    except SyntaxError as exc:
        raise SourceFormatError(path, f"invalid JSON-LD: {exc}") from exc
    except (ValueError, RecursionError) as exc:
        raise SourceFormatError(path, f"invalid JSON-LD: {exc}") from exc
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def read_jsonld(path: Path) -> tuple[list[ox.Triple], Any]:
    """Read a JSON-LD file (or a JWS envelope holding one): its triples and the parsed JSON."""
    doc, _ = open_envelope(read_json(path), path)
    return expand(doc, path), doc


class Graph:
    """A small read-only view over triples for the format readers: objects, values and typed subjects.

    >>> g = Graph([ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x"))])
    >>> g.value(ox.NamedNode("urn:a"), "urn:p").value
    'x'
    """

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.store = ox.Store()
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)

    def __len__(self) -> int:
        return len(self.store)

    def objects(self, s: ox.NamedNode | ox.BlankNode, p: str) -> list[Any]:
        return sorted((q.object for q in self.store.quads_for_pattern(s, ox.NamedNode(p), None)), key=_order)

    def value(self, s: ox.NamedNode | ox.BlankNode, p: str) -> Any:
        objs = self.objects(s, p)
        return objs[0] if objs else None

    def subjects(self, p: str, o: Any) -> list[Any]:
        return sorted({q.subject for q in self.store.quads_for_pattern(None, ox.NamedNode(p), o)}, key=_order)

    def of_type(self, *types: str) -> list[Any]:
        rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
        return sorted({s for t in types for s in self.subjects(rdf_type, ox.NamedNode(t))}, key=_order)

    def types(self, s: Any) -> set[str]:
        return {o.value for o in self.objects(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")}

    def triples(self) -> Iterator[ox.Triple]:
        for q in self.store:
            yield ox.Triple(q.subject, q.predicate, q.object)


def _order(term: Any) -> tuple[int, str]:
    kind = 0 if isinstance(term, ox.NamedNode) else 1 if isinstance(term, ox.BlankNode) else 2
    return kind, str(term)




# -- helpers shared by the format modules (ob3, elm, ctdl) -----------------------------------------

import re as _re
from decimal import Decimal, InvalidOperation

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
ESCO_SKILLS_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
EQF_PREFIX = "http://data.europa.eu/snb/eqf/"

#: ISO 639-1 codes ↔ the EU Publications Office language authority codes (``…/authority/language/ENG``).
LANGUAGES: dict[str, str] = {
    "bg": "BUL", "cs": "CES", "da": "DAN", "de": "DEU", "el": "ELL", "en": "ENG", "es": "SPA", "et": "EST",
    "fi": "FIN", "fr": "FRA", "ga": "GLE", "hr": "HRV", "hu": "HUN", "is": "ISL", "it": "ITA", "lt": "LIT",
    "lv": "LAV", "mk": "MKD", "mt": "MLT", "nl": "NLD", "no": "NOR", "nb": "NOB", "nn": "NNO", "pl": "POL",
    "pt": "POR", "ro": "RON", "sk": "SLK", "sl": "SLV", "sq": "SQI", "sr": "SRP", "sv": "SWE", "tr": "TUR",
    "uk": "UKR", "ar": "ARA", "zh": "ZHO", "ja": "JPN", "ko": "KOR", "ru": "RUS", "hi": "HIN", "mi": "MRI",
    "cy": "CYM", "eu": "EUS", "ca": "CAT", "gl": "GLG", "lb": "LTZ",
}
LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language"
_EU_TO_ISO = {v: k for k, v in LANGUAGES.items()}

_DURATION = _re.compile(
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")


class CalendarDuration(ValueError):
    """A duration with years, months, weeks or days: not a number of notional hours."""


def hours_from_duration(text: str) -> Decimal:
    """Notional hours from an ``xsd:duration`` (``PT150H`` → 150, ``PT90M`` → 1.5, ``P2DT12H`` → 60).

    Days count 24 hours, as in XML Schema (Oxigraph writes ``PT60H`` in that canonical form). Years and
    months have no fixed length: they raise :class:`CalendarDuration`; text that is not a duration raises
    ValueError.

    >>> hours_from_duration("PT7H30M")
    Decimal('7.5')
    """
    text = text.strip()
    m = _DURATION.match(text)
    if not m or text in ("P", "PT") or text.endswith("T"):
        raise ValueError(f"{text!r} is not an xsd:duration")
    if m.group("y") or m.group("mo"):
        raise CalendarDuration(f"{text!r} is given in years or months, which do not convert to notional hours")
    hours = (Decimal(m.group("w") or 0) * 168 + Decimal(m.group("d") or 0) * 24 + Decimal(m.group("h") or 0)
             + Decimal(m.group("mi") or 0) / 60 + Decimal(m.group("s") or 0) / 3600)
    return hours.normalize() if hours != hours.to_integral_value() else hours.quantize(Decimal(1))


def duration_from_hours(hours: Decimal) -> str:
    """``Decimal(150)`` → ``PT150H`` (fractions kept: ``PT7.5H``)."""
    text = format(hours.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"PT{text}H"


def language_iri(code: str) -> str | None:
    """BCP 47 ``en``/``en-GB`` → the EU language authority IRI (None when the language is not in the table)."""
    eu = LANGUAGES.get(code.split("-", 1)[0].lower())
    return f"{LANGUAGE_AUTHORITY}/{eu}" if eu else None


def language_code(iri: str) -> str | None:
    """The EU language authority IRI → ISO 639-1 (``…/language/ENG`` → ``en``); None when unknown."""
    if not iri.startswith(LANGUAGE_AUTHORITY + "/"):
        return None
    return _EU_TO_ISO.get(iri.rsplit("/", 1)[-1].upper())


def pick_text(literals: Iterable[Any], prefer: str = "en") -> str | None:
    """One string out of language variants: ``prefer`` first, then untagged, then the first by language."""
    items = [t for t in literals if isinstance(t, ox.Literal)]
    if not items:
        return None

    def rank(t: ox.Literal) -> tuple[int, str, str]:
        lang = (t.language or "").lower()
        return (0 if lang.split("-")[0] == prefer else 1 if not lang else 2, lang, t.value)

    return min(items, key=rank).value


def to_decimal(value: Any) -> Decimal:
    """A finite decimal from a literal or number; ValueError otherwise."""
    text = value.value if isinstance(value, ox.Literal) else str(value)
    try:
        d = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        raise ValueError(f"{text!r} is not a number") from None
    if not d.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return d


def note_skill_resolution(report: Any, path: Path | str, skills: Iterable[str]) -> None:
    """Count claimed skills found / not found among the concepts already loaded (warn for ESCO misses).

    Interchange files name skills by IRI; a skill not loaded (yet) is a warning, not an error: the samples
    of other publishers must load without ESCO being present.
    """
    from .resolve import Resolver, taxonomy_of

    store = getattr(report, "store", None)
    if store is None:
        return
    resolver = Resolver(store)
    missing: dict[str, list[str]] = {}
    for skill in sorted(set(skills)):
        try:
            found = resolver.known(skill)
        except Exception:  # a look-up must never break a load  # noqa: BLE001
            return
        if found:
            report.count("claimed skills resolved to loaded concepts")
            continue
        report.count("claimed skills not among loaded concepts")
        tax = taxonomy_of(skill)
        if tax is None:
            continue
        if resolver.taxonomy_loaded(tax):
            report.warn(path, resolver.why_unknown(skill))
        else:
            missing.setdefault(tax.label, []).append(skill)
    for label, iris in missing.items():
        tax = next(t for t in (taxonomy_of(i) for i in iris) if t is not None)
        report.warn(path, f"{len(iris)} claimed {label} skill(s) cannot be resolved because {label} is not "
                    f"loaded; load it first: {tax.load_hint}")


def count_read(report: Any, fmt: str, credential: m.Credential) -> None:
    """Count one credential read from an interchange file and its skill claims, under ``fmt`` (``"OB3"`` …)."""
    report.count(f"credentials read ({fmt})")
    report.count(f"skill claims read ({fmt})", len(credential.skill_claims))


def read_triples(report: Any, path: Path | str, credentials: list[m.Credential],
                 extra: Iterable[ox.Triple]) -> list[ox.Triple]:
    """What a reader yields: the catalogue triples of ``credentials``, then ``extra`` (labels, notations …)
    in a stable order; notes which claimed skills are loaded (:func:`note_skill_resolution`)."""
    out = list(m.catalogue_triples(credentials)) + sorted(extra, key=str)
    note_skill_resolution(report, path, (c.skill for cred in credentials for c in cred.skill_claims))
    return out


@dataclass
class ExportInfo:
    """Labels and notations of what the exported credentials refer to (named query
    ``export-credential-labels``), and the label chosen for each concept so that one concept is named one
    way throughout a document."""

    labels: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)
    notations: dict[str, str] = field(default_factory=dict)
    chosen: dict[str, dict[str, str]] = field(default_factory=dict)

    def label(self, iri: str | None, lang: str = "en") -> str | None:
        """A label of ``iri``: in ``lang``, else untagged, else any (None when it has none)."""
        found = self.tagged_label(iri, lang)
        return found[0] if found else None

    def tagged_label(self, iri: str | None, lang: str = "en") -> tuple[str, str | None] | None:
        """Like :meth:`label`, with the label's language tag (None for an untagged label)."""
        items = self.labels.get(iri, []) if iri is not None else []
        if not items:
            return None
        return min(items, key=lambda t: (0 if (t[1] or "").split("-")[0] == lang else 1 if not t[1] else 2,
                                         t[1] or "", t[0]))


def describe(store: Any) -> ExportInfo:
    """Collect labels and notations for export from ``store``."""
    from ..queries import run_query

    info = ExportInfo()
    skos_pref = "http://www.w3.org/2004/02/skos/core#prefLabel"
    rdfs_label = "http://www.w3.org/2000/01/rdf-schema#label"
    pref: dict[str, list[tuple[str, str | None]]] = {}
    other: dict[str, list[tuple[str, str | None]]] = {}
    for node, prop, value in run_query(store, "export-credential-labels").rows:
        if not isinstance(node, ox.NamedNode) or not isinstance(value, ox.Literal) or prop is None:
            continue
        if prop.value == "http://www.w3.org/2004/02/skos/core#notation":
            info.notations.setdefault(node.value, value.value)
        elif prop.value in (skos_pref, rdfs_label):
            target = pref if prop.value == skos_pref else other
            target.setdefault(node.value, []).append((value.value, value.language))
    for iri in set(pref) | set(other):
        info.labels[iri] = pref.get(iri) or other[iri]
    return info


__all__ = [
    "BUNDLED",
    "EQF_PREFIX",
    "ESCO_SKILLS_SCHEME",
    "ESCO_SKILL_PREFIX",
    "LANGUAGES",
    "CalendarDuration",
    "ExportInfo",
    "Graph",
    "bundled_context",
    "bundled_file",
    "context_urls",
    "count_read",
    "describe",
    "duration_from_hours",
    "expand",
    "hours_from_duration",
    "inline_contexts",
    "language_code",
    "language_iri",
    "note_skill_resolution",
    "open_envelope",
    "pick_text",
    "read_json",
    "read_jsonld",
    "read_triples",
    "to_decimal",
]
