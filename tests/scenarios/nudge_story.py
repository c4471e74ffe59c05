"""Helpers for the nudge scenarios: set the story's clock, sweep, and read which nudges people got.

A nudge is recognised by the outbox key every message carries in its Slack ``metadata``
(``nudge:{task}:{kind}:{recipient}:{period}``), so the tests do not depend on its wording.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from sqlmodel import col, select

from bot.services.sweep import SweepReport, run_sweep
from storage.models import OutboxMessage
from tests.scenarios.conftest import Story


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
    """The kinds of nudges ``user`` got, oldest first, as ``T-<task id> <kind>``."""
    found = []
    for message in story.dms(user):
        key = str(((message.metadata or {}).get("event_payload") or {}).get("key", ""))
        if key.startswith("nudge:"):
            _, task_id, kind, recipient, _period = key.split(":", 4)
            assert recipient == user
            found.append(f"T-{task_id} {kind}")
    return found


def nudge_rows(story: Story) -> list[OutboxMessage]:
    """Every nudge the outbox holds, oldest first."""
    with story.handoff.runtime.db.session_scope(write=False) as session:
        query = select(OutboxMessage).where(col(OutboxMessage.kind) == "nudge")
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def late_by(row: OutboxMessage) -> int | None:
    value = json.loads(row.payload)["late_by"]
    return None if value is None else int(value)
