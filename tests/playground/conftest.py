"""A playground running in the test process: the page's server on a free port, over real HTTP.

Every API call returns once the bot has finished with it (see ``bot.playground.control``), so the
tests read the outcome at once: nothing sleeps, nothing races the bot's threads.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.playground.control import Playground
from bot.playground.server import PageServer
from bot.playground.slack.interaction_payloads import AUTO_BLOCK_ID

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # Thursday, 10:00 in Berlin, the workspace's zone
OLIVIA, ALICE, BOB, CARLOS, OSCAR = "UOLIVIA", "UALICE", "UBOB", "UCARLOS", "UOSCAR"


@dataclass
class Answer:
    status: int
    json: Any


class PageClient:
    """What the page does: GET /api/state, POST the rest."""

    def __init__(self, url: str, playground: Playground | None = None) -> None:
        self.url = url.rstrip("/")
        self.playground = playground  # the running workspace, for tests that break part of it

    def get(self, path: str) -> Answer:
        return self._open(urllib.request.Request(self.url + path))

    def post(self, path: str, body: Any) -> Answer:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method="POST", headers={"Content-Type": "application/json"}
        )
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Answer(response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            return Answer(error.code, json.loads(error.read()))

    # --- as a person on the page

    def state(self, user: str, conversation: str = "dm") -> dict[str, Any]:
        answer = self.get("/api/state?" + urlencode({"as": user, "conversation": conversation}))
        assert answer.status == 200, answer.json
        return dict(answer.json)

    def ok(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.post(path, body)
        assert answer.status == 200, answer.json
        return dict(answer.json)

    def type(self, user: str, text: str, conversation: str = "dm") -> dict[str, Any]:
        return self.ok("/api/command", {"as": user, "conversation": conversation, "text": text})

    def messages(self, user: str, conversation: str = "dm") -> list[dict[str, Any]]:
        return list(self.state(user, conversation)["messages"])

    def press(self, user: str, message: dict[str, Any], label: str) -> dict[str, Any]:
        """Press the button labelled ``label`` in ``message``, with the ids the page reads from it."""
        block, button = find_button(message, label)
        body = {"as": user, "message": message["ts"], "block_id": block, "action_id": button["action_id"]}
        return self.ok("/api/action", body)

    def advance(self, step: str) -> dict[str, Any]:
        return self.ok("/api/clock", {"advance": step})


def find_button(message: dict[str, Any], label: str) -> tuple[str, dict[str, Any]]:
    for block in message["blocks"]:
        for element in [*(block.get("elements") or []), block.get("accessory") or {}]:
            if element.get("type") == "button" and element["text"]["text"] == label:
                return block.get("block_id", AUTO_BLOCK_ID), element
    raise AssertionError(f"no button {label!r} in {message.get('text', 'the view')!r}")


def plain(message: dict[str, Any]) -> str:
    """The message's text and every text in its blocks, for keyword checks."""
    return message["text"] + "\n" + json.dumps(message["blocks"])


def key_of(message: dict[str, Any]) -> str:
    return str(((message.get("metadata") or {}).get("event_payload") or {}).get("key", ""))


@pytest.fixture
def page() -> Iterator[PageClient]:
    playground = Playground(start=START)
    server = PageServer(playground, port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield PageClient(server.url, playground)
    finally:
        server.shutdown()
        server.server_close()
        playground.stop()
        thread.join(timeout=10)
