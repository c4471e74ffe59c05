"""Sending what the outbox holds: each message once, rendered from the task as it is now.

A message that still fails after the client's own retries (rate limits, server errors)
goes back to the queue with its error and a growing delay, logged with its task id; after
about a day of failures it is parked as "failed", still in the table, never silently lost.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from bot.core.clarity import check_clarity
from bot.core.tasks import Task
from bot.services.notifications import Kind, event_from_payload
from bot.services.runtime import Runtime
from bot.slack import messages
from bot.slack.gateway import Posted
from storage import repositories as repo
from storage.models import OutboxMessage

logger = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
MAX_ATTEMPTS = 30  # 30 s, 1 min, 2 min … then hourly: about a day in all
# Slack's answers that no retry will change: the message is parked as failed at once.
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "invalid_blocks",
        "is_archived",
        "message_not_found",
        "msg_blocks_too_long",
        "user_disabled",
        "user_not_found",
    }
)
# A send takes seconds even with rate-limit retries; a claim this old belongs to a dead sender.
ABANDONED_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class FlushResult:
    sent: int
    failed: int
    skipped: int = 0


def flush(rt: Runtime, *, limit: int = 100) -> FlushResult:
    """Send the messages that are due, in the order they were queued."""
    now = rt.now()
    with rt.db.session_scope() as session:
        repo.release_abandoned_claims(session, claimed_before=now - ABANDONED_AFTER)
        due = list(repo.pending_messages(session, due_by=now, limit=limit))
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for message in due:
        assert message.id is not None
        with rt.db.session_scope() as session:
            if not repo.claim_message(session, message_id=message.id, now=rt.now()):
                continue  # another sender has it
        counts[_send_one(rt, message)] += 1
    return FlushResult(**counts)


def _send_one(rt: Runtime, message: OutboxMessage) -> str:
    """Send one message; whatever goes wrong, it leaves the "sending" state and the queue moves on."""
    try:
        return _send(rt, message)
    except Exception as error:  # a bug or a database hiccup here must not stall every later message
        assert message.id is not None
        logger.exception("outbox message %s could not be processed", message.id)
        with rt.db.session_scope() as session:
            repo.mark_unsent(
                session, message_id=message.id, error=repr(error), retry_at=_retry_at(rt, message)
            )
        return "failed"


def _send(rt: Runtime, message: OutboxMessage) -> str:
    assert message.id is not None
    with rt.db.session_scope() as session:
        task = repo.get_task_by_id(session, team_id=message.team_id, task_id=message.task_id or 0)
        batch = _receipt_tasks(session, message) if message.kind == Kind.RECEIPT else []
    body = _render(message, task, batch)
    if task is None or body is None:
        with rt.db.session_scope() as session:
            repo.mark_skipped(session, message_id=message.id, reason="the task moved on before this was sent")
        return "skipped"
    try:
        posted = _deliver(rt, message, body)
    except (SlackApiError, SlackClientError, OSError) as error:
        _keep_for_later(rt, message, task, error)
        return "failed"
    with rt.db.session_scope() as session:
        repo.mark_sent(session, message_id=message.id, channel=posted.channel, ts=posted.ts, now=rt.now())
        if message.kind == Kind.CARD:
            repo.set_offer_message(
                session,
                team_id=task.team_id,
                task_id=message.task_id or 0,
                assignee_id=message.recipient_id,
                channel=posted.channel,
                ts=posted.ts,
            )
    return "sent"


def _receipt_tasks(session: Session, message: OutboxMessage) -> list[Task]:
    numbers = json.loads(message.payload)["numbers"]
    found = (repo.get_task(session, team_id=message.team_id, number=n) for n in numbers)
    return [task for task in found if task is not None]


def _render(message: OutboxMessage, task: Task | None, batch: list[Task]) -> dict[str, Any] | None:
    """The message body from the task as it is now; None when there is nothing left to say."""
    if task is None:
        return None
    payload = json.loads(message.payload)
    if message.kind == Kind.RECEIPT:
        return messages.delegation_receipt(batch, check_clarity(task.done_when, task.due_at))
    is_assignee = message.recipient_id == task.assignee_id
    if message.kind == Kind.CARD:
        return messages.assignee_card(task) if is_assignee else None  # offered to someone else since
    if message.kind == Kind.CARD_UPDATE:
        return messages.assignee_card(task) if is_assignee else messages.released_card(task)
    event = event_from_payload(payload)
    return messages.notice(task, event, for_owner=bool(payload["for_owner"]))


def _deliver(rt: Runtime, message: OutboxMessage, body: dict[str, Any]) -> Posted:
    if message.kind == Kind.CARD_UPDATE:
        payload = json.loads(message.payload)
        return rt.gateway.update(payload["channel"], payload["ts"], body)
    return rt.gateway.send_dm(message.recipient_id, body)


def _keep_for_later(rt: Runtime, message: OutboxMessage, task: Task, error: Exception) -> None:
    assert message.id is not None
    slack_error = error.response.get("error") if isinstance(error, SlackApiError) else None
    retry_at = None if slack_error in PERMANENT_ERRORS else _retry_at(rt, message)
    logger.log(
        logging.WARNING if retry_at else logging.ERROR,
        "message %s about %s not sent (attempt %s, %s): %s",
        message.id,
        task.ref,
        message.attempts + 1,
        f"retry after {retry_at:%H:%M:%S}" if retry_at else "gave up",
        error,
        extra={"task": task.ref, "outbox_id": message.id},
    )
    with rt.db.session_scope() as session:
        repo.mark_unsent(session, message_id=message.id, error=str(error), retry_at=retry_at)


def _retry_at(rt: Runtime, message: OutboxMessage) -> datetime | None:
    """When to try again: 30 s, 1 min, 2 min … capped at an hour; None once it's hopeless."""
    attempt = message.attempts + 1
    if attempt >= MAX_ATTEMPTS:
        return None
    return rt.now() + min(FIRST_RETRY * 2 ** (attempt - 1), LONGEST_WAIT)
