"""Scorecards and "why": task histories loaded for a window or a task, handed to the core.

Every figure is the core's (:mod:`bot.core.metrics`, :mod:`bot.core.fault_lines`); this
module only decides what to load. The fault tallies count every task of the window as
:func:`storage.histories.task_histories` reads it (open at some moment in it), so a task
delegated earlier and still overdue now counts against the window it is overdue in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.core import fault_lines as faults
from bot.core import metrics
from bot.core.fault_lines import FaultLine, FaultTally
from bot.core.metrics import AssigneeCard, OwnerCard
from bot.core.summary_grammar import DEFAULT_WINDOW_DAYS
from bot.core.tasks import Task
from bot.services import queries
from bot.services.runtime import Runtime
from storage.histories import task_histories


@dataclass(frozen=True)
class Card:
    """One person's figures on both sides, as the scorecard blocks take them."""

    person_id: str
    assignee: AssigneeCard | None
    owner: OwnerCard | None
    tally_as_owner: FaultTally | None
    tally_as_assignee: FaultTally | None


@dataclass(frozen=True)
class Stats:
    """Scorecards over ``[since, now]``: everyone's, or only ``person``'s when one was asked for."""

    viewer: str
    person: str | None
    days: int
    since: datetime
    now: datetime
    assignees: dict[str, AssigneeCard] = field(default_factory=dict)
    owners: dict[str, OwnerCard] = field(default_factory=dict)
    tallies_as_owner: dict[str, FaultTally] = field(default_factory=dict)
    tallies_as_assignee: dict[str, FaultTally] = field(default_factory=dict)

    def card(self, person_id: str) -> Card:
        return Card(
            person_id,
            self.assignees.get(person_id),
            self.owners.get(person_id),
            self.tallies_as_owner.get(person_id),
            self.tallies_as_assignee.get(person_id),
        )


def stats(
    rt: Runtime,
    *,
    team_id: str,
    viewer: str,
    person: str | None = None,
    days: int = DEFAULT_WINDOW_DAYS,
    now: datetime | None = None,
) -> Stats:
    """Scorecards for the last ``days`` days: ``person``'s tasks only, or the whole team's."""
    now = now or rt.now()
    with rt.db.session_scope(write=False) as session:
        return read_stats(session, team_id=team_id, viewer=viewer, person=person, days=days, now=now)


def read_stats(
    session: Session, *, team_id: str, viewer: str, person: str | None, days: int, now: datetime
) -> Stats:
    """:func:`stats` read in the caller's session (the Home tab reads it in the outbox's claim)."""
    since = now - timedelta(days=days)
    histories = task_histories(session, team_id=team_id, since=since, person=person)
    cases = [(task, faults.fault_lines(task, history, now)) for task, history in histories]
    return Stats(
        viewer=viewer,
        person=person,
        days=days,
        since=since,
        now=now,
        assignees=metrics.assignee_cards(histories, since=since, now=now),
        owners=metrics.owner_cards(histories, since=since, now=now),
        tallies_as_owner=faults.tally(cases, as_owner=True),
        tallies_as_assignee=faults.tally(cases, as_owner=False),
    )


@dataclass(frozen=True)
class Why:
    """Where one task's handoff broke: its fault lines in order, and the one that weighed most."""

    task: Task
    lines: tuple[FaultLine, ...]
    largest: FaultLine | None
    now: datetime


def why(rt: Runtime, *, team_id: str, viewer: str, number: int, now: datetime | None = None) -> Why:
    """Task ``number``'s fault lines, for its owner or assignee (to anyone else it doesn't exist)."""
    now = now or rt.now()
    view = queries.task_for(rt, team_id=team_id, user_id=viewer, number=number)
    lines = faults.fault_lines(view.task, view.history, now)
    return Why(task=view.task, lines=lines, largest=faults.largest_fault(lines), now=now)
