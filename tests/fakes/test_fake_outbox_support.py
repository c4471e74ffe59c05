"""The fake Slack's rate limits, history with metadata, and slow answers behave as Slack documents."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.rate_limits import RateLimits

KEY = {"event_type": "handoff_outbox", "event_payload": {"key": "task:1:v1:0"}}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("U1", name="alice")
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.api_url, token=fake.bot_token, retry_handlers=[])


def test_calls_above_the_limit_get_429_with_retry_after_per_workspace() -> None:
    now = [100.0]
    limits = RateLimits(clock=lambda: now[0])
    limits.limit("chat.postMessage", per_second=2)
    assert [limits.retry_after("T1", "chat.postMessage") for _ in range(3)] == [None, None, 1]
    assert limits.retry_after("T2", "chat.postMessage") is None  # another workspace has its own
    assert limits.retry_after("T1", "users.info") is None  # and another method too
    now[0] += 1.0
    assert limits.retry_after("T1", "chat.postMessage") is None


def test_a_rate_limited_call_is_answered_429_and_not_posted(fake: FakeSlack, client: WebClient) -> None:
    fake.rate_limit("chat.postMessage", per_second=1)
    client.chat_postMessage(channel="U1", text="one")
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel="U1", text="two", team_id="T0TEAM")
    assert limited.value.response.status_code == 429
    assert int(limited.value.response.headers["Retry-After"]) >= 1
    client.chat_postMessage(channel="U1", text="elsewhere", team_id="T0OTHER")
    assert [m.text for m in fake.messages_to("U1")] == ["one", "elsewhere"]


def test_history_returns_newest_first_with_metadata_only_when_asked(
    fake: FakeSlack, client: WebClient
) -> None:
    first = client.chat_postMessage(channel="U1", text="first", metadata=KEY)
    client.chat_postMessage(channel="U1", text="second")
    im = fake.im_channel("U1")
    plain = client.conversations_history(channel=im)
    assert [m["text"] for m in plain["messages"]] == ["second", "first"]
    assert all("metadata" not in m for m in plain["messages"])
    full = client.conversations_history(channel=im, include_all_metadata=True, limit=1)
    assert full["has_more"] and "metadata" not in full["messages"][0]
    cursor = full["response_metadata"]["next_cursor"]
    rest = client.conversations_history(channel=im, include_all_metadata=True, cursor=cursor)
    assert rest["messages"][0]["metadata"] == KEY and rest["messages"][0]["ts"] == first["ts"]
    assert fake.contract_violations == []


def test_history_of_an_unknown_channel_fails(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as error:
        client.conversations_history(channel="DNOPE")
    assert error.value.response["error"] == "channel_not_found"


def test_a_held_call_takes_effect_although_its_caller_gave_up(fake: FakeSlack) -> None:
    impatient = WebClient(base_url=fake.api_url, token=fake.bot_token, timeout=1, retry_handlers=[])
    slow = fake.hold_next("chat.postMessage")
    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="U1", text="late")
    assert slow.arrived.is_set() and fake.messages_to("U1") == []
    slow.release.set()
    fake.wait_for(lambda: fake.messages_to("U1"))
    assert [m.text for m in fake.messages_to("U1")] == ["late"]
