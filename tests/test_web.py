"""The HTTP front, without Slack: health, unknown paths, and the "payload" form quirk."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

from bot.web import SlackWsgi, bolt_request
from storage.db import Database, normalize_url


def call(app: SlackWsgi, path: str, method: str = "GET") -> tuple[str, bytes]:
    environ: dict[str, Any] = {"PATH_INFO": path, "REQUEST_METHOD": method}
    setup_testing_defaults(environ)
    answer: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Any:
        answer["status"] = status
        return lambda data: None

    body = b"".join(app(environ, start_response))
    return answer["status"], body


def front_with(db: Database) -> SlackWsgi:
    return SlackWsgi(SimpleNamespace(runtime=SimpleNamespace(db=db)))  # type: ignore[arg-type]


def test_health_is_503_when_the_database_is_unreachable() -> None:
    dead = Database.from_url("postgresql://nobody@127.0.0.1:9/none?connect_timeout=1")
    status, body = call(front_with(dead), "/healthz")
    assert status.startswith("503") and json.loads(body) == {"ok": False, "database": "unreachable"}


def test_unknown_paths_are_404(tmp_path: Any) -> None:
    status, _ = call(front_with(Database.from_url(f"sqlite:///{tmp_path}/h.db")), "/admin")
    assert status.startswith("404")


def test_command_text_saying_payload_is_read_as_a_command() -> None:
    raw = urlencode(
        {"command": "/delegate", "text": "fix the payload parser", "team_id": "T1", "user_id": "U1"}
    )
    request = bolt_request(raw, query="", headers={"content-type": ["application/x-www-form-urlencoded"]})
    assert request.body["command"] == "/delegate" and request.body["text"] == "fix the payload parser"
    assert request.context.team_id == "T1"


def test_database_urls_from_hosting_providers_use_the_installed_driver() -> None:
    assert normalize_url("postgres://u:p@db:5432/h") == "postgresql+psycopg://u:p@db:5432/h"
    assert normalize_url("postgresql://u@db/h") == "postgresql+psycopg://u@db/h"
    assert normalize_url("sqlite:///handoff.db") == "sqlite:///handoff.db"
