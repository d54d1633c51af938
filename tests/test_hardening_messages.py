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
