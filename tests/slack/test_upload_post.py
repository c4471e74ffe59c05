"""The upload POST goes through the client's retry handlers, as the Web API calls do."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackRequestError

from bot.playground.slack.fake_slack import FakeSlack
from bot.slack.gateway import NO_WAIT, retry_handlers
from bot.slack.upload_post import post_file_bytes


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def upload_url(fake: FakeSlack, length: int) -> str:
    client = WebClient(base_url=fake.api_url, token=fake.bot_token)
    return str(client.files_getUploadURLExternal(filename="x.csv", length=length)["upload_url"])


def test_rate_limits_and_server_errors_are_retried(fake: FakeSlack) -> None:
    url = upload_url(fake, 3)
    fake.fail_next("upload", status=429, retry_after=0)
    fake.fail_next("upload", status=500)

    post_file_bytes(url, b"abc", retry_handlers=retry_handlers(NO_WAIT), timeout=5)

    assert [c.status for c in fake.calls_to("upload")] == [429, 500, 200]


def test_a_refusal_is_not_retried(fake: FakeSlack) -> None:
    url = upload_url(fake, 10)

    with pytest.raises(SlackRequestError, match="status 400"):
        post_file_bytes(url, b"abc", retry_handlers=retry_handlers(NO_WAIT), timeout=5)

    assert [c.status for c in fake.calls_to("upload")] == [400]


def test_without_retry_handlers_a_rate_limit_fails_the_upload(fake: FakeSlack) -> None:
    url = upload_url(fake, 3)
    fake.fail_next("upload", status=429, retry_after=0)

    with pytest.raises(SlackRequestError, match="status 429"):
        post_file_bytes(url, b"abc", retry_handlers=[], timeout=5)


def test_a_connection_that_cannot_be_made_is_raised_not_swallowed() -> None:
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]

    with pytest.raises(OSError):
        post_file_bytes(
            f"http://127.0.0.1:{port}/upload/F1", b"abc", retry_handlers=retry_handlers(NO_WAIT), timeout=5
        )
