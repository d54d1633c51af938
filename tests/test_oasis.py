"""OaSIS loader: NOC 2021 hierarchy, profiles, descriptors, skill requirements and occupation ratings."""

from __future__ import annotations

import csv
import shutil
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
from mcgraph.sources import LoadReport
from mcgraph.sources.oasis import normalise_profile_code
from mcgraph.store import EmbeddedStore

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "oasis"
GRAPH = "https://w3id.org/mcgraph/graph/oasis/2023-v1.0"
P = "https://w3id.org/mcgraph/id/oasis/profile/"
D = "https://w3id.org/mcgraph/id/oasis/descriptor/"
NOC = "https://w3id.org/mcgraph/id/noc/2021/"
RATING_FILES = ("skills", "abilities", "knowledges", "personal-attributes", "workactivities")


def one(store: EmbeddedStore, query: str) -> str | None:
    rows = values(store, query)
    assert len(rows) == 1, rows
    return rows[0][0]


def count(store: EmbeddedStore, where: str) -> int:
    return int(one(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def loaded() -> tuple[EmbeddedStore, LoadReport]:
    store = EmbeddedStore()
    report = load_source(store, "oasis", FIXTURE)
    return store, report


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the fixture folder."""
    target = tmp_path / "oasis"
    shutil.copytree(FIXTURE, target)
    return target


# -- fixture loads ------------------------------------------------------------------------------------


def test_version_and_graph_come_from_the_file_names(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, report = loaded
    assert report.version == "2023-v1.0" and report.graph == GRAPH
    assert store.named_graphs() == ["https://w3id.org/mcgraph/graph/meta", GRAPH]
    assert {f.name for f in report.files} >= {
        "guide_oasis_2023_v1.0.csv",
        "labels_oasis_2023_v1.0.csv",
        "noc_structure_en.csv",
        "workcontext_oasis_2023_v1.0.csv",
    }
    assert report.triples == store.count(GRAPH)


def test_report_counts_every_kind_of_thing(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    c = loaded[1].counts
    assert c["OaSIS profiles (mcg:Occupation)"] == 5
    assert c["NOC 2021 unit groups"] == 4 and c["NOC 2021 broad categories"] == 3
    # Non-zero cells of each hand-written rating file (zeros and the blank are not requirements).
    assert (
        c["skill requirements: skills"] == 22
        and c["zero ratings (not required, no requirement): skills"] == 3
    )
    assert c["skill requirements: abilities"] == 10
    assert (
        c["skill requirements: knowledge"] == 5
        and c["zero ratings (not required, no requirement): knowledge"] == 5
    )
    assert (
        c["skill requirements: personal-attributes"] == 9
        and c["blank ratings (not rated): personal-attributes"] == 1
    )
    assert c["skill requirements: work-activities"] == 9
    assert c["work context ratings (mcg:OccupationRating)"] == 19
    assert c["interest ratings (mcg:OccupationRating)"] == 14
    assert c["main duties (skos:note)"] == 3 and c["example titles (skos:altLabel)"] == 5
    assert c["files present but not loaded: employment-requirements"] == 1


def test_warnings_name_file_and_row(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    warnings = {(w.path, w.row): w.reason for w in loaded[1].warnings}
    assert "Mystery Skill" in warnings["skills_oasis_2023_v1.0.csv", 1]
    assert "read as 14404.00" in warnings["interests_oasis_2023_v1.0.csv", 5]
    assert "'00010' read as '00010.00'" in warnings["workactivities_oasis_2023_v1.0.csv", 2]
    assert "Attention to Detail" in warnings["personal-attributes_oasis_2023_v1.0.csv", 4]
    assert "code glued on" in warnings["guide_oasis_2023_v1.0.csv", 24]


def test_store_holds_what_the_report_counts(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, report = loaded
    c = report.counts
    requirements = sum(n for k, n in c.items() if k.startswith("skill requirements: "))
    assert count(store, "?r a mcg:SkillRequirement") == requirements == 55
    assert count(store, "?p mcg:hasSkillRequirement ?r") == 55
    assert count(store, "?r a mcg:OccupationRating") == 19 + 14
    assert count(store, "?p a mcg:Occupation") == 5


def test_noc_hierarchy_from_profile_to_broad_category(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded
    chain = values(
        store,
        f"""SELECT ?n WHERE {{ <{P}00010.00> skos:broader+ ?c . ?c skos:notation ?n }}
                              ORDER BY STRLEN(?n)""",
    )
    assert [r[0] for r in chain] == ["0", "00", "000", "0001", "00010"]
    assert (
        one(store, f"SELECT ?s WHERE {{ <{NOC}0> skos:topConceptOf ?s }}")
        == "https://w3id.org/mcgraph/id/noc/2021"
    )
    assert (
        one(store, f"SELECT ?l WHERE {{ <{NOC}21232> skos:prefLabel ?l }}")
        == "Software developers and programmers"
    )
    # Unit groups are NOC concepts, not occupations: only the OaSIS profiles are.
    assert count(store, f"<{NOC}00010> a mcg:Occupation") == 0


def test_profile_labels_titles_duties_and_lead_statement(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded
    p = f"<{P}00010.00>"
    assert count(store, f"{p} a mcg:Occupation ; a skos:Concept ; skos:notation '00010.00'") == 1
    assert count(store, f"{p} skos:topConceptOf <https://w3id.org/mcgraph/id/oasis/profiles>") == 1
    assert one(store, f"SELECT ?l WHERE {{ {p} skos:prefLabel ?l FILTER(LANG(?l) = 'en') }}") == "Legislators"
    alt = {r[0] for r in values(store, f"SELECT ?l WHERE {{ {p} skos:altLabel ?l }}")}
    assert alt == {"Member of Parliament (MP)", "senator", "band council member"}
    assert count(store, f"{p} skos:note ?n") == 2
    assert "elected or appointed" in (one(store, f"SELECT ?d WHERE {{ {p} skos:definition ?d }}") or "")
    # A code written without its suffix in main-duties still reaches its profile; a duplicate row is one note.
    assert count(store, f"<{P}21232.00> skos:note ?n") == 1
    # An example title equal to the preferred label is not repeated as an altLabel.
    assert count(store, f"<{P}14404.00> skos:altLabel ?l") == 0


def test_descriptors_are_concepts_in_family_schemes(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded
    o = "https://w3id.org/mcgraph/id/oasis/"
    assert count(store, f"<{D}F01b01> a mcg:Skill ; skos:inScheme <{o}skills> ; skos:definition ?d") == 1
    chain = [r[0] for r in values(store, f"SELECT ?n WHERE {{ <{D}F01b01> skos:broader+/skos:notation ?n }}")]
    assert sorted(chain) == ["F", "F01", "F01b"]
    assert count(store, f"<{D}F> skos:topConceptOf <{o}skills>") == 1
    assert one(store, f"SELECT ?l WHERE {{ <{D}F01b> skos:prefLabel ?l }}") == "Reading and Writing Skills"
    # Skills, abilities and knowledge descriptors are mcg:Skill; the other families and the groups are not.
    assert count(store, f"<{D}G01a02> a mcg:Skill") == count(store, f"<{D}A01a03> a mcg:Skill") == 1
    for code in ("B05a02", "K01a01", "J01c02", "C01a05", "F01b", "F"):
        assert count(store, f"<{D}{code}> a mcg:Skill") == 0, code
        assert count(store, f"<{D}{code}> a skos:Concept") == 1, code
    # A descriptor without a column in the rating file is still in the taxonomy.
    assert count(store, f"<{D}F04c02> skos:inScheme <{o}skills>") == 1


@pytest.mark.parametrize(
    ("profile", "descriptor", "level"),
    [
        ("14403.02", "F03a03", "1"),  # header "Setting up" (guide: "Setting Up")
        ("00010.00", "F04c01", "4"),  # "Monitoring": the descriptor, not its similarity group F04c
        ("00010.00", "F01b02", "4"),  # header "Writing  " with stray spaces
        ("21232.00", "F01c02", "5"),  # header " Digital Literacy"
        ("00010.00", "G01a02", "2"),  # alias: "Business Administration" → Business Management
        ("21232.00", "K03b04", "5"),  # alias: "Using New Relevant Knowledge" → Applying New Knowledge
        ("14404.00", "K01a01", "4"),  # code written as 14404 in the work activities file
    ],
)
def test_headers_map_to_guide_descriptors(
    loaded: tuple[EmbeddedStore, LoadReport], profile: str, descriptor: str, level: str
) -> None:
    store, _ = loaded
    found = values(
        store,
        f"""SELECT ?level ?max WHERE {{ <{P}{profile}> mcg:hasSkillRequirement ?r .
        ?r mcg:requiredSkill <{D}{descriptor}> ; mcg:requiredLevel ?level ;
           mcg:levelScale/mcg:scaleMaximum ?max }}""",
    )
    assert len(found) == 1 and found[0][0] == level
    assert found[0][1] == ("3" if descriptor.startswith("G") else "5")


def test_zero_means_no_requirement(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded
    assert count(store, f"<{P}00010.00> mcg:hasSkillRequirement/mcg:requiredSkill <{D}F03a03>") == 0
    assert (
        count(
            store,
            f"<{P}14404.00> mcg:hasSkillRequirement/mcg:requiredSkill/skos:inScheme "
            "<https://w3id.org/mcgraph/id/oasis/knowledge>",
        )
        == 0
    )
    # The blank personal-attribute cell is not a requirement either.
    assert count(store, f"<{P}14403.02> mcg:hasSkillRequirement/mcg:requiredSkill <{D}B05a03>") == 0


def test_personal_attributes_are_importance_not_level(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded
    rows = values(
        store,
        f"""SELECT ?imp ?scale WHERE {{ <{P}21232.00> mcg:hasSkillRequirement ?r .
        ?r mcg:requiredSkill <{D}B05a02> ; mcg:importance ?imp ; mcg:importanceScale/rdfs:label ?scale
        FILTER NOT EXISTS {{ ?r mcg:requiredLevel ?l }} }}""",
    )
    assert rows == [("5", "OaSIS personal attributes: importance (1–5)")]


def test_requirement_iris_are_deterministic(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded
    r = one(
        store,
        f"SELECT ?r WHERE {{ <{P}21232.00> mcg:hasSkillRequirement ?r . ?r mcg:requiredSkill <{D}F01b01> }}",
    )
    assert r == "https://w3id.org/mcgraph/id/oasis/requirement/21232.00/F01b01"
    again = EmbeddedStore()
    load_source(again, "oasis", FIXTURE)
    dump = {
        str(q)
        for q in store.oxigraph.quads_for_pattern(None, None, None, None)
        if "meta" not in str(q.graph_name)
    }
    dump2 = {
        str(q)
        for q in again.oxigraph.quads_for_pattern(None, None, None, None)
        if "meta" not in str(q.graph_name)
    }
    assert dump == dump2


def test_work_context_has_one_rating_per_dimension(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded
    rows = values(
        store,
        f"""SELECT ?value ?scale WHERE {{ <{P}00010.00> mcg:hasOccupationRating ?r .
        ?r mcg:ratedDescriptor <{D}J01c02> ; mcg:levelValue ?value ; mcg:levelScale/rdfs:label ?scale }}
        ORDER BY ?scale""",
    )
    assert rows == [
        ("4", "OaSIS work context: frequency (1–5)"),
        ("5", "OaSIS work context: importance (1–5)"),
    ]
    # "Work Schedule" is the guide's "Type of Work Schedules", on its own 1–3 scale.
    assert values(
        store,
        f"""SELECT ?max WHERE {{ <{P}00010.00> mcg:hasOccupationRating ?r .
        ?r mcg:ratedDescriptor <{D}J01c03> ; mcg:levelScale/mcg:scaleMaximum ?max }}""",
    ) == [("3",)]
    # Work context is never a skill requirement.
    assert (
        count(store, "?r mcg:requiredSkill/skos:inScheme <https://w3id.org/mcgraph/id/oasis/work-context>")
        == 0
    )
    # The guide states no scale for Frequency of Decision Making: the scale says so.
    comment = one(
        store,
        f"""SELECT DISTINCT ?c WHERE {{ ?r mcg:ratedDescriptor <{D}J01a03> ;
        mcg:levelScale/rdfs:comment ?c }}""",
    )
    assert "states no scale" in (comment or "")


def test_interests_are_ranked_holland_codes(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded

    def ranks(profile: str) -> list[tuple[str | None, ...]]:
        return values(
            store,
            f"""SELECT ?name ?rank WHERE {{ <{P}{profile}> mcg:hasOccupationRating ?r .
            ?r mcg:ratedDescriptor ?d ; mcg:levelValue ?rank . ?d skos:inScheme
            <https://w3id.org/mcgraph/id/oasis/interests> ; skos:prefLabel ?name }} ORDER BY ?rank""",
        )

    assert ranks("00010.00") == [
        ("Enterprising", "1"),
        ("Social", "2"),
        ("Conventional", "3"),
    ]  # "c" read as C
    assert ranks("14404.00") == [
        ("Conventional", "1"),
        ("Social", "2"),
        ("Enterprising", "3"),
    ]  # via 14404.01
    assert ranks("14403.01") == [("Conventional", "1"), ("Enterprising", "2")]


def test_version_option_names_the_graph() -> None:
    store = EmbeddedStore()
    report = load_source(store, "oasis", FIXTURE, version="2023-test")
    assert report.graph == "https://w3id.org/mcgraph/graph/oasis/2023-test"


def test_occupation_requirements_query(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded
    result = get_query("occupation-requirements").run(store, occupation=f"{P}21232.00")
    rows = result.dicts()
    assert (
        len(rows) == 12
    )  # non-zero: 5 skills, 2 abilities, 1 knowledge, 2 personal attributes, 2 work activities
    by_label = {r["label"]: r for r in rows}
    assert by_label["Reading Comprehension"]["level"] == "4"
    assert by_label["Reading Comprehension"]["kind"] == "OaSIS skills"
    assert by_label["Reading Comprehension"]["scale"] == "OaSIS skills: proficiency level (1–5)"
    assert (
        by_label["Analytical Thinking"]["importance"] == "5"
        and by_label["Analytical Thinking"]["level"] is None
    )
    assert by_label["Business Management"]["kind"] == "OaSIS knowledge"
    assert "Time Pressure" not in by_label  # work context is not a requirement


def test_cli_load_prints_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--store", str(tmp_path / "store"), "load", "oasis", str(FIXTURE), "--version", "v-cli"])
    out = capsys.readouterr()
    assert exit_.value.code in (0, None)
    assert "OaSIS profiles (mcg:Occupation)" in out.out and "seconds" in out.out
    assert "Mystery Skill" in out.err and "skills_oasis_2023_v1.0.csv, row 1" in out.err


def test_profile_code_normalisation() -> None:
    assert normalise_profile_code("31100.1") == "31100.10"
    assert normalise_profile_code("10010") == "10010.00"
    assert normalise_profile_code(" 00010.00 ") == "00010.00"
    assert normalise_profile_code("1001A") is None and normalise_profile_code("123456.00") is None


# -- bad input ----------------------------------------------------------------------------------------


def _rewrite(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    path.write_text(edit(path.read_text(encoding="utf-8-sig")), encoding="utf-8-sig")


def _fails_cleanly(folder: Path, *expected: str) -> SourceFormatError:
    """Load ``folder`` over a loaded graph (replace): the error names file and row; the store is unchanged."""
    return fails_cleanly("oasis", FIXTURE, folder, *expected, version="x")


def test_truncated_csv(folder: Path) -> None:
    path = folder / "skills_oasis_2023_v1.0.csv"
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"14403.02") + 20])
    err = _fails_cleanly(folder, "skills_oasis_2023_v1.0.csv", "row 4", "truncated")
    assert err.row == 4


def test_truncated_inside_a_quoted_cell(folder: Path) -> None:
    path = folder / "labels_oasis_2023_v1.0.csv"
    path.write_text(
        '\ufeffOaSIS profile code,Label\n00010.00,Legislators\n21232.00,"Software dev', encoding="utf-8"
    )
    _fails_cleanly(folder, "labels_oasis_2023_v1.0.csv", "row 3")


def test_wrong_encoding(folder: Path) -> None:
    path = folder / "example-titles_oasis_2023_v1.0.csv"
    text = path.read_text(encoding="utf-8-sig") + "21232.00,3,Example,développeur de logiciels\n"
    path.write_bytes(text.encode("cp1252"))
    err = _fails_cleanly(folder, "example-titles_oasis_2023_v1.0.csv", "not valid utf-8-sig", "row 9")
    assert err.row == 9 and err.line == 9


def test_utf16_file(folder: Path) -> None:
    path = folder / "guide_oasis_2023_v1.0.csv"
    path.write_bytes(path.read_text(encoding="utf-8-sig").encode("utf-16"))
    _fails_cleanly(folder, "guide_oasis_2023_v1.0.csv", "row 1")


def test_missing_code_column(folder: Path) -> None:
    _rewrite(folder / "abilities_oasis_2023_v1.0.csv", lambda t: t.replace("OaSIS Code - Final", "Profile"))
    _fails_cleanly(folder, "abilities_oasis_2023_v1.0.csv", "row 1", "missing column 'OaSIS Code - Final'")


def test_missing_guide_column(folder: Path) -> None:
    _rewrite(folder / "guide_oasis_2023_v1.0.csv", lambda t: t.replace(",Description\n", ",Text\n", 1))
    _fails_cleanly(folder, "guide_oasis_2023_v1.0.csv", "row 1", "'Description'")


def test_rating_that_is_not_a_number(folder: Path) -> None:
    _rewrite(
        folder / "knowledges_oasis_2023_v1.0.csv",
        lambda t: t.replace("Inventory control workers,1,0", "Inventory control workers,one,0"),
    )
    err = _fails_cleanly(folder, "knowledges_oasis_2023_v1.0.csv", "row 4", "'one'", "not a number")
    assert err.field == "Accounting"


def test_rating_outside_its_scale(folder: Path) -> None:
    _rewrite(
        folder / "knowledges_oasis_2023_v1.0.csv", lambda t: t.replace("Legislators,0,2", "Legislators,0,4")
    )
    _fails_cleanly(folder, "knowledges_oasis_2023_v1.0.csv", "row 2", "outside its scale 1–3")


def test_two_columns_for_one_descriptor(folder: Path) -> None:
    _rewrite(
        folder / "abilities_oasis_2023_v1.0.csv",
        lambda t: t.replace("Numerical Ability", "Deductive reasoning"),
    )
    _fails_cleanly(folder, "abilities_oasis_2023_v1.0.csv", "row 1", "both rate A01a03")


def test_bad_holland_letter(folder: Path) -> None:
    _rewrite(
        folder / "interests_oasis_2023_v1.0.csv",
        lambda t: t.replace("Legislators,E,S,c", "Legislators,E,S,X"),
    )
    _fails_cleanly(folder, "interests_oasis_2023_v1.0.csv", "row 2", "not a Holland code")


def test_missing_required_file(folder: Path) -> None:
    (folder / "guide_oasis_2023_v1.0.csv").unlink()
    _fails_cleanly(folder, "guide_oasis_<version>.csv")


def test_a_file_is_not_a_folder() -> None:
    with pytest.raises(SourceFormatError, match="not a folder"):
        load_source(EmbeddedStore(), "oasis", FIXTURE / "labels_oasis_2023_v1.0.csv")


def test_optional_files_missing_are_warned(folder: Path) -> None:
    (folder / "workcontext_oasis_2023_v1.0.csv").unlink()
    report = load_source(EmbeddedStore(), "oasis", folder)
    assert "work context ratings (mcg:OccupationRating)" not in report.counts
    assert any("workcontext" in w.reason for w in report.warnings)


# -- fuzzing ------------------------------------------------------------------------------------------

FILES = sorted(p.name for p in FIXTURE.glob("*.csv"))


def _edit_cell(draw: st.DrawFn, data: bytes) -> bytes:
    """A cell replaced by random text (the file stays UTF-8 with BOM)."""
    cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10)
    return ("\ufeff" + replace_cell(draw, data.decode("utf-8-sig"), ",", cells)).encode("utf-8")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_files(FIXTURE, FILES, _edit_cell))
def test_fuzz_damaged_files_never_crash(case: tuple[str, bytes]) -> None:
    read_damaged("oasis", FIXTURE, *case)  # raises anything but McgraphError


# -- the real download ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> tuple[EmbeddedStore, LoadReport, Path]:
    from conftest import shared_path

    folder = shared_path("oasis")
    store = EmbeddedStore()
    return store, load_source(store, "oasis", folder), folder


def _nonzero_cells(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return sum(1 for row in rows[1:] for cell in row[2:] if cell.strip() and float(cell) != 0)


@pytest.mark.realdata
@pytest.mark.slow
def test_real_900_profiles_over_516_unit_groups(real: tuple[EmbeddedStore, LoadReport, Path]) -> None:
    store, report, _ = real
    assert report.version == "2023-v1.0"
    assert count(store, f"GRAPH <{GRAPH}> {{ ?p a mcg:Occupation }}") == 900
    assert count(store, "SELECT DISTINCT ?u WHERE { ?p a mcg:Occupation ; skos:broader ?u }") == 516
    assert (
        count(
            store,
            """?u skos:inScheme <https://w3id.org/mcgraph/id/noc/2021> ; skos:notation ?n
                            FILTER(STRLEN(?n) = 5)""",
        )
        == 516
    )
    assert report.counts["NOC 2021 broad categories"] == 10 and report.counts["NOC 2021 minor groups"] == 162
    # Every profile's unit group is in the NOC structure file and reaches a broad category.
    assert (
        count(
            store,
            """?p a mcg:Occupation FILTER NOT EXISTS {
        ?p skos:broader/skos:broader/skos:broader/skos:broader/skos:broader/skos:topConceptOf ?s }""",
        )
        == 0
    )


@pytest.mark.realdata
@pytest.mark.slow
def test_real_ratings_equal_the_nonzero_cells(real: tuple[EmbeddedStore, LoadReport, Path]) -> None:
    store, report, folder = real
    expected = sum(_nonzero_cells(folder / f"{stem}_oasis_2023_v1.0.csv") for stem in RATING_FILES)
    assert count(store, "?r a mcg:SkillRequirement") == expected
    context = _nonzero_cells(folder / "workcontext_oasis_2023_v1.0.csv")
    assert (
        count(
            store,
            "?r a mcg:OccupationRating ; mcg:fromTaxonomy <https://w3id.org/mcgraph/id/oasis/work-context>",
        )
        == context
    )
    # Every rating column was matched to a guide descriptor.
    assert not [k for k in report.counts if k.startswith("columns not matched")]
    # No requirement lies outside its scale.
    assert (
        count(
            store,
            """?r mcg:requiredLevel|mcg:importance ?v ; mcg:levelScale|mcg:importanceScale ?s .
        ?s mcg:scaleMinimum ?lo ; mcg:scaleMaximum ?hi FILTER(?v < ?lo || ?v > ?hi)""",
        )
        == 0
    )


@pytest.mark.realdata
@pytest.mark.slow
def test_real_value_matches_the_file(real: tuple[EmbeddedStore, LoadReport, Path]) -> None:
    store, _, folder = real
    with (folder / "skills_oasis_2023_v1.0.csv").open(encoding="utf-8-sig", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["OaSIS Code - Final"] == "21232.00")
    level = one(
        store,
        f"""SELECT ?l WHERE {{ <{P}21232.00> mcg:hasSkillRequirement ?r .
        ?r mcg:requiredSkill/skos:prefLabel "Reading Comprehension"@en ; mcg:requiredLevel ?l }}""",
    )
    assert level == row["Reading Comprehension"].strip()


def test_skos_integrity_check_passes_strictly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_skos_check_passes_strictly(tmp_path / "store", capsys, "oasis", FIXTURE, "oasis/2023-v1.0")
