"""Helpers for the nudge scenarios: set the story's clock, sweep, and read which nudges people got.

A nudge is recognised by the outbox key every message carries in its Slack ``metadata``
(``nudge:{task}:{kind}:{recipient}:{period}``), so the tests do not depend on its wording.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import col, select

from bot.core import tasks as core
from bot.services.sweep import SweepReport, run_sweep
from storage import repositories as repo
from storage.db import Database
from storage.models import OutboxMessage
from tests.scenarios.conftest import MALLORY, OWNER, START, Story


def sweep_at(story: Story, when: datetime) -> SweepReport:
    """The clock process runs a sweep at ``when`` (UTC) and the sender delivers what it queued."""
    assert when >= story.clock.now, "time only moves forward"
    story.clock.now = when
    return story.sweep()


def sweep_without_sending(story: Story, when: datetime) -> SweepReport:
    """A sweep whose messages stay queued (no sender is woken), as if the sender were slow or down."""
    story.clock.now = when
    return run_sweep(replace(story.handoff.runtime, messages_queued=lambda: None))


def nudges_to(story: Story, user: str) -> list[str]:
    """The kinds of nudges ``user`` got, oldest first, as ``T-<number> <kind>``."""
    found: list[tuple[int, str]] = []
    for message in story.dms(user):
        key = str(((message.metadata or {}).get("event_payload") or {}).get("key", ""))
        if key.startswith("nudge:"):
            _, task_id, kind, recipient, _period = key.split(":", 4)
            assert recipient == user
            found.append((int(task_id), kind))
    team = story.slack.team_id
    with story.handoff.runtime.db.session_scope(write=False) as session:
        tasks = repo.tasks_with_ids(session, keys={(team, task_id) for task_id, _ in found})
    return [f"{tasks[task_id].ref} {kind}" for task_id, kind in found]


def nudge_rows(story: Story) -> list[OutboxMessage]:
    """Every nudge the outbox holds, oldest first."""
    with story.handoff.runtime.db.session_scope(write=False) as session:
        query = select(OutboxMessage).where(col(OutboxMessage.kind) == "nudge")
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def late_by(row: OutboxMessage) -> int | None:
    value = json.loads(row.payload)["late_by"]
    return None if value is None else int(value)


def seed_offers(db: Database, *, team_id: str, count: int, assignee: str = MALLORY) -> None:
    """``count`` tasks offered 5 h before the story starts, straight into the database: a reminder due."""
    offered_at = START - timedelta(hours=5)
    with db.session_scope() as session:
        for _ in range(count):
            created = core.new_task(
                team_id=team_id,
                number=repo.next_task_number(session, team_id=team_id),
                owner_id=OWNER,
                assignee_id=assignee,
                title="Ship the Q3 report",
                done_when="PDF sent to the board",
                due_at=START + timedelta(days=10),
                now=offered_at,
            )
            task = repo.add_task(session, task=created.after, request_key=None, now=offered_at)
            assert task is not None and created.event is not None
            repo.add_event(session, task=task, event=created.event)
