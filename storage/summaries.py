"""Channels' daily summary subscriptions: one row per channel, kept (stopped) after ``off``.

The clock reads the subscriptions due through the partial index ``ix_summary_next_post``
and claims each one before it posts: on PostgreSQL ``FOR UPDATE SKIP LOCKED``, so a second
clock passes it by; on SQLite one writer at a time, and the second finds it moved on.
None of these functions commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlmodel import Session, col, select

from bot.core.working_time import describe_days, parse_working_days
from storage.inserts import dialect_insert
from storage.models import SummarySubscriptionRow
from storage.workspaces import installed_only


@dataclass(frozen=True)
class Subscription:
    team_id: str
    channel_id: str
    at: time
    timezone: str
    days: frozenset[int]
    owner_id: str | None
    assignee_id: str | None
    quiet: bool
    subscribed_by: str
    next_post_at: datetime
    last_posted_on: str | None
    stopped_at: datetime | None

    @property
    def running(self) -> bool:
        return self.stopped_at is None


@dataclass(frozen=True)
class Schedule:
    """What a subscriber chose: when, where in the world, on which days, about whom."""

    at: time
    timezone: str
    days: frozenset[int]
    owner_id: str | None = None
    assignee_id: str | None = None
    quiet: bool = False


def subscribe(
    session: Session, *, team_id: str, channel_id: str, schedule: Schedule, subscribed_by: str,
    next_post_at: datetime, now: datetime,
) -> Subscription:  # fmt: skip
    """Subscribe the channel, or change its subscription; a stopped one runs again.

    ``last_posted_on`` is kept: a channel that got today's summary does not get a second
    one today by subscribing again.
    """
    chosen: dict[str, Any] = {
        "post_at": f"{schedule.at:%H:%M}",
        "timezone": schedule.timezone,
        "working_days": describe_days(schedule.days),
        "owner_id": schedule.owner_id,
        "assignee_id": schedule.assignee_id,
        "quiet": schedule.quiet,
        "subscribed_by": subscribed_by,
        "updated_at": now,
        "stopped_at": None,
        "next_post_at": next_post_at,
    }
    statement = (
        dialect_insert(session, SummarySubscriptionRow)
        .values(team_id=team_id, channel_id=channel_id, created_at=now, **chosen)
        .on_conflict_do_update(index_elements=["team_id", "channel_id"], set_=chosen)
    )
    session.execute(statement)
    found = get(session, team_id=team_id, channel_id=channel_id)
    assert found is not None
    return found


def subscribe_once(
    session: Session, *, team_id: str, channel_id: str, schedule: Schedule, subscribed_by: str,
    next_post_at: datetime, now: datetime,
) -> bool:  # fmt: skip
    """Subscribe a channel that has no row at all; False when it has one (running or stopped)."""
    row = SummarySubscriptionRow(
        team_id=team_id,
        channel_id=channel_id,
        post_at=f"{schedule.at:%H:%M}",
        timezone=schedule.timezone,
        working_days=describe_days(schedule.days),
        owner_id=schedule.owner_id,
        assignee_id=schedule.assignee_id,
        quiet=schedule.quiet,
        subscribed_by=subscribed_by,
        created_at=now,
        updated_at=now,
        next_post_at=next_post_at,
    )
    statement = (
        dialect_insert(session, SummarySubscriptionRow).values(**row.model_dump()).on_conflict_do_nothing()
    )
    return bool(session.execute(statement.returning(col(SummarySubscriptionRow.channel_id))).first())


def stop(session: Session, *, team_id: str, channel_id: str, now: datetime) -> bool:
    """Stop the channel's summary; False when it was not running. The row stays, stopped."""
    row = _row(session, team_id=team_id, channel_id=channel_id)
    if row is None or row.stopped_at is not None:
        return False
    row.stopped_at = now
    row.updated_at = now
    session.add(row)
    session.flush()
    return True


def get(session: Session, *, team_id: str, channel_id: str) -> Subscription | None:
    row = _row(session, team_id=team_id, channel_id=channel_id)
    return None if row is None else _subscription(row)


def due(session: Session, *, now: datetime, limit: int) -> list[Subscription]:
    """The next ``limit`` subscriptions due to post, oldest first; no lock taken."""
    return [_subscription(row) for row in session.exec(due_query(now).limit(limit)).all()]


def claim_due(
    session: Session, *, now: datetime, limit: int, team_id: str | None = None, channel_id: str | None = None
) -> list[Subscription]:
    """Lock and read the subscriptions due (or the one named, if it still is), oldest first.

    A clock holds the claim until its transaction has queued the post and moved the
    subscription on; another clock skips the locked rows instead of posting them again.
    """
    query = due_query(now)
    if team_id is not None and channel_id is not None:
        query = query.where(
            col(SummarySubscriptionRow.team_id) == team_id,
            col(SummarySubscriptionRow.channel_id) == channel_id,
        )
    rows = session.exec(query.limit(limit).with_for_update(skip_locked=True)).all()
    return [_subscription(row) for row in rows]


def mark_posted(
    session: Session, *, team_id: str, channel_id: str, posted_on: str | None, next_post_at: datetime,
    now: datetime,
) -> None:  # fmt: skip
    """Move a claimed subscription on to its next post; ``posted_on`` is the local day served
    (None: nothing served, the schedule only moves)."""
    row = _row(session, team_id=team_id, channel_id=channel_id)
    assert row is not None, "claimed before it is marked"
    if posted_on is not None:
        row.last_posted_on = posted_on
    row.next_post_at = next_post_at
    row.updated_at = now
    session.add(row)
    session.flush()


def due_query(now: datetime) -> Any:
    """Running subscriptions due at ``now``, oldest first, read through ``ix_summary_next_post``;
    none of a workspace that removed the bot."""
    # The index's own condition is repeated, so both planners see that the partial index serves.
    return (
        select(SummarySubscriptionRow)
        .where(
            col(SummarySubscriptionRow.stopped_at).is_(None),
            col(SummarySubscriptionRow.next_post_at) <= now,
            installed_only(SummarySubscriptionRow.team_id),
        )
        .order_by(col(SummarySubscriptionRow.next_post_at))
    )


def _row(session: Session, *, team_id: str, channel_id: str) -> SummarySubscriptionRow | None:
    # Fresh from the database: an upsert above bypassed the session's copy.
    return session.get(SummarySubscriptionRow, (team_id, channel_id), populate_existing=True)


def _subscription(row: SummarySubscriptionRow) -> Subscription:
    hours, minutes = row.post_at.split(":")
    return Subscription(
        team_id=row.team_id,
        channel_id=row.channel_id,
        at=time(int(hours), int(minutes)),
        timezone=row.timezone,
        days=parse_working_days(row.working_days),
        owner_id=row.owner_id,
        assignee_id=row.assignee_id,
        quiet=row.quiet,
        subscribed_by=row.subscribed_by,
        next_post_at=row.next_post_at,
        last_posted_on=row.last_posted_on,
        stopped_at=row.stopped_at,
    )
