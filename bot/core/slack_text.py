"""Slack's text format, read as plain Python: escapes, entities and mentions.

Slack sends the command text with entities escaped (the app has "Escape channels, users,
and links" on): ``<@U123|alice>``, ``<#C123|general>``, ``<https://x|label>``. A ``|``
inside such an entity is part of it, never a part separator, and a literal ``&``/``<``/``>``
typed by a person arrives as ``&amp;``/``&lt;``/``&gt;``, so every ``<…>`` is an entity.
The command grammar (:mod:`bot.core.parsing`) is read on that raw text; every free-text
value it returns goes through :func:`plain_text`: what a person reads, with no markup and
no entity left, to be escaped again by whoever displays it.
"""

from __future__ import annotations

import re

from bot.core.text_hygiene import strip_bidi

_ENTITY = re.compile(r"<([^<>]*)>")
_ENTITY_OR_PIPE = re.compile(r"<[^<>]*>|\|")
_WHITESPACE = re.compile(r"\s+")
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
# A mention at the start of the text, with the spaces around it.
LEADING_MENTION = re.compile(r"\s*" + USER_MENTION.pattern + r"\s*")
# Between leading mentions people write "<@U1>, <@U2>" or "<@U1> and <@U2>".
_MENTION_JOINER = re.compile(r"(?:,|and\b|&amp;)\s*(?=<@[UW])", re.IGNORECASE)
_SPECIAL_MENTIONS = frozenset({"channel", "here", "everyone"})
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?://)?")


def normalise(text: str) -> str:
    """Collapse every run of whitespace (newlines too) to one space and trim the ends."""
    return _WHITESPACE.sub(" ", text).strip()


def split_parts(text: str) -> list[str]:
    """Split on ``|`` separators, leaving the ``|`` inside ``<…>`` Slack entities alone."""
    parts: list[str] = []
    start = 0
    for match in _ENTITY_OR_PIPE.finditer(text):
        if match.group() == "|":
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts


def take_leading_mentions(text: str) -> tuple[tuple[str, ...], str]:
    """Split ``<@U1> <@U2> rest`` into the de-duplicated ids (order kept) and ``rest``."""
    ids: list[str] = []
    position = 0
    while match := LEADING_MENTION.match(text, position):
        if match.group(1) not in ids:
            ids.append(match.group(1))
        position = match.end()
        if joiner := _MENTION_JOINER.match(text, position):
            position = joiner.end()
    return tuple(ids), text[position:]


def plain_text(slack_text: str) -> str:
    """Turn escaped Slack text into what a person reads: entities as inert text, unescaped.

    ``<@U1|alice>`` → ``@alice``, ``<@U1>`` → ``@U1``, ``<#C1|general>`` → ``#general``,
    ``<!here>`` → ``@here`` (also ``@channel``, ``@everyone``), ``<!subteam^S1|@team>`` →
    ``@team``, ``<https://x|label>`` → ``label (https://x)``, ``<https://x>`` →
    ``https://x``, ``<mailto:a@b.c|a@b.c>`` → ``a@b.c``; then ``&lt;``, ``&gt;`` and
    ``&amp;`` become ``<``, ``>`` and ``&`` (in that order: ``&amp;lt;`` is ``&lt;``).

    Only for text Slack escaped (slash command text, message text): a modal's input
    values arrive unescaped and are plain already. Whitespace is left as it is;
    bidirectional controls are dropped, so no text can be shown reversed. The result can
    hold any other character, so it must be escaped again to be shown in mrkdwn.
    """
    text = _ENTITY.sub(_entity_as_text, strip_bidi(slack_text))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def free_text(raw: str) -> str:
    """A free-text value of a command as plain text, whitespace collapsed."""
    return normalise(plain_text(raw))


def _entity_as_text(match: re.Match[str]) -> str:
    """One ``<…>`` entity as readable text; still escaped, as the text around it is."""
    target, _, label = match.group(1).partition("|")
    label = label.strip()
    if target.startswith("@"):
        return "@" + (label.lstrip("@") or target[1:])
    if target.startswith("#"):
        return "#" + (label.lstrip("#") or target[1:])
    if target.startswith("!"):
        command, _, argument = target[1:].partition("^")
        if command in _SPECIAL_MENTIONS:
            return "@" + command
        if command == "subteam":
            return "@" + (label.lstrip("@") or argument)
        # <!date^…|fallback> and any future command: its fallback text, else its name.
        return label or command
    return _link_as_text(target, label)


def _link_as_text(url: str, label: str) -> str:
    """``label (url)``, or just one of them when the label only repeats the address."""
    address = url[len("mailto:") :] if url.lower().startswith("mailto:") else url
    if not label or label in {url, address, _URL_SCHEME.sub("", url)}:
        return label or address
    return f"{label} ({address})"
