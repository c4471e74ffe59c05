"""The WSGI application for gunicorn: ``gunicorn bot.wsgi:app``.

``app`` is built once per worker process, from the environment, when the worker has started
(gunicorn's ``post_worker_init`` hook in ``bot.server`` builds it; the first request would
otherwise). Nothing is built when this module is imported, so the master process holds no
database connections or threads to hand down to its forked workers.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from bot.app import Handoff
    from bot.web import SlackWsgi

# Requests one worker answers at once (gunicorn's gthread threads). Bolt's listener pool
# gets twice as many: one thread per request waiting for its ack, and one more so work
# that follows an ack does not keep the next request's listener waiting.
REQUEST_THREADS = 8
LISTENER_THREADS = 2 * REQUEST_THREADS


class HandoffApp:
    """A WSGI callable that builds the bot on first need and stops it with the worker."""

    def __init__(self) -> None:
        self._front: SlackWsgi | None = None
        self._handoff: Handoff | None = None
        self._lock = threading.Lock()

    def build(self) -> SlackWsgi:
        with self._lock:
            if self._front is None:
                self._front = self._start()
            return self._front

    def _start(self) -> SlackWsgi:
        from bot.app import create_handoff
        from bot.web import SlackWsgi

        settings = Settings.from_env(os.environ)
        # Bolt reads SLACK_BOT_TOKEN from the environment even when handed a client, and
        # warns on every start that it goes unused. The settings hold it now.
        os.environ.pop("SLACK_BOT_TOKEN", None)
        handoff = create_handoff(settings, listener_threads=LISTENER_THREADS)
        handoff.start()
        self._handoff = handoff
        return SlackWsgi.for_handoff(handoff)

    def stop(self) -> None:
        with self._lock:
            if self._handoff is not None:
                self._handoff.stop()
                self._handoff = None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        front = self._front or self.build()
        return front(environ, start_response)


app = HandoffApp()
