"""`mcgraph crosswalk level`: official crosswalks only, with sources; no guesses; monotonic; spans said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from mcgraph.levels import (
    LinkRow,
    UnknownLevelError,
    crosswalk_level,
    crosswalk_links,
    monotonicity_violations,
    resolve_level,
)
from mcgraph.store import EmbeddedStore

run = run_cli


def test_nfq9_maps_to_eqf7_with_its_source(capsys: pytest.CaptureFixture[str], built_store_dir: Path) -> None:
    code, out, err = run(capsys, built_store_dir, "crosswalk", "level", "nfq:9", "--to", "eqf")
    assert code == 0, err
    assert out.splitlines()[0] == "NFQ level 9 → EQF level 7"
    assert (
        "source: Referencing of the Irish National Framework of Qualifications (NFQ) to the European "
        "Qualifications Framework for Lifelong Learning (EQF) (2009)" in out
    )
    assert "no official mapping" not in out


def test_json_answer_names_the_official_iri_and_sources(
    capsys: pytest.CaptureFixture[str], built_store_dir: Path
) -> None:
    code, out, _ = run(capsys, built_store_dir, "crosswalk", "level", "nfq:9", "--to", "eqf", "--format", "json")
    answer = json.loads(out)
    assert code == 0 and answer["official"] and not answer["span"]
    assert [t["iri"] for t in answer["targets"]] == ["http://data.europa.eu/snb/eqf/7"]
    assert answer["level"]["iri"] == "http://data.europa.eu/snb/qdr/c_c6ada0f4"
    assert "https://w3id.org/mcgraph/id/source/nfq-eqf-referencing-2009" in answer["links"][0]["sources"]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("nfq:1", ["EQF level 1"]),
        ("nfq:2", ["EQF level 1"]),
        ("nfq:5", ["EQF level 4"]),
        ("nfq:6", ["EQF level 5"]),
        ("nfq:8", ["EQF level 6"]),
        ("nfq:10", ["EQF level 8"]),
        ("scqf:3", ["EQF level 1"]),
        ("scqf:10", ["EQF level 6"]),
        ("scqf:11", ["EQF level 7"]),
        ("nzqcf:1", ["EQF level 2"]),
        ("nzqcf:7", ["EQF level 6"]),
        ("aqf:7", ["EQF level 6"]),
        ("aqf:10", ["EQF level 8"]),
        ("eqf:6", ["NFQ level 7", "NFQ level 8"]),  # looked up backwards: two national levels
        ("http://data.europa.eu/snb/eqf/7", ["SCQF level 11"]),  # a level given by its IRI
    ],
)
def test_official_links(opened_built_store: EmbeddedStore, level: str, expected: list[str]) -> None:
    target = "nfq" if level == "eqf:6" else "scqf" if level.startswith("http") else "eqf"
    answer = crosswalk_level(opened_built_store, level, target)
    assert [t.label for t in answer.targets] == expected
    assert answer.sources and all(link.sources for link in answer.links)


@pytest.mark.parametrize(
    ("level", "target", "why"),
    [
        ("nzqcf:8", "eqf", "deliberately"),  # the EU-NZ comparison leaves NZQF 8 unlevelled
        ("scqf:1", "eqf", "deliberately"),  # below EQF level 1
        ("aqf:4", "eqf", "not linked in the encoded data"),
        ("oqf:10", "eqf", "no official referencing or comparison"),
        ("wsq:6", "nfq", "no official referencing or comparison"),
    ],
)
def test_unmapped_level_answers_no_official_mapping(
    capsys: pytest.CaptureFixture[str], built_store_dir: Path, level: str, target: str, why: str
) -> None:
    code, out, _ = run(capsys, built_store_dir, "crosswalk", "level", level, "--to", target)
    assert code == 0
    assert out.splitlines()[0].endswith(": no official mapping")
    assert why in out
    assert "EQF level" not in out.splitlines()[0]


def test_every_link_is_monotonic_and_sourced(opened_built_store: EmbeddedStore) -> None:
    links = crosswalk_links(opened_built_store)
    assert len(links) == 32
    assert {link.crosswalk.rsplit("/", 1)[-1] for link in links} == {
        "nfq-eqf",
        "scqf-eqf",
        "nzqcf-eqf",
        "aqf-eqf",
    }
    assert all(link.sources >= 1 for link in links)
    assert monotonicity_violations(links) == []


def test_monotonicity_check_catches_a_level_mapping_lower() -> None:
    good = [
        LinkRow("x", "n", 1, "e", 1),
        LinkRow("x", "n", 2, "e", 1),
        LinkRow("x", "n", 3, "e", 2),
        LinkRow("x", "n", 4, "e", 2),
        LinkRow("x", "n", 4, "e", 3),
    ]  # 4 spans 2-3: fine
    assert monotonicity_violations(good) == []
    bad = good + [LinkRow("x", "n", 5, "e", 1)]  # 5 maps below 4
    problems = monotonicity_violations(bad)
    assert "x: n 5 maps to e 1-1, lower than n 4 (e 2-3)" in problems
    backwards = [LinkRow("y", "n", 1, "e", 3), LinkRow("y", "n", 2, "e", 2)]
    assert monotonicity_violations(backwards)


def test_a_span_is_reported_with_both_levels(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    assert run(capsys, store_dir, "build")[0] == 0
    code, _, err = run(
        capsys,
        store_dir,
        "load",
        str(FIXTURES / "frameworks" / "span.ttl"),
        "--graph",
        "frameworks/test-span",
    )
    assert code == 0, err
    code, out, _ = run(capsys, store_dir, "crosswalk", "level", "tqf:3", "--to", "eqf")
    assert code == 0
    assert out.splitlines()[0] == "TQF level 3 → EQF level 5, EQF level 6"
    assert "span: TQF level 3 is placed across 2 levels (EQF level 5, EQF level 6)" in out
    code, out, _ = run(capsys, store_dir, "crosswalk", "level", "tqf:3", "--to", "eqf", "--format", "json")
    assert json.loads(out)["span"] is True


def test_two_levels_sharing_one_reference_level_is_not_a_span(opened_built_store: EmbeddedStore) -> None:
    answer = crosswalk_level(opened_built_store, "eqf:4", "nzqcf")
    assert [t.number for t in answer.targets] == [3, 4]
    assert answer.shared and not answer.is_span
    assert crosswalk_level(opened_built_store, "nfq:7", "eqf").is_span is False


def test_via_is_labelled_as_not_official(capsys: pytest.CaptureFixture[str], built_store_dir: Path) -> None:
    code, out, _ = run(capsys, built_store_dir, "crosswalk", "level", "nfq:9", "--to", "nzqcf", "--via", "eqf")
    assert code == 0
    assert out.splitlines()[0] == "NFQ level 9 → NZQCF level 9"
    assert "NOT an official direct mapping" in out and "step 1: NFQ level 9 → EQF level 7" in out
    code, out, _ = run(capsys, built_store_dir, "crosswalk", "level", "nfq:9", "--to", "nzqcf")
    assert "no official mapping" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nfq:11", "--to", "eqf"), "has no level 11"),
        (("xyz:1", "--to", "eqf"), "write FRAMEWORK:NUMBER"),
        (("nfq:9", "--to", "xyz"), "unknown qualification framework 'xyz'"),
        (("nfq:9", "--to", "nfq"), "already a level of"),
        (("https://example.org/not-a-level", "--to", "eqf"), "is not a level"),
    ],
)
def test_bad_input_exits_2_with_a_reason(
    capsys: pytest.CaptureFixture[str], built_store_dir: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(capsys, built_store_dir, "crosswalk", "level", *args)
    assert code == 2 and message in err


def test_without_a_build_it_says_run_build(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, tmp_path / "empty", "crosswalk", "level", "nfq:9", "--to", "eqf")
    assert code == 2 and "run `mcgraph build` first" in err


def test_resolve_level_accepts_names_and_iris(opened_built_store: EmbeddedStore) -> None:
    assert resolve_level(opened_built_store, "eqf:7").iri == "http://data.europa.eu/snb/eqf/7"
    assert resolve_level(opened_built_store, "NFQ 9").label == "NFQ level 9"
    assert resolve_level(opened_built_store, "<https://training.gov.au/aqfLevel/8>").name == "aqf:8"
    with pytest.raises(UnknownLevelError):
        resolve_level(opened_built_store, "nfq:0")


def test_frameworks_lists_what_is_known_with_counts(capsys: pytest.CaptureFixture[str], built_store_dir: Path) -> None:
    code, out, _ = run(capsys, built_store_dir, "frameworks", "--format", "json")
    data = json.loads(out)
    assert code == 0
    levels = {fw["short_name"]: fw["levels"] for fw in data["qualification_frameworks"]}
    assert levels == {"aqf": 10, "cdqf": 3, "eqf": 8, "nfq": 10, "nzqcf": 10, "oqf": 13, "scqf": 12, "wsq": 6}
    assert {fw["short_name"]: fw["crosswalks"] for fw in data["qualification_frameworks"]}["eqf"] == 4
    assert len(data["credit_systems"]) == 7 and len(data["microcredential_frameworks"]) == 12
    code, out, _ = run(capsys, built_store_dir, "frameworks")
    assert code == 0
    assert (
        "8 qualification frameworks" in out
        and "7 credit systems" in out
        and "12 micro-credential frameworks" in out
    )
