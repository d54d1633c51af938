"""Credential Engine CTDL JSON-LD ↔ the mcgraph credential model.

CTDL's own JSON-LD context (``credreg.net``) is not available offline; mcgraph bundles a minimal context of
its own for the terms below (``contexts/ctdl-minimal.jsonld``, see the README there).

**Import**: every node typed with a CTDL credential class becomes a credential.

=====================================  ===============================================================
CTDL                                   mcgraph
=====================================  ===============================================================
ceterms:MicroCredential, Badge,        mcg:MicroCredential
DigitalBadge, OpenBadge, Certificate,
CertificateOfCompletion, Certification
degrees, diplomas, ceterms:Credential  mcg:Award
and the other credential classes
ceterms:name / description             dct:title / dct:description
ceterms:offeredBy, ownedBy             mcg:provider (ceterms:name → rdfs:label)
ceterms:teaches                        skill claim, kind Taught
ceterms:assesses                       skill claim, kind Assessed
ceterms:requires → a competency        ◆ skill claim, kind Assessed (a required competency is one
                                       the credential certifies)
(targets are competency IRIs or        skill = ``ceterms:targetNode``; taxonomy = ``ceterms:framework``
CredentialAlignmentObjects)            (ESCO IRIs: the ESCO skills scheme); competency labels
                                       (``ceasn:competencyLabel``/``competencyText``, ``targetNodeName``)
                                       → skos:prefLabel, ``codedNotation`` → skos:notation
ceterms:isPartOf / X ceterms:hasPart   mcg:stacksInto
ceterms:creditValue (ValueProfile)     mcg:hasCreditValue (system = creditUnitType's targetNode)
ceterms:estimatedDuration              mcg:notionalHours (``exactDuration``)
ceterms:inLanguage                     mcg:language
=====================================  ===============================================================

Learning opportunities (ceterms:Course, LearningProgram …) and assessment profiles are not credentials:
they are counted and skipped with a warning. CTDL has no property for a skill claim's proficiency level
nor a settled one for a credential's qualification-framework level; mcgraph's export writes them as
``mcg:levelValue`` / ``mcg:levelScale`` / ``mcg:proficiencyLevel`` on the alignment object and
``mcg:hasLevel`` on the credential (namespace declared inline), which the importer reads back.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..namespaces import MCG, SKOS
from ..sources.base import LoadReport
from . import model as m
from .formats import CredentialFormat
from .jsonld import (
    ESCO_SKILL_PREFIX,
    ESCO_SKILLS_SCHEME,
    CalendarDuration,
    ExportInfo,
    Graph,
    count_read,
    describe,
    duration_from_hours,
    hours_from_duration,
    pick_text,
    read_jsonld,
    read_triples,
    to_decimal,
)

CETERMS = "https://purl.org/ctdl/terms/"
CEASN = "https://purl.org/ctdlasn/terms/"
SKOS_NS = str(SKOS)
MCG_NS = str(MCG)
CONTEXT_URL = "https://credreg.net/ctdl/schema/context/json"
MICRO_TYPES = frozenset(CETERMS + t for t in (
    "MicroCredential", "Badge", "DigitalBadge", "OpenBadge", "Certificate", "CertificateOfCompletion",
    "Certification"))
AWARD_TYPES = frozenset(CETERMS + t for t in (
    "Credential", "Degree", "AssociateDegree", "BachelorDegree", "MasterDegree", "DoctoralDegree",
    "ProfessionalDoctorate", "ResearchDoctorate", "Diploma", "SecondarySchoolDiploma", "GeneralEducationDevelopment",
    "ApprenticeshipCertificate", "JourneymanCertificate", "MasterCertificate", "QualityAssuranceCredential",
    "License", "AcademicCertificate", "BasicTechnicalCertificate", "AssociateOfAppliedArtsDegree",
    "AssociateOfAppliedScienceDegree", "AssociateOfArtsDegree", "AssociateOfScienceDegree",
    "BachelorOfArtsDegree", "BachelorOfScienceDegree", "MasterOfArtsDegree", "MasterOfScienceDegree"))
NOT_CREDENTIALS = frozenset(CETERMS + t for t in (
    "Course", "LearningProgram", "LearningOpportunityProfile", "AssessmentProfile", "TrainingProgram"))


_KEY = re.compile(r'"(?:ceterms|ceasn):[A-Za-z]+"\s*:')


def sniff(path: Path, head: str) -> bool:
    """CTDL: names a credreg.net context or has ``ceterms:`` / ``ceasn:`` keys (not merely such values, as
    an Open Badges alignment's ``targetType`` may be)."""
    return "credreg.net/ctdl" in head or bool(_KEY.search(head))


# =============================================================================================
# Import
# =============================================================================================

@dataclass
class _Claim:
    skill: str
    kinds: set[str] = field(default_factory=set)
    taxonomy: str | None = None
    level: Decimal | None = None
    level_concept: str | None = None
    scale: str | None = None


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o)


def read(path: Path, report: LoadReport) -> Iterator[ox.Triple]:
    """The credentials of a CTDL file as mcgraph triples (all checked before the first is yielded)."""
    report.add_file(path)
    triples, _ = read_jsonld(path)
    g = Graph(triples)
    extra: set[ox.Triple] = set()
    nodes = g.of_type(*(MICRO_TYPES | AWARD_TYPES))
    skipped = g.of_type(*NOT_CREDENTIALS)
    if skipped:
        kinds = sorted({t.rsplit("/", 1)[-1] for s in skipped for t in g.types(s) if t in NOT_CREDENTIALS})
        report.warn(path, f"{len(skipped)} CTDL learning opportunity/assessment node(s) ({', '.join(kinds)}) are "
                    "not credentials; not read")
        report.count("CTDL non-credential nodes skipped", len(skipped))
    if not nodes and not skipped:
        report.warn(path, "no CTDL credential found")
    parents: dict[str, set[str]] = {}
    for whole in g.subjects(CETERMS + "hasPart", None):
        for part in g.objects(whole, CETERMS + "hasPart"):
            if isinstance(part, ox.NamedNode) and isinstance(whole, ox.NamedNode) and whole in nodes:
                parents.setdefault(part.value, set()).add(whole.value)
    credentials = []
    for node in nodes:
        cred = _credential(g, node, path, report, extra, parents)
        credentials.append(cred)
        count_read(report, "CTDL", cred)
    yield from read_triples(report, path, credentials, extra)


def _credential(g: Graph, node: Any, path: Path, report: LoadReport, extra: set[ox.Triple],
                parents: dict[str, set[str]]) -> m.Credential:
    where = f"<{node.value}>" if isinstance(node, ox.NamedNode) else "a credential without @id"
    title = pick_text(g.objects(node, CETERMS + "name"))
    if not title:
        raise SourceFormatError(path, f"{where} has no ceterms:name", field="ceterms:name")
    iri = node.value if isinstance(node, ox.NamedNode) else m.credential_iri(
        "ctdl-" + hashlib.sha256(title.encode()).hexdigest()[:16])
    types = g.types(node)
    kind = "micro-credential" if types & MICRO_TYPES else "award"
    provider = None
    for p in ("offeredBy", "ownedBy"):
        for org in g.objects(node, CETERMS + p):
            if isinstance(org, ox.NamedNode) and provider is None:
                provider = m.Provider(org.value, pick_text(g.objects(org, CETERMS + "name")))
    claims: dict[str, _Claim] = {}
    for prop, kind_name in (("teaches", "taught"), ("assesses", "assessed"), ("requires", "assessed")):
        for target in g.objects(node, CETERMS + prop):
            claim = _claim_of(g, target, path, where, prop, extra)
            if claim is None:
                continue
            if prop == "requires":
                report.count("CTDL required competencies read as assessed skill claims")
            merged = claims.setdefault(claim.skill, claim)
            merged.kinds.add(kind_name)
            if merged is not claim and claim.level is not None:
                merged.level, merged.scale, merged.level_concept = claim.level, claim.scale, claim.level_concept
    credits = []
    for vp in g.objects(node, CETERMS + "creditValue"):
        value = g.value(vp, CETERMS + "value")
        unit = g.value(vp, CETERMS + "creditUnitType")
        system = g.value(unit, CETERMS + "targetNode") if unit is not None and not isinstance(unit, ox.Literal) \
            else unit
        if value is None or not isinstance(system, ox.NamedNode):
            raise SourceFormatError(path, f"{where}: a creditValue needs ceterms:value and a creditUnitType with "
                                    "a targetNode IRI", field="ceterms:creditValue")
        try:
            credits.append(m.CreditValue(to_decimal(value), system.value))
        except ValueError as exc:
            raise SourceFormatError(path, f"{where}: creditValue {exc}", field="ceterms:creditValue") from None
    hours = None
    for dp in g.objects(node, CETERMS + "estimatedDuration"):
        for d in g.objects(dp, CETERMS + "exactDuration"):
            try:
                hours = hours_from_duration(d.value)
            except CalendarDuration as exc:
                report.warn(path, f"{where}: estimatedDuration {exc}; not read")
            except ValueError as exc:
                raise SourceFormatError(path, f"{where}: estimatedDuration {exc}",
                                        field="ceterms:estimatedDuration") from None
    languages = sorted({t.value for t in g.objects(node, CETERMS + "inLanguage") if isinstance(t, ox.Literal)})
    levels = sorted({t.value for t in g.objects(node, MCG_NS + "hasLevel") if isinstance(t, ox.NamedNode)})
    stacks = {t.value for t in g.objects(node, CETERMS + "isPartOf") if isinstance(t, ox.NamedNode)}
    stacks |= parents.get(iri, set())
    skill_claims = tuple(m.SkillClaim(c.skill, frozenset(c.kinds), c.level, c.level_concept, c.scale, c.taxonomy)
                         for c in sorted(claims.values(), key=lambda c: c.skill))
    return m.Credential(iri, title, kind, provider=provider,
                        description=pick_text(g.objects(node, CETERMS + "description")),
                        languages=tuple(languages), notional_hours=hours,
                        credits=tuple(sorted(credits, key=lambda c: (c.system, c.points))), levels=tuple(levels),
                        stacks_into=tuple(sorted(stacks)), skill_claims=skill_claims)


def _claim_of(g: Graph, target: Any, path: Path, where: str, prop: str, extra: set[ox.Triple]) -> _Claim | None:
    """The claim a teaches/assesses/requires value makes: a competency IRI, or an alignment object."""
    if isinstance(target, ox.Literal):
        raise SourceFormatError(path, f"{where}: ceterms:{prop} value {target.value!r} is not a node or IRI",
                                field=f"ceterms:{prop}")
    types = g.types(target)
    if CETERMS + "CredentialAlignmentObject" in types or g.value(target, CETERMS + "targetNode") is not None:
        skill = g.value(target, CETERMS + "targetNode")
        if not isinstance(skill, ox.NamedNode):
            raise SourceFormatError(path, f"{where}: a ceterms:{prop} alignment object has no targetNode IRI",
                                    field=f"ceterms:{prop}.ceterms:targetNode")
        for lit in g.objects(target, CETERMS + "targetNodeName"):
            extra.add(ox.Triple(skill, ox.NamedNode(SKOS_NS + "prefLabel"), lit))
        code = g.value(target, CETERMS + "codedNotation")
        if isinstance(code, ox.Literal):
            extra.add(ox.Triple(skill, ox.NamedNode(SKOS_NS + "notation"), ox.Literal(code.value)))
        framework = g.value(target, CETERMS + "framework")
        claim = _Claim(skill.value, taxonomy=framework.value if isinstance(framework, ox.NamedNode)
                       else _default_taxonomy(g, skill))
        level = g.value(target, MCG_NS + "levelValue")
        if level is not None:
            try:
                claim.level = to_decimal(level)
            except ValueError as exc:
                raise SourceFormatError(path, f"{where}: mcg:levelValue {exc}", field="mcg:levelValue") from None
        scale = g.value(target, MCG_NS + "levelScale")
        concept = g.value(target, MCG_NS + "proficiencyLevel")
        claim.scale = scale.value if isinstance(scale, ox.NamedNode) else None
        claim.level_concept = concept.value if isinstance(concept, ox.NamedNode) else None
        return claim
    if not isinstance(target, ox.NamedNode):
        if prop == "requires":
            return None  # a condition profile, not a competency: outside the model
        raise SourceFormatError(path, f"{where}: ceterms:{prop} value has neither an IRI nor a targetNode",
                                field=f"ceterms:{prop}")
    if prop == "requires" and not (types & {CEASN + "Competency"}) and not target.value.startswith(ESCO_SKILL_PREFIX):
        return None  # requires a credential or condition, not a competency
    label = g.objects(target, CEASN + "competencyLabel") or g.objects(target, CEASN + "competencyText")
    for lit in label:
        extra.add(ox.Triple(target, ox.NamedNode(SKOS_NS + "prefLabel"), lit))
    code = g.value(target, CEASN + "codedNotation")
    if isinstance(code, ox.Literal):
        extra.add(ox.Triple(target, ox.NamedNode(SKOS_NS + "notation"), ox.Literal(code.value)))
    return _Claim(target.value, taxonomy=_default_taxonomy(g, target))


def _default_taxonomy(g: Graph, skill: Any) -> str | None:
    if skill.value.startswith(ESCO_SKILL_PREFIX):
        return ESCO_SKILLS_SCHEME
    framework = g.value(skill, CEASN + "isPartOf")
    return framework.value if isinstance(framework, ox.NamedNode) else None


FORMAT = CredentialFormat("ctdl", (".json", ".jsonld"), sniff, read, title="Credential Engine CTDL")


# =============================================================================================
# Export
# =============================================================================================

_EXTENSION = {
    "mcg": MCG_NS,
    "mcg:hasLevel": {"@type": "@id"},
    "mcg:levelScale": {"@type": "@id"},
    "mcg:proficiencyLevel": {"@type": "@id"},
    "mcg:levelValue": {"@type": "http://www.w3.org/2001/XMLSchema#decimal"},
}


def export(store: Any) -> bytes:
    """The credentials in ``store`` as CTDL JSON-LD (one ``@graph``)."""
    credentials = list(m.iter_credentials(store))
    info = describe(store)
    doc = {"@context": [CONTEXT_URL, _EXTENSION], "@graph": [_node(c, info) for c in credentials]}
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _lmap(text: str, lang: str | None) -> dict[str, str] | str:
    """A CTDL language map, or the plain string when the text has no language."""
    return {lang: text} if lang else text


def _name(info: ExportInfo, iri: str, lang: str) -> dict[str, str] | str | None:
    found = info.tagged_label(iri, lang)
    return _lmap(found[0], found[1]) if found else None


def _alignment(claim: m.SkillClaim, info: ExportInfo, lang: str) -> dict[str, Any]:
    cao: dict[str, Any] = {"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNode": claim.skill}
    label = _name(info, claim.skill, lang)
    if label:
        cao["ceterms:targetNodeName"] = label
    if claim.skill in info.notations:
        cao["ceterms:codedNotation"] = info.notations[claim.skill]
    if claim.taxonomy:
        cao["ceterms:framework"] = claim.taxonomy
        name = _name(info, claim.taxonomy, lang)
        if name:
            cao["ceterms:frameworkName"] = name
    if claim.level is not None:
        cao["mcg:levelValue"] = m.canonical_decimal(claim.level)
    if claim.scale:
        cao["mcg:levelScale"] = claim.scale
    if claim.level_concept:
        cao["mcg:proficiencyLevel"] = claim.level_concept
    return cao


def _node(cred: m.Credential, info: ExportInfo) -> dict[str, Any]:
    lang = cred.languages[0].split("-")[0].lower() if cred.languages else "en"
    node: dict[str, Any] = {
        "@id": cred.iri,
        "@type": "ceterms:MicroCredential" if cred.kind == "micro-credential" else "ceterms:Credential",
        "ceterms:name": _lmap(cred.title, lang),
    }
    if cred.description:
        node["ceterms:description"] = _lmap(cred.description, lang)
    if cred.languages:
        node["ceterms:inLanguage"] = list(cred.languages)
    if cred.provider is not None:
        org: dict[str, Any] = {"@id": cred.provider.iri, "@type": "ceterms:CredentialOrganization"}
        if cred.provider.name:
            org["ceterms:name"] = _lmap(cred.provider.name, lang)
        node["ceterms:offeredBy"] = [org]
    teaches = [_alignment(c, info, lang) for c in cred.skill_claims if "taught" in c.kinds]
    assesses = [_alignment(c, info, lang) for c in cred.skill_claims if "assessed" in c.kinds]
    if teaches:
        node["ceterms:teaches"] = teaches
    if assesses:
        node["ceterms:assesses"] = assesses
    if cred.stacks_into:
        node["ceterms:isPartOf"] = list(cred.stacks_into)
    if cred.credits:
        node["ceterms:creditValue"] = [
            {"@type": "ceterms:ValueProfile", "ceterms:value": m.canonical_decimal(cv.points),
             "ceterms:creditUnitType": {"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNode": cv.system,
                                        **({"ceterms:targetNodeName": _name(info, cv.system, lang)}
                                           if info.label(cv.system, lang) else {})}}
            for cv in cred.credits]
    if cred.notional_hours is not None:
        node["ceterms:estimatedDuration"] = [{"@type": "ceterms:DurationProfile",
                                              "ceterms:exactDuration": duration_from_hours(cred.notional_hours)}]
    if cred.levels:
        node["mcg:hasLevel"] = list(cred.levels)
    return node


__all__ = ["CONTEXT_URL", "FORMAT", "export", "read", "sniff"]
