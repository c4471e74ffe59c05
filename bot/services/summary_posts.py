"""The clock's pass over the channels whose summary is due: read, decide, queue, move on.

Each due channel's scope is read first, outside any transaction (its members are asked of
Slack; Slack down: the channel stays due and the next run tries again). Then, in one
transaction, the subscription is claimed (a second clock passes it by), the summary built
from the histories, its message queued in the outbox and the subscription moved to its next
post. The outbox key is the channel and the local day, so a clock that crashed after
queueing, or a second clock, never posts a day's summary twice. A subscription days behind
(the clock was down) posts once, for the latest post due, and moves on to the next; unless
the next post is later the same local day: then it only moves on, and that post covers both.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from bot.core.summary import build_summary
from bot.core.summary_schedule import latest_post_at, local_day, next_post_at, previous_post_at
from bot.core.tasks import Event, Task
from bot.core.working_time import local_moment
from bot.outbox import store
from bot.outbox.intents import Kind
from bot.services.runtime import Runtime
from bot.services.summaries import subscribe_default_channel
from bot.slack.summary_messages import all_clear_message, summary_message
from bot.slack.summary_replies import scope_text
from storage import summaries
from storage.histories import task_histories
from storage.summaries import Subscription

logger = logging.getLogger(__name__)

BATCH = 200  # subscriptions read per run; the rest wait a minute for the next one
WINDOW = timedelta(days=30)  # the histories a summary reads: open now, or closed since


@dataclass(frozen=True)
class Scope:
    """Whose tasks a channel's summary covers: by the subscription's filter, or its members."""

    owner_id: str | None = None
    assignee_id: str | None = None
    members: frozenset[str] | None = None  # None: the filter alone decides

    def covers(self, task: Task) -> bool:
        if self.owner_id is not None and task.owner_id != self.owner_id:
            return False
        if self.assignee_id is not None and task.assignee_id != self.assignee_id:
            return False
        return self.members is None or bool({task.owner_id, task.assignee_id} & self.members)


def run_due_summaries(rt: Runtime, *, now: datetime | None = None) -> int:
    """Queue the summary of every channel due at ``now``; how many were queued."""
    now = now or rt.now()
    subscribe_default_channel(rt, now=now)
    with rt.db.session_scope(write=False) as session:
        due = summaries.due(session, now=now, limit=BATCH)
    queued = 0
    for subscription in due:
        scope = _scope(rt, subscription)
        if scope is None:
            continue
        try:
            queued += rt.db.write(partial(_post, due=subscription, scope=scope, now=now))
        except Exception:
            # One channel's failure must not hold up the others; it stays due for the next run.
            logger.exception("summary for %s not posted; the next run tries again", subscription.channel_id)
    if queued:
        rt.messages_queued()
    logger.info("summaries: %d due, %d queued", len(due), queued)
    return queued


def _scope(rt: Runtime, subscription: Subscription) -> Scope | None:
    if subscription.owner_id is not None or subscription.assignee_id is not None:
        return Scope(owner_id=subscription.owner_id, assignee_id=subscription.assignee_id)
    try:
        members = rt.gateway.channel_members(subscription.channel_id, team_id=subscription.team_id)
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.warning(
            "summary for %s waits for the next run: its members could not be read (%s)",
            subscription.channel_id, error,
        )  # fmt: skip
        return None
    return Scope(members=frozenset(members))


def _post(session: Session, *, due: Subscription, scope: Scope, now: datetime) -> int:
    """Claim, decide, queue and move on, in the caller's transaction; 1 when a message was queued."""
    claimed = summaries.claim_due(session, now=now, limit=1, team_id=due.team_id, channel_id=due.channel_id)
    if not claimed:
        return 0  # another clock has it, or has posted it already
    sub = claimed[0]
    served = latest_post_at(now, at=sub.at, timezone=sub.timezone, days=sub.days)
    day = local_day(served, sub.timezone).isoformat()
    following = next_post_at(now, at=sub.at, timezone=sub.timezone, days=sub.days)
    if local_day(following, sub.timezone) == local_day(now, sub.timezone):
        # A missed post whose successor is due later today: posting it now would make two
        # summaries this morning. Today's covers it (approvals count since the last real post).
        summaries.mark_posted(
            session, team_id=sub.team_id, channel_id=sub.channel_id, posted_on=None, next_post_at=following,
            now=now,
        )  # fmt: skip
        return 0
    queued = False
    if sub.last_posted_on != day:
        queued = _queue(session, sub, scope, now=now, day=day, done_since=_done_since(sub, served))
    summaries.mark_posted(
        session, team_id=sub.team_id, channel_id=sub.channel_id, posted_on=day, next_post_at=following,
        now=now,
    )  # fmt: skip
    return int(queued)


def _done_since(sub: Subscription, served: datetime) -> datetime:
    """Approvals are news since the last summary: the scheduled one before, or the last one
    really posted when the clock missed some in between."""
    scheduled = previous_post_at(served, at=sub.at, timezone=sub.timezone, days=sub.days)
    if sub.last_posted_on is None:
        return scheduled
    posted = local_moment(date.fromisoformat(sub.last_posted_on), sub.at, sub.timezone)
    return min(scheduled, posted)


def _queue(
    session: Session, sub: Subscription, scope: Scope, *, now: datetime, day: str, done_since: datetime
) -> bool:
    histories = _histories(session, sub, scope, now=now)
    summary = build_summary(histories, now=now, timezone=sub.timezone, done_since=done_since)
    if summary.all_clear and sub.quiet:
        return False  # the channel chose silence on quiet days
    described = scope_text(owner_id=sub.owner_id, assignee_id=sub.assignee_id)
    body = (
        all_clear_message(summary, scope=described)
        if summary.all_clear
        else summary_message(summary, scope=described)
    )
    return store.enqueue(
        session,
        team_id=sub.team_id,
        dedupe_key=f"summary:{sub.channel_id}:{day}",
        kind=Kind.SUMMARY.value,
        recipient_id=sub.channel_id,
        payload=json.dumps(body),
        task_id=None,
        now=now,
    )


def _histories(
    session: Session, sub: Subscription, scope: Scope, *, now: datetime
) -> list[tuple[Task, Sequence[Event]]]:
    person = sub.owner_id or sub.assignee_id  # narrows the read; the scope decides
    read = task_histories(
        session, team_id=sub.team_id, since=now - WINDOW, person=person, held_by=scope.members
    )
    return [(task, events) for task, events in read if scope.covers(task)]
