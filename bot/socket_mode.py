"""Socket Mode: ``python -m bot socket`` takes Slack's requests over a WebSocket it opens itself.

For a team whose bot has no public URL. It is the App the web process serves
(``create_handoff``: same listeners, outbox sender, inbox), connected with Bolt's own Socket
Mode adapter on slack_sdk's built-in client. Slack sends each request as an envelope; the ack
goes back over the socket when the listener calls ``ack()``, and the listeners call it only
once what they acknowledge is committed (answered in the ack, or kept in the inbox first:
``bot.slack.durable``), exactly as over HTTP. A redelivered envelope carries the same request,
whose key makes it a no-op.

Each envelope is logged once at INFO with workspace, user, kind and milliseconds, as the HTTP
front logs a request, and one not shaped like a Slack request is acked and dropped, never
handed to Bolt (``bot.web.check_shape``).

SIGTERM or SIGINT stops it in this order:

1. stop receiving: envelopes arriving from now on are left unacknowledged, for Slack to send
   again (to another connection, or to the next start); those being handled get their ack out;
   then the connection is closed;
2. finish in flight: the work that follows the acks, for up to ``FINISH_WAIT`` seconds; work
   still running then was kept in the inbox, and the next start finishes it;
3. stop the clock, when it runs beside (``--no-clock`` otherwise);
4. flush: the outbox sender sends what that work queued, then stops with nothing claimed.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import nullcontext
from types import FrameType
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.app import Handoff, create_handoff
from bot.config import Settings
from bot.slack.gateway import build_client
from bot.web import Refused, check_shape

logger = logging.getLogger(__name__)

# Envelopes handled at once (the client's threads, each waiting for its listener's ack), and
# Bolt's listener pool: one thread per envelope waiting for its ack, and as many again for the
# work that follows acks, as the web process sizes it.
ENVELOPE_THREADS = 8
LISTENER_THREADS = 2 * ENVELOPE_THREADS
ACK_WAIT = 5.0  # seconds for envelopes in hand to get their ack out (Bolt gives a listener 3)
CLOSE_WAIT = 5.0  # seconds for the client to close the connection and its threads
FINISH_WAIT = 5.0  # seconds for the work after the acks before it is left to the next start
FLUSH_WAIT = 5.0  # seconds for the outbox sender to send what that work queued
EXIT_WAIT = 2.0  # seconds for idle pool threads to end before the process leaves without them


class Intake:
    """The envelopes being handled; once closed, new ones are turned away."""

    def __init__(self) -> None:
        self._state = threading.Condition()
        self._handling = 0
        self._closed = False

    def enter(self) -> bool:
        with self._state:
            if self._closed:
                return False
            self._handling += 1
            return True

    def leave(self) -> None:
        with self._state:
            self._handling -= 1
            self._state.notify_all()

    def close(self, *, timeout: float) -> bool:
        """Take nothing more; True once every envelope in hand has been answered."""
        with self._state:
            self._closed = True
            return self._state.wait_for(lambda: self._handling == 0, timeout=timeout)


class ListenerPool(ThreadPoolExecutor):
    """Bolt's listener pool, able to wait a bounded time for the work it was given."""

    def __init__(self, threads: int) -> None:
        super().__init__(max_workers=threads, thread_name_prefix="listener")
        self._running: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._running.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[Any]) -> None:
        with self._lock:
            self._running.discard(future)

    def finish(self, *, timeout: float) -> int:
        """Wait for the work in hand; returns how much is still running after ``timeout``."""
        with self._lock:
            running = set(self._running)
        _, not_done = wait(running, timeout=timeout)
        self.shutdown(wait=False, cancel_futures=True)
        return len(not_done)


class HandoffSocketMode(SocketModeHandler):
    """Bolt's Socket Mode handler, with the intake gate and one log line per envelope."""

    def __init__(self, app: App, *, app_token: str, web_client: WebClient, intake: Intake) -> None:
        super().__init__(app, app_token=app_token, web_client=web_client, concurrency=ENVELOPE_THREADS)
        self.intake = intake

    def handle(self, client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        if not self.intake.enter():
            logger.info("left for Slack to send again: stopping", extra={"envelope": req.type})
            return
        started = time.perf_counter()
        try:
            try:
                seen = check_shape(req.payload)
            except Refused as refused:
                client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
                logger.info("refused", extra={"envelope": req.type, "reason": refused.reason})
                return
            super().handle(client, req)  # type: ignore[arg-type]
            logger.info(
                "handled",
                extra={
                    "team": seen.team,
                    "user": seen.user,
                    "kind": seen.kind,
                    "retry": req.retry_attempt or 0,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        finally:
            self.intake.leave()


class StopSignal:
    """SIGTERM and SIGINT set an event the main thread waits on."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.name = ""

    def install(self) -> StopSignal:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        return self

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self.name = self.name or signal.Signals(signum).name
        self.event.set()

    def wait(self) -> None:
        while not self.event.wait(timeout=1.0):  # a timed wait keeps the main thread hearing signals
            pass


def run_socket_mode(settings: Settings, *, url: str, with_clock: bool) -> bool:
    """Serve Slack over Socket Mode until SIGTERM or SIGINT; False when a thread is still busy.

    Work still running then (after an ack, or a call to Slack) is kept in the inbox or the outbox.

    ``url`` is the WebSocket URL the start-up check was given: the connection opens there, so the
    start costs one ``apps.connections.open`` (a Tier 1 method), not two.
    """
    from bot.clock_beside_web import clock_beside

    stop = StopSignal().install()
    handoff: Handoff | None = None
    try:
        with clock_beside("Socket Mode connection") if with_clock else nullcontext():
            # Bolt reads SLACK_BOT_TOKEN from the environment even when handed a client, and warns
            # that it goes unused: the settings hold it (the clock beside was started with it).
            os.environ.pop("SLACK_BOT_TOKEN", None)
            listeners = ListenerPool(LISTENER_THREADS)
            handoff = create_handoff(settings, listener_executor=listeners)
            handoff.start()
            finished = _serve(handoff, settings, url=url, listeners=listeners, stop=stop)
        # The clock has stopped here: what its last sweep queued is flushed with the rest.
    finally:
        if handoff is not None:
            _flush(handoff)
    logger.info("socket mode stopped")
    return finished and threads_ended(timeout=EXIT_WAIT)


def _serve(
    handoff: Handoff, settings: Settings, *, url: str, listeners: ListenerPool, stop: StopSignal
) -> bool:
    assert settings.slack_app_token is not None, "startup(socket_mode=True) requires it"
    intake = Intake()
    handler = HandoffSocketMode(
        handoff.app, app_token=settings.slack_app_token, web_client=_app_level_client(settings), intake=intake
    )
    try:
        handler.client.wss_uri = url
        handler.connect()
        logger.info("socket mode started: taking Slack's requests over a WebSocket")
        stop.wait()
        logger.info("socket mode stopping (%s)", stop.name)
    finally:
        finished = _stop_taking_requests(handler, intake, listeners)
    return finished


def _app_level_client(settings: Settings) -> WebClient:
    """For ``apps.connections.open`` on reconnects (the app token is passed with each call)."""
    return build_client(token=None, base_url=settings.slack_api_url)


def _stop_taking_requests(handler: HandoffSocketMode, intake: Intake, listeners: ListenerPool) -> bool:
    """Steps 1 and 2 of the stop; False when work after an ack was still running at the end."""
    if not intake.close(timeout=ACK_WAIT):
        logger.warning("an envelope was still being handled after %ss; closing anyway", ACK_WAIT)
    # slack_sdk's client waits for its receiving thread to notice the close (up to its 3 s read
    # timeout): the work after the acks goes on meanwhile, and a close that never ends does not
    # hold the stop.
    closing = threading.Thread(target=handler.close, name="socket-mode-close", daemon=True)
    closing.start()
    left = listeners.finish(timeout=FINISH_WAIT)
    closing.join(timeout=CLOSE_WAIT)
    if closing.is_alive():
        logger.warning("the Socket Mode connection did not close within %ss; going on", CLOSE_WAIT)
    if left:
        logger.warning("%s request(s) still running are left in the inbox for the next start", left)
    return left == 0


def threads_ended(*, timeout: float) -> bool:
    """Whether every thread that would hold the interpreter's exit has ended within ``timeout``."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
    left = [t.name for t in threading.enumerate() if t is not threading.current_thread() and not t.daemon]
    if left:
        logger.info("leaving without waiting for threads still busy: %s", ", ".join(left))
    return not left


def _flush(handoff: Handoff) -> None:
    handoff.dispatcher.poke()
    if not handoff.dispatcher.wait_idle(timeout=FLUSH_WAIT):
        logger.info("messages not sent by now are left in the outbox for the next start")
    handoff.stop()
