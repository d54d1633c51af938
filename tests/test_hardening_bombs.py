"""Issue 13, item 4 (JSON-LD half): a small JSON-LD file cannot expand to gigabytes. Each bomb is loaded in a
separate process capped at 1 GB of address space; the load must end with exit 2, a message naming the file and
the reason, no traceback, and the store as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from bomb_support import JSONLD_BOMBS, MEMORY_CAP, run_capped, store_hash
from conftest import FIXTURES

from mcgraph.credentials.jsonld import LIMITS, ExpansionLimits, bounded, expand, inline_contexts
from mcgraph.errors import SourceFormatError


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("bombs") / "store"
    done = run_capped("--store", str(store), "load", "credentials", str(FIXTURES / "interchange" / "ob3-badge.json"))
    assert done.returncode == 0, done.stderr  # a real credential loads under the same cap
    return store


@pytest.mark.parametrize("name", sorted(JSONLD_BOMBS))
def test_jsonld_bomb_is_refused_under_the_memory_cap(name: str, loaded_store: Path, tmp_path: Path) -> None:
    data = JSONLD_BOMBS[name]()
    assert len(data) < 10_000_000
    bomb = tmp_path / f"{name}.jsonld"
    bomb.write_bytes(data)
    before = store_hash(loaded_store)
    done = run_capped("--store", str(loaded_store), "load", "credentials", str(bomb))
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert bomb.name in done.stderr and "JSON" in done.stderr, done.stderr
    assert store_hash(loaded_store) == before


def test_the_cap_is_one_gigabyte() -> None:
    assert MEMORY_CAP == 1 << 30


def test_budget_scales_with_the_input_and_has_absolute_caps() -> None:
    assert LIMITS.budget(1_000) == LIMITS.budget(LIMITS.floor_bytes)
    triples, chars = LIMITS.budget(1_000_000)
    assert triples == 100_000 and chars == 24_000_000
    assert LIMITS.budget(10**12) == (LIMITS.max_triples, LIMITS.max_chars)


def test_expansion_over_budget_names_the_file_and_the_limit() -> None:
    doc = {"@context": {"p": "http://example.org/p"}, "@id": "urn:s", "p": list(range(50))}
    assert len(expand(doc, "small.jsonld")) == 50
    with pytest.raises(SourceFormatError, match=r"could expand to up to 50 triples \(limit 25\)") as err:
        expand(doc, "small.jsonld", limits=ExpansionLimits(floor_bytes=100, triples_per_byte=0.1))
    assert str(err.value).startswith("small.jsonld")


def test_a_long_term_iri_counts_for_every_use() -> None:
    doc = {"@context": {"a": "http://example.org/" + "x" * 5_000}, "@id": "urn:s", "a": list(range(100))}
    with pytest.raises(SourceFormatError, match="contexts define IRIs of up to 5,019 characters"):
        expand(doc, "long.jsonld", input_bytes=6_000, limits=ExpansionLimits(floor_bytes=1_000))
    assert len(expand(doc, "long.jsonld", input_bytes=6_000)) == 100  # the default budget allows it


def test_the_parser_output_is_bounded_too() -> None:
    quads = [ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(str(i))) for i in range(30)]
    assert len(list(bounded(quads, "q.jsonld", 100, ExpansionLimits(floor_bytes=100, triples_per_byte=0.3)))) == 30
    with pytest.raises(SourceFormatError, match="expands to more than 20 triples"):
        list(bounded(quads, "q.jsonld", 100, ExpansionLimits(floor_bytes=100, triples_per_byte=0.2)))


def test_context_references_and_nesting_are_counted() -> None:
    doc = {"@context": "https://www.w3.org/ns/credentials/v2",
           "x": [{"@context": "https://www.w3.org/ns/credentials/v2"}] * 3}
    inline_contexts(doc, "d.json", ExpansionLimits(context_references=4))
    with pytest.raises(SourceFormatError, match="more than 3 times"):
        inline_contexts(doc, "d.json", ExpansionLimits(context_references=3))
    nested: dict[str, object] = {"@id": "http://example.org/a"}
    for _ in range(5):
        nested = {"@id": "http://example.org/a", "@context": {"t": nested}}
    with pytest.raises(SourceFormatError, match="contexts nested too deeply"):
        inline_contexts({"@context": {"t": nested}}, "d.json", ExpansionLimits(context_depth=4))


def test_keys_that_name_a_node_come_first_after_inlining() -> None:
    doc = {"b": 1, "@id": "urn:x", "@type": "T", "@context": {"b": "http://example.org/b"}}
    assert list(inline_contexts(doc, "d.json")) == ["@context", "@type", "@id", "b"]
    assert json.dumps(inline_contexts(doc, "d.json")["@context"]) == '{"b": "http://example.org/b"}'


# -- a plain .jsonld loaded as RDF (`mcgraph load FILE`) gets the same caps ------------------------------------

def inline_term_bomb(size: int = 1_000_000) -> bytes:
    """Only an inline context (nothing to fetch): a one-letter term standing for a 60,000-character IRI."""
    doc = {"@context": {"a": "http://example.org/" + "x" * 60_000}, "@id": "urn:bomb",
           "a": [i % 10 for i in range(size // 3)]}
    return json.dumps(doc).encode()


@pytest.mark.parametrize("name", ["inline-term.jsonld", "inline-term.jsonld.gz"])
def test_a_jsonld_bomb_loaded_as_rdf_is_refused_under_the_memory_cap(name: str, loaded_store: Path,
                                                                     tmp_path: Path) -> None:
    import gzip

    data = inline_term_bomb()
    bomb = tmp_path / name
    bomb.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    before = store_hash(loaded_store)
    done = run_capped("--store", str(loaded_store), "load", str(bomb), "--graph", "t/bomb")
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert bomb.name in done.stderr and "JSON-LD expansion refused" in done.stderr, done.stderr
    assert store_hash(loaded_store) == before


def test_a_plain_jsonld_file_still_loads_as_rdf(loaded_store: Path, tmp_path: Path) -> None:
    doc = {"@context": {"name": "http://schema.org/name", "knows": {"@id": "http://schema.org/knows", "@type": "@id"}},
           "@id": "http://example.org/a", "name": "A", "knows": ["http://example.org/b", "http://example.org/c"]}
    path = tmp_path / "people.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    done = run_capped("--store", str(loaded_store), "load", str(path), "--graph", "t/people")
    assert done.returncode == 0, done.stderr
    stats = run_capped("--store", str(loaded_store), "stats", "--format", "json")
    records = {r["graph"]: r for r in json.loads(stats.stdout)}
    assert records["https://w3id.org/mcgraph/graph/t/people"]["triples"] == 3
