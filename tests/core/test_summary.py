"""The daily summary from hand-made histories (tests/core/summary_cases.py says where each task belongs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.metrics import Rate
from bot.core.summary import DailySummary, TeamNumbers, build_summary, end_of_local_day
from bot.core.tasks import Event, Health, Status, Task
from bot.core.urgency import Urgency
from tests.core.server_clock import server_timezone
from tests.core.summary_cases import BOB, DONE_SINCE, NOW, Tale, hours, seeded
from tests.core.task_cases import offer

History = tuple[Task, Sequence[Event]]


def _summary(histories: Sequence[History] | None = None, *, timezone: str = "UTC") -> DailySummary:
    chosen = seeded() if histories is None else histories
    return build_summary(chosen, now=NOW, timezone=timezone, done_since=DONE_SINCE)


def _numbers(summary: DailySummary, urgency: Urgency) -> list[int]:
    return [line.task.number for line in summary.section(urgency)]


SECTIONS = [
    (Urgency.OVERDUE, [3, 4, 5]),  # oldest due first; 3 and 4 tie, so task order
    (Urgency.AT_RISK, [7, 6]),  # flagged 5 hours ago before 3 hours ago
    (Urgency.DECLINED, [8]),
    (Urgency.AWAITING_ACCEPTANCE, [9, 10]),  # 10's latest offer (the reassignment) is the newer
    (Urgency.UNCLEAR, [11, 12]),
    (Urgency.AWAITING_REVIEW, [13, 20]),
    (Urgency.DUE_TODAY, [15, 14]),  # soonest due first
    (Urgency.DONE, [17, 16]),  # latest approval first; 18 was approved before the last summary
]


@pytest.mark.parametrize(("urgency", "expected"), SECTIONS, ids=[u.value for u, _ in SECTIONS])
def test_each_section_holds_its_tasks_most_pressing_first(urgency: Urgency, expected: list[int]) -> None:
    assert _numbers(_summary(), urgency) == expected


def test_sections_come_most_urgent_first_and_quiet_tasks_stay_out() -> None:
    lines = _summary().lines
    assert [line.task.number for line in lines] == [n for _, numbers in SECTIONS for n in numbers]
    assert 18 not in [line.task.number for line in lines] and 19 not in [line.task.number for line in lines]


SINCE = [
    (3, hours(-48)),  # overdue: the due date
    (5, hours(-1)),
    (7, hours(-5)),  # at risk: the latest flag, not the earlier on-track one
    (6, hours(-3)),
    (8, hours(-4)),  # declined: the decline
    (9, hours(-2)),  # awaiting acceptance: the offer
    (10, hours(-1)),  # ... or the last reassignment
    (11, None),  # unclear: no start worth showing
    (13, hours(-6)),  # awaiting review: the latest delivery, not the first
    (15, None),  # due today
    (17, hours(-2)),  # approved: the approval
]


@pytest.mark.parametrize(("number", "since"), SINCE, ids=[f"T-{n}" for n, _ in SINCE])
def test_each_line_says_since_when_its_state_holds(number: int, since: datetime | None) -> None:
    (line,) = [line for line in _summary().lines if line.task.number == number]
    assert line.since == since


REASONS = [
    (5, "waiting for legal"),  # overdue and blocked: the blocked reason still shows
    (3, None),
    (7, "no access"),
    (6, "supplier is late"),
    (8, "No time this week"),  # the decline's words
    (11, "no definition of done, no due date"),
    (12, "vague definition of done"),
    (9, None),
    (13, None),
    (15, None),
    (17, None),
]


@pytest.mark.parametrize(("number", "reason"), REASONS, ids=[f"T-{n}" for n, _ in REASONS])
def test_each_line_says_why_where_there_is_a_why(number: int, reason: str | None) -> None:
    (line,) = [line for line in _summary().lines if line.task.number == number]
    assert line.reason == reason


def test_a_raised_flag_is_said_only_on_at_risk_and_overdue_lines() -> None:
    # Tasks delivered before a delivery cleared the assignee's flag still carry it when stored.
    delivered = Tale(1, at=-50, due=48).accept(-49).deliver(-2)
    approved = Tale(2, at=-50, due=48).accept(-49).deliver(-3).approve(-1)
    flagged = [
        (replace(tale.task, health=Health.BLOCKED, health_reason="waiting for legal"), tale.events)
        for tale in (delivered, approved)
    ]
    assert [(line.task.number, line.urgency, line.reason) for line in _summary(flagged).lines] == [
        (1, Urgency.AWAITING_REVIEW, None),
        (2, Urgency.DONE, None),
    ]


def test_a_state_with_no_event_behind_it_has_no_start_and_no_reason() -> None:
    # Tasks from before their events were recorded: their line still shows, without a "since".
    offered = offer(at=hours(-5), due_at=hours(48))
    blocked = replace(offered, number=1, status=Status.IN_PROGRESS, health=Health.BLOCKED)
    declined = replace(offered, number=2, status=Status.DECLINED)
    summary = _summary([(blocked, []), (declined, [])])
    assert [(line.task.number, line.urgency, line.since, line.reason) for line in summary.lines] == [
        (1, Urgency.AT_RISK, None, None),
        (2, Urgency.DECLINED, None, None),
    ]


def test_the_summary_knows_the_moment_it_was_read_at() -> None:
    assert _summary().at == NOW


def test_late_or_reworked_lines_are_marked_for_why() -> None:
    late_delivery = Tale(21, at=-50, due=-10).accept(-49).deliver(-5).history
    late_approval = Tale(22, at=-50, due=-10).accept(-49).deliver(-5).approve(-2).history
    on_time_delivery = Tale(23, at=-50, due=48).accept(-49).deliver(-5).history
    summary = _summary([*seeded(), late_delivery, late_approval, on_time_delivery])
    marked = sorted(line.task.number for line in summary.lines if line.went_wrong)
    assert marked == [3, 4, 5, 13, 21, 22]  # overdue, reworked, delivered late, approved late


def test_all_clear_when_only_approvals_are_left() -> None:
    approved = Tale(1, at=-50, due=48).accept(-49).deliver(-3).approve(-2).history
    quiet = Tale(2, at=-50, due=72).accept(-49).history
    summary = _summary([approved, quiet])
    assert summary.all_clear and _numbers(summary, Urgency.DONE) == [1]
    assert not _summary().all_clear
    assert _summary([]).all_clear


def test_one_overdue_task_is_not_all_clear() -> None:
    assert not _summary([Tale(1, at=-50, due=-1).accept(-49).history]).all_clear


# --- the local day ----------------------------------------------------------------------


def _utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


DAY_ENDS = [
    # New York, fall back on Sunday 1 Nov 2026: at 00:30 EDT the day has 25 hours and ends at 05:00 UTC.
    ("America/New_York", _utc(2026, 11, 1, 4, 30), _utc(2026, 11, 2, 5, 0)),
    # Spring forward on Sunday 8 Mar 2026: at 00:30 EST the day has 23 hours and ends at 04:00 UTC.
    ("America/New_York", _utc(2026, 3, 8, 5, 30), _utc(2026, 3, 9, 4, 0)),
    # UTC+14: 10:00 UTC on the 26th is already midnight of the 27th there; that day ends at 10:00 UTC.
    ("Pacific/Kiritimati", _utc(2026, 11, 26, 10, 0), _utc(2026, 11, 27, 10, 0)),
    # Santiago skips midnight on Sunday 6 Sep 2026 (00:00 → 01:00): Saturday ends as the clocks jump.
    ("America/Santiago", _utc(2026, 9, 5, 16, 0), _utc(2026, 9, 6, 4, 0)),
]


@pytest.mark.parametrize(
    ("zone", "now", "ends"), DAY_ENDS, ids=["fall-back", "spring-forward", "utc+14", "gap"]
)
def test_the_local_day_ends_at_the_next_local_midnight(zone: str, now: datetime, ends: datetime) -> None:
    assert end_of_local_day(now.astimezone(ZoneInfo(zone))) == ends


def test_the_day_ends_at_midnight_sharp_from_any_moment_of_it() -> None:
    now = datetime(2026, 11, 26, 21, 59, 59, 999_999, tzinfo=UTC)
    assert end_of_local_day(now.astimezone(ZoneInfo("Europe/Berlin"))) == _utc(2026, 11, 26, 23, 0)


def test_the_end_of_the_day_is_given_in_utc_whatever_zone_the_server_runs_in() -> None:
    with server_timezone("Asia/Tokyo"):
        ends = end_of_local_day(_utc(2026, 11, 26, 10, 0).astimezone(ZoneInfo("America/New_York")))
    assert ends == _utc(2026, 11, 27, 5, 0) and ends.utcoffset() == timedelta(0)


def test_due_today_follows_the_channels_timezone_across_a_dst_change() -> None:
    # At 00:30 EDT on the 25-hour day, 04:30 UTC tomorrow is still 23:30 EST today.
    now = _utc(2026, 11, 1, 4, 30)
    due_tonight = replace(offer(at=now, due_at=_utc(2026, 11, 2, 4, 30)), status=Status.IN_PROGRESS)
    summary = build_summary([(due_tonight, [])], now=now, timezone="America/New_York", done_since=now)
    assert summary.day == date(2026, 11, 1)
    assert _numbers(summary, Urgency.DUE_TODAY) == [12]


def test_the_day_is_the_channels_local_date() -> None:
    # NOW is Thursday 26 Nov 10:00 UTC, already Friday 27 Nov 00:00 in Kiritimati.
    assert _summary(timezone="Pacific/Kiritimati").day == date(2026, 11, 27)
    assert _summary(timezone="America/Los_Angeles").day == date(2026, 11, 26)


def test_a_task_due_before_kiritimatis_day_ends_is_due_today_there_not_in_utc() -> None:
    # Kiritimati's Friday ends at 10:00 UTC on Friday; UTC's Thursday ends at midnight UTC.
    due_friday_morning_utc = Tale(1, at=-50, due=23).accept(-49).history
    assert _numbers(_summary([due_friday_morning_utc], timezone="Pacific/Kiritimati"), Urgency.DUE_TODAY) == [
        1
    ]
    assert _numbers(_summary([due_friday_morning_utc], timezone="UTC"), Urgency.DUE_TODAY) == []


# --- the team's numbers -----------------------------------------------------------------


def test_team_numbers_from_the_offers_in_the_window() -> None:
    histories = [
        # Alice: offered 10 days ago, accepted in 2 h, delivered a day before due: on time.
        Tale(1, at=-240, due=-120).accept(-238).deliver(-144).approve(-140).history,
        # Bob: accepted in 4 h, delivered a day after due: late.
        Tale(2, at=-240, due=-192).accept(-236).deliver(-168).approve(-160).history,
        # 40 days ago: outside the 30-day window, so neither its 1 h nor its lateness counts.
        Tale(3, at=-960, due=-950).accept(-959).deliver(-900).approve(-890).history,
        # Accepted in 6 h, still in progress: open.
        Tale(4, at=-72, due=48).accept(-66).history,
        # Offered to Alice, moved to Bob, who accepted 8 h after the move: open.
        Tale(5, at=-120, due=48).reassign(BOB, -96).accept(-88).history,
        # Waiting for an answer: open, and no time to accept yet.
        Tale(6, at=-24, due=48).history,
    ]
    assert _summary(histories).numbers == TeamNumbers(
        open=3,
        on_time=Rate(1, 2),
        median_time_to_accept=timedelta(hours=5),  # 2, 4, 6, 8 hours
    )


def test_no_measure_is_none_not_zero() -> None:
    assert _summary([Tale(1, at=-2, due=None).history]).numbers == TeamNumbers(1, None, None)
