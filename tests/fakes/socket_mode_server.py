"""Slack's end of Socket Mode, on loopback: the WebSocket a bot without a public URL connects to.

``apps.connections.open`` on the fake Slack hands out this server's ``ws://`` URL with a ticket
of its own; a ticket opens one connection, as Slack's do, and an unknown or used one is
refused at the handshake. On each connection the server says ``hello``, then sends the
envelopes a test gives it (``slash_commands``, ``interactive``, ``events_api``) and records
every acknowledgement the bot sends back: the ``envelope_id`` and the ``payload`` Slack would
show the person or act on.

Typical use::

    with FakeSocketMode(slack) as socket_mode:   # apps.connections.open now points here
        ... start the bot with SLACK_APP_TOKEN=slack.app_token ...
        socket_mode.wait_connected()
        envelope_id = socket_mode.send("slash_commands", {"command": "/tasks", ...})
        ack = socket_mode.wait_ack(envelope_id)
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlparse

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_workspace import APP_ID

JSON = dict[str, Any]
# Slack asks for a response payload where the person waits to see one: commands and forms.
ACCEPTS_RESPONSE = {"slash_commands": True, "interactive": True, "events_api": False}


@dataclass(frozen=True)
class Ack:
    """What the bot sent back for an envelope."""

    envelope_id: str
    payload: JSON | None


@dataclass(frozen=True)
class Envelope:
    """What the server sent: enough to send the same payload again, as Slack's retries do."""

    envelope_id: str
    kind: str
    payload: JSON
    retry_attempt: int = 0


class FakeSocketMode:
    """The Socket Mode server; thread-safe. Waits are bounded and fail with what was seen."""

    def __init__(self, slack: FakeSlack, *, timeout: float = 30.0) -> None:
        self.slack = slack
        self.timeout = timeout
        self._state = threading.Condition()
        self._tickets: dict[str, bool] = {}  # ticket -> used
        self._open: list[ServerConnection] = []
        self._acks: list[Ack] = []
        self._sent: list[Envelope] = []
        self._ids = itertools.count(1)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self.connections = 0  # opened so far

    # ---- lifecycle

    def start(self) -> FakeSocketMode:
        self._server = serve(
            self._converse, "127.0.0.1", 0, process_request=self._check_ticket, compression=None
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-socket-mode", daemon=True
        )
        self._thread.start()
        self.slack.serve_socket_mode(self.issue_url)
        return self

    def stop(self) -> None:
        self.slack.serve_socket_mode(None)
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def issue_url(self) -> str:
        """A URL with a new ticket: what ``apps.connections.open`` answers."""
        assert self._server is not None, "start the Socket Mode server first"
        port = self._server.socket.getsockname()[1]
        ticket = secrets.token_hex(8)
        with self._state:
            self._tickets[ticket] = False
        return f"ws://127.0.0.1:{port}/link/?ticket={ticket}&app_id={APP_ID}"

    # ---- the conversation on one connection

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        ticket = parse_qs(urlparse(request.path).query).get("ticket", [""])[0]
        with self._state:
            if self._tickets.get(ticket) is not False:
                return connection.respond(HTTPStatus.UNAUTHORIZED, "unknown or used ticket\n")
            self._tickets[ticket] = True
        return None

    def _converse(self, connection: ServerConnection) -> None:
        with self._state:
            self._open.append(connection)
            self.connections += 1
            open_now = len(self._open)
            self._state.notify_all()
        try:
            connection.send(json.dumps(_hello(open_now)))
            for message in connection:
                answer = json.loads(message)
                with self._state:
                    self._acks.append(Ack(str(answer["envelope_id"]), answer.get("payload")))
                    self._state.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._state:
                self._open.remove(connection)
                self._state.notify_all()

    # ---- what a test does

    def wait_connected(self) -> None:
        """Until the bot holds a connection."""
        self._wait(lambda: bool(self._open), "the bot to connect")

    def wait_disconnected(self) -> None:
        self._wait(lambda: not self._open, "the bot to close its connection")

    @property
    def is_connected(self) -> bool:
        with self._state:
            return bool(self._open)

    def send(self, kind: str, payload: JSON, *, retry_attempt: int = 0, retry_reason: str = "") -> str:
        """Send an envelope on the bot's newest connection; returns its envelope_id."""
        envelope = Envelope(f"{next(self._ids):04d}-{secrets.token_hex(6)}", kind, payload, retry_attempt)
        message = {
            "envelope_id": envelope.envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": ACCEPTS_RESPONSE[kind],
        }
        if kind == "events_api":
            message.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        self.wait_connected()
        with self._state:
            connection = self._open[-1]
            self._sent.append(envelope)
        connection.send(json.dumps(message))
        return envelope.envelope_id

    def redeliver(self, envelope_id: str) -> str:
        """The same payload again in a new envelope, as Slack sends one it thinks went unanswered."""
        with self._state:
            first = next(e for e in self._sent if e.envelope_id == envelope_id)
        return self.send(
            first.kind, first.payload, retry_attempt=first.retry_attempt + 1, retry_reason="timeout"
        )

    def wait_ack(self, envelope_id: str) -> Ack:
        found: list[Ack] = []

        def acked() -> bool:
            found[:] = [ack for ack in self._acks if ack.envelope_id == envelope_id]
            return bool(found)

        self._wait(acked, f"the ack of envelope {envelope_id}")
        return found[0]

    @property
    def acks(self) -> list[Ack]:
        with self._state:
            return list(self._acks)

    @property
    def sent(self) -> list[Envelope]:
        with self._state:
            return list(self._sent)

    def _wait(self, done: Any, what: str) -> None:
        with self._state:
            if not self._state.wait_for(done, timeout=self.timeout):
                raise AssertionError(f"timed out waiting for {what}; acks so far: {self._acks}")


def _hello(num_connections: int) -> JSON:
    return {
        "type": "hello",
        "num_connections": num_connections,
        "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
        "connection_info": {"app_id": APP_ID},
    }
