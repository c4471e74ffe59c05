"""What the outbox holds: who hears about a change, queued in the same transaction as the change.

Only the intent is stored ("show Alice her task card", "tell the owner about this event");
the Slack side renders it when it sends, from the task as it is then. So a message that
waited out an outage never shows buttons for a state the task has left. At most one
message per recipient per change; the assignee's task card is edited in place.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from bot.core.tasks import Event, EventKind, Health, Task
from bot.outbox import store
from storage import repositories as repo


class Kind(StrEnum):
    CARD = "card"  # a new DM with the task card; its location is remembered for updates
    CARD_UPDATE = "card_update"  # edit a card sent before (payload: channel, ts)
    NOTICE = "notice"  # a DM about one event (payload: the event, and which side it is for)
    RECEIPT = "receipt"  # the owner's summary of a delegation made in the form (payload: task numbers)
    NUDGE = "nudge"  # a reminder decided by the sweep (payload: nudge kind, period, how late)
    SERIES = "series"  # news about a recurring series (payload: series id, what happened)
    # A channel's daily summary; recipient_id is the channel, payload the message as decided.
    SUMMARY = "summary"
    # Republish a person's Home tab, rendered when sent; one per person per HOME_REFRESH_EVERY.
    HOME = "home"

    @property
    def posts_new_message(self) -> bool:
        """A new message may land twice if sent twice; an edit of a card, or a Home tab
        published again, lands the same every time."""
        return self not in (Kind.CARD_UPDATE, Kind.HOME)


TO_OWNER = frozenset(
    {EventKind.ACCEPTED, EventKind.DECLINED, EventKind.ASKED, EventKind.REPORTED, EventKind.DELIVERED}
)
TO_ASSIGNEE = frozenset(
    {
        EventKind.ANSWERED,
        EventKind.APPROVED,
        EventKind.CHANGES_REQUESTED,
        EventKind.EDITED,
        EventKind.TAKEN_BACK,
        EventKind.CANCELLED,
    }
)

# How the task stands, when the owner must hear of it without waiting for a nudge.
RAISED = frozenset({Health.AT_RISK, Health.BLOCKED})


@dataclass(frozen=True)
class Intent:
    kind: Kind
    recipient_id: str
    payload: dict[str, Any]


def queue_for_change(
    session: Session, *, before: Task, after: Task, event: Event, now: datetime, home_every: timedelta
) -> None:
    """Queue every message a change causes; keys make a replay of the same change a no-op.

    Both sides' Home tabs (and the previous assignee's, after a reassignment) are refreshed
    too, at most once per person per ``home_every`` (``HOME_REFRESH_EVERY``).
    """
    assert after.id is not None, "save the task before queueing its messages"
    for index, intent in enumerate(intents_for(session, before=before, after=after, event=event)):
        key = f"task:{after.id}:v{after.version}:{index}:{intent.kind}:{intent.recipient_id}"
        _enqueue(session, task=after, dedupe_key=key, intent=intent, now=now)
    people = dict.fromkeys((after.owner_id, after.assignee_id, before.assignee_id))
    for user_id in people:
        queue_home_refresh(session, team_id=after.team_id, user_id=user_id, now=now, every=home_every)


# A change whose transaction began just before a window's end may commit just after it: the
# window's Home is rendered this much after its end, so it shows that change too.
HOME_SETTLE = timedelta(seconds=1)


def queue_home_refresh(
    session: Session, *, team_id: str, user_id: str, now: datetime, every: timedelta
) -> None:
    """Republish ``user_id``'s Home tab at the end of the current window of ``every``: one insert.

    Every change in the window lands on the same key, so they make one publish, rendered
    when it is sent from the tasks as they are then; a change in the next window makes the next.
    """
    window, ends = home_window(now, every)
    store.enqueue(
        session,
        team_id=team_id,
        dedupe_key=f"home:{user_id}:{window}",
        kind=Kind.HOME.value,
        recipient_id=user_id,
        payload="{}",
        task_id=None,
        now=now,
        not_before=ends + HOME_SETTLE,
    )


def home_window(now: datetime, every: timedelta) -> tuple[int, datetime]:
    """The number of the window of length ``every`` (at least a second) that ``now`` falls in, and its end."""
    size = max(every.total_seconds(), 1.0)
    window = math.floor(now.timestamp() / size)
    return window, datetime.fromtimestamp((window + 1) * size, tz=UTC)


def queue_receipt(session: Session, *, tasks: list[Task], request_key: str, now: datetime) -> None:
    """The owner's summary of what was handed off, for delegations that have no reply channel."""
    first = tasks[0]
    intent = Intent(Kind.RECEIPT, first.owner_id, {"numbers": [task.number for task in tasks]})
    _enqueue(session, task=first, dedupe_key=f"receipt:{request_key}", intent=intent, now=now)


class SeriesNews(StrEnum):
    STOPPED = "stopped"  # the owner stopped it: told to the assignee
    ASSIGNEE_LEFT = "assignee_left"  # its assignee left the workspace: told to the owner


def queue_series_notice(
    session: Session,
    *,
    task: Task,
    series_id: int,
    news: SeriesNews,
    recipient_id: str,
    assignee_id: str,
    every: str,
    now: datetime,
) -> None:
    """News about the series ``task`` (its latest occurrence) belongs to; once per series and news.

    ``assignee_id`` is whom the series was handed to: the notice names them, whoever has ``task`` now.
    ``every`` is how it repeated (as stored): a stopped series' occurrences no longer say it.
    """
    payload = {"series_id": series_id, "news": news.value, "assignee_id": assignee_id, "every": every}
    intent = Intent(Kind.SERIES, recipient_id, payload)
    _enqueue(session, task=task, dedupe_key=f"series:{series_id}:{news.value}", intent=intent, now=now)


def refresh_card(
    session: Session, *, task: Task, recipient_id: str, channel: str, ts: str, now: datetime
) -> None:
    """The card at (channel, ts) was rendered from an older version of the task: bring it up to date."""
    intent = Intent(Kind.CARD_UPDATE, recipient_id, {"channel": channel, "ts": ts})
    key = f"task:{task.id}:v{task.version}:refresh:{channel}:{ts}"
    _enqueue(session, task=task, dedupe_key=key, intent=intent, now=now)


def _enqueue(session: Session, *, task: Task, dedupe_key: str, intent: Intent, now: datetime) -> None:
    store.enqueue(
        session,
        team_id=task.team_id,
        dedupe_key=dedupe_key,
        kind=intent.kind.value,
        recipient_id=intent.recipient_id,
        payload=json.dumps(intent.payload),
        task_id=task.id,
        now=now,
    )


def intents_for(session: Session, *, before: Task, after: Task, event: Event) -> list[Intent]:
    if event.kind is EventKind.CREATED:
        return [Intent(Kind.CARD, after.assignee_id, {})]
    intents = _card_update(session, before=before, after=after)
    if event.kind is EventKind.REASSIGNED and before.assignee_id != after.assignee_id:
        # The old card is released (above) and stops being the task's card; the new
        # assignee's card becomes it once it is sent.
        assert after.id is not None
        repo.forget_offer_message(session, team_id=after.team_id, task_id=after.id)
        intents.append(Intent(Kind.CARD, after.assignee_id, {}))
    elif event.kind is EventKind.REASSIGNED and not intents:
        intents.append(Intent(Kind.CARD, after.assignee_id, {}))  # offered again, old card never arrived
    elif event.kind in TO_OWNER:
        intents.append(Intent(Kind.NOTICE, after.owner_id, notice_payload(event, for_owner=True)))
    elif event.kind is EventKind.FLAGGED and after.health in RAISED:
        # At risk and blocked reach the owner at once; on track is a word for the record only.
        intents.append(Intent(Kind.NOTICE, after.owner_id, notice_payload(event, for_owner=True)))
    elif event.kind in TO_ASSIGNEE:
        intents.append(Intent(Kind.NOTICE, after.assignee_id, notice_payload(event, for_owner=False)))
    return intents


def _card_update(session: Session, *, before: Task, after: Task) -> list[Intent]:
    """Edit the card the (previous) assignee has, if it reached them yet.

    A card still waiting in the outbox needs no edit: it is rendered when it is sent.
    """
    assert after.id is not None
    where = repo.offer_message(session, team_id=after.team_id, task_id=after.id)
    if where is None:
        return []
    channel, ts = where
    return [Intent(Kind.CARD_UPDATE, before.assignee_id, {"channel": channel, "ts": ts})]


def notice_payload(event: Event, *, for_owner: bool) -> dict[str, Any]:
    return {
        "event": {
            "kind": event.kind.value,
            "actor_id": event.actor_id,
            "at": event.at.isoformat(),
            "text": event.text,
        },
        "for_owner": for_owner,
    }


def event_from_payload(payload: dict[str, Any]) -> Event:
    raw = payload["event"]
    return Event(EventKind(raw["kind"]), raw["actor_id"], datetime.fromisoformat(raw["at"]), raw["text"])


@dataclass(frozen=True)
class NudgeToQueue:
    """A nudge the sweep recorded: what ``queue_nudges`` turns into an outbox message."""

    team_id: str
    task_id: int
    kind: str  # a bot.core.nudges.NudgeKind
    recipient_id: str
    period: str
    late_by: timedelta | None = None


def nudge_key(nudge: NudgeToQueue) -> str:
    return f"nudge:{nudge.task_id}:{nudge.kind}:{nudge.recipient_id}:{nudge.period}"


def queue_nudges(session: Session, *, nudges: Sequence[NudgeToQueue], now: datetime) -> int:
    """Queue the sweep's new nudges in one statement, in the transaction that recorded them.

    The key is the nudge's own unique key, so a nudge queued once is never queued again.
    Rendered at send time (``Kind.NUDGE``), from the task as it is then.
    """
    return store.enqueue_many(
        session,
        messages=[
            store.Queued(
                team_id=n.team_id,
                dedupe_key=nudge_key(n),
                kind=Kind.NUDGE.value,
                recipient_id=n.recipient_id,
                payload=json.dumps(
                    {
                        "nudge": n.kind,
                        "period": n.period,
                        "late_by": None if n.late_by is None else int(n.late_by.total_seconds()),
                    }
                ),
                task_id=n.task_id,
            )
            for n in nudges
        ],
        now=now,
    )


def queue_nudge(session: Session, *, nudge: NudgeToQueue, now: datetime) -> bool:
    """One nudge: False when it was queued before."""
    return queue_nudges(session, nudges=[nudge], now=now) == 1
