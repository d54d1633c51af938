"""Run the application with uvicorn on one socket until Ctrl-C (SIGINT) or SIGTERM."""

from __future__ import annotations

import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn

from ..errors import McgraphError
from ..store import GraphStore
from .app import create_app


class _Server(uvicorn.Server):
    """uvicorn's server, announcing its URL once it accepts connections (its signal handlers are in place by
    then), and returning normally on SIGINT or SIGTERM (uvicorn re-raises the signal after shutting down, which
    would end the process with KeyboardInterrupt before the store is closed)."""

    def __init__(self, config: uvicorn.Config, announce: Callable[[], None]) -> None:
        super().__init__(config)
        self._announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit:
            self._announce()

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        original = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (port 0 picks a free one); a clear error when taken."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        raise McgraphError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(store: GraphStore, *, host: str = "127.0.0.1", port: int = 7878, writable: bool = False,
          announce: Callable[[str], None] = print) -> None:
    """Serve ``store`` until interrupted; ``announce`` receives the URL once the socket listens."""
    app = create_app(store, writable=writable)  # refuses --writable on a store that cannot update
    sock = bind(host, port)
    config = uvicorn.Config(app, log_level="warning", access_log=False,
                            lifespan="off", timeout_graceful_shutdown=5)
    server = _Server(config, lambda: announce(url_of(sock)))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
