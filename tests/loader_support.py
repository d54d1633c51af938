"""Helpers shared by the taxonomy loader tests (OaSIS, O*NET, SFIA, CSV taxonomy): query rows and columns, loads that
must fail leaving the store as it was, damaged copies of fixture files for fuzzing, and the strict SKOS check
through the CLI."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import strategies as st

from mcgraph.cli import main
from mcgraph.errors import McgraphError, SourceFormatError
from mcgraph.loading import load_source
from mcgraph.sources import LoadReport, get_source
from mcgraph.store import EmbeddedStore

#: Prefixes put before every query of :func:`query_rows`.
PREFIXES = """PREFIX mcg: <https://w3id.org/mcgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def query_rows(store: EmbeddedStore, query: str) -> list[tuple[str | None, ...]]:
    """Rows of a SELECT (``mcg:``, ``skos:``, ``rdfs:`` prefixes declared) as tuples of lexical values."""
    result = store.query(PREFIXES + query)
    return [tuple(None if t is None else t.value for t in row) for row in result.rows]


def first_column(store: EmbeddedStore, sparql: str, **bindings: str) -> list[str]:
    """Sorted values of the first projected variable; bound variables are added to the projection."""
    head = re.match(r"\s*SELECT (DISTINCT )?(\?\w+)", sparql)
    assert head is not None
    sparql = sparql.replace(head.group(0), head.group(0) + "".join(f" ?{k}" for k in bindings), 1)
    result = store.query(sparql, {k: ox.NamedNode(v) for k, v in bindings.items()})
    return sorted(result.values(head.group(2)[1:]))  # type: ignore[arg-type]


def fails_cleanly(
    source: str, good: Path, bad: Path, *expected: str, version: str | None = None
) -> SourceFormatError:
    """Load ``bad`` over a graph loaded from ``good`` (replace): the error names each of ``expected``; the store
    is unchanged."""
    store = EmbeddedStore()
    load_source(store, source, good, version=version)
    before = {str(q) for q in store.oxigraph}
    with pytest.raises(SourceFormatError) as err:
        load_source(store, source, bad, version=version, replace=True)
    assert {str(q) for q in store.oxigraph} == before
    for text in expected:
        assert text in str(err.value), (text, str(err.value))
    return err.value


@st.composite
def damaged_files(
    draw: st.DrawFn, folder: Path, names: list[str], edit_cell: Callable[[st.DrawFn, bytes], bytes]
) -> tuple[str, bytes]:
    """A strategy: one of the files ``names`` in ``folder``, damaged: cut short, bytes spliced in, its bytes
    replaced by random ones, or one cell changed by ``edit_cell`` (which knows the encoding and delimiter)."""
    name = draw(st.sampled_from(names))
    data = (folder / name).read_bytes()
    how = draw(st.sampled_from(["cut", "splice", "cell", "replace"]))
    if how == "cut":
        return name, data[: draw(st.integers(0, len(data)))]
    if how == "splice":
        at = draw(st.integers(0, len(data)))
        return name, data[:at] + draw(st.binary(min_size=1, max_size=12)) + data[at:]
    if how == "replace":
        return name, draw(st.binary(max_size=300))
    return name, edit_cell(draw, data)


def replace_cell(draw: st.DrawFn, text: str, delimiter: str, cells: st.SearchStrategy[str]) -> str:
    """``text`` with one cell of one line (split naively on ``delimiter``) replaced by a value of ``cells``."""
    lines = text.split("\n")
    i = draw(st.integers(0, max(0, len(lines) - 2)))
    row = lines[i].split(delimiter)
    j = draw(st.integers(0, len(row) - 1))
    row[j] = draw(cells)
    lines[i] = delimiter.join(row)
    return "\n".join(lines)


def read_damaged(source: str, fixture: Path, name: str, data: bytes) -> LoadReport | None:
    """Read a copy of the ``fixture`` folder whose file ``name`` holds ``data``: the report of a read that went
    through, or None when it stopped with a :class:`McgraphError` (any other exception fails the test)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / source
        shutil.copytree(fixture, folder)
        (folder / name).write_bytes(data)
        report = LoadReport(source)
        try:
            list(get_source(source).read(folder, report))
        except McgraphError:
            return None
        return report


def assert_skos_check_passes_strictly(
    store_dir: Path, capsys: pytest.CaptureFixture[str], source: str, path: Path, graph: str
) -> None:
    """``mcgraph load SOURCE PATH`` then ``mcgraph check skos --graph GRAPH --strict`` finds no problems."""
    with pytest.raises(SystemExit):
        main(["--store", str(store_dir), "load", source, str(path)])
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main(["--store", str(store_dir), "check", "skos", "--graph", graph, "--strict"])
    out = capsys.readouterr().out
    assert exit_.value.code in (0, None), out
    assert "no problems" in out
