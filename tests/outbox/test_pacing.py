"""Workspace pauses and the learned pace, shared through the database by every sender.

Two ``WorkspacePace`` instances on one database stand for two sender processes (each
keeps only its own posts in memory); both clocks are in the test's hands.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.outbox.pacing import LEARNED_FOR, UNPACED_FOR, Reservation, WorkspacePace
from storage.db import Database

START = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
SLOT_PRECISION = 1e-5  # slots are epoch seconds in a double: a few tenths of a microsecond apart
ANY_WAIT = 60.0  # longer than any slot these tests reach for


class Clocks:
    def __init__(self) -> None:
        self.bot = START
        self.wall = 1_790_000_000.0
        self.mono = 1000.0

    def advance(self, seconds: float) -> None:
        self.bot += timedelta(seconds=seconds)
        self.wall += seconds
        self.mono += seconds


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def db(engine: Engine) -> Database:
    return Database(engine)


@pytest.fixture
def team() -> str:
    """A workspace of the test's own: the PostgreSQL schema is shared by the session's tests."""
    return f"T{uuid.uuid4().hex[:10].upper()}"


def sender(db: Database, clocks: Clocks) -> WorkspacePace:
    return WorkspacePace(db, now=lambda: clocks.bot, clock=lambda: clocks.wall, monotonic=lambda: clocks.mono)


@pytest.fixture
def one(db: Database, clocks: Clocks) -> WorkspacePace:
    return sender(db, clocks)


@pytest.fixture
def two(db: Database, clocks: Clocks) -> WorkspacePace:
    return sender(db, clocks)


def burst(pace: WorkspacePace, team: str, posts: int, clocks: Clocks, *, every: float = 0.01) -> None:
    """Posts that went through (their slots are not the point here)."""
    for _ in range(posts):
        pace.posted(team)
        clocks.advance(every)


def waits(senders: list[WorkspacePace], team: str) -> list[float]:
    return [pace.reserve_post(team, max_wait=ANY_WAIT).wait for pace in senders]


def test_a_429_through_one_sender_pauses_the_others(
    one: WorkspacePace, two: WorkspacePace, db: Database, clocks: Clocks, team: str
) -> None:
    assert two.reserve_post(team, max_wait=ANY_WAIT).paused_until is None
    until = one.rate_limited(team, retry_after=4, posting=True)
    assert until == START + timedelta(seconds=4)
    assert one.reserve_post(team, max_wait=ANY_WAIT).paused_until == until

    clocks.advance(UNPACED_FOR)  # what the other sender read of the workspace is old by now
    assert two.reserve_post(team, max_wait=ANY_WAIT).paused_until == until
    assert two.paused_until(team) == until and two.seconds_to_next_resume() == pytest.approx(4 - UNPACED_FOR)
    with db.session_scope() as session:
        assert team in sender(db, clocks).refresh(session)  # a third sender's claim passes it over

    clocks.advance(4)
    assert (
        two.reserve_post(team, max_wait=ANY_WAIT).paused_until is None
        and two.seconds_to_next_resume() is None
    )
    with db.session_scope() as session:
        assert team not in two.refresh(session)


def test_two_senders_learn_the_whole_pace_and_keep_to_it_together(
    one: WorkspacePace, two: WorkspacePace, clocks: Clocks, team: str
) -> None:
    for _ in range(25):  # both post, 50 in half a second, then Slack says 429 to one of them
        burst(one, team, 1, clocks, every=0.01)
        burst(two, team, 1, clocks, every=0.0)
    one.rate_limited(team, retry_after=1, posting=True)
    assert (
        two.reserve_post(team, max_wait=ANY_WAIT).paused_until is not None
    )  # reading the row, it adds its 25 posts
    clocks.advance(1)

    slots = waits([one, two, one, two, one, two], team)
    # One pace for both: 95 % of the 50 posts of that second, not of either sender's 25.
    assert slots == pytest.approx([n / 47.5 for n in range(6)], abs=SLOT_PRECISION)
    assert two.reserve_post("TOTHER", max_wait=ANY_WAIT).wait == 0  # other workspaces are not paced


def test_a_sender_adds_its_posts_to_a_count_once(
    one: WorkspacePace, two: WorkspacePace, db: Database, clocks: Clocks, team: str
) -> None:
    burst(one, team, 20, clocks)
    burst(two, team, 20, clocks)
    one.rate_limited(team, retry_after=1, posting=True)
    two.rate_limited(team, retry_after=1, posting=True)  # its own 429 of the same second joins the count
    assert two.reserve_post(team, max_wait=ANY_WAIT).paused_until is not None
    with db.session_scope() as session:
        two.refresh(session)
    clocks.advance(1)
    one.reserve_post(team, max_wait=ANY_WAIT)
    # 40 posts, not 60 or 80:
    assert one.reserve_post(team, max_wait=ANY_WAIT).wait == pytest.approx(1 / 38, abs=SLOT_PRECISION)


def test_an_unpaced_workspace_posts_without_asking_the_database_each_time(
    one: WorkspacePace, db: Database, clocks: Clocks, team: str
) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for _ in range(10):
            assert one.reserve_post(team, max_wait=ANY_WAIT).wait == 0
            clocks.advance(UNPACED_FOR / 11)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len([s for s in statements if "workspace_pace" in s]) == 1  # one look, then trusted a while


def test_a_429_after_a_few_posts_teaches_no_pace(one: WorkspacePace, clocks: Clocks, team: str) -> None:
    burst(one, team, 1, clocks)
    one.rate_limited(team, retry_after=0, posting=True)
    assert waits([one, one, one], team) == [0, 0, 0]


def test_a_learned_pace_is_dropped_after_a_quiet_while(
    one: WorkspacePace, two: WorkspacePace, clocks: Clocks, team: str
) -> None:
    burst(one, team, 20, clocks, every=0.0)
    one.rate_limited(team, retry_after=0, posting=True)
    assert waits([two, one], team) == [0, pytest.approx(1 / 19, abs=SLOT_PRECISION)]
    clocks.advance(LEARNED_FOR + 1)
    assert waits([one, two, one, two], team) == [0, 0, 0, 0]


def test_a_429_at_the_learned_pace_keeps_it_and_a_lower_limit_is_learned_again(
    one: WorkspacePace, two: WorkspacePace, db: Database, clocks: Clocks, team: str
) -> None:
    burst(one, team, 40, clocks, every=0.0)
    one.rate_limited(team, retry_after=0, posting=True)  # paced at 38 per second
    clocks.advance(1.5)
    burst(one, team, 19, clocks, every=0.0)
    burst(two, team, 19, clocks, every=0.0)
    two.rate_limited(team, retry_after=0, posting=True)  # 19 seen by the one that got it…
    with db.session_scope() as session:
        one.refresh(session)  # …and 19 more from the other: at the pace, bunching, not a new limit
    assert waits([one, two], team) == [0, pytest.approx(1 / 38, abs=SLOT_PRECISION)]
    clocks.advance(1.5)
    burst(two, team, 10, clocks, every=0.0)
    two.rate_limited(team, retry_after=0, posting=True)  # far below the pace: Slack allows less now
    two.reserve_post(team, max_wait=ANY_WAIT)
    assert two.reserve_post(team, max_wait=ANY_WAIT).wait == pytest.approx(1 / 9.5, abs=SLOT_PRECISION)


def test_a_slot_further_off_than_the_sender_waits_is_left_for_later(
    one: WorkspacePace, two: WorkspacePace, clocks: Clocks, team: str
) -> None:
    burst(one, team, 5, clocks, every=0.0)
    one.rate_limited(team, retry_after=0, posting=True)  # a low limit: 4.75 posts a second
    interval = 1 / 4.75
    taken = [one.reserve_post(team, max_wait=0.5) for _ in range(3)]
    assert [r.taken for r in taken] == [True, True, True]  # at 0, 1 and 2 intervals: within 0.5 s
    # Eight lanes giving up on the fourth slot, again and again, leave it where it was.
    for _ in range(8):
        later = two.reserve_post(team, max_wait=0.5)
        assert not later.taken and later.wait == pytest.approx(3 * interval, abs=SLOT_PRECISION)
    clocks.advance(3 * interval)
    assert one.reserve_post(team, max_wait=0.5) == Reservation(wait=0.0)  # its turn came, not pushed away


def test_without_the_database_a_sender_posts_on_and_pauses_itself(clocks: Clocks, tmp_path: Path) -> None:
    lost = sender(Database.from_url(f"sqlite:///{tmp_path / 'no such folder' / 'handoff.db'}"), clocks)
    assert (
        lost.reserve_post("T1", max_wait=ANY_WAIT) == Reservation()
    )  # the send goes on, as with the queue's outcomes
    until = lost.rate_limited("T1", retry_after=4, posting=True)
    assert until == START + timedelta(seconds=4)
    assert lost.reserve_post("T1", max_wait=ANY_WAIT).paused_until == until
