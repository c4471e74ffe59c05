"""next_check_at: a sweep at that moment finds the nudge, just before finds none."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest

from bot.core.nudges import Decision, History, NudgeKind
from bot.core.tasks import Task
from bot.core.working_time import WorkingTime
from tests.core.nudge_cases import (
    DAY,
    DECLINED,
    DELIVERED,
    HOUR,
    NEW_YORK,
    PARIS,
    SECOND,
    T0,
    TOKYO,
    WORKING,
    history,
    run,
    task,
)
from tests.core.task_cases import ALICE, OWNER


def _sweep(
    t: Task, h: History, now: datetime, calendars: Mapping[str, WorkingTime]
) -> tuple[Decision, History]:
    """One sweep: decide, then record what was decided as the sweep would."""
    decision = run(t, h, now, calendars)
    nudged = dict(h.last_nudged)
    nudged.update({(n.kind, n.recipient_id): now for n in decision.nudges})
    return decision, replace(h, last_nudged=nudged)


SITUATIONS = [
    ("offered, unclear", task(due_at=None), history(unclear_since=T0)),
    ("question open", task(WORKING, open_question="?"), history(question_at=T0)),
    ("working, due in 3 days", task(WORKING, due_at=T0 + 3 * DAY), history()),
    ("offered, due tomorrow", task(due_at=T0 + DAY), history()),
    ("delivered", task(DELIVERED, delivered_at=T0), history()),
    ("declined", task(DECLINED, due_at=T0 + 2 * DAY), history()),
    ("snoozed", task(WORKING, due_at=T0 + DAY), history(snoozed_until={ALICE: T0 + 2 * DAY + 5 * HOUR})),
]
CALENDARS: list[Mapping[str, WorkingTime]] = [
    {},
    {ALICE: PARIS, OWNER: NEW_YORK},
    {ALICE: TOKYO, OWNER: replace(PARIS, quiet=(time(12, 0), time(13, 0)), days=frozenset({0, 2, 4}))},
]


def _by_minute(
    t: Task, h: History, calendars: Mapping[str, WorkingTime], until: datetime, step: timedelta
) -> list[tuple[datetime, NudgeKind, str, str]]:
    found, now = [], T0
    while now < until:
        decision, h = _sweep(t, h, now, calendars)
        found += [(now, n.kind, n.recipient_id, n.period) for n in decision.nudges]
        now += step
    return found


@pytest.mark.parametrize("calendars", CALENDARS)
@pytest.mark.parametrize(("name", "t", "h"), SITUATIONS, ids=[s[0] for s in SITUATIONS])
def test_sweeping_only_at_next_check_finds_what_sweeping_every_step_finds(
    name: str, t: Task, h: History, calendars: Mapping[str, WorkingTime]
) -> None:
    until = T0 + 6 * DAY
    # Every threshold and calendar boundary above is on a quarter hour: sweeping every
    # quarter hour is as good as sweeping every second.
    expected = _by_minute(t, h, calendars, until, timedelta(minutes=15))
    found, now, sweeps = [], T0, 0
    while now < until:
        decision, h_after = _sweep(t, h, now, calendars)
        found += [(now, n.kind, n.recipient_id, n.period) for n in decision.nudges]
        sweeps += 1
        h = h_after
        if decision.next_check_at is None:
            break
        assert decision.next_check_at > now
        # Just before the next check nothing is due.
        assert run(t, h, decision.next_check_at - SECOND, calendars).nudges == ()
        now = decision.next_check_at
    assert found == expected
    assert expected  # each situation chases someone within the six days
    assert sweeps <= len(expected) + 1  # no sweep for nothing (+1: the first look)
