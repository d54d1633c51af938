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

#: Stop runaway documents: nodes nest at most this deep (bundled contexts nest two levels).
_MAX_DEPTH = 64


@dataclass(frozen=True)
class ExpansionLimits:
    """Caps on what one JSON-LD document may expand to, so a small hostile file cannot exhaust memory.

    Real credential documents (the Europass, MyNextID and Credential Engine samples) expand to at most
    3 characters of output terms and 0.02 triples per input byte, with one context reference (the bound
    :func:`check_expansion` computes before parsing is at most 7 characters per byte for them); the caps
    leave a wide margin above that. Documents smaller than ``floor_bytes`` are budgeted as that size.
    """

    #: Remote ``@context`` references replaced by a bundled copy, per document.
    context_references: int = 64
    #: Contexts nested inside context definitions (scoped contexts); the bundled ones nest two levels.
    context_depth: int = 8
    #: Output triples per input byte.
    triples_per_byte: float = 0.1
    #: Characters of output terms (subject, predicate, object) per input byte.
    chars_per_byte: int = 24
    floor_bytes: int = 64 * 1024
    #: Absolute caps, whatever the input size.
    max_triples: int = 2_000_000
    max_chars: int = 256 * 1024 * 1024

    def budget(self, input_bytes: int) -> tuple[int, int]:
        """(triples, characters) a document of ``input_bytes`` may expand to."""
        size = max(input_bytes, self.floor_bytes)
        return (min(self.max_triples, int(size * self.triples_per_byte)),
                min(self.max_chars, size * self.chars_per_byte))


LIMITS = ExpansionLimits()


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
        data = path.read_bytes()
    except OSError as exc:
        raise SourceFormatError(path, f"cannot read the file: {exc}") from exc
    return parse_json(data, path)


def parse_json(data: bytes, path: Path | str) -> Any:
    """Parse JSON bytes read from ``path`` (UTF-8, a BOM allowed); errors name the file, line and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(path, f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
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


def inline_contexts(doc: Any, path: Path | str, limits: ExpansionLimits = LIMITS) -> Any:
    """A copy of ``doc`` with every remote ``@context`` reference replaced by the bundled context.

    Raises :class:`SourceFormatError` (field ``@context``) for a context that is not bundled (mcgraph never
    fetches one), and when the document references more contexts, or nests contexts deeper, than ``limits``
    allow. In the copy, ``@context``, ``@type`` and ``@id`` come first in every object, so that a streaming
    JSON-LD parser never has to hold a node's values back until it learns its subject.
    """
    references = 0

    def node(value: Any, depth: int, nesting: int) -> Any:
        if depth > _MAX_DEPTH:
            raise SourceFormatError(path, f"JSON-LD nested too deeply (more than {_MAX_DEPTH} levels)")
        if isinstance(value, dict):
            return {k: (context(value[k], depth + 1, nesting + 1) if k == "@context" else node(value[k], depth + 1, nesting))
                    for k in sorted(value, key=_key_order)}
        if isinstance(value, list):
            return [node(v, depth + 1, nesting) for v in value]
        return value

    def context(value: Any, depth: int, nesting: int) -> Any:
        nonlocal references
        if nesting > limits.context_depth:
            raise SourceFormatError(path, f"JSON-LD contexts nested too deeply (more than {limits.context_depth} "
                                    "contexts inside one another)", field="@context")
        if depth > _MAX_DEPTH:
            raise SourceFormatError(path, "JSON-LD contexts nested too deeply", field="@context")
        if isinstance(value, str):
            references += 1
            if references > limits.context_references:
                raise SourceFormatError(
                    path, f"JSON-LD document references remote contexts more than {limits.context_references} "
                    "times; refusing to expand it (a context-amplification bomb?)", field="@context")
            try:
                return node(bundled_context(value), depth + 1, nesting)
            except KeyError:
                known = ", ".join(sorted({u for u in BUNDLED}))
                raise SourceFormatError(
                    path, f"JSON-LD context {value} is not bundled, and mcgraph never fetches contexts from the "
                    f"network (bundled: {known})", field="@context") from None
        if isinstance(value, list):
            return [context(v, depth + 1, nesting) for v in value]
        if isinstance(value, dict):
            return node(value, depth, nesting)
        return value

    return node(doc, 0, 0)


def _key_order(key: str) -> int:
    return {"@context": 0, "@type": 1, "@id": 2}.get(key, 3)


class _Expansion:
    """An upper bound on what a JSON-LD document (contexts inlined) expands to, computed before the parser
    sees it: Oxigraph's parser expands a document as a whole, so the bound must come first.

    Every term, prefix and ``@vocab`` of every context is resolved to the longest IRI it can stand for; each
    value then costs its subject, its predicate and itself, each as if it expanded through that longest IRI.
    """

    def __init__(self, doc: Any) -> None:
        self.definitions: dict[str, set[str]] = {}
        self.vocab = 0
        self.id_keys = {"@id"}
        self._walk_contexts(doc, 0)
        self._lengths: dict[str, int] = {}
        self.longest = max([self._term(t, 0) for t in self.definitions] + [self.vocab + 64, 64])
        self.triples = 0
        self.chars = 0
        self._walk_data(doc, 24, 0)

    def _walk_contexts(self, value: Any, depth: int, in_context: bool = False) -> None:
        if depth > 2 * _MAX_DEPTH:
            return
        if isinstance(value, list):
            for v in value:
                self._walk_contexts(v, depth + 1, in_context)
        elif isinstance(value, dict):
            for k, v in value.items():
                if k == "@context":
                    self._walk_contexts(v, depth + 1, True)
                    continue
                if in_context:
                    if k in ("@vocab", "@base") and isinstance(v, str):
                        self.vocab = max(self.vocab, self._iri(v, 0))
                    elif isinstance(v, str):
                        self.definitions.setdefault(k, set()).add(v)
                        if v == "@id":
                            self.id_keys.add(k)
                    elif isinstance(v, dict):
                        for key in ("@id", "@reverse", "@type"):
                            if isinstance(v.get(key), str):
                                self.definitions.setdefault(k, set()).add(v[key])
                        if v.get("@id") == "@id":
                            self.id_keys.add(k)
                        self._walk_contexts(v, depth + 1, False)
                else:
                    self._walk_contexts(v, depth + 1, False)

    def _iri(self, text: str, depth: int) -> int:
        """The longest expansion of an IRI, compact IRI or term as written in a context."""
        prefix, sep, suffix = text.partition(":")
        if sep and not suffix.startswith("//") and prefix in self.definitions:
            return len(suffix) + self._term(prefix, depth + 1)
        return len(text) + (0 if sep else self.vocab)

    def _term(self, term: str, depth: int) -> int:
        if term in self._lengths:
            return self._lengths[term]
        if depth > 64:  # a chain of prefixes this long is itself the attack
            return 1 << 40
        self._lengths[term] = len(term)  # cycle guard
        longest = max((self._iri(v, depth) for v in self.definitions[term] if v != term), default=len(term))
        self._lengths[term] = longest
        return longest

    def _walk_data(self, value: Any, subject: int, depth: int) -> None:
        if depth > 2 * _MAX_DEPTH:
            return
        if isinstance(value, list):
            for v in value:
                self._leaf(v, subject, 0, depth)
            return
        if not isinstance(value, dict):
            return
        ident = next((v for k, v in value.items() if k in self.id_keys and isinstance(v, str)), None)
        node = (len(ident) + self.longest) if ident is not None else 24
        for k, v in value.items():
            if k == "@context" or k in self.id_keys:
                continue
            self._leaf(v, node, len(k) + self.longest, depth)

    def _leaf(self, value: Any, subject: int, predicate: int, depth: int) -> None:
        if isinstance(value, list):
            for v in value:  # an @list costs two more triples per item
                self._leaf(v, subject, predicate + 2 * (24 + 48), depth + 1)
            return
        self.triples += 1
        if isinstance(value, dict):
            ident = next((v for k, v in value.items() if k in self.id_keys and isinstance(v, str)), None)
            obj = (len(ident) + self.longest) if ident is not None else 24
            self.chars += subject + predicate + obj
            self._walk_data(value, subject, depth + 1)
        else:
            self.chars += subject + predicate + len(str(value)) + self.longest


def check_expansion(doc: Any, path: Path | str, input_bytes: int, limits: ExpansionLimits = LIMITS) -> None:
    """Refuse (:class:`SourceFormatError`) a document (contexts inlined) whose expansion could exceed the
    budget of a document of ``input_bytes`` (:meth:`ExpansionLimits.budget`), before any parser runs."""
    max_triples, max_chars = limits.budget(input_bytes)
    bound = _Expansion(doc)
    if bound.triples > max_triples or bound.chars > max_chars:
        what = (f"up to {bound.triples:,} triples (limit {max_triples:,})" if bound.triples > max_triples
                else f"up to {bound.chars:,} characters of terms (limit {max_chars:,}; its contexts define IRIs "
                f"of up to {bound.longest:,} characters)")
        raise SourceFormatError(
            path, f"JSON-LD expansion refused: this {input_bytes:,}-byte document could expand to {what}; is "
            "this a context-amplification bomb?")


def bounded(quads: Iterable[ox.Quad | ox.Triple], path: Path | str, input_bytes: int,
            limits: ExpansionLimits = LIMITS) -> Iterator[ox.Quad | ox.Triple]:
    """Pass parsed quads through, refusing (:class:`SourceFormatError`) once they exceed the expansion
    budget of a document of ``input_bytes`` (:meth:`ExpansionLimits.budget`).

    Usable around any JSON-LD parse: ``bounded(ox.parse(data, ox.RdfFormat.JSON_LD), path, len(data))``.
    """
    max_triples, max_chars = limits.budget(input_bytes)
    n = chars = 0
    for q in quads:
        n += 1
        chars += len(q.subject.value) + len(q.predicate.value) + len(getattr(q.object, "value", ""))
        if n > max_triples or chars > max_chars:
            what = (f"more than {max_triples:,} triples" if n > max_triples
                    else f"more than {max_chars:,} characters of terms")
            raise SourceFormatError(
                path, f"JSON-LD expansion stopped: a {input_bytes:,}-byte document expands to {what} "
                f"(limit: {limits.triples_per_byte:g} triples and {limits.chars_per_byte} characters per input "
                "byte); is this a context-amplification bomb?")
        yield q


def expand(doc: Any, path: Path | str, *, input_bytes: int | None = None,
           limits: ExpansionLimits = LIMITS) -> list[ox.Triple]:
    """The RDF triples of a JSON-LD document (remote contexts served from the bundle, nothing fetched).

    Named graphs inside the document (e.g. a VC 2.0 ``proof``) are flattened into triples. JSON-LD errors
    become :class:`SourceFormatError`, and so does a document expanding beyond ``limits`` for its size
    (``input_bytes``, the file's size; by default the size of ``doc`` as JSON).
    """
    if not isinstance(doc, (dict, list)):
        raise SourceFormatError(path, "a JSON-LD document must be a JSON object or array")
    if isinstance(doc, dict) and "@context" not in doc and "@graph" not in doc:
        raise SourceFormatError(path, "no @context: this is JSON but not JSON-LD", field="@context")
    inlined = inline_contexts(doc, path, limits)
    try:
        if input_bytes is None:
            input_bytes = len(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
        check_expansion(inlined, path, input_bytes, limits)
        data = json.dumps(inlined, ensure_ascii=False).encode("utf-8")
        del inlined
        quads = list(bounded(ox.parse(data, ox.RdfFormat.JSON_LD), path, input_bytes, limits))
    except SyntaxError as exc:
        raise SourceFormatError(path, f"invalid JSON-LD: {exc}") from exc
    except (ValueError, RecursionError) as exc:
        raise SourceFormatError(path, f"invalid JSON-LD: {exc}") from exc
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def read_jsonld(path: Path) -> tuple[list[ox.Triple], Any]:
    """Read a JSON-LD file (or a JWS envelope holding one): its triples and the parsed JSON."""
    doc, _ = open_envelope(read_json(path), path)
    return expand(doc, path, input_bytes=path.stat().st_size), doc


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
    "LIMITS",
    "CalendarDuration",
    "ExpansionLimits",
    "ExportInfo",
    "Graph",
    "bounded",
    "bundled_context",
    "bundled_file",
    "check_expansion",
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
    "parse_json",
    "pick_text",
    "read_json",
    "read_jsonld",
    "read_triples",
    "to_decimal",
]
