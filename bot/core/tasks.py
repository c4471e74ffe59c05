"""The task lifecycle: what each step changes on a task.

Each public function is one row of the lifecycle table (:data:`TRANSITIONS` in
:mod:`bot.core.lifecycle_table`, which says who may take it, from which states, to which
state): it takes the task as it is, the actor and the time, checks the row, and returns a
``Transition`` (the task after, plus the one line of history it adds) or raises a typed
error the actor can act on. Repeating an action
that already happened (a double click, a retried request) returns an unchanged transition,
so nothing is recorded or sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.core.errors import BadInput, NotAllowed, Problem
from bot.core.lifecycle_table import CLOSED_STATES as CLOSED_STATES
from bot.core.lifecycle_table import OPEN_STATES as OPEN_STATES
from bot.core.lifecycle_table import TRANSITIONS, Role, Status, Step


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
    # The assignee says how the task stands (from a nudge): on track, at risk or blocked.
    FLAGGED = "flagged"


class Health(StrEnum):
    """How the assignee last said the task stands; at risk and blocked reach the owner at once."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class Event:
    """One line of a task's history: who did what, when, with which words."""

    kind: EventKind
    actor_id: str
    at: datetime
    text: str | None = None
    # A reassignment: from whom to whom the task moved.
    from_id: str | None = None
    to_id: str | None = None


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
    # The assignee's last word on how it stands, and why (at risk, blocked).
    health: Health | None = None
    health_reason: str | None = None
    # The recurring series this task is an occurrence of.
    series_id: int | None = None
    # How that series repeats, as stored (bot.core.recurrence.from_stored reads it).
    repeats: str | None = None
    # The permalink of the Slack message it was delegated from ("Delegate this message").
    source_link: str | None = None
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
    source_link: str | None = None,
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
        source_link=source_link,
    )
    return Transition(before=task, after=task, event=Event(EventKind.CREATED, owner_id, now, title))


def check_assignee(*, owner_id: str, assignee_id: str) -> None:
    """Who a task may go to, as far as the task itself knows: anyone but its owner."""
    if assignee_id == owner_id:
        raise BadInput(problem=Problem.SELF_ASSIGNMENT)


# --- the assignee's actions -------------------------------------------------------------


def accept(task: Task, *, actor: str, now: datetime) -> Transition:
    if _already_done(task, actor, Step.ACCEPT):
        return Transition.unchanged(task)
    after = replace(task, status=Status.IN_PROGRESS, accepted_at=now)
    return _changed(task, after, EventKind.ACCEPTED, actor, now)


def decline(task: Task, *, actor: str, reason: str, now: datetime) -> Transition:
    if _already_done(task, actor, Step.DECLINE):
        return Transition.unchanged(task)
    reason = _required_text(reason, Step.DECLINE)
    after = replace(task, status=Status.DECLINED)
    return _changed(task, after, EventKind.DECLINED, actor, now, reason)


def ask(task: Task, *, actor: str, question: str, now: datetime) -> Transition:
    check_step(task, actor, Step.ASK)
    question = _required_text(question, Step.ASK)
    if task.open_question == question:
        return Transition.unchanged(task)
    return _changed(task, replace(task, open_question=question), EventKind.ASKED, actor, now, question)


def report(task: Task, *, actor: str, text: str, percent: int | None, now: datetime) -> Transition:
    check_step(task, actor, Step.REPORT)
    if percent is not None and not 0 <= percent <= 100:
        raise BadInput(problem=Problem.PERCENT_OUT_OF_RANGE, details={"number": task.number})
    line = text.strip() or f"{percent}% done"
    after = replace(task, progress_percent=percent if percent is not None else task.progress_percent)
    return _changed(task, after, EventKind.REPORTED, actor, now, _with_percent(line, percent))


def deliver(task: Task, *, actor: str, note: str, now: datetime) -> Transition:
    if _already_done(task, actor, Step.DELIVER):
        return Transition.unchanged(task)
    # Handing it back ends the assignee's word on how it stands: a blocked reason must not
    # outlive the delivery (nor come back as current when changes are requested).
    after = replace(
        task, status=Status.DELIVERED, delivered_at=now, progress_percent=100, health=None, health_reason=None
    )
    return _changed(task, after, EventKind.DELIVERED, actor, now, note.strip() or None)


def flag(task: Task, *, actor: str, health: Health, reason: str, now: datetime) -> Transition:
    """The assignee says how the task stands. At risk and blocked say why; on track needs no why.

    On track clears an earlier reason, and is a fresh word each time it is said (it answers
    a nudge's "how does it stand?", so it resets the chase); callers keep a double click
    single with the clicked message's request key. At risk or blocked with the same reason
    again changes nothing: the owner has heard it.
    """
    check_step(task, actor, Step.FLAG)
    why: str | None = None
    if health is not Health.ON_TRACK:
        why = _required_text(reason, Step.FLAG)
        if task.health is health and task.health_reason == why:
            return Transition.unchanged(task)
    after = replace(task, health=health, health_reason=why)
    return _changed(task, after, EventKind.FLAGGED, actor, now, _health_line(health, why))


def _health_line(health: Health, why: str | None) -> str:
    """The history line's words: the status, then why."""
    return f"{health.label}: {why}" if why else health.label


def read_health_line(text: str | None) -> tuple[Health | None, str | None]:
    """A FLAGGED event's words back as (status, why): what the owner's notice shows."""
    label, _, why = (text or "").partition(": ")
    by_label = {health.label: health for health in Health}
    return by_label.get(label), why or None


# --- the owner's actions ----------------------------------------------------------------


def answer(task: Task, *, actor: str, text: str, now: datetime) -> Transition:
    check_step(task, actor, Step.ANSWER)
    text = _required_text(text, Step.ANSWER)
    if task.open_question is None:
        return Transition.unchanged(task)  # already answered: a second submit does nothing
    return _changed(task, replace(task, open_question=None), EventKind.ANSWERED, actor, now, text)


def approve(task: Task, *, actor: str, now: datetime) -> Transition:
    if _already_done(task, actor, Step.APPROVE):
        return Transition.unchanged(task)
    after = replace(task, status=Status.APPROVED, closed_at=now, open_question=None)
    return _changed(task, after, EventKind.APPROVED, actor, now)


def request_changes(task: Task, *, actor: str, reason: str, now: datetime) -> Transition:
    check_step(task, actor, Step.REQUEST_CHANGES)
    reason = _required_text(reason, Step.REQUEST_CHANGES)
    after = replace(
        task,
        status=Status.IN_PROGRESS,
        rework_count=task.rework_count + 1,
        delivered_at=None,
        progress_percent=None,
    )
    return _changed(task, after, EventKind.CHANGES_REQUESTED, actor, now, reason)


def edit(task: Task, *, actor: str, changes: TaskChanges, now: datetime) -> Transition:
    check_step(task, actor, Step.EDIT)
    updates = {
        name: value
        for name, value in vars(changes).items()
        if value is not None and getattr(task, name) != value
    }
    if not updates:
        return Transition.unchanged(task)
    summary = ", ".join(FIELD_NAMES[name] for name in updates)
    return _changed(task, replace(task, **updates), EventKind.EDITED, actor, now, f"changed {summary}")


def reassign(task: Task, *, actor: str, new_assignee: str, now: datetime) -> Transition:
    check_step(task, actor, Step.REASSIGN)
    if new_assignee == task.owner_id:
        raise BadInput(problem=Problem.REASSIGN_TO_OWNER, details={"number": task.number})
    if new_assignee == task.assignee_id and task.status is not Status.DECLINED:
        return Transition.unchanged(task)
    after = replace(
        task,
        assignee_id=new_assignee,
        status=Status.AWAITING_ACCEPTANCE,
        open_question=None,
        progress_percent=None,
        accepted_at=None,
        delivered_at=None,
        # The previous assignee's word on how it stood is not the new one's.
        health=None,
        health_reason=None,
    )
    event = Event(EventKind.REASSIGNED, actor, now, from_id=task.assignee_id, to_id=new_assignee)
    return Transition(before=task, after=after, event=event)


def take_back(task: Task, *, actor: str, now: datetime) -> Transition:
    if _already_done(task, actor, Step.TAKE_BACK):
        return Transition.unchanged(task)
    after = replace(task, status=Status.TAKEN_BACK, closed_at=now, open_question=None)
    return _changed(task, after, EventKind.TAKEN_BACK, actor, now)


def cancel(task: Task, *, actor: str, reason: str = "", now: datetime) -> Transition:
    if _already_done(task, actor, Step.CANCEL):
        return Transition.unchanged(task)
    after = replace(task, status=Status.CANCELLED, closed_at=now, open_question=None)
    return _changed(task, after, EventKind.CANCELLED, actor, now, reason.strip() or None)


# --- rules shared by the rows above -----------------------------------------------------

# How an edit names each field in its history line ("changed definition of done, due date").
FIELD_NAMES = {"title": "title", "done_when": "definition of done", "due_at": "due date"}


def _changed(
    before: Task, after: Task, kind: EventKind, actor: str, now: datetime, text: str | None = None
) -> Transition:
    return Transition(before=before, after=after, event=Event(kind, actor, now, text))


def role_of(task: Task, person: str) -> Role | None:
    """Which side of the task ``person`` is on, if any."""
    if person == task.owner_id:
        return Role.OWNER
    if person == task.assignee_id:
        return Role.ASSIGNEE
    return None


def require_role(task: Task, actor: str, step: Step) -> None:
    """Refuse anyone but the side of the task that ``step`` belongs to."""
    role = TRANSITIONS[step].who
    if role_of(task, actor) is not role:
        person = task.owner_id if role is Role.OWNER else task.assignee_id
        raise NotAllowed(
            problem=Problem.WRONG_ROLE,
            details={"number": task.number, "step": step, "role": role, "person": person},
        )


def check_step(task: Task, actor: str, step: Step) -> None:
    """Refuse ``step`` unless ``actor`` is on the right side and the task is in a state it starts from."""
    require_role(task, actor, step)
    if task.status not in TRANSITIONS[step].from_states:
        raise NotAllowed(
            problem=Problem.WRONG_STATE,
            details={"number": task.number, "step": step, "state": task.status},
        )


def _already_done(task: Task, actor: str, step: Step) -> bool:
    """True when ``step`` has already happened (changing nothing); refuses what may not happen."""
    require_role(task, actor, step)
    if task.status in TRANSITIONS[step].done_in:
        return True
    check_step(task, actor, step)
    return False


def _required_text(text: str, step: Step) -> str:
    text = text.strip()
    if not text:
        raise BadInput(problem=Problem.EMPTY_TEXT, details={"step": step})
    return text


def _with_percent(line: str, percent: int | None) -> str:
    if percent is None or line.endswith(f"{percent}% done"):
        return line
    return f"{line} ({percent}%)"
