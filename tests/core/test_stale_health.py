"""A blocked or at-risk word is the assignee's while they hold the task: once they deliver it,
or it goes to someone else, the summary no longer shows it (nor its reason)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.core import tasks as core
from bot.core.summary import build_summary
from bot.core.tasks import Event, Health, Task, Transition
from bot.core.urgency import Urgency
from tests.core.task_cases import ALICE, BOB, NOW, OWNER, offered

Step = Callable[[Task], Transition]
DUE = NOW + timedelta(days=2)
AFTER_DUE = DUE + timedelta(days=1)


def _walk(*steps: Step) -> tuple[Task, list[Event]]:
    task, history = offered(), []
    for step in steps:
        transition = step(task)
        task = transition.after
        if transition.event is not None:
            history.append(transition.event)
    return task, history


def _blocked_then(*steps: Step) -> tuple[Task, list[Event]]:
    return _walk(
        lambda t: core.accept(t, actor=ALICE, now=NOW),
        lambda t: core.flag(t, actor=ALICE, health=Health.BLOCKED, reason="waiting on legal", now=NOW),
        *steps,
    )


def _lines(task: Task, history: list[Event]) -> dict[Urgency, str | None]:
    summary = build_summary([(task, history)], now=AFTER_DUE, timezone="UTC", done_since=NOW)
    return {line.urgency: line.reason for line in summary.lines}


def test_a_blocked_flag_still_shows_while_the_assignee_holds_the_task() -> None:
    assert _lines(*_blocked_then()) == {Urgency.OVERDUE: "waiting on legal"}


def test_a_delivery_ends_the_flag_so_requested_changes_are_not_blocked() -> None:
    task, history = _blocked_then(
        lambda t: core.deliver(t, actor=ALICE, note="", now=NOW + timedelta(hours=1)),
        lambda t: core.request_changes(t, actor=OWNER, reason="add totals", now=NOW + timedelta(hours=2)),
    )
    assert (task.health, task.health_reason) == (None, None)
    summary = build_summary([(task, history)], now=NOW + timedelta(hours=3), timezone="UTC", done_since=NOW)
    assert summary.section(Urgency.AT_RISK) == ()
    assert _lines(task, history) == {Urgency.OVERDUE: None}


def test_a_reassignment_does_not_hand_the_old_reason_to_the_new_assignee() -> None:
    task, history = _blocked_then(
        lambda t: core.reassign(t, actor=OWNER, new_assignee=BOB, now=NOW + timedelta(hours=1)),
        lambda t: core.accept(t, actor=BOB, now=NOW + timedelta(hours=2)),
    )
    assert (task.assignee_id, task.health, task.health_reason) == (BOB, None, None)
    assert _lines(task, history) == {Urgency.OVERDUE: None}
