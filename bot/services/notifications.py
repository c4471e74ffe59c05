"""Who hears about a change, queued in the same transaction as the change itself.

At most one message per recipient per change. The assignee's offer DM is kept current by
editing it in place (chat.update), so their buttons always match the task's state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.core.tasks import Event, EventKind, Task
from bot.slack import messages
from storage import repositories as repo

# Outbox kinds: a new DM, or an edit of a message we sent before.
DM = "dm"
UPDATE = "update"
OFFER = "offer"  # a DM whose channel/ts is remembered as the task's offer card

_TO_OWNER = {
    EventKind.ACCEPTED,
    EventKind.DECLINED,
    EventKind.ASKED,
    EventKind.REPORTED,
    EventKind.DELIVERED,
}
_TO_ASSIGNEE = {
    EventKind.ANSWERED,
    EventKind.APPROVED,
    EventKind.CHANGES_REQUESTED,
    EventKind.EDITED,
    EventKind.TAKEN_BACK,
    EventKind.CANCELLED,
}


@dataclass(frozen=True)
class Outgoing:
    kind: str
    recipient_id: str
    body: dict[str, Any]
    channel: str | None = None
    ts: str | None = None


def queue_for_change(session: Session, *, before: Task, after: Task, event: Event, now: datetime) -> None:
    """Queue every message a change causes; keys make a replay of the same change a no-op."""
    for index, item in enumerate(_messages_for(session, before=before, after=after, event=event)):
        payload: dict[str, Any] = {**item.body}
        if item.channel:
            payload["channel"], payload["ts"] = item.channel, item.ts
        repo.enqueue_message(
            session,
            team_id=after.team_id,
            dedupe_key=f"task:{after.id}:v{after.version}:{index}:{item.kind}:{item.recipient_id}",
            kind=item.kind,
            recipient_id=item.recipient_id,
            payload=json.dumps(payload),
            task_id=after.id,
            now=now,
        )


def _messages_for(session: Session, *, before: Task, after: Task, event: Event) -> list[Outgoing]:
    if event.kind is EventKind.CREATED:
        return [Outgoing(OFFER, after.assignee_id, messages.assignee_card(after))]
    out: list[Outgoing] = []
    offer = _offer_card_update(session, before=before, after=after)
    if offer:
        out.append(offer)
    if event.kind is EventKind.REASSIGNED:
        out.append(Outgoing(OFFER, after.assignee_id, messages.assignee_card(after)))
    elif event.kind in _TO_OWNER:
        out.append(Outgoing(DM, after.owner_id, messages.notice(after, event, for_owner=True)))
    elif event.kind in _TO_ASSIGNEE:
        out.append(Outgoing(DM, after.assignee_id, messages.notice(after, event, for_owner=False)))
    return out


def _offer_card_update(session: Session, *, before: Task, after: Task) -> Outgoing | None:
    """Edit the assignee's offer DM so it shows the new state and the next buttons."""
    assert after.id is not None
    where = repo.offer_message(session, team_id=after.team_id, task_id=after.id)
    if where is None:
        return None  # the offer was never delivered; nothing to edit
    channel, ts = where
    if before.assignee_id != after.assignee_id:
        body = messages.released_card(before, before.assignee_id)
    else:
        body = messages.assignee_card(after)
    return Outgoing(UPDATE, before.assignee_id, body, channel=channel, ts=ts)
