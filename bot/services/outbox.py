"""Sending what the outbox holds: each message once, failures kept for a later try."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.services.notifications import OFFER, UPDATE
from bot.services.runtime import Runtime
from storage import repositories as repo
from storage.models import OutboxMessage

logger = logging.getLogger(__name__)

# After this many failed attempts a message is parked as "failed" (still in the table,
# with its last error) instead of being retried forever.
MAX_ATTEMPTS = 10
# A send takes seconds even with rate-limit retries; a claim this old belongs to a dead sender.
ABANDONED_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class FlushResult:
    sent: int
    failed: int


def flush(rt: Runtime, *, team_id: str | None = None, limit: int = 100) -> FlushResult:
    """Send pending messages in the order they were queued.

    A message that still fails after the client's own retries (rate limits, server errors)
    goes back to the queue with its error, and is logged with its task, never dropped.
    """
    with rt.db.session_scope() as session:
        repo.release_abandoned_claims(session, claimed_before=rt.now() - ABANDONED_AFTER)
        pending = list(repo.pending_messages(session, team_id=team_id, limit=limit))
    sent = failed = 0
    for message in pending:
        assert message.id is not None
        with rt.db.session_scope() as session:
            if not repo.claim_message(session, message_id=message.id, now=rt.now()):
                continue  # another sender has it
        if _send(rt, message):
            sent += 1
        else:
            failed += 1
    return FlushResult(sent=sent, failed=failed)


def _send(rt: Runtime, message: OutboxMessage) -> bool:
    assert message.id is not None
    body = json.loads(message.payload)
    try:
        if message.kind == UPDATE:
            posted = rt.gateway.update(body["channel"], body["ts"], body)
        else:
            posted = rt.gateway.send_dm(message.recipient_id, body)
    except (SlackApiError, SlackClientError, OSError) as error:
        give_up = message.attempts + 1 >= MAX_ATTEMPTS
        with rt.db.session_scope() as session:
            repo.mark_unsent(session, message_id=message.id, error=str(error), give_up=give_up)
            task = repo.get_task_by_id(session, team_id=message.team_id, task_id=message.task_id or 0)
        logger.log(
            logging.ERROR if give_up else logging.WARNING,
            "message %s about %s not sent (%s): %s",
            message.id,
            task.ref if task else "no task",
            "gave up" if give_up else "kept for retry",
            error,
            extra={"task": task.ref if task else None, "outbox_id": message.id},
        )
        return False
    with rt.db.session_scope() as session:
        repo.mark_sent(session, message_id=message.id, channel=posted.channel, ts=posted.ts, now=rt.now())
        if message.kind == OFFER and message.task_id is not None:
            repo.set_offer_message(
                session,
                team_id=message.team_id,
                task_id=message.task_id,
                channel=posted.channel,
                ts=posted.ts,
            )
    return True
