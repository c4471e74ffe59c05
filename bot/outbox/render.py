"""A queued intent becomes a message body, from the task as it is when it is sent."""

from __future__ import annotations

import json
from typing import Any

from bot.core.clarity import check_clarity
from bot.core.tasks import Task
from bot.outbox.intents import Kind, event_from_payload
from bot.slack import messages
from storage.models import OutboxMessage


def render(message: OutboxMessage, task: Task | None, batch: list[Task]) -> dict[str, Any] | None:
    """The message body; None when there is nothing left to say (the task moved on)."""
    if task is None:
        return None
    payload = json.loads(message.payload)
    kind = Kind(message.kind)
    if kind is Kind.RECEIPT:
        return messages.delegation_receipt(batch, check_clarity(task.done_when, task.due_at))
    is_assignee = message.recipient_id == task.assignee_id
    if kind is Kind.CARD:
        return messages.assignee_card(task) if is_assignee else None  # offered to someone else since
    if kind is Kind.CARD_UPDATE:
        return messages.assignee_card(task) if is_assignee else messages.released_card(task)
    event = event_from_payload(payload)
    return messages.notice(task, event, for_owner=bool(payload["for_owner"]))


def receipt_numbers(message: OutboxMessage) -> list[int]:
    """The task numbers a receipt lists (other kinds list none)."""
    if message.kind != Kind.RECEIPT:
        return []
    return [int(n) for n in json.loads(message.payload)["numbers"]]
