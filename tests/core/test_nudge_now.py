"""Which reminder an owner's "Nudge now" sends: the one that fits the task's state, or none."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.nudges import NudgeKind, chase_now, still_applies
from bot.core.tasks import Status, Task

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def _task(status: Status, *, due: datetime | None = None, question: str | None = None) -> Task:
    return Task(
        id=1, team_id="T1", number=7, owner_id="UOWNER", assignee_id="UALICE", title="Ship it",
        done_when="PDF sent", due_at=due, status=status, open_question=question,
        created_at=NOW - timedelta(days=2),
    )  # fmt: skip


CASES = [
    (_task(Status.AWAITING_ACCEPTANCE), NudgeKind.ACK_REMINDER),
    (_task(Status.IN_PROGRESS, due=NOW - timedelta(hours=1)), NudgeKind.OVERDUE),
    (_task(Status.IN_PROGRESS, due=NOW), NudgeKind.OVERDUE),  # due this very moment: no longer "soon"
    (_task(Status.IN_PROGRESS, due=NOW + timedelta(days=1)), NudgeKind.DUE_SOON),
    # The boundary: due this very moment is overdue (as the sweep's overdue nudge has it), a
    # moment later is still to come.
    (_task(Status.IN_PROGRESS, due=NOW), NudgeKind.OVERDUE),
    (_task(Status.IN_PROGRESS, due=NOW + timedelta(microseconds=1)), NudgeKind.DUE_SOON),
    (_task(Status.IN_PROGRESS), NudgeKind.REPORT_DUE),
    (_task(Status.IN_PROGRESS, question="Which format?"), None),
    (_task(Status.DELIVERED), None),
    (_task(Status.DECLINED), None),
    (_task(Status.APPROVED), None),
    (_task(Status.CANCELLED), None),
]


@pytest.mark.parametrize(("task", "expected"), CASES)
def test_the_reminder_fits_the_state(task: Task, expected: NudgeKind | None) -> None:
    assert chase_now(task, now=NOW) is expected


@pytest.mark.parametrize(("task", "expected"), [case for case in CASES if case[1] is not None])
def test_the_chosen_reminder_is_still_sent_when_rendered(task: Task, expected: NudgeKind) -> None:
    # The outbox renders a nudge only while it applies: the chosen one must.
    assert still_applies(expected, task, task.assignee_id, now=NOW)


def test_closed_tasks_have_nothing_to_chase_whatever_the_due_date() -> None:
    done = replace(_task(Status.TAKEN_BACK), due_at=NOW - timedelta(days=3))
    assert chase_now(done, now=NOW) is None
