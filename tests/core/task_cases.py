"""T-12, the task the core's tests pass around: OWNER asks ALICE to ship the report."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.core import tasks as core
from bot.core.tasks import Health, Status, Task

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
OWNER, ALICE, BOB, MALLORY = "UOWNER", "UALICE", "UBOB", "UMALLORY"


def offer(*, at: datetime, due_at: datetime | None) -> Task:
    """T-12 from OWNER to ALICE as /delegate makes it ``at``: clear, awaiting acceptance."""
    return core.new_task(
        team_id="T1",
        number=12,
        owner_id=OWNER,
        assignee_id=ALICE,
        title="Ship the report",
        done_when="PDF sent to the board",
        due_at=due_at,
        now=at,
    ).after


def offered() -> Task:
    return offer(at=NOW, due_at=NOW + timedelta(days=2))


def worked_on(status: Status) -> Task:
    """T-12 in ``status`` with every field a step may touch filled in."""
    delivered = status is Status.DELIVERED
    return replace(
        offered(),
        status=status,
        accepted_at=None if status is Status.AWAITING_ACCEPTANCE else NOW,
        delivered_at=NOW if delivered else None,
        progress_percent=100 if delivered else 50,
        open_question="Due when?",
        rework_count=1,
        health=Health.BLOCKED,
        health_reason="Waiting on legal",
    )
