"""What a test reads back from the fake: response_url posts, waiting, the messages sent, a reset."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.playground.slack.fake_slack import FakeSlack


def test_response_url_posts_are_recorded_per_url_and_user(fake: FakeSlack) -> None:
    url = fake.new_response_url(user="U1", channel="C1")
    WebhookClient(url).send_dict({"text": "only you can see this"})
    WebhookClient(url).send_dict({"text": "for everyone", "response_type": "in_channel"})

    assert [c.args["url"] for c in fake.calls_to("response_url")] == [url, url]
    assert [m.text for m in fake.ephemerals_to("U1")] == ["only you can see this"]
    assert [m.text for m in fake.messages("C1")] == ["for everyone"]
    assert len(fake.responses(url)) == 2


def test_wait_for_returns_the_value_or_explains_the_timeout(fake: FakeSlack) -> None:
    assert fake.wait_for(lambda: 42) == 42
    with pytest.raises(AssertionError, match="calls so far"):
        fake.wait_for(lambda: fake.calls_to("chat.postMessage"), timeout=0.05)


def test_last_message_to_lists_what_was_sent(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="U2", text="for bob")

    with pytest.raises(AssertionError, match="for bob"):
        fake.last_message_to("U1")


def test_reset_keeps_users(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="U1", text="x")
    fake.reset()

    assert fake.calls == [] and fake.messages_to("U1") == []
    assert client.users_info(user="U1")["ok"]
