"""A workspace's calendar defaults: quiet hours, working days, timezone and summary time.

Each is set by an admin (``/tasks settings workspace``) over the environment's variable of
the same name, and is what a person follows when they set nothing of their own and, for the
timezone, when their Slack profile says none. Values are checked with the parsers the
environment and a person's own settings use, and stored as people write them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import TypeVar

from bot.core.errors import BadInput
from bot.core.settings_grammar import WorkspaceField, parse_timezone
from bot.core.working_time import (
    QuietHours,
    describe_days,
    describe_quiet,
    parse_quiet_hours,
    parse_working_days,
)

T = TypeVar("T")
NO_DAYS = frozenset({"none", "off", "no", "-"})  # said of working days: none is not a calendar


@dataclass(frozen=True)
class WorkspaceCalendar:
    """The calendar defaults that apply in a workspace (its own over the environment's)."""

    timezone: str
    quiet: QuietHours
    days: frozenset[int]
    summary_time: time

    def described(self) -> dict[WorkspaceField, str]:
        """Each value as it is written and stored ("19:00-08:00", "mon-fri", "09:00")."""
        return {
            WorkspaceField.QUIET: describe_quiet(self.quiet),
            WorkspaceField.DAYS: describe_days(self.days),
            WorkspaceField.TIMEZONE: self.timezone,
            WorkspaceField.SUMMARY_TIME: _clock(self.summary_time),
        }


def parse_clock_time(text: str) -> time:
    """ "8:30" → 08:30, a 24-hour time; BadInput saying what to write."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise BadInput(
            f"SUMMARY_TIME should be a 24-hour time like 09:00, not {text.strip()[:40]!r}.",
            hint="Write hours 00 to 23 and minutes 00 to 59: 08:30.",
        )
    return time(int(match.group(1)), int(match.group(2)))


def _working_days(text: str) -> frozenset[int]:
    if text.strip().lower() in NO_DAYS:
        raise BadInput(
            "Name at least one working day: with none, nobody would ever be nudged.",
            hint="For example: mon-fri, or sun-thu.",
        )
    return parse_working_days(text)


def _clock(value: time) -> str:
    return f"{value:%H:%M}"


_CHECKS: Mapping[WorkspaceField, Callable[[str], str]] = {
    WorkspaceField.QUIET: lambda text: describe_quiet(parse_quiet_hours(text)),
    WorkspaceField.DAYS: lambda text: describe_days(_working_days(text)),
    WorkspaceField.TIMEZONE: parse_timezone,
    WorkspaceField.SUMMARY_TIME: lambda text: _clock(parse_clock_time(text)),
}


def check_value(field: WorkspaceField, text: str) -> str:
    """A typed value as it is stored ("20:00 - 7:00" → "20:00-07:00"); BadInput saying what to write."""
    return _CHECKS[field](text)


def resolve(stored: Mapping[str, str | None], env: WorkspaceCalendar) -> WorkspaceCalendar:
    """The workspace's stored values (by column) over the environment's."""
    return WorkspaceCalendar(
        timezone=_stored(stored, WorkspaceField.TIMEZONE, parse_timezone, env.timezone),
        quiet=_stored(stored, WorkspaceField.QUIET, parse_quiet_hours, env.quiet),
        days=_stored(stored, WorkspaceField.DAYS, _working_days, env.days),
        summary_time=_stored(stored, WorkspaceField.SUMMARY_TIME, parse_clock_time, env.summary_time),
    )


def _stored(
    stored: Mapping[str, str | None], field: WorkspaceField, parse: Callable[[str], T], default: T
) -> T:
    """A stored value, or the default when there is none or it no longer parses.

    Only values that parse are stored; one that stops parsing (a grammar narrowed later) must
    not stop the sweep for the whole workspace, so it is ignored as a person's own would be.
    """
    text = stored.get(field.value)
    if not text:
        return default
    try:
        return parse(text)
    except BadInput:
        return default
