"""The recurring charts of the notebooks (matplotlib), with titles, labelled axes and colour-blind-safe colours.

Every function draws on ``ax`` (a new figure when omitted) and returns the :class:`matplotlib.figure.Figure`.
Colours come from the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies); long
labels are shortened; a chart with many categories grows instead of overlapping its tick labels.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> fig = size_bars({"ESCO": {"skills": 120, "occupations": 30}, "O*NET": {"skills": 35, "occupations": 20}},
...                 title="Taxonomy sizes", ylabel="concepts")
>>> fig.axes[0].get_title()
'Taxonomy sizes'

Needs matplotlib (``pip install 'mcgraph[notebooks]'``); networkx drawings need networkx (a core dependency).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Okabe & Ito (2008), "Color Universal Design": eight colours told apart with common colour-vision deficiencies.
OKABE_ITO: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
                              "#000000")

#: Colours of the verdicts and coverage statuses the charts show (same meaning, same colour everywhere).
STATUS_COLOURS: dict[str, str] = {
    "meets": "#009E73", "covered": "#009E73",
    "partly covered": "#E69F00", "partly": "#E69F00",
    "fails": "#D55E00", "missing": "#D55E00",
    "not applicable": "#DDDDDD", "n/a": "#DDDDDD",
}

#: Roles of the credentials on a pathway drawing and their colours.
ROLE_COLOURS: dict[str, str] = {
    "held": "#009E73", "to take": "#56B4E9", "off-ramp": "#E69F00", "target": "#CC79A7", "alternative": "#DDDDDD",
    "other": "#DDDDDD",
}
NODE_SIZE = 6400  # points² of a node square on pathway drawings: room for six short lines of 7-point text

FIGURES_ENV = "MCGRAPH_FIGURES"
"""When set, :func:`export` saves the figures it is given into this folder (scripts/export_figures.py sets it)."""


def _plt():  # type: ignore[no-untyped-def]
    import matplotlib.pyplot as plt

    return plt


def shorten(text: str, width: int = 40) -> str:
    """``text`` cut to ``width`` characters with an ellipsis.

    >>> shorten("a very long credential title indeed", 12)
    'a very long…'
    """
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig, ax = _plt().subplots(figsize=size, layout="constrained")
    return fig, ax


def _label(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def size_bars(sizes: Mapping[str, int] | Mapping[str, Mapping[str, int]], *, title: str,
              ylabel: str = "count", xlabel: str = "", log: bool = False, ax: Axes | None = None) -> Figure:
    """Bars of sizes; nested mappings (``{group: {series: n}}``) give grouped bars with a legend.

    Each bar is annotated with its value (thousands separated).
    """
    groups = list(sizes)
    nested = bool(groups) and isinstance(sizes[groups[0]], Mapping)
    series = list(dict.fromkeys(k for g in groups for k in sizes[g])) if nested else [""]  # type: ignore[union-attr]
    fig, ax = _axes(ax, (max(6.0, 1.1 * len(groups) * max(1, len(series)) ** 0.5 + 2), 4.5))
    width = 0.8 / len(series)
    for i, name in enumerate(series):
        values = [(sizes[g].get(name, 0) if nested else sizes[g]) for g in groups]  # type: ignore[union-attr]
        xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(groups))]
        bars = ax.bar(xs, values, width, label=name or None, color=OKABE_ITO[i % len(OKABE_ITO)],
                      edgecolor="black", linewidth=0.5)
        ax.bar_label(bars, labels=[f"{v:,}" for v in values], fontsize=8, padding=2)
    tilt = len(groups) > 5 or any(len(g) > 14 for g in groups)
    ax.set_xticks(range(len(groups)), [shorten(g, 32) for g in groups],
                  rotation=25 if tilt else 0, ha="right" if tilt else "center")
    if log:
        ax.set_yscale("log")
    ax.margins(y=0.12)
    _label(ax, title, xlabel, ylabel)
    if nested and len(series) > 1:
        ax.legend(title=None, frameon=False)
    return fig


def ranked_bars(values: Mapping[str, float], *, title: str, xlabel: str, ylabel: str = "", top: int = 20,
                colour: str = OKABE_ITO[4], ax: Axes | None = None) -> Figure:
    """Horizontal bars of the ``top`` largest values, largest at the top (e.g. the skills most often essential)."""
    items = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    fig, ax = _axes(ax, (8.0, 1.2 + 0.32 * max(1, len(items))))
    labels = [shorten(k, 45) for k, _ in items][::-1]
    numbers = [v for _, v in items][::-1]
    bars = ax.barh(range(len(items)), numbers, color=colour, edgecolor="black", linewidth=0.5)
    ax.bar_label(bars, labels=[f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}" for v in numbers],
                 fontsize=8, padding=2)
    ax.set_yticks(range(len(items)), labels)
    if all(float(v).is_integer() for v in numbers):
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(x=0.1)
    _label(ax, title, xlabel, ylabel)
    return fig


def stacked_bars(table: Mapping[str, Mapping[str, float]] | pd.DataFrame, *, title: str, xlabel: str,
                 ylabel: str = "", order: Sequence[str] | None = None, colours: Mapping[str, str] | None = None,
                 ax: Axes | None = None) -> Figure:
    """Horizontal stacked bars: one bar per row of ``table`` (``{row: {part: value}}`` or a DataFrame with the
    parts as columns); ``order`` fixes the parts' order, ``colours`` their colours (status colours by default,
    then Okabe-Ito). Segments wide enough carry their value."""
    if hasattr(table, "to_dict") and not isinstance(table, Mapping):
        table = {str(k): v for k, v in table.to_dict(orient="index").items()}
    rows = list(table)
    parts = list(order or dict.fromkeys(p for r in rows for p in table[r]))
    fig, ax = _axes(ax, (9.5, 1.4 + 0.4 * max(1, len(rows))))
    lefts = [0.0] * len(rows)
    total = max((sum(float(table[r].get(p, 0) or 0) for p in parts) for r in rows), default=0) or 1
    for i, part in enumerate(parts):
        colour = (colours or {}).get(part) or STATUS_COLOURS.get(part) or OKABE_ITO[i % len(OKABE_ITO)]
        values = [float(table[r].get(part, 0) or 0) for r in rows]
        bars = ax.barh(range(len(rows)), values, left=lefts, label=part, color=colour, edgecolor="black",
                       linewidth=0.5)
        ax.bar_label(bars, labels=[f"{v:,.0f}" if v >= 0.04 * total else "" for v in values],
                     label_type="center", fontsize=8)
        lefts = [a + b for a, b in zip(lefts, values)]
    ax.set_yticks(range(len(rows)), [shorten(r, 52) for r in rows])
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    _label(ax, title, xlabel, ylabel)
    return fig


def coverage_bars(counts: Mapping[str, Mapping[str, int]], *, title: str, percent: bool = True,
                  ax: Axes | None = None) -> Figure:
    """Stacked bars of covered / partly covered / missing requirements, one bar per occupation (or learner).

    ``counts``: ``{row: {"covered": n, "partly covered": n, "missing": n}}`` (e.g. ``GapResult.counts()``);
    ``percent`` draws shares of each row's requirements instead of counts.
    """
    order = ["covered", "partly covered", "missing"]
    table: dict[str, dict[str, float]] = {}
    for row, found in counts.items():
        total = sum(found.get(k, 0) for k in order) or 1
        table[row] = {k: (100.0 * found.get(k, 0) / total if percent else found.get(k, 0)) for k in order}
    return stacked_bars(table, title=title, order=order,
                        xlabel="share of the occupation's requirements (%)" if percent else "requirements",
                        ax=ax)


def compliance_heatmap(frame: pd.DataFrame, *, title: str = "Credentials × frameworks",
                       row: str = "title", column: str = "framework", value: str = "status",
                       hide_not_applicable: bool = True, ax: Axes | None = None) -> Figure:
    """A grid of verdicts (meets / fails / not applicable), one row per credential and one column per framework.

    ``frame`` is the long form of :func:`mcgraph.compliance` (credential, title, framework, status, ...).
    ``hide_not_applicable`` drops credentials and frameworks where every cell is "not applicable".
    Cells that fail show their violation count when the frame has a ``violations`` column.
    """
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    statuses = ["meets", "fails", "not applicable"]
    data = frame.copy()
    data[column] = data[column].map(lambda f: str(f).rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    if hide_not_applicable:
        applicable = data[data[value] != "not applicable"]
        data = data[data[row].isin(applicable[row]) & data[column].isin(applicable[column])]
    rows = sorted(data[row].unique(), key=str.lower)
    cols = sorted(data[column].unique(), key=str.lower)
    grid = np.full((len(rows), len(cols)), 2)
    notes = [[""] * len(cols) for _ in rows]
    r_index = {r: i for i, r in enumerate(rows)}
    c_index = {c: j for j, c in enumerate(cols)}
    for rec in data.to_dict(orient="records"):
        i, j = r_index[rec[row]], c_index[rec[column]]
        grid[i, j] = statuses.index(rec[value]) if rec[value] in statuses else 2
        if rec[value] == "fails" and rec.get("violations"):
            notes[i][j] = str(rec["violations"])
    fig, ax = _axes(ax, (2.5 + 0.55 * max(1, len(cols)), 1.5 + 0.28 * max(1, len(rows))))
    cmap = ListedColormap([STATUS_COLOURS[s] for s in statuses])
    ax.imshow(grid, cmap=cmap, vmin=-0.5, vmax=2.5, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(cols)), cols, rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), [shorten(r, 60) for r in rows], fontsize=8)
    ax.set_xticks(np.arange(-0.5, len(cols)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    for i, line in enumerate(notes):
        for j, text in enumerate(line):
            if text:
                ax.text(j, i, text, ha="center", va="center", fontsize=7, color="white")
    ax.legend(handles=[Patch(facecolor=STATUS_COLOURS[s], edgecolor="black", label=s) for s in statuses],
              loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, title="verdict (n = violations)")
    _label(ax, title, "framework", "credential")
    return fig


def layered_layout(graph: nx.DiGraph, align: str = "sinks") -> dict[Any, tuple[float, float]]:
    """Positions left to right along the edges. ``align="sinks"``: a node's column is set by its longest path to
    a node with no successor (so every credential stacking straight into the target sits next to it);
    ``"sources"``: by its topological generation (trees drawn from the root). Cycles fall back to a spring
    layout."""
    import networkx as nx

    if not nx.is_directed_acyclic_graph(graph):
        return nx.spring_layout(graph, seed=1)
    if align == "sources":
        columns = {n: x for x, nodes in enumerate(nx.topological_generations(graph)) for n in nodes}
    else:
        height: dict[Any, int] = {}
        for node in reversed(list(nx.topological_sort(graph))):
            height[node] = 1 + max((height[s] for s in graph.successors(node)), default=-1)
        top = max(height.values(), default=0)
        columns = {n: top - h for n, h in height.items()}
    pos: dict[Any, tuple[float, float]] = {}
    for x in sorted(set(columns.values())):
        nodes = sorted((n for n, c in columns.items() if c == x), key=str)
        for k, node in enumerate(nodes):
            pos[node] = (float(x), (len(nodes) - 1) / 2 - k)
    return pos


def pathway_graph(graph: nx.DiGraph, *, title: str, roles: Mapping[Any, str] | None = None,
                  labels: Mapping[Any, str] | None = None, edge_labels: Mapping[tuple[Any, Any], str] | None = None,
                  pos: Mapping[Any, tuple[float, float]] | None = None, ax: Axes | None = None) -> Figure:
    """A stacking graph (edge = "stacks into"), left to right, nodes coloured by role.

    ``roles`` maps nodes to ``held``, ``to take``, ``off-ramp`` (a credential earned on the way), ``target``,
    ``alternative`` (could count, not chosen) or ``other``; ``labels`` gives node labels (wrapped), ``edge_labels`` short notes on edges (e.g. levels).
    """
    import textwrap

    import networkx as nx
    from matplotlib.patches import Patch

    roles = roles or {}
    pos = dict(pos or layered_layout(graph))
    xs = {p[0] for p in pos.values()} or {0}
    ys = [p[1] for p in pos.values()] or [0]
    fig, ax = _axes(ax, (3.4 * (len(xs) + 0.6), max(3.5, 1.6 * (max(ys) - min(ys) + 1.6))))
    colours = [ROLE_COLOURS.get(roles.get(n, "other"), ROLE_COLOURS["other"]) for n in graph.nodes]
    nx.draw_networkx_edges(graph, pos, ax=ax, arrows=True, arrowstyle="-|>", arrowsize=14, edge_color="#555555",
                           node_size=NODE_SIZE, node_shape="s")
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, node_size=NODE_SIZE, node_shape="s",
                           edgecolors="black", linewidths=[2.5 if roles.get(n) == "off-ramp" else 0.8
                                                           for n in graph.nodes])
    text = {n: "\n".join(textwrap.wrap(str((labels or {}).get(n, n)), 17)[:6]) for n in graph.nodes}
    nx.draw_networkx_labels(graph, pos, labels=text, ax=ax, font_size=7)
    if edge_labels:
        nx.draw_networkx_edge_labels(graph, pos, edge_labels=dict(edge_labels), ax=ax, font_size=7)
    present = [r for r in ROLE_COLOURS if r in set(roles.values())] or ["other"]
    ax.legend(handles=[Patch(facecolor=ROLE_COLOURS[r], edgecolor="black", label=r) for r in present],
              loc="upper center", bbox_to_anchor=(0.5, -0.02), ncols=len(present), frameon=False)
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.set_axis_off()
    ax.set_title(title)
    return fig


def degree_distribution(degrees: Mapping[str, Iterable[int]], *, title: str, xlabel: str = "degree",
                        ylabel: str = "nodes", ax: Axes | None = None) -> Figure:
    """Log-log scatter of how many nodes have each degree, one series per name (e.g. skills, occupations)."""
    from collections import Counter

    fig, ax = _axes(ax, (7.0, 4.5))
    markers = "osD^v"
    for i, (name, values) in enumerate(degrees.items()):
        counts = Counter(v for v in values if v > 0)
        if not counts:
            continue
        xs = sorted(counts)
        ax.scatter(xs, [counts[x] for x in xs], label=name, color=OKABE_ITO[i % len(OKABE_ITO)],
                   marker=markers[i % len(markers)], edgecolor="black", linewidth=0.4, s=28)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.legend(frameon=False)
    _label(ax, title, xlabel + " (log)", ylabel + " (log)")
    return fig


def count_bars(values: Iterable[int], *, title: str, xlabel: str, ylabel: str = "concepts",
               ax: Axes | None = None) -> Figure:
    """Bars of how often each integer value occurs (e.g. the depth of skills in a hierarchy)."""
    from collections import Counter

    counts = Counter(values)
    keys = sorted(counts)
    fig, ax = _axes(ax, (7.0, 4.0))
    bars = ax.bar(keys, [counts[k] for k in keys], color=OKABE_ITO[1], edgecolor="black", linewidth=0.5)
    ax.bar_label(bars, labels=[f"{counts[k]:,}" for k in keys], fontsize=8, padding=2)
    ax.set_xticks(keys)
    ax.margins(y=0.12)
    _label(ax, title, xlabel, ylabel)
    return fig


def export(fig: Figure, name: str, folder: str | Path | None = None) -> Path | None:
    """Save ``fig`` as ``NAME.png`` into ``folder`` (or ``$MCGRAPH_FIGURES``); does nothing when neither is set.

    The notebooks call this on their key figure; ``scripts/export_figures.py`` runs them with the variable set.
    """
    folder = folder or os.environ.get(FIGURES_ENV)
    if not folder:
        return None
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    return path


__all__ = ["FIGURES_ENV", "OKABE_ITO", "ROLE_COLOURS", "STATUS_COLOURS", "compliance_heatmap", "count_bars",
           "coverage_bars", "degree_distribution", "export", "layered_layout", "pathway_graph", "ranked_bars",
           "shorten", "size_bars", "stacked_bars"]
