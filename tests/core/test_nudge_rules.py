"""Every rule at once: its threshold, its repeats (at most every `repeat_every`), its periods."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.core.nudges import Decision, History, NudgeKind
from bot.core.tasks import Status, Task
from tests.core.nudge_cases import (
    CLOSED,
    DAY,
    DECLINED,
    DELIVERED,
    HOUR,
    SECOND,
    SETTINGS,
    T0,
    WORKING,
    K,
    history,
    only,
    run,
    sent,
    task,
)
from tests.core.task_cases import ALICE, OWNER

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


def test_thresholds_come_from_the_settings() -> None:
    quick = replace(SETTINGS, ack_after=timedelta(seconds=90), escalate_after=timedelta(minutes=3))
    assert sent(run(task(), history(), T0 + timedelta(seconds=90), settings=quick)) == {
        (K.ACK_REMINDER, ALICE)
    }
    assert (K.ACK_ESCALATION, OWNER) in sent(
        run(task(), history(), T0 + timedelta(seconds=270), settings=quick)
    )


def test_the_review_threshold_is_its_own_setting() -> None:
    quick = replace(SETTINGS, review_after=3 * HOUR)
    t = task(DELIVERED, delivered_at=T0)
    assert run(t, history(), T0 + 3 * HOUR - SECOND, settings=quick).nudges == ()
    assert sent(run(t, history(), T0 + 3 * HOUR, settings=quick)) == {(K.REVIEW, OWNER)}


@pytest.mark.parametrize("status", CLOSED)
def test_closed_tasks_get_nothing_and_no_check(status: Status) -> None:
    t = task(status, due_at=T0, open_question="Which?", delivered_at=T0)
    h = history(unclear_since=T0, question_at=T0)
    assert run(t, h, T0 + 9 * DAY) == Decision((), None)


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


def test_a_zero_repeat_still_moves_the_next_check_forward() -> None:
    every_time = replace(SETTINGS, repeat_every=timedelta(0))
    decision = run(task(WORKING, due_at=T0), history(), T0 + HOUR, settings=every_time)
    assert sent(decision) == {(K.OVERDUE, ALICE), (K.OVERDUE, OWNER)}
    assert decision.next_check_at == T0 + HOUR + SECOND
