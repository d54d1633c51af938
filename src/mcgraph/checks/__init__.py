"""The validation room: one result model (:mod:`.results`) for every check mcgraph makes, SKOS integrity
(:mod:`.skos`), SHACL validation of credentials against framework rules (:mod:`.shacl`) and renderers
(:mod:`.render`)."""

from .results import CheckReport, CheckResult, Severity

__all__ = ["CheckReport", "CheckResult", "Severity"]
