"""The nudge policy's test rig: T-12 at T0, its history, the settings, calendars, and what a decision sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.nudges import Decision, History, Nudge, NudgeKind, NudgeSettings, decide
from bot.core.tasks import Status, Task
from bot.core.working_time import WorkingTime
from tests.core.task_cases import offer

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday
SECOND, HOUR, DAY = timedelta(seconds=1), timedelta(hours=1), timedelta(days=1)
SETTINGS = NudgeSettings()  # ack 4h, escalate 1d, unclear 2h, question 4h, due soon 1d,
# repeat 1d, report 2d, review 1d
K = NudgeKind
AWAITING, WORKING = Status.AWAITING_ACCEPTANCE, Status.IN_PROGRESS
DELIVERED, DECLINED = Status.DELIVERED, Status.DECLINED
CLOSED = (Status.APPROVED, Status.CANCELLED, Status.TAKEN_BACK)

PARIS = WorkingTime("Europe/Paris")
TOKYO = WorkingTime("Asia/Tokyo")
NEW_YORK = WorkingTime("America/New_York")


def task(status: Status = AWAITING, **changes: object) -> Task:
    """T-12 from OWNER to ALICE, offered at T0, clear, due in ten days."""
    base = replace(
        offer(at=T0, due_at=T0 + 10 * DAY),
        status=status,
        accepted_at=T0 if status in (WORKING, DELIVERED) else None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def history(**changes: object) -> History:
    return replace(History(offered_at=T0), **changes)  # type: ignore[arg-type]


def run(
    t: Task,
    h: History,
    now: datetime,
    calendars: Mapping[str, WorkingTime] | None = None,
    settings: NudgeSettings = SETTINGS,
) -> Decision:
    return decide(t, h, now=now, settings=settings, calendars=calendars or {})


def sent(decision: Decision) -> set[tuple[NudgeKind, str]]:
    return {(n.kind, n.recipient_id) for n in decision.nudges}


def only(decision: Decision, kind: NudgeKind, recipient: str) -> Nudge:
    [nudge] = [n for n in decision.nudges if (n.kind, n.recipient_id) == (kind, recipient)]
    return nudge


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)  # type: ignore[arg-type,misc]
