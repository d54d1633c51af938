"""Skill gaps: what an occupation requires that a learner's credentials do not cover.

:func:`gaps` selects the occupation's requirements by the rule of its taxonomy, then classes each one:

* **ESCO** — the essential skills (``mcg:requirementKind mcg:Essential``), with ``include_optional`` the
  optional ones too;
* **OaSIS** — the skills and knowledge the profile rates (a 0 rating makes no requirement), with their
  proficiency levels (skills 1–5, knowledge 1–3); ``min_level`` keeps those rated at least that;
* **O*NET** — the skills and knowledge elements with importance at or above ``min_importance`` (default
  :data:`DEFAULT_MIN_IMPORTANCE` = 3 on the 1–5 importance scale, "important"), never those O*NET marks
  "not relevant"; those marked "suppress recommended" (low-precision estimates) are kept and flagged.

A requirement is **covered** when a credential held claims the skill itself, **partly covered** when a
credential claims a narrower concept of it (a ``skos:broader`` chain leads from the claimed skill to the
required one), else **missing**. With ``level_aware``, a claim on the skill itself whose level is on the
same scale as the required level and below it does not cover the requirement: it is missing, and the item
says by how much it falls short. A claim without a level, or on another scale, cannot be compared and
counts as covering (the item says "level not compared").

>>> rule = GapRule("onet")
>>> rule.describe()
'O*NET skills and knowledge with importance ≥ 3 (1–5), not those marked not relevant'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from ..errors import McgraphError, ParameterError
from ..namespaces import ESCO_OCCUPATION, OASIS, ONET, expand_curie
from ..store import GraphStore
from .cover import recommend as run_recommend
from .gap_results import (
    COVERED,
    DEFAULT_MIN_IMPORTANCE,
    FAMILY_NAMES,
    MISSING,
    PARTLY,
    STATUSES,
    GapItem,
    GapResult,
    GapRule,
)
from .graph import TAXONOMIES, Claim, Projection, Requirement, projection

__all__ = ["COVERED", "DEFAULT_MIN_IMPORTANCE", "MISSING", "PARTLY", "STATUSES", "GapError", "GapItem", "GapResult",
           "GapRule", "compute_gap", "family_of", "gaps", "judge", "resolve_credentials", "resolve_occupation"]

_SCHEME_NAMES = {str(OASIS["skills"]): "OaSIS skills", str(OASIS["knowledge"]): "OaSIS knowledge",
                 str(ONET["skills"]): "O*NET skills", str(ONET["knowledge"]): "O*NET knowledge"}
_SCALE_NAMES = {str(OASIS["scale/skills"]): "OaSIS proficiency 1–5",
                str(OASIS["scale/knowledge"]): "OaSIS knowledge level 1–3",
                str(ONET["scale/LV"]): "O*NET level 0–7", str(ONET["scale/IM"]): "O*NET importance 1–5"}


class GapError(McgraphError):
    """A gap cannot be computed: unknown occupation, no requirements, unknown credential."""


# -- resolving the inputs ------------------------------------------------------------------------------

def family_of(occupation: str) -> str | None:
    """The taxonomy family an occupation IRI belongs to, from its namespace."""
    if occupation.startswith(str(ESCO_OCCUPATION)):
        return "esco"
    if occupation.startswith(str(OASIS)):
        return "oasis"
    if occupation.startswith(str(ONET)):
        return "onet"
    return None


def _as_iri(text: str) -> str:
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    return expand_curie(text) or text


def resolve_occupation(store: GraphStore, occupation: str, taxonomy: str | None = None) -> tuple[str, str]:
    """The IRI and label of an occupation given as an IRI, a prefixed name or a code (``15-1252.00``)."""
    proj = projection(store)
    iri = _as_iri(occupation)
    if ":" in iri and "/" in iri:
        try:
            rows = proj.occupations(occupation=iri)
        except ParameterError:  # not an IRI at all: there is no such occupation
            rows = []
        if rows:
            return iri, rows[0]["label"] or iri
    else:
        rows = proj.occupations(code=occupation.strip())
        if taxonomy:
            rows = [r for r in rows if family_of(r["occupation"] or "") == taxonomy]
        if len(rows) == 1:
            return rows[0]["occupation"], rows[0]["label"] or rows[0]["occupation"]  # type: ignore[return-value]
        if len(rows) > 1:
            found = ", ".join(sorted(r["occupation"] or "" for r in rows))
            raise GapError(f"occupation code {occupation!r} names {len(rows)} occupations ({found}); "
                           "pass --taxonomy esco|oasis|onet or the IRI")
    raise GapError(f"no occupation {occupation!r} in the store (give its IRI, e.g. escoocc:…, oasis:profile/…, "
                   "onet:occupation/…, or its code with --taxonomy; load the taxonomy first)")


def resolve_credentials(store: GraphStore, names: Iterable[str]) -> tuple[str, ...]:
    """Credential IRIs from IRIs, prefixed names or catalogue identifiers (``ubc-blockchain``)."""
    from ..credentials.model import credential_iri

    out = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        iri = _as_iri(name)
        if ":" not in iri:
            iri = credential_iri(name)
        out.append(iri)
    return tuple(dict.fromkeys(out))


# -- the computation -----------------------------------------------------------------------------------

def _source(req: Requirement) -> str:
    if req.family == "esco":
        return f"ESCO {req.kind}"
    text = _SCHEME_NAMES.get(req.taxonomy or "", FAMILY_NAMES[req.family])
    parts = []
    if req.level is not None:
        parts.append(f"level {req.level}")
    if req.importance is not None:
        parts.append(f"importance {req.importance}")
    return text + (f" ({', '.join(parts)})" if parts else "")


def _scale_name(scale: str | None) -> str:
    return _SCALE_NAMES.get(scale or "", scale or "no scale")


def judge(req: Requirement, claims_by_skill: dict[str, list[Claim]], broader: Callable[[str], frozenset[str]],
          level_aware: bool) -> GapItem:
    """Class one requirement against the claims held (see the module docstring for the rule)."""
    base = dict(skill=req.skill, label=req.label, source=_source(req), required_level=req.level,
                level_scale=req.level_scale, importance=req.importance, suppress_recommended=req.suppress)
    direct = claims_by_skill.get(req.skill, [])
    if direct:
        creds = tuple(sorted({c.credential for c in direct}))
        if not level_aware or req.level is None:
            return GapItem(status=COVERED, how="claims the skill", credentials=creds, claimed_skill=req.skill,
                           **base)
        meeting = [c for c in direct if c.scale == req.level_scale and c.level is not None and c.level >= req.level]
        if meeting:
            best = max(meeting, key=lambda c: c.level)  # type: ignore[arg-type,return-value]
            return GapItem(status=COVERED, credentials=tuple(sorted({c.credential for c in meeting})),
                           how=f"claims the skill at level {best.level} ≥ {req.level} ({_scale_name(req.level_scale)})",
                           claimed_skill=req.skill, claimed_level=best.level, **base)
        uncomparable = [c for c in direct if c.scale != req.level_scale or c.level is None]
        if uncomparable:
            return GapItem(status=COVERED, credentials=tuple(sorted({c.credential for c in uncomparable})),
                           how=f"claims the skill; level not compared (the claim has no level on "
                               f"{_scale_name(req.level_scale)})", claimed_skill=req.skill, **base)
        best = max(direct, key=lambda c: c.level)  # type: ignore[arg-type,return-value]
        short = req.level - best.level  # type: ignore[operator]
        return GapItem(status=MISSING, credentials=tuple(sorted({c.credential for c in direct})),
                       how=f"claimed at level {best.level}, needs {req.level} on {_scale_name(req.level_scale)}: "
                           f"{short} short", claimed_skill=req.skill, claimed_level=best.level, shortfall=short,
                       **base)
    narrower = sorted((skill, c) for skill, cs in claims_by_skill.items() if req.skill in broader(skill) for c in cs)
    if narrower:
        skill = narrower[0][0]
        return GapItem(status=PARTLY, how=f"claims the narrower skill {skill}",
                       credentials=tuple(sorted({c.credential for _, c in narrower})), claimed_skill=skill, **base)
    return GapItem(status=MISSING, how="no credential held claims it or a narrower skill", **base)


def compute_gap(proj: Projection, occupation: str, label: str, have: Sequence[str], rule: GapRule,
                requirements: Sequence[Requirement] | None = None) -> GapResult:
    """The gap of ``occupation`` for the credentials ``have`` (IRIs) on a projection."""
    reqs = list(requirements if requirements is not None else proj.requirements_of(occupation))
    claims_by_skill: dict[str, list[Claim]] = {}
    for credential in have:
        for claim in proj.claims_of(credential):
            claims_by_skill.setdefault(claim.skill, []).append(claim)
    kept, skipped = [], Counter()
    for req in reqs:
        ok, why = rule.selects(req)
        if ok:
            kept.append(req)
        else:
            skipped[why] += 1
    order = {COVERED: 0, PARTLY: 1, MISSING: 2}
    items = sorted((judge(r, claims_by_skill, proj.broader, rule.level_aware) for r in kept),
                   key=lambda i: (order[i.status], -(i.importance or 0), i.label.lower(), i.skill))
    return GapResult(occupation, label, rule.taxonomy, tuple(have), rule, tuple(items), dict(sorted(skipped.items())))


def gaps(store: GraphStore, occupation: str, have: Iterable[str] = (), *, taxonomy: str | None = None,
         include_optional: bool = False, min_importance: Decimal | float | str | None = None,
         min_level: Decimal | float | str | None = None, level_aware: bool = False,
         recommend: bool = False, budget: str = "hours", **cover_options: Any) -> GapResult:
    """The skill gap of an occupation for a learner holding the credentials ``have``.

    ``occupation``: an IRI, a prefixed name (``escoocc:…``, ``onet:occupation/15-1252.00``) or a code with
    ``taxonomy``. ``have``: credential IRIs or catalogue identifiers. ``recommend``: also compute the
    cheapest set of catalogue credentials covering the missing skills (:func:`mcgraph.analysis.cover.recommend`;
    ``budget`` "hours" or "price"; ``cover_options`` are its filters).
    """
    if taxonomy is not None and taxonomy not in TAXONOMIES:
        raise GapError(f"unknown taxonomy {taxonomy!r}: one of {', '.join(TAXONOMIES)}")
    iri, label = resolve_occupation(store, occupation, taxonomy)
    family = taxonomy or family_of(iri)
    proj = projection(store)
    reqs = proj.requirements_of(iri)
    if family is None:
        families = Counter(r.family for r in reqs)
        family = families.most_common(1)[0][0] if families else None
    if family is None or family not in TAXONOMIES:
        raise GapError(f"occupation <{iri}> has no skill requirements from ESCO, OaSIS or O*NET in the store")
    held = resolve_credentials(store, have)
    unknown = [c for c in held if not proj.claims_of(c) and proj.credential(c) is None]
    if unknown:
        raise GapError(f"no credential with skill claims named {', '.join(unknown)} in the store")
    rule = GapRule(family, include_optional,
                   Decimal(str(min_importance)) if min_importance is not None else DEFAULT_MIN_IMPORTANCE,
                   Decimal(str(min_level)) if min_level is not None else None, level_aware)
    result = compute_gap(proj, iri, label, held, rule, reqs)
    if not result.items and not reqs:
        raise GapError(f"occupation <{iri}> ({label}) has no skill requirements in the store")
    if recommend:
        result.recommendation = run_recommend(store, result, by=budget, **cover_options)
    return result
