"""Concurrent requests against a real database: numbers stay unique, changes apply once."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from bot.core import tasks as core
from storage import repositories as repo
from storage.db import Database

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def test_parallel_delegations_get_distinct_numbers(engine: Engine) -> None:
    db, team = Database(engine), f"T{uuid.uuid4().hex[:8]}"

    def allocate(_: int) -> int:
        with db.session_scope() as session:
            return repo.next_task_number(session, team_id=team)

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(allocate, range(40)))
    assert sorted(numbers) == list(range(1, 41))


def test_parallel_accepts_apply_once(engine: Engine) -> None:
    db, team = Database(engine), f"T{uuid.uuid4().hex[:8]}"
    with db.session_scope() as session:
        number = repo.next_task_number(session, team_id=team)
        offered = core.new_task(
            team_id=team, number=number, owner_id="UO", assignee_id="UA", title="x",
            done_when=None, due_at=None, now=NOW,
        ).after  # fmt: skip
        task = repo.add_task(session, task=offered, request_key=None, now=NOW)
    assert task is not None

    def accept(_: int) -> bool:
        try:
            with db.session_scope() as session:
                accepted = core.accept(task, actor="UA", now=NOW).after  # every thread read the same version
                repo.save_task(session, task=accepted, now=NOW)
            return True
        except repo.StaleTask:
            return False

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(accept, range(12)))
    assert results.count(True) == 1
