"""A task title read from a Slack message ("Delegate this message").

The form is prefilled with the message's first line, as a person reads it: Slack's
markup turned into text (``<@U1|alice>`` → ``@alice``, ``<https://x|label>`` →
``label (https://x)``; see :func:`bot.core.slack_text.plain_text`), whitespace collapsed,
and cut at a word to fit the title field. A message that holds a card number or a
secret prefills nothing: the form says what kind of thing was found, never the thing,
so it is neither echoed into the form nor stored by a hurried submit.

The guard reads the first ``SCANNED`` characters, far more than a title is taken from:
a message may hold 40,000, and the form must open within the 3 s of its trigger_id.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.parsing import MAX_TITLE
from bot.core.safety import find_sensitive
from bot.core.sensitive_kinds import Sensitive
from bot.core.slack_text import normalise, plain_text
from bot.core.text_hygiene import is_unshowable

SCANNED = 8000


@dataclass(frozen=True)
class MessageTitle:
    """What goes in the form's title field, and why it is empty when it is."""

    title: str
    # The message holds this kind of sensitive data: nothing of it was taken.
    withheld: Sensitive | None = None

    @property
    def empty(self) -> bool:
        return not self.title


def title_from_message(text: str | None, *, limit: int = MAX_TITLE) -> MessageTitle:
    """The title for a task made from a message whose (Slack-escaped) text is ``text``."""
    if not text or not text.strip():
        return MessageTitle("")  # only files or blocks: nothing to read
    text = text[:SCANNED]
    readable = plain_text(text)
    kind = find_sensitive(text) or find_sensitive(readable)
    if kind is not None:
        return MessageTitle("", withheld=kind)
    if is_unshowable(readable):
        return MessageTitle("")
    first_line = next((normalise(line) for line in readable.splitlines() if line.strip()), "")
    return MessageTitle(shorten(first_line, limit))


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word where there is one, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    at_word = cut.rsplit(" ", 1)[0]
    # A first word longer than half the room is cut where it is, not dropped.
    return (at_word if len(at_word) > limit // 2 else cut).rstrip() + "…"
