"""Hostile inputs for the resource-bomb tests: small files that expand to gigabytes, and a runner that loads
one under a memory cap in a separate process."""

from __future__ import annotations

import hashlib
import json
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

#: Address-space cap of the process loading a bomb: the issue's promise of ≤ 1 GB for any input under 10 MB.
MEMORY_CAP = 1024 * 1024 * 1024
OB3_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def _credential(body: dict[str, object], context: object = None) -> dict[str, object]:
    doc: dict[str, object] = {"@context": context if context is not None else OB3_CONTEXT,
                              "type": ["VerifiableCredential", "OpenBadgeCredential"]}
    doc.update(body)
    return doc


def _fill(make: Callable[[int], object], size: int) -> list[object]:
    """As many items from ``make(i)`` as fit in about ``size`` bytes of JSON."""
    one = len(json.dumps(make(0))) + 1
    return [make(i) for i in range(size // one)]


def context_references(size: int = 1_000_000) -> bytes:
    """Every nested node re-references the bundled contexts (each ~15 KB once inlined)."""
    items = _fill(lambda i: {"@context": OB3_CONTEXT, "id": f"urn:n:{i}"}, size)
    return json.dumps(_credential({"id": "urn:bomb", "credentialSubject": items})).encode()


def term_amplification(size: int = 1_000_000) -> bytes:
    """A one-letter term defined as a 60,000-character IRI, used on every value; the node's id comes last."""
    context = OB3_CONTEXT + [{"a": "http://example.org/" + "x" * 60_000}]
    body = {"a": _fill(lambda i: i % 10, size), "id": "urn:bomb"}
    return json.dumps(_credential(body, context)).encode()


def vocab_amplification(size: int = 1_000_000) -> bytes:
    """``@vocab`` is a 60,000-character IRI and every node has a short type expanded against it."""
    context = OB3_CONTEXT + [{"@vocab": "http://example.org/" + "v" * 60_000}]
    items = _fill(lambda i: {"type": "T"}, size)
    return json.dumps(_credential({"id": "urn:bomb", "credentialSubject": {"id": "urn:s", "x": items}},
                                  context)).encode()


def list_amplification(size: int = 1_000_000) -> bytes:
    """An ``@list`` of one-digit numbers: two triples for every two bytes."""
    context = OB3_CONTEXT + [{"l": {"@id": "http://example.org/l", "@container": "@list"}}]
    return json.dumps(_credential({"id": "urn:bomb", "l": _fill(lambda i: 1, size)}, context)).encode()


def nested_contexts(depth: int = 200) -> bytes:
    """Scoped contexts inside scoped contexts, far deeper than any real context."""
    opening = "".join(f'{{"@id": "http://example.org/t{i}", "@context": {{"t": ' for i in range(depth))
    text = opening + '{"@id": "http://example.org/t"}' + "}}" * depth
    contexts = json.dumps(OB3_CONTEXT)[1:-1]
    return (f'{{"@context": [{contexts}, {{"t": {text}}}], "type": ["VerifiableCredential", '
            '"OpenBadgeCredential"], "id": "urn:bomb"}').encode()


JSONLD_BOMBS: dict[str, Callable[[], bytes]] = {
    "context-references": context_references, "term-amplification": term_amplification,
    "vocab-amplification": vocab_amplification, "list-amplification": list_amplification,
    "nested-contexts": nested_contexts, "deep-json": lambda: nested_contexts(50_000),
}


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m mcgraph ARGS`` in a fresh process whose address space is capped at :data:`MEMORY_CAP`."""
    return subprocess.run([sys.executable, "-m", "mcgraph", *args], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=_cap_memory, check=False)


def store_hash(store: Path) -> str:
    """SHA-256 of the store's content: ``mcgraph export --format nq``, lines sorted."""
    done = subprocess.run([sys.executable, "-m", "mcgraph", "--store", str(store), "export", "--format", "nq"],
                          capture_output=True, check=True)
    return hashlib.sha256(b"\n".join(sorted(done.stdout.splitlines()))).hexdigest()
