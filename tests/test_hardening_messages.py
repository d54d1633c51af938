"""Issue 13, items 11–15 and 17: messages that say what is wrong and where, and nothing accepted silently."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from mcgraph.errors import ConfigurationError
from mcgraph.loading import load_source
from mcgraph.sources.skos import SkosSource
from mcgraph.store import EmbeddedStore

BROKEN_SKOS = FIXTURES / "skos" / "broken.ttl"


# -- 13: boolean source options ---------------------------------------------------------------------

@pytest.mark.parametrize("word", ["no", "0", "off", "false", "NO", "Off"])
def test_strict_no_means_not_strict(capsys: pytest.CaptureFixture[str], tmp_path: Path, word: str) -> None:
    code, _, err = run_cli(capsys, tmp_path / "s", "load", "skos", str(BROKEN_SKOS), "-O", f"strict={word}")
    assert code == 0, err
    assert "warning" in err


@pytest.mark.parametrize("word", ["yes", "1", "on", "true", "TRUE"])
def test_strict_yes_means_strict(capsys: pytest.CaptureFixture[str], tmp_path: Path, word: str) -> None:
    code, _, err = run_cli(capsys, tmp_path / "s", "load", "skos", str(BROKEN_SKOS), "-O", f"strict={word}")
    assert code == 2 and "Traceback" not in err


@pytest.mark.parametrize("word", ["maybe", "", "2", "nope"])
def test_unknown_boolean_words_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, word: str) -> None:
    code, _, err = run_cli(capsys, tmp_path / "s", "load", "skos", str(BROKEN_SKOS), "-O", f"strict={word}")
    assert code == 2
    assert f"strict={word}" in err and "true or false" in err and "Traceback" not in err


def test_esco_skill_requirements_option_is_a_boolean_too() -> None:
    with pytest.raises(ConfigurationError, match="skill_requirements=sometimes"):
        load_source(EmbeddedStore(), "esco", FIXTURES / "esco", options={"skill_requirements": "sometimes"})
    assert SkosSource(strict="off").strict is False


# -- 12: a truncated .gz says so; 14: /dev/null is not "no such file" -------------------------------

def truncated_gz(source: Path, target: Path) -> Path:
    data = gzip.compress(source.read_bytes())
    target.write_bytes(data[: len(data) // 2])
    return target


@pytest.mark.parametrize("source,fixture,name", [
    ("crosswalk", FIXTURES / "crosswalk" / "esco_onet_small.csv", "esco_onet_small.csv.gz"),
    ("esco", FIXTURES / "esco" / "skills_en.csv", "skills_en.csv.gz"),
])
def test_truncated_gzip_says_truncated(capsys: pytest.CaptureFixture[str], tmp_path: Path, source: str,
                                       fixture: Path, name: str) -> None:
    if source == "esco":
        folder = tmp_path / "esco"
        folder.mkdir()
        for f in (FIXTURES / "esco").glob("*.csv"):
            if f.name != "skills_en.csv":
                (folder / f.name).write_bytes(f.read_bytes())
        truncated_gz(fixture, folder / name)
        target = folder
    else:
        target = truncated_gz(fixture, tmp_path / name)
    code, _, err = run_cli(capsys, tmp_path / "s", "load", source, str(target))
    assert code == 2
    assert name in err and "truncated or corrupt" in err and "aborted" not in err and "Traceback" not in err


@pytest.mark.parametrize("source", ["skos", "credentials", "sfia", "crosswalk", "csv-taxonomy"])
def test_dev_null_is_not_a_regular_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, source: str) -> None:
    code, _, err = run_cli(capsys, tmp_path / "s", "load", source, "/dev/null")
    assert code == 2
    assert "/dev/null" in err and "not a regular file" in err and "no such file" not in err


# -- 11: an encoding error names the row (and offset) of the bad byte -------------------------------

def with_bad_byte(source: Path, target: Path, row_text: str, bad: bytes) -> Path:
    """A copy of ``source`` with ``bad`` put just after ``row_text`` (which must occur once)."""
    data = source.read_bytes()
    marker = row_text.encode("cp1252")
    assert data.count(marker) == 1, row_text
    at = data.index(marker) + len(marker)
    target.write_bytes(data[:at] + bad + data[at:])
    return target


def expected_line(path: Path, bad: bytes) -> int:
    data = path.read_bytes()
    return data.count(b"\n", 0, data.index(bad)) + 1


def test_credentials_csv_names_row_4(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = with_bad_byte(FIXTURES / "credentials" / "good.csv", tmp_path / "cat.csv", "Technical communication cert",
                        b"\xe9")
    code, _, err = run_cli(capsys, tmp_path / "s", "load", "credentials", str(bad))
    assert code == 2, err
    assert f"cat.csv, row 4, line {expected_line(bad, b'cert' + bytes([0xe9]))}" in err
    assert "byte 0xe9 at offset" in err


def test_esco_names_row_6(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "esco"
    folder.mkdir()
    for f in (FIXTURES / "esco").glob("*.csv"):
        (folder / f.name).write_bytes(f.read_bytes())
    lines = (FIXTURES / "esco" / "skills_en.csv").read_bytes().split(b"\n")
    records = [r for r in __import__("csv").reader(
        (FIXTURES / "esco" / "skills_en.csv").read_text(encoding="utf-8").splitlines(keepends=True))]
    assert len(records) >= 6 and lines
    uri = records[5][1]  # row 6: the fifth skill
    with_bad_byte(FIXTURES / "esco" / "skills_en.csv", folder / "skills_en.csv", uri, b"\xff")
    code, _, err = run_cli(capsys, tmp_path / "s", "load", "esco", str(folder))
    assert code == 2, err
    assert "skills_en.csv, row 6" in err and "byte 0xff at offset" in err


def test_sfia_cp1252_names_row_and_offset(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = FIXTURES / "sfia" / "sfia-9_test_SKILLS.csv"
    rows = list(__import__("csv").reader(source.read_text(encoding="cp1252").splitlines(keepends=True)))
    code_cell = rows[3][8]  # row 4 of the file (a skill code)
    bad = with_bad_byte(source, tmp_path / "sfia-9_SKILLS.csv", "," + code_cell + ",", b"\x81")
    code, _, err = run_cli(capsys, tmp_path / "s", "load", "sfia", str(bad))
    assert code == 2, err
    offset = bad.read_bytes().index(b"\x81")
    assert "row 4" in err and f"byte 0x81 at offset {offset}" in err


def test_utf16_file_says_utf16(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = (FIXTURES / "crosswalk" / "esco_onet_small.csv").read_text(encoding="utf-8")
    utf16 = tmp_path / "esco_onet.csv"
    utf16.write_bytes(good.encode("utf-16"))
    code, _, err = run_cli(capsys, tmp_path / "s", "load", "crosswalk", str(utf16))
    assert code == 2 and "UTF-16" in err and "Traceback" not in err


def test_utf16_sfia_file_says_utf16_not_garbled_header(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = FIXTURES / "sfia" / "sfia-9_test_SKILLS.csv"
    utf16 = tmp_path / "sfia-9_SKILLS.csv"
    utf16.write_bytes(source.read_text(encoding="cp1252").encode("utf-16"))
    code, _, err = run_cli(capsys, tmp_path / "s", "load", "sfia", str(utf16))
    assert code == 2
    assert "sfia-9_SKILLS.csv, row 1, line 1: the file is UTF-16 text" in err and "ÿþ" not in err


# -- 14: invalid JSON names line and column --------------------------------------------------------

def test_invalid_json_credential_file_names_line_and_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n "a": 1,\n "b": [1, 2\n}\n', encoding="utf-8")
    code, _, err = run_cli(capsys, tmp_path / "s", "load", "credentials", str(bad))
    assert code == 2
    assert "bad.json, line 4, column 1: not valid JSON" in err


# -- 12 (RDF files): a truncated or corrupt .gz on the RDF fast path and the quad-by-quad path ----------------

SMALL_TTL = FIXTURES / "foundation" / "small.ttl"


def ntriples_text(n: int) -> bytes:
    return "".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n' for i in range(n)).encode()


def corrupt_gz(data: bytes) -> bytes:
    """Gzip with a damaged deflate stream (zlib reports an invalid block, not an early end)."""
    packed = bytearray(gzip.compress(data))
    packed[10:12] = b"\xff\xff"
    return bytes(packed)


GZ_DAMAGE = {"truncated": lambda data: gzip.compress(data)[: len(gzip.compress(data)) // 2],
             "corrupt": corrupt_gz, "not-gzip": lambda data: data}


@pytest.fixture
def loaded_dir(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        load_source(s, "rdf", SMALL_TTL, graph="https://w3id.org/mcgraph/graph/t/small")
    return path


def fingerprint_of(path: Path) -> str:
    from store_contract import fingerprint

    with EmbeddedStore(path) as s:
        return fingerprint(s)


@pytest.mark.parametrize("damage", sorted(GZ_DAMAGE))
@pytest.mark.parametrize("suffix,replace", [(".ttl.gz", False), (".nt.gz", True), (".nq.gz", False)])
def test_damaged_rdf_gzip_names_the_file_and_says_truncated_or_corrupt(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, loaded_dir: Path, damage: str, suffix: str,
        replace: bool) -> None:
    """.ttl.gz and .nt.gz take the store's bulk-load path (a replace parses first); .nq.gz is read quad by quad."""
    bad = tmp_path / f"damaged{suffix}"
    bad.write_bytes(GZ_DAMAGE[damage](ntriples_text(20_000)))
    before = fingerprint_of(loaded_dir)
    args = ["load", str(bad), "--graph", "t/small" if replace else "t/damaged"] + (["--replace"] if replace else [])
    code, _, err = run_cli(capsys, loaded_dir, *args)
    assert code == 2, err
    assert bad.name in err and "truncated or corrupt gzip file" in err
    assert "aborted" not in err and "Traceback" not in err
    assert fingerprint_of(loaded_dir) == before


# -- 14: a byte order mark at the start of a Turtle (or N-Triples, N-Quads) file is accepted -----------------

@pytest.mark.parametrize("name,gz", [("bom.ttl", False), ("bom.nt", False), ("bom.nq", False), ("bom.ttl.gz", True)])
def test_a_byte_order_mark_is_skipped(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, gz: bool) -> None:
    data = b"\xef\xbb\xbf" + (SMALL_TTL.read_bytes() if name.startswith("bom.ttl") else ntriples_text(7))
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if gz else data)
    store = tmp_path / "store"
    code, _, err = run_cli(capsys, store, "load", str(path), "--graph", "t/bom")
    assert code == 0, err
    expected = 12 if name.startswith("bom.ttl") else 7
    with EmbeddedStore(store) as s:
        assert s.count("https://w3id.org/mcgraph/graph/t/bom") == expected
        assert not any("\ufeff" in r["s"].value for r in s.query("SELECT ?s WHERE { ?s ?p ?o }"))  # type: ignore[union-attr]
    code, _, err = run_cli(capsys, store, "load", str(path), "--graph", "t/bom", "--replace")  # the parse path
    assert code == 0, err


def test_a_byte_order_mark_inside_a_file_is_still_a_syntax_error_naming_the_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "late-bom.ttl"
    path.write_bytes(SMALL_TTL.read_bytes() + b"\xef\xbb\xbf<http://example.org/a> <http://example.org/p> 1 .\n")
    code, _, err = run_cli(capsys, tmp_path / "s", "load", str(path), "--graph", "t/late")
    assert code == 2 and "late-bom.ttl, line" in err and "Traceback" not in err
