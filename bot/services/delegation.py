"""Handing a task to one or more people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session

from bot.core import tasks as core
from bot.core.clarity import ClarityFlag, check_clarity
from bot.core.dates import MAX_DUE_TEXT, parse_due
from bot.core.errors import BadInput, HandoffError, errors_on_field
from bot.core.parsing import MAX_DONE_WHEN, MAX_TITLE
from bot.core.recurrence import Recurrence, require_due
from bot.core.safety import refuse_sensitive
from bot.core.tasks import Task
from bot.outbox.intents import queue_for_change, queue_receipt
from bot.services import people, recurring
from bot.services.runtime import Runtime
from storage import inbox
from storage import repositories as repo
from storage.models import UserProfile

MAX_ASSIGNEES = 10


@dataclass(frozen=True)
class DelegateRequest:
    """What the owner asked for, from the command or the form, and the key of that request."""

    team_id: str
    owner_id: str
    assignee_ids: tuple[str, ...]
    title: str
    done_when: str | None
    due_text: str | None
    request_key: str
    every: Recurrence | None = None  # a recurring handoff: one series per assignee
    source_link: str | None = None  # the permalink of the message it was delegated from


@dataclass(frozen=True)
class NotOffered:
    """Someone the owner picked who can't take a task (a bot, a person who left)."""

    user_id: str
    reason: str


@dataclass(frozen=True)
class Delegation:
    tasks: list[Task]
    flags: tuple[ClarityFlag, ...]
    replayed: bool  # this request had been handled before (a retry); nothing new was sent
    not_offered: tuple[NotOffered, ...] = ()


def warm_up() -> None:
    """Load the date parser now: its first use costs about a second, which no request should pay."""
    parse_due("tomorrow 3pm", now=datetime(2026, 1, 1, tzinfo=UTC), tz="UTC", workday_end=time(17))


def check_locally(rt: Runtime, request: DelegateRequest) -> None:
    """Everything that can be checked without asking Slack, for a form while it is still open.

    People are checked as far as the profile cache knows them; the due date is read in the
    owner's cached timezone, or the workspace default when the owner isn't cached yet.
    """
    _check_text(request)
    _check_assignee_list(request)
    cached = people.cached_profiles(
        rt, team_id=request.team_id, user_ids=[request.owner_id, *request.assignee_ids]
    )
    with errors_on_field("assignees"):
        for assignee_id in request.assignee_ids:
            problem = people.why_not_assignable(cached[assignee_id]) if assignee_id in cached else None
            if problem is not None:
                raise problem
    owner = cached.get(request.owner_id)
    _due_at(
        rt, request, (owner.tz if owner else None) or people.workspace_timezone(rt, team_id=request.team_id)
    )


def delegate(
    rt: Runtime, request: DelegateRequest, *, receipt_by_dm: bool = False, skip_unassignable: bool = False
) -> Delegation:
    """Create one task per assignee and offer each by DM.

    Everything is checked before anything is written, so bad input leaves no trace; a
    replay of the same request (same ``request_key``) returns the tasks it created.
    ``receipt_by_dm`` queues the owner's summary too, for requests with no reply channel
    (the form); a command's summary is its reply. With ``skip_unassignable`` (a form that
    has already closed) people who can't take a task are left out and listed in
    ``not_offered`` instead of refusing the whole request.
    """
    _check_text(request)
    _check_assignee_list(request)
    found = people.profiles(rt, team_id=request.team_id, user_ids=_everyone(request))
    return _delegate_to(
        rt, request, found, receipt_by_dm=receipt_by_dm, skip_unassignable=skip_unassignable, kept=True
    )


def delegate_if_known(rt: Runtime, request: DelegateRequest) -> Delegation | None:
    """``delegate``, when the profile cache knows everyone; None when Slack must be asked first.

    Asking nothing of Slack, it can run before the ack, so a command from people the bot
    has seen today needs one transaction and no inbox row. Problems with the request are
    raised as by ``delegate``.
    """
    _check_text(request)
    _check_assignee_list(request)
    cached = people.cached_profiles(rt, team_id=request.team_id, user_ids=_everyone(request))
    if not cached.keys() >= set(_everyone(request)):
        return None
    return _delegate_to(rt, request, cached, receipt_by_dm=False, skip_unassignable=False, kept=False)


def _everyone(request: DelegateRequest) -> list[str]:
    return [request.owner_id, *request.assignee_ids]


def _delegate_to(
    rt: Runtime,
    request: DelegateRequest,
    found: dict[str, UserProfile],
    *,
    receipt_by_dm: bool,
    skip_unassignable: bool,
    kept: bool,
) -> Delegation:
    """The checks that need profiles, then one transaction; ``kept``: the inbox holds the request."""
    offered, not_offered = _who_can_take_it(request, found, skip=skip_unassignable)
    due_at = _due_at(
        rt, request, found[request.owner_id].tz or people.workspace_timezone(rt, team_id=request.team_id)
    )
    flags = check_clarity(request.done_when, due_at)
    if not offered and kept:
        rt.db.write(
            lambda session: inbox.forget(session, team_id=request.team_id, request_key=request.request_key)
        )
    if not offered:
        return Delegation(tasks=[], flags=flags, replayed=False, not_offered=not_offered)
    now = rt.now()

    def create(session: Session) -> tuple[list[Task], bool]:
        if kept:
            inbox.forget(session, team_id=request.team_id, request_key=request.request_key)
        plan = None
        if request.every is not None and due_at is not None:
            plan = recurring.plan_series(
                rt, session, team_id=request.team_id, owner_id=request.owner_id, every=request.every,
                first_due=due_at,
            )  # fmt: skip
        created, replayed = _create_all(
            session, request, offered, due_at=due_at, plan=plan, now=now,
            home_every=rt.settings.home_refresh_every,
        )  # fmt: skip
        if receipt_by_dm and not replayed:
            queue_receipt(session, tasks=created, request_key=request.request_key, now=now)
        return created, replayed

    # A lost race is the same request, double submitted: the second round sees its tasks.
    created, replayed = rt.db.write(create)
    # Also for a replay: the messages may have been queued by a process that was stopped
    # before it sent them (a worker finishing its last request as it shuts down).
    rt.messages_queued()
    return Delegation(tasks=created, flags=flags, replayed=replayed, not_offered=not_offered)


def _check_text(request: DelegateRequest) -> None:
    """The same rules as the command's grammar, so the form can't store more than it can."""
    for field, value, limit, prose in (
        ("title", request.title, MAX_TITLE, "title"),
        ("done_when", request.done_when, MAX_DONE_WHEN, "definition of done"),
        ("due", request.due_text, MAX_DUE_TEXT, "due date"),
    ):
        with errors_on_field(field):
            refuse_sensitive(value)
            check_length(value, limit=limit, what=prose)
    if not request.title.strip():
        raise BadInput("Give the task a short title.", field="title")
    require_due(request.every, request.due_text)


def check_length(value: str | None, *, limit: int, what: str) -> None:
    if value is not None and len(value) > limit:
        raise BadInput(
            f"The {what} is {len(value)} characters long; the limit is {limit}.",
            hint="Shorten it and send it again.",
        )


def _check_assignee_list(request: DelegateRequest) -> None:
    with errors_on_field("assignees"):
        if not request.assignee_ids:
            raise BadInput(
                "Who should do it?",
                hint="Mention them first: "
                "`/delegate @alice Ship the report | done when: PDF sent | due: fri`.",
            )
        if len(request.assignee_ids) > MAX_ASSIGNEES:
            raise BadInput(
                f"That's more than {MAX_ASSIGNEES} people.", hint="Hand it to fewer people at once."
            )
        for assignee_id in request.assignee_ids:
            core.check_assignee(owner_id=request.owner_id, assignee_id=assignee_id)


def _who_can_take_it(
    request: DelegateRequest, found: dict[str, UserProfile], *, skip: bool
) -> tuple[tuple[str, ...], tuple[NotOffered, ...]]:
    offered: list[str] = []
    not_offered: list[NotOffered] = []
    for assignee_id in request.assignee_ids:
        problem = people.why_not_assignable(found[assignee_id])
        if problem is None:
            offered.append(assignee_id)
        elif skip:
            not_offered.append(NotOffered(assignee_id, problem.message))
        else:
            raise problem.on_field("assignees")
    return tuple(offered), tuple(not_offered)


def _due_at(rt: Runtime, request: DelegateRequest, tz: str) -> datetime | None:
    if not request.due_text:
        return None
    with errors_on_field("due"):
        return parse_due(request.due_text, now=rt.now(), tz=tz, workday_end=rt.settings.workday_end)


def _create_all(
    session: Session,
    request: DelegateRequest,
    assignee_ids: Sequence[str],
    *,
    due_at: datetime | None,
    plan: recurring.Plan | None,
    now: datetime,
    home_every: timedelta,
) -> tuple[list[Task], bool]:
    team_id = request.team_id
    created: list[Task] = []
    for assignee_id in assignee_ids:
        series = None
        if plan is not None:
            # The series first: its first occurrence points at it.
            series = recurring.start_series(
                session, plan=plan, team_id=team_id, owner_id=request.owner_id, assignee_id=assignee_id,
                title=request.title, done_when=request.done_when, request_key=_key(request, assignee_id),
                now=now,
            )  # fmt: skip
        transition = core.new_task(
            team_id=team_id,
            number=0,  # numbered below, once everything else is written
            owner_id=request.owner_id,
            assignee_id=assignee_id,
            title=request.title,
            done_when=request.done_when,
            due_at=due_at,
            now=now,
            source_link=request.source_link,
        )
        # A retry finds the series written (None) and then its task too: the replay below.
        first = recurring.in_series(transition.after, series) if series else transition.after
        task = repo.add_task(
            session, task=first, request_key=_key(request, assignee_id), now=now, numbered=False
        )
        if task is None and not created:
            # The request's tasks are there already (all of them: they are written together),
            # so this is a retry or a double submission. No look before the insert: a new
            # request, the usual case, needs none.
            again = [
                repo.task_created_by(session, team_id=team_id, request_key=_key(request, a))
                for a in assignee_ids
            ]
            return [t for t in again if t is not None], True
        if task is None:  # a concurrent replay of this request won the race
            raise repo.StaleTask(request.request_key)
        assert transition.event is not None
        repo.add_event(session, task=task, event=transition.event)
        queue_for_change(
            session, before=task, after=task, event=transition.event, now=now, home_every=home_every
        )
        created.append(task)
    # The per-workspace counter is locked from here to commit: take it last.
    return repo.number_tasks(session, team_id=team_id, tasks=created), False


def _key(request: DelegateRequest, assignee_id: str) -> str:
    return f"{request.request_key}:{assignee_id}"


def not_offered_error(not_offered: Sequence[NotOffered]) -> HandoffError:
    """What the owner is told about the people a closed form named who can't take tasks."""
    lines = " ".join(n.reason for n in not_offered)
    return BadInput(f"No task was offered to them: {lines}", hint="Hand it to a person with `/delegate`.")
