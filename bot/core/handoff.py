"""What a task's history says about its handoff, read the same way by "why" and the scorecards.

Handoff is the first acceptance: edits before it are the owner clarifying the offer, edits
of the outcome after it mean the work was aimed at something that later changed. An edit
records which fields changed ("changed definition of done, due date"), not their old values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.tasks import FIELD_NAMES, Event, EventKind, Task

_OUTCOME = FIELD_NAMES["done_when"]


def first_assignee(task: Task, history: Sequence[Event]) -> str:
    """Who the task was first offered to: the first reassignment's ``from_id``, else the assignee."""
    moved = (e.from_id for e in history if e.kind is EventKind.REASSIGNED and e.from_id)
    return next(moved, task.assignee_id)


def handed_off_at(history: Sequence[Event]) -> datetime | None:
    """The first acceptance; None while the task was never taken on."""
    return next((event.at for event in history if event.kind is EventKind.ACCEPTED), None)


def outcome_edits_after(history: Sequence[Event], moment: datetime) -> list[datetime]:
    """When the definition of done was edited after ``moment``, oldest first."""
    return [
        event.at
        for event in history
        if event.kind is EventKind.EDITED and _OUTCOME in (event.text or "") and event.at > moment
    ]
