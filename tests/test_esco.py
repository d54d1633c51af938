"""ESCO loader: the CSV export (hand-written fixture in the real layout; the real v1.1.1 and v1.2.0 downloads)
and ESCO RDF dumps; bad input names file and row and leaves the store as it was; fuzzed with hypothesis."""

from __future__ import annotations

import csv
import gzip
import io
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, shared_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcgraph.cli.app import cli
from mcgraph.errors import McgraphError, SourceFormatError
from mcgraph.loading import load_source
from mcgraph.queries import run_query
from mcgraph.sources import get_source
from mcgraph.sources.base import LoadReport
from mcgraph.sources.esco import EscoSource, rdf_dump_extras, requirement_iri
from mcgraph.sources.esco_csv import find_files, read_columns, split_values
from mcgraph.store import EmbeddedStore

ESCO_FIXTURE = FIXTURES / "esco"
TTL = ESCO_FIXTURE / "rdf" / "esco-sample.ttl"
E = "http://data.europa.eu/esco/"
SOFTWARE_DEVELOPER = E + "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
BLOCKCHAIN_DEVELOPER = E + "occupation/24135b84-cbdd-4d42-9ed2-02fd982d15b2"
GONE = E + "occupation/a9e54177-a185-404d-b6e6-15663d31137e"
DEBUG = E + "skill/2522a6ce-3202-4ac8-9f5b-b9cb5a3a83a1"
PROGRAMMING = E + "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97"
ICT_SAFETY = E + "skill/426ceaba-6867-481c-bb6b-aee3933da7d2"
DIGITAL = E + "concept-scheme/6c930acd-c104-4ece-acf7-f44fd7333036"
GRAPH = "https://w3id.org/mcgraph/graph/esco/"
PREFIXES = """PREFIX esco: <http://data.europa.eu/esco/model#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX mcg: <https://w3id.org/mcgraph/ontology#>
"""


def copy_fixture(tmp: Path, name: str = "v1.1.1") -> Path:
    folder = tmp / name
    shutil.copytree(ESCO_FIXTURE, folder, ignore=shutil.ignore_patterns("rdf"))
    return folder


def count(store: EmbeddedStore, graph: str, pattern: str) -> int:
    q = f"{PREFIXES}SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"
    return int(store.query(q, union_default_graph=False).rows[0][0].value)  # type: ignore[union-attr]


def values(store: EmbeddedStore, s: str, p: str) -> set[str]:
    q = f"{PREFIXES}SELECT ?o WHERE {{ <{s}> {p} ?o }}"
    return {o for o in store.query(q).values("o") if o is not None}


def graph_triples(store: EmbeddedStore, graph: str) -> set[ox.Triple]:
    g = ox.NamedNode(graph)
    return {ox.Triple(q.subject, q.predicate, q.object) for q in store.oxigraph.quads_for_pattern(None, None, None, g)}


@pytest.fixture(scope="module")
def loaded() -> tuple[EmbeddedStore, LoadReport]:
    store = EmbeddedStore()
    report = load_source(store, "esco", ESCO_FIXTURE, version="1.1.1")
    return store, report


# -- the fixture export ----------------------------------------------------------------------------

def test_fixture_counts_kinds_of_things(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, report = loaded
    g = GRAPH + "1.1.1"
    assert report.graph == g and report.version == "1.1.1"
    assert count(store, g, "?s a esco:Skill") == count(store, g, "?s a mcg:Skill") == report.counts["skills"] == 11
    assert count(store, g, "?s a esco:Occupation") == count(store, g, "?s a mcg:Occupation") == 3
    assert count(store, g, "?s a esco:GroupConcept ; skos:inScheme <http://data.europa.eu/esco/concept-scheme/isco>") == 5
    assert report.counts["ISCO groups"] == 5 and report.counts["skill groups"] == 11
    assert report.counts["occupation-skill links (essential)"] == 6
    assert report.counts["occupation-skill links (optional)"] == 6
    assert count(store, g, "?r mcg:requirementKind mcg:Essential") == 6
    assert count(store, g, "?r mcg:requirementKind mcg:Optional") == 6
    assert count(store, g, "?r a mcg:SkillRequirement") == 12
    # every triple written once: the report's count is the graph's size
    assert report.triples == store.count(g) > 300
    assert count(store, g, "?s ?p ?o FILTER(isBlank(?s) || isBlank(?o))") == 0


def test_fixture_concepts_iris_labels_and_codes(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded
    assert values(store, SOFTWARE_DEVELOPER, "skos:prefLabel") == {"software developer"}
    assert values(store, SOFTWARE_DEVELOPER, "skos:altLabel") == {"programmer", "software specialist",
                                                                 "application software developer"}
    assert values(store, SOFTWARE_DEVELOPER, "skos:notation") == {"2512.4"}
    assert values(store, SOFTWARE_DEVELOPER, "esco:memberOfISCOGroup") == {E + "isco/C2512"}
    assert values(store, SOFTWARE_DEVELOPER, "skos:broader") == {E + "isco/C2512"}
    assert values(store, BLOCKCHAIN_DEVELOPER, "skos:broader") == {SOFTWARE_DEVELOPER}
    assert values(store, SOFTWARE_DEVELOPER, "skos:inScheme") == {E + "concept-scheme/occupations",
                                                                 E + "concept-scheme/member-occupations"}
    label = store.query(f"SELECT ?l WHERE {{ <{SOFTWARE_DEVELOPER}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }}")
    assert label.rows[0][0] == ox.Literal("software developer", language="en")
    assert values(store, DEBUG, "esco:skillType") == {E + "skill-type/skill"}
    assert values(store, PROGRAMMING, "esco:skillType") == {E + "skill-type/knowledge"}
    assert values(store, PROGRAMMING, "esco:skillReuseLevel") == {E + "skill-reuse-level/cross-sector"}
    assert values(store, ICT_SAFETY, "esco:skillType") == set()
    # quotes, commas and a line break inside a quoted cell survive
    assert values(store, PROGRAMMING, "<http://purl.org/dc/terms/description>") == {
        'Test fixture: "programming", with quotes, commas, and\na second line.'}
    assert values(store, E + "isco/C2512", "skos:notation") == {"2512"}
    assert values(store, E + "isco/C2512", "skos:broader") == {E + "isco/C251"}


def test_fixture_hierarchy_collections_and_skill_relations(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, report = loaded
    g = GRAPH + "1.1.1"
    s_root = E + "skill/335228d2-297d-4e0e-a6ee-bc6a8dc110d9"
    ask = f"{PREFIXES}ASK {{ <{DEBUG}> skos:broader+ <{s_root}> }}"
    assert store.ask(ask)
    assert values(store, s_root, "skos:notation") == {"S"}
    assert values(store, E + "skill/a8c3186b-c791-4d57-8f4f-4d12c7a5c6a7", "skos:notation") == {"S5.1.0"}
    # collections are ESCO concept schemes: membership is skos:inScheme, written once per member
    assert count(store, g, f"?s skos:inScheme <{DIGITAL}>") == 6
    assert DIGITAL in values(store, E + "skill/08b04e53-ed25-41a2-9f90-0b9cd939ba3d", "skos:inScheme")
    assert E + "concept-scheme/8ae4b9f3-507e-4057-a145-2f96f0132613" in values(store, BLOCKCHAIN_DEVELOPER,
                                                                               "skos:inScheme")
    assert report.counts["collection members (digital)"] == 6
    assert values(store, DEBUG, "esco:relatedEssentialSkill") == {PROGRAMMING}
    assert report.counts["skill-skill links (optional)"] == 1


def test_fixture_essential_optional_and_requirement_nodes(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    store, _ = loaded
    rows = run_query(store, "esco-occupation-skills", occupation=SOFTWARE_DEVELOPER).dicts()
    assert [(r["label"], r["kind"]) for r in rows] == [
        ("computer programming", "essential"), ("debug software", "essential"),
        ("Python (computer programming)", "optional"), ("SQL", "optional"),
        ("use object-oriented programming", "optional")]
    assert rows[1]["type"] == "skill" and rows[0]["reuse"] == "cross-sector" and rows[0]["release"] == "esco/1.1.1"
    assert len(run_query(store, "esco-occupation-skills", occupation=SOFTWARE_DEVELOPER, relation="optional")) == 3
    needing = run_query(store, "esco-skill-occupations", skill=PROGRAMMING).dicts()
    assert [(r["label"], r["kind"], r["isco"]) for r in needing] == [
        ("blockchain developer", "essential", "2512"), ("software developer", "essential", "2512"),
        ("web developer", "essential", "2513")]
    req = requirement_iri("1.1.1", SOFTWARE_DEVELOPER, DEBUG)
    assert values(store, SOFTWARE_DEVELOPER, "mcg:hasSkillRequirement") >= {req}
    assert values(store, req, "mcg:requiredSkill") == {DEBUG}
    assert values(store, req, "mcg:requirementKind") == {"https://w3id.org/mcgraph/ontology#Essential"}


def test_fixture_warnings_name_file_and_row(loaded: tuple[EmbeddedStore, LoadReport]) -> None:
    _, report = loaded
    by_file: dict[tuple[str, int | None], list[str]] = {}
    for w in report.warnings:
        by_file.setdefault((w.path, w.row), []).append(w.reason)
    assert "is not in the occupations file" in by_file[("occupationSkillRelations.csv", 12)][0]
    assert GONE in by_file[("occupationSkillRelations.csv", 13)][0]
    assert report.counts["occupation-skill links, occupation unknown (loaded)"] == 2
    assert "skillType is blank" in by_file[("skills_en.csv", 8)][0]
    assert any(w.path == "occupationSkillRelations.csv" and w.row == 13 and "not in the skills file" in w.reason
               for w in report.warnings)
    assert any(w.row == 11 and "skillType is blank" in w.reason for w in report.warnings)
    # the dangling occupation's links are loaded (its relation rows count), but it is not typed an occupation
    assert not any("absent" in w.reason for w in report.warnings)


def test_reload_is_identical_and_requirements_can_be_left_out(tmp_path: Path) -> None:
    a, b, lean = EmbeddedStore(), EmbeddedStore(), EmbeddedStore()
    load_source(a, "esco", ESCO_FIXTURE, version="1.1.1")
    load_source(b, "esco", copy_fixture(tmp_path), version="1.1.1")
    assert graph_triples(a, GRAPH + "1.1.1") == graph_triples(b, GRAPH + "1.1.1")
    report = load_source(lean, EscoSource(skill_requirements=False), ESCO_FIXTURE, version="1.1.1")
    assert count(lean, GRAPH + "1.1.1", "?r a mcg:SkillRequirement") == 0
    assert count(lean, GRAPH + "1.1.1", f"<{SOFTWARE_DEVELOPER}> esco:relatedOptionalSkill ?s") == 3
    assert report.triples == store_size(a) - 12 * 4


def test_replace_swaps_a_release_in_place(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        first = load_source(store, "esco", ESCO_FIXTURE, version="1.1.1")
        before = graph_triples(store, GRAPH + "1.1.1")
        again = load_source(store, "esco", ESCO_FIXTURE, version="1.1.1", replace=True)
        assert again.triples == first.triples and graph_triples(store, GRAPH + "1.1.1") == before
        assert [r.graph for r in store.graph_records()] == [GRAPH + "1.1.1"]


def store_size(store: EmbeddedStore) -> int:
    return store.count(GRAPH + "1.1.1")


def test_version_from_folder_or_file_name_and_override(tmp_path: Path) -> None:
    src = get_source("esco")
    assert src.detect_version(Path("x/v1.2.0")) == "1.2.0"
    assert src.detect_version(Path("ESCO dataset - v1.1.1 - classification - en - csv")) == "1.1.1"
    assert src.detect_version(Path("dumps/esco_v1.1.1.ttl")) == "1.1.1"
    assert src.detect_version(Path("esco-v1.2/skills")) == "1.2"
    assert src.detect_version(Path("data/esco/latest")) is None
    assert src.detect_version(Path("downloads/2024.01.15/esco")) is None
    store = EmbeddedStore()
    report = load_source(store, "esco", copy_fixture(tmp_path, "v1.1.1"))
    assert report.version == "1.1.1" and store.contains_graph(GRAPH + "1.1.1")
    report = load_source(store, "esco", copy_fixture(tmp_path / "o", "v1.1.1"), version="0.9")
    assert store.contains_graph(GRAPH + "0.9")
    report = load_source(store, "esco", ESCO_FIXTURE)
    assert report.graph == GRAPH + "unversioned"


def test_v12_layout_loads_what_is_present_and_warns_about_the_rest(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path, "v1.2.0")
    for stem in ("broaderRelationsOccPillar", "broaderRelationsSkillPillar", "skillSkillRelations"):
        (folder / f"{stem}.csv").rename(folder / f"{stem}_en.csv")
    (folder / "skills_en.csv").unlink()
    (folder / "occupationSkillRelations.csv").unlink()
    assert find_files(folder).layout == "1.2" and find_files(ESCO_FIXTURE).layout == "1.1"
    store = EmbeddedStore()
    report = load_source(store, "esco", folder)
    assert report.version == "1.2.0"
    assert report.counts["occupations"] == 3 and "skills" not in report.counts
    assert report.counts["broader links (skill pillar)"] == 14
    absent = sorted(w.path for w in report.warnings if "standard ESCO file absent" in w.reason)
    assert absent == ["occupationSkillRelations.csv", "skills_en.csv"]
    assert store.count(GRAPH + "1.2.0") == report.triples


def test_gzipped_files_and_column_order_make_no_difference(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    rel = folder / "occupationSkillRelations.csv"
    (folder / "occupationSkillRelations.csv.gz").write_bytes(gzip.compress(rel.read_bytes()))
    rel.unlink()
    skills = folder / "skills_en.csv"
    rows = list(csv.reader(io.StringIO(skills.read_text(encoding="utf-8"), newline="")))
    order = list(reversed(range(len(rows[0]))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[r[i] for i in order] for r in rows])
    skills.write_text(out.getvalue(), encoding="utf-8", newline="")
    a, b = EmbeddedStore(), EmbeddedStore()
    load_source(a, "esco", ESCO_FIXTURE, version="1.1.1")
    load_source(b, "esco", folder, version="1.1.1")
    assert graph_triples(a, GRAPH + "1.1.1") == graph_triples(b, GRAPH + "1.1.1")


def test_hierarchy_names_a_group_the_groups_file_lacks(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    groups = folder / "skillGroups_en.csv"
    lines = groups.read_bytes().split(b"\r\n")
    groups.write_bytes(b"\r\n".join(line for line in lines if b"a8c3186b-c791-4d57-8f4f-4d12c7a5c6a7" not in line))
    store = EmbeddedStore()
    report = load_source(store, "esco", folder, version="1.1.1")
    group = E + "skill/a8c3186b-c791-4d57-8f4f-4d12c7a5c6a7"
    assert any(w.path == "skillsHierarchy_en.csv" and w.row == 5 and group in w.reason for w in report.warnings)
    assert values(store, group, "skos:prefLabel") == {"programming computer systems"}
    assert values(store, group, "skos:notation") == {"S5.1.0"}
    assert report.counts["skill groups (named only in the hierarchy)"] == 1


def test_unknown_files_are_reported_and_single_files_or_empty_folders_refused(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    (folder / "greenShareOcc_en.csv").write_text("a,b\r\n1,2\r\n", encoding="utf-8")
    report = load_source(EmbeddedStore(), "esco", folder, version="1.1.1")
    assert any(w.path == "greenShareOcc_en.csv" and "not a standard" in w.reason for w in report.warnings)
    with pytest.raises(SourceFormatError, match="folder holding the ESCO CSV files"):
        load_source(EmbeddedStore(), "esco", folder / "skills_en.csv")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceFormatError, match="no ESCO CSV files"):
        load_source(EmbeddedStore(), "esco", tmp_path / "empty")


def test_reader_helpers() -> None:
    assert split_values("") == [] and split_values(" a ") == ["a"]
    assert split_values("http://a,\r\nhttp://b,\nhttp://c") == ["http://a", "http://b", "http://c"]
    rows = list(read_columns(ESCO_FIXTURE / "skillsHierarchy_en.csv", ["Level 0 code"],
                             optional=["Level 3 code", "no such column"], min_cells=10))
    assert rows[0] == (2, ("S", "", "")) and rows[3] == (5, ("S", "S5.1.0", ""))


# -- bad input: an error naming file and row, and the store as it was --------------------------------

@pytest.fixture
def busy_store() -> EmbeddedStore:
    """A store that already holds one ESCO release, to check that failed loads leave it as it was."""
    store = EmbeddedStore()
    load_source(store, "esco", ESCO_FIXTURE, version="0.1")
    return store


def fails_cleanly(store: EmbeddedStore, folder: Path, file: str) -> SourceFormatError:
    before = store.graph_records()
    size = len(store.oxigraph)
    with pytest.raises(SourceFormatError) as info:
        load_source(store, "esco", folder, version="9.9")
    assert file in str(info.value)
    assert store.graph_records() == before and len(store.oxigraph) == size
    assert not store.contains_graph(GRAPH + "9.9")
    return info.value


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.77, -3])
def test_truncated_csv(busy_store: EmbeddedStore, tmp_path: Path, cut: float) -> None:
    folder = copy_fixture(tmp_path)
    skills = folder / "skills_en.csv"
    data = skills.read_bytes()
    skills.write_bytes(data[: int(len(data) * cut)] if cut > 0 else data[:cut])
    error = fails_cleanly(busy_store, folder, "skills_en.csv")
    assert error.row is not None and error.row >= 2


def test_truncated_gzip(busy_store: EmbeddedStore, tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    rel = folder / "occupationSkillRelations.csv"
    packed = gzip.compress(rel.read_bytes())
    (folder / "occupationSkillRelations.csv.gz").write_bytes(packed[: len(packed) // 2])
    rel.unlink()
    fails_cleanly(busy_store, folder, "occupationSkillRelations.csv.gz")


def test_wrong_encoding(busy_store: EmbeddedStore, tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    occupations = folder / "occupations_en.csv"
    text = occupations.read_text(encoding="utf-8").replace("web engineer", "ingénieur web")
    occupations.write_bytes(text.encode("latin-1"))
    error = fails_cleanly(busy_store, folder, "occupations_en.csv")
    assert "UTF-8" in error.reason and error.row is not None


def test_missing_column(busy_store: EmbeddedStore, tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    occupations = folder / "occupations_en.csv"
    occupations.write_bytes(occupations.read_bytes().replace(b"conceptUri", b"conceptURL", 1))
    error = fails_cleanly(busy_store, folder, "occupations_en.csv")
    assert error.row == 1 and "'conceptUri'" in error.reason


@pytest.mark.parametrize(("file", "old", "new", "row"), [
    ("occupationSkillRelations.csv", b",optional,knowledge,", b",maybe,knowledge,", 4),
    ("broaderRelationsSkillPillar.csv", b"http://data.europa.eu/esco/isced-f/06,", b"not an iri,", 5),
    ("skills_en.csv", b"KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/598de5b0", b"x,", 5),
])
def test_bad_cells(busy_store: EmbeddedStore, tmp_path: Path, file: str, old: bytes, new: bytes, row: int) -> None:
    folder = copy_fixture(tmp_path)
    path = folder / file
    path.write_bytes(path.read_bytes().replace(old, new, 1))
    error = fails_cleanly(busy_store, folder, file)
    assert error.row == row


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
FUZZ_FILES = sorted(p.name for p in ESCO_FIXTURE.glob("*.csv")) + ["occupationSkillRelations.csv.gz",
                                                                   "esco-sample.ttl"]


@FUZZ
@given(name=st.sampled_from(FUZZ_FILES), data=st.data())
def test_fuzzed_input_raises_only_mcgraph_errors(name: str, data: st.DataObject) -> None:
    """Mutated bytes of any one file (flips, inserts, deletions, truncation): loaded or a McgraphError."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_fixture(Path(tmp))
        if name == "esco-sample.ttl":
            target, original = folder / name, TTL.read_bytes()
        elif name.endswith(".gz"):
            (folder / name[:-3]).unlink()
            target, original = folder / name, gzip.compress((ESCO_FIXTURE / name[:-3]).read_bytes(), mtime=0)
        else:
            target, original = folder / name, (ESCO_FIXTURE / name).read_bytes()
        mutated = bytearray(original)
        for _ in range(data.draw(st.integers(1, 6), label="edits")):
            at = data.draw(st.integers(0, max(0, len(mutated) - 1)), label="at")
            kind = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]), label="kind")
            if kind == "flip" and mutated:
                mutated[at] = data.draw(st.sampled_from(list(b'",\r\n\x00\xff\xe9 :/<>') + [mutated[at] ^ 0x20]))
            elif kind == "insert":
                mutated[at:at] = data.draw(st.binary(min_size=1, max_size=8), label="bytes")
            elif kind == "delete":
                del mutated[at:at + data.draw(st.integers(1, 40), label="len")]
            else:
                del mutated[at:]
        target.write_bytes(bytes(mutated))
        store = EmbeddedStore()
        try:
            load_source(store, "esco", target if name.endswith(".ttl") else folder, version="1.1.1")
        except McgraphError:
            assert store.graph_records() == []


# -- ESCO RDF dumps -------------------------------------------------------------------------------------

def test_rdf_dump_through_the_command(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    result = CliRunner().invoke(cli, ["--store", str(store_dir), "load", "esco", str(TTL), "--version", "1.1.1"])
    assert result.exit_code == 0, result.output
    with EmbeddedStore(store_dir) as store:
        [info] = store.graph_records()
        assert info.graph == GRAPH + "1.1.1" and info.source == "esco" and info.version == "1.1.1"
        assert info.triples == DUMP_TRIPLES + len(dump_extras()) and info.files == ("esco-sample.ttl",)
        # The dump states the optional link only as esco:isOptionalSkillFor; the derived forward link makes
        # it visible to the occupation's queries like the CSV path's links.
        rows = run_query(store, "esco-occupation-skills", occupation=SOFTWARE_DEVELOPER).dicts()
        assert sorted((r["label"], r["kind"]) for r in rows) == [
            ("Python (computer programming)", "optional"), ("debug software", "essential")]
        # The dump is loaded as published, plus what the CSV path writes beyond the ESCO model.
        typed = store.query("""SELECT (COUNT(DISTINCT ?s) AS ?esco) (COUNT(DISTINCT ?m) AS ?mcg) WHERE {
            ?s a esco:Skill . OPTIONAL { ?m a mcg:Skill FILTER(?m = ?s) } }""").rows[0]
        assert int(typed[0].value) == int(typed[1].value) > 0
        requirement = run_query(store, "occupation-requirements", occupation=SOFTWARE_DEVELOPER).dicts()
        assert sorted(r["label"] for r in requirement) == ["Python (computer programming)", "debug software"]


DUMP_TRIPLES = 42
"""Triples in the dump fixture as published (without what mcgraph derives from it)."""


def dump_extras() -> list[ox.Triple]:
    from mcgraph.sources.base import LoadReport
    from mcgraph.sources.esco import rdf_dump_extras

    return list(rdf_dump_extras(TTL, LoadReport(source="esco", version="1.1.1")))


def test_rdf_dump_version_from_file_name_and_dataset_syntax(tmp_path: Path) -> None:
    named = tmp_path / "esco_v1.2.0.ttl"
    shutil.copy(TTL, named)
    store = EmbeddedStore()
    report = load_source(store, "esco", named)
    assert report.graph == GRAPH + "1.2.0" and store.count(GRAPH + "1.2.0") == DUMP_TRIPLES + len(dump_extras())
    quads = tmp_path / "dump.nq"
    quads.write_text("<http://ex/s> <http://ex/p> <http://ex/o> <http://ex/elsewhere> .\n", encoding="utf-8")
    report = load_source(store, "esco", quads, version="q")
    assert store.count(GRAPH + "q") == 1 and not store.contains_graph("http://ex/elsewhere")
    bad = tmp_path / "broken.ttl"
    bad.write_text("<http://ex/s> <http://ex/p> .\n", encoding="utf-8")
    with pytest.raises(SourceFormatError) as info:
        load_source(store, "esco", bad, version="x")
    assert info.value.line == 1 and "broken.ttl" in str(info.value)
    assert not store.contains_graph(GRAPH + "x")


def test_rdf_dump_extras_match_the_csv_model() -> None:
    report = LoadReport("esco", version="1.1.1")
    extras = set(rdf_dump_extras(TTL, report))
    N = ox.NamedNode
    mcg = "https://w3id.org/mcgraph/ontology#"
    assert ox.Triple(N(DEBUG), N(str(ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type").value)),
                     N(mcg + "Skill")) in extras
    python = E + "skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
    # the optional link was only stated from the skill's side: its forward triple is derived
    assert ox.Triple(N(SOFTWARE_DEVELOPER), N(E + "model#relatedOptionalSkill"), N(python)) in extras
    assert ox.Triple(N(SOFTWARE_DEVELOPER), N(E + "model#relatedEssentialSkill"), N(DEBUG)) not in extras
    req = N(requirement_iri("1.1.1", SOFTWARE_DEVELOPER, DEBUG))
    assert ox.Triple(req, N(mcg + "requirementKind"), N(mcg + "Essential")) in extras
    assert report.counts["occupation-skill links (essential)"] == 1
    assert report.counts["occupation-skill links (optional)"] == 1  # the skill–skill link is not counted


# -- the real downloads ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_esco() -> tuple[EmbeddedStore, LoadReport, LoadReport]:
    v111 = shared_path("esco", "v1.1.1")
    v120 = shared_path("esco", "v1.2.0")
    store = EmbeddedStore()
    return store, load_source(store, "esco", v111), load_source(store, "esco", v120)


@pytest.mark.realdata
@pytest.mark.slow
def test_real_v111_loads_whole(real_esco: tuple[EmbeddedStore, LoadReport, LoadReport]) -> None:
    store, report, _ = real_esco
    g = GRAPH + "1.1.1"
    assert report.version == "1.1.1" and report.graph == g
    assert count(store, g, "?s a esco:Skill") == report.counts["skills"] == 13_896
    assert count(store, g, "?s a esco:Occupation") == report.counts["occupations"] == 3_007
    assert count(store, g, "?r mcg:requirementKind mcg:Essential") == 64_946
    assert count(store, g, "?r mcg:requirementKind mcg:Optional") == 58_909
    assert count(store, g, "?o esco:relatedEssentialSkill ?s FILTER NOT EXISTS { ?o a esco:Skill }") == 64_946
    assert count(store, g, "?o esco:relatedOptionalSkill ?s FILTER NOT EXISTS { ?o a esco:Skill }") == 58_909
    assert count(store, g, "?g a esco:GroupConcept ; skos:inScheme <http://data.europa.eu/esco/concept-scheme/isco>") == 619
    assert report.counts["skill groups"] == 640 and report.counts["skill-skill links (essential)"] == 191
    assert report.counts["collection members (digital)"] == 1_201
    assert count(store, g, f"?s skos:inScheme <{DIGITAL}>") == 1_201
    assert count(store, g, "?s skos:inScheme <http://data.europa.eu/esco/concept-scheme/green>") == 570
    assert report.triples == store.count(g)


@pytest.mark.realdata
@pytest.mark.slow
def test_real_v111_reports_the_67_dangling_rows_and_blank_types(
        real_esco: tuple[EmbeddedStore, LoadReport, LoadReport]) -> None:
    _, report, _ = real_esco
    dangling = [w for w in report.warnings if "is not in the occupations file" in w.reason]
    assert len(dangling) == 67 and all(w.path == "occupationSkillRelations.csv.gz" and w.row for w in dangling)
    assert {w.reason.split()[1] for w in dangling} == {GONE}
    assert report.counts["occupation-skill links, occupation unknown (loaded)"] == 67
    blank_skill_type = [w for w in report.warnings if w.path == "skills_en.csv" and "skillType is blank" in w.reason]
    assert len(blank_skill_type) == 6
    assert not any("absent" in w.reason for w in report.warnings)


@pytest.mark.realdata
@pytest.mark.slow
def test_real_skill_hierarchy_reaches_the_four_roots(real_esco: tuple[EmbeddedStore, LoadReport, LoadReport]) -> None:
    store, _, _ = real_esco
    roots = {"S": "335228d2-297d-4e0e-a6ee-bc6a8dc110d9", "K": "c46fcb45-5c14-4ffa-abed-5a43f104bb22",
             "T": "04a13491-b58c-4d33-8b59-8fad0d55fe9e", "L": "e35a5936-091d-4e87-bafe-f264e55bd656"}
    for code, uuid in roots.items():
        assert values(store, E + "skill/" + uuid, "skos:notation") == {code}
    q = f"""{PREFIXES}SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{GRAPH}1.1.1> {{
        ?s a esco:Skill . ?s skos:broader+ ?root
        VALUES ?root {{ {' '.join(f'<{E}skill/{u}>' for u in roots.values())} }} }} }}"""
    assert int(store.query(q, union_default_graph=False).rows[0][0].value) == 13_896  # type: ignore[union-attr]


@pytest.mark.realdata
@pytest.mark.slow
def test_real_v120_loads_side_by_side(real_esco: tuple[EmbeddedStore, LoadReport, LoadReport]) -> None:
    store, v111, v120 = real_esco
    assert v120.version == "1.2.0"
    assert count(store, GRAPH + "1.2.0", "?s a esco:Occupation") == v120.counts["occupations"] == 3_039
    absent = sorted(w.path for w in v120.warnings if "standard ESCO file absent" in w.reason)
    assert absent == ["occupationSkillRelations.csv", "skills_en.csv"]
    records = {r.graph: r for r in store.graph_records()}
    assert records[GRAPH + "1.1.1"].version == "1.1.1" and records[GRAPH + "1.2.0"].version == "1.2.0"
    assert records[GRAPH + "1.2.0"].triples == v120.triples < v111.triples
    rows = run_query(store, "esco-skill-occupations", skill=PROGRAMMING, relation="essential").dicts()
    assert {r["release"] for r in rows} == {"esco/1.1.1"}  # v1.2.0 as shared has no relations file
    assert "software developer" in {r["label"] for r in rows}


@pytest.mark.realdata
@pytest.mark.slow
def test_real_labels_respect_skos_label_disjointness(real_esco: tuple[EmbeddedStore, LoadReport, LoadReport]) -> None:
    """The export repeats the preferred label among the alternative labels for most concepts; those are left
    out (and counted) so the loaded graph passes SKOS's S13 check."""
    store, v111, _ = real_esco
    clash = store.query("""SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c skos:prefLabel ?l ; skos:altLabel ?l } }""")
    assert int(clash.rows[0][0].value) == 0
    left_out = v111.counts["alternative labels repeating the preferred label (left out)"]
    assert left_out >= 2_715 + 12_189  # occupations + skills whose export repeats the preferred label
