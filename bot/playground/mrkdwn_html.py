"""Slack mrkdwn as an HTML fragment, for the playground page.

Slack sends text with ``&``, ``<`` and ``>`` escaped as entities and its own tokens in angle
brackets (``<@U…>``, ``<#C…|name>``, ``<!here>``, ``<!date^…>``, ``<https://…|label>``).
The entities are decoded exactly once and everything is escaped again on the way out, so
whatever a person typed (a ``<script>`` in a task title) stays text on the page: the only
markup in the result is the markup written here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from html import escape
from itertools import groupby

from bot.playground.emoji import emojize
from bot.playground.slack_dates import format_date_token

WEB_SCHEMES = ("http://", "https://")
LINK_SCHEMES = (*WEB_SCHEMES, "mailto:")
BROADCASTS = {"here", "channel", "everyone"}

_ENTITY = re.compile(r"&(amp|lt|gt);")
_CHARACTERS = {"amp": "&", "lt": "<", "gt": ">"}
# A code span or a Slack token, whichever comes first; escaped text (&lt;…&gt;) is never a token.
_ATOM = re.compile(r"`([^`\n]+)`|<([^<>\n]*)>")
_HELD = re.compile(r"\x00(\d+)\x00")
_QUOTE = re.compile(r"^(?:&gt;|>) ?")
_STYLE_TAG = re.compile(r"<(/?)([bis])>")


@dataclass(frozen=True)
class Reader:
    """Who reads the page: names for user ids, their timezone, and "now" for Today/Tomorrow."""

    people: Mapping[str, str]
    tz: str
    now: datetime

    @classmethod
    def of(cls, people: Mapping[str, str], tz: str, now: datetime | None) -> Reader:
        return cls(people, tz, now or datetime.now(UTC))


def decode(text: str) -> str:
    """Slack's three entities back to characters, in one pass (``&amp;lt;`` stays ``&lt;``)."""
    return _ENTITY.sub(lambda m: _CHARACTERS[m.group(1)], text)


def mrkdwn(text: str, reader: Reader) -> str:
    """``text`` (Slack mrkdwn) as HTML: ```pre``` blocks, quotes, lines, then inline styles."""
    text = text.replace("\x00", "")  # the marker of held pieces below; never part of real text
    parts = text.split("```")
    if len(parts) % 2 == 0:  # an unclosed fence is only text
        parts = [*parts[:-2], parts[-2] + "```" + parts[-1]]
    html = []
    for index, part in enumerate(parts):
        if index % 2:
            html.append(f'<pre class="bk-pre">{escape(decode(part.strip(chr(10))))}</pre>')
        else:
            html.append(_lines(_trim_around_fences(part, index, len(parts)), reader))
    return "".join(html)


def _trim_around_fences(part: str, index: int, count: int) -> str:
    # The line break next to a ``` belongs to the pre block's own line, not an empty line.
    if index > 0 and part.startswith("\n"):
        part = part[1:]
    if index < count - 1 and part.endswith("\n"):
        part = part[:-1]
    return part


def _lines(text: str, reader: Reader) -> str:
    """Lines joined by <br>, each run of ``>`` lines one blockquote."""
    if not text:
        return ""
    html = []
    for quoted, run in groupby(text.split("\n"), key=lambda line: bool(_QUOTE.match(line))):
        lines = "<br>".join(_inline(_QUOTE.sub("", line, count=1), reader) for line in run)
        html.append(f'<blockquote class="bk-quote">{lines}</blockquote>' if quoted else lines)
    return "".join(html)


def _inline(line: str, reader: Reader) -> str:
    """Code spans and tokens are rendered and held aside, the rest (emoji, styles) around them."""
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        code, token = match.group(1), match.group(2)
        held.append(f'<code class="bk-code">{escape(decode(code))}</code>' if code else _token(token, reader))
        return f"\x00{len(held) - 1}\x00"

    text = _ATOM.sub(hold, line)
    styled = _emphasis(escape(emojize(decode(text))))
    return _HELD.sub(lambda m: held[int(m.group(1))], styled)


def _emphasis(text: str) -> str:
    """*bold*, _italic_, ~strike~: marks at word edges around text that starts and ends non-blank.

    Styles nest but never overlap (``*a ~b* c~`` keeps its tildes): a mark pair whose text
    would cut through another style's tags is left as typed, so the tags stay well formed.
    """
    for mark, tag in (("*", "b"), ("_", "i"), ("~", "s")):
        m = re.escape(mark)
        pattern = rf"(?<![\w{m}]){m}(?=[^\s{m}])([^{m}\n]*?[^\s{m}]){m}(?![\w{m}])"
        text = re.sub(pattern, partial(_wrap, tag=tag), text)
    return text


def _wrap(found: re.Match[str], tag: str) -> str:
    inner = found.group(1)
    return f"<{tag}>{inner}</{tag}>" if _balanced(inner) else found.group(0)


def _balanced(html: str) -> bool:
    open_tags: list[str] = []
    for match in _STYLE_TAG.finditer(html):
        closing, tag = match.groups()
        if not closing:
            open_tags.append(tag)
        elif not open_tags or open_tags.pop() != tag:
            return False
    return not open_tags


def _token(body: str, reader: Reader) -> str:
    if body.startswith("@"):
        return _user(body[1:], reader)
    if body.startswith("#"):
        channel, _, name = body[1:].partition("|")
        return f'<span class="bk-mention bk-channel">#{escape(decode(name or channel))}</span>'
    if body.startswith("!date^"):
        return _date(body[len("!date^") :], reader)
    if body.startswith("!"):
        return _special(body[1:])
    return _link(body)


def _user(body: str, reader: Reader) -> str:
    user_id, _, label = body.partition("|")
    name = reader.people.get(user_id) or decode(label) or user_id
    return f'<span class="bk-mention" data-user-id="{escape(user_id)}">@{escape(name)}</span>'


def _special(body: str) -> str:
    command, _, label = body.partition("|")
    if command in BROADCASTS:
        return f'<span class="bk-mention bk-broadcast">@{escape(command)}</span>'
    # <!subteam^S123|@designers> and the like: what Slack would show is the label.
    shown = decode(label) or command.split("^", 1)[0]
    return f'<span class="bk-mention">{escape(shown)}</span>'


def _date(body: str, reader: Reader) -> str:
    spec, _, fallback = body.partition("|")
    unix, _, rest = spec.partition("^")
    pattern = rest.split("^", 1)[0]
    try:
        stamp = int(unix)
        shown = format_date_token(stamp, decode(pattern), tz=reader.tz, now=reader.now)
        iso = datetime.fromtimestamp(stamp, UTC).isoformat()
    except (ValueError, OverflowError, OSError):
        return escape(decode(fallback))
    return f'<time class="bk-date" datetime="{iso}">{escape(shown)}</time>'


def has_scheme(url: object, schemes: tuple[str, ...]) -> bool:
    """Whether ``url`` starts with one of ``schemes`` (``javascript:`` and ``data:`` never pass)."""
    return str(url or "").lower().startswith(schemes)


def _link(body: str) -> str:
    target, _, label = body.partition("|")
    url = decode(target)
    shown = decode(label) or (url[len("mailto:") :] if url.lower().startswith("mailto:") else url)
    if not has_scheme(url, LINK_SCHEMES):
        return f'<span class="bk-link-text">{escape(shown)}</span>'
    return (
        f'<a class="bk-link" href="{escape(url)}" target="_blank" rel="noopener noreferrer">'
        f"{escape(shown)}</a>"
    )
