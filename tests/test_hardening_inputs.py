"""Issue 13, items 15 and 17: nothing accepted silently, one resolver for level short names, and every file a
load reads recorded with its hash."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from mcgraph.credentials.model import iter_credentials
from mcgraph.credentials.table import COLUMN_NAMES
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
