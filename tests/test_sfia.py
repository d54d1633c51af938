"""The SFIA loader: the skills CSV download layout (Windows-1252) and SFIA's RDF, on invented fixtures.

SFIA is licensed, so the fixtures carry real skill codes and category names but invented descriptions.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loader_support import first_column as values  # sorted values of the first projected variable

from mcgraph.errors import McgraphError, SourceFormatError
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH
from mcgraph.skos_check import check_skos
from mcgraph.sources import LoadReport
from mcgraph.sources.sfia import SOURCE, SfiaTerms
from mcgraph.store import EmbeddedStore

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sfia"
CSV_FILE = FIXTURES / "sfia-9_test_SKILLS.csv"
RDF_FILE = FIXTURES / "sfia-9_test.ttl"
V9 = SfiaTerms("9")
LEVELS_DEFINED = {"PROG": [2, 3, 4, 5, 6, 7], "TEST": [1, 2, 3, 4, 5, 6], "DTAN": [3, 4, 5, 6], "ITSP": [4, 5, 6, 7]}



@pytest.fixture(scope="module")
def loaded() -> tuple[EmbeddedStore, LoadReport]:
    store = EmbeddedStore()
    return store, load_source(store, "sfia", CSV_FILE)


def fixture_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(CSV_FILE.read_bytes().decode("cp1252"), newline="")))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "cp1252") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_fixture_is_windows_1252_with_non_ascii() -> None:
    data = CSV_FILE.read_bytes()
    assert b"\x96" in data and b"\xe9" in data  # en dash and é in Windows-1252
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


# -- CSV -----------------------------------------------------------------------------------------

def test_counts_and_graph(loaded) -> None:
    store, report = loaded
    assert report.version == "9" and report.graph == str(GRAPH["sfia/9"])
    assert report.counts["skills"] == 4
    assert report.counts["skills at levels"] == sum(map(len, LEVELS_DEFINED.values())) == 20
    assert report.counts["categories"] == 5  # 2 categories + 3 subcategories
    assert report.warnings == []
    assert [f.name for f in report.files] == [CSV_FILE.name]
    assert store.count(report.graph) == report.triples


def test_text_decoded_from_windows_1252(loaded) -> None:
    store, _ = loaded
    prog = values(store, "SELECT ?d WHERE { ?s skos:definition ?d }", s=V9.skill("PROG").value)
    assert prog == ["Invented test text: turning designs into working code – and keeping it tidy."]
    dtan = values(store, "SELECT ?d WHERE { ?s skos:definition ?d }", s=V9.skill("DTAN").value)
    assert dtan[0].endswith("café-style.")


def test_skills(loaded) -> None:
    store, _ = loaded
    rows = store.query("""SELECT ?code ?label ?parent ?top ?scheme WHERE {
        ?s a mcg:Skill ; skos:notation ?code ; skos:prefLabel ?label ; skos:inScheme ?scheme ;
           skos:broader ?parent . ?parent skos:broader ?top . ?top skos:topConceptOf ?scheme }""",
                       {"scheme": V9.scheme}).dicts()
    by_code = {r["code"]: r for r in rows}
    assert sorted(by_code) == sorted(LEVELS_DEFINED)
    assert by_code["ITSP"]["label"] == "Strategic planning"
    assert by_code["DTAN"]["parent"] == V9.category("Data and analytics").value
    assert by_code["PROG"]["top"] == V9.category("Development and implementation").value
    assert V9.category("Development and implementation").value.endswith("/categories/development_and_implementation")
    notes = values(store, "SELECT ?n WHERE { ?s skos:scopeNote ?n }", s=V9.skill("PROG").value)
    assert notes == ["Invented guidance for the fixture.\nIt spans two lines."]
    assert values(store, "SELECT ?u WHERE { ?s rdfs:seeAlso ?u }", s=V9.skill("TEST").value) == [
        "https://sfia-online.org/en/skillcode/9/TEST"]


@pytest.mark.parametrize("code", sorted(LEVELS_DEFINED))
def test_skill_at_level_concepts(loaded, code: str) -> None:
    store, _ = loaded
    rows = store.query("""SELECT ?n ?def ?lor ?scale ?skill WHERE { ?sl a mcg:SkillLevelConcept ; mcg:skillAtLevelOf ?skill ;
        mcg:levelValue ?n ; skos:definition ?def ; mcg:proficiencyLevel ?lor ; mcg:levelScale ?scale }
        ORDER BY ?n""", {"skill": V9.skill(code)}).dicts()
    assert [int(r["n"]) for r in rows] == LEVELS_DEFINED[code]
    for r in rows:
        assert r["def"].startswith(f"Invented {code} level {r['n']} text")
        assert r["lor"] == V9.lor(int(r["n"])).value and r["scale"] == V9.scale.value


def test_levels_of_responsibility_and_scale(loaded) -> None:
    store, _ = loaded
    levels = values(store, "SELECT ?n WHERE { ?l skos:inScheme ?levels ; mcg:levelValue ?n }", levels=V9.levels.value)
    assert levels == [str(n) for n in range(1, 8)]
    bounds = store.query("SELECT ?lo ?hi ?s WHERE { ?s a mcg:RatingScale ; mcg:scaleMinimum ?lo ; mcg:scaleMaximum ?hi }",
                         {"s": V9.scale}).dicts()
    assert [(b["lo"], b["hi"]) for b in bounds] == [("1", "7")]


def test_result_passes_skos_checks(loaded) -> None:
    store, report = loaded
    skos = check_skos(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(report.graph)))
    assert skos.issues == []
    assert skos.concepts == 4 + 20 + 5 + 7


def test_version_option_changes_iris_and_graph(store: EmbeddedStore) -> None:
    report = load_source(store, "sfia", CSV_FILE, version="8")
    assert report.graph == str(GRAPH["sfia/8"])
    v8 = SfiaTerms("8")
    assert values(store, "SELECT ?c WHERE { ?s skos:notation ?c ; skos:inScheme ?scheme }",
                  s=v8.skill("PROG").value, scheme=v8.scheme.value) == ["PROG"]


def test_version_is_read_from_the_file_name(tmp_path: Path) -> None:
    assert SOURCE.detect_version(CSV_FILE) == "9"
    assert SOURCE.detect_version(tmp_path / "sfia-8_en_220221.csv") == "8"
    assert SOURCE.detect_version(tmp_path / "skills.csv") == "9"


def test_utf8_resave_is_read_with_a_warning(store: EmbeddedStore, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "resaved.csv", fixture_rows(), encoding="utf-8")
    report = load_source(store, "sfia", path, version="9")
    assert any("UTF-8" in str(w) for w in report.warnings)
    assert values(store, "SELECT ?d WHERE { ?s skos:definition ?d }", s=V9.skill("DTAN").value)[0].endswith("café-style.")


def test_missing_level_description_is_warned(store: EmbeddedStore, tmp_path: Path) -> None:
    rows = fixture_rows()
    rows[2][rows[0].index("Level 3 description")] = ""
    rows[2][rows[0].index("Level 7 description")] = "Invented orphan text."
    report = load_source(store, "sfia", write_rows(tmp_path / "x.csv", rows), version="9")
    reasons = [str(w) for w in report.warnings]
    assert any("row 3" in r and "level 3 description is empty" in r for r in reasons)
    assert any("row 3" in r and "level 7 description but the level columns do not list" in r for r in reasons)


# -- SFIA's RDF ----------------------------------------------------------------------------------

def test_sfia_rdf(store: EmbeddedStore) -> None:
    report = load_source(store, "sfia", RDF_FILE)
    assert report.version == "9" and report.counts["skills"] == 2 and report.counts["skills at levels"] == 3
    rows = store.query("""SELECT ?sl ?n ?def ?skill WHERE { ?sl a mcg:SkillLevelConcept ; mcg:skillAtLevelOf ?skill ;
        mcg:levelValue ?n ; skos:definition ?def } ORDER BY ?n""", {"skill": V9.skill("PROG")}).dicts()
    assert [(r["sl"], r["n"]) for r in rows] == [(V9.skill_level("PROG", 3).value, "3"),
                                                 (V9.skill_level("PROG", 4).value, "4")]
    assert values(store, "SELECT ?l WHERE { ?s a mcg:Skill ; skos:prefLabel ?l }", s=V9.skill("TEST").value) == [
        "Functional testing"]
    assert values(store, "SELECT ?b WHERE { ?s skos:broader ?b }", s=V9.skill("PROG").value) == [
        V9.category("Systems development").value]
    skos = check_skos(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(report.graph)))
    assert skos.errors == []


def test_csv_and_rdf_make_the_same_iris(store: EmbeddedStore) -> None:
    load_source(store, "sfia", RDF_FILE, graph="urn:test:rdf")
    load_source(store, "sfia", CSV_FILE, graph="urn:test:csv")
    q = "SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s a mcg:SkillLevelConcept } }"
    rdf = set(store.query(q, {"g": ox.NamedNode("urn:test:rdf")}).values("s"))
    csv_ = set(store.query(q, {"g": ox.NamedNode("urn:test:csv")}).values("s"))
    assert rdf and rdf <= csv_


def test_rdf_without_sfia_skills_is_refused(store: EmbeddedStore, tmp_path: Path) -> None:
    other = tmp_path / "other.ttl"
    other.write_text("<http://ex/a> <http://ex/p> <http://ex/b> .\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="no SFIA skills"):
        load_source(store, "sfia", other)


# -- bad input -----------------------------------------------------------------------------------

@pytest.fixture
def guarded(store: EmbeddedStore):
    """A store holding one loaded graph; yields a loader that asserts a failed load changes nothing."""
    load_source(store, "sfia", RDF_FILE)
    before = set(store.oxigraph)

    def attempt(path: Path) -> SourceFormatError:
        with pytest.raises(SourceFormatError) as info:
            load_source(store, "sfia", path, version="9", graph="urn:test:bad")
        assert set(store.oxigraph) == before
        assert info.value.path == str(path)
        return info.value

    return attempt


def test_truncated_file(guarded, tmp_path: Path) -> None:
    data = CSV_FILE.read_bytes()
    cut = data.index(b"Invented DTAN level 4")
    path = tmp_path / "cut.csv"
    path.write_bytes(data[:cut])
    error = guarded(path)
    assert error.row == 4 and "expected 22 cells" in error.reason
    path.write_bytes(data[: data.index(b"It spans")])  # inside a quoted cell
    error = guarded(path)
    assert error.row == 2


def test_wrong_encoding(guarded, tmp_path: Path) -> None:
    data = CSV_FILE.read_bytes()
    at = data.index(b"Strategic planning")
    path = tmp_path / "bad-byte.csv"
    path.write_bytes(data[:at] + b"\x81" + data[at:])
    error = guarded(path)
    assert error.row == 5 and "cp1252" in error.reason and "0x81" in error.reason
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(data.decode("cp1252").encode("utf-16"))
    assert guarded(utf16).row == 1


@pytest.mark.parametrize("column", ["Code", "Guidance notes", "Level 4 description"])
def test_missing_column(guarded, tmp_path: Path, column: str) -> None:
    rows = fixture_rows()
    i = rows[0].index(column)
    error = guarded(write_rows(tmp_path / "x.csv", [r[:i] + r[i + 1:] for r in rows]))
    assert error.row == 1 and repr(column) in error.reason and error.field == column


def test_wrong_number_of_level_columns(guarded, tmp_path: Path) -> None:
    rows = [r[:1] + r[2:] for r in fixture_rows()]
    assert "seven level columns" in guarded(write_rows(tmp_path / "x.csv", rows)).reason


@pytest.mark.parametrize(("row", "column", "value", "reason"), [
    (3, "Code", "TE ST", "not a code"),
    (4, "Code", "PROG", "appears again (first in row 2)"),
    (5, "Skill", "", "has no name"),
    (2, 3, "three", "not a level 1–7"),
    (2, 5, "9", "not a level 1–7"),
])
def test_bad_cells(guarded, tmp_path: Path, row: int, column: str | int, value: str, reason: str) -> None:
    rows = fixture_rows()
    at = column if isinstance(column, int) else rows[0].index(column)
    rows[row - 1][at] = value
    error = guarded(write_rows(tmp_path / "x.csv", rows))
    assert error.row == row and reason in error.reason


def test_empty_and_header_only(guarded, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty" in guarded(empty).reason
    assert "no skills" in guarded(write_rows(tmp_path / "header.csv", fixture_rows()[:1])).reason


# -- fuzzing -------------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER = fixture_rows()[0]


def _load_or_fail(path: Path) -> None:
    try:
        load_source(EmbeddedStore(), "sfia", path, version="9")
    except McgraphError:
        pass


@FUZZ
@given(data=st.binary(max_size=2000))
def test_fuzz_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    _load_or_fail(path)


@FUZZ
@given(rows=st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=24), max_size=6),
       header=st.booleans())
def test_fuzz_rows_under_a_real_header(tmp_path: Path, rows: list[list[str]], header: bool) -> None:
    path = tmp_path / "fuzz.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(([HEADER] if header else []) + rows)
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    _load_or_fail(path)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(CSV_FILE.read_bytes())),
       insert=st.binary(max_size=8), drop=st.integers(min_value=0, max_value=40))
def test_fuzz_mutated_fixture(tmp_path: Path, cut: int, insert: bytes, drop: int) -> None:
    data = CSV_FILE.read_bytes()
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data[:cut] + insert + data[cut + drop:])
    _load_or_fail(path)
