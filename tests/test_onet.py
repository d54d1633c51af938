"""O*NET loader: occupations, skill and knowledge elements, requirements with importance, level and flags."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loader_support import (
    assert_skos_check_passes_strictly,
    damaged_files,
    fails_cleanly,
    read_damaged,
    replace_cell,
)
from loader_support import query_rows as values

from mcgraph.cli import main
from mcgraph.errors import SourceFormatError
from mcgraph.loading import load_source
from mcgraph.queries import get_query
from mcgraph.sources import LoadReport, get_source
from mcgraph.store import EmbeddedStore

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "onet"
GRAPH = "https://w3id.org/mcgraph/graph/onet/29.2"
O = "https://w3id.org/mcgraph/id/onet/"
ROW_KINDS = ("importance", "level", "flagged not relevant", "flagged recommend suppress")


def count(store: EmbeddedStore, where: str) -> int:
    rows = values(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(rows[0][0])  # type: ignore[arg-type]


def row_counts(report: LoadReport, file: str) -> dict[str, int]:
    """The report's per-row outcome counts of one file, by kind (``importance``, ``skipped: …``)."""
    prefix = f"{file} rows: "
    return {
        k[len(prefix) :]: n
        for k, n in report.counts.items()
        if k.startswith(prefix) and k != prefix + "total"
    }


@pytest.fixture(scope="module")
def loaded() -> tuple[EmbeddedStore, LoadReport]:
    store = EmbeddedStore()
    return store, load_source(store, "onet", FIXTURE)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "onet"
    shutil.copytree(FIXTURE, target)
    return target


# -- fixture loads ------------------------------------------------------------------------------------


def test_version_from_read_me(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, report = loaded
    assert report.version == "29.2" and report.graph == GRAPH
    assert report.triples == store.count(GRAPH)
    assert {f.name for f in report.files} == {
        "Read Me.txt",  # the release is read from it (issue 13 item 17)
        "Occupation Data.txt",
        "Content Model Reference.txt",
        "Scales Reference.txt",
        "Skills.txt",
        "Knowledge.txt",
    }


def test_version_from_folder_name_without_read_me(tmp_path: Path) -> None:
    target = tmp_path / "db_28_3_text"
    shutil.copytree(FIXTURE, target)
    (target / "Read Me.txt").unlink()
    assert get_source("onet").detect_version(target) == "28.3"


def test_every_skills_row_is_accounted_for(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    report = loaded[1]
    rows = row_counts(report, "Skills.txt")
    # Rows 2–15 of the hand-written file, one outcome each (see the comments in the fixture generator).
    assert rows == {
        "importance": 5,
        "level": 2,
        "flagged not relevant": 1,
        "flagged recommend suppress": 2,
        "skipped: occupation not in Occupation Data.txt": 1,
        "skipped: element not in Content Model Reference.txt": 1,
        "skipped: scale CX is not IM or LV": 1,
        "skipped: duplicate occupation, element and scale": 1,
    }
    assert sum(rows.values()) == report.counts["Skills.txt rows: total"] == 14
    assert row_counts(report, "Knowledge.txt") == {
        "importance": 1,
        "level": 2,
        "flagged not relevant": 0,
        "flagged recommend suppress": 1,
        "skipped: element outside 2.C": 1,
    }
    skipped = {w.row for w in report.warnings if w.path == "Skills.txt"}
    assert skipped == {10, 11, 12, 13}


def test_occupations_and_elements(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, report = loaded
    assert report.counts["occupations (mcg:Occupation)"] == 3
    assert (
        count(
            store,
            f"<{O}occupation/15-1252.00> a mcg:Occupation ; a skos:Concept ; "
            "skos:prefLabel 'Software Developers'@en ; skos:definition ?d ; skos:notation '15-1252.00'",
        )
        == 1
    )
    e = f"<{O}element/2.B.3.e>"
    assert count(store, f"{e} a mcg:Skill ; skos:inScheme <{O}skills> ; skos:prefLabel 'Programming'@en") == 1
    assert [
        r[0] for r in values(store, f"SELECT ?n WHERE {{ {e} skos:broader+/skos:notation ?n }} ORDER BY ?n")
    ] == ["2.B", "2.B.3"]
    assert count(store, f"<{O}element/2.B> skos:topConceptOf <{O}skills>") == 1
    assert count(store, f"<{O}element/2.B.3> a mcg:Skill") == 0  # a group, not a rated element
    # A knowledge element without children (2.C.6) is a leaf, so a skill; abilities (1.A) are not read.
    assert count(store, f"<{O}element/2.C.6> a mcg:Skill ; skos:inScheme <{O}knowledge>") == 1
    assert count(store, f"<{O}element/1.A> ?p ?o") == 0


def test_requirement_carries_importance_and_level_on_their_scales(
    loaded: tuple[EmbeddedStore, LoadReport],
) -> None:
    store, _ = loaded
    rows = values(
        store,
        f"""SELECT ?r ?imp ?lv ?ims ?lvs WHERE {{ <{O}occupation/11-1011.00> mcg:hasSkillRequirement ?r .
        ?r mcg:requiredSkill <{O}element/2.A.1.a> ; mcg:importance ?imp ; mcg:requiredLevel ?lv ;
           mcg:importanceScale/rdfs:label ?ims ; mcg:levelScale/rdfs:label ?lvs ;
           mcg:fromTaxonomy <{O}skills> }}""",
    )
    assert rows == [
        (f"{O}requirement/11-1011.00/2.A.1.a", "4.12", "4.62", "O*NET Importance (1–5)", "O*NET Level (0–7)")
    ]
    assert values(
        store, f"SELECT ?min ?max WHERE {{ <{O}scale/LV> mcg:scaleMinimum ?min ; mcg:scaleMaximum ?max }}"
    ) == [("0", "7")]
    assert count(store, "?r a mcg:SkillRequirement") == 7  # 5 skill pairs + 2 knowledge pairs


def test_flags(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded

    def flags(occupation: str, element: str) -> tuple[int, int, str | None]:
        r = f"<{O}requirement/{occupation}/{element}>"
        level = values(store, f"SELECT ?l WHERE {{ {r} mcg:requiredLevel ?l }}")
        return (
            count(store, f"{r} mcg:notRelevant true"),
            count(store, f"{r} mcg:suppressRecommended true"),
            level[0][0] if level else None,
        )

    assert flags("11-1011.00", "2.B.3.e") == (1, 0, "0")  # not relevant: level kept, flagged
    assert flags("15-1252.00", "2.A.1.b") == (0, 1, "3.75")  # suppress on the level row
    assert flags("15-1252.00", "2.B.3.e") == (1, 1, "5.5")  # both flags
    assert flags("15-1252.00", "2.C.3.a") == (0, 1, "6.1")  # suppress on the importance row only
    assert flags("11-1011.00", "2.A.1.a") == (0, 0, "4.62")
    # Flags are stated once, not once per row.
    assert count(store, "?r mcg:suppressRecommended ?x") == 3


def test_occupation_requirements_query(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded
    rows = get_query("occupation-requirements").run(store, occupation="onet:occupation/15-1252.00").dicts()
    assert [r["label"] for r in rows] == ["Programming", "Computers and Electronics", "Active Listening"]
    assert rows[0]["kind"] == "O*NET skills (not relevant) (suppress recommended)"
    assert rows[1]["kind"] == "O*NET knowledge (suppress recommended)" and rows[1]["importance"] == "4.6"
    assert rows[2]["scale"] == "O*NET Level (0–7); O*NET Importance (1–5)"


def test_cli_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--store", str(tmp_path / "store"), "load", "onet", str(FIXTURE)])
    out = capsys.readouterr()
    assert exit_.value.code in (0, None)
    assert "Skills.txt rows: total" in out.out and "29.2" in out.out
    assert "Skills.txt, row 10" in out.err


def test_without_scales_reference_the_documented_ranges_are_used(folder: Path) -> None:
    (folder / "Scales Reference.txt").unlink()
    store = EmbeddedStore()
    report = load_source(store, "onet", folder)
    assert any("Scales Reference" in w.reason for w in report.warnings)
    assert values(store, f"SELECT ?max WHERE {{ <{O}scale/IM> mcg:scaleMaximum ?max }}") == [("5",)]


# -- bad input ----------------------------------------------------------------------------------------


def _fails_cleanly(folder: Path, *expected: str) -> SourceFormatError:
    return fails_cleanly("onet", FIXTURE, folder, *expected)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_truncated_file(folder: Path) -> None:
    path = folder / "Skills.txt"
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join(lines[:6]) + b"\n" + lines[6][:30])
    err = _fails_cleanly(folder, "Skills.txt", "row 7", "truncated")
    assert err.row == 7


def test_wrong_encoding(folder: Path) -> None:
    path = folder / "Occupation Data.txt"
    path.write_bytes(
        path.read_text(encoding="utf-8")
        .replace("Care for patients", "Soins infirmiers, équipe")
        .encode("latin-1")
    )
    err = _fails_cleanly(folder, "Occupation Data.txt", "row 4", "not valid utf-8")
    assert err.row == 4


def test_missing_column(folder: Path) -> None:
    _edit(folder / "Knowledge.txt", "Recommend Suppress", "Suppress")
    _fails_cleanly(folder, "Knowledge.txt", "row 1", "'Recommend Suppress'")


def test_value_not_a_number(folder: Path) -> None:
    _edit(folder / "Skills.txt", "\t4.62\t", "\tn/a\t")
    err = _fails_cleanly(folder, "Skills.txt", "row 3", "not a number")
    assert err.field == "Data Value"


def test_value_outside_the_scale(folder: Path) -> None:
    _edit(folder / "Skills.txt", "\t4.12\t", "\t6.5\t")
    _fails_cleanly(folder, "Skills.txt", "row 2", "outside the Importance scale IM (1–5)")


def test_bad_flag(folder: Path) -> None:
    _edit(folder / "Skills.txt", "\tN\tN\t08/2023", "\tN\tmaybe\t08/2023")
    _fails_cleanly(folder, "Skills.txt", "row 3", "'Not Relevant' must be Y, N or empty")


def test_missing_required_file(folder: Path) -> None:
    (folder / "Content Model Reference.txt").unlink()
    _fails_cleanly(folder, "Content Model Reference.txt", "is this an O*NET text release")


def test_no_rating_file(folder: Path) -> None:
    (folder / "Skills.txt").unlink()
    (folder / "Knowledge.txt").unlink()
    _fails_cleanly(folder, "none of Skills.txt, Knowledge.txt")


# -- fuzzing ------------------------------------------------------------------------------------------

FILES = sorted(p.name for p in FIXTURE.glob("*.txt"))


def _edit_cell(draw: st.DrawFn, data: bytes) -> bytes:
    """A cell replaced by random text or by a value that means something in these files."""
    cells = st.one_of(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10),
        st.sampled_from(["Y", "N", "", "IM", "LV", "-1", "nan", "1e400", "2.A", "11-1011.00"]),
    )
    return replace_cell(draw, data.decode("utf-8"), "\t", cells).encode("utf-8")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_files(FIXTURE, FILES, _edit_cell))
def test_fuzz_damaged_files_never_crash(case: tuple[str, bytes]) -> None:
    report = read_damaged("onet", FIXTURE, *case)  # raises anything but McgraphError
    if report is not None:
        # A load that went through still accounts for every row it read.
        for file in ("Skills.txt", "Knowledge.txt"):
            if f"{file} rows: total" in report.counts:
                assert sum(row_counts(report, file).values()) == report.counts[f"{file} rows: total"]


# -- the real download ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> tuple[EmbeddedStore, LoadReport, Path]:
    from conftest import shared_path

    folder = shared_path("onet")
    store = EmbeddedStore()
    return store, load_source(store, "onet", folder), folder


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _expected_kinds(rows: list[dict[str, str]]) -> Counter[str]:
    """Each row's outcome, computed here from the file with csv, independently of the loader."""
    kinds: Counter[str] = Counter()
    for r in rows:
        if r["Recommend Suppress"] == "Y":
            kinds["flagged recommend suppress"] += 1
        elif r["Not Relevant"] == "Y":
            kinds["flagged not relevant"] += 1
        else:
            kinds["importance" if r["Scale ID"] == "IM" else "level"] += 1
    return kinds


@pytest.mark.realdata
@pytest.mark.slow
def test_real_skills_rows_all_accounted_for(real: tuple[EmbeddedStore, LoadReport, Path]) -> None:
    store, report, folder = real
    assert report.version == "29.2"
    rows = _rows(folder / "Skills.txt")
    assert len(rows) == 61_530
    got = row_counts(report, "Skills.txt")
    assert sum(got.values()) == report.counts["Skills.txt rows: total"] == 61_530
    assert {k: n for k, n in got.items() if n} == dict(_expected_kinds(rows))
    assert not [k for k in got if k.startswith("skipped")]
    # The store holds one requirement per occupation × element, with every value and flag.
    pairs = {(r["O*NET-SOC Code"], r["Element ID"]) for r in rows}
    assert count(store, f"?r a mcg:SkillRequirement ; mcg:fromTaxonomy <{O}skills>") == len(pairs) == 30_765
    irrelevant = {(r["O*NET-SOC Code"], r["Element ID"]) for r in rows if r["Not Relevant"] == "Y"}
    assert count(store, f"?r mcg:fromTaxonomy <{O}skills> ; mcg:notRelevant true") == len(irrelevant)
    suppressed = {(r["O*NET-SOC Code"], r["Element ID"]) for r in rows if r["Recommend Suppress"] == "Y"}
    assert count(store, f"?r mcg:fromTaxonomy <{O}skills> ; mcg:suppressRecommended true") == len(suppressed)
    assert count(store, f"?r mcg:fromTaxonomy <{O}skills> ; mcg:importance ?i ; mcg:requiredLevel ?l") == len(
        pairs
    )


@pytest.mark.realdata
@pytest.mark.slow
def test_real_knowledge_and_occupations(real: tuple[EmbeddedStore, LoadReport, Path]) -> None:
    store, report, folder = real
    rows = _rows(folder / "Knowledge.txt")
    got = row_counts(report, "Knowledge.txt")
    assert sum(got.values()) == len(rows) == 58_014
    assert {k: n for k, n in got.items() if n} == dict(_expected_kinds(rows))
    assert count(store, f"GRAPH <{GRAPH}> {{ ?o a mcg:Occupation }}") == 1_016
    assert count(store, "SELECT DISTINCT ?o WHERE { ?o mcg:hasSkillRequirement ?r }") == 879
    assert (
        report.counts["skills elements (mcg:Skill)"] == 35
        and report.counts["knowledge elements (mcg:Skill)"] == 33
    )
    assert report.warnings == []


def test_skos_integrity_check_passes_strictly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_skos_check_passes_strictly(tmp_path / "store", capsys, "onet", FIXTURE, "onet/29.2")
