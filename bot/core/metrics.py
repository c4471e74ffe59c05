"""Scorecards: how each assignee takes and delivers work, and how clearly each owner hands it off.

Everything here is read from tasks and their histories alone (events oldest first), so the
same figures come out wherever they are shown. The rules, in the order a handoff happens:

* **An offer** is one person's turn with a task: from the CREATED event (to the first
  assignee) or a REASSIGNED event (to its ``to_id``) until the next reassignment. A task
  reassigned once is two offers to two people, and each is scored only on its own events.
* **The window** ``[since, now]`` picks offers by when they were made and owners' tasks by
  when they were delegated: a handoff counts, with everything that followed it up to ``now``,
  in the window it started in. Overdue now and open load are a snapshot at ``now`` instead.
* **Acceptance rate**: accepted offers out of the offers that were answered or ghosted.
  **Ghosted**: never accepted nor declined, and either reassigned away or still waiting
  ``ghost_after`` (48 hours unless told) after it was made. An offer taken back or cancelled
  before any answer was withdrawn by its owner: it counts as received and in nothing else.
* **On time**: the offer's first delivery at or before the task's due date, among offers
  delivered on a task with a due date. The due date is the one the task has now: an edit
  does not record the old value, and a moved date is the one both sides agreed to.
* **First-pass approval**: approved offers with no changes requested along the way.
  **Average rework**: changes requested per delivered offer.
* **Overdue now**: tasks the person holds (awaiting their answer or in progress) past due.
  **Open load**: tasks on their plate: awaiting their answer, in progress or awaiting review.
* **Clarity** (per owner): the same reading of the handoff as :mod:`bot.core.fault_lines`, so
  a scorecard and a "why" never disagree. An edit records only which field changed, not
  from what, so: the definition of done and due date must pass
  :func:`bot.core.clarity.check_clarity` as they stand now (missing or vague now was missing
  or vague at delegation too), and the definition of done must not have been edited after
  the handoff (the first acceptance; edits before it are the owner clarifying the offer).
  A due date edit cannot tell "added" from "moved", so only a due date missing now counts.
* **Review time** (per owner): each delivery to the owner's approval or changes request;
  a delivery reassigned, taken back or cancelled before any verdict has no review time.

A rate with nothing to measure is None, never 0 % of nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.clarity import check_clarity
from bot.core.handoff import first_assignee, handed_off_at, outcome_edits_after
from bot.core.tasks import Event, Status, Task
from bot.core.tasks import EventKind as Kind

GHOST_AFTER = timedelta(hours=48)

History = tuple[Task, Sequence[Event]]

# Where an assignee's answer is still owed, where the ball is with them, and what is on their plate.
_HELD = frozenset({Status.AWAITING_ACCEPTANCE, Status.IN_PROGRESS})
_ON_PLATE = _HELD | {Status.DELIVERED}


@dataclass(frozen=True)
class Rate:
    """``hits`` out of ``out_of`` (never zero: no measure is None, not a Rate)."""

    hits: int
    out_of: int

    @property
    def percent(self) -> int:
        return round(100 * self.hits / self.out_of)


@dataclass(frozen=True)
class AssigneeCard:
    person: str
    received: int
    acceptance: Rate | None
    median_time_to_accept: timedelta | None
    on_time: Rate | None
    first_pass_approval: Rate | None
    average_rework: float | None
    overdue_now: int
    open_load: int
    ghosted: int


@dataclass(frozen=True)
class OwnerCard:
    person: str
    delegated: int
    clarity: Rate | None
    median_review_time: timedelta | None


@dataclass(frozen=True)
class Offer:
    """One person's turn with a task: the events from the offer to the next reassignment."""

    task: Task
    assignee: str
    at: datetime
    events: tuple[Event, ...]
    reassigned_away: bool

    def first(self, *kinds: Kind) -> Event | None:
        return next((event for event in self.events if event.kind in kinds), None)

    def count(self, kind: Kind) -> int:
        return sum(1 for event in self.events if event.kind is kind)


def offers(task: Task, history: Sequence[Event]) -> list[Offer]:
    """Split a task's history into its offers, oldest first."""
    assignee: str | None = first_assignee(task, history)
    at = task.created_at
    events: list[Event] = []
    found: list[Offer] = []
    for event in history:
        if event.kind is Kind.CREATED:
            at = event.at
        elif event.kind is Kind.REASSIGNED:
            found.append(Offer(task, assignee or task.assignee_id, at, tuple(events), True))
            assignee, at, events = event.to_id, event.at, []
        else:
            events.append(event)
    found.append(Offer(task, assignee or task.assignee_id, at, tuple(events), False))
    return found


def assignee_cards(
    histories: Iterable[History], *, since: datetime, now: datetime, ghost_after: timedelta = GHOST_AFTER
) -> dict[str, AssigneeCard]:
    """A card for everyone offered a task in the window or holding an open one now."""
    histories = list(histories)
    in_window: dict[str, list[Offer]] = {}
    for task, history in histories:
        for offer in offers(task, history):
            if since <= offer.at <= now:
                in_window.setdefault(offer.assignee, []).append(offer)
    held: dict[str, list[Task]] = {}  # each person's tasks as they stand now, grouped once
    for task, _ in histories:
        held.setdefault(task.assignee_id, []).append(task)
    people = set(in_window) | {task.assignee_id for task, _ in histories if task.status in _ON_PLATE}
    return {
        person: _assignee_card(person, in_window.get(person, []), held.get(person, []), now, ghost_after)
        for person in sorted(people)
    }


def _assignee_card(
    person: str, received: list[Offer], mine: list[Task], now: datetime, ghost_after: timedelta
) -> AssigneeCard:
    accepted = [offer for offer in received if _answer(offer) is Kind.ACCEPTED]
    declined = [offer for offer in received if _answer(offer) is Kind.DECLINED]
    ghosted = [offer for offer in received if _is_ghosted(offer, now, ghost_after)]
    delivered = [offer for offer in received if offer.first(Kind.DELIVERED)]
    timed = [offer for offer in delivered if offer.task.due_at is not None]
    approved = [offer for offer in received if offer.first(Kind.APPROVED)]
    first_pass = [offer for offer in approved if not offer.count(Kind.CHANGES_REQUESTED)]
    return AssigneeCard(
        person=person,
        received=len(received),
        acceptance=_rate(len(accepted), len(accepted) + len(declined) + len(ghosted)),
        median_time_to_accept=_median([_accepted_at(offer) - offer.at for offer in accepted]),
        on_time=_rate(sum(1 for offer in timed if _on_time(offer)), len(timed)),
        first_pass_approval=_rate(len(first_pass), len(approved)),
        average_rework=_mean([offer.count(Kind.CHANGES_REQUESTED) for offer in delivered]),
        overdue_now=sum(1 for task in mine if task.status in _HELD and _past_due(task, now)),
        open_load=sum(1 for task in mine if task.status in _ON_PLATE),
        ghosted=len(ghosted),
    )


def _answer(offer: Offer) -> Kind | None:
    """How the offer was first settled: accepted, declined, or withdrawn (taken back, cancelled)."""
    settled = offer.first(Kind.ACCEPTED, Kind.DECLINED, Kind.TAKEN_BACK, Kind.CANCELLED)
    return settled.kind if settled else None


def _is_ghosted(offer: Offer, now: datetime, ghost_after: timedelta) -> bool:
    if _answer(offer) is not None:
        return False
    return offer.reassigned_away or now - offer.at >= ghost_after


def _accepted_at(offer: Offer) -> datetime:
    accepted = offer.first(Kind.ACCEPTED)
    assert accepted is not None  # only called on accepted offers
    return accepted.at


def _on_time(offer: Offer) -> bool:
    delivery = offer.first(Kind.DELIVERED)
    due = offer.task.due_at
    return delivery is not None and due is not None and delivery.at <= due


def _past_due(task: Task, now: datetime) -> bool:
    return task.due_at is not None and task.due_at < now


def owner_cards(histories: Iterable[History], *, since: datetime, now: datetime) -> dict[str, OwnerCard]:
    """A card for everyone who delegated a task in the window."""
    delegated: dict[str, list[History]] = {}
    for task, history in histories:
        if since <= task.created_at <= now:
            delegated.setdefault(task.owner_id, []).append((task, history))
    return {person: _owner_card(person, delegated[person]) for person in sorted(delegated)}


def _owner_card(person: str, delegated: list[History]) -> OwnerCard:
    clear = sum(1 for task, history in delegated if _clear_at_delegation(task, history))
    reviews = [took for _, history in delegated for took in _review_times(history)]
    return OwnerCard(
        person=person,
        delegated=len(delegated),
        clarity=_rate(clear, len(delegated)),
        median_review_time=_median(reviews),
    )


def _clear_at_delegation(task: Task, history: Sequence[Event]) -> bool:
    if check_clarity(task.done_when, task.due_at):
        return False
    handoff = handed_off_at(history)
    if handoff is None:
        return True  # never accepted: handed off as it stands
    return not outcome_edits_after(history, handoff)


def _review_times(history: Sequence[Event]) -> list[timedelta]:
    """From each delivery to the owner's verdict on it (the lifecycle allows one verdict per delivery)."""
    took: list[timedelta] = []
    delivered_at: datetime | None = None
    for event in history:
        if event.kind is Kind.DELIVERED:
            delivered_at = event.at
        elif event.kind in (Kind.APPROVED, Kind.CHANGES_REQUESTED) and delivered_at is not None:
            took.append(event.at - delivered_at)
    return took


def _rate(hits: int, out_of: int) -> Rate | None:
    return Rate(hits, out_of) if out_of else None


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def accept_times(histories: Iterable[History], *, since: datetime, now: datetime) -> list[timedelta]:
    """How long each offer made in ``[since, now]`` and accepted took to accept, across everyone."""
    return [
        _accepted_at(offer) - offer.at
        for task, history in histories
        for offer in offers(task, history)
        if since <= offer.at <= now and _answer(offer) is Kind.ACCEPTED
    ]


def median_time_to_accept(
    histories: Iterable[History], *, since: datetime, now: datetime
) -> timedelta | None:
    """The team's median time to accept: the same offers as the cards, not a median of medians."""
    return _median(accept_times(histories, since=since, now=now))
