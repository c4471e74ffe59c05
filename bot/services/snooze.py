"""Snoozing a task's nudges, for its owner or assignee (see ``bot.core.snooze`` for the rule)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.core.errors import NotAllowed
from bot.core.snooze import SnoozeChoice, snooze_until
from bot.services.calendars import calendars_for
from bot.services.lifecycle import load_task
from bot.services.runtime import Runtime
from storage import snoozes


@dataclass(frozen=True)
class Snoozed:
    ref: str
    until: datetime
    timezone: str  # the snoozer's, to say "until Mon 08:00" in their own time
    at_due_date: bool = False  # cut short by the due date (see bot.core.snooze)


def snooze_nudges(rt: Runtime, *, team_id: str, actor: str, number: int, choice: SnoozeChoice) -> Snoozed:
    """No nudges to ``actor`` about task ``number`` until the chosen time, in one transaction.

    The snooze is written and the task is put up for the sweep's next pass, which decides
    its nudges again with the snooze in view. Choosing again moves the snooze: the latest
    choice wins, so a double click writes the same row twice and sends nothing.
    """
    return rt.db.write(
        lambda session: _snooze_in(session, rt, team_id=team_id, actor=actor, number=number, choice=choice)
    )


def _snooze_in(
    session: Session, rt: Runtime, *, team_id: str, actor: str, number: int, choice: SnoozeChoice
) -> Snoozed:
    task = load_task(session, team_id=team_id, number=number, viewer=actor)  # strangers: no such task
    if not task.status.is_open:
        raise NotAllowed(
            f"{task.ref} is {task.status.label}: there are no more nudges about it to snooze.",
            hint=f"See it with `/tasks {task.ref}`.",
        )
    assert task.id is not None
    now = rt.now()
    calendar = calendars_for(rt, session, team_id=team_id, user_ids=[actor])[actor]
    until = snooze_until(choice, now=now, due_at=task.due_at, calendar=calendar)
    snoozes.snooze(session, team_id=team_id, task_id=task.id, user_id=actor, until=until)
    snoozes.check_again(session, team_id=team_id, task_id=task.id, at=now)
    return Snoozed(ref=task.ref, until=until, timezone=calendar.timezone, at_due_date=until == task.due_at)
