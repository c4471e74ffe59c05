"""The Slack clients' retries: Retry-After honoured in production, no waiting at all in tests."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.handler import default_interval_calculator

from bot.playground.slack.fake_slack import FakeSlack
from bot.slack import gateway
from bot.slack.gateway import (
    NO_WAIT,
    RETRY_AFTER_JITTER,
    RateLimitRetryHandler,
    SlackGateway,
    build_client,
    retry_handlers,
)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("U1", name="alice")
        yield fake


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses the rate-limit handler takes, recorded instead of slept."""
    taken: list[float] = []
    monkeypatch.setattr(gateway, "time", SimpleNamespace(sleep=taken.append))
    return taken


def test_production_retries_wait_as_slack_sdk_does() -> None:
    connection, rate_limit, server = retry_handlers()
    assert isinstance(connection, ConnectionErrorRetryHandler) and isinstance(server, ServerErrorRetryHandler)
    assert connection.interval_calculator is default_interval_calculator  # exponential backoff, jitter
    assert server.interval_calculator is default_interval_calculator
    assert isinstance(rate_limit, RateLimitRetryHandler)
    assert rate_limit.interval_calculator is RETRY_AFTER_JITTER
    jitters = [RETRY_AFTER_JITTER.calculate_sleep_duration(attempt) for attempt in range(50)]
    assert all(0 <= jitter < 1 for jitter in jitters) and len(set(jitters)) > 1


def test_a_rate_limit_waits_retry_after_plus_jitter(fake: FakeSlack, pauses: list[float]) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=7, times=2)
    client = build_client(token=fake.bot_token, base_url=fake.api_url)

    client.chat_postMessage(channel="C1", text="hi")

    assert len(pauses) == 2 and all(7 <= pause < 8 for pause in pauses)
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 429, 200]


def test_with_no_wait_retries_happen_at_once(fake: FakeSlack, pauses: list[float]) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=0, times=3)
    client = build_client(token=fake.bot_token, base_url=fake.api_url, retry_wait=NO_WAIT)

    client.chat_postMessage(channel="C1", text="hi")

    assert pauses == [0, 0, 0]
    for handler in client.retry_handlers:  # lost connections and server errors too
        assert handler.interval_calculator.calculate_sleep_duration(1) == 0


def test_answers_to_a_response_url_retry_as_the_client_does(fake: FakeSlack, pauses: list[float]) -> None:
    fake.fail_next("response_url", status=429, retry_after=0)
    slack = SlackGateway(build_client(token=fake.bot_token, base_url=fake.api_url, retry_wait=NO_WAIT))

    slack.respond(fake.new_response_url(user="U1"), {"text": "hi", "blocks": []})

    assert pauses == [0]
    assert [c.status for c in fake.calls_to("response_url")] == [429, 200]
