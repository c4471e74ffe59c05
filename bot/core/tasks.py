"""The task lifecycle: states, transitions and who may do what.

Each public function is one row of the lifecycle table in the guide: it takes the task as
it is, the actor and the time, and returns a ``Transition`` (the task after, plus the one
line of history it adds) or raises a typed error the actor can act on. Repeating an action
that already happened (a double click, a retried request) returns an unchanged transition,
so nothing is recorded or sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.core.errors import BadInput, NotAllowed


class Status(StrEnum):
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    IN_PROGRESS = "in_progress"
    DELIVERED = "delivered"
    DECLINED = "declined"
    APPROVED = "approved"
    CANCELLED = "cancelled"
    TAKEN_BACK = "taken_back"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in CLOSED_STATES


_STATUS_LABELS = {
    Status.AWAITING_ACCEPTANCE: "awaiting acceptance",
    Status.IN_PROGRESS: "in progress",
    Status.DELIVERED: "delivered, awaiting review",
    Status.DECLINED: "declined",
    Status.APPROVED: "approved",
    Status.CANCELLED: "cancelled",
    Status.TAKEN_BACK: "taken back",
}

CLOSED_STATES = frozenset({Status.APPROVED, Status.CANCELLED, Status.TAKEN_BACK})


class EventKind(StrEnum):
    CREATED = "created"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ASKED = "asked"
    ANSWERED = "answered"
    REPORTED = "reported"
    DELIVERED = "delivered"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    EDITED = "edited"
    REASSIGNED = "reassigned"
    TAKEN_BACK = "taken_back"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Event:
    """One line of a task's history: who did what, when, with which words."""

    kind: EventKind
    actor_id: str
    at: datetime
    text: str | None = None


@dataclass(frozen=True)
class Task:
    team_id: str
    number: int
    owner_id: str
    assignee_id: str
    title: str
    done_when: str | None
    due_at: datetime | None
    status: Status
    created_at: datetime
    rework_count: int = 0
    open_question: str | None = None
    progress_percent: int | None = None
    accepted_at: datetime | None = None
    delivered_at: datetime | None = None
    closed_at: datetime | None = None
    # The first task of a /delegate that named several people; each gets its own task.
    linked_to: int | None = None
    # Storage identity and optimistic-lock version; the core only carries them along.
    id: int | None = None
    version: int = 0

    @property
    def ref(self) -> str:
        return f"T-{self.number}"


@dataclass(frozen=True)
class Transition:
    before: Task
    after: Task
    event: Event | None

    @property
    def changed(self) -> bool:
        return self.event is not None

    @classmethod
    def unchanged(cls, task: Task) -> Transition:
        return cls(before=task, after=task, event=None)


@dataclass(frozen=True)
class TaskChanges:
    """What an owner's edit asks for; None means 'leave as is'."""

    title: str | None = None
    done_when: str | None = None
    due_at: datetime | None = None


def new_task(
    *,
    team_id: str,
    number: int,
    owner_id: str,
    assignee_id: str,
    title: str,
    done_when: str | None,
    due_at: datetime | None,
    now: datetime,
    linked_to: int | None = None,
) -> Transition:
    """Delegate: a new task offered to its assignee."""
    check_assignee(owner_id=owner_id, assignee_id=assignee_id)
    task = Task(
        team_id=team_id,
        number=number,
        owner_id=owner_id,
        assignee_id=assignee_id,
        title=title,
        done_when=done_when,
        due_at=due_at,
        status=Status.AWAITING_ACCEPTANCE,
        created_at=now,
        linked_to=linked_to,
    )
    return Transition(before=task, after=task, event=Event(EventKind.CREATED, owner_id, now, title))


def check_assignee(*, owner_id: str, assignee_id: str) -> None:
    """Who a task may go to, as far as the task itself knows: anyone but its owner."""
    if assignee_id == owner_id:
        raise BadInput(
            "You can't hand a task to yourself.",
            hint="Mention the person who should do it: `/delegate @alice Ship the report | due: friday`.",
        )


# --- the assignee's actions -------------------------------------------------------------


def accept(task: Task, *, actor: str, now: datetime) -> Transition:
    require_assignee(task, actor, "accept")
    if task.accepted_at is not None and task.status in (Status.IN_PROGRESS, Status.DELIVERED):
        return Transition.unchanged(task)
    _require_status(task, "accepted", Status.AWAITING_ACCEPTANCE)
    after = replace(task, status=Status.IN_PROGRESS, accepted_at=now)
    return _changed(task, after, EventKind.ACCEPTED, actor, now)


def decline(task: Task, *, actor: str, reason: str, now: datetime) -> Transition:
    require_assignee(task, actor, "decline")
    if task.status is Status.DECLINED:
        return Transition.unchanged(task)
    if task.status is Status.IN_PROGRESS:
        raise NotAllowed(
            f"You already accepted {task.ref}, so it can't be declined now.",
            hint="Ask the owner a question, or ask them to reassign it.",
        )
    _require_status(task, "declined", Status.AWAITING_ACCEPTANCE)
    reason = _required_text(reason, "Say why you decline, so the owner can find someone else.")
    after = replace(task, status=Status.DECLINED, closed_at=None)
    return _changed(task, after, EventKind.DECLINED, actor, now, reason)


def ask(task: Task, *, actor: str, question: str, now: datetime) -> Transition:
    require_assignee(task, actor, "ask about")
    question = _required_text(question, "Type your question for the owner.")
    if task.open_question == question:
        return Transition.unchanged(task)
    _require_status(task, "asked about", Status.AWAITING_ACCEPTANCE, Status.IN_PROGRESS)
    return _changed(task, replace(task, open_question=question), EventKind.ASKED, actor, now, question)


def report(task: Task, *, actor: str, text: str, percent: int | None, now: datetime) -> Transition:
    require_assignee(task, actor, "report on")
    if task.status is Status.AWAITING_ACCEPTANCE:
        raise NotAllowed(
            f"{task.ref} isn't accepted yet.", hint="Accept it first with the Accept button in your DM."
        )
    _require_status(task, "reported on", Status.IN_PROGRESS)
    if percent is not None and not 0 <= percent <= 100:
        raise BadInput(
            "Progress is a percentage from 0 to 100.", hint="For example: `/report T-12 drafted 40%`."
        )
    line = text.strip() or f"{percent}% done"
    after = replace(task, progress_percent=percent if percent is not None else task.progress_percent)
    return _changed(task, after, EventKind.REPORTED, actor, now, _with_percent(line, percent))


def deliver(task: Task, *, actor: str, note: str, now: datetime) -> Transition:
    require_assignee(task, actor, "deliver")
    if task.status is Status.DELIVERED:
        return Transition.unchanged(task)
    if task.status is Status.AWAITING_ACCEPTANCE:
        raise NotAllowed(
            f"{task.ref} isn't accepted yet.", hint="Accept it first with the Accept button in your DM."
        )
    _require_status(task, "delivered", Status.IN_PROGRESS)
    after = replace(task, status=Status.DELIVERED, delivered_at=now, progress_percent=100)
    return _changed(task, after, EventKind.DELIVERED, actor, now, note.strip() or None)


# --- the owner's actions ----------------------------------------------------------------


def answer(task: Task, *, actor: str, text: str, now: datetime) -> Transition:
    require_owner(task, actor, "answer questions on")
    text = _required_text(text, "Type your answer for the assignee.")
    if task.open_question is None:
        return Transition.unchanged(task)  # already answered: a second submit does nothing
    return _changed(task, replace(task, open_question=None), EventKind.ANSWERED, actor, now, text)


def approve(task: Task, *, actor: str, now: datetime) -> Transition:
    require_owner(task, actor, "approve")
    if task.status is Status.APPROVED:
        return Transition.unchanged(task)
    _require_status(task, "approved", Status.DELIVERED)
    after = replace(task, status=Status.APPROVED, closed_at=now, open_question=None)
    return _changed(task, after, EventKind.APPROVED, actor, now)


def request_changes(task: Task, *, actor: str, reason: str, now: datetime) -> Transition:
    require_owner(task, actor, "request changes on")
    _require_status(task, "sent back for changes", Status.DELIVERED)
    reason = _required_text(reason, "Say what needs to change, so the assignee knows what to do.")
    after = replace(
        task,
        status=Status.IN_PROGRESS,
        rework_count=task.rework_count + 1,
        delivered_at=None,
        progress_percent=None,
    )
    return _changed(task, after, EventKind.CHANGES_REQUESTED, actor, now, reason)


def edit(task: Task, *, actor: str, changes: TaskChanges, now: datetime) -> Transition:
    require_owner(task, actor, "edit")
    _require_open(task, "edited")
    updates = {
        name: value
        for name, value in vars(changes).items()
        if value is not None and getattr(task, name) != value
    }
    if not updates:
        return Transition.unchanged(task)
    summary = ", ".join(_FIELD_NAMES[name] for name in updates)
    return _changed(task, replace(task, **updates), EventKind.EDITED, actor, now, f"changed {summary}")


def reassign(task: Task, *, actor: str, new_assignee: str, now: datetime) -> Transition:
    require_owner(task, actor, "reassign")
    if new_assignee == task.owner_id:
        raise BadInput("That's you.", hint=f"To do it yourself, use `/tasks {task.ref} takeback`.")
    if new_assignee == task.assignee_id and task.status is not Status.DECLINED:
        return Transition.unchanged(task)
    _require_open(task, "reassigned")
    after = replace(
        task,
        assignee_id=new_assignee,
        status=Status.AWAITING_ACCEPTANCE,
        open_question=None,
        progress_percent=None,
        accepted_at=None,
        delivered_at=None,
    )
    return _changed(task, after, EventKind.REASSIGNED, actor, now, f"{task.assignee_id}->{new_assignee}")


def take_back(task: Task, *, actor: str, now: datetime) -> Transition:
    require_owner(task, actor, "take back")
    if task.status is Status.TAKEN_BACK:
        return Transition.unchanged(task)
    _require_open(task, "taken back")
    after = replace(task, status=Status.TAKEN_BACK, closed_at=now, open_question=None)
    return _changed(task, after, EventKind.TAKEN_BACK, actor, now)


def cancel(task: Task, *, actor: str, reason: str = "", now: datetime) -> Transition:
    require_owner(task, actor, "cancel")
    if task.status is Status.CANCELLED:
        return Transition.unchanged(task)
    _require_open(task, "cancelled")
    after = replace(task, status=Status.CANCELLED, closed_at=now, open_question=None)
    return _changed(task, after, EventKind.CANCELLED, actor, now, reason.strip() or None)


# --- rules shared by the rows above -----------------------------------------------------

_FIELD_NAMES = {"title": "title", "done_when": "definition of done", "due_at": "due date"}


def _changed(
    before: Task, after: Task, kind: EventKind, actor: str, now: datetime, text: str | None = None
) -> Transition:
    return Transition(before=before, after=after, event=Event(kind, actor, now, text))


def require_assignee(task: Task, actor: str, verb: str) -> None:
    if actor != task.assignee_id:
        raise NotAllowed(
            f"Only <@{task.assignee_id}>, who was asked to do {task.ref}, can {verb} it.",
            hint=f"You can see it with `/tasks {task.ref}`.",
        )


def require_owner(task: Task, actor: str, verb: str) -> None:
    if actor != task.owner_id:
        raise NotAllowed(
            f"Only <@{task.owner_id}>, who delegated {task.ref}, can {verb} it.",
            hint=f"You can see it with `/tasks {task.ref}`.",
        )


def _require_status(task: Task, done: str, *allowed: Status) -> None:
    if task.status not in allowed:
        raise NotAllowed(
            f"{task.ref} is {task.status.label}, so it can't be {done} now.",
            hint=f"See where it stands with `/tasks {task.ref}`.",
        )


def _require_open(task: Task, done: str) -> None:
    if not task.status.is_open:
        _require_status(task, done)  # always raises: no allowed states


def _required_text(text: str, hint: str) -> str:
    text = text.strip()
    if not text:
        raise BadInput("That can't be empty.", hint=hint)
    return text


def _with_percent(line: str, percent: int | None) -> str:
    if percent is None or line.endswith(f"{percent}% done"):
        return line
    return f"{line} ({percent}%)"
