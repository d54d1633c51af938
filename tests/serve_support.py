"""Run ``mcgraph serve`` as a real process for the serve and browser tests, and talk to it over HTTP."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

SERVE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "serve"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass
class RunningServer:
    """A ``mcgraph serve`` subprocess: its URL, its first line of output and the process."""

    url: str
    banner: str
    process: subprocess.Popen[str]
    stopped: list[int] = field(default_factory=list)

    def request(self, method: str, path: str, *, params: dict[str, str] | None = None, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        parts = urlsplit(self.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            target = path + ("?" + urlencode(params) if params else "")
            conn.request(method, target, body=body, headers=headers or {})
            response = conn.getresponse()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            conn.close()

    def get(self, path: str, params: dict[str, str] | None = None, accept: str | None = None) -> Answer:
        return self.request("GET", path, params=params, headers={"Accept": accept} if accept else {})

    def post(self, path: str, body: str, content_type: str, accept: str | None = None) -> Answer:
        headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
        return self.request("POST", path, body=body.encode("utf-8"), headers=headers)

    def stop(self, sig: signal.Signals = signal.SIGINT) -> tuple[int, str, str]:
        """Ctrl-C (SIGINT, or ``sig``), then the exit code and the rest of stdout and stderr."""
        self.process.send_signal(sig)
        try:
            out, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        self.stopped.append(self.process.returncode)
        return self.process.returncode, out, err


def start_server(store_dir: Path, *options: str) -> RunningServer:
    """``python -m mcgraph --store STORE_DIR serve --port 0 OPTIONS``; returns once it printed its URL."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    process = subprocess.Popen([sys.executable, "-m", "mcgraph", "--store", str(store_dir), "serve", "--port", "0",
                                *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    banner = process.stdout.readline() if process.stdout else ""
    if "http://" not in banner:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"mcgraph serve did not start: {banner}{out}{err}")
    url = banner.split("mcgraph serve: ", 1)[1].split()[0]
    return RunningServer(url, banner, process)


@contextmanager
def running_server(store_dir: Path, *options: str) -> Iterator[RunningServer]:
    """A server for the duration of the block, stopped with SIGINT afterwards whatever happens."""
    server = start_server(store_dir, *options)
    try:
        yield server
    finally:
        if not server.stopped:
            server.stop()


def copy_store(source: Path, target: Path) -> Path:
    """A private copy of a store folder (a served store is locked by the server process)."""
    shutil.copytree(source, target)
    return target


def fixture_text(name: str) -> str:
    return (SERVE_FIXTURES / name).read_text(encoding="utf-8")
