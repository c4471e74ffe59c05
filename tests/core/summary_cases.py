"""Hand-made histories for the daily summary: a task per situation, told through the real lifecycle.

``seeded()`` is a team's morning at NOW (a Thursday, 10:00 UTC): two tasks in each section and
a few in none, so every section's membership and order can be checked; the comments say
where each task belongs and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.core import tasks as core
from bot.core.tasks import Event, EventKind, Health, Task, Transition
from tests.core.task_cases import ALICE, BOB, NOW, OWNER, offer

DONE_SINCE = NOW - timedelta(days=1)


def hours(n: float) -> datetime:
    """``n`` hours from NOW (negative: ago)."""
    return NOW + timedelta(hours=n)


class Tale:
    """One task from its offer on, step by step, keeping the history the bot would record."""

    def __init__(
        self,
        number: int,
        *,
        at: float,
        due: float | None,
        done_when: str | None = "PDF sent to the board",
        title: str | None = None,
    ) -> None:
        task = offer(at=hours(at), due_at=None if due is None else hours(due))
        self.task = replace(task, number=number, done_when=done_when, title=title or f"Task {number}")
        self.events: list[Event] = [Event(EventKind.CREATED, OWNER, hours(at), self.task.title)]

    @property
    def history(self) -> tuple[Task, Sequence[Event]]:
        return self.task, self.events

    def _step(self, transition: Transition) -> Tale:
        assert transition.event is not None
        self.task = transition.after
        self.events.append(transition.event)
        return self

    def accept(self, at: float) -> Tale:
        return self._step(core.accept(self.task, actor=self.task.assignee_id, now=hours(at)))

    def decline(self, at: float, reason: str = "busy") -> Tale:
        assignee = self.task.assignee_id
        return self._step(core.decline(self.task, actor=assignee, reason=reason, now=hours(at)))

    def flag(self, at: float, health: Health, reason: str = "") -> Tale:
        assignee = self.task.assignee_id
        return self._step(core.flag(self.task, actor=assignee, health=health, reason=reason, now=hours(at)))

    def deliver(self, at: float) -> Tale:
        return self._step(core.deliver(self.task, actor=self.task.assignee_id, note="", now=hours(at)))

    def changes(self, at: float) -> Tale:
        return self._step(core.request_changes(self.task, actor=OWNER, reason="redo", now=hours(at)))

    def approve(self, at: float) -> Tale:
        return self._step(core.approve(self.task, actor=OWNER, now=hours(at)))

    def reassign(self, to: str, at: float) -> Tale:
        return self._step(core.reassign(self.task, actor=OWNER, new_assignee=to, now=hours(at)))


def seeded() -> list[tuple[Task, Sequence[Event]]]:
    """The team's tasks at NOW, in task number order as storage returns them."""
    tales = [
        # Overdue: 3 and 4 both two days late (task order), 5 one hour late and blocked too.
        Tale(3, at=-100, due=-48).accept(-99),
        Tale(4, at=-100, due=-48).accept(-90),
        Tale(5, at=-30, due=-1).flag(-3, Health.BLOCKED, "waiting for legal"),
        # At risk: 7 flagged 5 hours ago (after an earlier on-track word), 6 three hours ago.
        Tale(6, at=-50, due=48).accept(-49).flag(-3, Health.AT_RISK, "supplier is late"),
        Tale(7, at=-50, due=48).accept(-49).flag(-20, Health.ON_TRACK).flag(-5, Health.BLOCKED, "no access"),
        # Declined 4 hours ago, with the assignee's words.
        Tale(8, at=-10, due=48).decline(-4, "No time this week"),
        # Awaiting acceptance: 9 offered 2 hours ago; 10 offered 30 hours ago but moved to Bob 1 hour ago.
        Tale(9, at=-2, due=48),
        Tale(10, at=-30, due=48).reassign(BOB, -1),
        # Unclear: 11 has neither a definition of done nor a due date, 12 a vague one.
        Tale(11, at=-20, due=None, done_when=None).accept(-19),
        Tale(12, at=-20, due=48, done_when="asap").accept(-19),
        # Awaiting review: 13 delivered 6 hours ago after a round of changes, 20 delivered 1 hour ago.
        Tale(13, at=-50, due=48).accept(-49).deliver(-30).changes(-20).deliver(-6),
        Tale(20, at=-50, due=48).accept(-49).deliver(-1),
        # Due today (the UTC day ends in 14 hours): 15 due in 2 hours comes before 14, due in 5.
        Tale(14, at=-50, due=5).accept(-49),
        Tale(15, at=-50, due=2).accept(-49),
        # Approved since the last summary: 17 (2 hours ago) before 16 (20 hours ago); 18 is old news.
        Tale(16, at=-50, due=48).accept(-49).deliver(-21).approve(-20),
        Tale(17, at=-50, due=48).accept(-49).deliver(-3).approve(-2),
        Tale(18, at=-50, due=48).accept(-49).deliver(-31).approve(-30),
        # In no section: clear, accepted, due in three days.
        Tale(19, at=-50, due=72).accept(-49),
    ]
    return [tale.history for tale in tales]


__all__ = ["ALICE", "BOB", "DONE_SINCE", "NOW", "OWNER", "Tale", "hours", "seeded"]
