"""Credentials x frameworks: which credential meets which framework (a pandas DataFrame).

A cell is ``meets`` (no violation; warnings and "cannot tell" notes allowed and counted), ``fails`` (at least
one violation of the framework's rules; core data-integrity findings count against every framework the
credential is checked for) or ``not applicable`` (the framework does not apply to the credential: see
:mod:`mcgraph.checks.shacl` — a framework applies to a credential that claims it, ``mcg:conformsToFramework``,
or that is offered in its jurisdiction or a jurisdiction inside it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..store import GraphStore
from .shacl import validate

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

MEETS, FAILS, NOT_APPLICABLE = "meets", "fails", "not applicable"
COLUMNS = ["credential", "title", "framework", "status", "violations", "warnings", "infos"]


def compliance(store: GraphStore, *, jurisdiction: str | None = None, engine: str = "sparql") -> pd.DataFrame:
    """One row per credential and framework with the status and counts (long form; pivot for a matrix).

    ``jurisdiction`` (a code such as ``CA-BC``) keeps the credentials offered there (or inside it).
    """
    import pandas as pd

    report = validate(store, all_frameworks=True, engine=engine)
    applicable = validate_scope(store)
    rows = []
    wanted = None
    if jurisdiction:
        from ..credentials.model import jurisdiction_iri

        wanted = str(jurisdiction_iri(jurisdiction)) if "://" not in jurisdiction else jurisdiction
    from .shacl import Catalogue

    catalogue = Catalogue(store)
    for credential in report.checked:
        if wanted and wanted not in catalogue.jurisdictions.get(credential, set()):
            continue
        mine = [r for r in report.results if report.owner.get(r.focus or "", r.focus) == credential]
        core = [r for r in mine if r.framework is None]
        for fw in report.frameworks:
            found = core + [r for r in mine if r.framework == fw]
            counts = {k: sum(1 for r in found if r.severity.label == k) for k in ("violation", "warning", "info")}
            if fw not in applicable.get(credential, ()):
                status = NOT_APPLICABLE
            else:
                status = FAILS if counts["violation"] else MEETS
            rows.append({"credential": credential, "title": report.label(credential), "framework": fw,
                         "status": status, "violations": counts["violation"], "warnings": counts["warning"],
                         "infos": counts["info"]})
    return pd.DataFrame(rows, columns=COLUMNS)


def validate_scope(store: GraphStore) -> dict[str, tuple[str, ...]]:
    """credential -> the frameworks that apply to it."""
    from .shacl import Catalogue, applicable
    from .shapes import load_shapes

    shapes = load_shapes(store)
    catalogue = Catalogue(store)
    return {c: tuple(applicable(catalogue, shapes, c)) for c in catalogue.credentials}


def matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """The long form as credentials x frameworks, each cell "meets", "fails (2V, 1W)" (violations, warnings) or "n/a"."""
    def cell(row: pd.Series) -> str:
        if row["status"] == NOT_APPLICABLE:
            return "n/a"
        extra = []
        if row["violations"]:
            extra.append(f"{row['violations']}V")
        if row["warnings"]:
            extra.append(f"{row['warnings']}W")
        return row["status"] + (f" ({', '.join(extra)})" if extra else "")

    if frame.empty:
        return frame
    out = frame.assign(cell=frame.apply(cell, axis=1), id=frame["credential"].str.rsplit("/", n=1).str[-1])
    grid = out.pivot(index="id", columns="framework", values="cell").fillna("n/a")
    return grid.loc[:, (grid != "n/a").any(axis=0)] if len(grid.columns) else grid


__all__ = ["FAILS", "MEETS", "NOT_APPLICABLE", "compliance", "matrix"]
