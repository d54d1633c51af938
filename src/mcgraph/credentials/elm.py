"""European Learning Model v3 (Europass / EDC) JSON-LD ↔ the mcgraph credential model.

**Import** (``mcgraph load credentials FILE.jsonld``): every ``elm:LearningAchievementSpecification`` and
``elm:Qualification`` in the document becomes a credential — inside an issued European Digital Credential
(``credentialSubject.hasClaim.specifiedBy``, signed JWS envelopes included) or in a plain LOQ document such as
mcgraph's own export. A specification that only serves as the ``specifiedBy`` of a learning assessment or
activity is skipped with a warning. Mapping (decisions marked ◆; see docs/interchange.md):

========================================  ========================================================
ELM                                       mcgraph
========================================  ========================================================
LearningAchievementSpecification          mcg:MicroCredential
Qualification                             ◆ mcg:Award when ``category`` says "award" or other
                                          specifications stack into it (it has parts); else
                                          mcg:MicroCredential (the file is read as a catalogue of
                                          micro-credentials). ``category`` "micro-credential" is
                                          mcgraph's own explicit marker.
title / description (language maps)       dct:title / dct:description (English, else untagged,
                                          else the first language)
EQFLevel, NQFLevel, educationLevel        mcg:hasLevel (IRIs kept; labels as skos:prefLabel)
creditPoint {framework, point}            mcg:hasCreditValue (ECTS ↔ ``…/credit-system/ects``)
volumeOfLearning ``PT150H``               mcg:notionalHours 150 (calendar durations warned, skipped)
learningOutcome (title)                   mcg:hasLearningOutcome (dct:description)
learningOutcome relatedESCOSkill          skill claim, taxonomy ESCO skills; ◆ kind Assessed (an ELM
                                          achievement is awarded on proof of its outcomes), plus
                                          Taught when the specification (or the issued achievement)
                                          is influencedBy a learning activity; an outcome's
                                          additionalNote with dc:subject mcg:Taught / mcg:Assessed
                                          (mcgraph's export) states the kind exactly
learningOutcome relatedSkill              skill claim, taxonomy = the concept's inScheme; a concept
                                          in a known rating scale, or labelled "<skill> Level N"
                                          next to that skill, is the claim's proficiency level
hasPart / isPartOf                        mcg:stacksInto (part → whole)
language (EU language authority)          mcg:language (ISO 639-1)
mode (Online / Blended)                   mcg:deliveryMode
entryRequirement                          mcg:prerequisites
publisher, awardingBody                   mcg:provider (legalName / prefLabel → rdfs:label)
========================================  ========================================================

**Export** (``mcgraph export credentials --format elm``): one JSON-LD document (context
``http://data.europa.eu/snb/model/context/edc-ap``) whose ``@graph`` holds one
``LearningAchievementSpecification`` per credential, shaped to pass the official LOQ SHACL profile
(``LOQ-constraints.ttl`` + ``LOQ-constraints-mdr.ttl``). Qualification is not used: its shape demands an
ISCED-F thematic area and EU-registered EQF and NQF levels that catalogue credentials do not carry.
Each skill claim is written as its own learning outcome named after the skill (with its level as a related
concept, and a note when it is only taught or only assessed), which the importer recognises, so that
import → export → import is stable.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..namespaces import DCTERMS, MCG, MCGID, RDFS, SKOS
from ..sources.base import LoadReport
from . import model as m
from .formats import CredentialFormat
from .jsonld import (
    EQF_PREFIX,
    ESCO_SKILL_PREFIX,
    ESCO_SKILLS_SCHEME,
    CalendarDuration,
    Graph,
    count_read,
    duration_from_hours,
    hours_from_duration,
    language_code,
    language_iri,
    pick_text,
    read_jsonld,
    read_triples,
    to_decimal,
)

ELM = "http://data.europa.eu/snb/model/elm/"
DC = str(DCTERMS)
SKOS_NS = str(SKOS)
ROV_LEGAL_NAME = "http://www.w3.org/ns/regorg#legalName"
CONTEXT_URL = "http://data.europa.eu/snb/model/context/edc-ap"

ECTS_ELM = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
ECTS_MCG = f"{m.CREDIT_SYSTEM_NS}ects"
EDUCATION_CREDIT_SCHEME = "http://data.europa.eu/snb/education-credit/25831c2"
EQF_SCHEME = "http://data.europa.eu/snb/eqf/25831c2"
MODE_SCHEME = "http://data.europa.eu/snb/learning-assessment/25831c2"
#: ELM modes of learning and assessment ↔ mcgraph delivery modes (the two IRIs the Europass samples use;
#: "in person" has no IRI known offline and is written as mcg:InPerson).
MODES: dict[str, str] = {
    "http://data.europa.eu/snb/learning-assessment/920fbb3cbe": str(MCG.Online),
    "http://data.europa.eu/snb/learning-assessment/e92d221e4d": str(MCG.Blended),
}
MODE_LABELS = {str(MCG.Online): "Online", str(MCG.Blended): "Blended", str(MCG.InPerson): "In person"}
CATEGORY = {"micro-credential": "micro-credential", "award": "award"}
LEVEL_NS = f"{MCGID}level/"
_LEVEL_LABEL = re.compile(r"^(?P<skill>.*\S)\s+level\s+(?P<n>\d+(?:\.\d+)?)$", re.IGNORECASE)


def _e(local: str) -> str:
    return ELM + local


# =============================================================================================
# Import
# =============================================================================================

def sniff(path: Path, head: str) -> bool:
    """ELM/EDC JSON-LD: names the EDC context, an EDC credential type or an ELM specification type."""
    head = head.replace('\\"', '"')  # a signed credential's JSON payload is a string inside the JWS envelope
    return any(s in head for s in ("data.europa.eu/snb/model/context", '"EuropeanDigitalCredential"',
                                   '"LearningAchievementSpecification"', '"Qualification"'))


@dataclass
class _Claim:
    skill: str
    taxonomy: str | None = None
    kinds: frozenset[str] | None = None
    level: Decimal | None = None
    level_concept: str | None = None
    scale: str | None = None


@dataclass
class _Extra:
    """Triples beside the credential model: labels and notations of skills, levels and schemes."""

    triples: set[ox.Triple] = field(default_factory=set)

    def labels(self, g: Graph, node: Any, predicate: str = SKOS_NS + "prefLabel") -> None:
        if not isinstance(node, ox.NamedNode):
            return
        for lit in g.objects(node, SKOS_NS + "prefLabel"):
            if isinstance(lit, ox.Literal):
                self.triples.add(ox.Triple(node, ox.NamedNode(predicate), lit))

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        self.triples.add(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o))


def read(path: Path, report: LoadReport) -> Iterator[ox.Triple]:
    """The credentials of an ELM JSON-LD file as mcgraph triples; everything is checked before the first
    triple is yielded, so a bad file loads nothing."""
    report.add_file(path)
    triples, _ = read_jsonld(path)
    credentials, extra = credentials_from_graph(Graph(triples), path, report)
    yield from read_triples(report, path, credentials, extra.triples)


def credentials_from_graph(g: Graph, path: Path, report: LoadReport) -> tuple[list[m.Credential], _Extra]:
    """Map the ELM specifications in ``g`` to credentials (plus label triples)."""
    specs = g.of_type(_e("LearningAchievementSpecification"), _e("Qualification"))
    extra = _Extra()
    chosen = []
    for spec in specs:
        users = g.subjects(_e("specifiedBy"), spec)
        if users and all(g.types(u) & {_e("LearningAssessment"), _e("LearningActivity")} for u in users):
            report.warn(path, f"{_name(spec)} is typed {_short(g, spec)} but only specifies a learning "
                        "assessment or activity; not read as a credential")
            report.count("ELM specifications skipped")
            continue
        chosen.append(spec)
    if not chosen:
        kinds = sorted({t.rsplit("/", 1)[-1] for s in g.of_type(_e("LearningActivity"), _e("LearningAchievement"))
                        for t in g.types(s)})
        report.warn(path, "no learning achievement specification or qualification found"
                    + (f" (the document holds {', '.join(kinds)} without a specification)" if kinds else ""))
    parents: dict[Any, set[str]] = defaultdict(set)
    for spec in chosen:
        for part in g.objects(spec, _e("hasPart")):
            if isinstance(part, ox.NamedNode) and isinstance(spec, ox.NamedNode):
                parents[part].add(spec.value)
    has_parts = {p for s in chosen for p in ([s] if g.objects(s, _e("hasPart")) else [])}
    is_target = {t for s in chosen for t in g.objects(s, _e("isPartOf"))}
    credentials = []
    for spec in chosen:
        cred = _credential(g, spec, path, report, extra, parents.get(spec, set()),
                           award_hint=spec in has_parts or spec in is_target)
        credentials.append(cred)
        count_read(report, "ELM", cred)
    return credentials, extra


def _name(node: Any) -> str:
    return f"<{node.value}>" if isinstance(node, ox.NamedNode) else "a specification without id"


def _short(g: Graph, node: Any) -> str:
    return "/".join(sorted(t.rsplit("/", 1)[-1] for t in g.types(node) if t.startswith(ELM)))


def _iri(spec: Any, title: str) -> str:
    if isinstance(spec, ox.NamedNode):
        return spec.value
    return m.credential_iri("elm-" + hashlib.sha256(title.encode()).hexdigest()[:16])


def _credential(g: Graph, spec: Any, path: Path, report: LoadReport, extra: _Extra, parents: set[str],
                *, award_hint: bool) -> m.Credential:
    where = _name(spec)
    title = pick_text(g.objects(spec, DC + "title"))
    if not title:
        raise SourceFormatError(path, f"{where} has no title", field="title")
    iri = _iri(spec, title)
    types = g.types(spec)
    category = {c.value.strip().lower() for c in g.objects(spec, _e("category")) if isinstance(c, ox.Literal)}
    if "award" in category:
        kind = "award"
    elif "micro-credential" in category or _e("Qualification") not in types:
        kind = "micro-credential"
    else:
        kind = "award" if award_hint else "micro-credential"

    levels = []
    for p in ("EQFLevel", "NQFLevel", "educationLevel"):
        for lvl in g.objects(spec, _e(p)):
            if not isinstance(lvl, ox.NamedNode):
                raise SourceFormatError(path, f"{where}: {p} must be a concept IRI", field=p)
            levels.append(lvl.value)
            extra.labels(g, lvl)
    credits = []
    for cp in g.objects(spec, _e("creditPoint")):
        framework, point = g.value(cp, _e("framework")), g.value(cp, _e("point"))
        if framework is None or point is None:
            raise SourceFormatError(path, f"{where}: a creditPoint needs both framework and point",
                                    field="creditPoint")
        try:
            points = to_decimal(point)
        except ValueError as exc:
            raise SourceFormatError(path, f"{where}: creditPoint.point {exc}", field="creditPoint.point") from None
        system = ECTS_MCG if framework.value == ECTS_ELM else framework.value
        if system != ECTS_MCG:
            extra.labels(g, framework, str(RDFS.label))
        credits.append(m.CreditValue(points, system))
    hours = None
    for vol in g.objects(spec, _e("volumeOfLearning")):
        try:
            hours = hours_from_duration(vol.value)
        except CalendarDuration as exc:
            report.warn(path, f"{where}: volumeOfLearning {exc}; not read")
        except ValueError as exc:
            raise SourceFormatError(path, f"{where}: volumeOfLearning {exc}", field="volumeOfLearning") from None
    languages = []
    for lang in g.objects(spec, DC + "language"):
        code = language_code(lang.value) if isinstance(lang, ox.NamedNode) else None
        if code:
            languages.append(code)
        else:
            report.warn(path, f"{where}: language {lang.value} is not an EU language authority IRI mcgraph knows")
    mode = None
    for md in g.objects(spec, _e("mode")):
        mode = MODES.get(md.value) or (md.value if md.value in MODE_LABELS else mode)
    prerequisites = None
    for note in g.objects(spec, _e("entryRequirement")):
        prerequisites = pick_text(g.objects(note, _e("noteLiteral")))

    taught = bool(g.objects(spec, _e("influencedBy"))) or any(
        g.objects(a, _e("influencedBy")) for a in g.subjects(_e("specifiedBy"), spec))
    kinds = frozenset({"assessed", "taught"} if taught else {"assessed"})
    outcomes: list[str] = []
    claims: dict[str, _Claim] = {}
    for lo in sorted(g.objects(spec, _e("learningOutcome")), key=lambda t: _natural(str(t))):
        lo_title = pick_text(g.objects(lo, DC + "title"))
        found = _outcome_claims(g, lo, extra)
        stated = _stated_kinds(g, lo)
        for c in found:
            c.kinds = stated
            prior = claims.get(c.skill)
            if prior is None or (prior.level is None and prior.level_concept is None):
                claims[c.skill] = c
        if lo_title is None:
            continue
        if len(found) == 1 and _names_skill(g, lo_title, found[0].skill):
            continue  # an outcome that only names its skill: mcgraph's export form of a claim
        outcomes.append(lo_title)
    skill_claims = tuple(m.SkillClaim(c.skill, c.kinds or kinds, c.level, c.level_concept, c.scale, c.taxonomy)
                         for c in sorted(claims.values(), key=lambda c: c.skill))

    provider = _provider(g, spec, extra)
    stacks = sorted({t.value for t in g.objects(spec, _e("isPartOf")) if isinstance(t, ox.NamedNode)} | parents)
    return m.Credential(
        iri, title, kind, provider=provider, description=pick_text(g.objects(spec, DC + "description")),
        learning_outcomes=tuple(outcomes), languages=tuple(sorted(set(languages))), delivery_mode=mode,
        notional_hours=hours, credits=tuple(sorted(credits, key=lambda c: (c.system, c.points))),
        prerequisites=prerequisites, levels=tuple(sorted(set(levels))), stacks_into=tuple(stacks),
        skill_claims=skill_claims)


def minted_level(skill: str, scale: str | None, notation: str) -> str:
    """The IRI mcgraph gives a claim's level when the claim names no level concept: ``<scale>/level/<n>``,
    or one under ``…/id/level/`` for a level on no scale."""
    if scale:
        return f"{scale}/level/{notation}"
    return f"{LEVEL_NS}{hashlib.sha256(skill.encode()).hexdigest()[:16]}/{notation}"


def _is_minted(iri: str, scale: str | None) -> bool:
    return iri.startswith(LEVEL_NS) or (scale is not None and iri.startswith(scale + "/level/"))


def _natural(text: str) -> list[object]:
    """Sort key keeping ``…/outcome/2`` before ``…/outcome/10`` (document order of mcgraph's own export)."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


KIND_CONCEPTS = {str(MCG.Taught): "taught", str(MCG.Assessed): "assessed"}


def _stated_kinds(g: Graph, lo: Any) -> frozenset[str] | None:
    """Claim kinds stated on a learning outcome by an additional note whose subject is mcg:Taught /
    mcg:Assessed (mcgraph's export writes one); None when the outcome states none."""
    kinds = {KIND_CONCEPTS[s.value] for note in g.objects(lo, _e("additionalNote"))
             for s in g.objects(note, DC + "subject") if s.value in KIND_CONCEPTS}
    return frozenset(kinds) or None


def _names_skill(g: Graph, title: str, skill: str) -> bool:
    labels = {lit.value.strip().lower() for lit in g.objects(ox.NamedNode(skill), SKOS_NS + "prefLabel")}
    return title.strip().lower() in labels | {skill.lower()}


def _outcome_claims(g: Graph, lo: Any, extra: _Extra) -> list[_Claim]:
    """The skill claims one learning outcome states (ESCO skills, other skills, and their levels)."""
    found: list[_Claim] = []
    for s in g.objects(lo, _e("relatedESCOSkill")):
        if isinstance(s, ox.NamedNode):
            taxonomy = ESCO_SKILLS_SCHEME if s.value.startswith(ESCO_SKILL_PREFIX) else _scheme(g, s)
            found.append(_Claim(s.value, taxonomy))
            extra.labels(g, s)
            if taxonomy and not s.value.startswith(ESCO_SKILL_PREFIX):
                extra.add(s.value, SKOS_NS + "inScheme", ox.NamedNode(taxonomy))
    related = [s for s in g.objects(lo, _e("relatedSkill")) if isinstance(s, ox.NamedNode)]
    levels: list[tuple[ox.NamedNode, str | None, Decimal | None, str | None]] = []
    plain: list[ox.NamedNode] = []
    for s in related:
        schemes = [o.value for o in g.objects(s, SKOS_NS + "inScheme") if isinstance(o, ox.NamedNode)]
        scheme = next((sc for sc in schemes if sc in m.SCALES_BY_IRI), None)
        notation = g.value(s, SKOS_NS + "notation")
        if scheme is not None and notation is not None:
            try:
                levels.append((s, None, to_decimal(notation), scheme))
                continue
            except ValueError:
                pass
        label = pick_text(g.objects(s, SKOS_NS + "prefLabel"))
        match = _LEVEL_LABEL.match(label or "")
        if match:
            levels.append((s, match.group("skill").strip().lower(), Decimal(match.group("n")), None))
            continue
        plain.append(s)
    for s in plain:
        found.append(_Claim(s.value, _scheme(g, s)))
        extra.labels(g, s)
        scheme = _scheme(g, s)
        if scheme:
            extra.add(s.value, SKOS_NS + "inScheme", ox.NamedNode(scheme))
    for node, skill_label, value, scale in levels:
        target = None
        if skill_label is not None:
            target = next((c for c in found if skill_label in
                           {t.value.strip().lower() for t in g.objects(ox.NamedNode(c.skill), SKOS_NS + "prefLabel")}),
                          None)
        elif found:
            target = found[-1] if len(found) == 1 else None
        if target is None:  # a level with no skill to attach to: keep the concept as a skill of its own
            found.append(_Claim(node.value, _scheme(g, node)))
            extra.labels(g, node)
            continue
        minted = _is_minted(node.value, scale)
        target.level, target.scale = value, scale
        target.level_concept = None if minted else node.value
        if not minted:
            extra.labels(g, node)
    return found


def _scheme(g: Graph, concept: Any) -> str | None:
    s = g.value(concept, SKOS_NS + "inScheme")
    return s.value if isinstance(s, ox.NamedNode) else None


def _provider(g: Graph, spec: Any, extra: _Extra) -> m.Provider | None:
    candidates = list(g.objects(spec, DC + "publisher"))
    for achievement in g.subjects(_e("specifiedBy"), spec):
        for process in g.objects(achievement, _e("awardedBy")):
            candidates += g.objects(process, _e("awardingBody"))
    for opp in g.objects(spec, _e("awardingOpportunity")):
        candidates += g.objects(opp, _e("awardingBody"))
    for org in candidates:
        if isinstance(org, ox.NamedNode):
            name = pick_text(g.objects(org, ROV_LEGAL_NAME)) or pick_text(g.objects(org, SKOS_NS + "prefLabel"))
            return m.Provider(org.value, name)
    return None


FORMAT = CredentialFormat("elm", (".jsonld", ".json"), sniff, read, title="European Learning Model v3 (Europass)")


# =============================================================================================
# Export
# =============================================================================================

def export(store: Any) -> bytes:
    """The credentials in ``store`` as one ELM (LOQ) JSON-LD document."""
    from .jsonld import describe

    credentials = list(m.iter_credentials(store))
    info = describe(store)
    graph = [_spec_json(c, info) for c in credentials]
    doc = {"@context": CONTEXT_URL, "@graph": graph}
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _lang(cred: m.Credential) -> str:
    return cred.languages[0].split("-")[0].lower() if cred.languages else "en"


def _langmap(literals: list[tuple[str, str | None]], default: str) -> dict[str, str]:
    """``{lang: text}`` from (text, language) pairs: one text per language, untagged ones under ``default``."""
    out: dict[str, str] = {}
    for text, lang in sorted(literals, key=lambda t: (t[1] is None, t[1] or "", t[0])):
        out.setdefault((lang or default).lower(), text)
    return out


def _concept(iri: str, info: Any, lang: str, *, scheme: str | None = None, notation: str | None = None,
             fallback: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": iri, "@type": "Concept"}
    if iri not in info.chosen:  # one concept, one name per language, throughout the document
        info.chosen[iri] = _langmap(info.labels.get(iri, []), lang) or ({lang: fallback} if fallback else {})
    labels = info.chosen[iri]
    if labels:
        node["prefLabel"] = labels
    if notation is not None:
        node["notation"] = notation
    if scheme is not None:
        node["inScheme"] = {"@id": scheme, "@type": "ConceptScheme"}
    return node


def _spec_json(cred: m.Credential, info: Any) -> dict[str, Any]:
    lang = _lang(cred)
    base = cred.iri + ("-" if "#" in cred.iri else "/")
    spec: dict[str, Any] = {
        "@id": cred.iri,
        "@type": "LearningAchievementSpecification",
        "title": {lang: cred.title},
        "category": {"en": CATEGORY[cred.kind]},
    }
    if cred.description:
        spec["description"] = {lang: cred.description}
    outcomes = [{"@id": f"{base}outcome/{n}", "@type": "LearningOutcome", "title": {lang: text}}
                for n, text in enumerate(cred.learning_outcomes, start=1)]
    for n, claim in enumerate(cred.skill_claims, start=1):
        outcomes.append(_claim_outcome(claim, f"{base}claim/{n}/outcome", info, lang))
    if outcomes:
        spec["learningOutcome"] = outcomes
    if cred.notional_hours is not None:
        spec["volumeOfLearning"] = duration_from_hours(cred.notional_hours)
    credits = []
    for n, cv in enumerate(cred.credits, start=1):
        framework = ECTS_ELM if cv.system == ECTS_MCG else cv.system
        scheme = EDUCATION_CREDIT_SCHEME if framework == ECTS_ELM else None
        fallback = "European Credit Transfer and Accumulation System" if framework == ECTS_ELM else None
        credits.append({"@id": f"{base}credit/{n}", "@type": "CreditPoint",
                        "framework": _concept(framework, info, lang, scheme=scheme, fallback=fallback
                                              or info.label(cv.system)),
                        "point": m.canonical_decimal(cv.points)})
    if credits:
        spec["creditPoint"] = credits
    levels = []
    for lvl in cred.levels:
        if lvl.startswith(EQF_PREFIX) and lvl[len(EQF_PREFIX):].isdigit():
            levels.append(_concept(lvl, info, lang, scheme=EQF_SCHEME, fallback=f"Level {lvl[len(EQF_PREFIX):]}"))
        else:
            levels.append(_concept(lvl, info, lang))
    if levels:
        spec["educationLevel"] = levels
    languages = [iri for iri in (language_iri(code) for code in cred.languages) if iri]
    if languages:
        spec["language"] = [{"@id": iri, "@type": "Concept",
                             "inScheme": {"@id": "http://publications.europa.eu/resource/authority/language",
                                          "@type": "ConceptScheme"}} for iri in languages]
    if cred.delivery_mode is not None:
        elm_mode = next((k for k, v in MODES.items() if v == cred.delivery_mode), cred.delivery_mode)
        spec["mode"] = _concept(elm_mode, info, lang, scheme=MODE_SCHEME if elm_mode in MODES else None,
                                fallback=MODE_LABELS.get(cred.delivery_mode))
    if cred.prerequisites:
        spec["entryRequirement"] = {"@id": f"{base}entry-requirement", "@type": "Note",
                                    "noteLiteral": {lang: cred.prerequisites}}
    if any("taught" in c.kinds for c in cred.skill_claims):
        spec["influencedBy"] = {"@id": f"{base}learning-activity", "@type": "LearningActivitySpecification",
                                "title": {"en": f"Learning activities: {cred.title}"}}
    if cred.stacks_into:
        spec["isPartOf"] = [{"@id": t, "@type": "LearningAchievementSpecification"} for t in cred.stacks_into]
    if cred.provider is not None:
        agent: dict[str, Any] = {"@id": cred.provider.iri, "@type": "Agent"}
        if cred.provider.name:
            agent["prefLabel"] = {lang: cred.provider.name}
        spec["publisher"] = agent
    return spec


def _claim_outcome(claim: m.SkillClaim, lo_id: str, info: Any, lang: str) -> dict[str, Any]:
    """One learning outcome per skill claim, titled with the skill's label: the skill, and its level as a
    related concept (the level concept, or one minted in the claim's scale: ``<scale>/level/<n>``)."""
    skill_label = info.label(claim.skill, lang) or claim.skill
    lo: dict[str, Any] = {"@id": lo_id, "@type": "LearningOutcome", "title": {lang: skill_label}}
    # A claim only taught or only assessed says so in a note whose subject is mcg:Taught / mcg:Assessed (ELM
    # has no property for it, and a note has one subject). Taught-and-assessed needs no note: the outcome is
    # proven by the specification and taught by the learning activity it is then influencedBy.
    if len(claim.kinds) == 1:
        (kind,) = claim.kinds
        lo["additionalNote"] = [{"@id": f"{lo_id}/kind", "@type": "Note",
                                 "noteLiteral": {"en": f"mcgraph skill claim: {kind} only"},
                                 "subject": {"@id": str(MCG.Taught if kind == "taught" else MCG.Assessed),
                                             "@type": "Concept", "prefLabel": {"en": kind.capitalize()}}}]
    if claim.skill.startswith(ESCO_SKILL_PREFIX):
        # No inScheme: LOQ-constraints-mdr's EscoSkillRestriction wants a scheme matching
        # ^https://ec.europa.eu/esco/skill/, which no ESCO scheme does (docs/elm-shapes-notes.md).
        lo["relatedESCOSkill"] = [_concept(claim.skill, info, lang, fallback=skill_label)]
        related = []
    else:
        related = [_concept(claim.skill, info, lang, scheme=claim.taxonomy, fallback=skill_label)]
    if claim.level is not None or claim.level_concept is not None:
        notation = m.canonical_decimal(claim.level) if claim.level is not None else None
        level_iri = claim.level_concept or minted_level(claim.skill, claim.scale, notation or "")
        if claim.scale:
            fallback = f"{info.label(claim.scale) or claim.scale}: level {notation}"
        else:  # the importer attaches "<skill label> level N" to that skill
            fallback = f"{skill_label} level {notation}" if notation is not None else None
        related.append(_concept(level_iri, info, lang, scheme=claim.scale, notation=notation if claim.scale else None,
                                fallback=fallback))
    if related:
        lo["relatedSkill"] = related
    return lo


__all__ = ["CONTEXT_URL", "FORMAT", "credentials_from_graph", "export", "read", "sniff"]
