"""Requests that are not lost once Slack has its answer.

Slack does not retry a slash command or a form after our 200, so work done after the ack
dies with the process unless it was written down first. Requests that need no Slack
look-up are simply carried out before the ack (their change is committed by the time
Slack hears from us). Those that must look people up in Slack first — handing a task to
people, reassigning it, reading a due date in the owner's timezone — can't be: Slack may
take seconds, and it gets its answer within 3. So they go through the inbox:

1. ``accept`` commits a row holding the request (keyed by its request key), then acks;
2. the work runs, and the transaction that records its change deletes the row (the
   services do that for their ``request_key``); a refusal deletes it too;
3. a row still there when a process starts, kept by a process that has stopped (same host,
   its pid gone; see :mod:`bot.process_ids`) or by another host's process longer ago than
   ``OTHER_HOST_LEASE``, was cut short: ``resume`` does its work then. Rows of a sibling
   worker that still runs are left to it. The request key makes the change count once, and
   the outbox keys its messages, so nobody gets a second task or DM; only the reply to the
   person may come twice, if another host's process was still busy with it past the lease.

A bug in the work is reported to the person with an error id and the row is kept as
"failed" beside the log, never retried on its own: they were told to try again.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_bolt import Ack

from bot import process_ids
from bot.core.errors import HandoffError
from bot.services.runtime import Runtime
from bot.slack.errors import report_error
from storage import inbox
from storage.models import InboxRequest

logger = logging.getLogger(__name__)

Payload = dict[str, Any]
Work = Callable[[Runtime, Payload], None]

# Which work each kind of kept request does; the listener modules fill it as they load.
_WORK: dict[str, Work] = {}
# A request kept by a process on another host is taken over once it is this old: its work
# takes seconds, and whether that process still runs can't be seen from here.
OTHER_HOST_LEASE = timedelta(minutes=10)


def work(kind: str) -> Callable[[Work], Work]:
    """Register the function that carries out a kept request of this kind."""

    def register(function: Work) -> Work:
        _WORK[kind] = function
        return function

    return register


def accept(rt: Runtime, ack: Ack, *, kind: str, team_id: str, request_key: str, payload: Payload) -> None:
    """Keep the request, answer Slack, then do the work.

    ``payload`` holds what the work needs, including ``user_id`` (and ``response_url``
    when there is one) so that errors reach the person who acted.
    """
    new = keep(rt, kind=kind, team_id=team_id, request_key=request_key, payload=payload)
    ack()
    if new:  # else the same request is being handled already (a retry arriving early)
        run(rt, kind=kind, team_id=team_id, request_key=request_key, payload=payload)


def keep(rt: Runtime, *, kind: str, team_id: str, request_key: str, payload: Payload) -> bool:
    """Commit the request to the inbox; False when the same request is kept already."""
    assert kind in _WORK, f"no work registered for {kind}"
    with rt.db.session_scope() as session:
        return inbox.record(
            session,
            team_id=team_id,
            request_key=request_key,
            kind=kind,
            payload=json.dumps(payload),
            now=rt.now(),
            claim=process_ids.this_process(),
        )


def run(rt: Runtime, *, kind: str, team_id: str, request_key: str, payload: Payload) -> None:
    """Carry out a kept request; whatever happens, it doesn't stay pending."""
    try:
        _WORK[kind](rt, payload)
    except HandoffError as error:
        rt.db.write(lambda session: inbox.forget(session, team_id=team_id, request_key=request_key))
        report_error(error, body=payload, rt=rt)
    except Exception as error:
        error_id = report_error(error, body=payload, rt=rt) or ""
        rt.db.write(
            lambda session: inbox.mark_failed(
                session, team_id=team_id, request_key=request_key, error_id=error_id
            )
        )


def resume(rt: Runtime) -> int:
    """Do the work of requests that were answered but cut short; returns how many were done."""
    done = 0
    with rt.db.session_scope(write=False) as session:
        left = list(inbox.unfinished(session))
    for row in left:
        if not _left_behind(rt, row):
            continue  # its process still runs (this one, or a sibling worker): it is being done
        if not _take_over(rt, row):
            continue  # another process starting at the same time has it
        if row.kind not in _WORK:
            logger.error("inbox request %s of unknown kind %s left as it is", row.id, row.kind)
            continue
        logger.info("finishing request %s (%s) cut short before", row.id, row.kind)
        payload = json.loads(row.payload)
        run(rt, kind=row.kind, team_id=row.team_id, request_key=row.request_key, payload=payload)
        done += 1
    return done


def _left_behind(rt: Runtime, row: InboxRequest) -> bool:
    """Whether the process that kept this request has stopped without doing it."""
    if row.claim is None or process_ids.is_gone(row.claim):
        return True
    return not process_ids.on_this_host(row.claim) and row.received_at < rt.now() - OTHER_HOST_LEASE


def _take_over(rt: Runtime, row: InboxRequest) -> bool:
    assert row.id is not None
    row_id, seen = row.id, row.claim
    return rt.db.write(
        lambda session: inbox.take_over(
            session, team_id=row.team_id, row_id=row_id, seen_claim=seen, claim=process_ids.this_process()
        )
    )


def resume_in_background(rt: Runtime) -> threading.Thread:
    """``resume`` on its own thread, so a slow Slack never holds up the start."""

    def resume_logged() -> None:
        try:
            resume(rt)
        except Exception:
            logger.exception("could not finish the requests left by an earlier run")

    thread = threading.Thread(target=resume_logged, name="inbox-resume", daemon=True)
    thread.start()
    return thread
