"""Units of work: only a unique key means "already there", lost races are retried once,
and on SQLite a read never queues behind a writer."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from storage import repositories as repo
from storage.db import Busy, Database, LostRace, bounded_lock_wait
from storage.inserts import insert_once
from storage.migrate import upgrade
from storage.models import TaskEventRow, TaskRow, TeamCounter

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def test_a_unique_key_conflict_is_already_there(engine: Engine) -> None:
    db, team = Database(engine), f"T{uuid.uuid4().hex[:8]}"
    with db.session_scope() as session:
        assert insert_once(session, TeamCounter(team_id=team, last_number=1))
        assert not insert_once(session, TeamCounter(team_id=team, last_number=7))
    with db.session_scope(write=False) as session:
        counter = session.get(TeamCounter, team)
        assert counter is not None and counter.last_number == 1


def test_a_missing_required_value_is_a_bug_and_surfaces(engine: Engine) -> None:
    db = Database(engine)
    row = TaskRow(
        team_id="T1", number=1, owner_id="UO", assignee_id="UA", title="x", status="awaiting_acceptance",
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    row.title = None  # type: ignore[assignment]  # as a bug would leave it
    with pytest.raises(IntegrityError), db.session_scope() as session:
        insert_once(session, row)


def test_a_broken_reference_is_a_bug_and_surfaces(engine: Engine) -> None:
    db = Database(engine)
    orphan = TaskEventRow(team_id="T1", task_id=987_654_321, kind="created", actor_id="UO", at=NOW)
    with pytest.raises(IntegrityError), db.session_scope() as session:
        insert_once(session, orphan)


def test_a_lost_race_is_run_again_once(engine: Engine) -> None:
    db, rounds = Database(engine), []

    def loses_the_first_time(_session: object) -> str:
        rounds.append(1)
        if len(rounds) == 1:
            raise repo.StaleTask("T-1")
        return "done"

    assert db.write(loses_the_first_time) == "done" and len(rounds) == 2

    def always_loses(_session: object) -> None:
        raise repo.StaleTask("T-1")

    with pytest.raises(LostRace):
        db.write(always_loses)


def test_numbers_taken_together_are_consecutive(engine: Engine) -> None:
    db, team = Database(engine), f"T{uuid.uuid4().hex[:8]}"
    with db.session_scope() as session:
        assert repo.next_task_number(session, team_id=team, count=3) == 1
        assert repo.next_task_number(session, team_id=team) == 4


def test_on_sqlite_a_read_goes_ahead_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locks.db'}"
    upgrade(url)
    db = Database.from_url(url)
    writing, read_done = threading.Event(), threading.Event()
    outcome: list[bool] = []

    def writer() -> None:
        with db.session_scope() as session:
            repo.next_task_number(session, team_id="T1")
            writing.set()
            # Hold the write lock until the read is over; a read that queues for it never is.
            outcome.append(read_done.wait(timeout=5))

    holder = threading.Thread(target=writer)
    holder.start()
    assert writing.wait(timeout=10)
    try:
        with db.session_scope(write=False) as session:
            assert repo.get_task(session, team_id="T1", number=1) is None
        assert db.is_healthy()
    finally:
        read_done.set()
        holder.join(timeout=15)
    assert outcome == [True], "the read waited for the writer to finish"
    db.engine.dispose()


def test_sqlite_has_planner_statistics_after_each_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'stats.db'}"
    upgrade(url)
    db = Database.from_url(url)
    with db.session_scope() as session:
        for _ in range(3):
            repo.next_task_number(session, team_id=f"T{uuid.uuid4().hex[:6]}")
    upgrade(url)  # what `python -m bot web` does on SQLite at every start
    with db.engine.connect() as connection:
        analysed = {row[0] for row in connection.exec_driver_sql("SELECT tbl FROM sqlite_stat1")}
    assert "team_counters" in analysed
    db.engine.dispose()


def test_a_bounded_write_that_cannot_get_the_lock_is_busy_and_writes_nothing(engine: Engine) -> None:
    holder_db, waiter_db, team = Database(engine), Database(engine), f"T{uuid.uuid4().hex[:8]}"
    holding, done = threading.Event(), threading.Event()

    def holder() -> None:
        with holder_db.session_scope() as session:
            repo.next_task_number(session, team_id=team)  # the workspace's counter row, locked
            holding.set()
            done.wait(timeout=30)

    thread = threading.Thread(target=holder)
    thread.start()
    assert holding.wait(timeout=10)
    try:
        # Two Database objects on one engine: writers as two processes meet, at the database's lock.
        with pytest.raises(Busy), bounded_lock_wait(0.2), waiter_db.session_scope() as session:
            repo.next_task_number(session, team_id=team)
    finally:
        done.set()
        thread.join(timeout=30)
    with waiter_db.session_scope() as session:  # unbounded again: waits its turn and goes ahead
        assert repo.next_task_number(session, team_id=team) == 2


def test_on_sqlite_a_bounded_writer_queued_behind_one_of_its_own_process_is_busy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'queue.db'}"
    upgrade(url)
    db = Database.from_url(url)
    holding, done = threading.Event(), threading.Event()

    def holder() -> None:
        with db.session_scope():  # the process's writer turn, held before any statement
            holding.set()
            done.wait(timeout=30)

    thread = threading.Thread(target=holder)
    thread.start()
    assert holding.wait(timeout=10)
    try:
        with pytest.raises(Busy), bounded_lock_wait(0.2), db.session_scope() as session:
            repo.next_task_number(session, team_id="T1")
    finally:
        done.set()
        thread.join(timeout=30)
    with db.session_scope() as session:
        assert repo.next_task_number(session, team_id="T1") == 1  # the busy one wrote nothing
    db.engine.dispose()
