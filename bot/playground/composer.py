"""What Slack makes of a line typed in the composer before a command reaches the app.

The manifest declares the commands with ``should_escape``: ``&``, ``<`` and ``>`` arrive escaped,
``@Name`` as ``<@U…|name>`` and ``#channel`` as ``<#C…|channel>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_MENTION = re.compile(r"(?<![\w<])@([\w.\-]+)")
_CHANNEL = re.compile(r"(?<![\w<])#([\w\-]+)")


def split_command(line: str) -> tuple[str, str]:
    """``"/delegate @alice x"`` → ``("/delegate", "@alice x")``."""
    command, _, text = line.strip().partition(" ")
    return command.lower(), text.strip()


def escaped_text(text: str, *, people: Mapping[str, str], channels: Mapping[str, str]) -> str:
    """``people`` and ``channels`` map lower-case names to ids; unknown names stay plain text."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def person(match: re.Match[str]) -> str:
        name = match.group(1)
        user_id = people.get(name.lower())
        return f"<@{user_id}|{name.lower()}>" if user_id else match.group(0)

    def channel(match: re.Match[str]) -> str:
        name = match.group(1)
        channel_id = channels.get(name.lower())
        return f"<#{channel_id}|{name.lower()}>" if channel_id else match.group(0)

    return _CHANNEL.sub(channel, _MENTION.sub(person, text))
