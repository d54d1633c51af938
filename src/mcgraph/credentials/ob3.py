"""Open Badges 3.0 achievements ↔ the mcgraph credential model.

**Import**: every ``Achievement`` in the document (inside an ``OpenBadgeCredential`` or on its own, as in
mcgraph's export) becomes a credential.

=====================================  ===============================================================
Open Badges 3.0                        mcgraph
=====================================  ===============================================================
Achievement name / description         dct:title / dct:description
achievementType                        Award, degrees, diplomas, apprenticeship/journeyman/master
                                       certificates → mcg:Award; anything else → mcg:MicroCredential
creator (Profile)                      mcg:provider (name → rdfs:label); else the credential's issuer
inLanguage                             mcg:language
creditsAvailable                       mcg:hasCreditValue; OB3 names no credit system: the mcgraph
                                       extension ``creditSystem`` does, else ◆ ``…/credit-system/
                                       unspecified`` with a warning
alignment (targetType other than the   skill claim on ``targetUrl`` (an ESCO IRI is kept as is and
two below)                             resolved against loaded concepts); targetName → skos:prefLabel,
                                       targetCode → skos:notation, targetFramework → the claim's
                                       taxonomy (mcgraph extension ``taxonomy`` gives its IRI).
                                       ◆ Kind: Assessed (a badge is awarded on meeting its criteria)
                                       unless the mcgraph extension ``claimKind`` says otherwise
alignment targetType                   mcg:hasLevel (also any ``targetUrl`` under
``ext:QualificationLevel``             ``http://data.europa.eu/snb/eqf/``)
alignment targetType                   mcg:stacksInto ``targetUrl``
``ceterms:Credential``
resultDescription (resultType          the level of the skill claim its alignment names: the
RubricCriterionLevel, requiredLevel)   required RubricCriterionLevel's ``level`` → mcg:levelValue,
                                       its id → mcg:proficiencyLevel (unless minted by mcgraph),
                                       extension ``levelScale`` → mcg:levelScale
=====================================  ===============================================================

**Level convention** (OB3 has no skill level): a claim with a level is exported as a ``ResultDescription``
whose ``alignment`` is the skill, with ``resultType`` ``RubricCriterionLevel``, one
``rubricCriterionLevel`` (id = the level concept, ``level`` = the number) named by ``requiredLevel``, and
``valueMin``/``valueMax`` from the rating scale. Any OB3 consumer can read "this achievement requires
level N of skill S"; mcgraph reads it back exactly. Claim kinds, taxonomy IRIs, the credit system and
notional hours travel in a small JSON-LD extension context (``https://w3id.org/mcgraph/contexts/
ob3-skill-claims/v1``, bundled), which OB3 permits and other consumers ignore.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..namespaces import MCG, MCGID, RDF, RDFS, SKOS
from ..sources.base import LoadReport
from . import model as m
from .formats import CredentialFormat
from .jsonld import (
    EQF_PREFIX,
    ESCO_SKILL_PREFIX,
    ESCO_SKILLS_SCHEME,
    ExportInfo,
    Graph,
    count_read,
    describe,
    duration_from_hours,  # noqa: F401  (re-exported for symmetry with elm)
    pick_text,
    read_jsonld,
    read_triples,
    to_decimal,
)

OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
SCHEMA = "https://schema.org/"
CRED = "https://www.w3.org/2018/credentials#"
SKOS_NS = str(SKOS)
MCG_NS = str(MCG)
CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://w3id.org/mcgraph/contexts/ob3-skill-claims/v1"]
UNSPECIFIED_CREDITS = f"{m.CREDIT_SYSTEM_NS}unspecified"
LEVEL_TYPE = "ext:QualificationLevel"
CREDENTIAL_TYPE = "ceterms:Credential"
COMPETENCY_TYPE = "ceasn:Competency"
AWARD_TYPES = frozenset({
    "Award", "AssociateDegree", "BachelorDegree", "Degree", "Diploma", "DoctoralDegree", "MasterDegree",
    "ProfessionalDoctorate", "ResearchDoctorate", "SecondarySchoolDiploma", "ApprenticeshipCertificate",
    "JourneymanCertificate", "MasterCertificate", "GeneralEducationDevelopment",
})
KIND_NAMES = {str(MCG.Taught): "taught", str(MCG.Assessed): "assessed"}


def sniff(path: Path, head: str) -> bool:
    """OB3: names the Open Badges 3.0 context or an OpenBadgeCredential / Achievement."""
    return ("purl.imsglobal.org/spec/ob/v3p0" in head or '"OpenBadgeCredential"' in head
            or "ob3-skill-claims" in head)


# =============================================================================================
# Import
# =============================================================================================

@dataclass
class _Claim:
    skill: str
    kinds: set[str]
    taxonomy: str | None = None
    level: Decimal | None = None
    level_concept: str | None = None
    scale: str | None = None


def read(path: Path, report: LoadReport) -> Iterator[ox.Triple]:
    """The achievements of an OB3 file as mcgraph triples (all checked before the first is yielded)."""
    report.add_file(path)
    triples, _ = read_jsonld(path)
    g = Graph(triples)
    extra: set[ox.Triple] = set()
    credentials = []
    achievements = g.of_type(OB + "Achievement")
    if not achievements:
        report.warn(path, "no Open Badges 3.0 Achievement found")
    for ach in achievements:
        cred = _credential(g, ach, path, report, extra)
        credentials.append(cred)
        count_read(report, "OB3", cred)
    yield from read_triples(report, path, credentials, extra)


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o)


def _text(g: Graph, node: Any, p: str) -> str | None:
    value = pick_text(g.objects(node, p))
    return value.strip() if value and value.strip() else None


def _number(value: Any, path: Path, where: str, name: str) -> Decimal:
    """The number in ``value`` of the achievement's property ``name``; SourceFormatError if it is none."""
    try:
        return to_decimal(value)
    except ValueError as exc:
        raise SourceFormatError(path, f"{where}: {name} {exc}", field=f"achievement.{name}") from None


def _credential(g: Graph, ach: Any, path: Path, report: LoadReport, extra: set[ox.Triple]) -> m.Credential:
    where = f"Achievement <{ach.value}>" if isinstance(ach, ox.NamedNode) else "an Achievement without id"
    title = _text(g, ach, SCHEMA + "name")
    if title is None:
        raise SourceFormatError(path, f"{where} has no name", field="achievement.name")
    iri = ach.value if isinstance(ach, ox.NamedNode) else m.credential_iri(
        "ob3-" + hashlib.sha256(title.encode()).hexdigest()[:16])
    types = {t.value for t in g.objects(ach, OB + "achievementType")}
    kind = "award" if types & AWARD_TYPES else "micro-credential"
    languages = sorted({t.value for t in g.objects(ach, SCHEMA + "inLanguage") if isinstance(t, ox.Literal)})

    provider = None
    creators = list(g.objects(ach, OB + "creator"))
    for subject in g.subjects(OB + "achievement", ach):
        for vc in g.subjects(CRED + "credentialSubject", subject):
            creators += g.objects(vc, CRED + "issuer")
    for org in creators:
        if isinstance(org, ox.NamedNode):
            provider = m.Provider(org.value, _text(g, org, SCHEMA + "name"))
            break

    credits = []
    system_node = g.value(ach, MCG_NS + "creditSystem")
    for value in g.objects(ach, OB + "creditsAvailable"):
        points = _number(value, path, where, "creditsAvailable")
        if isinstance(system_node, ox.NamedNode):
            system = system_node.value
        else:
            system = UNSPECIFIED_CREDITS
            report.warn(path, f"{where}: creditsAvailable {m.canonical_decimal(points)} names no credit system "
                        "(Open Badges 3.0 has none); recorded in the 'unspecified' credit system")
            extra.add(_t(system, str(RDF.type), ox.NamedNode(str(MCG.CreditSystem))))
            extra.add(_t(system, str(RDFS.label), ox.Literal("Unspecified credit system (Open Badges "
                                                                 "creditsAvailable)", language="en")))
        credits.append(m.CreditValue(points, system))
    hours = None
    for value in g.objects(ach, MCG_NS + "notionalHours"):
        hours = _number(value, path, where, "notionalHours")

    claims: dict[str, _Claim] = {}
    levels: set[str] = set()
    stacks: set[str] = set()
    for n, al in enumerate(g.objects(ach, OB + "alignment"), start=1):
        role, target = _alignment(g, al, path, where, n, extra)
        if role == "level":
            levels.add(target)
        elif role == "stack":
            stacks.add(target)
        else:
            claims.setdefault(target, _claim(g, al, target))
    for rd in g.objects(ach, OB + "resultDescription"):
        _result_levels(g, rd, path, where, claims, extra)
    skill_claims = tuple(m.SkillClaim(c.skill, frozenset(c.kinds), c.level, c.level_concept, c.scale, c.taxonomy)
                         for c in sorted(claims.values(), key=lambda c: c.skill))
    return m.Credential(iri, title, kind, provider=provider, description=_text(g, ach, SCHEMA + "description"),
                        languages=tuple(languages), notional_hours=hours,
                        credits=tuple(sorted(credits, key=lambda c: (c.system, c.points))),
                        levels=tuple(sorted(levels)), stacks_into=tuple(sorted(stacks)), skill_claims=skill_claims)


def _alignment(g: Graph, al: Any, path: Path, where: str, n: int, extra: set[ox.Triple]) -> tuple[str, str]:
    """(role, target IRI) of one alignment: a "skill", a "level" or a "stack" target."""
    url = _text(g, al, SCHEMA + "targetUrl")
    name = _text(g, al, SCHEMA + "targetName")
    code = _text(g, al, OB + "targetCode")
    framework = _text(g, al, SCHEMA + "targetFramework")
    target_type = _text(g, al, OB + "targetType")
    if url is None and name is None:
        raise SourceFormatError(path, f"{where}: alignment {n} has neither targetUrl nor targetName",
                                field=f"achievement.alignment[{n}]")
    if url is not None and not m.looks_like_iri(url) and ":" not in url:
        raise SourceFormatError(path, f"{where}: alignment {n} targetUrl {url!r} is not an absolute IRI",
                                field=f"achievement.alignment[{n}].targetUrl")
    if target_type == CREDENTIAL_TYPE and url:
        return "stack", url
    target = url or f"{MCGID}skill/ob3/{m.slugify(framework or 'unnamed')}/{m.slugify(code or name or '')}"
    if target_type == LEVEL_TYPE or target.startswith(EQF_PREFIX):
        if name:
            extra.add(_t(target, SKOS_NS + "prefLabel", ox.Literal(name)))
        return "level", target
    if name:
        extra.add(_t(target, SKOS_NS + "prefLabel", ox.Literal(name)))
    if code:
        extra.add(_t(target, SKOS_NS + "notation", ox.Literal(code)))
    return "skill", target


def _claim(g: Graph, al: Any, skill: str) -> _Claim:
    kinds = {KIND_NAMES[k.value] for k in g.objects(al, MCG_NS + "claimKind") if k.value in KIND_NAMES}
    taxonomy_node = g.value(al, MCG_NS + "fromTaxonomy")
    framework = _text(g, al, SCHEMA + "targetFramework")
    if isinstance(taxonomy_node, ox.NamedNode):
        taxonomy = taxonomy_node.value
    elif skill.startswith(ESCO_SKILL_PREFIX):
        taxonomy = ESCO_SKILLS_SCHEME
    elif framework:
        taxonomy = f"{MCGID}taxonomy/{m.slugify(framework)}"
    else:
        taxonomy = None
    return _Claim(skill, kinds or {"assessed"}, taxonomy)


def _result_levels(g: Graph, rd: Any, path: Path, where: str, claims: dict[str, _Claim],
                   extra: set[ox.Triple]) -> None:
    """Read a claim's level from a ResultDescription (mcgraph's convention, see the module docstring)."""
    required = _text(g, rd, OB + "requiredLevel")
    if required is None:
        return
    rcl = next((r for r in g.objects(rd, OB + "rubricCriterionLevel")
                if isinstance(r, ox.NamedNode) and r.value == required), None)
    if rcl is None:
        raise SourceFormatError(path, f"{where}: resultDescription requiredLevel {required} names no "
                                "rubricCriterionLevel of that result description",
                                field="achievement.resultDescription.requiredLevel")
    level_text = _text(g, rcl, OB + "level")
    level = None
    if level_text is not None:
        try:
            level = to_decimal(level_text)
        except ValueError:
            level = None  # a named level ("Proficient") without a number: the concept carries it
    scale_node = g.value(rd, MCG_NS + "levelScale")
    scale = scale_node.value if isinstance(scale_node, ox.NamedNode) else None
    from .elm import _is_minted

    for n, al in enumerate(g.objects(rd, OB + "alignment"), start=1):
        role, skill = _alignment(g, al, path, where, n, extra)
        if role != "skill":
            continue
        claim = claims.setdefault(skill, _claim(g, al, skill))
        claim.level, claim.scale = level, scale
        claim.level_concept = None if _is_minted(required, scale) else required
        if claim.level_concept is not None:
            name = _text(g, rcl, SCHEMA + "name")
            if name:
                extra.add(_t(required, SKOS_NS + "prefLabel", ox.Literal(name)))


FORMAT = CredentialFormat("ob3", (".json", ".jsonld"), sniff, read, title="Open Badges 3.0")


# =============================================================================================
# Export
# =============================================================================================

def export(store: Any) -> bytes:
    """The credentials in ``store`` as Open Badges 3.0 Achievements in one JSON-LD document."""
    credentials = list(m.iter_credentials(store))
    info = describe(store)
    doc = {"@context": CONTEXTS, "@graph": [_achievement(c, info) for c in credentials]}
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _skill_alignment(claim: m.SkillClaim, info: ExportInfo, *, with_kind: bool = True) -> dict[str, Any]:
    al: dict[str, Any] = {"type": ["Alignment"], "targetName": info.label(claim.skill) or claim.skill,
                          "targetUrl": claim.skill, "targetType": COMPETENCY_TYPE}
    if claim.skill in info.notations:
        al["targetCode"] = info.notations[claim.skill]
    if claim.taxonomy:
        al["targetFramework"] = info.label(claim.taxonomy) or ("ESCO" if claim.taxonomy == ESCO_SKILLS_SCHEME
                                                               else claim.taxonomy)
        al["taxonomy"] = claim.taxonomy
    if with_kind:
        al["claimKind"] = sorted(k.capitalize() for k in claim.kinds)
    return al


def _achievement(cred: m.Credential, info: ExportInfo) -> dict[str, Any]:
    from .elm import minted_level

    base = cred.iri + ("-" if "#" in cred.iri else "/")
    ach: dict[str, Any] = {
        "id": cred.iri,
        "type": ["Achievement"],
        "achievementType": "Award" if cred.kind == "award" else "MicroCredential",
        "name": cred.title,
        "description": cred.description or "",
        "criteria": {"narrative": "; ".join(a.method for a in cred.assessments if a.method)
                     or "Meet the requirements of the credential as published by its provider."},
    }
    if cred.languages:
        ach["inLanguage"] = cred.languages[0]
    if cred.provider is not None:
        creator: dict[str, Any] = {"id": cred.provider.iri, "type": ["Profile"]}
        if cred.provider.name:
            creator["name"] = cred.provider.name
        ach["creator"] = creator
    if cred.credits:
        first = min(cred.credits, key=lambda c: (c.system != f"{m.CREDIT_SYSTEM_NS}ects", c.system))
        ach["creditsAvailable"] = float(first.points)
        if first.system != UNSPECIFIED_CREDITS:
            ach["creditSystem"] = first.system
    if cred.notional_hours is not None:
        ach["notionalHours"] = m.canonical_decimal(cred.notional_hours)
    alignments = [_skill_alignment(c, info) for c in cred.skill_claims]
    for lvl in cred.levels:
        al = {"type": ["Alignment"], "targetName": info.label(lvl) or lvl, "targetUrl": lvl,
              "targetType": LEVEL_TYPE}
        if lvl in info.notations:
            al["targetCode"] = info.notations[lvl]
        alignments.append(al)
    for target in cred.stacks_into:
        alignments.append({"type": ["Alignment"], "targetName": target, "targetUrl": target,
                           "targetType": CREDENTIAL_TYPE})
    if alignments:
        ach["alignment"] = alignments
    results = []
    for n, claim in enumerate(cred.skill_claims, start=1):
        if claim.level is None and claim.level_concept is None:
            continue
        notation = m.canonical_decimal(claim.level) if claim.level is not None else None
        level_iri = claim.level_concept or minted_level(claim.skill, claim.scale, notation or "")
        skill_name = info.label(claim.skill) or claim.skill
        rcl: dict[str, Any] = {"id": level_iri, "type": ["RubricCriterionLevel"],
                               "name": info.label(level_iri) or (f"Level {notation}" if notation else level_iri)}
        if notation is not None:
            rcl["level"] = notation
        rd: dict[str, Any] = {"id": f"{base}claim/{n}/result", "type": ["ResultDescription"],
                              "name": f"{skill_name}: required proficiency", "resultType": "RubricCriterionLevel",
                              "alignment": [_skill_alignment(claim, info, with_kind=False)],
                              "rubricCriterionLevel": [rcl], "requiredLevel": level_iri}
        if claim.scale:
            rd["levelScale"] = claim.scale
            scale = m.SCALES_BY_IRI.get(claim.scale)
            if scale is not None:
                rd["valueMin"] = m.canonical_decimal(scale.minimum)
                rd["valueMax"] = m.canonical_decimal(scale.maximum)
        results.append(rd)
    if results:
        ach["resultDescription"] = results
    return ach


__all__ = ["CONTEXTS", "FORMAT", "export", "read", "sniff"]
