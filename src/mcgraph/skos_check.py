"""Moved to :mod:`mcgraph.checks.skos`; this name stays so existing imports keep working."""

from .checks.skos import CHECKS, ERROR, WARNING, SchemeSummary, SkosIssue, SkosReport, check_skos

__all__ = ["CHECKS", "ERROR", "WARNING", "SchemeSummary", "SkosIssue", "SkosReport", "check_skos"]
