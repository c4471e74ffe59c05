"""The sender: claims due messages in batches, sends them, records what happened.

Per round (``pump``): write the outcomes the lanes finished (one transaction), then claim
batches of due messages, oldest first (one transaction each), until a batch comes back
short or enough is in flight. Each claimed message goes to the lane of its recipient, which
renders it from the task as it was at the claim, and sends it. The queue is touched only
here, in the pump; lanes talk to Slack, and to the database only for a paced workspace's
next post slot (``pacing``), going on without it when it is lost. So a lost database stalls
no send, and an outcome that cannot be written yet waits in memory until the database is back.

Claims (see ``bot.outbox`` for the guarantee): this sender's id is ``host:pid:token``
(:mod:`bot.process_ids`). At start it releases claims whose sender is gone: the same host and
a process id that no longer runs, or this very process id under another token (a container
restarted as pid 1). Claims of other hosts are released when their lease ends
(``CLAIM_LEASE``), which living senders keep renewing. A released claim is marked "maybe
sent", so it is looked for before it is sent again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot import process_ids
from bot.core.tasks import Task
from bot.outbox import store
from bot.outbox.attempt import Attempt, Claimed, Outcome, Sent, Skipped, Unsent
from bot.outbox.intents import Kind, refresh_card
from bot.outbox.lanes import Lanes
from bot.outbox.pacing import WorkspacePace
from bot.outbox.render import receipt_numbers
from bot.services.home import read_home
from bot.services.runtime import Runtime
from bot.slack.gateway import SlackGateway
from bot.slack.home_messages import home_view
from storage import repositories as repo
from storage.models import OutboxMessage

logger = logging.getLogger(__name__)

BATCH = 100
WORKERS = 8
CLAIM_LEASE = timedelta(minutes=2)  # a living sender renews its claims well within this
HOUSEKEEPING_EVERY = 30.0  # seconds between renewing claims, releasing expired ones, pruning
RETRY_SOON = 0.5  # seconds before the next round when outcomes wait for the database
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
MAX_ATTEMPTS = 30  # 30 s, 1 min, 2 min … then hourly: about a day in all


@dataclass(frozen=True)
class FlushResult:
    sent: int
    failed: int
    skipped: int = 0


class OutboxSender:
    def __init__(
        self,
        rt: Runtime,
        gateway: SlackGateway,
        *,
        keep: timedelta = timedelta(days=7),
        workers: int = WORKERS,
        batch: int = BATCH,
        on_progress: Callable[[], None] = lambda: None,
        on_sent: Callable[[Claimed, Sent], None] = lambda item, sent: None,
    ) -> None:
        self.rt = rt
        self.keep = keep
        self.batch = batch
        self.sender_id = process_ids.new_holder()
        self.gateway = gateway
        self.pace = WorkspacePace(rt.db, now=rt.now)
        self._attempt = Attempt(gateway, self.pace, now=rt.now)
        self._lanes = Lanes(workers=workers, on_done=lambda: on_progress())
        self._lock = threading.Lock()
        self._pump_lock = threading.Lock()
        self._outcomes: list[tuple[Claimed, Outcome]] = []
        self._counts = {"sent": 0, "failed": 0, "skipped": 0}
        self._started = False
        self._stopping = False
        self._failing = False
        self._last_housekeeping = 0.0
        # Told of each message once its sending is written down (a one-shot sweep prints them).
        self._on_sent = on_sent

    # --- rounds ------------------------------------------------------------------------

    def pump(self) -> float | None:
        """One round; returns the seconds until a round is needed again (None: when poked)."""
        with self._pump_lock:
            try:
                self._record()
                if time.monotonic() - self._last_housekeeping > HOUSEKEEPING_EVERY or not self._started:
                    self.housekeep()
                self._claim_and_hand_out()
            except Exception:
                if not self._failing:  # once per outage, not every half second
                    logger.exception("outbox round failed (database unreachable?); trying again shortly")
                self._failing = True
                return RETRY_SOON
            if self._failing:
                logger.info("outbox rounds work again")
                self._failing = False
            return self.pace.seconds_to_next_resume()

    def flush(self, timeout: float = 30.0) -> FlushResult:
        """Send everything due now and wait for it: for one-shot processes and tests."""
        before = dict(self._counts)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            self._lanes.wait_idle(timeout=max(0.0, deadline - time.monotonic()))
            with self._lock:
                pending_outcomes = bool(self._outcomes)
            if not pending_outcomes and self._lanes.in_flight == 0:
                self.pump()  # records nothing new, claims what became due meanwhile
                if self.idle():
                    break
        return FlushResult(**{name: self._counts[name] - before[name] for name in self._counts})

    def idle(self) -> bool:
        with self._lock:
            return not self._outcomes and self._lanes.in_flight == 0

    def stop(self) -> None:
        """Claim nothing more; finish what is in flight and write it down, so nothing stays claimed."""
        self._stopping = True
        self._lanes.wait_idle(timeout=15)
        with self._pump_lock:
            try:
                self._record()
            except Exception:
                logger.exception("outcomes not written at stop; the next start looks them up")
        self._lanes.shutdown()
        process_ids.retire(self.sender_id)

    def housekeep(self) -> None:
        """Release claims of senders that are gone, renew our own, prune old sent rows."""
        now = self.rt.now()
        with self.rt.db.session_scope() as session:
            gone = [holder for holder in store.claim_holders(session) if process_ids.is_gone(holder)]
            released = store.release_claims(session, holders=gone, claimed_before=now - CLAIM_LEASE)
            store.renew_claims(session, sender_id=self.sender_id, now=now)
            pruned = store.prune_sent(session, sent_before=now - self.keep)
        if released:
            logger.info("released %s message(s) claimed by senders that are gone", released)
        if pruned:
            logger.info("pruned %s sent message(s) older than %s", pruned, self.keep)
        self._started = True
        self._last_housekeeping = time.monotonic()

    # --- claiming ----------------------------------------------------------------------

    def _claim_and_hand_out(self) -> None:
        while not self._stopping:
            room = 2 * self.batch - self._lanes.in_flight
            if room <= 0:
                return  # the lanes will poke when they have room again
            wanted = min(self.batch, room)
            claimed = self._claim(wanted)
            for item in claimed:
                key = (item.message.team_id, item.message.recipient_id)
                self._lanes.submit(key, lambda item=item: self._deliver(item))  # type: ignore[misc]
            if len(claimed) < wanted:
                return

    def _claim(self, limit: int) -> list[Claimed]:
        """One transaction: claim a batch and read every task it needs (one ``IN`` query each)."""
        with self.rt.db.session_scope() as session:
            paused = self.pace.refresh(session)  # paused by any sender, here or in another process
            rows = store.claim_batch(
                session, sender_id=self.sender_id, now=self.rt.now(), limit=limit, paused_teams=paused
            )
            tasks = repo.tasks_with_ids(
                session, keys={(row.team_id, row.task_id) for row in rows if row.task_id is not None}
            )
            numbered = repo.tasks_with_numbers(
                session, keys={(row.team_id, n) for row in rows for n in receipt_numbers(row)}
            )
            homes = {row.id: self._home(session, row) for row in rows if row.kind == Kind.HOME}
        return [replace(_claimed(row, tasks, numbered), home=homes.get(row.id)) for row in rows]

    def _home(self, session: Session, row: OutboxMessage) -> dict[str, Any] | None:
        """A Home tab's first page as the tasks are now; None (the message is skipped) if it fails.

        Never raises: a bug in one person's Home must not fail the claim of everyone's messages.
        """
        try:
            home = read_home(
                session,
                team_id=row.team_id,
                user_id=row.recipient_id,
                now=self.rt.now(),
                settings=self.rt.settings,
            )
            return home_view(home)
        except Exception:
            logger.exception("Home tab of %s not rendered (outbox message %s)", row.recipient_id, row.id)
            return None

    # --- sending (lane threads) --------------------------------------------------------

    def _deliver(self, item: Claimed) -> None:
        outcome = self._attempt.run(item)
        with self._lock:
            self._outcomes.append((item, outcome))

    # --- recording (pump thread) -------------------------------------------------------

    def _record(self) -> None:
        """Write every finished outcome in one transaction; kept in memory while that fails."""
        with self._lock:
            taken, self._outcomes = self._outcomes, []
        if not taken:
            return
        try:
            with self.rt.db.session_scope() as session:
                sent = [
                    store.SentRow(item.message.team_id, item.message.id or 0, outcome.channel, outcome.ts)
                    for item, outcome in taken
                    if isinstance(outcome, Sent)
                ]
                store.mark_many_sent(session, sent=sent, now=self.rt.now())
                for item, outcome in taken:
                    self._record_one(session, item, outcome)
                cards = [
                    (item, outcome)
                    for item, outcome in taken
                    if isinstance(outcome, Sent) and item.message.kind == Kind.CARD and item.task is not None
                ]
                self._remember_cards(session, cards)
        except Exception:
            with self._lock:
                self._outcomes = taken + self._outcomes  # written once the database answers again
            raise
        for item, outcome in taken:
            self._counts[_count_name(outcome)] += 1
            if isinstance(outcome, Sent):
                self._on_sent(item, outcome)

    def _record_one(self, session: Session, item: Claimed, outcome: Outcome) -> None:
        message = item.message
        assert message.id is not None
        team_id, message_id = message.team_id, message.id
        if isinstance(outcome, Sent):
            return  # written for the whole batch at once
        if isinstance(outcome, Skipped):
            store.mark_skipped(
                session,
                team_id=team_id,
                message_id=message_id,
                sender_id=self.sender_id,
                reason=outcome.reason,
            )
        else:
            self._record_unsent(session, item, outcome)

    def _remember_cards(self, session: Session, cards: list[tuple[Claimed, Sent]]) -> None:
        """Where each card landed; a card rendered from an older version of its task is edited to match.

        The task may have changed while the card was on its way: that change queued no card
        edit, since it did not know the card yet. Comparing versions here closes the gap.
        """
        if not cards:
            return
        keys = {(item.message.team_id, item.message.task_id or 0) for item, _sent in cards}
        current = repo.tasks_with_ids(session, keys=keys)
        for item, sent in cards:
            rendered = item.task
            assert rendered is not None and rendered.id is not None
            repo.set_offer_message(
                session,
                team_id=rendered.team_id,
                task_id=rendered.id,
                assignee_id=item.message.recipient_id,
                channel=sent.channel,
                ts=sent.ts,
            )
            now = current.get(rendered.id)
            if now is not None and now.version != rendered.version:
                refresh_card(
                    session,
                    task=now,
                    recipient_id=item.message.recipient_id,
                    channel=sent.channel,
                    ts=sent.ts,
                    now=self.rt.now(),
                )

    def _record_unsent(self, session: Session, item: Claimed, outcome: Unsent) -> None:
        message = item.message
        assert message.id is not None
        if outcome.resume_at is not None:  # rate limited: not an attempt, just not yet
            retry_at = outcome.resume_at
        elif outcome.permanent:
            retry_at = None
        else:
            retry_at = self._retry_at(message)
        store.mark_unsent(
            session,
            team_id=message.team_id,
            message_id=message.id,
            sender_id=self.sender_id,
            error=outcome.error,
            retry_at=retry_at,
            maybe_sent=outcome.maybe_sent,
            count_attempt=outcome.resume_at is None,
        )
        if outcome.resume_at is None:
            logger.log(
                logging.WARNING if retry_at else logging.ERROR,
                "message %s about %s not sent (attempt %s, %s): %s",
                message.id,
                item.task.ref if item.task else "no task",
                message.attempts + 1,
                f"retry after {retry_at:%H:%M:%S}" if retry_at else "gave up",
                outcome.error,
                extra={"outbox_id": message.id},
            )

    def _retry_at(self, message: OutboxMessage) -> datetime | None:
        """When to try again: 30 s, 1 min, 2 min … capped at an hour; None once it's hopeless."""
        attempt = message.attempts + 1
        if attempt >= MAX_ATTEMPTS:
            return None
        return self.rt.now() + min(FIRST_RETRY * 2 ** (attempt - 1), LONGEST_WAIT)


def _claimed(row: OutboxMessage, tasks: dict[int, Task], numbered: dict[tuple[str, int], Task]) -> Claimed:
    task = tasks.get(row.task_id) if row.task_id is not None else None
    batch = [numbered[(row.team_id, n)] for n in receipt_numbers(row) if (row.team_id, n) in numbered]
    return Claimed(message=row, task=task, batch=batch)


def _count_name(outcome: Outcome) -> str:
    if isinstance(outcome, Sent):
        return "sent"
    return "skipped" if isinstance(outcome, Skipped) else "failed"
