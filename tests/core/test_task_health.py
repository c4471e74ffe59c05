"""How the task stands: on track, at risk or blocked, and the reason the assignee gave."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core import tasks as core
from bot.core.errors import BadInput, Problem
from bot.core.tasks import Health, Status, Transition
from tests.core.task_cases import ALICE, LATER, worked_on


def test_on_track_clears_the_reason_of_an_earlier_flag() -> None:
    blocked = replace(worked_on(Status.IN_PROGRESS), health=Health.BLOCKED, health_reason="No access")
    after = core.flag(blocked, actor=ALICE, health=Health.ON_TRACK, reason="", now=LATER).after
    assert (after.health, after.health_reason) == (Health.ON_TRACK, None)


@pytest.mark.parametrize("health", [Health.AT_RISK, Health.BLOCKED])
def test_at_risk_and_blocked_need_a_reason(health: Health) -> None:
    with pytest.raises(BadInput) as refused:
        core.flag(worked_on(Status.IN_PROGRESS), actor=ALICE, health=health, reason=" \n", now=LATER)
    assert refused.value.problem is Problem.EMPTY_TEXT
    assert refused.value.details == {"step": core.Step.FLAG}


def test_the_same_warning_again_changes_nothing_but_on_track_is_a_new_word() -> None:
    task = replace(worked_on(Status.IN_PROGRESS), health=Health.BLOCKED, health_reason="No access")
    again = core.flag(task, actor=ALICE, health=Health.BLOCKED, reason=" No access ", now=LATER)
    assert again == Transition(before=task, after=task, event=None)
    on_track = replace(task, health=Health.ON_TRACK, health_reason=None)
    # On track again is a new word, answering a new nudge (a double click is kept single upstream).
    assert core.flag(on_track, actor=ALICE, health=Health.ON_TRACK, reason="", now=LATER).changed
    # A new reason is news for the owner.
    assert core.flag(task, actor=ALICE, health=Health.BLOCKED, reason="Still no access", now=LATER).changed


def test_a_flag_line_reads_back_as_status_and_reason() -> None:
    line = core.flag(
        worked_on(Status.IN_PROGRESS), actor=ALICE, health=Health.AT_RISK, reason="Data: late", now=LATER
    ).event
    assert line is not None
    assert core.read_health_line(line.text) == (Health.AT_RISK, "Data: late")
    assert core.read_health_line("on track") == (Health.ON_TRACK, None)
