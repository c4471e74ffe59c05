"""The one place that calls the Slack Web API.

Every client made here retries rate limits (honouring Retry-After) and server errors, so
a busy workspace slows messages down instead of losing them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from threading import Lock
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.webhook import WebhookClient

logger = logging.getLogger(__name__)


def retry_handlers() -> list[RetryHandler]:
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


def build_client(*, token: str, base_url: str) -> WebClient:
    return WebClient(token=token, base_url=base_url, retry_handlers=retry_handlers())


@dataclass(frozen=True)
class SlackUser:
    user_id: str
    tz: str | None
    is_bot: bool
    deleted: bool
    is_guest: bool


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


class SlackGateway:
    """Sends messages and opens views; the services never see a WebClient."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._im_channels: dict[str, str] = {}
        self._lock = Lock()

    def send_dm(self, user_id: str, body: dict[str, Any]) -> Posted:
        channel = self._im_channel(user_id)
        response = self.client.chat_postMessage(channel=channel, text=body["text"], blocks=body["blocks"])
        return Posted(channel=str(response["channel"]), ts=str(response["ts"]))

    def update(self, channel: str, ts: str, body: dict[str, Any]) -> Posted:
        self.client.chat_update(channel=channel, ts=ts, text=body["text"], blocks=body["blocks"])
        return Posted(channel=channel, ts=ts)

    def user(self, user_id: str) -> SlackUser | None:
        """Profile facts the bot needs; None when Slack knows no such user."""
        try:
            info = self.client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            if error.response.get("error") == "user_not_found":
                return None
            raise
        return SlackUser(
            user_id=user_id,
            tz=info.get("tz"),
            is_bot=bool(info.get("is_bot")) or info.get("id") == "USLACKBOT",
            deleted=bool(info.get("deleted")),
            is_guest=bool(info.get("is_restricted") or info.get("is_ultra_restricted")),
        )

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        self.client.views_open(trigger_id=trigger_id, view=view)

    def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        self.client.views_publish(user_id=user_id, view=view)

    def respond(self, response_url: str, body: dict[str, Any], *, replace_original: bool = False) -> None:
        """An ephemeral answer to the person who typed a command or clicked a button."""
        webhook = WebhookClient(response_url, retry_handlers=retry_handlers())
        response = webhook.send(
            text=body["text"],
            blocks=body["blocks"],
            response_type="ephemeral",
            replace_original=replace_original,
        )
        if response.status_code >= 400:
            logger.warning("response_url answered %s", response.status_code)

    def _im_channel(self, user_id: str) -> str:
        with self._lock:
            cached = self._im_channels.get(user_id)
        if cached:
            return cached
        channel = str(self.client.conversations_open(users=user_id)["channel"]["id"])
        with self._lock:
            self._im_channels[user_id] = channel
        return channel
