"""The page's server on 127.0.0.1: the static page and the JSON API, on the standard library's server."""

from __future__ import annotations

import json
import logging
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.playground import api
from bot.playground.control import Playground
from bot.playground.errors import BadRequest

logger = logging.getLogger(__name__)

STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/style.css": ("style.css", "text/css; charset=utf-8"),
}
MAX_BODY = 1_000_000  # bytes; the page sends a line of text or a form


class PageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, playground: Playground, *, host: str = "127.0.0.1", port: int = 3000) -> None:
        super().__init__((host, port), _Handler)
        self.playground = playground

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    server: PageServer

    def do_GET(self) -> None:
        if not self._from_this_address():
            return
        path, _, query = self.path.partition("?")
        if path in STATIC:
            name, content_type = STATIC[path]
            body = resources.files("bot.playground").joinpath("static", name).read_bytes()
            self._send(HTTPStatus.OK, body, content_type)
        elif path in api.GETS:
            self._api(lambda pg: api.GETS[path](pg, dict(parse_qsl(query))))
        else:
            self._json(
                HTTPStatus.NOT_FOUND, {"error": f"Nothing at {path}: the page is at /, the API under /api/."}
            )

    def do_POST(self) -> None:
        if not self._from_this_address():
            return
        path = urlsplit(self.path).path
        if path not in api.POSTS:
            known = ", ".join(sorted(api.POSTS))
            self._json(HTTPStatus.NOT_FOUND, {"error": f"No API {path}: POST to one of {known}."})
            return
        if self.headers.get_content_type() != "application/json":
            # A form or text another website posts needs no permission from the browser; JSON does.
            self._json(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                {"error": "Send JSON: a JSON object body with Content-Type: application/json."},
            )
            return
        try:
            body = self._body()
        except BadRequest as problem:
            self._json(HTTPStatus.BAD_REQUEST, {"error": problem.message})
            return
        self._api(lambda pg: api.POSTS[path](pg, body))

    def _from_this_address(self) -> bool:
        """Whether the request names this server as the page does: a web page on another name
        that resolves here (DNS rebinding) is refused, with 403."""
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").strip().lower()
        if host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            return True
        self._json(
            HTTPStatus.FORBIDDEN,
            {
                "error": f"The playground answers only at http://127.0.0.1:{port}/ or http://localhost:{port}/."
            },
        )
        return False

    def _body(self) -> dict[str, Any]:
        given = (self.headers.get("Content-Length") or "0").strip()
        if not re.fullmatch(r"[0-9]+", given) or int(given) > MAX_BODY:
            raise BadRequest(f"Send Content-Length as the body's size: a number of bytes up to {MAX_BODY}.")
        length = int(given)
        raw = self.rfile.read(length) if length else b"{}"
        try:
            body = json.loads(raw)
        except ValueError:
            raise BadRequest('Send a JSON object, e.g. {"as": "UOLIVIA", ...}.') from None
        if not isinstance(body, dict):
            raise BadRequest('Send a JSON object, e.g. {"as": "UOLIVIA", ...}.')
        return body

    def _api(self, call: Any) -> None:
        try:
            answer = call(self.server.playground)
        except BadRequest as problem:
            self._json(HTTPStatus.BAD_REQUEST, {"error": problem.message})
            return
        except Exception:
            logger.exception("playground request %s failed", self.path)
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "The playground failed; see its log."})
            return
        self._json(HTTPStatus.OK, answer)

    def _json(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        self._send(status, json.dumps(body).encode(), "application/json")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s " + format, self.address_string(), *args)
