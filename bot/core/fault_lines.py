"""Where did a handoff break? Fault lines read from a task's history alone.

A handoff went wrong when it was delivered late, had changes requested, was declined,
reassigned, taken back or cancelled, or is overdue now. For such a task,
:func:`fault_lines` names what went wrong along the way, each with who held the ball
(owner or assignee), when it started and for how long. A task that went well has none.
Codes and numbers only: the Slack layer words them.

The outcome at handoff. The history keeps no old definitions of done, only that one was
edited ("changed definition of done"). Handoff is the first acceptance (edits before it
are the owner clarifying the offer); a task never accepted was handed off as it stands.
So: still missing or vague now (:func:`bot.core.clarity.check_clarity`) means it was at
handoff too (OUTCOME_MISSING / OUTCOME_VAGUE); clear now but edited after handoff means it
was not settled at handoff (OUTCOME_CHANGED). ``count`` is the edits after handoff.
A due date edit cannot tell "added" from "moved", so DUE_MISSING is only said of a task
that has no due date now. Lateness is measured against the due date as it stands.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.clarity import ClarityCode, check_clarity
from bot.core.handoff import first_assignee, handed_off_at, outcome_edits_after
from bot.core.tasks import Event, EventKind, Status, Task


class FaultKind(StrEnum):
    """What went wrong, heaviest first (:func:`largest_fault` weighs by this order).

    Causes before symptoms: what the owner left open at handoff caused the rework and the
    waiting after it, so it weighs most; work redone or moved to someone else costs more
    than work waited on; how the task ended (taken back, cancelled) is the symptom itself.
    """

    OUTCOME_MISSING = "outcome_missing"
    OUTCOME_VAGUE = "outcome_vague"
    OUTCOME_CHANGED = "outcome_changed"
    DUE_MISSING = "due_missing"
    CHANGES_REQUESTED = "changes_requested"
    REASSIGNED = "reassigned"
    DECLINED = "declined"
    DELIVERED_LATE = "delivered_late"
    OVERDUE = "overdue"
    NO_REPORT = "no_report"
    QUESTION_OPEN = "question_open"
    OFFER_NOT_ACCEPTED = "offer_not_accepted"
    TAKEN_BACK = "taken_back"
    CANCELLED = "cancelled"


_K = FaultKind
# The outcomes that make a handoff one that went wrong.
FAILURES = frozenset({_K.DELIVERED_LATE, _K.CHANGES_REQUESTED, _K.DECLINED, _K.REASSIGNED})
FAILURES |= {_K.TAKEN_BACK, _K.CANCELLED, _K.OVERDUE}
OUTCOME_UNCLEAR = frozenset({_K.OUTCOME_MISSING, _K.OUTCOME_VAGUE, _K.OUTCOME_CHANGED})
_WEIGHT = {kind: rank for rank, kind in enumerate(FaultKind)}
_NONE = timedelta(0)


@dataclass(frozen=True)
class Limits:
    """Waits shorter than these are ordinary, not fault lines (the nudges' defaults)."""

    offer: timedelta = timedelta(hours=24)
    question: timedelta = timedelta(hours=8)
    silence: timedelta = timedelta(days=3)


@dataclass(frozen=True)
class FaultLine:
    """One thing that went wrong: who held the ball, from when, for how long.

    ``count``: rounds of changes, edits of the outcome after handoff, else 1.
    ``reasons``: the owner's words for each round of changes, a decline's or cancel's reason.
    ``to_id``: for a reassignment, who got the task (``holder_id`` had it).
    """

    kind: FaultKind
    holder_id: str
    started_at: datetime
    duration: timedelta
    count: int = 1
    reasons: tuple[str, ...] = ()
    to_id: str | None = None


def fault_lines(
    task: Task, history: Sequence[Event], now: datetime, limits: Limits | None = None
) -> tuple[FaultLine, ...]:
    """The fault lines of ``task`` in the order they started; none if the handoff went well."""
    limits = limits or Limits()
    end = task.closed_at or now
    lines = [
        *_outcome(task, history, end),
        *_offers(task, history, end, limits),
        *_questions(task, history, end, limits),
        *_silence(task, history, end, limits),
        *_rework(task, history, end),
        *_late_or_overdue(task, history, now),
        *_endings(task, history),
    ]
    if not any(line.kind in FAILURES for line in lines):
        return ()
    return tuple(sorted(lines, key=lambda line: line.started_at))


def largest_fault(lines: Iterable[FaultLine]) -> FaultLine | None:
    """The fault that weighed most: the heaviest kind (see :class:`FaultKind`), then the
    most rounds or edits, then the longest."""
    return min(lines, key=lambda line: (_WEIGHT[line.kind], -line.count, -line.duration), default=None)


_UNCLEAR_NOW = {ClarityCode.MISSING_OUTCOME: _K.OUTCOME_MISSING, ClarityCode.VAGUE_OUTCOME: _K.OUTCOME_VAGUE}


def _outcome(task: Task, history: Sequence[Event], end: datetime) -> list[FaultLine]:
    """The outcome and due date at handoff, as the module doc decides them."""
    edits = outcome_edits_after(history, handed_off_at(history) or end)
    codes = [flag.code for flag in check_clarity(task.done_when, task.due_at)]
    unclear = [_UNCLEAR_NOW[code] for code in codes if code in _UNCLEAR_NOW]
    owner, since = task.owner_id, task.created_at
    lines = [FaultLine(kind, owner, since, end - since, len(edits) or 1) for kind in unclear]
    if edits and not unclear:
        lines.append(FaultLine(_K.OUTCOME_CHANGED, owner, since, edits[-1] - since, len(edits)))
    if ClarityCode.MISSING_DUE in codes:
        lines.append(FaultLine(_K.DUE_MISSING, owner, since, end - since))
    return lines


def _offers(task: Task, history: Sequence[Event], end: datetime, limits: Limits) -> list[FaultLine]:
    """Each offer (the delegation, each reassignment) until it was answered, moved or closed."""
    lines: list[FaultLine] = []
    offered: tuple[str, datetime] | None = None
    for event in history:
        if offered is not None and event.kind in _OFFER_ENDS:
            holder, since = offered
            if event.kind is EventKind.DECLINED:
                reasons = (event.text,) if event.text else ()
                lines.append(FaultLine(FaultKind.DECLINED, holder, since, event.at - since, 1, reasons))
            elif event.at - since > limits.offer:
                lines.append(FaultLine(FaultKind.OFFER_NOT_ACCEPTED, holder, since, event.at - since))
            offered = None
        if event.kind is EventKind.CREATED:
            offered = (first_assignee(task, history), event.at)
        elif event.kind is EventKind.REASSIGNED and event.to_id:
            offered = (event.to_id, event.at)
    if offered is not None and task.status is Status.AWAITING_ACCEPTANCE and end - offered[1] > limits.offer:
        lines.append(FaultLine(FaultKind.OFFER_NOT_ACCEPTED, offered[0], offered[1], end - offered[1]))
    return lines


_E = EventKind
_OFFER_ENDS = frozenset({_E.ACCEPTED, _E.DECLINED, _E.REASSIGNED, _E.TAKEN_BACK, _E.CANCELLED})
# What closes an open question besides its answer: the task moved on or ended.
_QUESTION_ENDS = frozenset({_E.ANSWERED, _E.REASSIGNED, _E.APPROVED, _E.TAKEN_BACK, _E.CANCELLED})


def _questions(task: Task, history: Sequence[Event], end: datetime, limits: Limits) -> list[FaultLine]:
    """Each question from its first asking until the owner answered (the owner's side)."""
    lines: list[FaultLine] = []
    asked_at: datetime | None = None
    for event in [*history, None]:
        if asked_at is not None and (event is None or event.kind in _QUESTION_ENDS):
            closed = end if event is None else event.at
            if closed - asked_at > limits.question:
                lines.append(FaultLine(FaultKind.QUESTION_OPEN, task.owner_id, asked_at, closed - asked_at))
            asked_at = None
        if event is not None and event.kind is EventKind.ASKED and asked_at is None:
            asked_at = event.at
    return lines


# The assignee's words that break a silence while the work is in progress.
_SIGNS_OF_LIFE = frozenset({_E.REPORTED, _E.FLAGGED, _E.ASKED})
_WORK_STARTS = frozenset({_E.ACCEPTED, _E.CHANGES_REQUESTED})
_WORK_STOPS = frozenset({_E.DELIVERED, _E.REASSIGNED, _E.TAKEN_BACK, _E.CANCELLED})


def _silence(task: Task, history: Sequence[Event], end: datetime, limits: Limits) -> list[FaultLine]:
    """The longest stretch in progress without a word from the assignee."""
    longest: FaultLine | None = None
    quiet_since: datetime | None = None
    holder = first_assignee(task, history)
    for event in [*history, None]:
        at, stops = (end, True) if event is None else (event.at, event.kind in _WORK_STOPS | _SIGNS_OF_LIFE)
        if quiet_since is not None and stops and (longest is None or at - quiet_since > longest.duration):
            longest = FaultLine(FaultKind.NO_REPORT, holder, quiet_since, at - quiet_since)
        if event is None:
            break
        if event.kind is EventKind.REASSIGNED and event.to_id:
            holder = event.to_id
        if event.kind in _WORK_STARTS or (quiet_since is not None and event.kind in _SIGNS_OF_LIFE):
            quiet_since = event.at
        elif event.kind in _WORK_STOPS:
            quiet_since = None
    return [longest] if longest is not None and longest.duration > limits.silence else []


def _rework(task: Task, history: Sequence[Event], end: datetime) -> list[FaultLine]:
    """All rounds of changes in one line: the first request to the last delivery after it."""
    rounds = [e for e in history if e.kind is EventKind.CHANGES_REQUESTED]
    if not rounds:
        return []
    until = max((e.at for e in history if e.kind is _E.DELIVERED and e.at > rounds[-1].at), default=end)
    reasons, start = tuple(e.text or "" for e in rounds), rounds[0].at
    # Held by who delivered the work sent back, even if the task moved on to someone else.
    sent_back = [e.actor_id for e in history if e.kind is EventKind.DELIVERED and e.at <= start]
    holder = sent_back[-1] if sent_back else task.assignee_id
    return [FaultLine(_K.CHANGES_REQUESTED, holder, start, until - start, len(rounds), reasons)]


def _late_or_overdue(task: Task, history: Sequence[Event], now: datetime) -> list[FaultLine]:
    """The last delivery after the due date, or an open task past due that is not with the owner."""
    if task.due_at is None:
        return []
    deliveries = [e for e in history if e.kind is EventKind.DELIVERED]
    if deliveries and task.status in (Status.DELIVERED, Status.APPROVED):
        last = deliveries[-1]
        late = last.at - task.due_at
        return [FaultLine(FaultKind.DELIVERED_LATE, last.actor_id, task.due_at, late)] if late > _NONE else []
    if task.status in (Status.IN_PROGRESS, Status.AWAITING_ACCEPTANCE) and now > task.due_at:
        return [FaultLine(FaultKind.OVERDUE, task.assignee_id, task.due_at, now - task.due_at)]
    return []


def _endings(task: Task, history: Sequence[Event]) -> list[FaultLine]:
    """Reassignments, and the owner ending the task: each from when the holder got it."""
    lines: list[FaultLine] = []
    holder, since = first_assignee(task, history), task.created_at
    for event in history:
        if event.kind is EventKind.REASSIGNED:
            held = event.at - since
            lines.append(FaultLine(_K.REASSIGNED, event.from_id or holder, since, held, to_id=event.to_id))
            holder, since = event.to_id or holder, event.at
        elif event.kind in (EventKind.TAKEN_BACK, EventKind.CANCELLED):
            kind = FaultKind.TAKEN_BACK if event.kind is EventKind.TAKEN_BACK else FaultKind.CANCELLED
            reasons = (event.text,) if event.text else ()
            lines.append(FaultLine(kind, task.owner_id, since, event.at - since, 1, reasons))
    return lines


# --- many tasks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FaultTally:
    """One person's tasks (as owner, or as assignee) and the fault lines on them."""

    person_id: str
    tasks: int = 0
    went_wrong: int = 0
    faults: Mapping[FaultKind, int] = field(default_factory=dict)  # tasks with this kind
    held: Mapping[FaultKind, int] = field(default_factory=dict)  # of those, where this person held it
    reworked: int = 0
    reworked_unclear: int = 0  # reworked with the outcome missing, vague or changed

    @property
    def reworked_unclear_share(self) -> float | None:
        """E.g. the share of an owner's reworked tasks that had no clear definition of done."""
        return self.reworked_unclear / self.reworked if self.reworked else None


def tally(cases: Iterable[tuple[Task, Sequence[FaultLine]]], *, as_owner: bool) -> dict[str, FaultTally]:
    """Fault lines per owner (``as_owner``) or per current assignee, from precomputed lines."""
    found: dict[str, _Counts] = defaultdict(_Counts)
    for task, lines in cases:
        person = task.owner_id if as_owner else task.assignee_id
        counts = found[person]
        kinds = {line.kind for line in lines}
        counts.tasks += 1
        counts.went_wrong += bool(lines)
        counts.faults.update(kinds)
        counts.held.update({line.kind for line in lines if line.holder_id == person})
        if _K.CHANGES_REQUESTED in kinds:
            counts.reworked += 1
            counts.reworked_unclear += bool(kinds & OUTCOME_UNCLEAR)
    return {person: counts.tally(person) for person, counts in found.items()}


@dataclass
class _Counts:
    """What :func:`tally` adds up for one person (plain ints: it runs over every task of a window)."""

    tasks: int = 0
    went_wrong: int = 0
    reworked: int = 0
    reworked_unclear: int = 0
    faults: Counter[FaultKind] = field(default_factory=Counter)
    held: Counter[FaultKind] = field(default_factory=Counter)

    def tally(self, person: str) -> FaultTally:
        return FaultTally(
            person,
            tasks=self.tasks,
            went_wrong=self.went_wrong,
            faults=dict(self.faults),
            held=dict(self.held),
            reworked=self.reworked,
            reworked_unclear=self.reworked_unclear,
        )
