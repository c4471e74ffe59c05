"""One try at delivering one claimed message, on a lane thread: Slack calls only, no database.

Every way it can end is an ``Outcome`` the sender writes down afterwards. What decides
whether a message may have landed: Slack answered (an error, a 429: not posted; a 5xx:
perhaps), or did not answer at all (a timeout, a dropped connection: perhaps). "Perhaps"
is never resent blindly: the next try looks for the key in the conversation first.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.error import URLError

from slack_sdk.errors import SlackApiError

from bot.core.tasks import Task
from bot.outbox.intents import Kind
from bot.outbox.pacing import WorkspacePace
from bot.outbox.render import render
from bot.slack.gateway import Posted, SlackGateway
from storage.models import OutboxMessage

logger = logging.getLogger(__name__)

ANSWERED_TRIES = 3  # posts per attempt when Slack answers 5xx (each after a look-up)
LONGEST_PACE_WAIT = 1.0  # seconds a lane waits for its workspace's next slot; longer goes back to the queue
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
        "not_in_channel",  # the bot was removed from a channel it posts summaries in
        "user_disabled",
        "user_not_found",
    }
)


@dataclass(frozen=True)
class Claimed:
    """A claimed row with the tasks it is rendered from, read in the claim's transaction."""

    message: OutboxMessage
    task: Task | None
    batch: list[Task] = field(default_factory=list)
    # A Home tab is rendered at the claim, where the database is at hand (lanes don't touch it).
    home: dict[str, Any] | None = None


@dataclass(frozen=True)
class Sent:
    channel: str
    ts: str
    found: bool = False  # an earlier try had landed; found by its key


@dataclass(frozen=True)
class Skipped:
    reason: str


@dataclass(frozen=True)
class Unsent:
    team_id: str
    error: str
    maybe_sent: bool = False  # the try may have landed: look before the next one
    permanent: bool = False
    resume_at: datetime | None = None  # the workspace is rate limited until then


Outcome = Sent | Skipped | Unsent


class Attempt:
    def __init__(self, gateway: SlackGateway, pace: WorkspacePace, *, now: Callable[[], datetime]) -> None:
        self.gateway = gateway
        self.pace = pace
        self.now = now

    def run(self, item: Claimed) -> Outcome:
        """Never raises: a bug here must not stall the queue, and is logged with its message id."""
        try:
            return self._run(item)
        except Exception as error:
            logger.exception("outbox message %s could not be processed", item.message.id)
            return Unsent(item.message.team_id, repr(error), maybe_sent=True)

    def _run(self, item: Claimed) -> Outcome:
        message = item.message
        paused = self.pace.paused_until(message.team_id)
        if paused is not None:
            return Unsent(message.team_id, "workspace rate limited", resume_at=paused)
        body = render(message, item.task, item.batch, now=self.now(), home=item.home)
        if body is None:
            return Skipped("the task moved on before this was sent")
        try:
            return self._send(message, body)
        except SlackApiError as error:
            return self._refused(message, error)
        except (URLError, OSError) as error:  # includes timeouts: no answer, so perhaps posted
            refused = isinstance(getattr(error, "reason", error), ConnectionRefusedError)
            return Unsent(message.team_id, f"no answer from Slack: {error!r}", maybe_sent=not refused)

    def _send(self, message: OutboxMessage, body: dict[str, Any]) -> Outcome:
        posts_new = Kind(message.kind).posts_new_message
        look_first = message.maybe_sent and posts_new
        last: SlackApiError | None = None
        for _ in range(ANSWERED_TRIES):
            if look_first:
                found = self._find(message)
                if found is not None:
                    return Sent(found.channel, found.ts, found=True)
            slot = self.pace.reserve_post(message.team_id, max_wait=LONGEST_PACE_WAIT)
            if slot.paused_until is not None:  # another sender's 429 paused the workspace
                return Unsent(message.team_id, "workspace rate limited", resume_at=slot.paused_until)
            if not slot.taken:  # the workspace's next free slot is further off: back to the queue till then
                return Unsent(message.team_id, "paced", resume_at=self.now() + timedelta(seconds=slot.wait))
            time.sleep(slot.wait)
            try:
                posted = self._post(message, body)
                self.pace.posted(message.team_id)
                return Sent(posted.channel, posted.ts)
            except SlackApiError as error:
                if error.response.status_code < 500:
                    raise
                last = error  # answered, but perhaps after posting: look before the next try
                look_first = posts_new
        assert last is not None
        return Unsent(message.team_id, str(last), maybe_sent=posts_new)

    def _find(self, message: OutboxMessage) -> Posted | None:
        """The message an earlier try posted, looked for where it would have landed."""
        key, team_id = message.dedupe_key, message.team_id
        if message.kind == Kind.SUMMARY:
            return self.gateway.find_in_channel(message.recipient_id, key=key, team_id=team_id)
        return self.gateway.find_dm(message.recipient_id, key=key, team_id=team_id)

    def _post(self, message: OutboxMessage, body: dict[str, Any]) -> Posted:
        if message.kind == Kind.HOME:  # published again in place: no message, so nothing to look for
            self.gateway.publish_home(message.recipient_id, body, team_id=message.team_id)
            return Posted(channel=message.recipient_id, ts="")
        if message.kind == Kind.CARD_UPDATE:
            where = json.loads(message.payload)
            return self.gateway.update(where["channel"], where["ts"], body, team_id=message.team_id)
        if message.kind == Kind.SUMMARY:  # recipient_id is the channel
            return self.gateway.post_to_channel(
                message.recipient_id, body, key=message.dedupe_key, team_id=message.team_id
            )
        return self.gateway.send_dm(
            message.recipient_id, body, key=message.dedupe_key, team_id=message.team_id
        )

    def _refused(self, message: OutboxMessage, error: SlackApiError) -> Outcome:
        if error.response.status_code == 429:
            retry_after = float(
                error.response.headers.get("Retry-After", error.response.headers.get("retry-after", 1))
            )
            posting = str(error.response.api_url).endswith(("chat.postMessage", "chat.update"))
            until = self.pace.rate_limited(message.team_id, retry_after=retry_after, posting=posting)
            return Unsent(message.team_id, "ratelimited", resume_at=until)
        slack_error = error.response.get("error")
        return Unsent(message.team_id, str(error), permanent=slack_error in PERMANENT_ERRORS)
