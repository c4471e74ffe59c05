"""Due dates: from what a person types ("friday", "tomorrow 3pm", "eod") to an aware UTC time.

The text is read in the task owner's timezone, relative to ``now`` (always a parameter,
so tests pin the clock). Rules, in the order they apply:

* ``eod`` / ``end of day`` is today at the workday end, ``eow`` / ``end of week`` this
  week's Friday at the workday end (on a weekend, or on Friday evening, that is in the
  past and is refused rather than silently moved to next week).
* Everything else goes to dateparser (English only, future dates preferred).
* A day without a time ("friday", "dec 24", "in 3 days") means the workday end that day.
  dateparser reports the granularity of what it read as ``period``; only "time" and
  "part_of_day" carry a time of their own ("in 2 hours", "3pm", "tomorrow morning").
* A bare weekday naming today ("friday" on a Friday) means today if that time is still
  ahead, else the same day next week; dateparser alone always jumps a week.
* A bare day of the month ("the 24th") that has passed this month means next month.
* A month or a year alone ("december", "12", "2027") is too vague and is refused.
* The result must be after ``now``.

Only :class:`~bot.core.errors.BadInput` ever escapes for any text: dateparser can raise
odd errors on odd input (overflows, out-of-range years), which are all read as "not a date".
Text holding a card number or a secret is refused before anything else (and so never
echoed in a "not a date" message). The text is plain, as a person reads it: slash command
text goes through :func:`bot.core.slack_text.plain_text` first.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateparser.date import DateData, DateDataParser

from bot.core.errors import BadInput, quote
from bot.core.safety import refuse_sensitive

# Long text is never a date and would only make dateparser slow. The one limit on due
# date text, for the slash command grammar (bot.core.parsing) too.
MAX_DUE_TEXT = 100
EXAMPLES = "Try: tomorrow 3pm, friday, in 3 days, 2026-12-24 17:00, eod, eow."

# dateparser is configured once; only RELATIVE_BASE changes per call. Its expensive state
# (the English locale data and compiled regexes) lives in module-level caches inside
# dateparser, so a parser built per call costs ~10 µs; it cannot be shared because
# RELATIVE_BASE is fixed when a parser is built.
_LANGUAGES = ["en"]
_SETTINGS: dict[str, Any] = {
    "PREFER_DATES_FROM": "future",
    # Without this, "3pm" and "friday" both come back with period "day".
    "RETURN_TIME_AS_PERIOD": True,
    # dateparser works on naive wall-clock time in the owner's zone (RELATIVE_BASE is
    # passed that way). Calling that zone "UTC" makes dateparser do no conversions and
    # never consult the server's own zone (its default, "local", does both).
    "TIMEZONE": "UTC",
    # RETURN_AS_TIMEZONE_AWARE stays at its default: a zone written in the text
    # ("17:00 PST") comes back aware, everything else naive (we attach the owner's zone).
}
_TIMED_PERIODS = frozenset({"time", "part_of_day"})
_VAGUE_PERIODS = frozenset({"month", "quarter", "year"})

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Spelled out so that "month" or "sunny" is not read as a weekday.
_WEEKDAY_WORD = re.compile(
    r"\b(mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b",
    re.IGNORECASE,
)
_END_OF_DAY = re.compile(r"\b(?:eod|cob|end of (?:the )?day|close of business)\b", re.IGNORECASE)
_END_OF_WEEK = re.compile(r"^(?:eow|end of (?:the )?week|this week)$", re.IGNORECASE)
# The words "next"/"following" ask for next week's weekday, even when it is today's.
_NEXT_WORD = re.compile(r"\b(?:next|following)\b", re.IGNORECASE)
# Units that make "in 1 month" a real date although dateparser calls its period "month".
_UNIT_WORD = re.compile(r"\b(?:months?|years?|quarters?)\b", re.IGNORECASE)
# Units of elapsed time: "in 2 hours", "in 90 min", "1h"; not "3pm" or "9:30am".
_CLOCK_UNIT = re.compile(r"(?:\b|(?<=\d))(?:hours?|hrs?|h|minutes?|mins?|m)\b", re.IGNORECASE)
_FILLER = re.compile(r"^(?:due|by|on|before|until|at)\s+", re.IGNORECASE)
_FRIDAY = 4

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def warm_up() -> None:
    """Load dateparser's English data now (~0.1 s) instead of on the first real request."""
    _read(_parser(datetime(2000, 1, 1)), "tomorrow 3pm")


def parse_due(text: str, *, now: datetime, tz: str, workday_end: time) -> datetime:
    """Read ``text`` as a due date in ``tz`` and return it as an aware UTC datetime.

    ``now`` must be aware. ``tz`` must be a valid IANA name: a bad one is a programming
    error (``ZoneInfoNotFoundError``), not something the person typing can fix.
    Text holding a card number or a secret is refused first, whatever else it holds.
    """
    refuse_sensitive(text)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    cleaned = _clean(text)
    shortcut = _shortcut(cleaned, local_now, workday_end)
    due = _to_utc(shortcut, local_now) if shortcut else _parse_text(cleaned, local_now, workday_end)
    if due <= now:
        raise BadInput(
            f"That due date is in the past ({format_fallback(due, tz)}). Give a time that is still ahead.",
            hint=EXAMPLES,
        )
    return due


def format_fallback(due: datetime, tz: str) -> str:
    """A short plain rendering in ``tz``, e.g. "Thu, Dec 24 2026 at 17:00".

    Used as the fallback text of Slack's ``<!date^…>`` token. Names are spelled out here
    rather than by strftime so the output does not depend on the process locale.
    """
    local = due.astimezone(ZoneInfo(tz))
    day, month = _DAYS[local.weekday()], _MONTHS[local.month - 1]
    return f"{day}, {month} {local.day} {local.year} at {local:%H:%M}"


# --- steps ---------------------------------------------------------------------------


def _not_a_date(text: str) -> BadInput:
    what = quote(text) if text else "An empty due date"
    return BadInput(f"{what} is not a date I understand.", hint=EXAMPLES)


def _clean(text: str) -> str:
    """Collapse whitespace, drop a leading "by"/"on"/"due" and trailing dots."""
    cleaned = " ".join(text.split()).rstrip(".!")
    cleaned = _FILLER.sub("", cleaned)
    if not cleaned or len(cleaned) > MAX_DUE_TEXT:
        raise _not_a_date(text.strip())
    return cleaned


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock.replace(tzinfo=None))


def _shortcut(cleaned: str, local_now: datetime, workday_end: time) -> datetime | None:
    """``eod`` and ``eow`` alone; dateparser knows neither."""
    if _END_OF_DAY.fullmatch(cleaned) or cleaned.lower() in {"eod today", "today eod"}:
        return _at(local_now.date(), workday_end)
    if _END_OF_WEEK.match(cleaned):
        friday = local_now.date() + timedelta(days=_FRIDAY - local_now.weekday())
        return _at(friday, workday_end)
    return None


def _parser(relative_base: datetime) -> DateDataParser:
    return DateDataParser(languages=_LANGUAGES, settings={**_SETTINGS, "RELATIVE_BASE": relative_base})


def _read(parser: DateDataParser, text: str) -> DateData | None:
    """Run dateparser, turning any of its internal errors into "no date"."""
    try:
        data = parser.get_date_data(text)
    except Exception:  # dateparser raises assorted errors (overflow, bad year) on odd input
        return None
    return data if data.date_obj is not None else None


def _parse_text(cleaned: str, local_now: datetime, workday_end: time) -> datetime:
    """Everything but the shortcuts, through dateparser; returns an aware UTC datetime."""
    # "friday eod" means friday at the workday end, which is what a day alone gives anyway.
    without_eod = _END_OF_DAY.sub("", cleaned).strip() or cleaned
    if without_eod.isdigit():
        # dateparser reads "12" as December and "1790000000" as a Unix timestamp.
        raise _too_vague(cleaned)
    base = local_now.replace(tzinfo=None)
    data = _read(_parser(base), without_eod)
    if data is None or data.date_obj is None:
        raise _not_a_date(cleaned)
    if data.period in _VAGUE_PERIODS and not _UNIT_WORD.search(without_eod):
        raise _too_vague(cleaned)
    try:
        return _interpret(data, without_eod, local_now, workday_end)
    except (OverflowError, ValueError):
        # Dates at the edge of the calendar (year 1 or 9999) overflow when shifted
        # between zones; nobody means them as a due date.
        raise _not_a_date(cleaned) from None


def _interpret(data: DateData, text: str, local_now: datetime, workday_end: time) -> datetime:
    """Apply the module's rules to what dateparser read; returns an aware UTC datetime."""
    parsed = data.date_obj
    assert parsed is not None
    if data.period == "time" and parsed.tzinfo is None and _CLOCK_UNIT.search(text):
        # "in 2 hours" is elapsed time: dateparser added it to naive wall-clock time,
        # which is an hour off across a DST change, so add the same amount to real time.
        return local_now.astimezone(UTC) + (parsed - local_now.replace(tzinfo=None))
    due = _with_time(data, local_now, workday_end)
    due = _roll_day_of_month_forward(data, due, local_now)
    due = _same_weekday_today(text, due, local_now)
    return _to_utc(due, local_now)


def _too_vague(text: str) -> BadInput:
    return BadInput(f"{quote(text)} is too vague for a due date. Say which day.", hint=EXAMPLES)


def _with_time(data: DateData, local_now: datetime, workday_end: time) -> datetime:
    """Keep a time the person gave; a day alone means the workday end that day."""
    parsed = data.date_obj
    assert parsed is not None
    if parsed.tzinfo is not None:
        # The text named its own zone ("17:00 UTC"): read the day in the owner's zone.
        parsed = parsed.astimezone(local_now.tzinfo).replace(tzinfo=None)
    if data.period in _TIMED_PERIODS:
        return parsed
    return _at(parsed.date(), workday_end)


def _roll_day_of_month_forward(data: DateData, due: datetime, local_now: datetime) -> datetime:
    """Read "the 24th", said on the 26th, as next month's 24th; dateparser keeps this month's."""
    if getattr(data, "parts", None) != ("day",) or due.date() >= local_now.date():
        return due
    year, month = due.year, due.month
    for _ in range(12):  # the 31st skips months that have no 31st
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        try:
            return due.replace(year=year, month=month)
        except ValueError:
            continue
    return due


def _same_weekday_today(text: str, due: datetime, local_now: datetime) -> datetime:
    """Read "friday", said on a Friday, as today if that time is still ahead.

    With future dates preferred, dateparser always resolves today's weekday name to a
    week later; we step back a week unless that time today has passed (or "next" was said).
    """
    today = local_now.date()
    weekdays = {_WEEKDAYS.index(word[:3].lower()) for word in _WEEKDAY_WORD.findall(text)}
    if weekdays != {today.weekday()} or _NEXT_WORD.search(text) or due.date() != today + timedelta(days=7):
        return due
    earlier = due - timedelta(days=7)
    return earlier if earlier > local_now.replace(tzinfo=None) else due


def _to_utc(local_due: datetime, local_now: datetime) -> datetime:
    """Attach the owner's zone (that of ``local_now``) to naive wall-clock time; convert to UTC.

    A wall-clock time skipped by a DST change (02:30 on the spring-forward night) is read
    with the offset before the change, so it lands an hour later on the clock: 03:30.
    """
    return local_due.replace(tzinfo=local_now.tzinfo).astimezone(UTC)
