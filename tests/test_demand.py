"""Demand as data: `mcgraph load demand`, its row errors, and `mcgraph supply-demand` on the built store."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from mcgraph.analysis.supply_demand import demand_figures, supply_demand
from mcgraph.loading import load_source
from mcgraph.queries import run_query
from mcgraph.store import EmbeddedStore

DEMAND = REPO / "data" / "demand" / "bc-illustrative-demand.csv"
HEADER = "occupation,taxonomy,demand,unit,period,source,jurisdiction\n"


def test_shipped_file_loads_every_row(store: EmbeddedStore) -> None:
    report = load_source(store, "demand", DEMAND)
    with DEMAND.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert report.counts["demand figures"] == len(rows) == 10
    figures = demand_figures(store)
    assert sorted(f.value for f in figures) == sorted(Decimal(r["demand"]) for r in rows)
    assert all(f.illustrative and f.jurisdiction.endswith("/CA-BC") and "seed 002" in f.source for f in figures)
    again = load_source(store, "demand", DEMAND, replace=True)
    assert again.triples == report.triples  # same content, same IRIs


def test_codes_of_rating_taxonomies(tmp_path: Path, store: EmbeddedStore) -> None:
    path = tmp_path / "codes.csv"
    path.write_text(HEADER + "21232.00,oasis,120,openings,2025,test,CA-ON\n"
                    "15-1211.00,onet,3.5,index,2025,test,\n", encoding="utf-8")
    load_source(store, "demand", path)
    got = {f.occupation: f.value for f in demand_figures(store)}
    assert got == {"https://w3id.org/mcgraph/id/oasis/profile/21232.00": Decimal(120),
                   "https://w3id.org/mcgraph/id/onet/occupation/15-1211.00": Decimal("3.5")}


@pytest.mark.parametrize("row, column, message", [
    ("21232.00,oasis,-3,openings,2025,test,CA-BC", "demand", "not a number ≥ 0"),
    ("21232.00,oasis,many,openings,2025,test,CA-BC", "demand", "is not a number"),
    ("21232.00,isco,3,openings,2025,test,CA-BC", "taxonomy", "is not one of esco, oasis, onet"),
    ("2123,oasis,3,openings,2025,test,CA-BC", "occupation", "not an OaSIS profile code"),
    ("21232.00,oasis,3,,2025,test,CA-BC", "unit", "empty"),
    ("21232.00,oasis,3,openings,2025,test,British Columbia", "jurisdiction", "not an ISO 3166 code"),
    ("2512.4,esco,3,openings,2025,test,CA-BC", "occupation", "names 0 loaded ESCO occupations"),
])
def test_bad_rows_name_file_row_and_column_and_leave_the_store_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, column: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "15-1211.00,onet,1,index,2025,test,\n" + row + "\n", encoding="utf-8")
    store_dir = tmp_path / "store"
    code, _, err = run_cli(capsys, store_dir, "load", "demand", str(path))
    assert code == 2 and "Traceback" not in err
    assert "bad.csv" in err and "row 3" in err and column in err and message in err
    with EmbeddedStore(store_dir) as s:
        assert s.graph_records() == []


def test_unknown_column_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "typo.csv"
    path.write_text("occupation,taxonomy,demand,unit,period,source,jurisdicton\n", encoding="utf-8")
    code, _, err = run_cli(capsys, tmp_path / "store", "load", "demand", str(path))
    assert code == 2 and "unknown column(s) 'jurisdicton'" in err


def test_supply_demand_on_the_built_store(built_store: EmbeddedStore) -> None:
    result = supply_demand(built_store, "CA-BC")
    assert len(result.figures) == 10 and result.illustrative
    rows = result.rows
    covered = [r for r in rows if r.covered]
    assert covered and rows[: len(rows) - len(covered)] == [r for r in rows if not r.covered]  # uncovered first
    uncovered = [r for r in rows if not r.covered]
    assert [r.demand for r in uncovered] == sorted((r.demand for r in uncovered), reverse=True)
    by_label = {r.label: r for r in rows}
    # climate change impact: essential for the sustainability manager (1,200), claimed by RRU's CA-BC courses
    climate = by_label["climate change impact"]
    assert climate.demand == 1200 and climate.credentials >= 2 and climate.occupations == ("sustainability manager",)
    # the query behind it lists exactly the uncovered skills
    listed = set(run_query(built_store, "skills-without-credential", jurisdiction="CA-BC").values("skill"))
    assert listed == {r.skill for r in uncovered}
    # elsewhere: no demand figures
    from mcgraph.errors import McgraphError

    with pytest.raises(McgraphError, match="no demand figures for AU"):
        supply_demand(built_store, "AU")


def test_supply_demand_command(built_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, built_store_dir, "supply-demand", "--jurisdiction", "CA-BC", "--top", "5",
                           "--format", "csv")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "skill,label,demand,unit,credentials,narrower,occupations" and len(lines) == 6
    code, out, _ = run_cli(capsys, built_store_dir, "supply-demand", "--jurisdiction", "CA-BC", "--top", "3")
    assert code == 0 and "ILLUSTRATIVE" in out
