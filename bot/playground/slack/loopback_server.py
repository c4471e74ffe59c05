"""The HTTP side of the fake: a threaded server on 127.0.0.1 that hands each request to a FakeSlack."""

from __future__ import annotations

import functools
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from bot.playground.slack.fake_slack import FakeSlack


class LoopbackServer(ThreadingHTTPServer):
    """Listens on a free loopback port (``server_address[1]`` says which) and serves from its own thread."""

    daemon_threads = True  # a hung client must not keep the test process alive
    # The standard library listens with a backlog of 5; several bot processes calling at once
    # (the scale-out scenario) would find their connections dropped or reset. Queue them instead.
    request_queue_size = 128

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake
        # A short poll interval keeps stop() (which waits for the serve loop) fast in every test teardown.
        serve = functools.partial(self.serve_forever, poll_interval=0.01)
        self._thread = threading.Thread(target=serve, name="fake-slack", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return  # the client went away before its answer (a bot process that was killed)
        super().handle_error(request, client_address)

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    """Routes /api/<method>, /upload/<file id> and /response/<n> to the FakeSlack attached to the server."""

    server: LoopbackServer

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean; the fake records every call instead

    def _serve(self) -> None:
        fake = self.server.fake
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if url.path.startswith("/api/"):
            status, payload, headers = fake.handle_api(
                url.path.removeprefix("/api/"),
                content_type=self.headers.get("Content-Type", ""),
                body=body,
                query=url.query,
                authorization=self.headers.get("Authorization", ""),
            )
            self._send(status, json.dumps(payload).encode(), "application/json; charset=utf-8", headers)
        elif url.path.startswith("/upload/"):
            status, text, headers = fake.handle_upload(url.path.removeprefix("/upload/"), body)
            self._send(status, text.encode(), "text/plain; charset=utf-8", headers)
        elif url.path.startswith("/response/"):
            status, text, headers = fake.handle_response_url(fake.base_url + url.path, body)
            self._send(status, text.encode(), "text/plain; charset=utf-8", headers)
        else:
            self._send(404, b"not found", "text/plain", {})

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
