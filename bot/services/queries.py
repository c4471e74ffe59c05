"""Reading tasks for people: lists, one task with its history, pickers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import tasks as core
from bot.core.lifecycle_table import Role, Step, steps_for
from bot.core.tasks import Event, Task
from bot.services.lifecycle import load_task
from bot.services.runtime import Runtime
from storage import repositories as repo

# A list longer than this is cut, and says how many more there are.
LIST_LIMIT = 20  # two sides of 20 lines fit in one message (50 blocks)


@dataclass(frozen=True)
class MyTasks:
    owned: list[Task]
    assigned: list[Task]
    # How many open tasks there are in all on each side (more than listed when cut).
    owned_total: int = 0
    assigned_total: int = 0


@dataclass(frozen=True)
class TaskView:
    task: Task
    history: list[Event]
    linked: list[Task]


def my_open_tasks(rt: Runtime, *, team_id: str, user_id: str, limit: int = LIST_LIMIT) -> MyTasks:
    """Open tasks on both sides, soonest due first: delegated by me, assigned to me."""
    with rt.db.session_scope(write=False) as session:
        owned, owned_total = repo.open_tasks_for(
            session, team_id=team_id, user_id=user_id, side="owner", limit=limit
        )
        assigned, assigned_total = repo.open_tasks_for(
            session, team_id=team_id, user_id=user_id, side="assignee", limit=limit
        )
    return MyTasks(owned, assigned, owned_total, assigned_total)


def reportable_tasks(rt: Runtime, *, team_id: str, user_id: str) -> list[Task]:
    """Tasks the user can report on or deliver right now."""
    mine = my_open_tasks(rt, team_id=team_id, user_id=user_id).assigned
    return [t for t in mine if Step.REPORT in steps_for(Role.ASSIGNEE, t.status)]


def task_for(rt: Runtime, *, team_id: str, user_id: str, number: int) -> TaskView:
    """One task and its history, for its owner or assignee."""
    with rt.db.session_scope(write=False) as session:
        task = load_task(session, team_id=team_id, number=number, viewer=user_id)
        assert task.id is not None
        events = repo.history(session, team_id=team_id, task_id=task.id)
        linked = repo.linked_tasks(session, team_id=team_id, task=task)
    return TaskView(task=task, history=events, linked=linked)


def task_for_step(rt: Runtime, *, team_id: str, user_id: str, number: int, step: Step) -> Task:
    """A task someone is about to act on in a form: anyone who may not is refused before it opens."""
    task = _load(rt, team_id=team_id, number=number, viewer=user_id)
    core.require_role(task, user_id, step)
    return task


def _load(rt: Runtime, *, team_id: str, number: int, viewer: str) -> Task:
    with rt.db.session_scope(write=False) as session:
        return load_task(session, team_id=team_id, number=number, viewer=viewer)
