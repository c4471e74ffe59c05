"""The HTTP front's gates, without a server: size, signature, parse and shape, before Bolt."""

from __future__ import annotations

import io
import json
import logging
import time
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.signature import SignatureVerifier

from bot.playground.slack.slack_requests import sign
from bot.web import MAX_BODY, SlackWsgi
from storage.db import Database, normalize_url

SECRET = "front-secret"
FORM = "application/x-www-form-urlencoded"


class CountingStream(io.BytesIO):
    """wsgi.input that records how much the front asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked = 0

    def read(self, size: int | None = -1) -> bytes:
        self.asked += size if size and size > 0 else len(self.getvalue())
        return super().read(size)


class Front:
    """A SlackWsgi over a Bolt app that acks /delegate and records what reached Bolt."""

    def __init__(self, healthy: bool = True) -> None:
        self.reached_bolt: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] = []
        app = App(
            signing_secret=SECRET,
            # No Slack here: authorize locally instead of calling auth.test.
            authorize=lambda **_: AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="xoxb-t"),
            raise_error_for_unhandled_request=False,
        )

        @app.middleware
        def record(body: dict[str, Any], next: Any) -> None:
            self.reached_bolt.append(body)
            next()

        @app.command("/delegate")
        def delegate(ack: Any, command: dict[str, Any]) -> None:
            self.commands.append(command)
            ack()

        self.wsgi = SlackWsgi(app, signing_secret=SECRET, healthy=lambda: healthy)

    def call(
        self,
        path: str = "/slack/events",
        method: str = "POST",
        *,
        stream: io.BytesIO | None = None,
        environ: dict[str, Any] | None = None,
    ) -> tuple[int, bytes]:
        env: dict[str, Any] = {"PATH_INFO": path, "REQUEST_METHOD": method, **(environ or {})}
        setup_testing_defaults(env)
        env["wsgi.input"] = stream or io.BytesIO(b"")
        answer: dict[str, str] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Any:
            answer["status"] = status
            return lambda data: None

        body = b"".join(self.wsgi(env, start_response))
        return int(answer["status"].split()[0]), body

    def post(
        self,
        body: bytes,
        *,
        content_type: str = FORM,
        signed: bool = True,
        timestamp: str | None = None,
        length: str | None = None,
    ) -> tuple[int, bytes]:
        stamp = timestamp or str(int(time.time()))
        environ: dict[str, Any] = {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": length or str(len(body))}
        if signed:
            environ["HTTP_X_SLACK_REQUEST_TIMESTAMP"] = stamp
            environ["HTTP_X_SLACK_SIGNATURE"] = sign(body, timestamp=stamp, secret=SECRET)
        return self.call(stream=io.BytesIO(body), environ=environ)


def command(text: str) -> bytes:
    fields = {"command": "/delegate", "text": text, "team_id": "T1", "user_id": "U1", "trigger_id": "1.2"}
    return urlencode(fields).encode()


def payload(value: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(value)}).encode()


def test_a_signed_command_reaches_bolt() -> None:
    front = Front()
    assert front.post(command("<@U2> ship it"))[0] == 200
    assert [c["text"] for c in front.commands] == ["<@U2> ship it"]


def test_the_signature_is_checked_once_per_request_not_again_inside_bolt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checks: list[str] = []
    is_valid = SignatureVerifier.is_valid

    def counted(self: SignatureVerifier, *args: Any, **kwargs: Any) -> bool:
        checks.append("checked")
        return is_valid(self, *args, **kwargs)

    monkeypatch.setattr(SignatureVerifier, "is_valid", counted)
    front = Front()
    assert front.post(command("<@U2> ship it"))[0] == 200
    assert front.commands and checks == ["checked"]  # the front's; Bolt's own check is skipped


def test_command_text_saying_payload_is_read_as_a_command() -> None:
    front = Front()
    assert front.post(command("fix the payload parser"))[0] == 200
    assert [c["text"] for c in front.commands] == ["fix the payload parser"]


def test_a_declared_body_over_the_cap_is_refused_unread() -> None:
    front = Front()
    stream = CountingStream(b"")
    status, _ = front.call(stream=stream, environ={"CONTENT_LENGTH": str(100 * 1024 * 1024)})
    assert status == 413 and stream.asked == 0 and front.reached_bolt == []


def test_a_chunked_body_is_read_no_further_than_the_cap() -> None:
    front = Front()
    stream = CountingStream(b"x" * (3 * MAX_BODY))
    status, _ = front.call(stream=stream, environ={"wsgi.input_terminated": True})
    assert status == 413 and stream.asked == MAX_BODY + 1


def test_a_length_that_is_not_a_number_is_400() -> None:
    assert Front().post(command("hi"), length="abc")[0] == 400


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"signed": False}, 401),
        ({"timestamp": str(int(time.time()) - 600)}, 401),  # signed, but replayed too late
    ],
)
def test_unverified_requests_never_reach_bolt(kwargs: dict[str, Any], expected: int) -> None:
    front = Front()
    assert front.post(command("hi"), **kwargs)[0] == expected
    assert front.reached_bolt == []


def test_a_forged_signature_is_401() -> None:
    front = Front()
    body = command("hi")
    stamp = str(int(time.time()))
    environ = {
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": stamp,
        "HTTP_X_SLACK_SIGNATURE": sign(body, timestamp=stamp, secret="guessed"),
    }
    assert front.call(stream=io.BytesIO(body), environ=environ)[0] == 401
    assert front.reached_bolt == []


def test_a_timestamp_that_is_not_a_number_is_400() -> None:
    front = Front()
    environ = {
        "CONTENT_LENGTH": "2",
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": "abc",
        "HTTP_X_SLACK_SIGNATURE": "v0=",
    }
    assert front.call(stream=io.BytesIO(b"a="), environ=environ)[0] == 400


@pytest.mark.parametrize(
    "body",
    [
        b"payload=notjson",
        b"\xff\xfe\x00 not utf-8",
        b"[1, 2]",
        payload({"type": "view_submission", "user": {"id": "U1"}, "view": {"callback_id": "x"}}),
        payload({"type": "block_actions", "user": {"id": "U1"}, "actions": []}),
        payload({"type": "block_actions", "actions": [{"action_id": "a"}]}),  # no user
        payload({"type": "event_callback"}),
        urlencode({"command": "/delegate", "text": "no team or user"}).encode(),
        b"{}",
    ],
)
def test_signed_but_malformed_bodies_are_400_and_never_reach_bolt(body: bytes) -> None:
    front = Front()
    assert front.post(body)[0] == 400
    assert front.reached_bolt == []


def test_one_info_line_per_request_without_what_was_typed(caplog: pytest.LogCaptureFixture) -> None:
    front = Front()
    with caplog.at_level(logging.DEBUG):
        front.post(command("secret plans for Q3"))
        front.post(command("more secret plans"), signed=False)
    lines = [r for r in caplog.records if r.name == "bot.web"]
    assert [(r.levelname, r.getMessage(), r.__dict__["status"]) for r in lines] == [
        ("INFO", "handled", 200),
        ("INFO", "refused", 401),
    ]
    handled = lines[0].__dict__
    assert (handled["team"], handled["user"], handled["kind"]) == ("T1", "U1", "/delegate")
    assert isinstance(handled["ms"], float)
    everything = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "secret" not in everything and "plans" not in everything


def test_health_is_503_when_the_database_is_unreachable() -> None:
    dead = Database.from_url("postgresql://nobody@127.0.0.1:9/none?connect_timeout=1")
    front = Front()
    front.wsgi.healthy = dead.is_healthy
    status, body = front.call("/healthz", "GET")
    assert status == 503 and json.loads(body) == {"ok": False, "database": "unreachable"}


def test_unknown_paths_are_404() -> None:
    assert Front().call("/admin", "GET")[0] == 404
    assert Front().call("/slack/events", "GET")[0] == 404


def test_database_urls_from_hosting_providers_use_the_installed_driver() -> None:
    assert normalize_url("postgres://u:p@db:5432/h") == "postgresql+psycopg://u:p@db:5432/h"
    assert normalize_url("postgresql://u@db/h") == "postgresql+psycopg://u@db/h"
    assert normalize_url("sqlite:///handoff.db") == "sqlite:///handoff.db"
