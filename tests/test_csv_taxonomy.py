"""The CSV + YAML mapping taxonomy loader, on the worked example in data/examples/digital-skills."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loader_support import first_column as col  # sorted values of the first projected variable

from mcgraph.errors import McgraphError, SourceFormatError
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH, MCG
from mcgraph.checks.skos import check_skos
from mcgraph.sources.csv_taxonomy import read_mapping
from mcgraph.store import EmbeddedStore

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "digital-skills"
MAPPING = EXAMPLE / "mapping.yaml"
BASE = "https://example.org/digital-skills/"
SCHEME = "https://example.org/digital-skills"



@pytest.fixture(scope="module")
def loaded():
    store = EmbeddedStore()
    return store, load_source(store, "csv-taxonomy", MAPPING)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A copy of the example to break."""
    shutil.copy(MAPPING, tmp_path / "mapping.yaml")
    shutil.copy(EXAMPLE / "digital-skills.csv", tmp_path / "digital-skills.csv")
    return tmp_path


def edit_mapping(folder: Path, change) -> Path:
    path = folder / "mapping.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def rows_of(folder: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / "digital-skills.csv").read_text(encoding="utf-8"), newline="")))


def write_csv(folder: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    (folder / "digital-skills.csv").write_bytes(buffer.getvalue().encode(encoding))


# -- the worked example --------------------------------------------------------------------------

def test_example_counts(loaded) -> None:
    store, report = loaded
    assert report.graph == str(GRAPH["csv-taxonomy/digital-skills/2025.1"])
    assert report.counts["rows"] == 11 and report.counts["concepts"] == 11
    assert report.counts["top concepts"] == 3
    assert report.counts["SKOS errors"] == 0 and report.counts["SKOS warnings"] == 0
    assert [f.name for f in report.files] == ["mapping.yaml", "digital-skills.csv"]
    assert store.count(report.graph) == report.triples == 99


def test_example_concepts(loaded) -> None:
    store, _ = loaded
    assert col(store, "SELECT ?c WHERE { ?c skos:inScheme ?s ; a mcg:Skill }", s=SCHEME) == sorted(
        BASE + c for c in ("DATA.1", "DATA.2", "DATA.3", "SEC.1", "SEC.2", "DEV.1", "DEV.2", "DEV.2.1"))
    assert col(store, "SELECT ?c WHERE { ?c skos:topConceptOf ?s }", s=SCHEME) == [BASE + "DATA", BASE + "DEV",
                                                                                  BASE + "SEC"]
    assert col(store, "SELECT ?l WHERE { ?c skos:prefLabel ?l }", c=BASE + "DEV.1") == ["Gestion de versions",
                                                                                      "Version control"]
    assert col(store, "SELECT ?l WHERE { ?c skos:altLabel ?l }", c=BASE + "DEV.1") == ["Git", "Source control"]
    assert col(store, "SELECT ?b WHERE { ?c skos:broader ?b }", c=BASE + "DEV.2.1") == [BASE + "DEV.2"]
    assert col(store, "SELECT ?n WHERE { ?c skos:notation ?n }", c=BASE + "SEC.2") == ["SEC.2"]
    langs = store.query("SELECT ?l ?c WHERE { ?c skos:prefLabel ?l }", {"c": ox.NamedNode(BASE + "SEC.2")})
    assert sorted((t.value, t.language) for t in (r["l"] for r in langs)) == [
        ("Phishing awareness", "en"), ("Sensibilisation à l'hameçonnage", "fr")]
    assert col(store, "SELECT ?l WHERE { ?s skos:prefLabel ?l }", s=SCHEME) == ["Digital skills framework (example)"]


def test_example_passes_skos_checks(loaded) -> None:
    store, report = loaded
    skos = check_skos(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(report.graph)))
    assert skos.issues == [] and skos.concepts == 11


def test_other_delimiter_and_encoding(workdir: Path, store: EmbeddedStore) -> None:
    write_csv(workdir, rows_of(workdir), encoding="cp1252", delimiter=";")
    path = edit_mapping(workdir, lambda m: m.update(encoding="cp1252", delimiter=";"))
    report = load_source(store, "csv-taxonomy", path)
    assert report.counts["rows"] == 11
    assert "Sensibilisation à l'hameçonnage" in col(store, "SELECT ?l WHERE { ?c skos:prefLabel ?l }",
                                                     c=BASE + "SEC.2")


def test_type_default_and_single_language(workdir: Path, store: EmbeddedStore) -> None:
    def change(m: dict) -> None:
        m["columns"]["prefLabel"] = "Skill name"
        m["columns"]["type"] = {"default": "mcg:Skill"}
        del m["version"]
    report = load_source(store, "csv-taxonomy", edit_mapping(workdir, change))
    assert report.graph == str(GRAPH["csv-taxonomy/digital-skills"])
    assert len(col(store, "SELECT ?c WHERE { ?c a ?t }", t=str(MCG.Skill))) == 11


def test_external_broader_is_allowed_and_warned(workdir: Path, store: EmbeddedStore) -> None:
    rows = rows_of(workdir)
    rows[1][5] = "escoskill:S1"
    write_csv(workdir, rows)
    report = load_source(store, "csv-taxonomy", workdir / "mapping.yaml")
    assert col(store, "SELECT ?b WHERE { ?c skos:broader ?b }", c=BASE + "DATA") == [
        "http://data.europa.eu/esco/skill/S1"]
    assert report.counts["SKOS warnings"] >= 1
    assert any("undefined-broader" in str(w) for w in report.warnings)


def test_cycle_fails_strict_and_warns_otherwise(workdir: Path, store: EmbeddedStore) -> None:
    rows = rows_of(workdir)
    rows[1][5] = "DATA.1"  # DATA → DATA.1 → DATA
    write_csv(workdir, rows)
    before = set(store.oxigraph)
    with pytest.raises(SourceFormatError, match="broader-cycle"):
        load_source(store, "csv-taxonomy", workdir / "mapping.yaml")
    assert set(store.oxigraph) == before
    report = load_source(store, "csv-taxonomy", edit_mapping(workdir, lambda m: m.update(strict=False)))
    assert report.counts["SKOS errors"] == 1


# -- bad mapping files ---------------------------------------------------------------------------

def expect_mapping_error(store: EmbeddedStore, path: Path, field: str, *reason: str) -> SourceFormatError:
    before = set(store.oxigraph)
    with pytest.raises(SourceFormatError) as info:
        load_source(store, "csv-taxonomy", path)
    assert set(store.oxigraph) == before
    error = info.value
    assert error.path == str(path) and error.field == field, str(error)
    for text in reason:
        assert text in error.reason
    return error


def test_column_not_in_csv_names_mapping_field_and_header(workdir: Path, store: EmbeddedStore) -> None:
    path = edit_mapping(workdir, lambda m: m["columns"].update(definition="Descripton"))
    error = expect_mapping_error(store, path, "columns.definition", "'Descripton'", "digital-skills.csv",
                                 "'Code', 'Skill name'")
    assert "mapping.yaml" in str(error)


def test_language_column_not_in_csv(workdir: Path, store: EmbeddedStore) -> None:
    path = edit_mapping(workdir, lambda m: m["columns"]["prefLabel"][1].update(column="Name (de)"))
    expect_mapping_error(store, path, "columns.prefLabel", "'Name (de)'")


@pytest.mark.parametrize(("change", "field", "reason"), [
    (lambda m: m.update(sheet="x.csv"), "sheet", "unknown key"),
    (lambda m: m["columns"].update(label="Skill name"), "columns.label", "unknown field"),
    (lambda m: m["columns"].pop("id"), "columns.id", "missing required field"),
    (lambda m: m.pop("base"), "base", "missing required key"),
    (lambda m: m.update(base="not an iri"), "base", "not an absolute IRI"),
    (lambda m: m.update(language="english!"), "language", "not a language tag"),
    (lambda m: m.update(encoding="klingon-8"), "encoding", "unknown text encoding"),
    (lambda m: m.update(delimiter=";;"), "delimiter", "one character"),
    (lambda m: m.update(strict="yes please"), "strict", "true or false"),
    (lambda m: m.update(csv="missing.csv"), "csv", "does not exist"),
    (lambda m: m["columns"]["type"]["values"].update(area="nope:Thing"), "columns.type.values.area",
     "not an absolute IRI"),
    (lambda m: m["columns"].update(type="mcg:Skill"), "columns.type", "expected a table"),
    (lambda m: m["columns"].update(altLabels={"column": "Also known as", "sep": ";"}), "columns.altLabels",
     "unknown key"),
    (lambda m: m["columns"].update(definition={"column": "Description", "separator": "|"}),
     "columns.definition.separator", "one value per row"),
    (lambda m: m["scheme"].update(colour="green"), "scheme", "unknown key"),
])
def test_bad_mapping(workdir: Path, store: EmbeddedStore, change, field: str, reason: str) -> None:
    expect_mapping_error(store, edit_mapping(workdir, change), field, reason)


def test_yaml_syntax_error_names_line(workdir: Path, store: EmbeddedStore) -> None:
    path = workdir / "mapping.yaml"
    path.write_text("csv: x.csv\ncolumns: [unclosed\nbase: y\n", encoding="utf-8")
    with pytest.raises(SourceFormatError) as info:
        load_source(store, "csv-taxonomy", path)
    assert info.value.line is not None and "not valid YAML" in info.value.reason


def test_mapping_must_be_a_table(workdir: Path) -> None:
    (workdir / "mapping.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="YAML table"):
        read_mapping(workdir / "mapping.yaml")


# -- bad CSV rows --------------------------------------------------------------------------------

def expect_row_error(store: EmbeddedStore, folder: Path, row: int, *reason: str) -> SourceFormatError:
    before = set(store.oxigraph)
    with pytest.raises(SourceFormatError) as info:
        load_source(store, "csv-taxonomy", folder / "mapping.yaml")
    assert set(store.oxigraph) == before
    error = info.value
    assert error.path == str(folder / "digital-skills.csv") and error.row == row, str(error)
    for text in reason:
        assert text in error.reason, error.reason
    return error


@pytest.mark.parametrize(("row", "column", "value", "reason"), [
    (4, 0, "", "identifier column 'Code' is empty"),
    (5, 0, "DATA.1", "appears again (first in row 3)"),
    (6, 5, "NOPE", "broader 'NOPE'"),
    (7, 6, "skills", "type value 'skills'"),
    (8, 6, "", "type value ''"),
])
def test_bad_rows(workdir: Path, store: EmbeddedStore, row: int, column: int, value: str, reason: str) -> None:
    rows = rows_of(workdir)
    rows[row - 1][column] = value
    write_csv(workdir, rows)
    expect_row_error(store, workdir, row, reason)


def test_row_without_preferred_label(workdir: Path, store: EmbeddedStore) -> None:
    rows = rows_of(workdir)
    rows[2][1] = rows[2][2] = ""
    write_csv(workdir, rows)
    assert expect_row_error(store, workdir, 3, "no preferred label").field == "Skill name"


def test_truncated_csv(workdir: Path, store: EmbeddedStore) -> None:
    data = (workdir / "digital-skills.csv").read_bytes()
    (workdir / "digital-skills.csv").write_bytes(data[: data.index(b"Password management") + 8])
    expect_row_error(store, workdir, 7, "expected 7 cells")


def test_wrong_encoding_names_the_row(workdir: Path, store: EmbeddedStore) -> None:
    write_csv(workdir, rows_of(workdir), encoding="cp1252")
    error = expect_row_error(store, workdir, 2, "not valid utf-8")
    assert error.line == 2


def test_header_only(workdir: Path, store: EmbeddedStore) -> None:
    write_csv(workdir, rows_of(workdir)[:1])
    expect_row_error(store, workdir, 2, "no rows")


# -- fuzzing -------------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
MAPPING_DATA = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
HEADER = rows_of(EXAMPLE)[0]
texts = st.text(max_size=10)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), texts, st.sampled_from(HEADER + [
    "mcg:Skill", "skos:Concept", "https://example.org/x/", "en", "utf-8", ",", ";"]))
fragments = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["column", "language", "separator", "values", "default", "iri", "label",
                                     "x"]), inner, max_size=3)), max_leaves=8)


def _attempt(path: Path) -> None:
    try:
        load_source(EmbeddedStore(), "csv-taxonomy", path)
    except McgraphError:
        pass


@FUZZ
@given(top=st.dictionaries(st.sampled_from(sorted(MAPPING_DATA) + ["other"]), fragments, max_size=6),
       columns=st.dictionaries(st.sampled_from(sorted(MAPPING_DATA["columns"]) + ["other"]), fragments, max_size=7),
       keep=st.booleans())
def test_fuzz_mapping(tmp_path: Path, top: dict, columns: dict, keep: bool) -> None:
    shutil.copy(EXAMPLE / "digital-skills.csv", tmp_path / "digital-skills.csv")
    data = dict(MAPPING_DATA) if keep else {}
    data.update(top)
    data["columns"] = {**(MAPPING_DATA["columns"] if keep else {}), **columns}
    (tmp_path / "mapping.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _attempt(tmp_path / "mapping.yaml")


@FUZZ
@given(text=st.text(max_size=400))
def test_fuzz_mapping_text(tmp_path: Path, text: str) -> None:
    (tmp_path / "mapping.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    _attempt(tmp_path / "mapping.yaml")


@FUZZ
@given(rows=st.lists(st.lists(st.one_of(texts, st.sampled_from(["DATA", "DEV", "skill", "area", "x;y"])),
                              min_size=6, max_size=8), max_size=8),
       raw=st.binary(max_size=60), use_raw=st.booleans())
def test_fuzz_csv(tmp_path: Path, rows: list[list[str]], raw: bytes, use_raw: bool) -> None:
    shutil.copy(MAPPING, tmp_path / "mapping.yaml")
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADER] + rows)
    data = buffer.getvalue().encode("utf-8", "surrogatepass")
    (tmp_path / "digital-skills.csv").write_bytes(data + raw if use_raw else data)
    _attempt(tmp_path / "mapping.yaml")
