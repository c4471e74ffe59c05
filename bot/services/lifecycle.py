"""Use cases that move an existing task along: one function per user intent.

Each one loads the task, lets the core decide, saves the result compare-and-set, writes
the history line and queues the messages, all in one transaction; then the outbox sender
is woken to deliver them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial

from sqlmodel import Session

from bot.core import tasks as core
from bot.core.dates import MAX_DUE_TEXT, parse_due
from bot.core.errors import NotFound, Problem, errors_on_field
from bot.core.parsing import MAX_DONE_WHEN, MAX_TITLE
from bot.core.safety import refuse_sensitive
from bot.core.tasks import Health, Task, TaskChanges, Transition
from bot.outbox.intents import queue_for_change
from bot.services import people
from bot.services.delegation import check_length
from bot.services.runtime import Runtime
from storage import inbox, series
from storage import repositories as repo

Step = Callable[[Task], Transition]
# More to write in the step's transaction once its change is saved (not on a replay).
AfterSave = Callable[[Session, Task], object]


def apply_step(
    rt: Runtime,
    *,
    team_id: str,
    actor: str,
    number: int,
    step: Step,
    request_key: str | None = None,
    after_save: AfterSave | None = None,
) -> Transition:
    """Run one step of a task's lifecycle exactly once.

    ``request_key`` identifies a form submission or command; a replay of it changes nothing.
    A concurrent change to the same task (double click) is retried once on the fresh task,
    where the core sees the step already done and returns it unchanged.
    """
    transition = rt.db.write(
        lambda session: _apply_in(
            session,
            team_id=team_id,
            actor=actor,
            number=number,
            step=step,
            request_key=request_key,
            after_save=after_save,
            home_every=rt.settings.home_refresh_every,
        )
    )
    if transition.changed:
        rt.messages_queued()
    return transition


def _apply_in(
    session: Session,
    *,
    team_id: str,
    actor: str,
    number: int,
    step: Step,
    request_key: str | None,
    after_save: AfterSave | None,
    home_every: timedelta,
) -> Transition:
    if request_key:
        # The work of a request kept in the inbox is done with this transaction.
        inbox.forget(session, team_id=team_id, request_key=request_key)
    task = load_task(session, team_id=team_id, number=number, viewer=actor)
    if request_key and repo.request_seen(session, team_id=team_id, request_key=request_key):
        return Transition.unchanged(task)
    transition = step(task)
    if transition.event is None:
        return transition
    saved = repo.save_task(session, task=transition.after, now=transition.event.at)
    if not repo.add_event(session, task=saved, event=transition.event, request_key=request_key):
        raise repo.StaleTask(task.ref)  # the same request won a race elsewhere: redo, it is then a replay
    if after_save is not None:
        after_save(session, saved)
    queue_for_change(
        session,
        before=transition.before,
        after=saved,
        event=transition.event,
        now=transition.event.at,
        home_every=home_every,
    )
    return Transition(before=transition.before, after=saved, event=transition.event)


def check_step(rt: Runtime, *, team_id: str, actor: str, number: int, step: Step) -> None:
    """Would the step be allowed? For a form before it closes; nothing is written."""
    with rt.db.session_scope(write=False) as session:
        task = load_task(session, team_id=team_id, number=number, viewer=actor)
    step(task)


def load_task(session: Session, *, team_id: str, number: int, viewer: str) -> Task:
    """The task, for its owner or assignee; to anyone else it doesn't exist (nothing leaks)."""
    task = repo.get_task(session, team_id=team_id, number=number)
    if task is None or viewer not in (task.owner_id, task.assignee_id):
        raise NotFound(problem=Problem.NO_SUCH_TASK, details={"number": number})
    return task


# --- the assignee -----------------------------------------------------------------------


def accept_task(rt: Runtime, *, team_id: str, actor: str, number: int) -> Transition:
    return apply_step(
        rt, team_id=team_id, actor=actor, number=number, step=partial(core.accept, actor=actor, now=rt.now())
    )


def decline_task(
    rt: Runtime, *, team_id: str, actor: str, number: int, reason: str, request_key: str | None = None
) -> Transition:
    refuse_sensitive(reason)
    step = partial(core.decline, actor=actor, reason=reason, now=rt.now())
    return apply_step(rt, team_id=team_id, actor=actor, number=number, step=step, request_key=request_key)


def ask_question(
    rt: Runtime, *, team_id: str, actor: str, number: int, question: str, request_key: str | None = None
) -> Transition:
    refuse_sensitive(question)
    step = partial(core.ask, actor=actor, question=question, now=rt.now())
    return apply_step(rt, team_id=team_id, actor=actor, number=number, step=step, request_key=request_key)


def report_progress(
    rt: Runtime,
    *,
    team_id: str,
    actor: str,
    number: int,
    text: str,
    percent: int | None,
    request_key: str | None = None,
) -> Transition:
    refuse_sensitive(text)
    step = partial(core.report, actor=actor, text=text, percent=percent, now=rt.now())
    return apply_step(rt, team_id=team_id, actor=actor, number=number, step=step, request_key=request_key)


def deliver_task(
    rt: Runtime, *, team_id: str, actor: str, number: int, note: str, request_key: str | None = None
) -> Transition:
    refuse_sensitive(note)
    step = partial(core.deliver, actor=actor, note=note, now=rt.now())
    return apply_step(rt, team_id=team_id, actor=actor, number=number, step=step, request_key=request_key)


def flag_task(
    rt: Runtime,
    *,
    team_id: str,
    actor: str,
    number: int,
    health: Health,
    reason: str = "",
    request_key: str | None = None,
) -> Transition:
    """The assignee says how the task stands; at risk and blocked reach the owner at once."""
    refuse_sensitive(reason)
    step = partial(core.flag, actor=actor, health=health, reason=reason, now=rt.now())
    return apply_step(rt, team_id=team_id, actor=actor, number=number, step=step, request_key=request_key)


# --- the owner --------------------------------------------------------------------------


def answer_question(
    rt: Runtime, *, team_id: str, actor: str, number: int, answer: str, request_key: str | None = None
) -> Transition:
    refuse_sensitive(answer)
    step = partial(core.answer, actor=actor, text=answer, now=rt.now())
    return apply_step(rt, team_id=team_id, actor=actor, number=number, step=step, request_key=request_key)


def approve_task(rt: Runtime, *, team_id: str, actor: str, number: int) -> Transition:
    return apply_step(
        rt, team_id=team_id, actor=actor, number=number, step=partial(core.approve, actor=actor, now=rt.now())
    )


def request_changes(
    rt: Runtime, *, team_id: str, actor: str, number: int, reason: str, request_key: str | None = None
) -> Transition:
    refuse_sensitive(reason)
    step = partial(core.request_changes, actor=actor, reason=reason, now=rt.now())
    return apply_step(rt, team_id=team_id, actor=actor, number=number, step=step, request_key=request_key)


def edit_task(
    rt: Runtime,
    *,
    team_id: str,
    actor: str,
    number: int,
    title: str | None,
    done_when: str | None,
    due_text: str | None,
    request_key: str | None = None,
) -> Transition:
    """Change what the owner asked for; a due date is read in the owner's timezone."""
    step = _edit_step(
        rt, actor=actor, title=title, done_when=done_when, due_text=due_text,
        tz=lambda: people.timezone_of(rt, team_id=team_id, user_id=actor),
    )  # fmt: skip
    return apply_step(rt, team_id=team_id, actor=actor, number=number, step=step, request_key=request_key)


def check_edit(
    rt: Runtime, *, team_id: str, actor: str, number: int, title: str | None, done_when: str | None,
    due_text: str | None,
) -> None:  # fmt: skip
    """The edit form's checks while it is open: the owner's timezone as far as the cache knows."""
    step = _edit_step(
        rt, actor=actor, title=title, done_when=done_when, due_text=due_text,
        tz=lambda: people.cached_timezone(rt, team_id=team_id, user_id=actor),
    )  # fmt: skip
    check_step(rt, team_id=team_id, actor=actor, number=number, step=step)


def _edit_step(
    rt: Runtime, *, actor: str, title: str | None, done_when: str | None, due_text: str | None,
    tz: Callable[[], str],
) -> Step:  # fmt: skip
    for field, value, limit, what in (
        ("title", title, MAX_TITLE, "title"),
        ("done_when", done_when, MAX_DONE_WHEN, "definition of done"),
        ("due", due_text, MAX_DUE_TEXT, "due date"),
    ):
        with errors_on_field(field):
            refuse_sensitive(value)
            check_length(value, limit=limit, what=what)
    due_at = None
    if due_text:
        with errors_on_field("due"):
            due_at = parse_due(due_text, now=rt.now(), tz=tz(), workday_end=rt.settings.workday_end)
    changes = TaskChanges(title=title or None, done_when=done_when or None, due_at=due_at)
    return partial(core.edit, actor=actor, changes=changes, now=rt.now())


def reassign_task(
    rt: Runtime, *, team_id: str, actor: str, number: int, new_assignee: str, request_key: str | None = None
) -> Transition:
    """Hand the task to someone else; reassigning a series' latest open occurrence moves the series too."""
    people.require_assignable(rt, team_id=team_id, user_id=new_assignee)
    step = partial(core.reassign, actor=actor, new_assignee=new_assignee, now=rt.now())
    # In the same transaction: the next occurrences go to whoever has the latest one.
    return apply_step(
        rt, team_id=team_id, actor=actor, number=number, step=step, request_key=request_key,
        after_save=lambda session, task: series.follow_reassignment(session, task=task),
    )  # fmt: skip


def check_reassign(rt: Runtime, *, team_id: str, actor: str, number: int, new_assignee: str) -> None:
    """The reassign form's checks while it is open: the new assignee as far as the cache knows."""
    people.require_assignable_if_known(rt, team_id=team_id, user_id=new_assignee)
    step = partial(core.reassign, actor=actor, new_assignee=new_assignee, now=rt.now())
    check_step(rt, team_id=team_id, actor=actor, number=number, step=step)


def take_back_task(rt: Runtime, *, team_id: str, actor: str, number: int) -> Transition:
    step = partial(core.take_back, actor=actor, now=rt.now())
    return apply_step(rt, team_id=team_id, actor=actor, number=number, step=step)


def cancel_task(
    rt: Runtime, *, team_id: str, actor: str, number: int, reason: str = "", request_key: str | None = None
) -> Transition:
    refuse_sensitive(reason)
    step = partial(core.cancel, actor=actor, reason=reason, now=rt.now())
    return apply_step(rt, team_id=team_id, actor=actor, number=number, step=step, request_key=request_key)
