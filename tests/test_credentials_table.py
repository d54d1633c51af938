"""The CSV/YAML catalogue template: reading, checking (file/row/field errors, nothing loaded), writing, round trips."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from mcgraph.cli import main
from mcgraph.credentials.formats import detect_format
from mcgraph.credentials.model import SCALES, Credential, iter_credentials
from mcgraph.credentials.resolve import Resolver
from mcgraph.credentials.table import (
    COLUMN_NAMES,
    REQUIRED_COLUMNS,
    join_items,
    read_credentials,
    split_items,
    write_csv,
    write_yaml,
)
from mcgraph.errors import McgraphError, SourceFormatError
from mcgraph.exports import get_exporter
from mcgraph.loading import load_source
from mcgraph.namespaces import GRAPH
from mcgraph.store import EmbeddedStore

FIX = Path(__file__).resolve().parent / "fixtures" / "credentials"
GOOD = FIX / "good.csv"
TC1 = "https://w3id.org/mcgraph/id/credential/tc-1"
REPORT_SKILL = "http://data.europa.eu/esco/skill/941364b9-1375-4add-9889-d67bae99bc8c"


def taxonomy_store() -> EmbeddedStore:
    store = EmbeddedStore()
    load_source(store, "rdf", FIX / "taxonomy.ttl", graph=str(GRAPH["fixture/taxonomy"]))
    return store


@pytest.fixture
def tax_store() -> EmbeddedStore:
    return taxonomy_store()


def snapshot(store: EmbeddedStore) -> set[str]:
    return {str(q) for q in store.oxigraph}


def graph_of(store: EmbeddedStore, graph: str) -> rdflib.Graph:
    data = store.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=graph)
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    header = header or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


# -- reading --------------------------------------------------------------------------------------

def test_reads_every_cis_field_of_the_fixture(tax_store: EmbeddedStore) -> None:
    creds = {c.identifier: c for c in read_credentials(GOOD, Resolver(tax_store))}
    assert sorted(creds) == ["tc-1", "tc-2", "tc-cert"]
    tc1 = creds["tc-1"]
    assert tc1.learning_outcomes == ("Write a technical report", "Explain a procedure; clearly")
    assert tc1.languages == ("en", "fr") and str(tc1.notional_hours) == "27.5"
    assert tc1.provider is not None and tc1.provider.iri.endswith("/provider/example-college")
    assert tc1.stacks_into == ("https://w3id.org/mcgraph/id/credential/tc-cert",)
    assert tc1.levels == ("http://data.europa.eu/snb/eqf/5",)
    assert tc1.jurisdictions == ("https://w3id.org/mcgraph/id/jurisdiction/CA-BC",)
    kinds = {c.skill.rsplit("/", 1)[-1]: sorted(c.kinds) for c in tc1.skill_claims}
    assert kinds == {"c32ad607-0c4d-4e34-b73f-668298f7bf13": ["assessed", "taught"],
                     "941364b9-1375-4add-9889-d67bae99bc8c": ["assessed"], "F01b02": ["taught"]}
    oasis = tc1.skill_claims[2]
    assert oasis.scale == SCALES["oasis-skills"].iri
    assert oasis.taxonomy == "https://w3id.org/mcgraph/id/oasis/skills"  # looked up in the store
    assert tc1.sources == ("https://example.org/catalogue/tc-1",) and tc1.illustrative is True
    assert creds["tc-2"].credits[0].system.endswith("/credit-system/ects")
    assert creds["tc-2"].skill_claims[0].level_concept == "http://data.europa.eu/snb/eqf/6"
    assert creds["tc-cert"].kind == "award"


def test_yaml_and_csv_give_the_same_credentials(tmp_path: Path, tax_store: EmbeddedStore) -> None:
    from_csv = read_credentials(GOOD, Resolver(tax_store))
    yaml_file = tmp_path / "good.yaml"
    write_yaml(from_csv, yaml_file)
    assert read_credentials(yaml_file, Resolver(tax_store)) == from_csv


def test_yaml_accepts_claim_and_credit_mappings(tmp_path: Path, tax_store: EmbeddedStore) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("""credentials:
- id: y1
  title: Mapping style
  notional_hours: 12
  credits: [{points: 0.5, system: ects}]
  skill_claims:
  - {skill: "escoskill:2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f", kinds: [assessed], level: 2, scale: proficiency-4}
  start_date: 2025-01-06
""", encoding="utf-8")
    (c,) = read_credentials(f, Resolver(tax_store))
    assert c.skill_claims[0].kinds == frozenset({"assessed"}) and str(c.skill_claims[0].level) == "2"
    assert str(c.credits[0].points) == "0.5" and c.start_date is not None and c.start_date.isoformat() == "2025-01-06"


def test_the_format_registry_picks_the_table_reader() -> None:
    assert detect_format(GOOD).name == "table"


def test_split_and_join_items() -> None:
    assert split_items("en; fr") == ["en", "fr"]
    assert split_items("a; b\nc") == ["a; b", "c"]
    assert split_items(join_items(["a; b"])) == ["a; b"]
    assert split_items(join_items(["x", "y; z"])) == ["x", "y; z"]


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1)
                .map(str.strip).filter(bool), max_size=5))
def test_split_inverts_join(values: list[str]) -> None:
    assert split_items(join_items(values)) == values


# -- loading and round trips -------------------------------------------------------------------------

def test_load_writes_claims_and_shortcuts(tax_store: EmbeddedStore) -> None:
    report = load_source(tax_store, "credentials", GOOD)
    assert report.counts["credentials"] == 3 and report.counts["skill claims"] == 4
    assert tax_store.ask(f"ASK {{ <{TC1}> mcg:assesses <{REPORT_SKILL}> }}")
    assert not tax_store.ask(f"ASK {{ <{TC1}> mcg:teaches <{REPORT_SKILL}> }}")
    assert report.files[0].name == "good.csv"


def test_csv_round_trip_gives_an_isomorphic_graph(tmp_path: Path) -> None:
    first = taxonomy_store()
    load_source(first, "credentials", GOOD, graph=str(GRAPH["catalog/a"]))
    exported = tmp_path / "exported.csv"
    exported.write_bytes(get_exporter("credentials").export(first, "csv", None) or b"")
    second = taxonomy_store()
    load_source(second, "credentials", exported, graph=str(GRAPH["catalog/a"]))
    a, b = graph_of(first, str(GRAPH["catalog/a"])), graph_of(second, str(GRAPH["catalog/a"]))
    assert len(a) > 60 and isomorphic(a, b)
    assert get_exporter("credentials").export(second, "csv", None) == exported.read_bytes()


def test_yaml_export_round_trip(tmp_path: Path) -> None:
    first = taxonomy_store()
    load_source(first, "credentials", GOOD, graph=str(GRAPH["catalog/a"]))
    out = tmp_path / "exported.yaml"
    get_exporter("credentials").export(first, "yaml", out)
    second = taxonomy_store()
    load_source(second, "credentials", out, graph=str(GRAPH["catalog/a"]))
    assert isomorphic(graph_of(first, str(GRAPH["catalog/a"])), graph_of(second, str(GRAPH["catalog/a"])))


def test_round_trip_of_credentials_through_the_model(tax_store: EmbeddedStore) -> None:
    load_source(tax_store, "credentials", GOOD)
    stored = list(iter_credentials(tax_store))
    assert stored == read_credentials(GOOD, Resolver(tax_store))


def test_template_csv_header_is_every_column(tmp_path: Path) -> None:
    assert rows_of(GOOD)  # sanity
    data = write_csv([])
    assert next(csv.reader(io.StringIO(data.decode()))) == list(COLUMN_NAMES)


# -- errors: file, row, field, reason; nothing written ---------------------------------------------------

def expect_rejected(store: EmbeddedStore, path: Path) -> SourceFormatError:
    before = snapshot(store)
    with pytest.raises(SourceFormatError) as err:
        load_source(store, "credentials", path)
    assert snapshot(store) == before, "a rejected file must leave the store unchanged"
    assert err.value.path.endswith(path.name)
    return err.value


def good_rows() -> list[dict[str, str]]:
    return rows_of(GOOD)


def with_cell(path: Path, index: int, column: str, value: str) -> Path:
    """``good.csv`` with one cell changed (``rows[index][column] = value``), written to ``path``."""
    rows = good_rows()
    rows[index][column] = value
    return write_rows(path, rows)


def test_missing_required_column_is_rejected(tmp_path: Path, tax_store: EmbeddedStore) -> None:
    rows = good_rows()
    header = [h for h in rows[0] if h != "notional_hours"]
    err = expect_rejected(tax_store, write_rows(tmp_path / "bad.csv", rows, header))
    assert err.row == 1 and err.field == "notional_hours" and "missing required column" in err.reason


@pytest.mark.parametrize("column", REQUIRED_COLUMNS)
def test_every_required_column_is_required(tmp_path: Path, column: str) -> None:
    rows = good_rows()
    with pytest.raises(SourceFormatError) as err:
        read_credentials(write_rows(tmp_path / "bad.csv", rows, [h for h in rows[0] if h != column]))
    assert err.value.field == column


def test_unknown_esco_iri_is_rejected(tmp_path: Path, tax_store: EmbeddedStore) -> None:
    claim = "escoskill:00000000-0000-0000-0000-000000000000 | taught | 2 | proficiency-4"
    err = expect_rejected(tax_store, with_cell(tmp_path / "bad.csv", 1, "skill_claims", claim))
    assert err.row == 3 and err.field == "skill_claims"
    assert "unknown ESCO skill" in err.reason and "00000000-0000" in err.reason


def test_iri_of_a_taxonomy_not_loaded_says_to_load_it(tmp_path: Path) -> None:
    store = EmbeddedStore()
    err = expect_rejected(store, GOOD)
    assert err.row == 2 and err.field == "skill_claims"
    assert "ESCO is not loaded" in err.reason and "mcgraph load esco" in err.reason


def test_unknown_occupation_is_rejected(tmp_path: Path, tax_store: EmbeddedStore) -> None:
    err = expect_rejected(tax_store, with_cell(tmp_path / "bad.csv", 0, "occupations",
                                               "escoocc:00000000-0000-0000-0000-000000000000"))
    assert (err.row, err.field) == (2, "occupations") and "unknown ESCO occupation" in err.reason


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("notional_hours", "-3", "must not be negative"),
    ("notional_hours", "lots", "not a hours"),
    ("notional_hours", "NaN", "not a finite"),
    ("price", "-1", "must not be negative"),
    ("start_date", "2025-13-01", "not a date"),
    ("end_date", "2025-01-01", "before start date"),
    ("delivery_mode", "carrier pigeon", "unknown delivery mode"),
    ("assessment_types", "exam; vibes", "unknown assessment type"),
    ("identity_verification", "trust me", "unknown identity verification"),
    ("currency", "dollars", "ISO 4217"),
    ("language", "english language", "not a language code"),
    ("jurisdiction", "Narnia", "not an ISO 3166 code or IRI"),
    ("levels", "level six", "not an level IRI"),
    ("credits", "five ects", "not a credit points"),
    ("credits", "5", "POINTS SYSTEM"),
    ("skill_claims", "escoskill:c32ad607-0c4d-4e34-b73f-668298f7bf13 | taught | 9 | proficiency-4", "outside"),
    ("skill_claims", "escoskill:c32ad607-0c4d-4e34-b73f-668298f7bf13 | taught | 2", "needs a scale"),
    ("skill_claims", "escoskill:c32ad607-0c4d-4e34-b73f-668298f7bf13 | learnt", "unknown claim kind"),
    ("skill_claims", "escoskill:c32ad607-0c4d-4e34-b73f-668298f7bf13 | taught | 2 | mystery:scale", "unknown prefix"),
    ("skill_claims", "notaniri | taught", "not an skill IRI"),
    ("stacks_into", "no-such-credential", "neither an id in this file"),
    ("stacks_into", "tc-1", "cannot stack into itself"),
    ("illustrative", "maybe", "not true or false"),
    ("id", "bad id!", "must be letters"),
    ("title", "", "needs a title"),
])
def test_bad_values_name_row_and_field(tmp_path: Path, tax_store: EmbeddedStore, column: str, value: str,
                                       reason: str) -> None:
    err = expect_rejected(tax_store, with_cell(tmp_path / "bad.csv", 0, column, value))
    assert err.row == 2 and err.field == column, str(err)
    assert reason in err.reason, str(err)


def test_price_needs_a_currency(tmp_path: Path, tax_store: EmbeddedStore) -> None:
    err = expect_rejected(tax_store, with_cell(tmp_path / "bad.csv", 0, "currency", ""))
    assert (err.row, err.field) == (2, "currency") and "without a currency" in err.reason


def test_duplicate_ids_and_claims_and_unknown_columns(tmp_path: Path, tax_store: EmbeddedStore) -> None:
    err = expect_rejected(tax_store, with_cell(tmp_path / "dup.csv", 1, "id", "tc-1"))
    assert (err.row, err.field) == (3, "id") and "used twice (first in row 2)" in err.reason
    rows = good_rows()
    rows[0]["skill_claims"] += "\nescoskill:c32ad607-0c4d-4e34-b73f-668298f7bf13 | assessed"
    err = expect_rejected(tax_store, write_rows(tmp_path / "dupclaim.csv", rows))
    assert err.field == "skill_claims" and "claimed twice" in err.reason
    rows = good_rows()
    for r in rows:
        r["hourz"] = "3"
    err = expect_rejected(tax_store, write_rows(tmp_path / "unknown.csv", rows))
    assert (err.row, err.field) == (1, "hourz") and "unknown column" in err.reason


def test_a_bad_row_late_in_the_file_loads_nothing(tmp_path: Path, tax_store: EmbeddedStore) -> None:
    err = expect_rejected(tax_store, with_cell(tmp_path / "late.csv", 2, "notional_hours", "-1"))
    assert err.row == 4
    assert not tax_store.ask(f"ASK {{ <{TC1}> ?p ?o }}")


def test_yaml_errors_name_the_credential_and_line(tmp_path: Path, tax_store: EmbeddedStore) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("credentials:\n- id: a\n  title: A\n- id: b\n  title: B\n  notional_hours: -2\n", encoding="utf-8")
    err = expect_rejected(tax_store, f)
    assert (err.row, err.line, err.field) == (2, 4, "notional_hours")
    f.write_text("credentials:\n- id: a\n  title: [unclosed\n", encoding="utf-8")
    assert "not valid YAML" in expect_rejected(tax_store, f).reason
    f.write_text("catalogue:\n- id: a\n", encoding="utf-8")
    assert "unexpected top-level key" in expect_rejected(tax_store, f).reason


def test_cli_reports_file_row_field_and_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = with_cell(tmp_path / "bad.csv", 0, "notional_hours", "-3")
    store = tmp_path / "store"
    with pytest.raises(SystemExit) as exit_:
        main(["--store", str(store), "load", "credentials", str(bad)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "bad.csv" in err and "row 2" in err and "notional_hours" in err and "negative" in err


def test_export_of_an_unavailable_interchange_format_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "mcgraph.credentials.ob3", None)
    with pytest.raises(McgraphError, match="not available"):
        get_exporter("credentials").export(EmbeddedStore(), "ob3", None)


# -- fuzzing: a bad file raises SourceFormatError (or loads), never anything else --------------------------

_HEADER = ",".join(COLUMN_NAMES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(max_size=400), use_header=st.booleans())
def test_fuzz_csv_reader(tmp_path_factory: pytest.TempPathFactory, body: str, use_header: bool) -> None:
    f = tmp_path_factory.mktemp("fuzz") / "f.csv"
    f.write_text((_HEADER + "\n" if use_header else "") + body, encoding="utf-8", errors="surrogatepass")
    try:
        creds = read_credentials(f)
    except SourceFormatError as exc:  # refused: the message names the file and a reason
        assert str(exc).startswith(str(f)) and exc.reason
    else:
        assert all(isinstance(c, Credential) and c.iri and c.title for c in creds)


_CELL = st.one_of(st.just(""), st.text(max_size=30),
                  st.sampled_from(["-1", "1e400", "NaN", "2025-02-30", "eqf:6", "5 ects", "a | b | c | d | e | f | g",
                                   "escoskill:x | taught | 3 | proficiency-4", "CA-BC", "true", "<http://x>"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({c: _CELL for c in ("id", "title", "notional_hours", "price", "currency",
                                                          "start_date", "end_date", "credits", "levels",
                                                          "skill_claims", "jurisdiction", "stacks_into",
                                                          "illustrative", "language", "delivery_mode")}),
                min_size=1, max_size=3))
def test_fuzz_csv_cells(rows: list[dict[str, str]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "f.csv"
        full = [{c: r.get(c, "") for c in COLUMN_NAMES} for r in rows]
        write_rows(f, full, list(COLUMN_NAMES))
        store = taxonomy_store()
        before = snapshot(store)
        try:
            load_source(store, "credentials", f)
        except SourceFormatError:
            assert snapshot(store) == before


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                              st.dates()),
                    lambda inner: st.one_of(st.lists(inner, max_size=4),
                                            st.dictionaries(st.sampled_from(["id", "title", "credentials",
                                                                             "skill_claims", "credits", "skill",
                                                                             "level", "notional_hours", "x"]),
                                                            inner, max_size=4)),
                    max_leaves=12))
def test_fuzz_yaml_documents(doc: object) -> None:
    import tempfile

    import yaml

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "f.yaml"
        f.write_text(yaml.safe_dump(doc), encoding="utf-8")
        try:
            creds = read_credentials(f)
        except SourceFormatError as exc:  # refused: the message names the file and a reason
            assert str(exc).startswith(str(f)) and exc.reason
        else:  # accepted: each credential has the identity and title the template requires
            assert all(isinstance(c, Credential) and c.iri and c.title for c in creds)
