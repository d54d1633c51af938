"""`mcgraph convert`: volumes of learning between credit systems, as ranges, stating the assumption used."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import run_cli
from hypothesis import given
from hypothesis import strategies as st

from mcgraph.credits import (
    NOTIONAL_HOURS,
    ConversionError,
    CreditSystem,
    convert,
    convert_between,
    credit_systems,
    parse_value,
)
from mcgraph.queries import run_query
from mcgraph.store import EmbeddedStore

NZ = CreditSystem("nz", "nzqa-credit", "NZQA credit", Decimal(10), Decimal(10), sources=("NZQCF",))
ECTS = CreditSystem("ects", "ects", "ECTS credit", Decimal(25), Decimal(30), sources=("ECTS Users' Guide",))


run = run_cli


def test_conversion_keeps_the_range_of_the_sources() -> None:
    r = convert_between(Decimal(40), NZ, ECTS)
    assert (r.hours_low, r.hours_high) == (400, 400)
    assert r.low == Decimal(400) / 30 and r.high == 16
    assert (r.low_text, r.high_text) == ("13.33", "16") and not r.exact
    assert r.assumption == "10 notional hours per NZQA credit and 25–30 notional hours per ECTS credit"
    assert str(r) == (
        "40 NZQA credits = 400 notional hours = 13.33–16 ECTS credits (assuming 10 notional hours "
        "per NZQA credit and 25–30 notional hours per ECTS credit; sources: NZQCF; ECTS Users' Guide)"
    )
    back = convert_between(Decimal(5), ECTS, NZ)
    assert (back.low, back.high) == (Decimal("12.5"), 15)


def test_cli_40_nzqa_credits_to_ects(capsys: pytest.CaptureFixture[str], built_store_dir: Path) -> None:
    code, out, err = run(capsys, built_store_dir, "convert", "40", "nzqa-credit", "--to", "ects")
    assert code == 0, err
    assert out.startswith(
        "40 NZQA credits = 400 notional hours = 13.33–16 ECTS credits (assuming 10 notional "
        "hours per NZQA credit and 25–30 notional hours per ECTS credit; sources: "
    )
    assert "The New Zealand Qualifications and Credentials Framework (2022)" in out
    assert "ECTS Users' Guide (2015)" in out
    code, out, _ = run(capsys, built_store_dir, "convert", "40", "nzqa-credit", "--to", "ects", "--format", "json")
    data = json.loads(out)
    assert (data["low"], data["high"], data["hours_low"]) == ("13.33", "16", "400")
    assert "25–30 notional hours per ECTS credit" in data["assumption"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("5", "ects", "--to", "hours"),
            "5 ECTS credits = 125–150 notional hours (assuming 25–30 notional hours per ECTS credit;",
        ),
        (("100", "hours", "--to", "ects"), "100 notional hours = 3.33–4 ECTS credits"),
        (("1", "ects", "--to", "h"), "1 ECTS credit = 25–30 notional hours"),
        (
            ("15", "scqf-credit", "--to", "uk-credit"),
            "15 SCQF credit points = 150 notional hours = 15 UK credits (England, Wales, Northern Ireland)",
        ),
        (
            ("3", "us-semester-credit", "--to", "ects"),
            "3 US semester credit hours = 135 notional hours = 4.5–5.4 ECTS",
        ),
        (("0.5", "aqf-year", "--to", "hours"), "0.5 AQF years (volume of learning) = 600 notional hours"),
    ],
)
def test_cli_conversions(
    capsys: pytest.CaptureFixture[str], built_store_dir: Path, args: tuple[str, ...], expected: str
) -> None:
    code, out, _ = run(capsys, built_store_dir, "convert", *args)
    assert code == 0 and out.startswith(expected), out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("3", "furlong", "--to", "ects"),
            "unknown unit 'furlong'; known units: aqf-year, ca-course-credit, ects",
        ),
        (("3", "ects", "--to", "parsecs"), "unknown unit 'parsecs'"),
        (("3", "ca-course-credit", "--to", "ects"), "has no official notional-hours figure"),
        (("three", "ects", "--to", "hours"), "'three' is not a number"),
        (("--to", "hours", "--", "-3", "ects"), "non-negative"),
        (("nan", "ects", "--to", "hours"), "finite"),
    ],
)
def test_bad_units_and_values_exit_2(
    capsys: pytest.CaptureFixture[str], built_store_dir: Path, args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, built_store_dir, "convert", *args)
    assert code == 2 and message in err and out == ""


def test_without_a_build_it_says_run_build(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, tmp_path / "empty", "convert", "40", "nzqa-credit", "--to", "ects")
    assert code == 2 and "run `mcgraph build` first" in err


def test_credit_systems_in_the_store(opened_built_store: EmbeddedStore) -> None:
    systems = credit_systems(opened_built_store)
    assert set(systems) == {
        "ects",
        "nzqa-credit",
        "scqf-credit",
        "uk-credit",
        "us-semester-credit",
        "ca-course-credit",
        "aqf-year",
    }
    assert (systems["ects"].hours_min, systems["ects"].hours_max) == (25, 30)
    assert not systems["ca-course-credit"].convertible
    assert all(s.sources for s in systems.values())
    assert NOTIONAL_HOURS.short_name == "hours" and "hours" not in systems


def test_framework_limits_agree_with_the_credit_systems(opened_built_store: EmbeddedStore) -> None:
    """The CMF's 4-6 ECTS lies within what its 100-150 hours convert to (a data consistency check)."""
    rows = {r["unit"]: r for r in run_query(opened_built_store, "framework-limits", short="ecmf").dicts()}
    hours, ects = rows["hours"], rows["ects"]
    low = convert(opened_built_store, hours["minInclusive"], "hours", "ects")
    high = convert(opened_built_store, hours["maxInclusive"], "hours", "ects")
    assert low.low <= Decimal(ects["minInclusive"]) <= low.high
    assert high.low <= Decimal(ects["maxInclusive"]) <= high.high


@given(st.text(max_size=20))
def test_parse_value_only_raises_conversion_error(text: str) -> None:
    try:
        value = parse_value(text)
    except ConversionError:
        return
    assert value.is_finite() and value >= 0
