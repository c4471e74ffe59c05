"""The HTTP front: Slack's requests at POST /slack/events, and GET /healthz.

A plain WSGI callable, so any WSGI server can run it (gunicorn in production, see
``bot.server``). Every request to /slack/events passes three gates before Bolt sees it,
cheapest first, so that nobody without the signing secret can make the process do more
than read 1 MiB and compute one HMAC:

1. the body is read up to ``MAX_BODY`` and no further (413 above it, 400 for a bad length);
2. the signature is checked on those raw bytes with slack_sdk's ``SignatureVerifier``
   (401; 400 for a timestamp that is not a number);
3. the body is parsed here, and its shape checked (400), so that neither a payload Bolt
   cannot parse nor one whose ids it would look up blindly ends in a 500 from inside Bolt.

Only then is it handed to Bolt, already parsed. Bolt's own signature check would need the
raw text, and would read "payload" anywhere in a form body as an interactivity payload, so
a slash command whose text says "payload" would match no listener. So the parsed body goes
in through ``BoltRequest``'s public dict form (``mode="socket_mode"``, the mode whose
requests are verified before they reach Bolt, as these are).

Each answered request is logged once at INFO with ids, kind, status and milliseconds, never
with anything a person typed.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from bot.app import Handoff

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1024 * 1024  # Slack's largest payloads (a full modal's state) are far below this


class Refused(Exception):
    """A request answered before Bolt: the status and a reason safe to show and to log."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Seen:
    """What the log line may say about a request: ids and kinds, nothing typed."""

    team: str | None
    user: str | None
    kind: str


class SlackWsgi:
    """The WSGI application: the three gates, then Bolt; and the health check."""

    def __init__(self, app: App, *, signing_secret: str, healthy: Callable[[], bool]) -> None:
        self.app = app
        self.verifier = SignatureVerifier(signing_secret)
        self.healthy = healthy

    @classmethod
    def for_handoff(cls, handoff: Handoff) -> SlackWsgi:
        runtime = handoff.runtime
        secret = runtime.settings.slack_signing_secret
        if secret is None:  # Settings.from_env requires it of every process that serves HTTP
            raise ValueError("the HTTP front needs SLACK_SIGNING_SECRET to check Slack's signatures")
        return cls(handoff.app, signing_secret=secret, healthy=runtime.db.is_healthy)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        if method == "POST" and path == EVENTS_PATH:
            return self._slack(environ, start_response)
        flow = self.app.oauth_flow  # many workspaces (SLACK_CLIENT_ID): Bolt's install flow
        if method == "GET" and flow is not None and path in (flow.install_path, flow.redirect_uri_path):
            return self._install(path, environ, start_response)
        if method == "GET" and path == HEALTH_PATH:
            healthy = self.healthy()
            body = json.dumps({"ok": healthy, "database": "ok" if healthy else "unreachable"})
            status = HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE
            return _answer(start_response, status, body, "application/json")
        return _answer(start_response, HTTPStatus.NOT_FOUND, "Not Found")

    def _install(self, path: str, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Bolt's OAuth flow: the redirect to Slack's consent page, and Slack's redirect back.

        The query string (code, state) and the state cookie go in; Location and Set-Cookie come
        out. The log line names the path and the status only: a code is as good as a token.
        """
        started = time.perf_counter()
        flow = self.app.oauth_flow
        assert flow is not None
        request = BoltRequest(
            body="",
            query=environ.get("QUERY_STRING", ""),
            headers={name: [value] for name, value in request_headers(environ).items()},
        )
        if path == flow.install_path:
            response = flow.handle_installation(request)
        else:
            response = flow.handle_callback(request)
        logger.info("install", extra={"path": path, "status": response.status, "ms": _ms(started)})
        answer = [(k, v) for k, values in response.headers.items() for v in values]
        start_response(f"{response.status} {_reason(response.status)}", answer)
        return [response.body.encode("utf-8")]

    def _slack(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        try:
            raw = read_body(environ)
            headers = request_headers(environ)
            text = verified_text(self.verifier, raw, headers)
            body = parse_body(text, headers.get("content-type", ""))
            seen = check_shape(body)
        except Refused as refused:
            logger.info(
                "refused",
                extra={"status": int(refused.status), "reason": refused.reason, "ms": _ms(started)},
            )
            return _answer(start_response, refused.status, refused.reason)
        request = BoltRequest(
            body=body,
            query=environ.get("QUERY_STRING", ""),
            headers={name: [value] for name, value in headers.items()},
            mode="socket_mode",  # verified above; the dict form keeps our parse (see module docstring)
        )
        response = self.app.dispatch(request)
        logger.info(
            "handled",
            extra={
                "team": seen.team,
                "user": seen.user,
                "kind": seen.kind,
                "status": response.status,
                "ms": _ms(started),
            },
        )
        answer = [(k, v) for k, values in response.headers.items() for v in values]
        start_response(f"{response.status} {_reason(response.status)}", answer)
        return [response.body.encode("utf-8")]


# ---- gate 1: the body, read no further than the cap


def read_body(environ: WSGIEnvironment) -> bytes:
    """The raw body, at most MAX_BODY bytes; a larger one is refused before it is read."""
    declared = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    if declared and not declared.isdigit():
        raise Refused(HTTPStatus.BAD_REQUEST, "Content-Length is not a number")
    if declared and int(declared) > MAX_BODY:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body larger than 1 MiB")
    try:
        if declared:
            raw = stream.read(int(declared))
        elif environ.get("wsgi.input_terminated"):  # chunked: the server ends the stream for us
            raw = stream.read(MAX_BODY + 1)
        else:
            raw = b""
    except TimeoutError:  # the server's limit on a client that went silent (bot.server)
        raise Refused(HTTPStatus.REQUEST_TIMEOUT, "client stopped sending the body") from None
    if len(raw) > MAX_BODY:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body larger than 1 MiB")
    return bytes(raw)


def request_headers(environ: WSGIEnvironment) -> dict[str, str]:
    """Lower-case header names, as Bolt and the signature check expect them."""
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


# ---- gate 2: the signature, on the raw bytes


def verified_text(verifier: SignatureVerifier, raw: bytes, headers: dict[str, str]) -> str:
    """The body as text, once its signature is known to be Slack's and recent."""
    timestamp = headers.get("x-slack-request-timestamp")
    signature = headers.get("x-slack-signature")
    if not timestamp or not signature:
        raise Refused(HTTPStatus.UNAUTHORIZED, "missing signature")
    if not timestamp.isdigit():
        raise Refused(HTTPStatus.BAD_REQUEST, "timestamp is not a number")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Slack sends UTF-8 only; the verifier would decode it too and raise.
        raise Refused(HTTPStatus.BAD_REQUEST, "body is not UTF-8") from None
    if not verifier.is_valid(body=text, timestamp=timestamp, signature=signature):
        raise Refused(HTTPStatus.UNAUTHORIZED, "invalid or expired signature")
    return text


# ---- gate 3: parse, and check the shape Bolt relies on


def parse_body(text: str, content_type: str) -> dict[str, Any]:
    """JSON bodies (Events API) and forms (commands; interactivity as one ``payload`` field)."""
    try:
        if content_type.startswith("application/json") or text.startswith("{"):
            body = json.loads(text)
        else:
            form = dict(parse_qsl(text, keep_blank_values=True))
            # Only a form whose one field is named payload is an interactivity payload:
            # a command whose text says "payload" stays a command.
            body = json.loads(form["payload"]) if "payload" in form and "command" not in form else form
    except ValueError:
        raise Refused(HTTPStatus.BAD_REQUEST, "body is neither a form nor JSON") from None
    if not isinstance(body, dict):
        raise Refused(HTTPStatus.BAD_REQUEST, "body is not an object")
    return body


def check_shape(body: dict[str, Any]) -> Seen:
    """Refuse what Slack never sends, so Bolt's matching cannot trip over it; name what it is."""
    if "command" in body:
        _require(all(isinstance(body.get(k), str) for k in ("command", "team_id", "user_id")))
        return Seen(body["team_id"], body["user_id"], body["command"])
    kind = body.get("type")
    _require(isinstance(kind, str) or "ssl_check" in body)
    if kind == "url_verification" or "ssl_check" in body:
        return Seen(None, None, kind or "ssl_check")
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            _malformed()
        return Seen(body.get("team_id"), _str(event.get("user")), f"event:{event['type']}")
    team, user = _id_of(body.get("team")), _id_of(body.get("user"))
    _require(user is not None)
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            _malformed()
        _require(all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions))
        return Seen(team, user, f"block_actions:{actions[0]['action_id']}")
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        if not isinstance(view, dict):
            _malformed()
        _require(isinstance(view.get("type"), str) and isinstance(view.get("callback_id"), str))
        return Seen(team, user, f"{kind}:{view['callback_id']}")
    return Seen(team, user, str(kind))


def _require(condition: bool) -> None:
    if not condition:
        _malformed()


def _malformed() -> NoReturn:
    raise Refused(HTTPStatus.BAD_REQUEST, "payload is not shaped like a Slack request")


def _id_of(value: object) -> str | None:
    return _str(value.get("id")) if isinstance(value, dict) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


# ---- answers


def _answer(
    start_response: StartResponse, status: HTTPStatus, body: str, content_type: str = "text/plain"
) -> list[bytes]:
    data = body.encode("utf-8")
    start_response(
        f"{status.value} {status.phrase}",
        [("Content-Type", f"{content_type}; charset=utf-8"), ("Content-Length", str(len(data)))],
    )
    return [data]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


# ---- an in-process server for tests and quick experiments (production runs gunicorn)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # the standard library's 5 drops connections in any burst


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        # The request line's query string may carry an install's code: it is not logged.
        shown = [re.sub(r"\?\S*", "?…", arg) if isinstance(arg, str) else arg for arg in args]
        logger.debug("%s " + format, self.address_string(), *shown)


def make_http_server(handoff: Handoff, *, host: str = "127.0.0.1", port: int = 3000) -> WSGIServer:
    """The WSGI front on the standard library's server, in this process: for the test rig."""
    return make_server(
        host,
        port,
        SlackWsgi.for_handoff(handoff),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
