"""What the nudge policy needs from each task's past, read for a whole batch in a few queries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlmodel import Session

from bot.core.clarity import check_clarity
from bot.core.nudges import History, NudgeKind
from bot.core.tasks import Task
from storage import nudge_store as store


def histories(session: Session, *, tasks: Sequence[Task], now: datetime) -> dict[int, History]:
    """Each task's ``History``, by task id: three set queries, whatever the batch's size."""
    times = store.event_times(session, tasks=tasks)
    nudged = store.last_nudged(session, tasks=tasks)
    snoozed = store.snoozes(session, tasks=tasks, now=now)
    found: dict[int, History] = {}
    for task in tasks:
        assert task.id is not None
        found[task.id] = history_of(
            task,
            times.get(task.id),
            last_nudged=nudged.get(task.id, {}),
            snoozed_until=snoozed.get(task.id, {}),
        )
    return found


def history_of(
    task: Task,
    times: store.EventTimes | None,
    *,
    last_nudged: Mapping[tuple[NudgeKind, str], datetime],
    snoozed_until: Mapping[str, datetime],
) -> History:
    """One task's history; a task without the events (older data) counts from its creation."""
    times = times or store.EventTimes(None, None, None, None)
    unclear = bool(check_clarity(task.done_when, task.due_at))
    return History(
        offered_at=times.offered_at or task.created_at,
        last_word_at=times.last_word_at,
        # A question counts only while it is open; an answered one is history.
        question_at=(times.asked_at or task.created_at) if task.open_question is not None else None,
        # Unclear since it was created or last edited so; None when it reads clearly.
        unclear_since=(times.shaped_at or task.created_at) if unclear else None,
        last_nudged=last_nudged,
        snoozed_until=snoozed_until,
    )
