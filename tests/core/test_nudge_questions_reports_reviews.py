"""The words someone owes: an answer, a clearer task, a progress report, a review."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.tasks import Status
from tests.core.nudge_cases import (
    DAY,
    DECLINED,
    DELIVERED,
    HOUR,
    SECOND,
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


def test_a_new_question_gets_a_new_period() -> None:
    t = task(WORKING, open_question="And the totals?")
    first = only(run(t, history(question_at=T0), T0 + 4 * HOUR), K.QUESTION, OWNER)
    h = history(question_at=T0 + 6 * HOUR, last_nudged={(K.QUESTION, OWNER): T0 + 4 * HOUR})
    assert run(t, h, T0 + 10 * HOUR - SECOND).nudges == ()
    second = only(run(t, h, T0 + 10 * HOUR), K.QUESTION, OWNER)
    assert second.period != first.period


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


def test_report_repeats_while_silent_but_not_after_a_word() -> None:
    t = task(WORKING, due_at=None)
    h = history(last_nudged={(K.REPORT_DUE, ALICE): T0 + 2 * DAY})
    assert (K.REPORT_DUE, ALICE) in sent(run(t, h, T0 + 3 * DAY))
    spoke = replace(h, last_word_at=T0 + 2 * DAY + HOUR)
    assert run(t, spoke, T0 + 3 * DAY).nudges == ()
    assert run(t, spoke, T0 + 3 * DAY).next_check_at == T0 + 4 * DAY + HOUR
