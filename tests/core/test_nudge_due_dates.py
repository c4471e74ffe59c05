"""Due dates: due soon before, overdue after, and a declined task that runs late."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.nudges import Decision
from tests.core.nudge_cases import (
    DAY,
    DECLINED,
    HOUR,
    PARIS,
    SECOND,
    SETTINGS,
    T0,
    WORKING,
    K,
    history,
    only,
    paris,
    run,
    sent,
    task,
)
from tests.core.task_cases import ALICE, BOB, OWNER


def test_declined_tasks_chase_only_the_owner_and_only_once_late() -> None:
    t = task(DECLINED, due_at=T0 + 2 * DAY)
    assert run(t, history(unclear_since=T0), T0 + DAY).nudges == ()
    assert sent(run(t, history(), T0 + 2 * DAY)) == {(K.OVERDUE, OWNER)}


def test_a_declined_task_without_a_due_date_needs_no_check() -> None:
    assert run(task(DECLINED, due_at=None), history(), T0 + 5 * DAY) == Decision((), None)


def test_overdue_says_how_late_and_goes_to_both() -> None:
    t = task(WORKING, due_at=T0)
    decision = run(t, history(last_word_at=T0), T0 + 5 * HOUR)
    assert only(decision, K.OVERDUE, ALICE).late_by == 5 * HOUR
    assert only(decision, K.OVERDUE, OWNER).late_by == 5 * HOUR
    assert only(decision, K.OVERDUE, OWNER).period == only(decision, K.OVERDUE, ALICE).period


def test_overdue_repeats_every_repeat_every_after_the_last_one() -> None:
    t = task(WORKING, due_at=T0)
    first = run(t, history(), T0)
    h = history(last_nudged={(K.OVERDUE, ALICE): T0, (K.OVERDUE, OWNER): T0})
    assert first.next_check_at == T0 + DAY
    assert run(t, h, T0 + DAY - SECOND).nudges == ()
    again = run(t, h, T0 + DAY)
    assert sent(again) == {(K.OVERDUE, ALICE), (K.OVERDUE, OWNER)}
    assert only(again, K.OVERDUE, ALICE).period != only(first, K.OVERDUE, ALICE).period
    assert only(again, K.OVERDUE, ALICE).late_by == DAY


def test_other_nudges_are_not_counted_against_overdue() -> None:
    t = task(WORKING, due_at=T0)
    h = history(last_nudged={(K.REPORT_DUE, ALICE): T0, (K.OVERDUE, BOB): T0})
    assert (K.OVERDUE, ALICE) in sent(run(t, h, T0 + HOUR))


def test_due_soon_only_without_word_in_the_window() -> None:
    t = task(WORKING, due_at=T0 + 3 * DAY)
    before_window = history(last_word_at=T0 + 2 * DAY - SECOND)
    assert (K.DUE_SOON, ALICE) in sent(run(t, before_window, T0 + 2 * DAY + HOUR))
    in_window = history(last_word_at=T0 + 2 * DAY)
    assert run(t, in_window, T0 + 2 * DAY + HOUR).nudges == ()


def test_accepting_within_the_window_is_word_enough() -> None:
    t = task(WORKING, due_at=T0 + 3 * DAY, accepted_at=T0 + 2 * DAY + HOUR)
    assert run(t, history(), T0 + 2 * DAY + 2 * HOUR).nudges == ()


def test_due_soon_goes_once_per_due_date() -> None:
    t = task(WORKING, due_at=T0 + 3 * DAY)
    h = history(last_nudged={(K.DUE_SOON, ALICE): T0 + 2 * DAY})
    decision = run(t, h, T0 + 2 * DAY + 23 * HOUR)
    assert decision.nudges == ()
    assert decision.next_check_at == T0 + 3 * DAY  # overdue next, not another due soon
    moved = replace(t, due_at=T0 + 6 * DAY)  # a new due date: a new due-soon nudge
    assert (K.DUE_SOON, ALICE) in sent(run(moved, h, T0 + 5 * DAY))
    assert (
        only(run(moved, h, T0 + 5 * DAY), K.DUE_SOON, ALICE).period
        != only(run(t, history(), T0 + 2 * DAY), K.DUE_SOON, ALICE).period
    )


def test_due_soon_goes_once_in_a_window_longer_than_the_repeat() -> None:
    """A two-day window and a daily repeat: the second day of the window brings no second ask."""
    two_day_window = replace(SETTINGS, due_soon=2 * DAY, repeat_every=DAY)
    due = T0 + 4 * DAY
    t = task(WORKING, due_at=due)
    h = history()
    asked: list[datetime] = []
    now = T0 + 2 * DAY  # the window opens
    while now < due:  # hourly sweeps, each recording what it decided as the sweep does
        decision = run(t, h, now, settings=two_day_window)
        due_soon = [n for n in decision.nudges if n.kind is K.DUE_SOON]
        asked += [now for _ in due_soon]
        if due_soon:
            h = replace(h, last_nudged={**h.last_nudged, (K.DUE_SOON, ALICE): now})
        now += HOUR
    assert asked == [T0 + 2 * DAY]
    assert run(t, h, T0 + 3 * DAY, settings=two_day_window).next_check_at == due  # overdue next


def test_due_soon_never_goes_once_the_task_is_overdue() -> None:
    t = task(WORKING, due_at=T0 + 3 * DAY)
    assert (K.DUE_SOON, ALICE) not in sent(run(t, history(), T0 + 3 * DAY))


def test_due_soon_waits_for_the_morning_but_not_past_the_due_date() -> None:
    calendars = {ALICE: PARIS, OWNER: PARIS}
    # Due Wednesday 07:30 Paris: the window opens Tuesday 07:30, quiet until 08:00.
    t = task(WORKING, due_at=paris(2026, 12, 2, 7, 30))
    assert run(t, history(), paris(2026, 12, 1, 7, 45), calendars).next_check_at == paris(2026, 12, 1, 8, 0)
    assert sent(run(t, history(), paris(2026, 12, 1, 8, 0), calendars)) == {(K.DUE_SOON, ALICE)}
    # A sweep that comes only in the evening holds it for the morning ...
    evening = run(t, history(), paris(2026, 12, 1, 20, 0), calendars)
    assert evening.nudges == ()
    # ... which is after the due date: overdue covers it then, due soon is dropped.
    assert evening.next_check_at == paris(2026, 12, 2, 8, 0)
    assert sent(run(t, history(), paris(2026, 12, 2, 8, 0), calendars)) == {
        (K.OVERDUE, ALICE),
        (K.OVERDUE, OWNER),
    }


def test_due_soon_whose_whole_window_is_quiet_is_never_sent() -> None:
    calendars = {ALICE: PARIS, OWNER: PARIS}
    t = task(WORKING, due_at=paris(2026, 12, 1, 7, 0))  # Tuesday 07:00 Paris
    short = replace(SETTINGS, due_soon=6 * HOUR)  # the window opens 01:00, quiet until after due
    decision = run(t, history(), paris(2026, 12, 1, 1, 0), calendars, short)
    assert decision.nudges == ()
    assert decision.next_check_at == paris(2026, 12, 1, 8, 0)  # the overdue nudges, not due soon
    assert (K.DUE_SOON, ALICE) not in sent(run(t, history(), paris(2026, 12, 1, 8, 0), calendars, short))


def test_no_report_asked_when_due_soon_or_overdue_covers_it() -> None:
    # Report due at T0+2d, exactly when the due-soon window opens: only due soon goes.
    t = task(WORKING, due_at=T0 + 3 * DAY)
    assert sent(run(t, history(), T0 + 2 * DAY)) == {(K.DUE_SOON, ALICE)}
    # Word inside the window: no due soon, and the next report would fall after the due date.
    h = history(last_word_at=T0 + 2 * DAY + HOUR)
    assert run(t, h, T0 + 2 * DAY + 2 * HOUR).next_check_at == T0 + 3 * DAY
    assert (K.REPORT_DUE, ALICE) not in sent(run(t, h, T0 + 4 * DAY + HOUR))


def test_a_report_is_asked_inside_the_window_when_word_came_in_it() -> None:
    long_window = replace(SETTINGS, due_soon=5 * DAY)
    t = task(WORKING, due_at=T0 + 6 * DAY)
    assert sent(run(t, history(), T0 + DAY, settings=long_window)) == {(K.DUE_SOON, ALICE)}
    h = history(last_word_at=T0 + DAY + HOUR)
    assert run(t, h, T0 + 3 * DAY + HOUR - SECOND, settings=long_window).nudges == ()
    assert sent(run(t, h, T0 + 3 * DAY + HOUR, settings=long_window)) == {(K.REPORT_DUE, ALICE)}


def test_after_due_soon_the_next_check_is_the_due_date() -> None:
    long_window = replace(SETTINGS, due_soon=3 * DAY)
    t = task(WORKING, due_at=T0 + 4 * DAY)
    decision = run(t, history(), T0 + DAY, settings=long_window)
    assert sent(decision) == {(K.DUE_SOON, ALICE)}
    assert decision.next_check_at == T0 + 4 * DAY
