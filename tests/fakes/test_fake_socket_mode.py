"""The fake Slack's Socket Mode end: the app token opens a connection, envelopes go out, acks come back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from bot.playground.slack.fake_slack import FakeSlack
from tests.fakes.fake_slack_cases import slack_error
from tests.fakes.socket_mode_server import FakeSocketMode


@pytest.fixture
def socket_mode(fake: FakeSlack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode(fake, timeout=10) as server:
        yield server


def test_the_app_token_opens_a_connection_and_no_other_token_does(
    fake: FakeSlack, socket_mode: FakeSocketMode
) -> None:
    app = WebClient(base_url=fake.api_url, token=fake.app_token)
    first, second = (app.apps_connections_open(app_token=fake.app_token)["url"] for _ in range(2))
    assert first.startswith("ws://127.0.0.1:") and first != second  # a ticket of its own each time

    bot = WebClient(base_url=fake.api_url, token=fake.bot_token)
    assert (
        slack_error(lambda: bot.apps_connections_open(app_token=fake.bot_token)) == "not_allowed_token_type"
    )
    assert slack_error(lambda: app.apps_connections_open(app_token="xapp-1-A0-1-nobody")) == "invalid_auth"
    assert slack_error(lambda: app.chat_postMessage(channel="U1", text="hi")) == "not_allowed_token_type"
    assert fake.contract_violations == []


def test_without_a_socket_mode_server_the_call_is_a_violation(fake: FakeSlack) -> None:
    app = WebClient(base_url=fake.api_url, token=fake.app_token)
    assert slack_error(lambda: app.apps_connections_open(app_token=fake.app_token)) == "not_supported_by_fake"
    assert "no Socket Mode server" in fake.contract_violations[0]


def test_a_ticket_opens_one_connection(fake: FakeSlack, socket_mode: FakeSocketMode) -> None:
    url = socket_mode.issue_url()
    with connect(url) as first:
        assert '"type": "hello"' in str(first.recv(timeout=5))
        with pytest.raises(InvalidStatus):
            connect(url)


def test_slack_sdks_client_gets_hello_and_envelopes_and_its_acks_are_recorded(
    fake: FakeSlack, socket_mode: FakeSocketMode
) -> None:
    client = SocketModeClient(app_token=fake.app_token, web_client=WebClient(base_url=fake.api_url))
    hello = threading.Event()

    def heard(_client: BaseSocketModeClient, message: dict[str, Any], _raw: str | None) -> None:
        if message["type"] == "hello":
            hello.set()

    def ack(c: BaseSocketModeClient, request: SocketModeRequest) -> None:
        answer = {"text": f"got {request.payload['command']}"} if request.type == "slash_commands" else None
        c.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id, payload=answer))

    client.message_listeners.append(heard)
    client.socket_mode_request_listeners.append(ack)
    try:
        client.connect()
        socket_mode.wait_connected()
        assert hello.wait(timeout=10)

        command = socket_mode.send("slash_commands", {"command": "/tasks", "text": ""})
        event = socket_mode.send(
            "events_api", {"type": "event_callback", "event": {"type": "app_home_opened"}}
        )
        again = socket_mode.redeliver(event)

        assert socket_mode.wait_ack(command).payload == {"text": "got /tasks"}
        assert socket_mode.wait_ack(event).payload is None and socket_mode.wait_ack(again).payload is None
        assert [e.retry_attempt for e in socket_mode.sent] == [0, 0, 1]
    finally:
        client.close()
    socket_mode.wait_disconnected()
    assert [call.method for call in fake.calls] == ["apps.connections.open"]
