"""The credential model and its RDF form: one :class:`Credential` ↔ the triples of the mcgraph ontology.

A credential carries the Australian Critical Information Summary (seed 002, Appendix 1) as plain fields,
plus what the graph needs to compute with: skill claims with levels, qualification levels, credit values,
notional hours and stacking. :meth:`Credential.to_triples` writes it; :func:`from_store` and
:func:`iter_credentials` read it back (named query ``credential-triples``), so a catalogue survives
file → store → file unchanged.

Nested nodes get IRIs under the credential's IRI (``…/claim/1``, ``…/outcome/2``, ``…/assessment/1``,
``…/credit/1``), never blank nodes, so that two loads of the same file give the same graph.

>>> c = Credential(credential_iri("demo"), "Demo", skill_claims=(
...     SkillClaim("http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
...                frozenset({"taught"})),))
>>> sorted(t.predicate.value.rsplit("#", 1)[-1] for t in c.to_triples())[:3]
['claimKind', 'claimedSkill', 'hasSkillClaim']
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from ..namespaces import DCTERMS, MCG, MCGID, OASIS, ONET, PREFIXES, RDF, RDFS, SKOS, XSD
from ..rdf_io import NTriples, nt_iri, nt_literal

# -- vocabulary -----------------------------------------------------------------------------------

CREDENTIAL_NS = f"{MCGID}credential/"
PROVIDER_NS = f"{MCGID}provider/"
JURISDICTION_NS = f"{MCGID}jurisdiction/"
CREDIT_SYSTEM_NS = f"{MCGID}credit-system/"
SCALE_NS = f"{MCGID}scale/"

KINDS: dict[str, str] = {"micro-credential": str(MCG.MicroCredential), "award": str(MCG.Award)}
CLAIM_KINDS: dict[str, str] = {"taught": str(MCG.Taught), "assessed": str(MCG.Assessed)}
DELIVERY_MODES: dict[str, str] = {"online": str(MCG.Online), "in-person": str(MCG.InPerson),
                                  "blended": str(MCG.Blended)}
ASSESSMENT_TYPES: dict[str, str] = {
    "formative": str(MCG.Formative), "summative": str(MCG.Summative),
    "practical-demonstration": str(MCG.PracticalDemonstration), "portfolio": str(MCG.Portfolio),
    "exam": str(MCG.Exam), "project": str(MCG.Project), "workplace-observation": str(MCG.WorkplaceObservation),
    "rpl": str(MCG.RecognitionOfPriorLearning),
}
IDENTITY_VERIFICATION: dict[str, str] = {
    "supervised-on-site": str(MCG.SupervisedOnSite), "supervised-online": str(MCG.SupervisedOnline),
    "online-verified": str(MCG.OnlineVerified), "not-verified": str(MCG.NotVerified),
}


@dataclass(frozen=True)
class Scale:
    """A rating scale a skill claim's level is expressed on.

    ``owned``: mcgraph defines the scale, so a catalogue writes its definition; the others are defined by
    the taxonomy's loader (OaSIS, O*NET, SFIA) and only referenced.
    """

    name: str
    iri: str
    label: str
    minimum: Decimal
    maximum: Decimal
    owned: bool = False


#: Scales known by short name (the ``SCALE`` part of a skill claim). IRIs of the OaSIS, O*NET and SFIA
#: scales are the ones their loaders write.
SCALES: dict[str, Scale] = {s.name: s for s in (
    Scale("proficiency-4", f"{SCALE_NS}proficiency-4",
          "Four-step proficiency: 1 basic, 2 intermediate, 3 advanced, 4 expert", Decimal(1), Decimal(4), True),
    Scale("eqf", f"{SCALE_NS}eqf", "EQF level used as a proficiency level (1-8)", Decimal(1), Decimal(8), True),
    Scale("oasis-skills", f"{OASIS}scale/skills", "OaSIS skills: proficiency level (1-5)", Decimal(1), Decimal(5)),
    Scale("oasis-abilities", f"{OASIS}scale/abilities", "OaSIS abilities: proficiency level (1-5)",
          Decimal(1), Decimal(5)),
    Scale("oasis-knowledge", f"{OASIS}scale/knowledge", "OaSIS knowledge: knowledge level (1-3)",
          Decimal(1), Decimal(3)),
    Scale("onet-level", f"{ONET}scale/LV", "O*NET level (LV, 0-7)", Decimal(0), Decimal(7)),
    Scale("sfia-9", f"{MCGID}sfia/9/scale", "SFIA 9 levels of responsibility (1-7)", Decimal(1), Decimal(7)),
)}
SCALES_BY_IRI: dict[str, Scale] = {s.iri: s for s in SCALES.values()}


class _Vocabulary:
    """``_M.notionalHours`` → ``<…#notionalHours>``, the N-Triples text of ``mcg:notionalHours``, made once."""

    def __init__(self, namespace: str) -> None:
        self._ns = namespace

    def __getattr__(self, name: str) -> str:
        text = nt_iri(self._ns + name)
        setattr(self, name, text)
        return text


_M = _Vocabulary(str(MCG))
_RDF_TYPE, _LABEL = nt_iri(str(RDF.type)), nt_iri(str(RDFS.label))
_TITLE, _DESCRIPTION = nt_iri(str(DCTERMS.title)), nt_iri(str(DCTERMS.description))
_DECIMAL, _DATE, _BOOLEAN = (nt_iri(str(XSD[t])) for t in ("decimal", "date", "boolean"))


def _parsed(text: str) -> Iterator[ox.Triple]:
    return (q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


def canonical_decimal(value: Decimal) -> str:
    """The one lexical form mcgraph writes for a decimal: no exponent, no trailing zeros (``120``, ``2.5``)."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def decimal_literal(value: Decimal) -> ox.Literal:
    return ox.Literal(canonical_decimal(value), datatype=ox.NamedNode(str(XSD.decimal)))


def decimal_text(value: Decimal) -> str:
    """:func:`decimal_literal` as N-Triples text."""
    return f'"{canonical_decimal(value)}"^^{_DECIMAL}'


def credential_iri(identifier: str) -> str:
    """The IRI mcgraph mints for a catalogue identifier (``rru-caf-1`` → ``…/id/credential/rru-caf-1``)."""
    return CREDENTIAL_NS + identifier


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by ``-`` (``"Royal Roads University"`` → ``royal-roads-university``)."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unnamed"


def compact(iri: str) -> str:
    """``prefix:local`` for an IRI in a known namespace when the local part is plain, else the IRI."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]):]
        if local and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_./~-]*", local) and not local.startswith("//"):
            return f"{best}:{local}"
    return iri


# -- the model ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SkillClaim:
    """A credential teaches and/or assesses ``skill`` (an IRI), optionally at a level.

    ``level`` is a number on ``scale`` (an IRI, e.g. ``SCALES["oasis-proficiency"].iri``); ``level_concept`` is
    an optional level concept (an EQF level IRI, a SFIA skill-at-level concept); ``taxonomy`` is the concept
    scheme the skill comes from.
    """

    skill: str
    kinds: frozenset[str] = frozenset({"taught", "assessed"})
    level: Decimal | None = None
    level_concept: str | None = None
    scale: str | None = None
    taxonomy: str | None = None


@dataclass(frozen=True)
class CreditValue:
    """``points`` credits in the credit system ``system`` (an IRI)."""

    points: Decimal
    system: str


@dataclass(frozen=True)
class Assessment:
    """How achievement is assessed: free-text method, controlled types and identity verification (IRIs)."""

    method: str | None = None
    types: tuple[str, ...] = ()
    identity_verification: str | None = None


@dataclass(frozen=True)
class Provider:
    iri: str
    name: str | None = None


@dataclass(frozen=True)
class Credential:
    """One credential of a catalogue. Fields follow the Critical Information Summary (CIS)."""

    iri: str
    title: str
    kind: str = "micro-credential"                       # "micro-credential" | "award"
    provider: Provider | None = None                     # CIS provider
    description: str | None = None                       # CIS content / description
    learning_outcomes: tuple[str, ...] = ()              # CIS learning outcomes
    languages: tuple[str, ...] = ()                      # CIS language (BCP 47)
    delivery_mode: str | None = None                     # CIS delivery mode (IRI)
    delivery_note: str | None = None
    start_date: date | None = None                       # CIS date of delivery
    end_date: date | None = None
    schedule_note: str | None = None
    notional_hours: Decimal | None = None                # CIS learner effort
    hours_in_person: Decimal | None = None
    hours_online_sync: Decimal | None = None
    hours_peer: Decimal | None = None
    hours_self_study: Decimal | None = None
    hours_assessment: Decimal | None = None
    effort_note: str | None = None
    duration_weeks: Decimal | None = None
    inherent_requirements: str | None = None             # CIS inherent requirements
    price: Decimal | None = None                         # CIS price and financial assistance
    currency: str | None = None
    financial_assistance: str | None = None
    assessments: tuple[Assessment, ...] = ()             # CIS assessment
    certification: str | None = None                     # CIS certification
    credit_recognition: str | None = None                # CIS credit / other recognition
    credits: tuple[CreditValue, ...] = ()
    quality_assurance: str | None = None                 # CIS quality assurance
    prerequisites: str | None = None                     # CIS prerequisites
    expiry: str | None = None                            # CIS (recommended) expiry
    depth_of_learning: str | None = None                 # CIS (recommended) depth of learning
    jurisdictions: tuple[str, ...] = ()                  # CIS (recommended) jurisdiction (IRIs)
    industry_support: str | None = None                  # CIS (recommended) industry support
    stacks_into: tuple[str, ...] = ()                    # CIS (recommended) stackability (IRIs)
    stackability_note: str | None = None
    industry: str | None = None                          # CIS (recommended) industry / occupation
    occupations: tuple[str, ...] = ()
    industry_alignment: str | None = None                # CIS (recommended) industry alignment
    levels: tuple[str, ...] = ()                         # qualification levels (IRIs)
    skill_claims: tuple[SkillClaim, ...] = ()
    conforms_to: tuple[str, ...] = ()                    # claimed micro-credential frameworks (IRIs)
    illustrative: bool | None = None
    sources: tuple[str, ...] = ()                        # dct:source: IRIs or citations
    notes: tuple[str, ...] = ()                          # skos:note

    @property
    def identifier(self) -> str:
        """The catalogue identifier: the local part of a minted IRI, else the IRI itself."""
        return self.iri[len(CREDENTIAL_NS):] if self.iri.startswith(CREDENTIAL_NS) else self.iri

    def to_triples(self) -> Iterator[ox.Triple]:
        """The credential's own triples (see :func:`context_triples` for providers, jurisdictions, scales)."""
        return _parsed(self.ntriples())

    def ntriples(self) -> str:
        """The credential's own triples as N-Triples text, written directly (no object per triple): the
        form a catalogue load hands the store (:func:`catalogue_ntriples`)."""
        c = nt_iri(self.iri)
        out = [f"{c} {_RDF_TYPE} {nt_iri(KINDS[self.kind])} .\n", f"{c} {_TITLE} {nt_literal(self.title)} .\n"]
        add = out.append
        for attr, predicate, kind in _SCALAR_NT:
            value = getattr(self, attr)
            if value is not None:
                add(f"{c} {predicate} {_literal(value, kind)} .\n")
        for attr, predicate, kind in _LIST_NT:
            for value in getattr(self, attr):
                add(f"{c} {predicate} {_term(value, kind)} .\n")
        if self.provider is not None:
            add(f"{c} {_M.provider} {nt_iri(self.provider.iri)} .\n")
        # nested nodes: IRIs under the credential's own (already checked) IRI, ASCII path segments added
        base = "<" + self.iri + ("-" if "#" in self.iri else "/")
        for n, text in enumerate(self.learning_outcomes, start=1):
            lo = f"{base}outcome/{n}>"
            add(f"{c} {_M.hasLearningOutcome} {lo} .\n{lo} {_RDF_TYPE} {_M.LearningOutcome} .\n"
                f"{lo} {_DESCRIPTION} {nt_literal(text)} .\n")
        for n, a in enumerate(self.assessments, start=1):
            node = f"{base}assessment/{n}>"
            add(f"{c} {_M.hasAssessment} {node} .\n{node} {_RDF_TYPE} {_M.Assessment} .\n")
            if a.method is not None:
                add(f"{node} {_M.assessmentMethod} {nt_literal(a.method)} .\n")
            for t in a.types:
                add(f"{node} {_M.assessmentType} {nt_iri(t)} .\n")
            if a.identity_verification is not None:
                add(f"{node} {_M.identityVerification} {nt_iri(a.identity_verification)} .\n")
        for n, cv in enumerate(self.credits, start=1):
            node = f"{base}credit/{n}>"
            add(f"{c} {_M.hasCreditValue} {node} .\n{node} {_RDF_TYPE} {_M.CreditValue} .\n"
                f"{node} {_M.creditPoints} {decimal_text(cv.points)} .\n{node} {_M.creditSystem} {nt_iri(cv.system)} .\n")
        for n, claim in enumerate(self.skill_claims, start=1):
            node = f"{base}claim/{n}>"
            skill = nt_iri(claim.skill)
            add(f"{c} {_M.hasSkillClaim} {node} .\n{node} {_RDF_TYPE} {_M.SkillClaim} .\n"
                f"{node} {_M.claimedSkill} {skill} .\n")
            for k in sorted(claim.kinds):
                add(f"{node} {_M.claimKind} {nt_iri(CLAIM_KINDS[k])} .\n"
                    f"{c} {_M.teaches if k == 'taught' else _M.assesses} {skill} .\n")
            if claim.level is not None:
                add(f"{node} {_M.levelValue} {decimal_text(claim.level)} .\n")
            if claim.level_concept is not None:
                add(f"{node} {_M.proficiencyLevel} {nt_iri(claim.level_concept)} .\n")
            if claim.scale is not None:
                add(f"{node} {_M.levelScale} {nt_iri(claim.scale)} .\n")
            if claim.taxonomy is not None:
                add(f"{node} {_M.fromTaxonomy} {nt_iri(claim.taxonomy)} .\n")
        return "".join(out)

    def context_triples(self) -> Iterator[ox.Triple]:
        """Triples about things the credential shares with others: its provider, jurisdictions, scales."""
        return _parsed("".join(self.context_lines()))

    def context_lines(self) -> list[str]:
        """:meth:`context_triples` as N-Triples lines."""
        out = []
        if self.provider is not None:
            p = nt_iri(self.provider.iri)
            out.append(f"{p} {_RDF_TYPE} {_M.Provider} .\n")
            if self.provider.name:
                out.append(f"{p} {_LABEL} {nt_literal(self.provider.name)} .\n")
        for j in self.jurisdictions:
            out += _jurisdiction_lines(j)
        for scale in sorted({c.scale for c in self.skill_claims if c.scale in SCALES_BY_IRI}):
            if SCALES_BY_IRI[scale].owned:
                out += _scale_lines(SCALES_BY_IRI[scale])
        return out

_SCALAR_FIELDS: tuple[tuple[str, Any, str], ...] = (
    ("description", DCTERMS.description, "text"),
    ("delivery_mode", MCG.deliveryMode, "iri"),
    ("delivery_note", MCG.deliveryNote, "text"),
    ("start_date", MCG.startDate, "date"),
    ("end_date", MCG.endDate, "date"),
    ("schedule_note", MCG.scheduleNote, "text"),
    ("notional_hours", MCG.notionalHours, "decimal"),
    ("hours_in_person", MCG.inPersonContactHours, "decimal"),
    ("hours_online_sync", MCG.onlineContactHours, "decimal"),
    ("hours_peer", MCG.peerEngagementHours, "decimal"),
    ("hours_self_study", MCG.selfStudyHours, "decimal"),
    ("hours_assessment", MCG.assessmentHours, "decimal"),
    ("effort_note", MCG.learnerEffortNote, "text"),
    ("duration_weeks", MCG.durationWeeks, "decimal"),
    ("inherent_requirements", MCG.inherentRequirements, "text"),
    ("price", MCG.price, "decimal"),
    ("currency", MCG.priceCurrency, "text"),
    ("financial_assistance", MCG.financialAssistance, "text"),
    ("certification", MCG.certification, "text"),
    ("credit_recognition", MCG.creditRecognition, "text"),
    ("quality_assurance", MCG.qualityAssurance, "text"),
    ("prerequisites", MCG.prerequisites, "text"),
    ("expiry", MCG.expiry, "text"),
    ("depth_of_learning", MCG.depthOfLearning, "text"),
    ("industry_support", MCG.industrySupport, "text"),
    ("stackability_note", MCG.stackabilityNote, "text"),
    ("industry", MCG.industry, "text"),
    ("industry_alignment", MCG.industryAlignment, "text"),
    ("illustrative", MCG.illustrative, "bool"),
)
_LIST_FIELDS: tuple[tuple[str, Any, str], ...] = (
    ("languages", MCG.language, "text"),
    ("jurisdictions", MCG.jurisdiction, "iri"),
    ("stacks_into", MCG.stacksInto, "iri"),
    ("occupations", MCG.relatedOccupation, "iri"),
    ("levels", MCG.hasLevel, "iri"),
    ("conforms_to", MCG.conformsToFramework, "iri"),
    ("sources", DCTERMS.source, "iri-or-text"),
    ("notes", SKOS.note, "text"),
)


_SCALAR_NT = tuple((a, nt_iri(str(p)), k) for a, p, k in _SCALAR_FIELDS)
_LIST_NT = tuple((a, nt_iri(str(p)), k) for a, p, k in _LIST_FIELDS)


def _literal(value: object, kind: str) -> str:
    """The N-Triples text of a field value of ``kind``."""
    if kind == "text":
        return nt_literal(str(value))
    if kind == "iri":
        return nt_iri(value)  # type: ignore[arg-type]
    if kind == "decimal":
        return decimal_text(value)  # type: ignore[arg-type]
    if kind == "date":
        return f'"{value.isoformat()}"^^{_DATE}'  # type: ignore[attr-defined]
    if kind == "bool":
        return f'"{"true" if value else "false"}"^^{_BOOLEAN}'
    return nt_literal(str(value))


def _term(value: str, kind: str) -> str:
    if kind == "iri-or-text":
        return nt_iri(value) if looks_like_iri(value) else nt_literal(value)
    return _literal(value, kind)


_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+$")


def looks_like_iri(text: str) -> bool:
    """True for an absolute http(s)/urn IRI with no spaces (used to tell IRIs from citations)."""
    return bool(_IRI.match(text)) and text.split(":", 1)[0].lower() in ("http", "https", "urn")


def jurisdiction_iri(code: str) -> str:
    """``CA-BC`` → ``…/id/jurisdiction/CA-BC`` (ISO 3166-1/-2 codes; ``EU`` for the European Union)."""
    return JURISDICTION_NS + code


def jurisdiction_triples(iri: str) -> Iterator[ox.Triple]:
    return _parsed("".join(_jurisdiction_lines(iri)))


def _jurisdiction_lines(iri: str) -> list[str]:
    j = nt_iri(iri)
    out = [f"{j} {_RDF_TYPE} {_M.Jurisdiction} .\n"]
    if iri.startswith(JURISDICTION_NS):
        code = iri[len(JURISDICTION_NS):]
        if "-" in code:
            parent = nt_iri(jurisdiction_iri(code.split("-", 1)[0]))
            out += [f"{j} {_M.partOfJurisdiction} {parent} .\n", f"{parent} {_RDF_TYPE} {_M.Jurisdiction} .\n"]
    return out


def scale_triples(scale: Scale) -> Iterator[ox.Triple]:
    return _parsed("".join(_scale_lines(scale)))


def _scale_lines(scale: Scale) -> list[str]:
    s = nt_iri(scale.iri)
    return [f"{s} {_RDF_TYPE} {_M.RatingScale} .\n", f"{s} {_LABEL} {nt_literal(scale.label)} .\n",
            f"{s} {_M.scaleMinimum} {decimal_text(scale.minimum)} .\n",
            f"{s} {_M.scaleMaximum} {decimal_text(scale.maximum)} .\n"]


def catalogue_triples(credentials: Iterable[Credential]) -> Iterator[ox.Triple]:
    """All triples of a catalogue: each credential's, and each shared context triple once."""
    for block in catalogue_ntriples(credentials):
        yield from _parsed(block)


def catalogue_ntriples(credentials: Iterable[Credential]) -> Iterator[NTriples]:
    """:func:`catalogue_triples` as N-Triples text, one block per credential (its own triples, then the
    context triples not written before): what a catalogue load hands the store, no object per triple.
    Only the context lines are remembered (providers, jurisdictions, scales: a few per catalogue)."""
    seen: set[str] = set()
    for cred in credentials:
        text = cred.ntriples()
        new = [line for line in cred.context_lines() if line not in seen]
        if new:
            seen.update(new)
            text += "".join(new)
        yield NTriples(text)


# -- reading back from a store --------------------------------------------------------------------

_NESTED = {str(MCG.hasSkillClaim), str(MCG.hasAssessment), str(MCG.hasCreditValue),
           str(MCG.hasLearningOutcome), str(MCG.provider)}


def iter_credentials(store: Any, credential: str | None = None) -> Iterator[Credential]:
    """Every credential in ``store`` (or just ``credential``), sorted by IRI, via named query
    ``credential-triples``."""
    from ..queries import run_query

    params = {"credential": credential} if credential else {}
    result = run_query(store, "credential-triples", **params)
    by_cred: dict[str, dict[str, dict[str, list[ox.NamedNode | ox.Literal]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list)))
    keys: dict[str, str] = {}
    for row in result.rows:
        c, node, p, o = row[:4]
        if c is None or node is None or p is None or o is None:
            continue
        ckey = _key(c)
        keys.setdefault(ckey, ckey)
        values = by_cred[ckey][_key(node)][p.value]  # type: ignore[union-attr]
        if o not in values:
            values.append(o)  # type: ignore[arg-type]
    for ckey in sorted(by_cred):
        cred = _assemble(ckey, by_cred[ckey])
        if cred is not None:
            yield cred


def from_store(store: Any, iri: str) -> Credential | None:
    """The credential ``iri`` as stored, or None when the store has no such credential."""
    return next(iter_credentials(store, iri), None)


def _pkey(predicate: object) -> str:
    return predicate.value if isinstance(predicate, ox.NamedNode) else str(predicate)


def _key(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value  # type: ignore[attr-defined]


def _natural(text: str) -> list[object]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def _assemble(ckey: str, nodes: dict[str, dict[str, list[Any]]]) -> Credential | None:
    own = nodes.get(ckey, {})

    def one(props: dict[str, list[Any]], predicate: object) -> Any:
        values = props.get(_pkey(predicate), [])
        return sorted(values, key=lambda t: t.value)[0] if values else None

    def text(props: dict[str, list[Any]], predicate: object) -> str | None:
        t = one(props, predicate)
        return None if t is None else t.value

    def many(props: dict[str, list[Any]], predicate: object) -> list[Any]:
        return props.get(_pkey(predicate), [])

    types = {t.value for t in many(own, RDF.type)}
    kind = "award" if str(MCG.Award) in types else "micro-credential"
    title = text(own, DCTERMS.title)
    if title is None:
        return None
    values: dict[str, Any] = {}
    for attr, predicate, k in _SCALAR_FIELDS:
        term = one(own, predicate)
        if term is None:
            continue
        values[attr] = _from_term(term, k)
    for attr, predicate, k in _LIST_FIELDS:
        values[attr] = tuple(sorted(t.value for t in many(own, predicate)))
    provider = None
    pnode = one(own, MCG.provider)
    if pnode is not None:
        props = nodes.get(_key(pnode), {})
        name = text(props, RDFS.label) or text(props, SKOS.prefLabel)
        provider = Provider(pnode.value, name)
    outcomes = sorted(many(own, MCG.hasLearningOutcome), key=lambda t: _natural(t.value))
    learning_outcomes = tuple(
        d for d in (text(nodes.get(_key(o), {}), DCTERMS.description) for o in outcomes) if d is not None)
    assessments = []
    for a in sorted(many(own, MCG.hasAssessment), key=lambda t: _natural(t.value)):
        props = nodes.get(_key(a), {})
        assessments.append(Assessment(
            text(props, MCG.assessmentMethod),
            tuple(sorted(t.value for t in many(props, MCG.assessmentType))),
            text(props, MCG.identityVerification)))
    credits = []
    for cv in sorted(many(own, MCG.hasCreditValue), key=lambda t: _natural(t.value)):
        props = nodes.get(_key(cv), {})
        points, system = text(props, MCG.creditPoints), text(props, MCG.creditSystem)
        if points is not None and system is not None:
            credits.append(CreditValue(_decimal(points), system))
    claims = []
    for cl in sorted(many(own, MCG.hasSkillClaim), key=lambda t: _natural(t.value)):
        props = nodes.get(_key(cl), {})
        skill = text(props, MCG.claimedSkill)
        if skill is None:
            continue
        kinds = frozenset(k for k, v in CLAIM_KINDS.items() if v in {t.value for t in many(props, MCG.claimKind)})
        level = text(props, MCG.levelValue)
        claims.append(SkillClaim(skill, kinds, _decimal(level) if level is not None else None,
                                 text(props, MCG.proficiencyLevel), text(props, MCG.levelScale),
                                 text(props, MCG.fromTaxonomy)))
    # Outside sources may order list values differently; keep the catalogue's own order where it has one.
    return Credential(ckey, title, kind, provider, learning_outcomes=learning_outcomes,
                      assessments=tuple(assessments), credits=tuple(credits), skill_claims=tuple(claims),
                      **values)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        return Decimal(0)


def _from_term(term: Any, kind: str) -> Any:
    if kind == "decimal":
        return _decimal(term.value)
    if kind == "date":
        try:
            return date.fromisoformat(term.value)
        except ValueError:
            return None
    if kind == "bool":
        return term.value in ("true", "1")
    return term.value


def with_fields(cred: Credential, **changes: Any) -> Credential:
    """A copy of ``cred`` with some fields changed (``dataclasses.replace``)."""
    return replace(cred, **changes)


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Credential))

__all__ = [
    "ASSESSMENT_TYPES", "CLAIM_KINDS", "DELIVERY_MODES", "IDENTITY_VERIFICATION", "KINDS", "SCALES",
    "Assessment", "Credential", "CreditValue", "Provider", "Scale", "SkillClaim", "catalogue_ntriples", "catalogue_triples",
    "canonical_decimal", "compact", "credential_iri", "from_store", "iter_credentials", "jurisdiction_iri",
    "looks_like_iri", "slugify",
]
