"""The window of tasks with their histories that scorecards, summaries and exports read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bot.core.tasks import Event, EventKind, Status, Task
from storage import histories
from storage import repositories as repo
from tests.storage.test_repositories import new_task

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=30)


def _record(session: Session, task: Task, *events: Event) -> None:
    for event in events:
        assert repo.add_event(session, task=task, event=event)


def _close(session: Session, task: Task, *, at: datetime) -> Task:
    closed = replace(task, status=Status.APPROVED, closed_at=at)
    return repo.save_task(session, task=closed, now=at)


def test_the_window_holds_open_tasks_and_those_closed_since(session: Session) -> None:
    still_open = new_task(session)
    closed_inside = _close(session, new_task(session), at=SINCE + timedelta(days=1))
    _close(session, new_task(session), at=SINCE - timedelta(seconds=1))
    found = histories.task_histories(session, team_id="T1", since=SINCE)
    assert [task.number for task, _ in found] == [still_open.number, closed_inside.number]


def test_histories_come_oldest_first_with_each_task(session: Session) -> None:
    first, second = new_task(session), new_task(session)
    _record(session, first, Event(EventKind.CREATED, "UOWNER", NOW), Event(EventKind.ACCEPTED, "UALICE", NOW))
    _record(session, second, Event(EventKind.CREATED, "UOWNER", NOW))
    found = dict(
        (task.number, [e.kind for e in events])
        for task, events in histories.task_histories(session, team_id="T1", since=SINCE)
    )
    assert found == {
        first.number: [EventKind.CREATED, EventKind.ACCEPTED],
        second.number: [EventKind.CREATED],
    }


def test_a_persons_window_includes_tasks_moved_away_from_them(session: Session) -> None:
    theirs = new_task(session, assignee="UALICE")
    moved = new_task(session, assignee="UBOB")
    _record(
        session,
        moved,
        Event(EventKind.REASSIGNED, "UOWNER", NOW, from_id="UALICE", to_id="UBOB"),
    )
    new_task(session, assignee="UCAROL")
    found = histories.task_histories(session, team_id="T1", since=SINCE, person="UALICE")
    assert [task.number for task, _ in found] == [theirs.number, moved.number]
    assert histories.people_in(found) == {"UOWNER", "UALICE", "UBOB"}


def test_other_workspaces_are_not_read(session: Session) -> None:
    new_task(session, team_id="T2")
    assert histories.task_histories(session, team_id="T1", since=SINCE) == []


def test_held_by_keeps_the_tasks_these_people_own_or_hold(session: Session) -> None:
    alices = new_task(session, assignee="UALICE")
    new_task(session, assignee="UBOB")
    found = histories.task_histories(session, team_id="T1", since=SINCE, held_by={"UALICE", "UCAROL"})
    assert [task.number for task, _ in found] == [alices.number]
    owned = histories.task_histories(session, team_id="T1", since=SINCE, held_by={"UOWNER"})
    assert len(owned) == 2
