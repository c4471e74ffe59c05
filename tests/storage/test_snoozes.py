"""Snoozes on SQLite and PostgreSQL: one row per task and person, the latest choice wins."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from storage import snoozes
from storage.models import TaskRow
from tests.storage.test_repositories import NOW, new_task


def test_a_snooze_is_kept_per_person_and_a_second_choice_moves_it(session: Session) -> None:
    task = new_task(session)
    assert task.id is not None
    snoozes.snooze(session, team_id="T1", task_id=task.id, user_id="UALICE", until=NOW + timedelta(hours=1))
    snoozes.snooze(session, team_id="T1", task_id=task.id, user_id="UOWNER", until=NOW + timedelta(hours=4))
    snoozes.snooze(session, team_id="T1", task_id=task.id, user_id="UALICE", until=NOW + timedelta(hours=2))
    assert snoozes.snoozed_until(session, team_id="T1", task_id=task.id) == {
        "UALICE": NOW + timedelta(hours=2),
        "UOWNER": NOW + timedelta(hours=4),
    }
    assert snoozes.snoozed_until(session, team_id="T2", task_id=task.id) == {}


def test_checking_again_moves_the_next_check_and_leaves_the_version(session: Session) -> None:
    task = new_task(session)
    other = new_task(session)
    later = NOW + timedelta(hours=3)
    snoozes.check_again(session, team_id="T1", task_id=task.id or 0, at=later)
    rows = {row.id: row for row in session.exec(select(TaskRow)).all()}
    assert rows[task.id].next_check_at == later
    assert rows[task.id].version == task.version
    assert rows[other.id].next_check_at == NOW
