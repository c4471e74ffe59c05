"""The daily summary of a channel: what needs whose attention today, most urgent first, then
the team's numbers. Pure: read from the tasks, their histories and the ``now`` it is given.

Sections are :class:`bot.core.urgency.Urgency` (one per task, the most urgent that applies).
Each line says since when its state holds, read from the history, so the message can say how
late or how long someone has been waiting:

* overdue: since the due date; awaiting acceptance: since the latest offer (the creation or
  the last reassignment); awaiting review: since the delivery; at risk: since the latest
  flag; declined: since the decline; approved: since the approval. Unclear and due today
  have no start worth showing.

Inside a section the most pressing comes first: the longest late or waiting first, the
soonest due first, the latest approval first; ties in task number order.

The team's numbers are the scorecards' (:mod:`bot.core.metrics`) summed over everyone, over
the ``window`` before ``now``, so the summary and ``/tasks stats`` never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.clarity import ClarityCode, check_clarity
from bot.core.metrics import Rate, assignee_cards, median_time_to_accept, offers
from bot.core.tasks import Event, EventKind, Health, Task
from bot.core.urgency import Urgency, urgency_of, went_wrong

History = tuple[Task, Sequence[Event]]

WINDOW = timedelta(days=30)

# How an unclear line names what is missing, in the order check_clarity reports it.
_UNCLEAR_WORDS = {
    ClarityCode.MISSING_OUTCOME: "no definition of done",
    ClarityCode.VAGUE_OUTCOME: "vague definition of done",
    ClarityCode.MISSING_DUE: "no due date",
}
_RAISED = frozenset({Health.AT_RISK, Health.BLOCKED})
_ORDER = {urgency: rank for rank, urgency in enumerate(Urgency)}


@dataclass(frozen=True)
class SummaryLine:
    task: Task
    urgency: Urgency
    since: datetime | None  # when this state began (see the module doc)
    reason: str | None  # why it is raised, declined or unclear, in the people's words or ours
    went_wrong: bool  # late or reworked (bot.core.urgency.went_wrong): "why?" is worth asking


@dataclass(frozen=True)
class TeamNumbers:
    open: int
    on_time: Rate | None
    median_time_to_accept: timedelta | None


@dataclass(frozen=True)
class DailySummary:
    day: date  # the local date it is for
    lines: tuple[SummaryLine, ...]  # most urgent section first, most pressing first inside one
    numbers: TeamNumbers
    # The moment it was read at, for "2 days late" and "waiting 5 hours"; without it a message
    # can only say since when.
    at: datetime | None = None

    @property
    def all_clear(self) -> bool:
        """Nothing needs anyone's attention: at most good news (approvals)."""
        return all(line.urgency is Urgency.DONE for line in self.lines)

    def section(self, urgency: Urgency) -> tuple[SummaryLine, ...]:
        return tuple(line for line in self.lines if line.urgency is urgency)


def build_summary(
    histories: Sequence[History],
    *,
    now: datetime,
    timezone: str,
    done_since: datetime,
    window: timedelta = WINDOW,
) -> DailySummary:
    """The summary of the tasks in scope for the local day of ``now`` in ``timezone``.

    ``done_since`` is from when an approval is news (the previous summary).
    """
    local_now = now.astimezone(ZoneInfo(timezone))
    today_ends = end_of_local_day(local_now)
    lines = []
    for task, history in histories:
        urgency = urgency_of(task, now=now, today_ends=today_ends, done_since=done_since)
        if urgency is not None:
            lines.append(_line(task, history, urgency, now))
    lines.sort(key=_pressing_first)
    return DailySummary(
        day=local_now.date(),
        lines=tuple(lines),
        numbers=team_numbers(histories, since=now - window, now=now),
        at=now,
    )


def end_of_local_day(local_now: datetime) -> datetime:
    """The next midnight of ``local_now``'s zone, in UTC: where "due today" ends.

    Adding a day to an aware local time moves its wall clock, so a DST change that day makes
    it 23 or 25 hours away; a midnight skipped by a DST change resolves to the moment the
    clocks jump, which is when that day ends.
    """
    tomorrow = (local_now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return tomorrow.astimezone(UTC)


def team_numbers(histories: Sequence[History], *, since: datetime, now: datetime) -> TeamNumbers:
    """Open tasks now; on-time delivery and time to accept over the offers made in ``[since, now]``."""
    cards = assignee_cards(histories, since=since, now=now).values()
    rates = [card.on_time for card in cards if card.on_time is not None]
    out_of = sum(rate.out_of for rate in rates)
    return TeamNumbers(
        open=sum(1 for task, _ in histories if task.status.is_open),
        on_time=Rate(sum(rate.hits for rate in rates), out_of) if out_of else None,
        median_time_to_accept=median_time_to_accept(histories, since=since, now=now),
    )


def _line(task: Task, history: Sequence[Event], urgency: Urgency, now: datetime) -> SummaryLine:
    return SummaryLine(
        task=task,
        urgency=urgency,
        since=_since(task, history, urgency),
        reason=_reason(task, history, urgency),
        went_wrong=went_wrong(task, now),
    )


def _since(task: Task, history: Sequence[Event], urgency: Urgency) -> datetime | None:
    if urgency is Urgency.OVERDUE:
        return task.due_at
    if urgency is Urgency.AWAITING_ACCEPTANCE:
        return offers(task, history)[-1].at
    if urgency is Urgency.AWAITING_REVIEW:
        return task.delivered_at
    if urgency is Urgency.AT_RISK:
        return _latest_at(history, EventKind.FLAGGED)
    if urgency is Urgency.DECLINED:
        return _latest_at(history, EventKind.DECLINED)
    if urgency is Urgency.DONE:
        return task.closed_at
    return None


def _reason(task: Task, history: Sequence[Event], urgency: Urgency) -> str | None:
    if urgency is Urgency.DECLINED:
        declined = _latest(history, EventKind.DECLINED)
        return declined.text if declined else None
    if urgency is Urgency.UNCLEAR:
        flags = check_clarity(task.done_when, task.due_at)
        return ", ".join(_UNCLEAR_WORDS[flag.code] for flag in flags)
    # An overdue task may also be blocked: its line still says why.
    if urgency in (Urgency.AT_RISK, Urgency.OVERDUE) and task.health in _RAISED:
        return task.health_reason
    return None


def _latest(history: Sequence[Event], kind: EventKind) -> Event | None:
    return next((event for event in reversed(history) if event.kind is kind), None)


def _latest_at(history: Sequence[Event], kind: EventKind) -> datetime | None:
    event = _latest(history, kind)
    return event.at if event else None


def _pressing_first(line: SummaryLine) -> tuple[int, float, int]:
    """Oldest start first (the longest late or waiting; for due today, the soonest due);
    approvals latest first; lines with no start in task order."""
    moment = line.task.due_at if line.urgency is Urgency.DUE_TODAY else line.since
    stamp = moment.timestamp() if moment else 0.0
    if line.urgency is Urgency.DONE:
        stamp = -stamp
    return _ORDER[line.urgency], stamp, line.task.number
