"""One result model for every check mcgraph makes: SHACL validation, SKOS integrity and load warnings.

A :class:`CheckResult` is one finding (what, where, how bad, why, according to which source); a
:class:`CheckReport` holds the findings of one run with the grouping the renderers need.

>>> r = CheckResult(Severity.VIOLATION, focus="https://ex/c1", rule="https://ex/shape", message="has no title",
...                 path="http://purl.org/dc/terms/title", framework="ecmf")
>>> report = CheckReport([r], checked=("https://ex/c1",))
>>> report.conforms, report.counts()
(False, {'violation': 1, 'warning': 0, 'info': 0})
>>> Severity.from_iri("http://www.w3.org/ns/shacl#Warning").label
'warning'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum

SH = "http://www.w3.org/ns/shacl#"


class Severity(Enum):
    """How bad a finding is; each maps to a SHACL severity IRI. Ordered: violation > warning > info."""

    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"

    @property
    def iri(self) -> str:
        return _IRIS[self.value]

    @property
    def label(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """0 for violations, 1 for warnings, 2 for info (sort order: worst first)."""
        return _RANKS[self.value]

    @classmethod
    def from_iri(cls, value: str) -> Severity:
        """sh:Violation / sh:Warning / sh:Info (another IRI counts as a violation, as SHACL says for custom ones)."""
        return _BY_IRI.get(value, cls.VIOLATION)


_RANKS = {"violation": 0, "warning": 1, "info": 2}
_IRIS = {"violation": SH + "Violation", "warning": SH + "Warning", "info": SH + "Info"}
_BY_IRI = {SH + "Violation": Severity.VIOLATION, SH + "Warning": Severity.WARNING, SH + "Info": Severity.INFO}


@dataclass(frozen=True)
class CheckResult:
    """One finding. ``rule`` is a shape IRI (SHACL) or a check id (``skos:broader-cycle``).

    ``focus`` is the node the finding is about (a credential, a concept, a file); ``path`` the property
    (None when the finding is about the node itself); ``value`` the offending value as text; ``source`` the
    document(s) the rule comes from (dct:source); ``framework`` the micro-credential framework's short name
    when the rule belongs to one ("core" rules and non-SHACL checks have None).
    """

    severity: Severity
    focus: str | None
    rule: str
    message: str
    path: str | None = None
    value: str | None = None
    source: tuple[str, ...] = ()
    framework: str | None = None
    rule_label: str | None = None
    component: str | None = None

    def __str__(self) -> str:
        where = f"<{self.focus}> " if self.focus else ""
        return f"{self.severity.label}: {self.rule}: {where}{self.message}"

    def key(self) -> tuple[str, str | None, str | None, str]:
        """The identity tests compare: (rule, focus, path, severity IRI)."""
        return (self.rule, self.focus, self.path, self.severity.iri)

    def with_framework(self, framework: str | None) -> CheckResult:
        return replace(self, framework=framework)

    def to_dict(self) -> dict[str, object]:
        return {"severity": self.severity.label, "focus": self.focus, "path": self.path, "value": self.value,
                "rule": self.rule, "ruleLabel": self.rule_label, "message": self.message,
                "source": list(self.source), "framework": self.framework, "component": self.component}


@dataclass
class CheckReport:
    """The findings of one run. ``checked`` lists what was checked (credentials, files, graphs), so that a node
    with no findings still shows; ``frameworks`` the frameworks checked (short names); ``labels`` human names
    of nodes (credential titles, framework labels)."""

    results: list[CheckResult] = field(default_factory=list)
    checked: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    title: str = "mcgraph check"
    engine: str | None = None
    notes: list[str] = field(default_factory=list)
    #: node -> the frameworks it was checked against (short names), where a run checks frameworks
    scope: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: focus -> the node it belongs to (a credit value -> its credential), for grouping
    owner: dict[str, str] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        """True when no finding is a violation (warnings and info allowed), as sh:conforms."""
        return not any(r.severity is Severity.VIOLATION for r in self.results)

    def counts(self, results: Iterable[CheckResult] | None = None) -> dict[str, int]:
        out = {s.label: 0 for s in Severity}
        for r in self.results if results is None else results:
            out[r.severity.label] += 1
        return out

    def sorted(self) -> list[CheckResult]:
        return sorted(self.results, key=lambda r: (r.focus or "", r.framework or "", r.severity.rank, r.rule,
                                                   r.path or "", r.value or ""))

    def by_focus(self) -> dict[str, dict[str, dict[str, list[CheckResult]]]]:
        """focus -> framework ("core" when none) -> rule -> results; every checked node appears."""
        out: dict[str, dict[str, dict[str, list[CheckResult]]]] = {c: {} for c in self.checked}
        for r in self.sorted():
            focus = self.owner.get(r.focus or "", r.focus or "")
            fw = out.setdefault(focus, {}).setdefault(r.framework or "core", {})
            fw.setdefault(r.rule, []).append(r)
        return out

    def by_rule(self) -> dict[str, list[CheckResult]]:
        out: dict[str, list[CheckResult]] = defaultdict(list)
        for r in self.sorted():
            out[r.rule].append(r)
        return dict(out)

    def keys(self) -> set[tuple[str, str | None, str | None, str]]:
        return {r.key() for r in self.results}

    def filtered(self, keep: Iterable[tuple[str | None, str | None]] | None = None, *,
                 severities: Iterable[Severity] | None = None) -> CheckReport:
        """A copy with only the (focus, framework) pairs in ``keep`` and/or the given severities."""
        pairs = None if keep is None else set(keep)
        sev = None if severities is None else set(severities)
        results = [r for r in self.results if (pairs is None or (r.focus, r.framework) in pairs)
                   and (sev is None or r.severity in sev)]
        return replace(self, results=results)

    def label(self, node: str | None) -> str:
        if node is None:
            return ""
        return self.labels.get(node, node)


__all__ = ["CheckReport", "CheckResult", "Severity"]
