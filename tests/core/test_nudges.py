"""The nudge policy with a fake clock: who is chased, when, how often, and when to look again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.nudges import Decision, History, Nudge, NudgeKind, NudgeSettings, decide, still_applies
from bot.core.tasks import Status, Task
from bot.core.working_time import WorkingTime

OWNER, ALICE, BOB = "UOWNER", "UALICE", "UBOB"
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday
SECOND, HOUR, DAY = timedelta(seconds=1), timedelta(hours=1), timedelta(days=1)
SETTINGS = NudgeSettings()  # ack 4h, escalate 1d, unclear 2h, question 4h, due soon 1d,
# repeat 1d, report 2d, review 1d
K = NudgeKind
AWAITING, WORKING = Status.AWAITING_ACCEPTANCE, Status.IN_PROGRESS
DELIVERED, DECLINED = Status.DELIVERED, Status.DECLINED
CLOSED = (Status.APPROVED, Status.CANCELLED, Status.TAKEN_BACK)


def task(status: Status = AWAITING, **changes: object) -> Task:
    """T-12 from OWNER to ALICE, offered at T0, clear, due in ten days."""
    base = Task(
        team_id="T1",
        number=12,
        owner_id=OWNER,
        assignee_id=ALICE,
        title="Ship the report",
        done_when="PDF sent to the board",
        due_at=T0 + 10 * DAY,
        status=status,
        created_at=T0,
        accepted_at=T0 if status in (WORKING, DELIVERED) else None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def history(**changes: object) -> History:
    return replace(History(offered_at=T0), **changes)  # type: ignore[arg-type]


def run(
    t: Task,
    h: History,
    now: datetime,
    calendars: Mapping[str, WorkingTime] | None = None,
    settings: NudgeSettings = SETTINGS,
) -> Decision:
    return decide(t, h, now=now, settings=settings, calendars=calendars or {})


def sent(decision: Decision) -> set[tuple[NudgeKind, str]]:
    return {(n.kind, n.recipient_id) for n in decision.nudges}


def only(decision: Decision, kind: NudgeKind, recipient: str) -> Nudge:
    [nudge] = [n for n in decision.nudges if (n.kind, n.recipient_id) == (kind, recipient)]
    return nudge


# --- each rule's threshold: just before, at, after ----------------------------------------

THRESHOLDS = [
    # name, task, history, the moment the nudge falls due, the nudge
    ("ack reminder", task(), history(), T0 + 4 * HOUR, (K.ACK_REMINDER, ALICE)),
    ("ack escalation", task(), history(), T0 + 28 * HOUR, (K.ACK_ESCALATION, OWNER)),
    ("unclear, offered", task(), history(unclear_since=T0), T0 + 2 * HOUR, (K.UNCLEAR, OWNER)),
    ("unclear, working", task(WORKING), history(unclear_since=T0), T0 + 2 * HOUR, (K.UNCLEAR, OWNER)),
    (
        "question",
        task(WORKING, open_question="Which format?"),
        history(question_at=T0 + HOUR),
        T0 + 5 * HOUR,
        (K.QUESTION, OWNER),
    ),
    ("due soon", task(WORKING, due_at=T0 + 3 * DAY), history(), T0 + 2 * DAY, (K.DUE_SOON, ALICE)),
    ("overdue, assignee", task(WORKING, due_at=T0 + 6 * HOUR), history(), T0 + 6 * HOUR, (K.OVERDUE, ALICE)),
    ("overdue, owner", task(WORKING, due_at=T0 + 6 * HOUR), history(), T0 + 6 * HOUR, (K.OVERDUE, OWNER)),
    ("overdue, offered", task(due_at=T0 + 2 * HOUR), history(), T0 + 2 * HOUR, (K.OVERDUE, ALICE)),
    ("overdue, declined", task(DECLINED, due_at=T0 + 2 * HOUR), history(), T0 + 2 * HOUR, (K.OVERDUE, OWNER)),
    ("report", task(WORKING, due_at=None), history(), T0 + 2 * DAY, (K.REPORT_DUE, ALICE)),
    (
        "report after word",
        task(WORKING, due_at=None),
        history(last_word_at=T0 + 5 * HOUR),
        T0 + 2 * DAY + 5 * HOUR,
        (K.REPORT_DUE, ALICE),
    ),
    (
        "report after acceptance",
        task(WORKING, due_at=None, accepted_at=T0 + 3 * HOUR),
        history(),
        T0 + 2 * DAY + 3 * HOUR,
        (K.REPORT_DUE, ALICE),
    ),
    ("review", task(DELIVERED, delivered_at=T0 + HOUR), history(), T0 + 25 * HOUR, (K.REVIEW, OWNER)),
]


@pytest.mark.parametrize(
    ("t", "h", "due", "nudge"), [case[1:] for case in THRESHOLDS], ids=[c[0] for c in THRESHOLDS]
)
def test_each_rule_falls_due_at_its_threshold(
    t: Task, h: History, due: datetime, nudge: tuple[NudgeKind, str]
) -> None:
    assert nudge not in sent(run(t, h, due - SECOND))
    assert run(t, h, due - SECOND).next_check_at == due
    assert nudge in sent(run(t, h, due))
    assert nudge in sent(run(t, h, due + 3 * HOUR))


def test_a_fresh_clear_offer_owes_nobody_anything_yet() -> None:
    decision = run(task(), history(), T0)
    assert decision.nudges == ()
    assert decision.next_check_at == T0 + 4 * HOUR


def test_thresholds_come_from_the_settings() -> None:
    quick = replace(SETTINGS, ack_after=timedelta(seconds=90), escalate_after=timedelta(minutes=3))
    assert sent(run(task(), history(), T0 + timedelta(seconds=90), settings=quick)) == {
        (K.ACK_REMINDER, ALICE)
    }
    assert (K.ACK_ESCALATION, OWNER) in sent(
        run(task(), history(), T0 + timedelta(seconds=270), settings=quick)
    )


# --- which states each rule chases in -----------------------------------------------------


def test_ack_nudges_stop_once_accepted() -> None:
    decision = run(task(WORKING, due_at=None), history(), T0 + 30 * HOUR)
    assert not sent(decision) & {(K.ACK_REMINDER, ALICE), (K.ACK_ESCALATION, OWNER)}


@pytest.mark.parametrize("status", [DELIVERED, DECLINED])
def test_unclear_is_chased_only_before_delivery(status: Status) -> None:
    decision = run(task(status, delivered_at=T0), history(unclear_since=T0), T0 + 3 * HOUR)
    assert (K.UNCLEAR, OWNER) not in sent(decision)


def test_question_needs_the_task_to_still_have_it_open() -> None:
    answered = run(task(WORKING, due_at=None), history(question_at=T0), T0 + 5 * HOUR)
    assert (K.QUESTION, OWNER) not in sent(answered)


def test_a_question_is_chased_even_on_a_delivered_task() -> None:
    t = task(DELIVERED, delivered_at=T0, open_question="Which format?")
    assert (K.QUESTION, OWNER) in sent(run(t, history(question_at=T0), T0 + 4 * HOUR))


def test_delivered_tasks_wait_on_review_not_on_the_assignee() -> None:
    t = task(DELIVERED, delivered_at=T0, due_at=T0 + HOUR)
    assert sent(run(t, history(), T0 + DAY)) == {(K.REVIEW, OWNER)}


def test_declined_tasks_chase_only_the_owner_and_only_once_late() -> None:
    t = task(DECLINED, due_at=T0 + 2 * DAY)
    assert run(t, history(unclear_since=T0), T0 + DAY).nudges == ()
    assert sent(run(t, history(), T0 + 2 * DAY)) == {(K.OVERDUE, OWNER)}


def test_a_declined_task_without_a_due_date_needs_no_check() -> None:
    assert run(task(DECLINED, due_at=None), history(), T0 + 5 * DAY) == Decision((), None)


@pytest.mark.parametrize("status", CLOSED)
def test_closed_tasks_get_nothing_and_no_check(status: Status) -> None:
    t = task(status, due_at=T0, open_question="Which?", delivered_at=T0)
    h = history(unclear_since=T0, question_at=T0)
    assert run(t, h, T0 + 9 * DAY) == Decision((), None)


# --- overdue ------------------------------------------------------------------------------


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


# --- repeats and periods ------------------------------------------------------------------

REPEATING = [
    # kind, recipient, task, history (no nudge yet), first due
    (K.ACK_REMINDER, ALICE, task(), history(), T0 + 4 * HOUR),
    (K.ACK_ESCALATION, OWNER, task(), history(), T0 + 28 * HOUR),
    (K.UNCLEAR, OWNER, task(), history(unclear_since=T0), T0 + 2 * HOUR),
    (K.QUESTION, OWNER, task(WORKING, open_question="?"), history(question_at=T0), T0 + 4 * HOUR),
    (K.REPORT_DUE, ALICE, task(WORKING, due_at=None), history(), T0 + 2 * DAY),
    (K.REVIEW, OWNER, task(DELIVERED, delivered_at=T0), history(), T0 + DAY),
]


@pytest.mark.parametrize(("kind", "who", "t", "h", "first"), REPEATING)
def test_every_nudge_repeats_at_most_every_repeat_every(
    kind: NudgeKind, who: str, t: Task, h: History, first: datetime
) -> None:
    # The first nudge went out three hours late (held, say): the next is a day after it.
    sent_at = first + 3 * HOUR
    h = replace(h, last_nudged={**h.last_nudged, (kind, who): sent_at})
    assert (kind, who) not in sent(run(t, h, sent_at + DAY - SECOND))
    assert run(t, h, sent_at + DAY - SECOND).next_check_at == sent_at + DAY
    again = run(t, h, sent_at + DAY)
    assert only(again, kind, who).period != only(run(t, history(**_pre(h)), first), kind, who).period


def _pre(h: History) -> dict[str, object]:
    """The same history before any nudge."""
    return {"offered_at": h.offered_at, "question_at": h.question_at, "unclear_since": h.unclear_since}


def test_the_same_moment_decided_twice_gives_the_same_periods() -> None:
    t = task(WORKING, due_at=T0, open_question="?")
    h = history(question_at=T0 - DAY, unclear_since=T0 - DAY)
    assert run(t, h, T0 + HOUR) == run(t, h, T0 + HOUR)
    # A sweep a little later, before the first one's nudges were recorded, queues the same keys.
    assert _keys(run(t, h, T0 + HOUR)) == _keys(run(t, h, T0 + 2 * HOUR))
    assert _keys(run(t, h, T0 + HOUR)) == {
        (K.QUESTION, OWNER, "20261129T090000Z+0"),
        (K.UNCLEAR, OWNER, "20261129T090000Z+0"),
        (K.OVERDUE, OWNER, "20261130T090000Z+0"),
    }


def _keys(decision: Decision) -> set[tuple[NudgeKind, str, str]]:
    return {(n.kind, n.recipient_id, n.period) for n in decision.nudges}


def test_a_reoffer_gets_a_new_period_and_forgets_the_old_reminders() -> None:
    t = task()
    old = only(run(t, history(), T0 + 4 * HOUR), K.ACK_REMINDER, ALICE)
    # Reassigned back to Alice a day later: her earlier reminder does not hold this one back.
    h = history(offered_at=T0 + DAY, last_nudged={(K.ACK_REMINDER, ALICE): T0 + 4 * HOUR})
    assert run(t, h, T0 + DAY + 4 * HOUR - SECOND).nudges == ()
    new = only(run(t, h, T0 + DAY + 4 * HOUR), K.ACK_REMINDER, ALICE)
    assert new.period != old.period


def test_a_reoffer_to_someone_else_chases_the_new_assignee() -> None:
    t = task(assignee_id=BOB)
    h = history(offered_at=T0 + DAY, last_nudged={(K.ACK_REMINDER, ALICE): T0 + 4 * HOUR})
    assert sent(run(t, h, T0 + DAY + 4 * HOUR)) == {(K.ACK_REMINDER, BOB)}


def test_a_new_question_gets_a_new_period() -> None:
    t = task(WORKING, open_question="And the totals?")
    first = only(run(t, history(question_at=T0), T0 + 4 * HOUR), K.QUESTION, OWNER)
    h = history(question_at=T0 + 6 * HOUR, last_nudged={(K.QUESTION, OWNER): T0 + 4 * HOUR})
    assert run(t, h, T0 + 10 * HOUR - SECOND).nudges == ()
    second = only(run(t, h, T0 + 10 * HOUR), K.QUESTION, OWNER)
    assert second.period != first.period


# --- the open question pauses the assignee, not the owner ---------------------------------


def test_an_open_question_pauses_every_chase_of_the_assignee() -> None:
    awaiting = task(due_at=T0 + 5 * HOUR, open_question="Which format?")
    h = history(question_at=T0)
    assert sent(run(awaiting, h, T0 + 30 * HOUR)) == {
        (K.ACK_ESCALATION, OWNER),
        (K.QUESTION, OWNER),
        (K.OVERDUE, OWNER),
    }
    working = task(WORKING, due_at=T0 + 3 * DAY, open_question="Which format?")
    assert sent(run(working, h, T0 + 2 * DAY + HOUR)) == {(K.QUESTION, OWNER)}  # no due soon, no report
    assert (K.OVERDUE, OWNER) in sent(run(working, h, T0 + 3 * DAY))
    assert (K.OVERDUE, ALICE) not in sent(run(working, h, T0 + 3 * DAY))


def test_the_answered_question_lets_the_chase_resume() -> None:
    working = task(WORKING, due_at=T0 + 3 * DAY)
    assert sent(run(working, history(question_at=T0), T0 + 2 * DAY + HOUR)) == {(K.DUE_SOON, ALICE)}


# --- due soon and reports -----------------------------------------------------------------


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


def test_report_repeats_while_silent_but_not_after_a_word() -> None:
    t = task(WORKING, due_at=None)
    h = history(last_nudged={(K.REPORT_DUE, ALICE): T0 + 2 * DAY})
    assert (K.REPORT_DUE, ALICE) in sent(run(t, h, T0 + 3 * DAY))
    spoke = replace(h, last_word_at=T0 + 2 * DAY + HOUR)
    assert run(t, spoke, T0 + 3 * DAY).nudges == ()
    assert run(t, spoke, T0 + 3 * DAY).next_check_at == T0 + 4 * DAY + HOUR


# --- working time -------------------------------------------------------------------------

PARIS = WorkingTime("Europe/Paris")
TOKYO = WorkingTime("Asia/Tokyo")
NEW_YORK = WorkingTime("America/New_York")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)  # type: ignore[arg-type,misc]


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


# --- snooze -------------------------------------------------------------------------------


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


# --- next_check_at: a sweep at that moment finds the nudge, just before finds none ----------


def _sweep(
    t: Task, h: History, now: datetime, calendars: Mapping[str, WorkingTime]
) -> tuple[Decision, History]:
    """One sweep: decide, then record what was decided as the sweep would."""
    decision = run(t, h, now, calendars)
    nudged = dict(h.last_nudged)
    nudged.update({(n.kind, n.recipient_id): now for n in decision.nudges})
    return decision, replace(h, last_nudged=nudged)


SITUATIONS = [
    ("offered, unclear", task(due_at=None), history(unclear_since=T0)),
    ("question open", task(WORKING, open_question="?"), history(question_at=T0)),
    ("working, due in 3 days", task(WORKING, due_at=T0 + 3 * DAY), history()),
    ("offered, due tomorrow", task(due_at=T0 + DAY), history()),
    ("delivered", task(DELIVERED, delivered_at=T0), history()),
    ("declined", task(DECLINED, due_at=T0 + 2 * DAY), history()),
    ("snoozed", task(WORKING, due_at=T0 + DAY), history(snoozed_until={ALICE: T0 + 2 * DAY + 5 * HOUR})),
]
CALENDARS: list[Mapping[str, WorkingTime]] = [
    {},
    {ALICE: PARIS, OWNER: NEW_YORK},
    {ALICE: TOKYO, OWNER: replace(PARIS, quiet=(time(12, 0), time(13, 0)), days=frozenset({0, 2, 4}))},
]


def _by_minute(
    t: Task, h: History, calendars: Mapping[str, WorkingTime], until: datetime, step: timedelta
) -> list[tuple[datetime, NudgeKind, str, str]]:
    found, now = [], T0
    while now < until:
        decision, h = _sweep(t, h, now, calendars)
        found += [(now, n.kind, n.recipient_id, n.period) for n in decision.nudges]
        now += step
    return found


@pytest.mark.parametrize("calendars", CALENDARS)
@pytest.mark.parametrize(("name", "t", "h"), SITUATIONS, ids=[s[0] for s in SITUATIONS])
def test_sweeping_only_at_next_check_finds_what_sweeping_every_step_finds(
    name: str, t: Task, h: History, calendars: Mapping[str, WorkingTime]
) -> None:
    until = T0 + 6 * DAY
    # Every threshold and calendar boundary above is on a quarter hour: sweeping every
    # quarter hour is as good as sweeping every second.
    expected = _by_minute(t, h, calendars, until, timedelta(minutes=15))
    found, now, sweeps = [], T0, 0
    while now < until:
        decision, h_after = _sweep(t, h, now, calendars)
        found += [(now, n.kind, n.recipient_id, n.period) for n in decision.nudges]
        sweeps += 1
        h = h_after
        if decision.next_check_at is None:
            break
        assert decision.next_check_at > now
        # Just before the next check nothing is due.
        assert run(t, h, decision.next_check_at - SECOND, calendars).nudges == ()
        now = decision.next_check_at
    assert found == expected
    assert expected  # each situation chases someone within the six days
    assert sweeps <= len(expected) + 1  # no sweep for nothing (+1: the first look)


# --- at send time: does the queued nudge still make sense? --------------------------------

VAGUE = "fix stuff"
STILL_APPLIES = [
    # kind, task, recipient, applies?
    (K.ACK_REMINDER, task(), ALICE, True),
    (K.ACK_REMINDER, task(), OWNER, False),
    (K.ACK_REMINDER, task(assignee_id=BOB), ALICE, False),  # reassigned meanwhile
    (K.ACK_REMINDER, task(WORKING), ALICE, False),  # accepted meanwhile
    (K.ACK_REMINDER, task(open_question="?"), ALICE, False),  # asked meanwhile
    (K.ACK_ESCALATION, task(), OWNER, True),
    (K.ACK_ESCALATION, task(), ALICE, False),
    (K.ACK_ESCALATION, task(WORKING), OWNER, False),
    (K.ACK_ESCALATION, task(DECLINED), OWNER, False),
    (K.UNCLEAR, task(done_when=VAGUE), OWNER, True),
    (K.UNCLEAR, task(WORKING, due_at=None), OWNER, True),
    (K.UNCLEAR, task(WORKING, done_when=None), OWNER, True),
    (K.UNCLEAR, task(), OWNER, False),  # clarified meanwhile
    (K.UNCLEAR, task(done_when=VAGUE), ALICE, False),
    (K.UNCLEAR, task(DELIVERED, done_when=VAGUE), OWNER, False),
    (K.UNCLEAR, task(DECLINED, done_when=VAGUE), OWNER, False),
    (K.QUESTION, task(WORKING, open_question="?"), OWNER, True),
    (K.QUESTION, task(DELIVERED, open_question="?"), OWNER, True),
    (K.QUESTION, task(WORKING), OWNER, False),  # answered meanwhile
    (K.QUESTION, task(WORKING, open_question="?"), ALICE, False),
    (K.DUE_SOON, task(WORKING, due_at=T0 + HOUR), ALICE, True),
    (K.DUE_SOON, task(WORKING, due_at=T0), ALICE, False),  # overdue by now
    (K.DUE_SOON, task(WORKING, due_at=None), ALICE, False),
    (K.DUE_SOON, task(DELIVERED, due_at=T0 + HOUR), ALICE, False),
    (K.DUE_SOON, task(WORKING, due_at=T0 + HOUR), OWNER, False),
    (K.DUE_SOON, task(WORKING, due_at=T0 + HOUR, open_question="?"), ALICE, False),
    (K.REPORT_DUE, task(WORKING), ALICE, True),
    (K.REPORT_DUE, task(WORKING), OWNER, False),
    (K.REPORT_DUE, task(WORKING, assignee_id=BOB), ALICE, False),
    (K.REPORT_DUE, task(DELIVERED), ALICE, False),
    (K.REPORT_DUE, task(), ALICE, False),
    (K.REPORT_DUE, task(WORKING, open_question="?"), ALICE, False),
    (K.OVERDUE, task(WORKING, due_at=T0), ALICE, True),
    (K.OVERDUE, task(WORKING, due_at=T0), OWNER, True),
    (K.OVERDUE, task(due_at=T0), ALICE, True),
    (K.OVERDUE, task(DECLINED, due_at=T0), OWNER, True),
    (K.OVERDUE, task(DECLINED, due_at=T0), ALICE, False),
    (K.OVERDUE, task(DELIVERED, due_at=T0), ALICE, False),
    (K.OVERDUE, task(DELIVERED, due_at=T0), OWNER, False),
    (K.OVERDUE, task(WORKING, due_at=T0 + SECOND), ALICE, False),  # due date moved later
    (K.OVERDUE, task(WORKING, due_at=None), OWNER, False),
    (K.OVERDUE, task(WORKING, due_at=T0, open_question="?"), ALICE, False),
    (K.OVERDUE, task(WORKING, due_at=T0, open_question="?"), OWNER, True),
    (K.OVERDUE, task(WORKING, due_at=T0, assignee_id=BOB), ALICE, False),
    (K.OVERDUE, task(WORKING, due_at=T0), BOB, False),
    (K.REVIEW, task(DELIVERED), OWNER, True),
    (K.REVIEW, task(DELIVERED), ALICE, False),
    (K.REVIEW, task(WORKING), OWNER, False),  # changes requested meanwhile
]


@pytest.mark.parametrize(("kind", "t", "recipient", "applies"), STILL_APPLIES)
def test_a_queued_nudge_is_sent_only_while_its_situation_lasts(
    kind: NudgeKind, t: Task, recipient: str, applies: bool
) -> None:
    assert still_applies(kind, t, recipient, now=T0) is applies


@pytest.mark.parametrize("kind", list(NudgeKind))
@pytest.mark.parametrize("status", CLOSED)
@pytest.mark.parametrize("recipient", [OWNER, ALICE])
def test_nothing_is_sent_for_a_closed_task(kind: NudgeKind, status: Status, recipient: str) -> None:
    t = task(status, due_at=T0 - DAY, done_when=None, open_question="?")
    assert still_applies(kind, t, recipient, now=T0) is False


def test_the_review_threshold_is_its_own_setting() -> None:
    quick = replace(SETTINGS, review_after=3 * HOUR)
    t = task(DELIVERED, delivered_at=T0)
    assert run(t, history(), T0 + 3 * HOUR - SECOND, settings=quick).nudges == ()
    assert sent(run(t, history(), T0 + 3 * HOUR, settings=quick)) == {(K.REVIEW, OWNER)}


def test_a_nudge_decided_before_the_threshold_still_spaces_the_next() -> None:
    # Decided an hour after the offer (the thresholds were shorter then): the next
    # reminder is a day after it, and the escalation still waits for its own threshold.
    h = history(last_nudged={(K.ACK_REMINDER, ALICE): T0 + HOUR, (K.ACK_ESCALATION, OWNER): T0 + HOUR})
    assert (K.ACK_REMINDER, ALICE) not in sent(run(task(), h, T0 + 25 * HOUR - SECOND))
    assert (K.ACK_REMINDER, ALICE) in sent(run(task(), h, T0 + 25 * HOUR))
    assert (K.ACK_ESCALATION, OWNER) not in sent(run(task(), h, T0 + 28 * HOUR - SECOND))
    assert (K.ACK_ESCALATION, OWNER) in sent(run(task(), h, T0 + 28 * HOUR))


def test_after_due_soon_the_next_check_is_the_due_date() -> None:
    long_window = replace(SETTINGS, due_soon=3 * DAY)
    t = task(WORKING, due_at=T0 + 4 * DAY)
    decision = run(t, history(), T0 + DAY, settings=long_window)
    assert sent(decision) == {(K.DUE_SOON, ALICE)}
    assert decision.next_check_at == T0 + 4 * DAY


def test_a_zero_repeat_still_moves_the_next_check_forward() -> None:
    every_time = replace(SETTINGS, repeat_every=timedelta(0))
    decision = run(task(WORKING, due_at=T0), history(), T0 + HOUR, settings=every_time)
    assert sent(decision) == {(K.OVERDUE, ALICE), (K.OVERDUE, OWNER)}
    assert decision.next_check_at == T0 + HOUR + SECOND
