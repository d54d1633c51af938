"""One renderer per output format for a :class:`~mcgraph.checks.results.CheckReport`: text, md, html, json and
ttl (an ``sh:ValidationReport``). Findings are grouped by credential, then framework, then rule, with the
message and the source of each rule.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping

import pyoxigraph as ox

from .results import CheckReport, CheckResult

FORMATS = ("text", "md", "html", "json", "ttl")
SH = "http://www.w3.org/ns/shacl#"


def _counts_text(report: CheckReport, results: list[CheckResult] | None = None) -> str:
    c = report.counts(results)
    return f"{c['violation']} violation(s), {c['warning']} warning(s), {c['info']} note(s)"


def _source_text(sources: tuple[str, ...], names: Mapping[str, str]) -> str:
    return "; ".join(names.get(s, s) for s in sources) or "no source recorded"


def _groups(report: CheckReport) -> list[tuple[str, list[tuple[str, list[tuple[str, list[CheckResult]]]]]]]:
    out = []
    for focus, frameworks in report.by_focus().items():
        fws = []
        for fw in sorted(set(frameworks) | set(report.scope.get(focus, ()))):
            fws.append((fw, sorted(frameworks.get(fw, {}).items())))
        out.append((focus, fws))
    return out


def _verdict(results: list[CheckResult]) -> str:
    if any(r.severity.label == "violation" for r in results):
        return "FAILS"
    if any(r.severity.label == "warning" for r in results):
        return "meets, with warnings"
    return "meets"


def render_text(report: CheckReport, sources: Mapping[str, str] | None = None, *, markdown: bool = False) -> str:
    """Plain text (or Markdown): a summary line, then credential > framework > rule > findings."""
    names = sources or {}
    h1, h2, h3, bullet = ("## ", "### ", "- **", "  - ") if markdown else ("", "  ", "    ", "      - ")
    lines = [f"{'# ' if markdown else ''}{report.title}: {len(report.checked)} checked — "
             f"{'conforms' if report.conforms else 'does not conform'}; {_counts_text(report)}"]
    lines += [f"{'_' if markdown else ''}{n}{'_' if markdown else ''}" for n in report.notes]
    for focus, fws in _groups(report):
        lines.append("")
        label = report.label(focus)
        lines.append(f"{h1}{label}" + (f" <{focus}>" if label != focus else ""))
        for fw, rules in fws:
            found = [r for _, rs in rules for r in rs]
            name = "core data integrity" if fw == "core" else f"{report.labels.get(fw, fw)} ({fw})"
            lines.append(f"{h2}{name}: {_verdict(found)}" + (f" — {_counts_text(report, found)}" if found else ""))
            for rule, results in rules:
                first = results[0]
                title = first.rule_label or rule
                end = "**" if markdown else ""
                lines.append(f"{h3}{title}{end} [{first.severity.label}] (rule <{rule}>; source: "
                             f"{_source_text(first.source, names)})")
                for r in results:
                    lines.append(f"{bullet}{r.message}")
    return "\n".join(lines)


def render_md(report: CheckReport, sources: Mapping[str, str] | None = None) -> str:
    return render_text(report, sources, markdown=True)


def render_html(report: CheckReport, sources: Mapping[str, str] | None = None) -> str:
    names = sources or {}
    e = html.escape
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>", e(report.title), "</title></head><body>",
             f"<h1>{e(report.title)}</h1><p>{len(report.checked)} checked — "
             f"{'conforms' if report.conforms else 'does not conform'}; {e(_counts_text(report))}</p>"]
    for focus, fws in _groups(report):
        parts.append(f"<section><h2>{e(report.label(focus))}</h2><p><code>{e(focus)}</code></p>")
        for fw, rules in fws:
            found = [r for _, rs in rules for r in rs]
            name = "core data integrity" if fw == "core" else f"{report.labels.get(fw, fw)} ({fw})"
            parts.append(f"<h3>{e(name)}: {e(_verdict(found))}</h3><ul>")
            for rule, results in rules:
                first = results[0]
                parts.append(f"<li><strong>{e(first.rule_label or rule)}</strong> [{e(first.severity.label)}] "
                             f"<small>source: {e(_source_text(first.source, names))}</small><ul>")
                parts += [f"<li>{e(r.message)}</li>" for r in results]
                parts.append("</ul></li>")
            parts.append("</ul>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


def render_json(report: CheckReport, sources: Mapping[str, str] | None = None) -> str:
    names = sources or {}
    return json.dumps({
        "title": report.title, "conforms": report.conforms, "engine": report.engine, "counts": report.counts(),
        "checked": list(report.checked), "frameworks": list(report.frameworks),
        "results": [{**r.to_dict(), "credential": report.owner.get(r.focus or "", r.focus),
                     "sourceNames": [names.get(s, s) for s in r.source]} for r in report.sorted()],
    }, indent=1, ensure_ascii=False)


def _term(text: str | None) -> ox.NamedNode | ox.Literal | None:
    if text is None:
        return None
    if "://" in text or text.startswith("urn:"):
        try:
            return ox.NamedNode(text)
        except ValueError:
            pass
    return ox.Literal(text)


def render_ttl(report: CheckReport, sources: Mapping[str, str] | None = None) -> str:
    """The findings as an ``sh:ValidationReport`` in Turtle (value nodes as IRIs or plain literals)."""
    def n(local: str) -> ox.NamedNode:
        return ox.NamedNode(SH + local)

    root = ox.BlankNode()
    triples = [ox.Triple(root, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n("ValidationReport")),
               ox.Triple(root, n("conforms"), ox.Literal(str(report.conforms).lower(),
                                                         datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")))]
    for r in report.sorted():
        node = ox.BlankNode()
        triples += [ox.Triple(root, n("result"), node),
                    ox.Triple(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n("ValidationResult")),
                    ox.Triple(node, n("resultSeverity"), ox.NamedNode(r.severity.iri)),
                    ox.Triple(node, n("resultMessage"), ox.Literal(r.message, language="en"))]
        for prop, value in (("focusNode", r.focus), ("resultPath", r.path), ("value", r.value),
                            ("sourceShape", r.rule), ("sourceConstraintComponent", r.component)):
            term = _term(value)
            if term is not None and not (prop == "resultPath" and not isinstance(term, ox.NamedNode)):
                triples.append(ox.Triple(node, n(prop), term))
        for s in r.source:
            src = _term(s)
            if src is not None:
                triples.append(ox.Triple(node, ox.NamedNode("http://purl.org/dc/terms/source"), src))
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                        prefixes={"sh": SH, "dct": "http://purl.org/dc/terms/"})
    return (data or b"").decode("utf-8")


RENDERERS: dict[str, Callable[[CheckReport, Mapping[str, str] | None], str]] = {
    "text": render_text, "md": render_md, "html": render_html, "json": render_json, "ttl": render_ttl,
}


def render(report: CheckReport, fmt: str, sources: Mapping[str, str] | None = None) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`)."""
    return RENDERERS[fmt](report, sources)


__all__ = ["FORMATS", "render", "render_html", "render_json", "render_md", "render_text", "render_ttl"]
