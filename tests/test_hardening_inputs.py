"""Issue 13, items 15 and 17: nothing accepted silently, one resolver for level short names, and every file a
load reads recorded with its hash."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from mcgraph.credentials.model import iter_credentials
from mcgraph.errors import SourceFormatError
from mcgraph.levels import resolve_level
from mcgraph.loading import load_source
from mcgraph.store import EmbeddedStore

GOOD = FIXTURES / "credentials" / "good.csv"


def good_rows() -> list[dict[str, str]]:
    with GOOD.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def built_with_taxonomy(store: EmbeddedStore) -> EmbeddedStore:
    load_source(store, "rdf", FIXTURES / "credentials" / "taxonomy.ttl", graph="urn:test:taxonomy")
    return store


# -- one resolver for level short names ------------------------------------------------------------

@pytest.mark.parametrize("short", ["nfq:8", "aqf:7", "NFQ:8"])
def test_template_levels_take_framework_short_names(built_store: EmbeddedStore, tmp_path: Path, short: str) -> None:
    rows = good_rows()
    rows[1]["levels"] = short
    path = write_rows(tmp_path / "levels.csv", rows)
    store = EmbeddedStore()
    for q in built_store.oxigraph:
        store.oxigraph.add(q)
    built_with_taxonomy(store)
    load_source(store, "credentials", path, graph="urn:test:levels")
    levels = {c.identifier: c.levels for c in iter_credentials(store)}
    assert levels["tc-2"] == (resolve_level(store, short).iri,)
    assert levels["tc-2"][0].startswith("http")


def test_unknown_level_short_name_is_refused_naming_the_row(built_store: EmbeddedStore, tmp_path: Path) -> None:
    rows = good_rows()
    rows[1]["levels"] = "nfq:99"
    path = write_rows(tmp_path / "levels.csv", rows)
    store = EmbeddedStore()
    for q in built_store.oxigraph:
        store.oxigraph.add(q)
    built_with_taxonomy(store)
    with pytest.raises(SourceFormatError, match="'nfq:99' is not a level of a loaded qualification framework") as err:
        load_source(store, "credentials", path, graph="urn:test:levels")
    assert err.value.row == 3 and err.value.field == "levels"


# -- 17: O*NET's Read Me.txt is recorded and hashed ------------------------------------------------

def test_onet_records_the_readme_it_reads_the_version_from() -> None:
    report = load_source(EmbeddedStore(), "onet", FIXTURES / "onet")
    files = {f.name: f for f in report.files}
    readme = FIXTURES / "onet" / "Read Me.txt"
    assert "Read Me.txt" in files
    assert files["Read Me.txt"].sha256 == hashlib.sha256(readme.read_bytes()).hexdigest()
    assert files["Read Me.txt"].size == readme.stat().st_size
    assert report.version is not None


# -- 15: nothing accepted silently -----------------------------------------------------------------

def test_nul_character_in_csv_text_is_refused_naming_the_row(tmp_path: Path) -> None:
    rows = good_rows()
    rows[2]["title"] = "Technical\x00 certificate"
    path = write_rows(tmp_path / "nul.csv", rows)
    with pytest.raises(SourceFormatError, match="NUL character") as err:
        load_source(built_with_taxonomy(EmbeddedStore()), "credentials", path)
    assert err.value.row == 4


def test_nul_character_in_a_crosswalk_is_refused(tmp_path: Path) -> None:
    text = (FIXTURES / "crosswalk" / "esco_onet_small.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[2] = lines[2].replace(",", ",\x00", 1)
    path = tmp_path / "esco_onet_small.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="NUL character") as err:
        load_source(EmbeddedStore(), "crosswalk", path)
    assert err.value.row == 3


def test_duplicate_yaml_keys_are_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("credentials:\n  - id: first\n    title: A\n    id: second\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="duplicate key 'id'") as err:
        load_source(EmbeddedStore(), "credentials", path)
    assert err.value.line == 4


def test_a_repeated_query_parameter_is_refused(capsys: pytest.CaptureFixture[str], built_store_dir: Path) -> None:
    code, _, err = run_cli(capsys, built_store_dir, "query", "label-search", "-p", "text=a", "-p", "text=b")
    assert code == 2 and "'text' is given twice" in err and "Traceback" not in err


@pytest.mark.parametrize("value,message", [
    ("nope:x", "unknown prefix 'nope'"),
    ("NOPE:esco", "unknown prefix 'nope'"),
])
def test_unknown_prefix_is_not_an_iri(capsys: pytest.CaptureFixture[str], built_store_dir: Path, value: str,
                                      message: str) -> None:
    code, _, err = run_cli(capsys, built_store_dir, "query", "level-info", "-p", f"level={value}")
    assert code == 2 and message in err and "Traceback" not in err


def test_known_prefixes_and_full_iris_still_work(capsys: pytest.CaptureFixture[str], built_store_dir: Path) -> None:
    for value in ("eqf:6", "<http://data.europa.eu/snb/eqf/6>", "http://data.europa.eu/snb/eqf/6"):
        code, out, err = run_cli(capsys, built_store_dir, "query", "level-info", "-p", f"level={value}",
                                 "--format", "csv")
        assert code == 0, err
        assert "http://data.europa.eu/snb/eqf/6" in out


def test_bad_decimal_parameter_says_what_it_expects(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    query = tmp_path / "d.rq"
    query.write_text("# title: d\n# param: d decimal — a number\nSELECT ?d WHERE { }\n", encoding="utf-8")
    code, _, err = run_cli(capsys, tmp_path / "s", "query", str(query), "-p", "d=1,5")
    assert code == 2 and "expects a decimal number; got '1,5'" in err and "ConversionSyntax" not in err


def test_esco_folder_without_skill_rows_warns(tmp_path: Path) -> None:
    folder = tmp_path / "esco"
    folder.mkdir()
    for f in (FIXTURES / "esco").glob("*.csv"):
        data = f.read_bytes()
        if f.name == "skills_en.csv":
            data = data.split(b"\n", 1)[0] + b"\n"
        (folder / f.name).write_bytes(data)
    report = load_source(EmbeddedStore(), "esco", folder, version="v0")
    assert report.counts["skills"] == 0
    assert any("no skill rows" in str(w) and "skills_en.csv" in str(w) for w in report.warnings)
