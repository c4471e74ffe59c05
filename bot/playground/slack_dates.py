"""Slack's ``<!date^…>`` tokens as a reader in ``tz`` sees them.

The bot writes every date people read as ``<!date^{unix}^{format}|fallback>`` so each reader
sees their own timezone; the playground must do what Slack does with it, or a person acting
as someone in Berlin would read UTC times. The tokens are the ones Slack documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_TOKEN = re.compile(r"\{(\w+)\}")


def zone(tz: str) -> ZoneInfo:
    """The reader's zone; an unknown name reads as UTC rather than breaking the page."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_date_token(unix: int, pattern: str, *, tz: str, now: datetime) -> str:
    """``pattern`` with each known ``{token}`` replaced; unknown tokens are left as written."""
    here = zone(tz)
    moment = datetime.fromtimestamp(unix, here)
    today = now.astimezone(here).date()

    def replace(match: re.Match[str]) -> str:
        word = _WORDS.get(match.group(1))
        return word(moment, today) if word else match.group(0)

    return _TOKEN.sub(replace, pattern)


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _relative(day: date, today: date) -> str | None:
    return {
        today: "Today",
        today - timedelta(days=1): "Yesterday",
        today + timedelta(days=1): "Tomorrow",
    }.get(day)


def _date(moment: datetime) -> str:
    return f"{moment:%B} {_ordinal(moment.day)}, {moment.year}"


def _date_short(moment: datetime) -> str:
    return f"{moment:%b} {moment.day}, {moment.year}"


def _date_long(moment: datetime) -> str:
    return f"{moment:%A}, {_date(moment)}"


def _time(moment: datetime, *, seconds: bool) -> str:
    hour = moment.hour % 12 or 12
    rest = f":{moment:%M:%S}" if seconds else f":{moment:%M}"
    return f"{hour}{rest} {'AM' if moment.hour < 12 else 'PM'}"


_WORDS: dict[str, Callable[[datetime, date], str]] = {
    "date_num": lambda m, today: f"{m:%Y-%m-%d}",
    "date": lambda m, today: _date(m),
    "date_short": lambda m, today: _date_short(m),
    "date_long": lambda m, today: _date_long(m),
    "date_pretty": lambda m, today: _relative(m.date(), today) or _date(m),
    "date_short_pretty": lambda m, today: _relative(m.date(), today) or _date_short(m),
    "date_long_pretty": lambda m, today: _relative(m.date(), today) or _date_long(m),
    "time": lambda m, today: _time(m, seconds=False),
    "time_secs": lambda m, today: _time(m, seconds=True),
}

SUPPORTED_TOKENS = frozenset(_WORDS)
