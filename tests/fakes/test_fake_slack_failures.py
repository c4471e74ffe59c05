"""Injected failures: 429s and 5xx the sdk's retry handlers retry, and ok: false errors they don't."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.playground.slack.fake_slack import FakeSlack
from tests.fakes.fake_slack_cases import slack_error


def test_rate_limit_is_retried_by_the_sdk_handler(fake: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    # The handler sleeps Retry-After + random() seconds; pin the jitter so the test stays fast.
    monkeypatch.setattr(builtin_handlers, "random", SimpleNamespace(random=lambda: 0.0))
    client = WebClient(
        base_url=fake.api_url,
        token=fake.bot_token,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.fail_next("chat.postMessage", status=429, retry_after=0)

    assert client.chat_postMessage(channel="U1", text="once")["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 200]
    assert [c.args["text"] for c in fake.calls_to("chat.postMessage")] == ["once", "once"]
    assert len(fake.messages_to("U1")) == 1


def test_server_error_is_retried_by_the_sdk_handler(fake: FakeSlack) -> None:
    fast = FixedValueRetryIntervalCalculator(0.01)
    client = WebClient(
        base_url=fake.api_url,
        token=fake.bot_token,
        retry_handlers=[ServerErrorRetryHandler(max_retry_count=1, interval_calculator=fast)],
    )
    fake.fail_next("users.info", status=500)

    assert client.users_info(user="U1")["ok"]
    assert [c.status for c in fake.calls_to("users.info")] == [500, 200]


def test_injected_error_answers_ok_false_without_retry(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", error="token_revoked", times=2)

    assert slack_error(lambda: client.chat_postMessage(channel="C1", text="a")) == "token_revoked"
    assert slack_error(lambda: client.chat_postMessage(channel="C1", text="b")) == "token_revoked"
    assert client.chat_postMessage(channel="C1", text="c")["ok"]


def test_without_retry_handler_a_429_surfaces(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=0)

    assert slack_error(lambda: client.chat_postMessage(channel="C1", text="a")) == "ratelimited"
