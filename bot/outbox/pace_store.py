"""The ``workspace_pace`` table: one row per workspace Slack has ever answered 429.

``reserve_slot`` is the hot path, one statement per post to a paced workspace; the rest
runs once per 429 and once per process joining its count. None of these functions commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, or_, update
from sqlmodel import Session, col, select

from storage.inserts import dialect_insert
from storage.models import WorkspacePaceRow

Row = WorkspacePaceRow


@dataclass(frozen=True)
class PaceState:
    rate: float | None
    learned_at: float | None
    paused_until: datetime | None
    next_slot: float
    counted_at: float | None


def reserve_slot(
    session: Session, *, team_id: str, at: float, now: datetime, learned_since: float
) -> PaceState | None:
    """Take the workspace's next post slot in one atomic statement, if it is paced.

    Paced means a rate learned since ``learned_since`` and no pause at ``now``; then
    ``next_slot`` moves on by one interval from whichever is later, itself or ``at``, and
    the slot taken is the returned ``next_slot`` less one interval. Otherwise nothing
    changes and the state says why (paused, or no pace). None: the workspace has no row.
    """
    paced = and_(
        col(Row.rate).is_not(None),
        col(Row.learned_at) >= learned_since,
        or_(col(Row.paused_until).is_(None), col(Row.paused_until) <= now),
    )
    start = case((col(Row.next_slot) > at, col(Row.next_slot)), else_=at)
    statement: Any = (
        update(Row)
        .where(col(Row.team_id) == team_id)
        .values(next_slot=case((paced, start + 1.0 / col(Row.rate)), else_=col(Row.next_slot)))
        .returning(
            col(Row.rate), col(Row.learned_at), col(Row.paused_until), col(Row.next_slot), col(Row.counted_at)
        )
        .execution_options(synchronize_session=False)
    )
    found = session.execute(statement).first()
    return None if found is None else PaceState(*found)


def locked(session: Session, team_id: str) -> WorkspacePaceRow:
    """The workspace's row, created if missing, locked until the transaction ends."""
    new = dialect_insert(session, Row).values(team_id=team_id, next_slot=0.0, counted_posts=0)
    session.execute(new.on_conflict_do_nothing())
    query = select(Row).where(col(Row.team_id) == team_id).with_for_update()
    return session.exec(query).one()


def recent(session: Session, *, now: datetime, counted_since: float) -> list[WorkspacePaceRow]:
    """Workspaces paused now, or counting the posts before a recent 429 (a short list)."""
    query = select(Row).where(or_(col(Row.paused_until) > now, col(Row.counted_at) >= counted_since))
    return list(session.exec(query).all())
