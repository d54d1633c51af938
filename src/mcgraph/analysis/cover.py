"""Recommended credentials: the cheapest set of catalogue credentials that covers a gap's missing skills.

Each candidate credential covers the missing skills it claims itself (with ``level_aware``, at or above the
required level where both levels sit on the same scale) and costs its notional hours or its price; the
weighted set cover is solved by :func:`mcgraph.analysis.setcover.solve` — exactly ("optimal") where that is
fast, else greedy with its H(d) bound, always saying which. Skills no candidate covers are reported apart.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..errors import McgraphError
from ..namespaces import expand_curie
from ..store import GraphStore
from .gap_results import GapItem, GapResult, Recommendation
from .graph import CredentialInfo, Projection, projection
from .setcover import EXACT_LIMIT, TIME_LIMIT, Candidate, CoverSolution, solve

__all__ = ["BUDGETS", "EXACT_LIMIT", "TIME_LIMIT", "Candidate", "CoverSolution", "Recommendation",
           "credential_filter", "recommend", "solve"]

BUDGETS = ("hours", "price")


def _iri(text: str) -> str:
    text = text.strip()
    return text[1:-1] if text.startswith("<") and text.endswith(">") else (expand_curie(text) or text)


def credential_filter(proj: Projection, *, jurisdiction: str | None = None, provider: str | None = None,
                      conforms_to: str | None = None,
                      accept: Callable[[CredentialInfo], bool] | None = None) -> Callable[[CredentialInfo], bool]:
    """A predicate on credentials: offered in ``jurisdiction`` (a code such as ``CA-BC`` or an IRI; a
    country takes its provinces), by ``provider`` (IRI or name), claiming conformance to the framework
    ``conforms_to`` (``mcg:conformsToFramework``; IRI, prefixed name or the end of the IRI), and ``accept``
    (any callable, e.g. a compliance check)."""
    from ..credentials.model import jurisdiction_iri

    region = None if jurisdiction is None else (
        _iri(jurisdiction) if ":" in jurisdiction else jurisdiction_iri(jurisdiction.strip()))
    wanted_provider = None if provider is None else provider.strip()
    framework = None if conforms_to is None else conforms_to.strip()

    def ok(info: CredentialInfo) -> bool:
        if region is not None and not any(proj.within(j, region) for j in info.jurisdictions):
            return False
        if wanted_provider is not None:
            names = {info.provider or "", (info.provider_name or "").lower()}
            if _iri(wanted_provider) not in names and wanted_provider.lower() not in names:
                return False
        if framework is not None:
            target = _iri(framework)
            if not any(f == target or f.endswith("/" + framework) or f.endswith("#" + framework)
                       for f in info.frameworks):
                return False
        return accept is None or accept(info)

    return ok


def _covers(item: GapItem, level: Decimal | None, scale: str | None, level_aware: bool) -> bool:
    if not level_aware or item.required_level is None or scale != item.level_scale or level is None:
        return True
    return level >= item.required_level


def recommend(store: GraphStore, gap: GapResult, *, by: str = "hours", jurisdiction: str | None = None,
              provider: str | None = None, conforms_to: str | None = None,
              accept: Callable[[CredentialInfo], bool] | None = None, method: str = "auto",
              exact_limit: int = EXACT_LIMIT, time_limit: float = TIME_LIMIT) -> Recommendation:
    """The cheapest set of catalogue credentials (by notional ``hours`` or ``price``) covering the
    missing skills of ``gap``, with the filters of :func:`credential_filter`."""
    if by not in BUDGETS:
        raise McgraphError(f"--budget must be one of {', '.join(BUDGETS)}, not {by!r}")
    proj = projection(store)
    missing = {i.skill: i for i in gap.missing}
    keep = credential_filter(proj, jurisdiction=jurisdiction, provider=provider, conforms_to=conforms_to,
                             accept=accept)
    held = set(gap.have)
    covers: dict[str, set[str]] = {}
    for skill, item in missing.items():
        for claim in proj.claims_on(skill):
            if claim.credential not in held and _covers(item, claim.level, claim.scale, gap.rule.level_aware):
                covers.setdefault(claim.credential, set()).add(skill)
    candidates, without_cost = [], 0
    infos = proj.credentials_info(covers)
    for iri, skills in sorted(covers.items()):
        info = infos.get(iri)
        if info is None or not keep(info):
            continue
        cost = info.hours if by == "hours" else info.price
        if cost is None:
            without_cost += 1
            continue
        candidates.append(Candidate(iri, info.title, cost, frozenset(skills), info))
    solution = solve(set(missing), candidates, method=method, exact_limit=exact_limit, time_limit=time_limit)
    covered = set().union(*(c.covers for c in candidates)) if candidates else set()
    uncovered = tuple(sorted(((s, missing[s].label) for s in set(missing) - covered), key=lambda p: p[1].lower()))
    filters = {k: v for k, v in (("jurisdiction", jurisdiction), ("provider", provider),
                                 ("conforms_to", conforms_to)) if v}
    if accept is not None:
        filters["accept"] = getattr(accept, "__name__", "callable")
    return Recommendation(by, solution, {c.iri: tuple(sorted(c.covers)) for c in solution.chosen}, uncovered,
                          len(missing), len(candidates), without_cost, filters)
