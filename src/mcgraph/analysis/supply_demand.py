"""Supply and demand: the essential skills of in-demand occupations, ranked by demand, with how many
credentials in a jurisdiction teach or assess each — the uncovered ones first.

Demand is data (``mcgraph load demand FILE.csv``, :mod:`mcgraph.sources.demand`). For a jurisdiction, the
figures counted are those for it, for a jurisdiction inside it, or for none stated. Each occupation's
requirements follow the gap rule of its taxonomy (ESCO essential skills; OaSIS skills and knowledge; O*NET
importance ≥ 3). A skill's demand is the sum of the figures of the occupations that need it (figures in
different units are not added: each skill row carries the unit of the figures it sums, and the largest unit
group is used for ranking). Supply is the number of credentials offered in the jurisdiction (or inside it)
that claim the skill itself; ``narrower`` counts those claiming a narrower skill.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import networkx as nx

from ..errors import McgraphError
from ..store import GraphStore
from .cover import credential_filter
from .gap_results import GapRule
from .gaps import family_of
from .graph import projection, run_query

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass(frozen=True)
class DemandFigure:
    occupation: str
    value: Decimal
    unit: str
    period: str
    jurisdiction: str | None
    source: str
    illustrative: bool


@dataclass(frozen=True)
class SkillSupply:
    skill: str
    label: str
    demand: Decimal
    unit: str
    occupations: tuple[str, ...]      # labels of the in-demand occupations needing it
    credentials: int                  # credentials in the jurisdiction claiming the skill
    narrower: int                     # … claiming a narrower skill

    @property
    def covered(self) -> bool:
        return self.credentials > 0


@dataclass
class SupplyDemand:
    jurisdiction: str
    figures: list[DemandFigure]
    rows: list[SkillSupply]
    credentials: int                  # credentials offered in the jurisdiction
    illustrative: bool = field(default=False)

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([{"skill": r.skill, "label": r.label, "demand": float(r.demand), "unit": r.unit,
                              "credentials": r.credentials, "narrower": r.narrower,
                              "occupations": "; ".join(r.occupations)} for r in self.rows],
                            columns=["skill", "label", "demand", "unit", "credentials", "narrower", "occupations"])


def demand_figures(store: GraphStore) -> list[DemandFigure]:
    out = []
    for r in run_query(store, "analysis-demand").dicts():
        out.append(DemandFigure(r["occupation"] or "", Decimal(r["value"] or "0"), r["unit"] or "",
                                r["period"] or "", r["jurisdiction"], r["source"] or "",
                                (r["illustrative"] or "") in ("true", "1")))
    return out


def supply_demand(store: GraphStore, jurisdiction: str, *, top: int | None = None) -> SupplyDemand:
    """Essential skills of the occupations in demand in ``jurisdiction`` (code such as ``CA-BC`` or IRI):
    uncovered first, then by demand."""
    from ..credentials.model import jurisdiction_iri

    proj = projection(store)
    region = jurisdiction if ":" in jurisdiction else jurisdiction_iri(jurisdiction.strip())
    figures = [f for f in demand_figures(store) if f.jurisdiction is None or proj.within(f.jurisdiction, region)]
    if not figures:
        raise McgraphError(f"no demand figures for {jurisdiction} in the store: load some with "
                           "`mcgraph load demand FILE.csv` (`mcgraph build` loads an illustrative file for CA-BC)")
    keep = credential_filter(proj, jurisdiction=region)
    by_occupation: dict[str, list[DemandFigure]] = defaultdict(list)
    for f in figures:
        by_occupation[f.occupation].append(f)
    demand: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    needed_by: dict[str, set[str]] = defaultdict(set)
    for occupation, figs in by_occupation.items():
        reqs = proj.requirements_of(occupation)
        family = family_of(occupation) or next((r.family for r in reqs), "other")
        rule = GapRule(family)
        for req in reqs:
            if rule.selects(req)[0]:
                for f in figs:
                    demand[req.skill][f.unit] += f.value
                needed_by[req.skill].add(proj.label(occupation))
    rows = []
    for skill, units in demand.items():
        unit, value = max(units.items(), key=lambda kv: (kv[1], kv[0]))
        direct = {c.credential for c in proj.claims_on(skill)}
        offered = {c for c in direct if (info := proj.credential(c)) is not None and keep(info)}
        narrower = {c.credential for n in nx.ancestors(proj.hierarchy, skill) for c in proj.claims_on(n)} \
            if skill in proj.hierarchy else set()
        narrower_offered = {c for c in narrower - offered if (info := proj.credential(c)) is not None and keep(info)}
        rows.append(SkillSupply(skill, proj.label(skill), value, unit, tuple(sorted(needed_by[skill])),
                                len(offered), len(narrower_offered)))
    rows.sort(key=lambda r: (r.covered, -r.demand, -len(r.occupations), r.label.lower()))
    offered_total = sum(1 for info in proj.credentials.values() if keep(info))
    return SupplyDemand(jurisdiction, figures, rows if top is None else rows[:top], offered_total,
                        any(f.illustrative for f in figures))
