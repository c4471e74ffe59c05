"""Which section of the summary and the Home tab a task belongs in, most urgent first."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.core.tasks import Health, Status, Task
from bot.core.urgency import Urgency, urgency_of, went_wrong
from tests.core.task_cases import NOW, offered

TODAY_ENDS = NOW + timedelta(hours=10)
DONE_SINCE = NOW - timedelta(days=1)
DUE_LATER = NOW + timedelta(days=2)


def _task(status: Status, **changes: object) -> Task:
    return replace(offered(), status=status, **changes)  # type: ignore[arg-type]


def _urgency(task: Task) -> Urgency | None:
    return urgency_of(task, now=NOW, today_ends=TODAY_ENDS, done_since=DONE_SINCE)


PAST = NOW - timedelta(minutes=1)

CASES = [
    ("overdue in progress", _task(Status.IN_PROGRESS, due_at=PAST), Urgency.OVERDUE),
    ("overdue before acceptance", _task(Status.AWAITING_ACCEPTANCE, due_at=PAST), Urgency.OVERDUE),
    ("overdue beats blocked", _task(Status.IN_PROGRESS, due_at=PAST, health=Health.BLOCKED), Urgency.OVERDUE),
    ("due exactly now is not late", _task(Status.IN_PROGRESS, due_at=NOW), Urgency.DUE_TODAY),
    ("blocked", _task(Status.IN_PROGRESS, health=Health.BLOCKED), Urgency.AT_RISK),
    ("at risk", _task(Status.IN_PROGRESS, health=Health.AT_RISK), Urgency.AT_RISK),
    ("on track is news of nothing", _task(Status.IN_PROGRESS, health=Health.ON_TRACK), None),
    ("declined, past due: the owner's turn", _task(Status.DECLINED, due_at=PAST), Urgency.DECLINED),
    ("awaiting acceptance", _task(Status.AWAITING_ACCEPTANCE), Urgency.AWAITING_ACCEPTANCE),
    ("unclear", _task(Status.IN_PROGRESS, done_when=None), Urgency.UNCLEAR),
    ("vague", _task(Status.IN_PROGRESS, done_when="asap"), Urgency.UNCLEAR),
    ("no due date", _task(Status.IN_PROGRESS, due_at=None), Urgency.UNCLEAR),
    ("delivered, past due: the owner's turn", _task(Status.DELIVERED, due_at=PAST), Urgency.AWAITING_REVIEW),
    (
        "due before the day ends",
        _task(Status.IN_PROGRESS, due_at=TODAY_ENDS - timedelta(seconds=1)),
        Urgency.DUE_TODAY,
    ),
    ("due as the day ends is tomorrow", _task(Status.IN_PROGRESS, due_at=TODAY_ENDS), None),
    ("clear and due later", _task(Status.IN_PROGRESS, due_at=DUE_LATER), None),
    ("approved since the last summary", _task(Status.APPROVED, closed_at=DONE_SINCE), Urgency.DONE),
    ("approved before it", _task(Status.APPROVED, closed_at=DONE_SINCE - timedelta(seconds=1)), None),
    ("cancelled lately", _task(Status.CANCELLED, closed_at=NOW), None),
    ("taken back lately", _task(Status.TAKEN_BACK, closed_at=NOW), None),
]


@pytest.mark.parametrize(("name", "task", "expected"), CASES, ids=[case[0] for case in CASES])
def test_each_task_is_in_its_most_urgent_section(name: str, task: Task, expected: Urgency | None) -> None:
    assert _urgency(task) is expected


def test_sections_run_most_urgent_first_and_each_has_a_label() -> None:
    assert list(Urgency)[:3] == [Urgency.OVERDUE, Urgency.AT_RISK, Urgency.DECLINED]
    assert len({urgency.label for urgency in Urgency}) == len(Urgency)


WENT_WRONG = [
    ("open, not yet due", _task(Status.IN_PROGRESS), False),
    ("reworked", _task(Status.IN_PROGRESS, rework_count=1), True),
    ("open, due exactly now: not late yet", _task(Status.IN_PROGRESS, due_at=NOW), False),
    ("open, due a moment ago", _task(Status.IN_PROGRESS, due_at=NOW - timedelta(microseconds=1)), True),
    ("delivered late, awaiting review", _task(Status.DELIVERED, due_at=PAST, delivered_at=NOW), True),
    ("approved exactly at its due time", _task(Status.APPROVED, due_at=PAST, closed_at=PAST), False),
    ("approved after its due time", _task(Status.APPROVED, due_at=PAST, closed_at=NOW), True),
    ("approved early, read long after", _task(Status.APPROVED, due_at=NOW, closed_at=PAST), False),
    ("no due date", _task(Status.IN_PROGRESS, due_at=None), False),
    (
        "delivered on time, review waits past due",
        _task(Status.DELIVERED, due_at=PAST, delivered_at=PAST),
        False,
    ),
    (
        "delivered on time, approved after the due time",
        _task(Status.APPROVED, due_at=PAST, delivered_at=PAST, closed_at=NOW),
        False,
    ),
    (
        "delivered late, then approved",
        _task(Status.APPROVED, due_at=PAST, delivered_at=NOW, closed_at=NOW),
        True,
    ),
]


@pytest.mark.parametrize(("task", "expected"), [c[1:] for c in WENT_WRONG], ids=[c[0] for c in WENT_WRONG])
def test_late_or_reworked_went_wrong(task: Task, expected: bool) -> None:
    assert went_wrong(task, NOW) is expected
