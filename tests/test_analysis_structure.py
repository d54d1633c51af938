"""The shape of ``mcgraph.analysis``: imports among its modules flow one way (no circle, not even one made only of
imports for type checking or of imports inside functions), and the gap result types are one set of classes
whichever public path they are imported from."""

from __future__ import annotations

from test_structure import _cycle, imports, modules

PACKAGE = "mcgraph.analysis"


def analysis_graph() -> dict[str, set[str]]:
    """Module → the analysis modules it imports (the package's ``__init__`` re-exporting them is left out)."""
    inside = {name for name in modules() if name.startswith(PACKAGE + ".")}
    return {name: imports(name, modules()[name]) & inside for name in inside}


def test_the_analysis_modules_were_read() -> None:
    graph = analysis_graph()
    assert {f"{PACKAGE}.gaps", f"{PACKAGE}.gap_results", f"{PACKAGE}.cover", f"{PACKAGE}.setcover"} <= set(graph)
    assert f"{PACKAGE}.gap_results" in graph[f"{PACKAGE}.gaps"]
    assert f"{PACKAGE}.gap_results" in graph[f"{PACKAGE}.cover"]


def test_no_import_circle_inside_analysis() -> None:
    assert _cycle(analysis_graph()) is None


def test_the_result_types_flow_down() -> None:
    graph = analysis_graph()
    # the result types and the solver import neither the computations nor the recommendation
    for low in ("gap_results", "setcover"):
        above = {m for m in graph[f"{PACKAGE}.{low}"] if m.rsplit(".", 1)[-1] in ("gaps", "cover", "coverage")}
        assert above == set(), f"{low} imports {sorted(above)}"


def test_gap_result_types_keep_their_public_paths() -> None:
    import mcgraph
    from mcgraph.analysis import GapResult as from_package
    from mcgraph.analysis import gap_results
    from mcgraph.analysis.cover import Recommendation, recommend
    from mcgraph.analysis.gaps import DEFAULT_MIN_IMPORTANCE, GapItem, GapResult, GapRule

    assert GapResult is gap_results.GapResult is mcgraph.GapResult is from_package
    assert (GapItem, GapRule, Recommendation) == (gap_results.GapItem, gap_results.GapRule,
                                                  gap_results.Recommendation)
    assert DEFAULT_MIN_IMPORTANCE == 3
    assert mcgraph.recommend is recommend
