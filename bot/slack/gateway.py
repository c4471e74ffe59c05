"""The one place that calls the Slack Web API.

The listeners' client retries rate limits (honouring Retry-After) and server errors, so a
busy workspace slows a person's answer down instead of losing it. The outbox's client
retries nothing and waits a bounded time per call: a 429 or a slow answer comes straight
back to the sender, which pauses that workspace or looks before it resends (``bot.outbox``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import (
    BackoffRetryIntervalCalculator,
    FixedValueRetryIntervalCalculator,
)
from slack_sdk.http_retry.handler import RetryHandler, default_interval_calculator
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.webhook import WebhookClient

from bot.slack.upload_post import post_file_bytes

logger = logging.getLogger(__name__)

# Up to a second on top of Retry-After, as slack_sdk's own rate-limit handler waits, so that
# clients told to wait together do not all come back at the same instant.
RETRY_AFTER_JITTER = BackoffRetryIntervalCalculator(backoff_factor=0.0)
# For tests: every retry happens at once (Retry-After is still honoured).
NO_WAIT = FixedValueRetryIntervalCalculator(0.0)


class RateLimitRetryHandler(RateLimitErrorRetryHandler):
    """slack_sdk's rate-limit retry, with the pause beyond Retry-After taken from its interval calculator."""

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:  # never retried: _can_retry wants a 429 response
            raise error or RuntimeError("rate-limit retry without a response")
        state.next_attempt_requested = True
        extra = self.interval_calculator.calculate_sleep_duration(state.current_attempt)
        time.sleep(_retry_after(response) + extra)
        state.increment_current_attempt()


def _retry_after(response: HttpResponse) -> int:
    """Seconds Slack asked to wait; 1 when it did not say, as slack_sdk assumes."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            return int(values[0])
    return 1


def retry_handlers(wait: RetryIntervalCalculator | None = None) -> list[RetryHandler]:
    """Retries for lost connections, rate limits and server errors.

    ``wait`` sets the pauses between tries (tests pass ``NO_WAIT``); by default slack_sdk's
    exponential backoff with jitter, and Retry-After plus up to a second on rate limits.
    """
    return [
        ConnectionErrorRetryHandler(
            max_retry_count=2, interval_calculator=wait or default_interval_calculator
        ),
        RateLimitRetryHandler(max_retry_count=3, interval_calculator=wait or RETRY_AFTER_JITTER),
        ServerErrorRetryHandler(max_retry_count=2, interval_calculator=wait or default_interval_calculator),
    ]


def build_client(
    *, token: str | None, base_url: str, retry_wait: RetryIntervalCalculator | None = None
) -> WebClient:
    return WebClient(token=token, base_url=base_url, retry_handlers=retry_handlers(retry_wait))


OUTBOX_CALL_TIMEOUT = 10.0  # seconds; a post not answered by then may still land (see bot.outbox)
OUTBOX_EVENT_TYPE = "handoff_outbox"  # the metadata event type that carries an outbox key
HISTORY_PAGES = 2  # pages of 100 messages searched for a message that may have landed
MEMBERS_PAGE = 200  # conversations.members page size (Slack's recommended maximum is 200)


def build_outbox_client(
    *, token: str | None, base_url: str, timeout: float = OUTBOX_CALL_TIMEOUT
) -> WebClient:
    """No retry handlers: a blind retry of a post whose answer was lost could post it twice."""
    return WebClient(token=token, base_url=base_url, timeout=int(max(1, timeout)), retry_handlers=[])


class WorkspaceNotInstalled(Exception):
    """Slack was to be called for a workspace that has no installation (never, or not any more)."""


class BotTokens(Protocol):
    """Where a gateway finds each workspace's bot token (``bot.slack.installations``)."""

    def bot_token(self, team_id: str) -> str:
        """The workspace's bot token, refreshed first if it is about to expire; raises
        ``WorkspaceNotInstalled`` for a workspace without an installation."""
        ...


@dataclass(frozen=True)
class SlackUser:
    user_id: str
    tz: str | None
    is_bot: bool
    deleted: bool
    is_guest: bool
    is_admin: bool = False  # a workspace admin or owner


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


@dataclass(frozen=True)
class FileToShare:
    """A file for someone's DM: its name, its title in Slack, its bytes and the message it comes with."""

    filename: str
    title: str
    content: bytes
    comment: str


class SlackGateway:
    """Sends messages and opens views; the services never see a WebClient.

    ``client`` is the template every call is made with: its base URL, retries and timeout.
    With one workspace (``SLACK_BOT_TOKEN``) it carries the token and makes every call. With
    ``tokens`` (installed by OAuth, see ``bot.slack.installations``), each call is made with the
    bot token of the workspace it names, a copy of the template per token: such calls must
    name their ``team_id``.
    """

    def __init__(self, client: WebClient, tokens: BotTokens | None = None) -> None:
        self.client = client
        self.tokens = tokens
        self._clients: dict[str, WebClient] = {}
        self._im_channels: dict[tuple[str | None, str], str] = {}
        self._identities: dict[str | None, tuple[str, str]] = {}
        self._lock = Lock()

    def client_for(self, team_id: str | None) -> WebClient:
        """The client that speaks for ``team_id``'s bot, its token refreshed when about to expire."""
        if self.tokens is None:
            return self.client
        if not team_id:
            raise WorkspaceNotInstalled("a call to Slack names no workspace")
        token = self.tokens.bot_token(team_id)
        with self._lock:
            client = self._clients.get(team_id)
            if client is None or client.token != token:  # first call, or the token was rotated
                client = self._clients[team_id] = _with_token(self.client, token)
            return client

    def send_dm(
        self, user_id: str, body: dict[str, Any], *, key: str | None = None, team_id: str | None = None
    ) -> Posted:
        """Post a DM; ``key`` travels in the message's metadata so ``find_dm`` can tell it landed."""
        return self.post_to_channel(self._im_channel(user_id, team_id), body, key=key, team_id=team_id)

    def post_to_channel(
        self, channel: str, body: dict[str, Any], *, key: str | None = None, team_id: str | None = None
    ) -> Posted:
        """Post in a channel; ``key`` travels in the message's metadata so ``find_in_channel`` can
        tell it landed."""
        extra: dict[str, Any] = _team(team_id)
        if key is not None:
            extra["metadata"] = {"event_type": OUTBOX_EVENT_TYPE, "event_payload": {"key": key}}
        response = self.client_for(team_id).chat_postMessage(
            channel=channel, text=body["text"], blocks=body["blocks"], **extra
        )
        return Posted(channel=str(response["channel"]), ts=str(response["ts"]))

    def find_dm(self, user_id: str, *, key: str, team_id: str | None = None) -> Posted | None:
        """The DM posted earlier with this outbox key, if it is among the latest messages."""
        return self.find_in_channel(self._im_channel(user_id, team_id), key=key, team_id=team_id)

    def find_in_channel(self, channel: str, *, key: str, team_id: str | None = None) -> Posted | None:
        """The message posted earlier in ``channel`` with this outbox key, if among the latest."""
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            page = self.client_for(team_id).conversations_history(
                channel=channel, include_all_metadata=True, limit=100, cursor=cursor, **_team(team_id)
            )
            for message in page.get("messages") or []:
                metadata = message.get("metadata") or {}
                if metadata.get("event_type") == OUTBOX_EVENT_TYPE and (
                    (metadata.get("event_payload") or {}).get("key") == key
                ):
                    return Posted(channel=channel, ts=str(message["ts"]))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return None
        return None

    def channel_members(self, channel: str, *, team_id: str | None = None) -> list[str]:
        """Everyone in the channel (every page of ``conversations.members``)."""
        members: list[str] = []
        cursor: str | None = None
        while True:
            page = self.client_for(team_id).conversations_members(
                channel=channel, limit=MEMBERS_PAGE, cursor=cursor, **_team(team_id)
            )
            members.extend(str(member) for member in page.get("members") or [])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return members

    def bot_identity(self, team_id: str | None = None) -> tuple[str, str]:
        """The workspace the token belongs to and the bot's own user id (``auth.test``, asked
        once per workspace: a bot keeps its user id across token rotations)."""
        identity = self._identities.get(team_id)
        if identity is None:
            answer = self.client_for(team_id).auth_test()
            identity = self._identities[team_id] = (str(answer["team_id"]), str(answer["user_id"]))
        return identity

    def update(self, channel: str, ts: str, body: dict[str, Any], *, team_id: str | None = None) -> Posted:
        self.client_for(team_id).chat_update(
            channel=channel, ts=ts, text=body["text"], blocks=body["blocks"], **_team(team_id)
        )
        return Posted(channel=channel, ts=ts)

    def user(self, user_id: str, *, team_id: str | None = None) -> SlackUser | None:
        """Profile facts the bot needs; None when Slack knows no such user."""
        try:
            info = self.client_for(team_id).users_info(user=user_id)["user"]
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
            is_admin=bool(info.get("is_admin") or info.get("is_owner") or info.get("is_primary_owner")),
        )

    def permalink(self, channel: str, message_ts: str, *, team_id: str | None = None) -> str:
        """The link to a message (``chat.getPermalink``)."""
        answer = self.client_for(team_id).chat_getPermalink(
            channel=channel, message_ts=message_ts, **_team(team_id)
        )
        return str(answer["permalink"])

    def open_view(self, trigger_id: str, view: dict[str, Any], *, team_id: str | None = None) -> None:
        self.client_for(team_id).views_open(trigger_id=trigger_id, view=view)

    def publish_home(self, user_id: str, view: dict[str, Any], *, team_id: str | None = None) -> None:
        self.client_for(team_id).views_publish(user_id=user_id, view=view, **_team(team_id))

    def respond(self, response_url: str, body: dict[str, Any], *, replace_original: bool = False) -> None:
        """An ephemeral answer to the person who typed a command or clicked a button."""
        # The same retries, and the same pauses between them, as the Web API client's.
        webhook = WebhookClient(response_url, retry_handlers=self.client.retry_handlers)
        response = webhook.send(
            text=body["text"],
            blocks=body["blocks"],
            response_type="ephemeral",
            replace_original=replace_original,
        )
        if response.status_code >= 400:
            logger.warning("response_url answered %s", response.status_code)

    def share_file_in_dm(
        self,
        user_id: str,
        file: FileToShare,
        *,
        team_id: str | None = None,
        before_sharing: Callable[[str], None] | None = None,
    ) -> str:
        """Upload a file and share it in the person's DM; returns the file id.

        Slack's three steps, as ``files_upload_v2`` makes them: get an upload URL and a file
        id, POST the bytes, complete the upload into the channel. Made one by one so that the
        POST is retried like every other call (see ``upload_post``), and so that
        ``before_sharing`` can record the file id before the file is shared: after a crash,
        ``file_in_dm`` tells whether it was.
        """
        channel = self._im_channel(user_id, team_id)
        client = self.client_for(team_id)
        ticket = client.files_getUploadURLExternal(
            filename=file.filename, length=len(file.content), **_team(team_id)
        )
        file_id = str(ticket["file_id"])
        post_file_bytes(
            str(ticket["upload_url"]),
            file.content,
            retry_handlers=client.retry_handlers,
            timeout=client.timeout,
        )
        if before_sharing is not None:
            before_sharing(file_id)
        client.files_completeUploadExternal(
            files=[{"id": file_id, "title": file.title}],
            channel_id=channel,
            initial_comment=file.comment,
            **_team(team_id),
        )
        return file_id

    def file_in_dm(self, user_id: str, file_id: str, *, team_id: str | None = None) -> bool:
        """Whether the file was shared in the person's DM, among its latest messages."""
        channel = self._im_channel(user_id, team_id)
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            page = self.client_for(team_id).conversations_history(
                channel=channel, limit=100, cursor=cursor, **_team(team_id)
            )
            for message in page.get("messages") or []:
                if any(shared.get("id") == file_id for shared in message.get("files") or []):
                    return True
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return False
        return False

    def _im_channel(self, user_id: str, team_id: str | None = None) -> str:
        with self._lock:
            cached = self._im_channels.get((team_id, user_id))
        if cached:
            return cached
        channel = str(
            self.client_for(team_id).conversations_open(users=user_id, **_team(team_id))["channel"]["id"]
        )
        with self._lock:
            self._im_channels[(team_id, user_id)] = channel
        return channel


def _with_token(template: WebClient, token: str) -> WebClient:
    """A client like ``template`` (base URL, retries, timeout) that speaks with ``token``."""
    return WebClient(
        token=token,
        base_url=template.base_url,
        timeout=template.timeout,
        retry_handlers=template.retry_handlers,
        logger=template.logger,
    )


def _team(team_id: str | None) -> dict[str, Any]:
    """``team_id`` on a call names the workspace, as Bolt's own per-request client does."""
    return {"team_id": team_id} if team_id else {}
