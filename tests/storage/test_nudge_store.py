"""The sweep's queries on SQLite and PostgreSQL, each test in a transaction rolled back afterwards.

Times here are in 2025, before anything other storage tests commit (2026): "due now" sees
only this test's tasks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, update
from sqlmodel import Session, col, select

from bot.core import tasks as core
from bot.core.nudges import NudgeKind
from bot.core.tasks import Event, EventKind, Task
from bot.outbox import store as outbox
from bot.outbox.intents import NudgeToQueue, queue_nudge, queue_nudges
from bot.services.sweep_history import histories
from storage import nudge_store as store
from storage import repositories as repo
from storage.models import NudgeSnooze, TaskRow

NOW = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
TEAM = "TSWEEP"


def new_task(
    session: Session, *, check_at: datetime | None, done_when: str | None = "PDF sent", team: str = TEAM
) -> Task:
    created = NOW - timedelta(days=3)
    transition = core.new_task(
        team_id=team,
        number=repo.next_task_number(session, team_id=team),
        owner_id="UOWNER",
        assignee_id="UALICE",
        title="Ship the report",
        done_when=done_when,
        due_at=NOW + timedelta(days=2),
        now=created,
    )
    task = repo.add_task(session, task=transition.after, request_key=None, now=created)
    assert task is not None and transition.event is not None
    repo.add_event(session, task=task, event=transition.event)
    session.execute(update(TaskRow).where(col(TaskRow.id) == task.id).values(next_check_at=check_at))
    return task


@contextmanager
def selects(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    connection = session.connection()

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", record)


def test_only_tasks_whose_check_is_due_are_claimed_oldest_first(session: Session) -> None:
    later = new_task(session, check_at=NOW - timedelta(minutes=1))
    oldest = new_task(session, check_at=NOW - timedelta(hours=5))
    new_task(session, check_at=NOW + timedelta(minutes=1))  # not yet
    new_task(session, check_at=None)  # closed: never again
    exactly_now = new_task(session, check_at=NOW)

    claimed = store.claim_due_tasks(session, now=NOW, limit=10)
    assert [t.number for t in claimed] == [oldest.number, later.number, exactly_now.number]
    first_two = store.claim_due_tasks(session, now=NOW, limit=2)
    assert [t.number for t in first_two] == [oldest.number, later.number]
    assert store.people_of_due_tasks(session, now=NOW, limit=10) == {TEAM: {"UOWNER", "UALICE"}}


def test_a_batch_history_takes_the_same_few_queries_for_three_tasks_or_thirty(session: Session) -> None:
    def count(n: int) -> int:
        tasks = [new_task(session, check_at=NOW, team=f"TH{n}") for _ in range(n)]
        with selects(session) as seen:
            found = histories(session, tasks=tasks, now=NOW)
        assert set(found) == {t.id for t in tasks}
        return len(seen)

    assert count(3) == count(30) == 3


def test_history_reads_the_moments_the_policy_needs(session: Session) -> None:
    task = new_task(session, check_at=NOW, done_when="make it better")  # vague: unclear
    asked, reported = NOW - timedelta(hours=2), NOW - timedelta(days=1)
    edited = NOW - timedelta(days=2)
    for kind, at in ((EventKind.EDITED, edited), (EventKind.REPORTED, reported), (EventKind.ASKED, asked)):
        repo.add_event(session, task=task, event=Event(kind, "UALICE", at, "x"))
    asking = replace(task, open_question="Which quarter?")
    clear = new_task(session, check_at=NOW)  # clear, nothing asked, never reported
    store.record_nudges(
        session, nudges=[store.NudgeKey(TEAM, task.id or 0, NudgeKind.UNCLEAR, "UOWNER", "p1")], now=NOW
    )
    for user_id, until in (("UOWNER", NOW + timedelta(hours=1)), ("UALICE", NOW - timedelta(hours=1))):
        session.add(NudgeSnooze(team_id=TEAM, task_id=task.id or 0, user_id=user_id, until=until))
    session.flush()

    found = histories(session, tasks=[asking, clear], now=NOW)
    mine = found[task.id or 0]
    assert mine.offered_at == NOW - timedelta(days=3)
    assert (mine.last_word_at, mine.question_at, mine.unclear_since) == (reported, asked, edited)
    assert mine.last_nudged == {(NudgeKind.UNCLEAR, "UOWNER"): NOW}
    assert mine.snoozed_until == {"UOWNER": NOW + timedelta(hours=1)}  # the one still running
    other = found[clear.id or 0]
    assert (other.last_word_at, other.question_at, other.unclear_since) == (None, None, None)
    assert (other.last_nudged, other.snoozed_until) == ({}, {})
    # The question was asked on the task without its open question: answered, so none is open.
    assert histories(session, tasks=[task], now=NOW)[task.id or 0].question_at is None


def test_a_nudge_decided_twice_is_recorded_once(session: Session) -> None:
    task = new_task(session, check_at=NOW)
    key = store.NudgeKey(TEAM, task.id or 0, NudgeKind.OVERDUE, "UALICE", "20250106T090000Z+0")
    other = replace(key, recipient_id="UOWNER")
    assert store.record_nudges(session, nudges=[key, key], now=NOW) == {key}
    assert store.record_nudges(session, nudges=[key, other], now=NOW + timedelta(minutes=1)) == {other}
    rows = store.nudges_of(session, team_id=TEAM, task_id=task.id or 0)
    assert [(r.recipient_id, r.decided_at) for r in rows] == [
        ("UALICE", NOW),
        ("UOWNER", NOW + timedelta(minutes=1)),
    ]


def test_the_next_check_is_written_without_changing_the_task(session: Session) -> None:
    first, closed = new_task(session, check_at=NOW), new_task(session, check_at=NOW)
    stale = new_task(session, check_at=NOW)
    changed = repo.save_task(session, task=stale, now=NOW)  # changed since the sweep read it
    store.set_next_checks(
        session,
        checks=[
            store.NextCheck(first, NOW + timedelta(hours=4)),
            store.NextCheck(closed, None),
            store.NextCheck(stale, NOW + timedelta(days=9)),
        ],
    )
    rows = {row.number: row for row in session.exec(select(TaskRow).where(TaskRow.team_id == TEAM)).all()}
    assert rows[first.number].next_check_at == NOW + timedelta(hours=4)
    assert rows[closed.number].next_check_at is None
    assert rows[stale.number].next_check_at == NOW  # its own change asked for a check now
    assert (rows[first.number].version, rows[first.number].updated_at) == (1, NOW - timedelta(days=3))
    assert changed.version == 2


def test_a_settings_change_brings_a_workspaces_or_a_persons_checks_forward(session: Session) -> None:
    later = NOW + timedelta(days=1)
    theirs = new_task(session, check_at=later)
    closed = new_task(session, check_at=None)
    elsewhere = new_task(session, check_at=later, team="TOTHER")
    assert store.check_again_soon(session, team_id=TEAM, now=NOW, user_id="USOMEONE") == 0
    assert store.check_again_soon(session, team_id=TEAM, now=NOW, user_id="UALICE") == 1
    due = {task.number for task in store.claim_due_tasks(session, now=NOW, limit=10) if task.team_id == TEAM}
    assert due == {theirs.number} and closed.number not in due
    assert store.check_again_soon(session, team_id="TOTHER", now=NOW) == 1
    assert elsewhere.id in {task.id for task in store.claim_due_tasks(session, now=NOW, limit=10)}


def test_a_nudge_is_queued_once_under_its_own_key_with_how_late(session: Session) -> None:
    task = new_task(session, check_at=NOW)
    nudge = NudgeToQueue(TEAM, task.id or 0, "overdue", "UALICE", "p1", late_by=timedelta(hours=2))
    assert queue_nudge(session, nudge=nudge, now=NOW)
    assert not queue_nudge(session, nudge=nudge, now=NOW)
    assert queue_nudges(session, nudges=[nudge, replace(nudge, period="p2")], now=NOW) == 1
    rows = outbox.messages(session, team_id=TEAM)
    assert [row.dedupe_key for row in rows] == [
        f"nudge:{task.id}:overdue:UALICE:p1",
        f"nudge:{task.id}:overdue:UALICE:p2",
    ]
    assert json.loads(rows[0].payload) == {"nudge": "overdue", "period": "p1", "late_by": 7200}
    first = rows[0]
    assert (first.kind, first.recipient_id, first.task_id) == ("nudge", "UALICE", task.id)
    assert first.status == "pending"
