"""Shortcut payloads as Slack posts them, read by Bolt; people's messages and their permalinks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_requests import SlackRequests
from tests.fakes.test_slack_requests import SECRET, _serve

Seen = list[tuple[str, dict[str, Any], BoltContext]]


@pytest.fixture
def seen() -> Seen:
    return []


@pytest.fixture
def slack(fake: FakeSlack, seen: Seen) -> Iterator[SlackRequests]:
    app = App(signing_secret=SECRET, client=WebClient(base_url=fake.api_url, token=fake.bot_token))

    @app.message_shortcut("on_message")
    def on_message(ack: Ack, shortcut: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        seen.append(("message", shortcut, context))
        respond("seen it")

    @app.global_shortcut("anywhere")
    def anywhere(ack: Ack, shortcut: dict[str, Any], context: BoltContext) -> None:
        ack()
        seen.append(("global", shortcut, context))

    server, url = _serve(app)
    yield SlackRequests(url, signing_secret=SECRET, fake=fake)
    server.shutdown()
    server.server_close()


def test_a_message_shortcut_reaches_bolt_with_the_whole_message(
    fake: FakeSlack, slack: SlackRequests, seen: Seen
) -> None:
    file = {"id": "F1", "name": "notes.txt"}
    message = fake.add_message("C0GENERAL", user="U2", text="Ship <@U1|alice>'s notes", files=[file])

    reply = slack.message_shortcut(message, user="U1", callback_id="on_message")

    assert reply.status == 200
    fake.wait_for(lambda: slack.ephemerals_to("U1"))
    [(kind, shortcut, context)] = seen
    assert (kind, context.user_id, context.channel_id, context.team_id) == (
        "message",
        "U1",
        "C0GENERAL",
        "T0TEAM",
    )
    assert shortcut["type"] == "message_action" and shortcut["trigger_id"] == reply.trigger_id
    assert shortcut["message_ts"] == message.ts
    assert {k: shortcut["message"][k] for k in ("user", "ts", "text", "files")} == {
        "user": "U2",
        "ts": message.ts,
        "text": "Ship <@U1|alice>'s notes",
        "files": [file],
    }
    assert [m.text for m in slack.ephemerals_to("U1")] == ["seen it"]  # through its response_url


def test_a_global_shortcut_reaches_bolt_with_a_trigger_and_no_channel(
    fake: FakeSlack, slack: SlackRequests, seen: Seen
) -> None:
    reply = slack.global_shortcut(user="U2", callback_id="anywhere")

    assert reply.status == 200
    fake.wait_for(lambda: seen)
    [(kind, shortcut, context)] = seen
    assert (kind, context.user_id, context.channel_id) == ("global", "U2", None)
    assert shortcut["type"] == "shortcut" and shortcut["trigger_id"] == reply.trigger_id
    assert "message" not in shortcut and "response_url" not in shortcut


def test_shortcuts_signed_with_another_secret_are_refused(fake: FakeSlack, seen: Seen) -> None:
    message = fake.add_message("C0GENERAL", user="U2", text="hi")
    server, url = _serve(
        App(signing_secret="another", client=WebClient(base_url=fake.api_url, token=fake.bot_token))
    )
    try:
        forged = SlackRequests(url, signing_secret=SECRET, fake=fake)
        assert forged.message_shortcut(message, user="U1", callback_id="on_message").status == 401
        assert forged.global_shortcut(user="U1", callback_id="anywhere").status == 401
    finally:
        server.shutdown()
        server.server_close()


def test_a_persons_message_has_a_permalink(fake: FakeSlack, client: WebClient) -> None:
    message = fake.add_message("C0GENERAL", user="U2", text="hi")

    answer = client.chat_getPermalink(channel="C0GENERAL", message_ts=message.ts)

    stamp = message.ts.replace(".", "")
    assert answer["permalink"] == f"https://handoff-test.slack.com/archives/C0GENERAL/p{stamp}"
    assert fake.contract_violations == []


def test_no_permalink_in_a_private_channel_the_bot_is_not_in(fake: FakeSlack, client: WebClient) -> None:
    fake.add_channel("G0PRIVATE", members=["U1", "U2"], bot_member=False)
    message = fake.add_message("G0PRIVATE", user="U2", text="hi")
    with pytest.raises(SlackApiError) as refused:
        client.chat_getPermalink(channel="G0PRIVATE", message_ts=message.ts)
    assert refused.value.response["error"] == "channel_not_found"

    fake.add_channel("G0PRIVATE", members=["U1", "U2"])  # the bot is invited
    assert client.chat_getPermalink(channel="G0PRIVATE", message_ts=message.ts)["ok"]


def test_no_permalink_for_a_message_that_is_not_there(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as refused:
        client.chat_getPermalink(channel="C0GENERAL", message_ts="1700000000.999999")
    assert refused.value.response["error"] == "message_not_found"
