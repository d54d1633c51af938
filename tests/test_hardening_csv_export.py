"""Issue 13, item 6: `export credentials --format csv` escapes cells a spreadsheet would run as formulas
(OWASP CSV injection), and the escaped file still loads back into the same graph."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import FIXTURES

from mcgraph.credentials.model import iter_credentials
from mcgraph.credentials.table import escape_formula, unescape_formula
from mcgraph.exports import get_exporter
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH
from mcgraph.store import EmbeddedStore

GOOD = FIXTURES / "credentials" / "good.csv"
TITLES = {"tc-1": '=HYPERLINK("http://evil.example/","click")', "tc-2": "+1+cmd|' /C calc'!A0",
          "tc-cert": "@SUM(1+1)*cmd|' /C calc'!A0"}
NOTE = "-2+3+cmd|' /C calc'!A0"


def hostile_catalogue(tmp_path: Path) -> Path:
    with GOOD.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["title"] = TITLES[row["id"]]
        row["provider"] = "'" + "=1+1"  # already looks escaped: must survive the round trip as is
    rows[0]["description"] = NOTE
    path = tmp_path / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: escape_formula(v) for k, v in row.items()})
    return path


def load(store: EmbeddedStore, path: Path, graph: str) -> None:
    load_source(store, "rdf", FIXTURES / "credentials" / "taxonomy.ttl", graph=str(GRAPH["fixture/tax"]))
    load_source(store, "credentials", path, graph=str(GRAPH[graph]))


def test_exported_csv_has_no_cell_starting_a_formula(tmp_path: Path) -> None:
    store = EmbeddedStore()
    load(store, hostile_catalogue(tmp_path), "catalog/hostile")
    titles = {c.identifier: c.title for c in iter_credentials(store)}
    assert titles == TITLES  # the escape quote was removed on reading
    data = get_exporter("credentials").export(store, "csv", None)
    rows = list(csv.reader(data.decode("utf-8").splitlines()))
    cells = [cell for row in rows for cell in row]
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    by_id = {row[0]: row for row in rows[1:]}
    title = rows[0].index("title")
    assert {k: r[title] for k, r in by_id.items()} == {k: "'" + v for k, v in TITLES.items()}
    assert by_id["tc-1"][rows[0].index("provider")] == "''=1+1"
    assert by_id["tc-1"][rows[0].index("description")] == "'" + NOTE


def test_escaped_export_loads_back_into_the_same_graph(tmp_path: Path) -> None:
    store = EmbeddedStore()
    load(store, hostile_catalogue(tmp_path), "catalog/first")
    first = sorted((c.identifier, c.title, c.provider.name if c.provider else None, c.description)
                   for c in iter_credentials(store))
    exported = tmp_path / "again.csv"
    exported.write_bytes(get_exporter("credentials").export(store, "csv", None))
    again = EmbeddedStore()
    load(again, exported, "catalog/again")
    assert sorted((c.identifier, c.title, c.provider.name if c.provider else None, c.description)
                  for c in iter_credentials(again)) == first
    assert ("tc-1", TITLES["tc-1"], "'=1+1", NOTE) in first


@pytest.mark.parametrize("text,escaped", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("'=x", "''=x"), ("''-x", "'''-x"), ("'plain", "'plain"), ("plain", "plain"), ("", ""), ("a=b", "a=b"),
])
def test_escape_formula_as_owasp_advises_and_inverts(text: str, escaped: str) -> None:
    assert escape_formula(text) == escaped
    assert unescape_formula(escaped) == text
