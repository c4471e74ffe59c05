"""What the fake Slack records and hands back to tests: calls, messages and users."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

JSON = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One request the fake received. ``error`` is the Slack error code it answered with, if any."""

    method: str
    args: JSON
    status: int
    error: str | None = None
    team: str | None = None  # the workspace of the call's token (None: no token, or one Slack refused)
    token: str | None = None  # the token it was made with, so a test can tell a rotated one was used

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None


@dataclass(eq=False)  # identity: two stored messages with equal text are still different messages
class Message:
    """A message as the fake stores it; ``chat.update`` and ``replace_original`` change it in place."""

    channel: str
    ts: str
    text: str
    blocks: list[JSON] = field(default_factory=list)
    thread_ts: str | None = None
    updates: int = 0
    user: str | None = None  # the recipient, for ephemeral messages
    ephemeral: bool = False
    response_url: str | None = None  # set when the message was posted through a response_url
    metadata: JSON | None = None  # chat.postMessage's ``metadata`` (event_type, event_payload)
    files: list[JSON] | None = None  # the files it shares (files.completeUploadExternal)
    author: str | None = None  # who wrote it, for a person's message (FakeSlack.add_message)

    def buttons(self) -> list[JSON]:
        """All button elements anywhere in the blocks (actions blocks, section accessories…)."""
        return [node for node in _walk(self.blocks) if node.get("type") == "button"]

    def button(self, label_substring: str) -> JSON:
        """The button whose label contains ``label_substring`` (case-insensitive); an exact label wins."""
        wanted = label_substring.casefold()
        buttons = self.buttons()
        exact = [b for b in buttons if _label(b).casefold() == wanted]
        partial = [b for b in buttons if wanted in _label(b).casefold()]
        if exact or partial:
            return (exact or partial)[0]
        raise AssertionError(
            f"no button matching {label_substring!r} in message {self.ts} ({self.channel}); "
            f"buttons: {[_label(b) for b in buttons]}"
        )

    def plain_text(self) -> str:
        """``text`` plus every text string in the blocks, newline-joined: for keyword assertions."""
        parts = [self.text] if self.text else []
        parts += [node["text"] for node in _walk(self.blocks) if isinstance(node.get("text"), str)]
        return "\n".join(parts)

    def describe(self) -> str:
        kind = f"ephemeral to {self.user}" if self.ephemeral else self.channel
        return f"[{kind} ts={self.ts} updates={self.updates}] {self.plain_text()[:200]!r}"


@dataclass
class FakeUser:
    id: str
    name: str
    tz: str
    tz_offset: int
    is_bot: bool = False
    deleted: bool = False
    is_restricted: bool = False
    is_ultra_restricted: bool = False
    is_admin: bool = False
    is_owner: bool = False
    home_team: str | None = None  # a Slack Connect user's own organisation; None: this workspace's

    def to_api(self, team_id: str) -> JSON:
        """The ``user`` object as ``users.info`` documents it (a Slack Connect user's names their team)."""
        real_name = self.name.replace(".", " ").title()
        team_id = self.home_team or team_id
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": real_name,
            "tz": self.tz,
            "tz_label": datetime.now(ZoneInfo(self.tz)).tzname(),
            "tz_offset": self.tz_offset,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "is_restricted": self.is_restricted,
            "is_ultra_restricted": self.is_ultra_restricted,
            "updated": 1700000000,
            "profile": {
                "real_name": real_name,
                "display_name": self.name,
                "real_name_normalized": real_name,
                "display_name_normalized": self.name,
                "team": team_id,
            },
        }


def _walk(node: Any) -> Iterator[JSON]:
    """Every dict nested anywhere in ``node``, depth-first in document order."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _label(button: JSON) -> str:
    text = button.get("text")
    return text.get("text", "") if isinstance(text, dict) else str(text or "")
