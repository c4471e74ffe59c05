"""Working time and snoozes: a nudge waits for its recipient's morning, or the end of their snooze."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from tests.core.nudge_cases import (
    DAY,
    HOUR,
    NEW_YORK,
    PARIS,
    SECOND,
    T0,
    TOKYO,
    WORKING,
    K,
    history,
    only,
    paris,
    run,
    sent,
    task,
)
from tests.core.task_cases import ALICE, OWNER


def test_a_nudge_due_in_quiet_hours_waits_for_the_morning_and_keeps_its_period() -> None:
    offered = paris(2026, 11, 30, 16, 0)  # Monday 16:00 Paris; reminder due 20:00
    t, h = task(), history(offered_at=offered)
    evening = run(t, h, paris(2026, 11, 30, 20, 0), {ALICE: PARIS})
    assert evening.nudges == ()
    assert evening.next_check_at == paris(2026, 12, 1, 8, 0)
    assert run(t, h, paris(2026, 12, 1, 7, 59), {ALICE: PARIS}).nudges == ()
    morning = only(run(t, h, paris(2026, 12, 1, 8, 0), {ALICE: PARIS}), K.ACK_REMINDER, ALICE)
    unheld = only(run(t, h, paris(2026, 11, 30, 20, 0)), K.ACK_REMINDER, ALICE)
    assert morning.period == unheld.period


def test_a_nudge_due_at_the_weekend_waits_for_monday() -> None:
    t = task(WORKING, due_at=paris(2026, 12, 5, 10, 0))  # Saturday
    weekend = run(
        t,
        history(last_word_at=paris(2026, 12, 4, 12, 0)),
        paris(2026, 12, 5, 11, 0),
        {ALICE: PARIS, OWNER: PARIS},
    )
    assert weekend.nudges == ()
    assert weekend.next_check_at == paris(2026, 12, 7, 8, 0)
    monday = run(
        t,
        history(last_word_at=paris(2026, 12, 4, 12, 0)),
        paris(2026, 12, 7, 8, 0),
        {ALICE: PARIS, OWNER: PARIS},
    )
    assert sent(monday) == {(K.OVERDUE, ALICE), (K.OVERDUE, OWNER)}
    everyday = {ALICE: replace(PARIS, days=frozenset(range(7)))}
    assert (K.OVERDUE, ALICE) in sent(run(t, history(), paris(2026, 12, 5, 11, 0), everyday))


def test_two_recipients_in_different_timezones_each_get_it_in_their_own_morning() -> None:
    due = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 10:00 Tokyo, 20:00 New York
    t, h = task(WORKING, due_at=due), history(last_word_at=due - HOUR)
    calendars = {ALICE: TOKYO, OWNER: NEW_YORK}
    first = run(t, h, due, calendars)
    assert sent(first) == {(K.OVERDUE, ALICE)}
    assert first.next_check_at == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)  # 08:00 New York
    h = replace(h, last_nudged={(K.OVERDUE, ALICE): due})
    assert run(t, h, first.next_check_at - SECOND, calendars).nudges == ()
    second = run(t, h, first.next_check_at, calendars)
    assert sent(second) == {(K.OVERDUE, OWNER)}
    assert only(second, K.OVERDUE, OWNER).period == only(first, K.OVERDUE, ALICE).period
    assert second.next_check_at == due + DAY  # Alice's repeat, 10:00 Tokyo


def test_a_recipient_without_a_calendar_is_always_working() -> None:
    t = task()
    sunday_night = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
    assert (K.ACK_REMINDER, ALICE) in sent(
        run(t, history(offered_at=sunday_night - 4 * HOUR), sunday_night, {OWNER: PARIS})
    )


def test_a_snooze_holds_that_recipient_only_until_it_ends() -> None:
    t = task(WORKING, due_at=T0)
    h = history(snoozed_until={ALICE: T0 + 4 * HOUR})
    now = T0 + HOUR
    decision = run(t, h, now)
    assert sent(decision) == {(K.OVERDUE, OWNER)}
    assert decision.next_check_at == T0 + 4 * HOUR
    assert (K.OVERDUE, ALICE) not in sent(run(t, h, T0 + 4 * HOUR - SECOND))
    assert (K.OVERDUE, ALICE) in sent(run(t, h, T0 + 4 * HOUR))


def test_a_snooze_in_the_past_holds_nothing() -> None:
    h = history(snoozed_until={ALICE: T0})
    assert (K.ACK_REMINDER, ALICE) in sent(run(task(), h, T0 + 4 * HOUR))


def test_a_snooze_ending_in_quiet_hours_waits_for_the_morning() -> None:
    t = task(WORKING, due_at=T0)
    h = history(snoozed_until={ALICE: paris(2026, 11, 30, 21, 0)}, last_word_at=T0)
    decision = run(t, h, paris(2026, 11, 30, 21, 0), {ALICE: PARIS})
    assert (K.OVERDUE, ALICE) not in sent(decision)
    assert decision.next_check_at == paris(2026, 12, 1, 8, 0)
