"""Bad input against every loader and the query command (issue 13, "Must show"): each case ends with exit code 2
(1 for a check that finds problems), no traceback, and the store byte for byte as it was (SHA-256 of the sorted
N-Quads export). The resource bombs run in a separate process under a 1 GB memory cap."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bomb_support import run_capped, term_amplification
from conftest import FIXTURES, REPO, run_cli

INTERCHANGE = FIXTURES / "interchange"
DIGITAL = REPO / "data" / "examples" / "digital-skills"


def copy_folder(source: Path, target: Path, damage: dict[str, Callable[[bytes], bytes]]) -> Path:
    shutil.copytree(source, target)
    for name, change in damage.items():
        path = target / name
        path.write_bytes(change(path.read_bytes() if path.exists() else b""))
    return target


def cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


def replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)
    return change


def write(tmp: Path, name: str, data: bytes | str) -> Path:
    path = tmp / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def gz_truncated(tmp: Path, name: str, source: Path) -> Path:
    data = gzip.compress(source.read_bytes())
    return write(tmp, name, data[: len(data) // 2])


#: (case id, function tmp → CLI arguments after `--store S`, expected exit code)
CASES: list[tuple[str, Callable[[Path], list[str]], int]] = [
    # ESCO
    ("esco-bad-quote", lambda t: ["load", "esco", str(copy_folder(FIXTURES / "esco", t / "esco", {
        "skills_en.csv": replace(b",debug software,", b',"debug software,')}))], 2),
    ("esco-missing-column", lambda t: ["load", "esco", str(copy_folder(FIXTURES / "esco", t / "esco", {
        "occupations_en.csv": replace(b"conceptUri", b"conceptURI")}))], 2),
    ("esco-cut-file", lambda t: ["load", "esco", str(copy_folder(FIXTURES / "esco", t / "esco", {
        "skills_en.csv": cut}))], 2),
    ("esco-a-file-not-a-folder", lambda t: ["load", "esco", str(write(t, "x.txt", "hello"))], 2),
    ("esco-empty-folder", lambda t: ["load", "esco", str((t / "empty").mkdir() or t / "empty")], 2),
    # OaSIS
    ("oasis-cut-guide", lambda t: ["load", "oasis", str(copy_folder(FIXTURES / "oasis", t / "oasis", {
        "guide_oasis_2023_v1.0.csv": lambda d: d[: d.index(b"F03,Technical Skills") + 20]}))], 2),
    ("oasis-latin1", lambda t: ["load", "oasis", str(copy_folder(FIXTURES / "oasis", t / "oasis", {
        "guide_oasis_2023_v1.0.csv": lambda d: d + "Z,Zé,Category,Z,x\n".encode("latin-1")}))], 2),
    # O*NET
    ("onet-short-row", lambda t: ["load", "onet", str(copy_folder(FIXTURES / "onet", t / "onet", {
        "Occupation Data.txt": lambda d: d + b"99-9999.00\tNo description\n"}))], 2),
    ("onet-bad-byte", lambda t: ["load", "onet", str(copy_folder(FIXTURES / "onet", t / "onet", {
        "Skills.txt": lambda d: d[:200] + b"\xff" + d[200:]}))], 2),
    # SFIA
    ("sfia-missing-column", lambda t: ["load", "sfia", str(write(t, "sfia-9_SKILLS.csv", (
        FIXTURES / "sfia" / "sfia-9_test_SKILLS.csv").read_bytes().replace(b"Code", b"Kode", 1)))], 2),
    ("sfia-nul", lambda t: ["load", "sfia", str(write(t, "sfia-9_SKILLS.csv", (
        FIXTURES / "sfia" / "sfia-9_test_SKILLS.csv").read_bytes().replace(b"PROG", b"PR\x00OG", 1)))], 2),
    # SKOS
    ("skos-strict", lambda t: ["load", "skos", str(FIXTURES / "skos" / "broken.ttl"), "-O", "strict=yes"], 2),
    ("skos-bad-option", lambda t: ["load", "skos", str(FIXTURES / "skos" / "broken.ttl"), "-O", "strict=maybe"], 2),
    ("skos-garbage", lambda t: ["load", "skos", str(write(t, "g.ttl", b"\x00\x01<<<>>> ;;"))], 2),
    ("skos-check-finds-problems", lambda t: ["check", "skos", str(FIXTURES / "skos" / "broken.ttl")], 1),
    # CSV taxonomy
    ("csv-taxonomy-unknown-key", lambda t: ["load", "csv-taxonomy", str(write(t, "mapping.yaml", (
        DIGITAL / "mapping.yaml").read_text(encoding="utf-8") + "\nsurprise: 1\n"))], 2),
    ("csv-taxonomy-not-yaml", lambda t: ["load", "csv-taxonomy", str(write(t, "mapping.yaml", "a: [1, 2\n"))], 2),
    # crosswalks
    ("crosswalk-unknown-layout", lambda t: ["load", "crosswalk", str(write(t, "x.csv", "a,b\n1,2\n"))], 2),
    ("crosswalk-truncated-gz", lambda t: ["load", "crosswalk", str(gz_truncated(
        t, "esco_onet.csv.gz", FIXTURES / "crosswalk" / "esco_onet_small.csv"))], 2),
    ("crosswalk-bad-kind", lambda t: ["load", "crosswalk", str(FIXTURES / "crosswalk" / "esco_onet_small.csv"),
                                      "-O", "kind=isco-onet"], 2),
    # credentials: template, OB3, ELM, CTDL
    ("credentials-bad-row", lambda t: ["load", "credentials", str(write(t, "c.csv", (
        FIXTURES / "credentials" / "good.csv").read_text(encoding="utf-8").replace("27.5", "-27.5")))], 2),
    ("credentials-duplicate-yaml-key", lambda t: ["load", "credentials", str(write(
        t, "c.yaml", "credentials:\n  - id: a\n    title: T\n    id: b\n"))], 2),
    ("credentials-random-bytes", lambda t: ["load", "credentials", str(write(t, "c.json", bytes(range(256))))], 2),
    ("credentials-invalid-json", lambda t: ["load", "credentials", str(write(t, "c.json", '{"a": [1, 2\n}'))], 2),
    ("ob3-no-name", lambda t: ["load", "credentials", str(INTERCHANGE / "bad-ob3-no-name.json")], 2),
    ("elm-bad-credit", lambda t: ["load", "credentials", str(INTERCHANGE / "bad-elm-credit.jsonld")], 2),
    ("ctdl-unknown-context", lambda t: ["load", "credentials", str(INTERCHANGE / "bad-unknown-context.json")], 2),
    ("jsonld-protected-term", lambda t: ["load", "credentials", str(INTERCHANGE / "bad-jsonld-protected.json")], 2),
    ("credentials-dev-null", lambda t: ["load", "credentials", "/dev/null"], 2),
    # RDF files
    ("rdf-syntax-error", lambda t: ["load", str(FIXTURES / "foundation" / "broken.ttl")], 2),
    ("rdf-unknown-extension", lambda t: ["load", str(write(t, "x.docx", "hello"))], 2),
    # query parameters
    ("query-missing-parameter", lambda t: ["query", "level-info"], 2),
    ("query-wrong-type", lambda t: ["query", "ontology-classes", "-p", "limit=ten"], 2),
    ("query-bad-decimal", lambda t: ["query", str(write(t, "d.rq", "# param: d decimal — x\nSELECT ?d {}\n")),
                                     "-p", "d=1,5"], 2),
    ("query-unknown-parameter", lambda t: ["query", "ontology-classes", "-p", "nope=1"], 2),
    ("query-unknown-prefix", lambda t: ["query", "level-info", "-p", "level=nope:x"], 2),
    ("query-injection", lambda t: ["query", "level-info", "-p", 'level=http://x/"> } ; DROP ALL ; #'], 2),
    ("query-repeated-parameter", lambda t: ["query", "label-search", "-p", "text=a", "-p", "text=b"], 2),
    ("query-not-name-value", lambda t: ["query", "label-search", "-p", "text"], 2),
    ("query-service", lambda t: ["query", str(write(t, "f.rq", "SELECT * { SERVICE <http://127.0.0.1:9/> "
                                                               "{ ?s ?p ?o } }\n"))], 2),
    ("query-update-text", lambda t: ["query", str(write(t, "u.rq", "DROP ALL\n"))], 2),
    ("query-unknown-name", lambda t: ["query", "no-such-query"], 2),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built store holding a catalogue: what every bad input must leave alone."""
    path = tmp_path_factory.mktemp("bad-input") / "store"
    from mcgraph.build import build
    from mcgraph.loading import load_source
    from mcgraph.store import EmbeddedStore

    with EmbeddedStore(path) as s:
        list(build(s))
        load_source(s, "rdf", FIXTURES / "credentials" / "taxonomy.ttl", graph="urn:test:taxonomy")
        load_source(s, "credentials", FIXTURES / "credentials" / "good.csv")
    return path


def store_hash(capsys: pytest.CaptureFixture[str], store: Path) -> str:
    from mcgraph.cli import main

    with pytest.raises(SystemExit) as done:
        main(["--store", str(store), "export", "--format", "nq"])
    assert done.value.code in (0, None)
    out = capsys.readouterr().out
    return hashlib.sha256("\n".join(sorted(out.splitlines())).encode("utf-8")).hexdigest()


@pytest.mark.parametrize("make,expected", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_fails_cleanly_and_changes_nothing(capsys: pytest.CaptureFixture[str], store: Path,
                                                     tmp_path: Path, make: Callable[[Path], list[str]],
                                                     expected: int) -> None:
    args = make(tmp_path)
    before = store_hash(capsys, store)
    code, _, err = run_cli(capsys, store, *args)
    assert code == expected, err
    assert "Traceback" not in err
    if expected == 2:
        assert err.strip(), "an error must say what went wrong"
    assert store_hash(capsys, store) == before


def test_jsonld_bomb_under_the_memory_cap(capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path) -> None:
    bomb = write(tmp_path, "bomb.jsonld", term_amplification())
    before = store_hash(capsys, store)
    done = run_capped("--store", str(store), "load", "credentials", str(bomb))
    assert done.returncode == 2 and "Traceback" not in done.stderr and "bomb.jsonld" in done.stderr
    assert store_hash(capsys, store) == before
