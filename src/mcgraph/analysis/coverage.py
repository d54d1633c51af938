"""Coverage matrix: occupations × catalogue — the share of each occupation's essential skills the catalogue
(or one jurisdiction's part of it, or each jurisdiction's) covers.

The requirements of each occupation follow the gap rule of its taxonomy (:class:`~.gap_results.GapRule`: ESCO
essential skills; OaSIS skills and knowledge; O*NET skills and knowledge with importance ≥ 3). A skill is
**covered** when a credential in scope claims it, **partly covered** when one claims a narrower skill.
``share`` = covered / required.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..store import GraphStore
from .cover import credential_filter
from .gap_results import DEFAULT_MIN_IMPORTANCE, GapRule
from .graph import TAXONOMIES, CredentialInfo, projection

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

ALL = "all"


@dataclass(frozen=True)
class CoverageRow:
    occupation: str
    label: str
    scope: str            # "all" or a jurisdiction IRI
    required: int
    covered: int
    partly: int

    @property
    def share(self) -> float:
        return self.covered / self.required if self.required else 0.0


@dataclass
class CoverageMatrix:
    taxonomy: str
    rule: str
    scopes: tuple[str, ...]
    rows: list[CoverageRow]
    credentials: dict[str, int]   # scope → credentials in it

    def to_frame(self) -> pd.DataFrame:
        """Long form: one row per occupation and scope."""
        import pandas as pd

        return pd.DataFrame([{"occupation": r.occupation, "label": r.label, "scope": r.scope,
                              "required": r.required, "covered": r.covered, "partly": r.partly,
                              "share": r.share} for r in self.rows],
                            columns=["occupation", "label", "scope", "required", "covered", "partly", "share"])

    def matrix(self) -> pd.DataFrame:
        """Wide form: occupations × scopes, cells the covered share."""
        frame = self.to_frame()
        return frame.pivot_table(index=["occupation", "label"], columns="scope", values="share").reset_index()

    def best(self, n: int | None = None, scope: str = ALL) -> list[CoverageRow]:
        """Rows of one scope, best covered first (ties: more required skills first, then label)."""
        rows = sorted((r for r in self.rows if r.scope == scope),
                      key=lambda r: (-r.share, -r.covered, r.label.lower(), r.occupation))
        return rows if n is None else rows[:n]


def coverage_matrix(store: GraphStore, *, taxonomy: str = "esco", jurisdiction: str | None = None,
                    by_jurisdiction: bool = False, provider: str | None = None,
                    accept: Callable[[CredentialInfo], bool] | None = None,
                    min_importance: Decimal = DEFAULT_MIN_IMPORTANCE, labels: bool = True) -> CoverageMatrix:
    """The coverage matrix of every occupation of ``taxonomy`` against the catalogue in the store.

    ``jurisdiction``/``provider``/``accept`` restrict the catalogue; ``by_jurisdiction`` adds one column per
    jurisdiction credentials are offered in (besides "all").
    """
    if taxonomy not in TAXONOMIES:
        raise ValueError(f"unknown taxonomy {taxonomy!r}: one of {', '.join(TAXONOMIES)}")
    proj = projection(store)
    rule = GapRule(taxonomy, min_importance=min_importance)
    keep = credential_filter(proj, jurisdiction=jurisdiction, provider=provider, accept=accept)
    in_scope = {iri for iri, info in proj.credentials.items() if keep(info)}
    scopes: dict[str, set[str]] = {ALL: in_scope}
    if by_jurisdiction:
        for iri in in_scope:
            for j in proj.credentials[iri].jurisdictions:
                scopes.setdefault(j, set()).add(iri)
    claimed: dict[str, set[str]] = {}
    partly: dict[str, set[str]] = {}
    for scope, creds in scopes.items():
        skills = {c.skill for cred in creds for c in proj.claims_by_credential.get(cred, ())}
        claimed[scope] = skills
        partly[scope] = set().union(*(proj.broader(s) for s in skills)) if skills else set()
    names = _occupation_labels(proj) if labels else {}
    rows = []
    for occupation, reqs in proj.requirements_in(taxonomy).items():
        required = {r.skill for r in reqs if rule.selects(r)[0]}
        if not required:
            continue
        for scope in scopes:
            covered = required & claimed[scope]
            rows.append(CoverageRow(occupation, names.get(occupation, occupation), scope, len(required),
                                    len(covered), len((required - covered) & partly[scope])))
    return CoverageMatrix(taxonomy, rule.describe(), tuple(scopes), rows, {s: len(c) for s, c in scopes.items()})


def _occupation_labels(proj) -> dict[str, str]:  # type: ignore[no-untyped-def]
    found: dict[str, str] = {}
    for row in proj.occupations():
        if row["occupation"] and row["label"]:
            found[row["occupation"]] = row["label"]
    return found
