"""The research notebooks: stored without outputs, only the public API, and every one runs top to bottom.

Each notebook is executed in a fresh kernel on the demo graph (nbclient); a failing cell fails the test with the
cell and its traceback. The real-data mode (MCGRAPH_NOTEBOOK_DATA=real) loads full downloads and is left to
`scripts/export_figures.py --data real`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(REPO / "scripts"))

from export_figures import run_notebook  # noqa: E402

EXPECTED = ["01-explore-the-graph", "02-framework-compliance", "03-stacking-pathways", "04-skill-gap",
            "05-crosswalks", "06-loading-a-new-taxonomy"]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def code(path: Path) -> str:
    return "\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "code")


def printed_text(nb) -> str:  # type: ignore[no-untyped-def]
    """Everything the executed notebook printed (stream outputs)."""
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream")


def test_the_six_notebooks_are_there() -> None:
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_are_stripped(path: Path) -> None:
    for n, cell in enumerate(cells(path)):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name} cell {n} has stored outputs"
            assert cell["execution_count"] is None, f"{path.name} cell {n} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_public_api_only_and_no_machine_paths(path: Path) -> None:
    source = code(path)
    assert not re.search(r"from mcgraph(\.\w+)*\._|import mcgraph(\.\w+)*\._|\._[a-z]\w*\(", source), \
        f"{path.name} uses a private name"
    assert "/work/" not in source and "/tmp/" not in source and "/home/" not in source
    assert 'os.environ.get("MCGRAPH_NOTEBOOK_DATA", "demo")' in source, f"{path.name} lacks the DATA setting"
    assert "plot.export(fig" in source, f"{path.name} exports no key figure"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path) -> None:
    figures = tmp_path / "figures"
    nb = run_notebook(path, {"MCGRAPH_NOTEBOOK_DATA": "demo", "MCGRAPH_FIGURES": str(figures)})
    assert "demo mode: `mcgraph build` wrote" in printed_text(nb)
    exported = sorted(p.name for p in figures.glob("*.png"))
    assert exported and all(name.startswith(path.stem[:2]) for name in exported), exported
    assert all((figures / name).stat().st_size > 10_000 for name in exported)


@pytest.mark.realdata
def test_crosswalk_notebook_runs_on_the_real_crosswalks(tmp_path: Path) -> None:
    """Real mode of the one notebook whose real data loads in seconds (the three published crosswalks)."""
    from conftest import SHARED_DATA, shared_path

    shared_path("crosswalks", "esco_onet_crosswalk_Nov2020.csv")
    path = REPO / "notebooks" / "05-crosswalks.ipynb"
    nb = run_notebook(path, {"MCGRAPH_NOTEBOOK_DATA": "real", "MCGRAPH_SHARED_DATA": str(SHARED_DATA),
                             "MCGRAPH_FIGURES": str(tmp_path)})
    printed = printed_text(nb)
    assert "real mode" in printed
    # one mapping per row of the published ESCO -> O*NET file (1,680 rows), per NOC 2016 -> 2021 row (584)
    assert re.search(r"esco_onet_crosswalk_Nov2020\.csv +→ crosswalk/esco-onet +1,680 mappings", printed)
    assert re.search(r"noc_2021_2016\.csv +→ crosswalk/noc2016-noc2021 +584 mappings", printed)
    assert (tmp_path / "05-crosswalk-relations.png").stat().st_size > 10_000
