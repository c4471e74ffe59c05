"""The clock: the sweep on a schedule (``python -m bot scheduler``) or once (``python -m bot sweep``);
the channels' daily summaries every minute with it, or once (``python -m bot summary``).

Both decide with :func:`bot.services.sweep.run_sweep`, which queues what it decides in the
outbox in the same transaction, and both send through an outbox sender of their own, so
neither needs a web process. Neither listens on a port.

- ``sweep``, for cron: one pass, then it sends everything due in the outbox (what it queued,
  and what other processes left) before it exits, printing a line per message sent.
- ``scheduler``, the long-running clock process: an APScheduler ``BlockingScheduler`` with
  one interval job (every ``SWEEP_EVERY``), never one job per task; its sender runs in the
  background, woken after each sweep and every ``OUTBOX_POLL_EVERY``. SIGTERM or SIGINT
  stops it cleanly: the sweep in hand finishes, the sender writes down what it has in flight
  and releases nothing it holds half done, so nothing stays claimed.

Two clocks may run at once (or a clock and a cron sweep): the sweep's unique keys and the
outbox claims keep every nudge single.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import FrameType
from typing import TextIO, TypeVar

from apscheduler.events import EVENT_SCHEDULER_STARTED, SchedulerEvent
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Settings
from bot.outbox.attempt import Claimed, Sent
from bot.outbox.dispatcher import OutboxDispatcher
from bot.outbox.intents import Kind
from bot.outbox.sender import FlushResult, OutboxSender
from bot.services.runtime import Runtime
from bot.services.summary_posts import run_due_summaries
from bot.services.sweep import SweepReport, run_sweep
from bot.slack.installations import build_gateways
from storage.db import Database

logger = logging.getLogger(__name__)

T = TypeVar("T")

FLUSH_TIMEOUT = 60.0  # seconds a one-shot sweep spends sending before it leaves the rest for later
SUMMARY_EVERY = 60  # seconds between passes over the channels' daily summaries


@dataclass
class Clock:
    """What a clock process runs on: the use-case runtime and its own outbox sender."""

    runtime: Runtime
    sender: OutboxSender

    def close(self) -> None:
        """Nothing left claimed: in-flight sends are finished and written down first."""
        self.sender.stop()
        self.runtime.db.engine.dispose()


def build_clock(
    settings: Settings,
    *,
    on_sent: Callable[[Claimed, Sent], None] | None = None,
    on_progress: Callable[[], None] = lambda: None,
) -> Clock:
    db = Database.from_url(settings.database_url)
    gateways = build_gateways(settings, db)
    runtime = Runtime(settings=settings, db=db, gateway=gateways.listeners)
    sender = OutboxSender(
        runtime,
        gateways.outbox,
        keep=settings.outbox_keep,
        on_progress=on_progress,
        on_sent=on_sent or (lambda item, sent: None),
    )
    return Clock(runtime=runtime, sender=sender)


# --- python -m bot sweep -------------------------------------------------------------------


def sweep_once(settings: Settings, *, out: TextIO = sys.stdout) -> int:
    """One sweep, then send what is due; a line per message sent and a summary line on ``out``."""
    report, result = _once(settings, run_sweep, sent_line, out=out)
    print(summary_line(report, result), file=out, flush=True)
    return 0


def _once(
    settings: Settings,
    work: Callable[[Runtime], T],
    line: Callable[[Claimed, Sent], str | None],
    *,
    out: TextIO,
) -> tuple[T, FlushResult]:
    """A one-shot pass for cron: ``work`` queues, then the clock's own sender sends what is due
    (what ``work`` queued, and what other processes left), printing ``line`` of each message sent."""

    def print_sent(item: Claimed, sent: Sent) -> None:
        if (text := line(item, sent)) is not None:
            print(text, file=out, flush=True)

    clock = build_clock(settings, on_sent=print_sent)
    try:
        done = work(clock.runtime)
        return done, clock.sender.flush(timeout=FLUSH_TIMEOUT)
    finally:
        clock.close()


def sent_line(item: Claimed, sent: Sent) -> str:
    """``sent T-12 nudge:overdue to U123 (team T456)``: what went to whom, about which task."""
    message = item.message
    ref = item.task.ref if item.task is not None else "no task"
    what = message.kind
    if message.kind == Kind.NUDGE:
        what = f"nudge:{_nudge_kind(message.payload)}"
    found = " (it had landed before; not posted again)" if sent.found else ""
    return f"sent {ref} {what} to {message.recipient_id} (team {message.team_id}){found}"


def _nudge_kind(payload: str) -> str:
    try:
        return str(json.loads(payload).get("nudge", "?"))
    except (ValueError, AttributeError):
        return "?"


def summary_line(report: SweepReport, result: FlushResult) -> str:
    offered = (
        f", {report.occurrences_offered} recurring occurrence(s) offered"
        if report.occurrences_offered
        else ""
    )
    skipped = f", {result.skipped} no longer needed" if result.skipped else ""
    left = f", {result.failed} to retry later" if result.failed else ""
    return (
        f"sweep: {report.tasks_checked} task(s) checked, {report.nudges_queued} nudge(s) queued{offered};"
        f" {result.sent} message(s) sent{skipped}{left}"
    )


# --- python -m bot scheduler ---------------------------------------------------------------


def run_scheduler(settings: Settings) -> int:
    """The clock process: sweeps every ``SWEEP_EVERY`` until SIGTERM or SIGINT."""
    clock = build_clock(settings, on_progress=lambda: dispatcher.poke())
    dispatcher = OutboxDispatcher(
        clock.sender.pump,
        retry_every=settings.outbox_poll_every.total_seconds(),
        is_idle=clock.sender.idle,
    )
    clock.runtime.messages_queued = dispatcher.poke
    scheduler = BlockingScheduler(timezone=UTC)
    schedule_jobs(scheduler, clock.runtime)
    stopping = Stopping(scheduler)

    def started(_event: SchedulerEvent) -> None:
        # The scheduler runs from here on, so a signal can always stop it.
        stopping.install()
        dispatcher.start()
        dispatcher.poke()  # release what a crashed clock held, send what it left
        logger.info("clock started: sweeping every %s", settings.sweep_every)

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    try:
        scheduler.start()  # blocks until a signal shuts it down
        stopping.wait()
    finally:
        dispatcher.stop()
        clock.close()
    logger.info("clock stopped")
    return 0


def schedule_jobs(scheduler: BlockingScheduler, rt: Runtime) -> None:
    """The clock's jobs: few and periodic, each a pass over what is due, never one per task."""
    every = rt.settings.sweep_every.total_seconds()
    scheduler.add_job(
        sweep_job,
        IntervalTrigger(seconds=every, timezone=UTC),
        args=[rt],
        id="sweep",
        name="sweep",
        next_run_time=datetime.now(UTC),  # the first sweep at start, then on the interval
        coalesce=True,  # runs missed while busy or suspended become one: the sweep catches up anyway
        max_instances=1,  # a slow sweep is never overlapped by the next
        # A coalesced run is at most one interval late; it still runs at once. Beyond that
        # the next regular run is as near as a late one would be.
        misfire_grace_time=max(1, int(every)),
    )
    scheduler.add_job(
        summary_job,
        IntervalTrigger(seconds=SUMMARY_EVERY, timezone=UTC),
        args=[rt],
        id="summaries",
        name="summaries",
        next_run_time=datetime.now(UTC),  # a summary missed while the clock was down goes out at start
        coalesce=True,
        max_instances=1,
        misfire_grace_time=SUMMARY_EVERY,
    )


def sweep_job(rt: Runtime) -> None:
    try:
        report = run_sweep(rt)
    except Exception:
        logger.exception("sweep failed; the next one tries again")
        return
    rt.messages_queued()  # the sender needs no timer to learn of the sweep's messages
    logger.debug("sweep done: %s", report)  # the sweep logs what it did at INFO itself


def summary_job(rt: Runtime) -> None:
    try:
        run_due_summaries(rt)  # wakes the sender itself when it queued something
    except Exception:
        logger.exception("summaries failed; the next run tries again")


# --- python -m bot summary -----------------------------------------------------------------


def summary_once(settings: Settings, *, out: TextIO = sys.stdout) -> int:
    """Queue every summary due now, then send what is due; a line per summary sent on ``out``."""
    queued, result = _once(settings, run_due_summaries, summary_sent_line, out=out)
    left = f", {result.failed} to retry later" if result.failed else ""
    print(f"summary: {queued} summary(ies) queued; {result.sent} message(s) sent{left}", file=out, flush=True)
    return 0


def summary_sent_line(item: Claimed, sent: Sent) -> str | None:
    """``sent summary:C123:2026-12-01 to C123 (team T456)``; nothing for other messages sent."""
    message = item.message
    if message.kind != Kind.SUMMARY:
        return None
    found = " (it had landed before; not posted again)" if sent.found else ""
    return f"sent {message.dedupe_key} to {message.recipient_id} (team {message.team_id}){found}"


class Stopping:
    """SIGTERM and SIGINT shut the scheduler down from a thread of their own.

    A signal handler runs on the main thread, between any two bytecodes of the scheduler's
    own loop; shutting down there could interleave with it. The thread waits for a sweep in
    hand to finish, then wakes the loop, and ``start()`` returns.
    """

    def __init__(self, scheduler: BlockingScheduler) -> None:
        self._scheduler = scheduler
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        with self._lock:
            if self._thread is not None:
                return  # already stopping
            logger.info("clock stopping (%s)", signal.Signals(signum).name)
            self._thread = threading.Thread(target=self._scheduler.shutdown, name="clock-stop")
            self._thread.start()

    def wait(self) -> None:
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join()
