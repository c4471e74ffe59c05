"""A task's source message link is stored with it and read back by every way tasks are read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bot.core import tasks as core
from bot.core.tasks import Task
from storage import repositories as repo
from storage.histories import task_histories
from storage.nudge_store import claim_due_tasks

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
LINK = "https://acme.slack.com/archives/C0GENERAL/p1700000000000100"


def delegated(session: Session, *, source_link: str | None) -> Task:
    transition = core.new_task(
        team_id="T1",
        number=repo.next_task_number(session, team_id="T1"),
        owner_id="UOWNER",
        assignee_id="UALICE",
        title="Update the deck",
        done_when=None,
        due_at=None,
        now=NOW,
        source_link=source_link,
    )
    task = repo.add_task(session, task=transition.after, request_key=None, now=NOW)
    assert task is not None
    return task


def test_the_link_is_kept_and_read_back_every_way(session: Session) -> None:
    task = delegated(session, source_link=LINK)
    plain = delegated(session, source_link=None)

    assert repo.get_task(session, team_id="T1", number=task.number) == task
    assert task.source_link == LINK
    assert repo.get_task(session, team_id="T1", number=plain.number) == plain
    assert plain.source_link is None
    histories = task_histories(session, team_id="T1", since=NOW - timedelta(days=1))
    assert [t.source_link for t, _ in histories] == [LINK, None]
    claimed = claim_due_tasks(session, now=NOW + timedelta(minutes=1), limit=10)
    assert {t.number: t.source_link for t in claimed} == {task.number: LINK, plain.number: None}


def test_a_change_to_the_task_keeps_its_link(session: Session) -> None:
    task = delegated(session, source_link=LINK)
    saved = repo.save_task(session, task=replace(task, title="Update the Q3 deck"), now=NOW)
    loaded = repo.get_task(session, team_id="T1", number=task.number)
    assert loaded == saved and loaded is not None and loaded.source_link == LINK
