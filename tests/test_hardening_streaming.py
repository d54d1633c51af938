"""Issue 13, item 21: a catalogue load streams. The catalogue reader writes N-Triples text directly (no object
per triple) and the store bulk-loads it in bounded chunks while the reader goes on — still all or nothing: a bad
row after some chunks were written, or a process killed half-way, leaves the store as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from store_contract import fingerprint

from mcgraph.credentials.generate import generate_credentials
from mcgraph.credentials.model import (Assessment, Credential, CreditValue, Provider, SkillClaim, catalogue_ntriples,
                                       credential_iri, from_store)
from mcgraph.credentials.table import write_csv
from mcgraph.errors import SourceFormatError, StoreError
from mcgraph import loading
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH, MCG, META_GRAPH
from mcgraph.rdf_io import NTriples, as_triples, nt_iri, nt_literal
from mcgraph.store import EmbeddedStore, LoadRecord
from mcgraph.store import embedded

XSD = "http://www.w3.org/2001/XMLSchema#"
CATALOGUE = str(GRAPH["catalog/streamed"])


def oxigraph_line(obj: ox.Literal | ox.NamedNode) -> str:
    triple = ox.Triple(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), obj)
    return (ox.serialize([triple], format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def our_line(obj: str) -> str:
    return f"<http://example.org/s> <http://example.org/p> {obj} .\n"


# -- writing N-Triples text: exactly what Oxigraph writes ------------------------------------------------------

TRICKY = ['say "hi"', "back\\slash", "two\nlines", "cr\rlf\r\n", "tab\there", "bell\x07 nul\x00 del\x7f",
          "\x08\x0c\x1f", "é ü ß", "日本語", "emoji 😀", "line\u2028separator", "", " ", "'single'", "<not an iri>"]


@pytest.mark.parametrize("text", TRICKY)
def test_literals_are_escaped_as_oxigraph_escapes_them(text: str) -> None:
    assert our_line(nt_literal(text)) == oxigraph_line(ox.Literal(text))
    parsed = next(ox.parse(our_line(nt_literal(text)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert parsed.object == ox.Literal(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_round_trips_through_the_literal_writer(text: str) -> None:
    line = our_line(nt_literal(text))
    assert line == oxigraph_line(ox.Literal(text))
    assert next(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)).object.value == text


@pytest.mark.parametrize("tag", ["en", "EN", "en-GB", "fr-CA", "zh-Hant-TW", "de-CH-1901"])
def test_language_tags_are_written_lower_case_as_the_store_keeps_them(tag: str) -> None:
    assert our_line(nt_literal('a "b"\n', language=tag)) == oxigraph_line(ox.Literal('a "b"\n', language=tag))
    assert nt_literal("x", language=tag).endswith("@" + tag.lower())


@pytest.mark.parametrize("value,datatype", [("2.5", f"{XSD}decimal"), ("2026-12-03", f"{XSD}date"),
                                            ("true", f"{XSD}boolean"), ("x\ny", "http://example.org/type"),
                                            ("plain", f"{XSD}string")])
def test_typed_literals_match_oxigraph_and_xsd_string_is_plain(value: str, datatype: str) -> None:
    expected = oxigraph_line(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    assert our_line(nt_literal(value, datatype=datatype)) == expected
    assert ("^^" in expected) is (datatype != f"{XSD}string")


def test_a_bad_language_tag_or_iri_is_refused() -> None:
    with pytest.raises(ValueError):
        nt_literal("x", language="not a tag")
    for bad in ("http://example.org/a b", "no scheme", "http://example.org/<x>"):
        with pytest.raises(ValueError):
            nt_iri(bad)
    assert nt_iri("http://example.org/é") == "<http://example.org/é>"
    assert our_line(nt_iri("http://example.org/é")) == oxigraph_line(ox.NamedNode("http://example.org/é"))


def tricky_credential(identifier: str = "tricky-1") -> Credential:
    return Credential(
        credential_iri(identifier), 'Data "wrangling"\\ basics — été 😀', provider=Provider(
            "https://w3id.org/mcgraph/id/provider/école", "École \"Nord\"\n(Montréal)"),
        description="line one\nline two\ttabbed\r\nend", learning_outcomes=("Use \\d+ in a regex", "Écrire"),
        languages=("fr-CA", "en"), notional_hours=Decimal("12.50"), price=Decimal("0"), currency="CAD",
        assessments=(Assessment('exam "final"', (str(MCG.Exam),), str(MCG.NotVerified)),),
        credits=(CreditValue(Decimal("2.5"), "https://w3id.org/mcgraph/id/credit-system/ects"),),
        jurisdictions=("https://w3id.org/mcgraph/id/jurisdiction/CA-QC",),
        skill_claims=(SkillClaim("http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
                                 frozenset({"taught"}), Decimal("3"), scale="https://w3id.org/mcgraph/id/scale/eqf"),),
        sources=("https://example.org/a", "Handbook, §2 \"Scope\""), notes=("nul-free \x07 bell",))


def test_credential_text_is_the_canonical_n_triples_the_store_dumps() -> None:
    """Every line the reader writes is byte-for-byte what Oxigraph writes for the same triple — so a
    replace's comparison with the stored graph finds unchanged triples unchanged."""
    text = "".join(catalogue_ntriples([tricky_credential(), tricky_credential("tricky-2")]))
    lines = text.splitlines(keepends=True)
    assert len(lines) == len(set(lines)) > 40
    for line in lines:
        triple = next(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)).triple
        assert (ox.serialize([triple], format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8") == line
    assert text.count("<https://w3id.org/mcgraph/id/provider/école> <http://www.w3.org/1999/02/22-rdf") == 1


def test_to_triples_and_the_text_are_the_same_triples() -> None:
    cred = tricky_credential()
    parsed = {q.triple for q in ox.parse(cred.ntriples().encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)}
    assert set(cred.to_triples()) == parsed and len(parsed) == cred.ntriples().count("\n")


def test_tricky_text_survives_a_load_and_reads_back_unchanged() -> None:
    store = EmbeddedStore()
    store.write_graph(CATALOGUE, catalogue_ntriples([tricky_credential()]), LoadRecord(CATALOGUE, "test"))
    back = from_store(store, credential_iri("tricky-1"))
    original = tricky_credential()
    assert back is not None
    assert back.title == original.title and back.description == original.description
    assert back.provider == original.provider and back.learning_outcomes == original.learning_outcomes
    assert back.notes == original.notes and set(back.sources) == set(original.sources)


# -- chunked, all-or-nothing writes --------------------------------------------------------------------------

@pytest.fixture
def catalogue_csv(built_store: EmbeddedStore, tmp_path: Path) -> Path:
    path = tmp_path / "streamed.csv"
    write_csv(generate_credentials(built_store, 300, seed=3), path)
    return path


@pytest.fixture
def store_dir(built_store_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store"
    shutil.copytree(built_store_dir, path)
    return path


def counting_chunks(monkeypatch: pytest.MonkeyPatch, chunk_bytes: int) -> list[int]:
    """Make the store write chunks of ``chunk_bytes``; the returned list gets each chunk's size."""
    sizes: list[int] = []
    real = embedded._ntriples_chunks

    def chunks(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        for chunk in real(*args, **kwargs):  # type: ignore[arg-type]
            sizes.append(len(chunk))
            yield chunk

    monkeypatch.setattr(embedded, "CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(embedded, "_ntriples_chunks", chunks)
    return sizes


def test_a_catalogue_is_written_in_bounded_chunks_with_the_same_result(
        monkeypatch: pytest.MonkeyPatch, store_dir: Path, tmp_path: Path, catalogue_csv: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(store_dir, other)
    with EmbeddedStore(other) as s:  # one chunk (the default size is far above this catalogue)
        whole = load_source(s, "credentials", catalogue_csv, graph=CATALOGUE)
        expected = fingerprint(s)
    sizes = counting_chunks(monkeypatch, 16_384)
    with EmbeddedStore(store_dir) as s:
        report = load_source(s, "credentials", catalogue_csv, graph=CATALOGUE)
        assert fingerprint(s) != expected  # the load records differ in their times; compare the graphs
        assert s.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=CATALOGUE) is not None
        streamed = sorted((s.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=CATALOGUE) or b"").splitlines())
    with EmbeddedStore(other) as s:
        assert sorted((s.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=CATALOGUE) or b"").splitlines()) == streamed
    assert report.triples == whole.triples == len(streamed) > 10_000
    assert report.counts["credentials"] == 300
    assert len(sizes) >= 10 and max(sizes) < 16_384 + 20_000  # a chunk ends after the block that fills it
    assert not any(n.startswith("removed") for n in EmbeddedStore(store_dir).notices)


def test_a_bad_last_row_after_several_written_chunks_leaves_the_store_as_it_was(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_dir: Path,
        catalogue_csv: Path) -> None:
    text = catalogue_csv.read_text(encoding="utf-8").rstrip("\n").split("\n")
    header = text[0].split(",")
    bad = text[-1].split(",")
    bad[header.index("currency")] = "dollars"  # not an ISO 4217 code: refused with the row
    catalogue_csv.write_text("\n".join([*text[:-1], ",".join(bad)]) + "\n", encoding="utf-8")
    with EmbeddedStore(store_dir) as s:
        before = fingerprint(s)
    sizes = counting_chunks(monkeypatch, 16_384)
    code, _, err = run_cli(capsys, store_dir, "load", "credentials", str(catalogue_csv), "--graph", CATALOGUE)
    assert code == 2 and "Traceback" not in err
    assert "streamed.csv" in err and f"row {len(text)}" in err and "currency" in err
    assert len(sizes) >= 10  # many chunks were written before the bad row was read
    with EmbeddedStore(store_dir) as s:
        assert fingerprint(s) == before and s.notices == []
        assert CATALOGUE not in s.named_graphs()


def test_a_failing_chunk_write_removes_what_was_written(monkeypatch: pytest.MonkeyPatch, store_dir: Path,
                                                         catalogue_csv: Path) -> None:
    """A chunk the store cannot load (here: text a buggy source wrote wrongly) ends the load with a clear
    error after earlier chunks were written; those are removed."""
    sizes = counting_chunks(monkeypatch, 4_096)
    with EmbeddedStore(store_dir) as s:
        before = fingerprint(s)

        def broken() -> object:
            yield from catalogue_ntriples(generate_credentials(s, 40, seed=1))
            yield NTriples("<http://example.org/s> <http://example.org/p> \"unterminated .\n")

        with pytest.raises(StoreError, match="not valid N-Triples"):
            s.write_graph(CATALOGUE, broken(), LoadRecord(CATALOGUE, "test"))  # type: ignore[arg-type]
        assert len(sizes) >= 5
        assert fingerprint(s) == before


class OverlapWatcher:
    """Stands in for the Oxigraph store inside an EmbeddedStore: counts how many bulk loads run at once."""

    def __init__(self, inner: ox.Store) -> None:
        import threading
        self.inner, self.running, self.most = inner, 0, 0
        self.lock = threading.Lock()

    def bulk_load(self, *args: object, **kwargs: object) -> None:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(0.05)  # long enough for the next chunk to be made and handed over meanwhile
            self.inner.bulk_load(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            with self.lock:
                self.running -= 1

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def test_two_chunks_load_side_by_side_and_no_more(monkeypatch: pytest.MonkeyPatch, store_dir: Path,
                                                   tmp_path: Path, catalogue_csv: Path) -> None:
    """Oxigraph loads one chunk on one core: two chunks load at once (both cores), never three (memory)."""
    other = tmp_path / "other"
    shutil.copytree(store_dir, other)
    with EmbeddedStore(other) as s:
        load_source(s, "credentials", catalogue_csv, graph=CATALOGUE)
        expected = sorted((s.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=CATALOGUE) or b"").splitlines())
    sizes = counting_chunks(monkeypatch, 16_384)
    with EmbeddedStore(store_dir) as s:
        watcher = OverlapWatcher(s._store)
        s._store = watcher  # type: ignore[assignment]
        report = load_source(s, "credentials", catalogue_csv, graph=CATALOGUE)
        s._store = watcher.inner
        assert sorted((s.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=CATALOGUE) or b"").splitlines()) == expected
    assert len(sizes) >= 10 and report.triples == len(expected)
    assert watcher.most == embedded.LOADS_IN_FLIGHT == 2


def test_a_catalogue_csv_is_read_as_its_rows_are_not_whole(tmp_path: Path, catalogue_csv: Path) -> None:
    """The reader holds a row, not the file: the first credentials come before a bad byte near the end is
    read, and that byte is still reported with its own row, line and offset."""
    from mcgraph.credentials.table import iter_checked
    data = catalogue_csv.read_bytes()
    cut = data.rindex(b"\n", 0, len(data) - 1) + 1  # the last row starts here
    bad = tmp_path / "bad-byte.csv"
    bad.write_bytes(data[:cut + 5] + b"\xff" + data[cut + 5:])
    rows = len(data[:cut].splitlines())  # header + credentials before the last row
    got = []
    with pytest.raises(SourceFormatError) as err:
        for cred in iter_checked(bad):
            got.append(cred.iri)
    assert len(got) >= rows - 1 - 8192 // 300 > 200  # all but the rows in the last block read were read first
    message = str(err.value)
    assert f"row {rows + 1}" in message and f"offset {cut + 5}" in message and "0xff" in message


def test_a_lone_surrogate_is_refused_not_a_traceback(store: EmbeddedStore) -> None:
    literal = nt_literal("a\ud800")
    with pytest.raises(StoreError, match="not valid Unicode"):
        store.write_graph(CATALOGUE, [NTriples(f"<http://example.org/s> <http://example.org/p> {literal} .\n")],
                          LoadRecord(CATALOGUE, "test"))
    assert store.named_graphs() == []


def test_quads_naming_another_graph_are_still_refused_among_text_blocks(store: EmbeddedStore) -> None:
    items = [NTriples("<http://example.org/a> <http://example.org/p> \"1\" .\n"),
             ox.Quad(ox.NamedNode("http://example.org/b"), ox.NamedNode("http://example.org/p"), ox.Literal("2"),
                     ox.NamedNode(str(META_GRAPH)))]
    with pytest.raises(SourceFormatError, match="names graph"):
        store.write_graph(CATALOGUE, items, LoadRecord(CATALOGUE, "test"))
    assert store.named_graphs() == []


def test_a_store_without_the_text_path_gets_triples(monkeypatch: pytest.MonkeyPatch, built_store_dir: Path,
                                                     tmp_path: Path, catalogue_csv: Path) -> None:
    """Stores other than the embedded one (the remote store) are handed triples: the text is parsed for them."""
    seen: set[type] = set()

    class ObjectsOnly(EmbeddedStore):
        def write_graph(self, graph, quads, record, **kwargs):  # type: ignore[no-untyped-def]
            def spy():  # type: ignore[no-untyped-def]
                for q in quads:
                    seen.add(type(q))
                    yield q
            return super().write_graph(graph, spy(), record, **kwargs)

    path = tmp_path / "store"
    shutil.copytree(built_store_dir, path)
    monkeypatch.setattr(loading, "EmbeddedStore", type("NotThisOne", (), {}))  # as for the remote store
    with ObjectsOnly(path) as s:
        report = load_source(s, "credentials", catalogue_csv, graph=CATALOGUE)
    assert seen == {ox.Triple} and report.triples > 10_000
    assert list(as_triples([NTriples('<http://a.example/s> <http://a.example/p> "x" .\n')])) == [
        ox.Triple(ox.NamedNode("http://a.example/s"), ox.NamedNode("http://a.example/p"), ox.Literal("x"))]


# -- crash safety of the chunked fresh load ------------------------------------------------------------------

KILLED_LOAD = textwrap.dedent("""
    import sys, time
    from mcgraph.store import EmbeddedStore, LoadRecord, embedded
    from mcgraph.rdf_io import NTriples
    embedded.CHUNK_BYTES = 2_000
    def blocks():
        for i in range(100_000):
            if i == 2_000:
                print("half", flush=True)
                time.sleep(120)
            yield NTriples(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\\n')
    store = EmbeddedStore(sys.argv[1])
    store.write_graph(sys.argv[2], blocks(), LoadRecord(sys.argv[2], "test"))
""")


def test_kill_9_during_a_chunked_load_leaves_nothing_after_the_next_open(store_dir: Path) -> None:
    with EmbeddedStore(store_dir) as s:
        clean = fingerprint(s)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_LOAD, str(store_dir), CATALOGUE],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "half"
    time.sleep(1.0)  # the chunks before the pause are written by now
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with EmbeddedStore(store_dir) as s:
        removed = [n for n in s.notices if n.startswith("removed")]
        assert len(removed) == 1 and CATALOGUE in removed[0] and "stopped before it finished" in removed[0]
        assert int(removed[0].split("(")[1].split(" ")[0].replace(",", "")) >= 1_000  # it had written chunks
        assert fingerprint(s) == clean and CATALOGUE not in s.named_graphs()
    with EmbeddedStore(store_dir) as s:
        assert s.notices == []


def test_a_marker_left_after_the_record_was_written_is_just_cleared(store_dir: Path, catalogue_csv: Path) -> None:
    """Killed between writing the record and clearing the marker: the load is complete and stays."""
    with EmbeddedStore(store_dir) as s:
        load_source(s, "credentials", catalogue_csv, graph=CATALOGUE)
        loaded = fingerprint(s)
        s.oxigraph.add(ox.Quad(ox.NamedNode(CATALOGUE), ox.NamedNode(str(MCG.loadStarted)),
                               ox.Literal("2026-01-01T00:00:00+00:00"), ox.NamedNode(str(META_GRAPH))))
    with EmbeddedStore(store_dir) as s:
        assert s.notices == [] and fingerprint(s) == loaded


def test_a_read_only_store_reports_a_stopped_load_without_touching_it(monkeypatch: pytest.MonkeyPatch,
                                                                       store_dir: Path) -> None:
    with EmbeddedStore(store_dir) as s:
        s.oxigraph.extend([ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                                   ox.Literal("1"), ox.NamedNode(CATALOGUE)),
                           ox.Quad(ox.NamedNode(CATALOGUE), ox.NamedNode(str(MCG.loadStarted)),
                                   ox.Literal("2026-01-01T00:00:00+00:00"), ox.NamedNode(str(META_GRAPH)))])
    real = ox.Store

    class NoWrite:
        read_only = staticmethod(real.read_only)

        def __new__(cls, path: str) -> ox.Store:
            raise PermissionError(f"IO error: While open a file for appending: {path}/LOG: Permission denied")

    monkeypatch.setattr(ox, "Store", NoWrite)
    with EmbeddedStore(store_dir) as s:
        assert any("stopped before it finished" in n and "not removed" in n for n in s.notices)
        assert CATALOGUE in s.named_graphs()
