"""Offline JSON-LD: bundled contexts, no network ever, clear errors for malformed documents, fuzzing."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import FIXTURES, shared_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interchange_support import GRAPH, load

from mcgraph.credentials import ctdl, elm, jsonld, ob3
from mcgraph.errors import McgraphError, SourceFormatError
from mcgraph.sources.base import LoadReport
from mcgraph.store import EmbeddedStore

HERE = FIXTURES / "interchange"
GOOD = ["ob3-badge.json", "elm-specs.jsonld", "ctdl-credentials.json"]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Every attempt to open a socket or resolve a name fails the test (and is recorded)."""
    attempts: list[tuple] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_every_bundled_context_is_package_data_and_valid_json() -> None:
    files = set(jsonld.BUNDLED.values())
    for url in jsonld.BUNDLED:
        ctx = jsonld.bundled_context(url)
        assert isinstance(ctx, dict) and ctx, url
    folder = Path(jsonld.__file__).parent / "contexts"
    on_disk = {p.name for p in folder.iterdir() if p.suffix in (".json", ".jsonld")}
    assert on_disk == files                             # nothing bundled that is not mapped, and vice versa
    readme = (folder / "README.md").read_text()
    assert all(name.split(".")[0] in readme for name in files)   # each file has its origin and licence noted


def test_url_variants_resolve_to_the_same_bundled_context() -> None:
    assert jsonld.bundled_file("https://credreg.net/ctdl/schema/context/json") == "ctdl-minimal.jsonld"
    assert jsonld.bundled_file("http://www.w3.org/ns/credentials/v2/") == "w3c-credentials-v2.jsonld"
    assert jsonld.bundled_file("https://example.org/context.jsonld") is None


@pytest.mark.parametrize("name", GOOD)
def test_fixtures_load_with_the_network_switched_off(name: str, no_network: list[tuple]) -> None:
    _, report = load(HERE / name)
    assert report.triples > 10
    assert no_network == []


@pytest.mark.realdata
def test_all_real_samples_parse_with_the_network_switched_off(no_network: list[tuple]) -> None:
    folder = shared_path("credential-samples")
    paths = [p for p in sorted(folder.rglob("*.json*")) if p.name != "edc-ap-context.jsonld"]
    assert len(paths) == 16
    total = 0
    for path in paths:
        triples, _ = jsonld.read_jsonld(path)
        total += len(triples)
    assert total > 2000 and no_network == []


def test_unknown_remote_context_is_an_error_not_a_download(no_network: list[tuple]) -> None:
    with pytest.raises(SourceFormatError) as err:
        load(HERE / "bad-unknown-context.json")
    e = err.value
    assert e.field == "@context" and e.path.endswith("bad-unknown-context.json")
    assert "context https://purl.imsglobal.org/spec/ob/v3p0/context-3.9.9.json is not bundled" in e.reason
    assert no_network == []


@pytest.mark.parametrize(("name", "where", "reason"), [
    ("bad-syntax.json", {"line": 5, "column": 1}, "not valid JSON"),
    ("bad-jsonld-protected.json", {}, "Overriding the protected term id"),
    ("bad-ob3-no-name.json", {"field": "achievement.name"}, "has no name"),
    ("bad-elm-credit.jsonld", {"field": "creditPoint.point"}, "is not a number"),
])
def test_malformed_files_name_file_place_and_reason_and_load_nothing(name: str, where: dict, reason: str) -> None:
    store = EmbeddedStore()
    from mcgraph.loading import load_source

    with pytest.raises(SourceFormatError) as err:
        load_source(store, "credentials", HERE / name, graph=GRAPH)
    e = err.value
    assert e.path.endswith(name) and reason in e.reason
    for key, value in where.items():
        assert getattr(e, key) == value
    assert store.graph_records() == []                                  # nothing of that file is loaded


def test_json_without_context_is_not_json_ld(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    path.write_text(json.dumps({"type": "OpenBadgeCredential", "name": "x"}))
    with pytest.raises(SourceFormatError, match="no @context") as err:
        ob3.read(path, LoadReport("credentials")).__next__()
    assert err.value.field == "@context"


def test_signed_envelope_with_base64_payload_is_opened(tmp_path: Path) -> None:
    import base64

    inner = (HERE / "ob3-badge.json").read_bytes()
    envelope = {"payload": base64.urlsafe_b64encode(inner).decode().rstrip("="),
                "signatures": [{"protected": "e30", "signature": "AA"}]}
    path = tmp_path / "signed.json"
    path.write_text(json.dumps(envelope))
    doc, was_envelope = jsonld.open_envelope(json.loads(path.read_text()), path)
    assert was_envelope and doc["credentialSubject"]["achievement"]["name"] == "Data basics"


def test_hours_from_duration() -> None:
    from decimal import Decimal

    assert jsonld.hours_from_duration("PT150H") == Decimal(150)
    assert jsonld.hours_from_duration("P2DT12H") == Decimal(60)          # Oxigraph's canonical PT60H
    assert jsonld.hours_from_duration("PT90M") == Decimal("1.5")
    with pytest.raises(jsonld.CalendarDuration):
        jsonld.hours_from_duration("P2M")
    with pytest.raises(ValueError):
        jsonld.hours_from_duration("sixty hours")
    assert jsonld.duration_from_hours(Decimal("37.50")) == "PT37.5H"


# -- fuzzing: bad input only ever raises McgraphError ----------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["@context", "@id", "@type", "id", "type", "name", "title", "achievement", "alignment",
                         "targetUrl", "creditPoint", "point", "learningOutcome", "ceterms:name", "ceterms:teaches",
                         "@graph", "credentialSubject", "payload", "signatures"]) | st.text(max_size=8),
        children, max_size=5),
    max_leaves=25)
_contexts = st.sampled_from([elm.CONTEXT_URL, ob3.CONTEXTS, ctdl.CONTEXT_URL, "https://example.org/x", None, {}])
_types = st.sampled_from(["LearningAchievementSpecification", "Qualification", "Achievement",
                          ["VerifiableCredential", "OpenBadgeCredential"], "ceterms:MicroCredential", "Concept"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_json, context=_contexts, kind=_types, fmt=st.sampled_from([elm, ob3, ctdl]))
def test_readers_never_crash_on_arbitrary_documents(tmp_path_factory: pytest.TempPathFactory, body: object,
                                                     context: object, kind: object, fmt: object) -> None:
    doc = {"@context": context, "@id": "urn:x:fuzz", "@type": kind, "nested": body}
    if isinstance(body, dict):
        doc.update({k: v for k, v in body.items() if k not in ("@context",)})
    path = tmp_path_factory.mktemp("fuzz") / "doc.jsonld"
    path.write_text(json.dumps(doc))
    try:
        triples = list(fmt.read(path, LoadReport("credentials")))  # type: ignore[attr-defined]
    except McgraphError as exc:  # refused: the message names the file
        assert path.name in str(exc), exc
    else:  # accepted: RDF triples of the mcgraph model
        assert all(isinstance(t, (ox.Triple, ox.Quad)) for t in triples)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_readers_never_crash_on_arbitrary_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "doc.json"
    path.write_bytes(data)
    for fmt in (elm, ob3, ctdl):
        try:
            triples = list(fmt.read(path, LoadReport("credentials")))
        except McgraphError as exc:  # refused: the message names the file
            assert path.name in str(exc), exc
        else:  # 300 random bytes are never a credential document
            assert triples == [], (fmt, data)
