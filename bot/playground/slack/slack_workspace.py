"""The state of the fake Slack workspace that the Web API methods read and change."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_records import JSON, FakeUser, Message

if TYPE_CHECKING:
    from bot.playground.slack.file_methods import Upload

APP_ID = "A0HANDOFF"


@dataclass
class ResponseUrl:
    """What a response_url belongs to: the user who triggered it and, for block actions, the message."""

    user: str | None
    channel: str | None
    message: Message | None
    posts: list[JSON] = field(default_factory=list)


class Team(Protocol):
    """Who the workspace is and how it behaves: the FakeSlack's own settings.

    Read live rather than copied, so that a test changing one (say ``trigger_ttl``) is heard by the handlers.
    """

    team_id: str
    team_domain: str
    team_name: str
    bot_user_id: str
    bot_id: str
    trigger_ttl: float
    scopes: str  # comma-separated, as granted to the bot token
    # Hands out a Socket Mode WebSocket URL (``apps.connections.open``); None: no Socket Mode server.
    socket_mode_urls: Callable[[], str] | None

    @property
    def base_url(self) -> str: ...


class Workspace:
    """One team with the bot installed: who is there, and what the app has posted and opened so far.

    Not thread-safe on its own: FakeSlack holds its lock around every use.
    """

    def __init__(self, team: Team) -> None:
        self.team = team
        self.users: dict[str, FakeUser] = {}
        self.ims: dict[str, str] = {}  # IM channel id -> user id
        # Ids stay unique across forget_activity(), so a stale id from before a reset never matches.
        self._ids = itertools.count(1)
        self.forget_activity()

    def forget_activity(self) -> None:
        """Forget messages, views, response_urls and triggers; keep users and opened IMs."""
        self.messages: dict[str, list[Message]] = {}
        self.ephemerals: list[Message] = []
        self.response_urls: dict[str, ResponseUrl] = {}
        self.views: dict[str, JSON] = {}  # every view (modal or home) by id
        self.view_order: list[str] = []  # modal ids, most recently opened/pushed/updated last
        self.views_opened: list[JSON] = []
        self.home_views: dict[str, str] = {}  # user id -> id of their Home tab view
        self.triggers: dict[str, float] = {}  # trigger id -> time.monotonic() when issued
        self.used_triggers: set[str] = set()
        self.uploads: dict[str, Upload] = {}  # file id -> the file, from files.getUploadURLExternal on
        # Channels a test seeded, with their members in order; any other C/G channel has the bot alone.
        self.channels: dict[str, list[str]] = {}
        self._ts = itertools.count(1)

    def share_ids(self, other: Workspace) -> None:
        """Take ids from ``other``'s counter, so no id of this workspace is ever one of ``other``'s."""
        self._ids = other._ids

    def next_id(self) -> int:
        return next(self._ids)

    def next_ts(self) -> str:
        micros = next(self._ts) * 100
        return f"{1700000000 + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def new_message(
        self,
        channel: str,
        content: JSON,
        *,
        user: str | None = None,
        ephemeral: bool = False,
        response_url: str | None = None,
    ) -> Message:
        """A message with the text, blocks and thread of ``content``: a call's args or a response_url post."""
        return Message(
            channel=channel,
            ts=self.next_ts(),
            text=str(content.get("text") or ""),
            blocks=list(content.get("blocks") or []),
            thread_ts=content.get("thread_ts"),
            user=user,
            ephemeral=ephemeral,
            response_url=response_url,
            metadata=content.get("metadata") or None,
        )

    def require_user(self, user_id: str, *, deleted_error: str, missing_error: str) -> FakeUser:
        user = self.users.get(user_id)
        if user is None:
            raise SlackError(missing_error, f"[ERROR] no user {user_id!r} (register it with add_user)")
        if user.deleted:
            raise SlackError(deleted_error)
        return user

    def open_im(self, user: FakeUser) -> str:
        """The bot's DM channel with ``user``, marked open."""
        channel = im_channel(user.id)
        self.ims[channel] = user.id
        return channel

    def members_of(self, channel: str) -> list[str]:
        """Who is in a public or private channel."""
        return list(self.channels.get(channel, [self.team.bot_user_id]))

    def require_bot_in(self, channel: str) -> None:
        """Slack answers ``not_in_channel`` when the bot posts or reads where it was never invited."""
        if channel[:1] in ("C", "G") and self.team.bot_user_id not in self.members_of(channel):
            raise SlackError("not_in_channel")

    def copy_of_view(self, view_id: str) -> JSON:
        """A deep copy, so a test holding it does not see later updates (and cannot change the fake)."""
        return json.loads(json.dumps(self.views[view_id]))


def im_channel(user_id: str) -> str:
    """The stable IM channel id of the bot's DM with ``user_id``."""
    return "D" + user_id[1:]
