"""Grammar of ``/tasks summary …``, ``/tasks stats …`` and ``/tasks export …``.

``/tasks summary here [09:00] [owner:@x] [assignee:@x] [tz:Europe/Berlin] [days:mon-fri] [quiet]``
subscribes the channel it is typed in; ``/tasks summary off`` unsubscribes it; a bare
``/tasks summary`` shows what the channel gets. ``quiet`` posts nothing on an all-clear day
(the default posts one short line). A window is ``30d`` (days, 1 to 365).
Worded :class:`~bot.core.errors.BadInput` for anything else, saying what to type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.errors import BadInput
from bot.core.slack_text import LEADING_MENTION
from bot.core.working_time import parse_working_days

DEFAULT_WINDOW_DAYS = 30
MAX_WINDOW_DAYS = 365
SUMMARY_EXAMPLE = "/tasks summary here 09:00"

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_WINDOW = re.compile(r"^(\d+)d$", re.IGNORECASE)
_OPTION = re.compile(r"^(owner|assignee|tz|days):(.*)$", re.IGNORECASE | re.DOTALL)


class SummaryAction(StrEnum):
    SUBSCRIBE = "here"
    OFF = "off"
    SHOW = "show"


@dataclass(frozen=True)
class SummaryCommand:
    """What ``/tasks summary`` asked for; None fields keep the default (or what was set before)."""

    action: SummaryAction
    at: time | None = None
    owner_id: str | None = None
    assignee_id: str | None = None
    timezone: str | None = None
    days: frozenset[int] | None = None
    quiet: bool = False  # post nothing on an all-clear day


def parse_summary(text: str) -> SummaryCommand:
    words = text.split()
    if not words:
        return SummaryCommand(SummaryAction.SHOW)
    first, rest = words[0].lower(), words[1:]
    if first == SummaryAction.OFF.value:
        if rest:
            raise BadInput(
                "`/tasks summary off` takes nothing after it.",
                hint="Type `/tasks summary off` in the channel whose summary should stop.",
            )
        return SummaryCommand(SummaryAction.OFF)
    if first != SummaryAction.SUBSCRIBE.value:
        raise BadInput(
            f"I don't know `/tasks summary {first}`.",
            hint=f"Type `{SUMMARY_EXAMPLE}` in a channel to post a daily summary there,"
            " or `/tasks summary off` to stop it.",
        )
    return _subscription(rest)


def _subscription(words: list[str]) -> SummaryCommand:
    values: dict[str, object] = {}
    for word in words:
        key, value = _option(word)
        if key in values:
            raise BadInput(
                f"The {_OPTION_WORDS[key]} is given twice.", hint=f"Give it once, e.g. `{SUMMARY_EXAMPLE}`."
            )
        values[key] = value
    return SummaryCommand(SummaryAction.SUBSCRIBE, **values)  # type: ignore[arg-type]


def _option(word: str) -> tuple[str, object]:
    if match := _TIME.match(word):
        return "at", time(int(match.group(1)), int(match.group(2)))
    if word.lower() == "quiet":
        return "quiet", True
    match = _OPTION.match(word)
    if match is None:
        raise BadInput(
            f"I can't read `{word[:40]}` in a summary subscription.",
            hint="Add a 24-hour time (09:00), owner:@someone, assignee:@someone, tz:Europe/Berlin,"
            f" days:mon-fri or quiet, e.g. `{SUMMARY_EXAMPLE} owner:@olivia`.",
        )
    name, value = match.group(1).lower(), match.group(2).strip()
    if name in ("owner", "assignee"):
        return f"{name}_id", _person(name, value)
    if name == "tz":
        return "timezone", _timezone(value)
    return "days", parse_working_days(value)


def _person(name: str, value: str) -> str:
    match = LEADING_MENTION.match(value)
    if match is None or value[match.end() :].strip():
        raise BadInput(
            f"`{name}:` takes one person picked with @, not `{value[:40]}`.",
            hint=f"Type `{name}:@` and pick them from the list.",
        )
    return match.group(1)


# How each option is named back to the person when it is given twice.
_OPTION_WORDS = {
    "at": "time",
    "quiet": "word quiet",
    "owner_id": "owner:",
    "assignee_id": "assignee:",
    "timezone": "tz:",
    "days": "days:",
}


def _timezone(value: str) -> str:
    if not value:
        raise BadInput(
            "`tz:` needs a timezone after it.",
            hint="Write an IANA timezone such as tz:Europe/Berlin or tz:America/New_York.",
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(
            f"`{value[:40]}` is not a timezone I know.",
            hint="Write an IANA timezone such as tz:Europe/Berlin or tz:America/New_York.",
        ) from None
    return value


def parse_window(word: str) -> int:
    """``30d`` → 30; anything else says what to type."""
    match = _WINDOW.match(word.strip())
    digits = match.group(1).lstrip("0") if match else ""
    days = int(digits) if digits and len(digits) <= 4 else 0  # the length keeps int() cheap
    if not 1 <= days <= MAX_WINDOW_DAYS:
        raise BadInput(
            f"`{word.strip()[:40]}` is not a window of days.",
            hint=f"Write a number of days from 1 to {MAX_WINDOW_DAYS}, like 30d or 90d.",
        )
    return days


@dataclass(frozen=True)
class StatsRequest:
    """``/tasks stats [@user] [30d]``: whose scorecard (None: the caller's team view), over how long."""

    user_id: str | None
    days: int = DEFAULT_WINDOW_DAYS


def parse_stats(text: str) -> StatsRequest:
    user_id: str | None = None
    days = DEFAULT_WINDOW_DAYS
    rest = text.strip()
    match = LEADING_MENTION.match(rest)
    if match is not None:
        user_id, rest = match.group(1), rest[match.end() :].strip()
    if rest and not _WINDOW.match(rest):
        # Not a window: most likely a name typed without picking the person.
        raise BadInput(
            f"I can't read `{rest[:40]}` after `/tasks stats`.",
            hint="Pick the person with @ and, if you like, a window of days:"
            " `/tasks stats @alice` or `/tasks stats @alice 90d`.",
        )
    if rest:
        days = parse_window(rest)
    return StatsRequest(user_id, days)


def parse_export(text: str) -> int:
    """``/tasks export [30d]``: the window in days."""
    rest = text.strip()
    return parse_window(rest) if rest else DEFAULT_WINDOW_DAYS
