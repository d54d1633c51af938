"""mcgraph.plot: every chart has a title and labelled axes, and draws the expected bars, cells and nodes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from mcgraph import plot  # noqa: E402


@pytest.fixture(autouse=True)
def _close() -> None:
    yield
    plt.close("all")


def bars(ax) -> list[Rectangle]:  # type: ignore[no-untyped-def]
    return [p for c in ax.containers for p in c.patches]


def test_size_bars_grouped() -> None:
    fig = plot.size_bars({"ESCO 1.1.1": {"skills": 13986, "occupations": 3008},
                          "O*NET": {"skills": 35, "occupations": 1016}, "OaSIS": {"skills": 50}},
                         title="Sizes", ylabel="concepts", xlabel="taxonomy")
    ax = fig.axes[0]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Sizes", "taxonomy", "concepts")
    assert len(bars(ax)) == 6
    assert sorted(b.get_height() for b in bars(ax)) == [0, 35, 50, 1016, 3008, 13986]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ESCO 1.1.1", "O*NET", "OaSIS"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["skills", "occupations"]
    assert "13,986" in [t.get_text() for t in ax.texts]


def test_ranked_bars_keeps_the_top_largest_first() -> None:
    values = {f"skill {i}": i for i in range(30)}
    ax = plot.ranked_bars(values, title="Top", xlabel="occupations", top=5).axes[0]
    assert len(bars(ax)) == 5
    assert [t.get_text() for t in ax.get_yticklabels()][::-1] == [f"skill {i}" for i in (29, 28, 27, 26, 25)]
    assert ax.get_xlabel() == "occupations" and ax.get_title() == "Top"


def test_coverage_bars_shares_and_colours() -> None:
    fig = plot.coverage_bars({"now": {"covered": 2, "partly covered": 2, "missing": 4},
                              "after": {"covered": 6, "partly covered": 2, "missing": 0}}, title="Gap")
    ax = fig.axes[0]
    assert ax.get_title() == "Gap" and "%" in ax.get_xlabel()
    widths = [[b.get_width() for b in c.patches] for c in ax.containers]
    assert widths == [[25.0, 75.0], [25.0, 25.0], [50.0, 0.0]]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["covered", "partly covered", "missing"]
    colours = [matplotlib.colors.to_hex(c.patches[0].get_facecolor()) for c in ax.containers]
    assert colours == [plot.STATUS_COLOURS[s].lower() for s in ("covered", "partly covered", "missing")]


def test_stacked_bars_accepts_a_dataframe() -> None:
    frame = pd.DataFrame({"closeMatch": [3, 1], "broadMatch": [0, 4]}, index=["esco-onet", "noc-onet"])
    ax = plot.stacked_bars(frame, title="Relations", xlabel="mappings", ylabel="crosswalk").axes[0]
    assert len(bars(ax)) == 4 and ax.get_ylabel() == "crosswalk"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["esco-onet", "noc-onet"]


def test_compliance_heatmap_cells_and_hidden_rows() -> None:
    frame = pd.DataFrame([
        {"credential": "c1", "title": "Course one", "framework": "ecmf", "status": "meets", "violations": 0},
        {"credential": "c1", "title": "Course one", "framework": "nzqa", "status": "fails", "violations": 3},
        {"credential": "c2", "title": "Course two", "framework": "ecmf", "status": "fails", "violations": 1},
        {"credential": "c2", "title": "Course two", "framework": "nzqa", "status": "not applicable", "violations": 0},
        {"credential": "c3", "title": "Course three", "framework": "ecmf", "status": "not applicable", "violations": 0},
        {"credential": "c3", "title": "Course three", "framework": "nzqa", "status": "not applicable", "violations": 0},
        {"credential": "c1", "title": "Course one", "framework": "au-nmf", "status": "not applicable", "violations": 0},
    ])
    ax = plot.compliance_heatmap(frame, title="Catalogue").axes[0]
    image = ax.get_images()[0].get_array()
    assert image.shape == (2, 2)  # Course three and au-nmf apply nowhere: hidden
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Course one", "Course two"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ecmf", "nzqa"]
    assert image.tolist() == [[0, 1], [1, 2]]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "3"]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Catalogue", "framework", "credential")
    full = plot.compliance_heatmap(frame, title="All", hide_not_applicable=False).axes[0]
    assert full.get_images()[0].get_array().shape == (3, 3)


def test_pathway_graph_nodes_roles_and_layout() -> None:
    graph = nx.DiGraph([("a", "set"), ("b", "set"), ("set", "target"), ("c", "target")])
    roles = {"a": "held", "b": "to take", "set": "off-ramp", "c": "to take", "target": "target"}
    fig = plot.pathway_graph(graph, roles=roles, title="Path")
    ax = fig.axes[0]
    assert ax.get_title() == "Path"
    nodes = [c for c in ax.collections if len(c.get_offsets()) == 5]
    assert len(nodes) == 1  # one scatter of the five nodes
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["held", "to take", "off-ramp", "target"]
    pos = plot.layered_layout(graph)
    assert pos["target"][0] == 2 and pos["set"][0] == 1 and pos["c"][0] == 1 and pos["a"][0] == 0
    assert plot.layered_layout(graph, "sources")["c"][0] == 0


def test_degree_distribution_and_count_bars() -> None:
    ax = plot.degree_distribution({"skills": [1, 1, 2, 5], "occupations": [3, 3]}, title="Degrees").axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log" and "degree" in ax.get_xlabel()
    assert [len(c.get_offsets()) for c in ax.collections] == [3, 1]
    ax = plot.count_bars([0, 1, 1, 2, 2, 2], title="Depth", xlabel="steps").axes[0]
    assert [b.get_height() for b in bars(ax)] == [1, 2, 3] and ax.get_ylabel() == "concepts"


def test_export_writes_only_when_asked(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fig = plot.count_bars([1, 2], title="T", xlabel="x")
    monkeypatch.delenv(plot.FIGURES_ENV, raising=False)
    assert plot.export(fig, "none") is None
    monkeypatch.setenv(plot.FIGURES_ENV, str(tmp_path))
    path = plot.export(fig, "fig")
    assert path == tmp_path / "fig.png" and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
