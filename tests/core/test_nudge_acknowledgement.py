"""Acknowledgement: the assignee is reminded to accept, the owner told when they don't."""

from __future__ import annotations

from tests.core.nudge_cases import DAY, HOUR, SECOND, T0, WORKING, K, history, only, run, sent, task
from tests.core.task_cases import ALICE, BOB, OWNER


def test_a_fresh_clear_offer_owes_nobody_anything_yet() -> None:
    decision = run(task(), history(), T0)
    assert decision.nudges == ()
    assert decision.next_check_at == T0 + 4 * HOUR


def test_ack_nudges_stop_once_accepted() -> None:
    decision = run(task(WORKING, due_at=None), history(), T0 + 30 * HOUR)
    assert not sent(decision) & {(K.ACK_REMINDER, ALICE), (K.ACK_ESCALATION, OWNER)}


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


def test_a_nudge_decided_before_the_threshold_still_spaces_the_next() -> None:
    # Decided an hour after the offer (the thresholds were shorter then): the next
    # reminder is a day after it, and the escalation still waits for its own threshold.
    h = history(last_nudged={(K.ACK_REMINDER, ALICE): T0 + HOUR, (K.ACK_ESCALATION, OWNER): T0 + HOUR})
    assert (K.ACK_REMINDER, ALICE) not in sent(run(task(), h, T0 + 25 * HOUR - SECOND))
    assert (K.ACK_REMINDER, ALICE) in sent(run(task(), h, T0 + 25 * HOUR))
    assert (K.ACK_ESCALATION, OWNER) not in sent(run(task(), h, T0 + 28 * HOUR - SECOND))
    assert (K.ACK_ESCALATION, OWNER) in sent(run(task(), h, T0 + 28 * HOUR))


def test_only_overdue_nudges_say_how_late() -> None:
    reminder = only(run(task(), history(), T0 + 4 * HOUR), K.ACK_REMINDER, ALICE)
    assert reminder.late_by is None
    escalation = only(run(task(), history(), T0 + 28 * HOUR), K.ACK_ESCALATION, OWNER)
    assert escalation.late_by is None
