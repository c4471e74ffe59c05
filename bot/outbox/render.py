"""A queued intent becomes a message body, from the task as it is when it is sent."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.core.clarity import check_clarity
from bot.core.nudges import NudgeKind, still_applies
from bot.core.tasks import Task
from bot.outbox.intents import Kind, SeriesNews, event_from_payload
from bot.slack import messages, series_messages
from bot.slack.nudge_messages import nudge_message
from storage.models import OutboxMessage


def render(
    message: OutboxMessage,
    task: Task | None,
    batch: list[Task],
    *,
    now: datetime | None = None,
    home: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """The message body; None when there is nothing left to say (the task moved on).

    ``now`` is the sender's clock (nudges depend on it); the wall clock when not given.
    ``home`` is a Home tab's view, rendered at the claim (None: it could not be).
    """
    if message.kind == Kind.SUMMARY:
        return summary_body(message)
    if message.kind == Kind.HOME:
        return home
    if task is None:
        return None
    payload = json.loads(message.payload)
    kind = Kind(message.kind)
    if kind is Kind.NUDGE:
        return _nudge(message, task, payload, now=now or datetime.now(UTC))
    if kind is Kind.RECEIPT:
        return messages.delegation_receipt(batch, check_clarity(task.done_when, task.due_at))
    if kind is Kind.SERIES:
        news = SeriesNews(payload["news"])
        every = payload["every"]
        return series_messages.series_notice(task, news, assignee_id=payload["assignee_id"], every=every)
    is_assignee = message.recipient_id == task.assignee_id
    if kind is Kind.CARD:
        return messages.assignee_card(task) if is_assignee else None  # offered to someone else since
    if kind is Kind.CARD_UPDATE:
        return messages.assignee_card(task) if is_assignee else messages.released_card(task)
    event = event_from_payload(payload)
    return messages.notice(task, event, for_owner=bool(payload["for_owner"]))


def _nudge(
    message: OutboxMessage, task: Task, payload: dict[str, Any], *, now: datetime
) -> dict[str, Any] | None:
    """A nudge as the task is now; None (skipped, never sent stale) once it no longer applies."""
    nudge = NudgeKind(payload["nudge"])
    if not still_applies(nudge, task, message.recipient_id, now=now):
        return None
    late_by = None
    if nudge is NudgeKind.OVERDUE and task.due_at is not None:
        late_by = now - task.due_at  # how late it is when read, not when decided
    elif payload.get("late_by") is not None:
        late_by = timedelta(seconds=int(payload["late_by"]))
    return nudge_message(task, nudge, recipient_id=message.recipient_id, late_by=late_by, now=now)


def summary_body(message: OutboxMessage) -> dict[str, Any]:
    """A channel's summary is decided when queued (it covers a day, not one task): sent as it is."""
    body: dict[str, Any] = json.loads(message.payload)
    return body


def receipt_numbers(message: OutboxMessage) -> list[int]:
    """The task numbers a receipt lists (other kinds list none)."""
    if message.kind != Kind.RECEIPT:
        return []
    return [int(n) for n in json.loads(message.payload)["numbers"]]
