"""Issue 13, item 5: a query never reaches the network unless asked to (``--allow-service``)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli

from mcgraph.errors import QueryError
from mcgraph.queries import list_queries, run_query, uses_service
from mcgraph.store import EmbeddedStore


class Listener:
    """A loopback TCP listener counting the connections that arrive (each is answered and closed)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


def service_query(tmp_path: Path, port: int, keyword: str = "SERVICE") -> Path:
    path = tmp_path / "federated.rq"
    path.write_text(f"# title: federated\nSELECT * WHERE {{ {keyword} <http://127.0.0.1:{port}/sparql> "
                    "{ ?s ?p ?o } }\n", encoding="utf-8")
    return path


def test_service_query_is_refused_and_no_connection_arrives(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, listener: Listener) -> None:
    query = service_query(tmp_path, listener.port)
    code, _, err = run_cli(capsys, tmp_path / "store", "query", str(query))
    assert code == 2
    assert "--allow-service" in err and "federated" in err and "Traceback" not in err
    assert listener.connections == 0


def test_allow_service_does_reach_the_listener(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, listener: Listener) -> None:
    """The control: with the option the engine connects, so the listener above would have seen a request."""
    query = service_query(tmp_path, listener.port)
    code, _, err = run_cli(capsys, tmp_path / "store", "query", str(query), "--allow-service")
    assert code == 2 and "Traceback" not in err  # the listener hangs up: the query fails, cleanly
    assert listener.connections >= 1


@pytest.mark.parametrize("keyword", ["service", "SeRvIcE", "\\u0053ERVICE", "\\U00000053ERVICE"])
def test_service_in_any_case_or_escaped_is_refused_in_python(tmp_path: Path, listener: Listener,
                                                             keyword: str) -> None:
    with pytest.raises(QueryError, match="allow-service"):
        run_query(EmbeddedStore(), service_query(tmp_path, listener.port, keyword))
    assert listener.connections == 0


@pytest.mark.parametrize("text", [
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
    "SELECT * WHERE { ?s ?p '''SERVICE\n<http://x/> {}''' }",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ex:service ?o }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> { }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3) } ",
])
def test_the_word_service_outside_the_keyword_position_is_not_federation(text: str) -> None:
    assert not uses_service(text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE SILENT <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c . SERVICE ?endpoint { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p "x" . service<http://x/>{ ?s ?p ?o } }',
    "SELECT * WHERE { # comment\nSERVICE <http://x/> { ?s ?p ?o } }",
])
def test_federated_queries_are_detected(text: str) -> None:
    assert uses_service(text)


def test_no_named_query_needs_service() -> None:
    queries = list_queries(internal=True)
    assert len(queries) > 20
    assert [q.name for q in queries if uses_service(q.text)] == []
