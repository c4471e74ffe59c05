"""At send time: a queued nudge goes out only while the situation it was decided for lasts."""

from __future__ import annotations

import pytest

from bot.core.nudges import NudgeKind, still_applies
from bot.core.tasks import Status, Task
from tests.core.nudge_cases import CLOSED, DAY, DECLINED, DELIVERED, HOUR, SECOND, T0, WORKING, K, task
from tests.core.task_cases import ALICE, BOB, OWNER

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
