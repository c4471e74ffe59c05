"""Workspace pauses and the learned pace, with both clocks in the test's hands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.outbox.pacing import LEARNED_FOR, WorkspacePace

START = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


class Clocks:
    def __init__(self) -> None:
        self.wall = START
        self.mono = 1000.0

    def advance(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def pace(clocks: Clocks) -> WorkspacePace:
    return WorkspacePace(now=lambda: clocks.wall, monotonic=lambda: clocks.mono)


def test_a_429_pauses_that_workspace_for_its_retry_after(pace: WorkspacePace, clocks: Clocks) -> None:
    until = pace.rate_limited("TBUSY", retry_after=4, posting=True)
    assert until == START + timedelta(seconds=4)
    assert pace.paused_teams() == ["TBUSY"] and pace.paused_until("TCALM") is None
    assert pace.seconds_to_next_resume() == 4
    clocks.advance(4)
    assert pace.paused_teams() == [] and pace.seconds_to_next_resume() is None


def test_a_busy_workspace_learns_its_pace_from_the_posts_of_the_last_second(
    pace: WorkspacePace, clocks: Clocks
) -> None:
    for _ in range(50):  # a burst: 50 posts in half a second, then Slack says 429
        assert pace.reserve_post("T1") == 0
        pace.posted("T1")
        clocks.advance(0.01)
    pace.rate_limited("T1", retry_after=1, posting=True)
    clocks.advance(1)
    waits = [pace.reserve_post("T1") for _ in range(4)]
    assert waits[0] == 0
    assert waits[1:] == pytest.approx([1 / 48.5, 2 / 48.5, 3 / 48.5])  # 97 % of the 50 that went through
    assert pace.reserve_post("T2") == 0  # other workspaces are not paced


def test_a_429_after_a_few_posts_teaches_no_pace(pace: WorkspacePace, clocks: Clocks) -> None:
    pace.posted("T1")
    pace.rate_limited("T1", retry_after=0, posting=True)
    assert [pace.reserve_post("T1") for _ in range(3)] == [0, 0, 0]


def test_a_learned_pace_is_dropped_after_a_quiet_while(pace: WorkspacePace, clocks: Clocks) -> None:
    for _ in range(20):
        pace.posted("T1")
    pace.rate_limited("T1", retry_after=0, posting=True)
    assert pace.reserve_post("T1") == 0 and pace.reserve_post("T1") > 0
    clocks.advance(LEARNED_FOR + 1)
    assert [pace.reserve_post("T1") for _ in range(3)] == [0, 0, 0]


def test_a_429_at_the_learned_pace_keeps_it_and_a_lower_limit_is_learned_again(
    pace: WorkspacePace, clocks: Clocks
) -> None:
    for _ in range(40):
        pace.posted("T1")
    pace.rate_limited("T1", retry_after=0, posting=True)  # paced at 38.8 per second
    for _ in range(38):
        pace.posted("T1")
    pace.rate_limited("T1", retry_after=0, posting=True)  # at the pace: bunching, not a new limit
    pace.reserve_post("T1")
    assert pace.reserve_post("T1") == pytest.approx(1 / 38.8)
    clocks.advance(1.5)
    for _ in range(10):
        pace.posted("T1")
    pace.rate_limited("T1", retry_after=0, posting=True)  # far below the pace: Slack allows less now
    pace.reserve_post("T1")
    assert pace.reserve_post("T1") == pytest.approx(1 / 9.7)
