"""The result types of a skill gap: the rule that selects requirements (:class:`GapRule`), each requirement's
verdict (:class:`GapItem`), the gap (:class:`GapResult`) and the credentials recommended to close it
(:class:`Recommendation`). :mod:`.gaps` computes them, :mod:`.cover` recommends; both import from here.

>>> rule = GapRule("esco", include_optional=True)
>>> rule.describe()
'ESCO essential and optional skills'
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .graph import RATED_SCHEMES, Requirement
from .setcover import CoverSolution

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

DEFAULT_MIN_IMPORTANCE = Decimal(3)
"""O*NET importance threshold (IM scale 1–5): 3 = "important", the cut O*NET OnLine uses for an
occupation's important skills."""

COVERED, PARTLY, MISSING = "covered", "partly covered", "missing"
STATUSES = (COVERED, PARTLY, MISSING)
FAMILY_NAMES = {"esco": "ESCO", "oasis": "OaSIS", "onet": "O*NET", "other": "other"}


@dataclass(frozen=True)
class GapRule:
    """Which requirements count, and how coverage is judged."""

    taxonomy: str
    include_optional: bool = False
    min_importance: Decimal = DEFAULT_MIN_IMPORTANCE
    min_level: Decimal | None = None
    level_aware: bool = False

    def selects(self, req: Requirement) -> tuple[bool, str]:
        """Whether the rule keeps ``req``, and if not, why (for the skipped counts)."""
        if req.family != self.taxonomy:
            return False, f"from another taxonomy ({FAMILY_NAMES[req.family]})"
        if req.family == "esco":
            if req.kind == "optional" and not self.include_optional:
                return False, "optional (use --include-optional)"
            return True, ""
        if req.taxonomy not in RATED_SCHEMES.get(req.family, ()):
            return False, "not a skill or knowledge rating"
        if req.family == "onet":
            if req.not_relevant:
                return False, "marked not relevant by O*NET"
            if req.importance is None:
                return False, "no importance rating"
            if req.importance < self.min_importance:
                return False, f"importance below {self.min_importance}"
        if self.min_level is not None and (req.level is None or req.level < self.min_level):
            return False, f"level below {self.min_level}"
        return True, ""

    def describe(self) -> str:
        if self.taxonomy == "esco":
            return "ESCO essential and optional skills" if self.include_optional else "ESCO essential skills"
        if self.taxonomy == "oasis":
            text = "OaSIS skills and knowledge rated for the profile"
        else:
            text = (f"O*NET skills and knowledge with importance ≥ {self.min_importance} (1–5), "
                    "not those marked not relevant")
        if self.min_level is not None:
            text += f", level ≥ {self.min_level}"
        return text


@dataclass(frozen=True)
class GapItem:
    """One requirement and how the credentials held cover it."""

    skill: str
    label: str
    status: str
    source: str                                  # where the requirement comes from, e.g. "ESCO essential"
    how: str = ""                                # how it is covered, or why not
    credentials: tuple[str, ...] = ()            # the credentials that cover it (or partly)
    claimed_skill: str | None = None             # the skill the credential claims (a narrower one when partly)
    required_level: Decimal | None = None
    level_scale: str | None = None
    importance: Decimal | None = None
    claimed_level: Decimal | None = None
    shortfall: Decimal | None = None             # with level_aware: required level minus claimed level
    suppress_recommended: bool = False


@dataclass
class GapResult:
    """A skill gap: the occupation's selected requirements, each covered, partly covered or missing."""

    occupation: str
    occupation_label: str
    taxonomy: str
    have: tuple[str, ...]
    rule: GapRule
    items: tuple[GapItem, ...]
    skipped: dict[str, int] = field(default_factory=dict)
    recommendation: Recommendation | None = None

    def with_status(self, status: str) -> list[GapItem]:
        return [i for i in self.items if i.status == status]

    @property
    def covered(self) -> list[GapItem]:
        return self.with_status(COVERED)

    @property
    def partly_covered(self) -> list[GapItem]:
        return self.with_status(PARTLY)

    @property
    def missing(self) -> list[GapItem]:
        return self.with_status(MISSING)

    @property
    def missing_skills(self) -> set[str]:
        return {i.skill for i in self.missing}

    def counts(self) -> dict[str, int]:
        found = Counter(i.status for i in self.items)
        return {s: found.get(s, 0) for s in STATUSES}

    def percentages(self) -> dict[str, float]:
        total = len(self.items)
        return {s: (100.0 * n / total if total else 0.0) for s, n in self.counts().items()}

    @property
    def suppressed(self) -> int:
        """How many selected requirements O*NET marks "suppress recommended"."""
        return sum(1 for i in self.items if i.suppress_recommended)

    def to_frame(self) -> pd.DataFrame:
        """One row per requirement (pandas)."""
        import pandas as pd

        rows = []
        for item in self.items:
            row = asdict(item)
            row["credentials"] = " ".join(item.credentials)
            for key in ("required_level", "importance", "claimed_level", "shortfall"):
                row[key] = float(row[key]) if row[key] is not None else None
            rows.append(row)
        columns = [f.name for f in GapItem.__dataclass_fields__.values()]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary with every item."""
        def plain(value: object) -> object:
            return float(value) if isinstance(value, Decimal) else value

        out: dict[str, Any] = {
            "occupation": self.occupation, "label": self.occupation_label, "taxonomy": self.taxonomy,
            "rule": self.rule.describe(), "level_aware": self.rule.level_aware, "have": list(self.have),
            "counts": self.counts(), "percentages": {k: round(v, 1) for k, v in self.percentages().items()},
            "skipped": self.skipped, "suppress_recommended": self.suppressed,
            "items": [{k: plain(v) if not isinstance(v, tuple) else list(v) for k, v in asdict(i).items()}
                      for i in self.items],
        }
        if self.recommendation is not None:
            out["recommendation"] = self.recommendation.to_dict()
        return out


@dataclass
class Recommendation:
    """The credentials recommended to close a gap, how they were chosen, and what nothing covers."""

    by: str
    solution: CoverSolution
    covers: dict[str, tuple[str, ...]]         # credential IRI → the missing skills it covers
    uncovered: tuple[tuple[str, str], ...]     # (skill, label) no catalogue credential covers
    missing: int
    considered: int                            # candidates after the filters
    without_cost: int                          # candidates left out for lack of hours / price
    filters: dict[str, str]

    @property
    def statement(self) -> str:
        return self.solution.statement

    @property
    def credentials(self) -> list[str]:
        return [c.iri for c in self.solution.chosen]

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by, "method": self.solution.method, "statement": self.statement,
            "bound": self.solution.bound, "total": float(self.solution.cost),
            "credentials": [{"credential": c.iri, "title": c.title, self.by: float(c.cost),
                             "covers": list(self.covers.get(c.iri, ()))} for c in self.solution.chosen],
            "uncovered": [{"skill": s, "label": lab} for s, lab in self.uncovered],
            "missing": self.missing, "candidates": self.considered, "without_cost": self.without_cost,
            "filters": self.filters, "seconds": round(self.solution.seconds, 4),
        }

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([{"credential": c.iri, "title": c.title, self.by: float(c.cost),
                              "covers": len(self.covers.get(c.iri, ()))} for c in self.solution.chosen],
                            columns=["credential", "title", self.by, "covers"])
