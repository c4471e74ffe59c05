"""Due date parsing, always against a pinned clock.

``NOW`` is Thursday 2026-11-26 10:00 UTC: 11:00 in Berlin, 02:00 in Los Angeles, and
already Thursday 23:00 in Auckland (NZDT, UTC+13), whose workday is over.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.dates import format_fallback, parse_due, warm_up
from bot.core.errors import BadInput, HandoffError
from bot.core.safety import Sensitive, refusal_message

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
FIVE_PM = time(17, 0)
BERLIN = "Europe/Berlin"
LOS_ANGELES = "America/Los_Angeles"
AUCKLAND = "Pacific/Auckland"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def due(text: str, tz: str = BERLIN, now: datetime = NOW, workday_end: time = FIVE_PM) -> datetime:
    return parse_due(text, now=now, tz=tz, workday_end=workday_end)


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        # Berlin is UTC+1 in winter.
        ("tomorrow 3pm", BERLIN, utc(2026, 11, 27, 14, 0)),
        ("friday", BERLIN, utc(2026, 11, 27, 16, 0)),
        ("Friday", BERLIN, utc(2026, 11, 27, 16, 0)),
        ("FRIDAY EOD", BERLIN, utc(2026, 11, 27, 16, 0)),
        ("In 2 Hours", BERLIN, utc(2026, 11, 26, 12, 0)),
        ("Next Month", BERLIN, utc(2026, 12, 26, 16, 0)),
        ("by friday", BERLIN, utc(2026, 11, 27, 16, 0)),
        ("in 3 days", BERLIN, utc(2026, 11, 29, 16, 0)),
        ("2026-12-24 17:00", BERLIN, utc(2026, 12, 24, 16, 0)),
        ("2026-12-24", BERLIN, utc(2026, 12, 24, 16, 0)),
        ("dec 24", BERLIN, utc(2026, 12, 24, 16, 0)),
        ("eod", BERLIN, utc(2026, 11, 26, 16, 0)),
        ("EOD", BERLIN, utc(2026, 11, 26, 16, 0)),
        ("end of day", BERLIN, utc(2026, 11, 26, 16, 0)),
        ("eow", BERLIN, utc(2026, 11, 27, 16, 0)),
        ("end of week", BERLIN, utc(2026, 11, 27, 16, 0)),
        ("next monday", BERLIN, utc(2026, 11, 30, 16, 0)),
        ("3pm", BERLIN, utc(2026, 11, 26, 14, 0)),
        ("9am", BERLIN, utc(2026, 11, 27, 8, 0)),  # 9:00 has passed today, so tomorrow
        ("in 2 hours", BERLIN, utc(2026, 11, 26, 12, 0)),
        ("in 90 minutes", BERLIN, utc(2026, 11, 26, 11, 30)),
        ("tomorrow eod", BERLIN, utc(2026, 11, 27, 16, 0)),
        ("friday eod", BERLIN, utc(2026, 11, 27, 16, 0)),
        ("in 2 weeks", BERLIN, utc(2026, 12, 10, 16, 0)),
        ("next month", BERLIN, utc(2026, 12, 26, 16, 0)),
        ("the 24th", BERLIN, utc(2026, 12, 24, 16, 0)),  # the 24th of November has passed
        ("2026-12-24 17:00 UTC", BERLIN, utc(2026, 12, 24, 17, 0)),  # a zone in the text wins
        ("  tomorrow   3pm. ", BERLIN, utc(2026, 11, 27, 14, 0)),
        # Los Angeles is UTC-8; its local date is still Thursday (02:00).
        ("tomorrow 3pm", LOS_ANGELES, utc(2026, 11, 27, 23, 0)),
        ("friday", LOS_ANGELES, utc(2026, 11, 28, 1, 0)),
        ("eod", LOS_ANGELES, utc(2026, 11, 27, 1, 0)),
        ("2026-12-24", LOS_ANGELES, utc(2026, 12, 25, 1, 0)),
        ("in 2 hours", LOS_ANGELES, utc(2026, 11, 26, 12, 0)),
        # Auckland is UTC+13; it is Thursday 23:00 there, so "tomorrow" is Friday local.
        ("tomorrow 3pm", AUCKLAND, utc(2026, 11, 27, 2, 0)),
        ("friday", AUCKLAND, utc(2026, 11, 27, 4, 0)),
        ("3pm", AUCKLAND, utc(2026, 11, 27, 2, 0)),  # 15:00 Thursday has passed there
        ("in 3 days", AUCKLAND, utc(2026, 11, 29, 4, 0)),
        ("dec 24", AUCKLAND, utc(2026, 12, 24, 4, 0)),
    ],
)
def test_parse_due(text: str, tz: str, expected: datetime) -> None:
    result = due(text, tz)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        # Friday 27 Nov, 10:00 in Berlin: "friday" is today at the workday end.
        (utc(2026, 11, 27, 9, 0), "friday", utc(2026, 11, 27, 16, 0)),
        (utc(2026, 11, 27, 9, 0), "fri", utc(2026, 11, 27, 16, 0)),
        (utc(2026, 11, 27, 9, 0), "Friday", utc(2026, 11, 27, 16, 0)),
        (utc(2026, 11, 27, 9, 0), "friday 3pm", utc(2026, 11, 27, 14, 0)),
        (utc(2026, 11, 27, 9, 0), "this friday", utc(2026, 11, 27, 16, 0)),
        # ... but "next friday" is next week, and so is a time already gone today.
        (utc(2026, 11, 27, 9, 0), "next friday", utc(2026, 12, 4, 16, 0)),
        (utc(2026, 11, 27, 9, 0), "Next Friday", utc(2026, 12, 4, 16, 0)),
        (utc(2026, 11, 27, 9, 0), "friday 9am", utc(2026, 12, 4, 8, 0)),
        # Friday 18:00 in Berlin: the workday is over, so "friday" means next Friday.
        (utc(2026, 11, 27, 17, 0), "friday", utc(2026, 12, 4, 16, 0)),
        (utc(2026, 11, 27, 17, 0), "friday 19:00", utc(2026, 11, 27, 18, 0)),
    ],
)
def test_weekday_named_today(now: datetime, text: str, expected: datetime) -> None:
    assert due(text, now=now) == expected


def test_workday_end_is_used_for_dates_without_time() -> None:
    assert due("friday", workday_end=time(18, 30)) == utc(2026, 11, 27, 17, 30)
    assert due("eod", workday_end=time(18, 30)) == utc(2026, 11, 26, 17, 30)


def test_in_hours_counts_real_time_across_a_dst_change() -> None:
    # 00:30 UTC on 29 March 2026 is 01:30 in Berlin; clocks jump from 02:00 to 03:00.
    before_change = utc(2026, 3, 29, 0, 30)
    assert due("in 2 hours", now=before_change) == utc(2026, 3, 29, 2, 30)


def test_day_only_dates_follow_dst() -> None:
    # Berlin is UTC+2 in summer: 17:00 local is 15:00 UTC.
    assert due("2027-06-01") == utc(2027, 6, 1, 15, 0)


def test_the_servers_zone_does_not_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as time_module

    monkeypatch.setenv("TZ", "Asia/Kolkata")
    if hasattr(time_module, "tzset"):
        time_module.tzset()
    try:
        assert due("tomorrow 3pm") == utc(2026, 11, 27, 14, 0)
        assert due("3pm", LOS_ANGELES) == utc(2026, 11, 26, 23, 0)
    finally:
        monkeypatch.undo()
        if hasattr(time_module, "tzset"):
            time_module.tzset()


@pytest.mark.parametrize(
    ("text", "tz"),
    [
        ("yesterday", BERLIN),
        ("now", BERLIN),
        ("2020-01-01", BERLIN),
        ("eod", AUCKLAND),  # 17:00 Thursday has passed in Auckland
        ("3 days ago", BERLIN),
    ],
)
def test_past_dates_are_refused(text: str, tz: str) -> None:
    with pytest.raises(BadInput) as caught:
        due(text, tz)
    assert caught.value.message.startswith("That due date is in the past")
    assert caught.value.hint is not None and "tomorrow 3pm" in caught.value.hint


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (utc(2026, 11, 28, 10, 0), "eow"),  # Saturday: this week's Friday is gone
        (utc(2026, 11, 27, 17, 0), "eow"),  # Friday 18:00 in Berlin
    ],
)
def test_eow_after_friday_workday_end_is_in_the_past(now: datetime, text: str) -> None:
    with pytest.raises(BadInput, match="in the past"):
        due(text, now=now)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "asap", "soonish", "<@U1|a>", "banana 3000", "x" * 101, "due", "31 feb"],
)
def test_not_a_date(text: str) -> None:
    with pytest.raises(BadInput) as caught:
        due(text)
    assert "not a date I understand" in caught.value.message
    assert caught.value.hint == "Try: tomorrow 3pm, friday, in 3 days, 2026-12-24 17:00, eod, eow."


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("4111 1111 1111 1111", Sensitive.CARD),
        ("friday 4111.1111.1111.1111", Sensitive.CARD),
        ("pwd: hunter2", Sensitive.PASSWORD),
        ("xoxb-1234567890-abcdefghij", Sensitive.SLACK_TOKEN),
        ("x" * 200 + " password=hunter2", Sensitive.PASSWORD),  # refused before the length check
    ],
)
def test_secrets_are_refused_never_echoed(text: str, kind: Sensitive) -> None:
    with pytest.raises(BadInput) as caught:
        due(text)
    assert str(caught.value) == refusal_message(kind)
    for bit in ("4111", "1111", "hunter2", "xoxb", "abcdefghij"):
        assert bit not in str(caught.value)


def test_a_secret_is_refused_before_anything_else() -> None:
    with pytest.raises(BadInput, match="never stores"):
        parse_due("password: hunter2", now=datetime(2026, 11, 26, 10), tz="No/Such_Zone", workday_end=FIVE_PM)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("<!channel>", "“<!channel>”"),  # plain text: the Slack layer escapes it when shown
        ("R&D soon", "“R&D soon”"),
        ("<@U1|a> " + "x" * 50, "“<@U1|a> " + "x" * 31 + "…”"),
    ],
)
def test_not_a_date_quotes_the_plain_text(text: str, quoted: str) -> None:
    with pytest.raises(BadInput) as caught:
        due(text)
    assert caught.value.message == f"{quoted} is not a date I understand."


@pytest.mark.parametrize("text", ["december", "12", "2027", "1790000000", "T-12"])
def test_month_or_year_alone_is_too_vague(text: str) -> None:
    with pytest.raises(BadInput, match="too vague"):
        due(text)


@pytest.mark.parametrize(
    ("text", "tz"),
    [
        ("9999-12-31", LOS_ANGELES),  # 17:00 there is in the year 10000 in UTC
        ("9999-12-31 23:59 -05:00", AUCKLAND),
        ("0001-01-01 00:00 +05:00", LOS_ANGELES),
        ("in 99999999999 days", BERLIN),
    ],
)
def test_calendar_edges_are_bad_input(text: str, tz: str) -> None:
    with pytest.raises(BadInput):
        due(text, tz)


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match=r"^now must be timezone-aware$"):
        parse_due("friday", now=datetime(2026, 11, 26, 10), tz=BERLIN, workday_end=FIVE_PM)


@pytest.mark.parametrize(
    ("moment", "tz", "expected"),
    [
        (utc(2026, 12, 24, 16, 0), BERLIN, "Thu, Dec 24 2026 at 17:00"),
        (utc(2026, 12, 25, 1, 0), LOS_ANGELES, "Thu, Dec 24 2026 at 17:00"),
        (utc(2026, 11, 26, 12, 5), AUCKLAND, "Fri, Nov 27 2026 at 01:05"),
        (utc(2027, 1, 1, 0, 0), "UTC", "Fri, Jan 1 2027 at 00:00"),
    ],
)
def test_format_fallback(moment: datetime, tz: str, expected: str) -> None:
    assert format_fallback(moment, tz) == expected


def test_parsing_is_fast() -> None:
    import time as time_module

    warm_up()
    texts = ["tomorrow 3pm", "friday", "in 3 days", "2026-12-24 17:00", "dec 24", "next monday", "3pm"]
    started = time_module.perf_counter()
    for _ in range(10):
        for text in texts:
            due(text)
    per_parse = (time_module.perf_counter() - started) / (10 * len(texts))
    assert per_parse < 0.02  # ~1 ms measured; generous for slow CI machines


_DATEISH = st.sampled_from(
    [
        "tomorrow",
        "friday",
        "next",
        "in",
        "3",
        "days",
        "hours",
        "pm",
        "3pm",
        ":",
        "-",
        "2026",
        "12",
        "24",
        "dec",
        "eod",
        "eow",
        "ago",
        "UTC",
        "+05:00",
        "%",
        "|",
        "<@U1|a>",
        " ",
        "9999",
        "0",
        "99999999999",
        "0001-01-01",
        "9999-12-31",
        "23:59",
        "-05:00",
        "years",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(st.text(max_size=40), st.lists(_DATEISH, max_size=8).map(" ".join)),
    tz=st.sampled_from([BERLIN, LOS_ANGELES, AUCKLAND, "UTC", "Asia/Kathmandu"]),
)
def test_parse_due_raises_only_bad_input(text: str, tz: str) -> None:
    try:
        result = due(text, tz)
    except HandoffError as error:
        assert isinstance(error, BadInput)
    else:
        assert result.tzinfo is UTC
        assert result > NOW


# --- rules pinned one by one ---------------------------------------------------------


@pytest.mark.parametrize("text", ["Today EOD", "EOD today", "eod TODAY"])
def test_eod_today_either_way_round(text: str) -> None:
    assert due(text) == utc(2026, 11, 26, 16, 0)


@pytest.mark.parametrize("text", ["friday!", "friday.", "friday!!.", "friday..."])
def test_trailing_punctuation_is_dropped(text: str) -> None:
    assert due(text) == utc(2026, 11, 27, 16, 0)


@pytest.mark.parametrize(
    ("text", "said"), [("", "An empty due date"), ("   ", "An empty due date"), ("...", "“...”")]
)
def test_nothing_but_blanks_or_dots_is_not_a_date(text: str, said: str) -> None:
    with pytest.raises(BadInput) as caught:
        due(text)
    assert caught.value.message == f"{said} is not a date I understand."


def test_a_date_that_overflows_is_quoted_as_typed() -> None:
    with pytest.raises(BadInput) as caught:
        due("9999-12-31", LOS_ANGELES)
    assert caught.value.message == "“9999-12-31” is not a date I understand."


def test_too_vague_says_what_to_try() -> None:
    with pytest.raises(BadInput) as caught:
        due("december")
    assert caught.value.hint == "Try: tomorrow 3pm, friday, in 3 days, 2026-12-24 17:00, eod, eow."


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        # Said on 26 December: "the 24th" is in January, of the next year.
        (utc(2026, 12, 26, 10, 0), "the 24th", utc(2027, 1, 24, 16, 0)),
        # Said on 26 November after the workday: today's 17:00 is past, and stays refused.
        (utc(2026, 11, 26, 17, 0), "the 26th", None),
    ],
)
def test_a_day_of_the_month_rolls_forward_only_when_passed(
    now: datetime, text: str, expected: datetime | None
) -> None:
    if expected is None:
        with pytest.raises(BadInput, match="in the past"):
            due(text, now=now)
    else:
        assert due(text, now=now) == expected


def test_the_same_weekday_at_this_very_minute_is_next_week() -> None:
    # Friday 27 Nov at 10:00 in Berlin, exactly: "friday 10am" is no longer ahead today.
    assert due("friday 10am", now=utc(2026, 11, 27, 9, 0)) == utc(2026, 12, 4, 9, 0)
