"""Nudge policy: which reminders a task is due, to whom, and when to look at it again.

Pure: ``decide(task, history, now, settings, calendars)`` returns the nudges to queue now
and the moment the task needs looking at next. The sweep (``bot.services.sweep``) feeds it
the tasks whose check is due and records what it decides under each nudge's unique key
(task, kind, recipient, period), so deciding twice queues once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.core.clarity import check_clarity
from bot.core.tasks import Status, Task
from bot.core.working_time import WorkingTime


class NudgeKind(StrEnum):
    ACK_REMINDER = "ack_reminder"  # assignee: not accepted yet
    ACK_ESCALATION = "ack_escalation"  # owner: still not accepted; reassign or take back
    UNCLEAR = "unclear"  # owner: no definition of done, a vague one, or no due date
    QUESTION = "question"  # owner: the assignee's question is unanswered
    DUE_SOON = "due_soon"  # assignee: due soon, no word lately; on track / at risk / blocked
    OVERDUE = "overdue"  # assignee and owner: past due, repeated with how late
    REPORT_DUE = "report_due"  # assignee: in progress, silent for a while
    REVIEW = "review"  # owner: delivered, not reviewed


@dataclass(frozen=True)
class NudgeSettings:
    """The thresholds (``NUDGE_*`` and ``ESCALATE_AFTER`` in the environment, per workspace)."""

    ack_after: timedelta = timedelta(hours=4)
    escalate_after: timedelta = timedelta(days=1)
    unclear_after: timedelta = timedelta(hours=2)
    question_after: timedelta = timedelta(hours=4)
    due_soon: timedelta = timedelta(days=1)
    repeat_every: timedelta = timedelta(days=1)
    report_every: timedelta = timedelta(days=2)
    review_after: timedelta = timedelta(days=1)


# The environment variable behind each threshold, for settings and messages.
SETTING_NAMES: Mapping[str, str] = {
    "ack_after": "NUDGE_ACK_AFTER",
    "escalate_after": "ESCALATE_AFTER",
    "unclear_after": "NUDGE_UNCLEAR_AFTER",
    "question_after": "NUDGE_QUESTION_AFTER",
    "due_soon": "NUDGE_DUE_SOON",
    "repeat_every": "NUDGE_REPEAT_EVERY",
    "report_every": "NUDGE_REPORT_EVERY",
    "review_after": "NUDGE_REVIEW_AFTER",
}


@dataclass(frozen=True)
class History:
    """What the policy needs from a task's past, beyond the task itself.

    ``offered_at``: when the current assignee was handed the task (created or reassigned).
    ``last_word_at``: the assignee's latest report or status (on track / at risk / blocked).
    ``question_at``: when the open question was asked (None when none is open).
    ``unclear_since``: when the task became unclear (created or edited so), None if clear.
    ``last_nudged``: (kind, recipient) → when that nudge was last decided.
    ``snoozed_until``: recipient → no nudges to them about this task before then.
    """

    offered_at: datetime
    last_word_at: datetime | None = None
    question_at: datetime | None = None
    unclear_since: datetime | None = None
    last_nudged: Mapping[tuple[NudgeKind, str], datetime] = field(default_factory=dict)
    snoozed_until: Mapping[str, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class Nudge:
    kind: NudgeKind
    recipient_id: str
    # With task, kind and recipient, the unique key: the same situation decided twice
    # (two sweeps, a retried sweep) yields the same period, so it is queued once.
    period: str
    late_by: timedelta | None = None  # overdue nudges: how late the task is


@dataclass(frozen=True)
class Decision:
    nudges: tuple[Nudge, ...]
    next_check_at: datetime | None  # None: nothing can fall due any more (a closed task)


@dataclass(frozen=True)
class _Chase:
    """One reminder a task's situation calls for, before working time and snoozes.

    ``anchor`` is when the situation began (the offer, the question, the due date...): it
    names the period, so a new situation (a re-offer, a new question) gets new keys, and
    nudges decided before it do not count against it. ``first`` is when the first nudge is
    due; later ones follow ``repeat_every`` after the last one decided, unless ``once``.
    """

    kind: NudgeKind
    recipient_id: str
    anchor: datetime
    first: datetime
    once: bool = False
    # The nudge is dropped when it could only go out at or after this moment.
    until: datetime | None = None


# Assignee chases that an open question pauses: they are waiting on the owner.
_PAUSED_BY_QUESTION = frozenset(
    {NudgeKind.ACK_REMINDER, NudgeKind.DUE_SOON, NudgeKind.REPORT_DUE, NudgeKind.OVERDUE}
)
_UNCLEAR_STATES = frozenset({Status.AWAITING_ACCEPTANCE, Status.IN_PROGRESS})
_OVERDUE_STATES = frozenset({Status.AWAITING_ACCEPTANCE, Status.IN_PROGRESS})
_SHORTEST_REPEAT = timedelta(seconds=1)  # a zero repeat would nudge on every sweep


def decide(
    task: Task,
    history: History,
    *,
    now: datetime,
    settings: NudgeSettings,
    calendars: Mapping[str, WorkingTime],
) -> Decision:
    """The nudges due now for ``task`` and when to look again; ``calendars`` maps user id → calendar.

    A recipient missing from ``calendars`` is treated as always working: nudges to them go
    out the moment they are due. Each chase's next nudge is due at its threshold, or
    ``repeat_every`` after the last one decided for the same (kind, recipient) in the same
    situation; it goes out at the recipient's next working moment at or after that, and not
    before their snooze ends. A nudge held for working time keeps the period it was due in.

    Declined tasks wait on the owner, who was told of the decline at once: the assignee is
    not chased any more, and the owner is reminded only once the due date passes (OVERDUE,
    repeated), since then nobody holds a task that is late.

    ``next_check_at`` is the earliest moment another nudge goes out, counting the repeats of
    the ones decided now as if they were recorded at ``now``; None when nothing can fall
    due without the task changing (a closed task, a declined one without a due date).
    """
    repeat = max(settings.repeat_every, _SHORTEST_REPEAT)
    nudges: list[Nudge] = []
    upcoming: list[datetime] = []
    for chase in _chases(task, history, settings):
        due = _due(chase, history, repeat)
        release = None if due is None else _release(chase, max(due, now), history, calendars)
        if due is None or release is None:
            continue
        if release > now:
            upcoming.append(release)
            continue
        late_by = now - chase.anchor if chase.kind is NudgeKind.OVERDUE else None  # from the due date
        nudges.append(Nudge(chase.kind, chase.recipient_id, _period(chase, due, repeat), late_by))
        again = None if chase.once else _release(chase, now + repeat, history, calendars)
        if again is not None:
            upcoming.append(again)
    return Decision(tuple(nudges), min(upcoming, default=None))


def _chases(task: Task, history: History, settings: NudgeSettings) -> Iterator[_Chase]:
    """Every reminder the task's situation calls for, whether due yet or not."""
    question_open = task.open_question is not None
    for chase in _situation(task, history, settings):
        if question_open and chase.recipient_id == task.assignee_id and chase.kind in _PAUSED_BY_QUESTION:
            continue  # the assignee waits on the owner's answer
        yield chase


def _situation(task: Task, history: History, s: NudgeSettings) -> Iterator[_Chase]:
    owner, assignee, status = task.owner_id, task.assignee_id, task.status
    if status is Status.AWAITING_ACCEPTANCE:
        offered = history.offered_at
        yield _Chase(NudgeKind.ACK_REMINDER, assignee, offered, offered + s.ack_after)
        yield _Chase(NudgeKind.ACK_ESCALATION, owner, offered, offered + s.ack_after + s.escalate_after)
    if status in _UNCLEAR_STATES and history.unclear_since is not None:
        since = history.unclear_since
        yield _Chase(NudgeKind.UNCLEAR, owner, since, since + s.unclear_after)
    if status.is_open and task.open_question is not None and history.question_at is not None:
        asked = history.question_at
        yield _Chase(NudgeKind.QUESTION, owner, asked, asked + s.question_after)
    if status is Status.IN_PROGRESS:
        yield from _progress(task, history, s)
    if status in _OVERDUE_STATES and task.due_at is not None:
        yield _Chase(NudgeKind.OVERDUE, assignee, task.due_at, task.due_at)
    if status in (*_OVERDUE_STATES, Status.DECLINED) and task.due_at is not None:
        yield _Chase(NudgeKind.OVERDUE, owner, task.due_at, task.due_at)
    if status is Status.DELIVERED and task.delivered_at is not None:
        delivered = task.delivered_at
        yield _Chase(NudgeKind.REVIEW, owner, delivered, delivered + s.review_after)


def _progress(task: Task, history: History, s: NudgeSettings) -> Iterator[_Chase]:
    """Due-soon and report chases of a task in progress.

    The assignee's last sign of life is their latest word or, failing that, their acceptance
    (accepting an hour before the due date is word enough for that window). Due soon goes
    out once per due date, only while the task is not yet overdue. A report is not asked
    for once due soon covers it (in the due window with no word in it) or overdue does.
    """
    assignee = task.assignee_id
    heard = max(t for t in (task.accepted_at, history.last_word_at, history.offered_at) if t is not None)
    report_until = None
    if task.due_at is not None:
        window = task.due_at - s.due_soon
        if heard < window:
            yield _Chase(NudgeKind.DUE_SOON, assignee, task.due_at, window, once=True, until=task.due_at)
            report_until = window
        else:
            report_until = task.due_at
    yield _Chase(NudgeKind.REPORT_DUE, assignee, heard, heard + s.report_every, until=report_until)


def _due(chase: _Chase, history: History, repeat: timedelta) -> datetime | None:
    """When the chase's next nudge is due, before working time and snoozes (None: never again)."""
    last = history.last_nudged.get((chase.kind, chase.recipient_id))
    if last is None or last < _counts_from(chase):
        return chase.first
    if chase.once:
        return None  # already decided in this situation
    return max(chase.first, last + repeat)


def _counts_from(chase: _Chase) -> datetime:
    """Nudges decided before this moment belong to an earlier situation.

    For due soon that is the start of its window (its anchor is the due date, a nudge sent
    in the window counts); for every other chase, the anchor.
    """
    return chase.first if chase.once else chase.anchor


def _release(
    chase: _Chase, due: datetime, history: History, calendars: Mapping[str, WorkingTime]
) -> datetime | None:
    """When a nudge due at ``due`` may go out: after any snooze, in the recipient's working time.

    ``due`` is never before the sweep's now: a nudge that fell due while no sweep ran still
    waits for working time. None when that is too late for the chase (a due-soon nudge
    that could only go out once the task is overdue).
    """
    snoozed = history.snoozed_until.get(chase.recipient_id)
    at = due if snoozed is None else max(due, snoozed)
    calendar = calendars.get(chase.recipient_id)
    release = at if calendar is None else calendar.next_working(at)
    if chase.until is not None and release >= chase.until:
        return None
    return release


def _period(chase: _Chase, due: datetime, repeat: timedelta) -> str:
    """The situation's anchor and which repeat this is: the same for the same history."""
    index = (due - chase.first) // repeat
    return f"{chase.anchor.astimezone(UTC):%Y%m%dT%H%M%SZ}+{index}"


_ASSIGNEE_KINDS = frozenset({NudgeKind.ACK_REMINDER, NudgeKind.DUE_SOON, NudgeKind.REPORT_DUE})


def still_applies(kind: NudgeKind, task: Task, recipient_id: str, *, now: datetime) -> bool:
    """At send time: whether a queued nudge still makes sense for the task as it is now.

    Nothing is sent for a closed task; a nudge meant for the assignee goes only to the
    current one, and not while their question is open; each kind only while its situation
    lasts (awaiting acceptance, unclear, a question open, due soon, overdue, delivered).
    """
    status = task.status
    if not status.is_open:
        return False
    to_owner = recipient_id == task.owner_id
    to_assignee = recipient_id == task.assignee_id and task.open_question is None
    if kind in _ASSIGNEE_KINDS and not to_assignee:
        return False
    due = task.due_at
    match kind:
        case NudgeKind.ACK_REMINDER:
            return status is Status.AWAITING_ACCEPTANCE
        case NudgeKind.ACK_ESCALATION:
            return to_owner and status is Status.AWAITING_ACCEPTANCE
        case NudgeKind.UNCLEAR:
            return to_owner and status in _UNCLEAR_STATES and bool(check_clarity(task.done_when, due))
        case NudgeKind.QUESTION:
            return to_owner and task.open_question is not None
        case NudgeKind.DUE_SOON:
            return status is Status.IN_PROGRESS and due is not None and now < due
        case NudgeKind.REPORT_DUE:
            return status is Status.IN_PROGRESS
        case NudgeKind.OVERDUE:
            if due is None or now < due:
                return False
            if to_owner:
                return status in (*_OVERDUE_STATES, Status.DECLINED)
            return to_assignee and status in _OVERDUE_STATES
        case NudgeKind.REVIEW:
            return to_owner and status is Status.DELIVERED
    return False


def chase_now(task: Task, *, now: datetime) -> NudgeKind | None:
    """The reminder an owner's "Nudge now" sends the assignee, or None when there is nothing
    to chase them about: the task is closed, or the ball is in the owner's court (a delivery
    to review, a decline, the assignee's open question)."""
    if task.open_question is not None:
        return None
    if task.status is Status.AWAITING_ACCEPTANCE:
        return NudgeKind.ACK_REMINDER
    if task.status is not Status.IN_PROGRESS:
        return None
    if task.due_at is None:
        return NudgeKind.REPORT_DUE
    return NudgeKind.OVERDUE if now >= task.due_at else NudgeKind.DUE_SOON
