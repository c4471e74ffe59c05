"""The HTTP front: Slack's requests at POST /slack/events, and GET /healthz.

A plain WSGI callable, so any WSGI server can run it; ``serve`` runs it on a small
threaded server from the standard library.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.context import BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context

from bot.app import Handoff

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def bolt_request(raw_body: str, *, query: str, headers: dict[str, str | Sequence[str]]) -> BoltRequest:
    """A BoltRequest that also understands slash commands whose text says "payload".

    Bolt takes any form body containing the substring "payload" for an interactivity
    payload and finds none, so `/delegate fix payload bug` would match no listener. The
    signature is still checked on the raw body; only the parsed form is corrected.
    """
    request = BoltRequest(body=raw_body, query=query, headers=headers)
    if not request.body and "payload" in raw_body:
        form = dict(parse_qsl(raw_body, keep_blank_values=True))
        if "command" in form and "payload" not in form:
            request.body = form
            request.context = build_context(BoltContext(), form)
    return request


class SlackWsgi:
    def __init__(self, handoff: Handoff) -> None:
        self.handoff = handoff

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = WsgiHttpRequest(environ)
        if request.method == "POST" and request.path == EVENTS_PATH:
            bolt_response = self.handoff.app.dispatch(
                bolt_request(request.get_body(), query=request.query_string, headers=request.get_headers())
            )
            headers = [(k, v) for k, values in bolt_response.headers.items() for v in values]
            start_response(f"{bolt_response.status} {_reason(bolt_response.status)}", headers)
            return [bolt_response.body.encode("utf-8")]
        if request.method == "GET" and request.path == HEALTH_PATH:
            healthy = self.handoff.runtime.db.is_healthy()
            body = json.dumps({"ok": healthy, "database": "ok" if healthy else "unreachable"})
            start_response(
                "200 OK" if healthy else "503 Service Unavailable", [("Content-Type", "application/json")]
            )
            return [body.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"Not Found"]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s " + format, self.address_string(), *args)


def make_http_server(handoff: Handoff, *, host: str = "0.0.0.0", port: int = 3000) -> WSGIServer:
    return make_server(
        host, port, SlackWsgi(handoff), server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
