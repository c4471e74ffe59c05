"""How fast each workspace may be sent to: paused for Slack's Retry-After, then paced.

Slack's limit is per workspace, whatever the number of processes posting to it (gunicorn
workers, the clock process), so the pace lives in the database (``workspace_pace``, see
``pace_store``) and every sender process follows the same row:

- A 429 pauses the whole workspace until its Retry-After, for every sender: each one's
  claim passes the workspace over, and a lane about to post sees the pause.
- The 429 also teaches the pace Slack allows: the posts of the second before it. Each
  process knows only its own posts, so the one that got the 429 starts the count and
  every other process adds its posts of that same second the next time it reads the row
  (its next post to that workspace, or its next claim). The pace is that sum, less a
  margin; it is kept for a while after the last 429.
- While a workspace is paced, each post takes the next slot with one atomic statement
  (``next_slot`` moves on by 1/rate), so N processes together post at the one pace.
  Workspaces without a pace (nearly all) post without asking the database: a process
  reads their row at most every ``UNPACED_FOR`` seconds, to notice a pace or pause begun
  by another process.

So a backlog drains just under Slack's speed with hardly a 429, however many processes
send. What remains: a process notices another's first 429 up to ``UNPACED_FOR`` late (it
may get a few 429s of its own meanwhile, which join the same count), and while the
database is unreachable a process posts on what it last saw.

Pauses use the bot's clock (they hold back the queue, which uses it); slots and counts,
being about fractions of a second across processes, use the wall clock (epoch seconds),
which processes on one host (or hosts kept in time) share.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.outbox import pace_store
from storage.db import Database
from storage.models import WorkspacePaceRow

logger = logging.getLogger(__name__)

WINDOW = 1.0  # seconds over which posts are counted when a 429 arrives
MARGIN = 0.95  # post at this share of the learned pace
WELL_BELOW = 0.8  # a 429 while this far below the learned pace means Slack allows less now
FEWEST_TO_LEARN = 5  # a 429 after fewer posts than this in a second says nothing about pace
LEARNED_FOR = 300.0  # seconds a learned pace is kept after the workspace's last 429
UNPACED_FOR = 0.25  # seconds a process trusts "no pace, no pause" before reading the row again
KEEP_POSTS = 60.0  # seconds this process remembers its posts, to add them to a count


@dataclass(frozen=True)
class Reservation:
    wait: float = 0.0  # seconds until the slot
    paused_until: datetime | None = None  # set: no slot, the workspace is paused
    taken: bool = True  # False: the next slot is further off than the caller waits; none was taken


@dataclass
class _Seen:
    """What this process last read of a workspace's row."""

    read_at: float  # monotonic
    paced: bool = False
    paused_until: datetime | None = None


class WorkspacePace:
    """Thread-safe: lanes reserve slots and report 429s; the claim asks who is paused."""

    def __init__(
        self,
        db: Database,
        *,
        now: Callable[[], datetime],
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._now = now
        self._clock = clock
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._seen: dict[str, _Seen] = {}
        self._posts: dict[str, deque[float]] = {}
        self._joined: dict[str, float] = {}  # the count (its 429's time) this process added to
        self._db_lost = False

    # --- pauses ------------------------------------------------------------------------

    def paused_until(self, team_id: str) -> datetime | None:
        """The pause this process knows of (no database read)."""
        with self._lock:
            seen = self._seen.get(team_id)
        until = seen.paused_until if seen else None
        return until if until is not None and until > self._now() else None

    def seconds_to_next_resume(self) -> float | None:
        """When the earliest known pause ends, so the sender wakes then rather than on its slow timer."""
        now = self._now()
        with self._lock:
            ends = [s.paused_until for s in self._seen.values() if s.paused_until and s.paused_until > now]
        return min(ends).timestamp() - now.timestamp() if ends else None

    def refresh(self, session: Session) -> list[str]:
        """In the claim's transaction: the workspaces paused now; adds this process's posts to counts."""
        now, at, moment = self._now(), self._clock(), self._monotonic()
        paused: list[str] = []
        for row in pace_store.recent(session, now=now, counted_since=at - KEEP_POSTS):
            if row.paused_until is not None and row.paused_until > now:
                paused.append(row.team_id)
                with self._lock:
                    seen = self._seen.setdefault(row.team_id, _Seen(read_at=moment))
                    seen.paused_until = row.paused_until
                    seen.read_at = float("-inf")  # once the pause is over, the next post reads the row
            if row.counted_at is not None:
                self._join(session, row.team_id, row.counted_at)
        return paused

    def rate_limited(self, team_id: str, *, retry_after: float, posting: bool) -> datetime:
        """Slack answered 429: pause the workspace for all senders; from a post, count toward its pace."""
        until = self._now() + timedelta(seconds=max(0.0, retry_after))
        at = self._clock()
        try:
            with self._db.session_scope() as session:
                row = pace_store.locked(session, team_id)
                row.paused_until = max(until, row.paused_until or until)
                if posting:
                    self._count(row, at)
                until = row.paused_until
        except SQLAlchemyError:
            self._lost_database(team_id)  # this process pauses on its own until the database is back
        with self._lock:
            seen = self._seen.setdefault(team_id, _Seen(read_at=self._monotonic()))
            seen.paused_until = max(until, seen.paused_until or until)
            seen.read_at = float("-inf")  # the pace may have changed: the next post reads the row
            return seen.paused_until

    # --- posting -----------------------------------------------------------------------

    def reserve_post(self, team_id: str, *, max_wait: float) -> Reservation:
        """A slot for one post: at once when the workspace is not paced, else its next shared slot.

        A slot more than ``max_wait`` seconds off is not taken (``taken`` is False, ``wait``
        says how far off it is): the caller puts the message back until then.
        """
        now, moment = self._now(), self._monotonic()
        with self._lock:
            seen = self._seen.get(team_id)
        if seen is not None:
            if seen.paused_until is not None and seen.paused_until > now:
                return Reservation(paused_until=seen.paused_until)
            if not seen.paced and moment - seen.read_at < UNPACED_FOR:
                return Reservation()
        try:
            with self._db.session_scope() as session:
                session.connection()  # begun: on SQLite the write lock is ours, so the time read next is now
                at = self._clock()
                state = pace_store.reserve_slot(
                    session,
                    team_id=team_id,
                    at=at,
                    now=now,
                    learned_since=at - LEARNED_FOR,
                    max_wait=max_wait,
                )
                if state is not None and state.counted_at is not None:
                    self._join(session, team_id, state.counted_at)
        except SQLAlchemyError:
            self._lost_database(team_id)
            return Reservation()  # post on what we knew; a 429 still pauses this process
        self._db_lost = False
        paused = state.paused_until if state and state.paused_until and state.paused_until > now else None
        paced = (
            state is not None
            and paused is None
            and state.rate is not None
            and (state.learned_at or 0.0) >= at - LEARNED_FOR
        )
        with self._lock:
            self._seen[team_id] = _Seen(read_at=moment, paced=paced, paused_until=paused)
        if paused is not None:
            return Reservation(paused_until=paused)
        if not paced or state is None or state.rate is None:
            return Reservation()
        if state.taken is None:
            return Reservation(wait=max(0.0, state.next_slot - self._clock()), taken=False)
        return Reservation(wait=max(0.0, state.taken - self._clock()))

    def posted(self, team_id: str) -> None:
        """A post went through: kept for counting toward the pace (calls answered 429 are not)."""
        at = self._clock()
        with self._lock:
            posts = self._posts.setdefault(team_id, deque())
            posts.append(at)
            while posts and at - posts[0] > KEEP_POSTS:
                posts.popleft()

    # --- counting toward the pace --------------------------------------------------------

    def _count(self, row: WorkspacePaceRow, at: float) -> None:
        """A 429 on a post: join the count of the same second, or begin a new one."""
        counting = row.counted_at is not None and abs(at - row.counted_at) <= WINDOW
        if not counting:
            learned = row.rate is not None and (row.learned_at or 0.0) >= at - LEARNED_FOR
            row.counted_from_rate = row.rate if learned else None
            row.counted_at, row.counted_posts = at, 0
            with self._lock:
                self._joined.pop(row.team_id, None)
        assert row.counted_at is not None
        self._add_mine(row, row.counted_at, at)

    def _join(self, session: Session, team_id: str, counted_at: float) -> None:
        """Add this process's posts to a count another process began, once per count."""
        with self._lock:
            if self._joined.get(team_id) == counted_at:
                return
            if not self._mine(team_id, counted_at):
                self._joined[team_id] = counted_at  # nothing to add, now or later
                return
        row = pace_store.locked(session, team_id)
        if row.counted_at == counted_at:  # not replaced meanwhile by a newer count
            self._add_mine(row, counted_at, self._clock())

    def _add_mine(self, row: WorkspacePaceRow, counted_at: float, at: float) -> None:
        with self._lock:
            if self._joined.get(row.team_id) == counted_at:
                return
            row.counted_posts += self._mine(row.team_id, counted_at)
            self._joined[row.team_id] = counted_at  # taken back if the transaction fails
        _learn(row, at)

    def _mine(self, team_id: str, counted_at: float) -> int:
        """This process's posts in the second before ``counted_at``; the caller holds the lock."""
        mine = 0
        for t in reversed(self._posts.get(team_id, ())):  # newest first: stop past the second
            if t <= counted_at - WINDOW:
                break
            mine += t <= counted_at
        return mine

    def _lost_database(self, team_id: str) -> None:
        with self._lock:
            self._joined.pop(team_id, None)  # what was added was not written: add it again later
        if not self._db_lost:
            logger.warning("workspace pace unreadable (database unreachable?); posting on what was last seen")
        self._db_lost = True


def _learn(row: WorkspacePaceRow, at: float) -> None:
    """The pace from the posts counted so far, against the pace in force when the count began."""
    before, counted = row.counted_from_rate, row.counted_posts
    if before is not None and counted >= before * WELL_BELOW:
        row.rate, row.learned_at = before, at  # posts bunched up on the way: the pace is right
    elif counted >= FEWEST_TO_LEARN:
        row.rate, row.learned_at = counted * MARGIN / WINDOW, at
