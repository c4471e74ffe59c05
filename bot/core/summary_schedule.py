"""When a channel's daily summary is posted: a local time on its working days, in its timezone.

A summary is posted for one local day. When the clock was down for days, only the latest
scheduled moment that has passed is served (``latest_post_at``): one post for today, not
one per missed day. ``previous_post_at`` is the moment before it, since when "delivered"
counts. A local time the clocks skip (DST spring-forward) is the moment they jump; one they
show twice is the first of the two (see :func:`bot.core.working_time.local_moment`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.working_time import local_moment

_WEEK = 8  # the day itself and the week after (or before) cover any set of working days


def local_day(moment: datetime, timezone: str) -> date:
    """The date it is in ``timezone`` at ``moment`` (aware)."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def next_post_at(after: datetime, *, at: time, timezone: str, days: frozenset[int]) -> datetime:
    """The first working day's local ``at`` strictly after ``after``, in UTC."""
    _require(days)
    first = local_day(after, timezone)
    for offset in range(_WEEK):
        day = first + timedelta(days=offset)
        if day.weekday() in days and (moment := local_moment(day, at, timezone)) > after:
            return moment
    raise AssertionError("unreachable: some day of any eight is a working day")


def latest_post_at(now: datetime, *, at: time, timezone: str, days: frozenset[int]) -> datetime:
    """The last working day's local ``at`` at or before ``now``: the post that is due now."""
    _require(days)
    first = local_day(now, timezone)
    for offset in range(_WEEK):
        day = first - timedelta(days=offset)
        if day.weekday() in days and (moment := local_moment(day, at, timezone)) <= now:
            return moment
    raise AssertionError("unreachable: some day of any eight is a working day")


def previous_post_at(moment: datetime, *, at: time, timezone: str, days: frozenset[int]) -> datetime:
    """The scheduled post before ``moment``: what the summary at ``moment`` reports since."""
    return latest_post_at(moment - timedelta(microseconds=1), at=at, timezone=timezone, days=days)


def _require(days: frozenset[int]) -> None:
    if not days:
        raise ValueError("A summary needs at least one day to be posted on.")
