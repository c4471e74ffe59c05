"""Handing a task to one or more people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.core import tasks as core
from bot.core.clarity import ClarityFlag, check_clarity
from bot.core.dates import parse_due
from bot.core.errors import BadInput, errors_on_field
from bot.core.safety import refuse_sensitive
from bot.core.tasks import Task
from bot.services import people
from bot.services.notifications import queue_for_change, queue_receipt
from bot.services.runtime import Runtime
from storage import repositories as repo

MAX_ASSIGNEES = 10


@dataclass(frozen=True)
class Delegation:
    tasks: list[Task]
    flags: tuple[ClarityFlag, ...]
    replayed: bool  # this request had been handled before (a retry); nothing new was sent


def delegate(
    rt: Runtime,
    *,
    team_id: str,
    owner_id: str,
    assignee_ids: tuple[str, ...] | list[str],
    title: str,
    done_when: str | None,
    due_text: str | None,
    request_key: str,
    receipt_by_dm: bool = False,
) -> Delegation:
    """Create one task per assignee and offer each by DM.

    Everything is checked before anything is written, so bad input leaves no trace; a
    replay of the same request (same ``request_key``) returns the tasks it created.
    ``receipt_by_dm`` queues the owner's summary too, for requests with no reply channel
    (the form); a command's summary is its reply.
    """
    with errors_on_field("title"):
        refuse_sensitive(title)
    with errors_on_field("done_when"):
        refuse_sensitive(done_when)
    with errors_on_field("assignees"):
        _check_assignees(rt, team_id=team_id, owner_id=owner_id, assignee_ids=assignee_ids)
    now = rt.now()
    due_at = None
    if due_text:
        with errors_on_field("due"):
            refuse_sensitive(due_text)
            tz = people.timezone_of(rt, team_id=team_id, user_id=owner_id)
            due_at = parse_due(due_text, now=now, tz=tz, workday_end=rt.settings.workday_end)
    flags = check_clarity(done_when, due_at)
    for attempt in (1, 2):
        try:
            with rt.db.session_scope() as session:
                created, replayed = _create_all(
                    session,
                    team_id=team_id,
                    owner_id=owner_id,
                    assignee_ids=assignee_ids,
                    title=title,
                    done_when=done_when,
                    due_at=due_at,
                    request_key=request_key,
                    now=now,
                )
                if receipt_by_dm and not replayed:
                    queue_receipt(session, tasks=created, request_key=request_key, now=now)
            break
        except repo.StaleTask:
            # The same request, double submitted, won the race: the second round sees its tasks.
            if attempt == 2:
                raise
    if not replayed:
        rt.messages_queued()
    return Delegation(tasks=created, flags=flags, replayed=replayed)


def _check_assignees(
    rt: Runtime, *, team_id: str, owner_id: str, assignee_ids: tuple[str, ...] | list[str]
) -> None:
    if not assignee_ids:
        raise BadInput(
            "Who should do it?",
            hint="Mention them first: `/delegate @alice Ship the report | done when: PDF sent | due: fri`.",
        )
    if len(assignee_ids) > MAX_ASSIGNEES:
        raise BadInput(f"That's more than {MAX_ASSIGNEES} people.", hint="Hand it to fewer people at once.")
    for assignee_id in assignee_ids:
        core.check_assignee(owner_id=owner_id, assignee_id=assignee_id)  # before asking Slack about them
        people.require_assignable(rt, team_id=team_id, user_id=assignee_id)


def _create_all(
    session: Session,
    *,
    team_id: str,
    owner_id: str,
    assignee_ids: tuple[str, ...] | list[str],
    title: str,
    done_when: str | None,
    due_at: datetime | None,
    request_key: str,
    now: datetime,
) -> tuple[list[Task], bool]:
    first = repo.task_created_by(session, team_id=team_id, request_key=_key(request_key, assignee_ids[0]))
    if first is not None:
        again = [
            repo.task_created_by(session, team_id=team_id, request_key=_key(request_key, a))
            for a in assignee_ids
        ]
        return [t for t in again if t is not None], True
    created: list[Task] = []
    for assignee_id in assignee_ids:
        transition = core.new_task(
            team_id=team_id,
            number=repo.next_task_number(session, team_id=team_id),
            owner_id=owner_id,
            assignee_id=assignee_id,
            title=title,
            done_when=done_when,
            due_at=due_at,
            now=now,
            linked_to=created[0].number if created else None,
        )
        task = repo.add_task(
            session, task=transition.after, request_key=_key(request_key, assignee_id), now=now
        )
        if task is None:  # a concurrent replay of this request won the race
            raise repo.StaleTask(transition.after.ref)
        assert transition.event is not None
        repo.add_event(session, task=task, event=transition.event)
        queue_for_change(session, before=task, after=task, event=transition.event, now=now)
        created.append(task)
    return created, False


def _key(request_key: str, assignee_id: str) -> str:
    return f"{request_key}:{assignee_id}"
