"""The ``workspace_pace`` table: one row per workspace Slack has ever answered 429.

``reserve_slot`` is the hot path, one locked read (and a write) per post to a paced workspace; the rest
runs once per 429 and once per process joining its count. None of these functions commits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import or_, update
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
    taken: float | None = None  # the slot reserved for this post, when one was


def reserve_slot(
    session: Session, *, team_id: str, at: float, now: datetime, learned_since: float, max_wait: float
) -> PaceState | None:
    """Take the workspace's next post slot, if it is paced and that slot is within ``max_wait``.

    Paced means a rate learned since ``learned_since`` and no pause at ``now``; the next slot
    is the later of ``next_slot`` and ``at``. A slot taken moves ``next_slot`` on by one
    interval (``taken`` says where it starts); one further off is left for later, so senders
    that give up waiting never push the workspace's slots out of reach. Otherwise nothing
    changes and the state says why (paused, or no pace). None: the workspace has no row.
    The row stays locked until the transaction ends, so two senders never take one slot.
    """
    row = session.exec(select(Row).where(col(Row.team_id) == team_id).with_for_update()).first()
    if row is None:
        return None
    state = PaceState(row.rate, row.learned_at, row.paused_until, row.next_slot, row.counted_at)
    paused = row.paused_until is not None and row.paused_until > now
    if row.rate is None or (row.learned_at or 0.0) < learned_since or paused:
        return state
    slot = max(row.next_slot, at)
    if slot - at > max_wait:
        return replace(state, next_slot=slot)
    session.execute(
        update(Row)
        .where(col(Row.team_id) == team_id)
        .values(next_slot=slot + 1.0 / row.rate)
        .execution_options(synchronize_session=False)
    )
    return replace(state, next_slot=slot + 1.0 / row.rate, taken=slot)


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
