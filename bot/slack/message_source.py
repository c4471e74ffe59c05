"""Where a task made with "Delegate this message" came from, carried through its form.

The message shortcut opens the delegate form; the message's permalink is fetched when the
form is submitted (a trigger_id expires after 3 s, too soon to wait on Slack first). So the
form carries the message — channel and ts — in its ``private_metadata``, sealed with an
HMAC keyed by the app's signing secret and bound to the workspace and the person it was
opened for. A submission whose metadata is not one the app sealed (edited, moved to another
person's form, malformed) is refused on the form, and nothing is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any

from bot.core.errors import BadInput
from bot.slack.ids import Field

# Conversation ids: public and private channels, group and direct messages.
_CHANNEL = re.compile(r"^[CGD][A-Z0-9]{2,30}$")
_USER = re.compile(r"^[UWB][A-Z0-9]{2,30}$")
_TS = re.compile(r"^\d{1,12}\.\d{1,6}$")
_KEY_LABEL = b"handoff: the message a delegate form was opened from"
MAX_METADATA = 3000  # Slack's limit on private_metadata


@dataclass(frozen=True)
class MessageSource:
    """A message in Slack, as the shortcut's payload names it."""

    channel_id: str
    message_ts: str
    author_id: str | None = None  # None for a message posted by an integration

    @property
    def in_direct_message(self) -> bool:
        return self.channel_id.startswith("D")


def from_shortcut(shortcut: dict[str, Any]) -> MessageSource:
    """The message a ``message_action`` payload is about; the payload carries it whole."""
    message = shortcut.get("message") or {}
    channel = str((shortcut.get("channel") or {}).get("id") or "")
    ts = str(message.get("ts") or shortcut.get("message_ts") or "")
    author = str(message.get("user") or "")
    if not _CHANNEL.match(channel) or not _TS.match(ts):
        raise BadInput(
            "Slack didn't say which message this was.",
            hint="Try the shortcut again on the message, or use `/delegate`.",
        )
    return MessageSource(channel, ts, author if _USER.match(author) else None)


def seal(source: MessageSource, *, team_id: str, user_id: str, secret: str) -> str:
    """``private_metadata`` naming ``source``, for a form opened by ``user_id`` of ``team_id``."""
    fields = {"channel": source.channel_id, "ts": source.message_ts, "author": source.author_id}
    sealed = json.dumps({**fields, "seal": _seal(fields, team_id, user_id, secret)}, separators=(",", ":"))
    assert len(sealed) <= MAX_METADATA
    return sealed


def unseal(metadata: str | None, *, team_id: str, user_id: str, secret: str) -> MessageSource | None:
    """The message a submitted form was opened from; None for a form opened without one.

    Raises :class:`BadInput` (on the title field) when the metadata is not as it was sealed.
    """
    if not metadata:
        return None
    source = _genuine(metadata, team_id=team_id, user_id=user_id, secret=secret)
    if source is None:
        raise BadInput(
            "This form no longer knows which message it was opened from, so nothing was saved.",
            hint="Close it and use *Delegate this message* on the message again.",
            field=Field.TITLE.value,
        )
    return source


def _genuine(metadata: str, *, team_id: str, user_id: str, secret: str) -> MessageSource | None:
    try:
        parsed = json.loads(metadata)
        fields = {"channel": parsed["channel"], "ts": parsed["ts"], "author": parsed["author"]}
        seal = str(parsed["seal"])
    except (ValueError, KeyError, TypeError):
        return None
    if not hmac.compare_digest(seal, _seal(fields, team_id, user_id, secret)):
        return None
    channel, ts, author = (str(fields[name] or "") for name in ("channel", "ts", "author"))
    if not _CHANNEL.match(channel) or not _TS.match(ts):
        return None
    return MessageSource(channel, ts, author or None)


def _seal(fields: dict[str, Any], team_id: str, user_id: str, secret: str) -> str:
    key = hmac.new(secret.encode(), _KEY_LABEL, hashlib.sha256).digest()
    signed = json.dumps([team_id, user_id, fields["channel"], fields["ts"], fields["author"]])
    return hmac.new(key, signed.encode(), hashlib.sha256).hexdigest()
