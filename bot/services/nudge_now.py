"""The owner's "Nudge now" from a summary: a reminder to the assignee, through the outbox.

The reminder is a sweep nudge of the kind that fits the task (``bot.core.nudges.chase_now``),
recorded and rendered like any other, so the sweep does not send the same one again before
``NUDGE_REPEAT_EVERY``. Its period is the click's source (the summary message),
so a double click or Slack's retry of the click queues it once.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.errors import NotAllowed, NotFound, Problem
from bot.core.nudges import NudgeKind, chase_now
from bot.core.tasks import Task
from bot.outbox.intents import NudgeToQueue, queue_nudge
from bot.services.runtime import Runtime
from storage import repositories as repo
from storage.nudge_store import NudgeKey, record_nudges


@dataclass(frozen=True)
class NudgedNow:
    task: Task
    kind: NudgeKind | None  # None: nothing to chase (closed, or the owner's move)
    queued: bool  # False for a second click on the same summary


def nudge_now(rt: Runtime, *, team_id: str, actor: str, number: int, source: str) -> NudgedNow:
    """Queue a reminder to the assignee of task ``number``; only its owner may.

    ``source`` names what was clicked (the message): one reminder per task per source.
    """
    now = rt.now()
    with rt.db.session_scope() as session:
        task = repo.get_task(session, team_id=team_id, number=number)
        if task is None or task.id is None:
            raise NotFound(problem=Problem.NO_SUCH_TASK, details={"number": number})
        if actor != task.owner_id:
            raise NotAllowed(
                f"Only <@{task.owner_id}>, who delegated {task.ref}, can nudge its assignee about it.",
                hint=f"You can see it with `/tasks {task.ref}`.",
            )
        kind = chase_now(task, now=now)
        if kind is None:
            return NudgedNow(task=task, kind=None, queued=False)
        period = f"now:{source}"
        # Recorded as the sweep records its own: its repeat rule then counts this reminder,
        # and the record's unique key is what keeps a second click from sending another.
        key = NudgeKey(team_id, task.id, kind, task.assignee_id, period)
        queued = bool(record_nudges(session, nudges=[key], now=now))
        if queued:
            nudge = NudgeToQueue(
                team_id=team_id, task_id=task.id, kind=kind.value, recipient_id=task.assignee_id,
                period=period,
            )  # fmt: skip
            queue_nudge(session, nudge=nudge, now=now)
    if queued:
        rt.messages_queued()
    return NudgedNow(task=task, kind=kind, queued=queued)
