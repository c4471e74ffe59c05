"""gunicorn, configured once for both ways of starting the web process.

``python -m bot web`` runs gunicorn in-process (``Server``), and the Procfile's
``gunicorn bot.wsgi:app`` reads ``gunicorn.conf.py``; both run ``bot.startup`` first and use
``gunicorn_options``. Gunicorn, because it bounds everything the standard library's server
did not: a fixed number of worker processes and threads (``gthread``, whose threads overlap
Bolt's wait for an ack), a listen backlog of 2048 so a burst queues instead of being reset,
a 5-second wait for a slow client's data before its connection goes back to the poller, a
capped drain of unread bodies, and a heartbeat that restarts a worker stuck for ``timeout``
seconds.

One gap is closed here: once a gthread thread has taken a connection it reads the headers
and body with no time limit, so a client that stops sending halfway holds that thread
until it hangs up, and a few such clients hold them all. ``BoundedThreadWorker`` gives
every client connection a limit (``HTTP_CLIENT_TIMEOUT``, 10 s by default) on each read and
write.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger as GunicornLogger
from gunicorn.workers.gthread import ThreadWorker

from bot.config import Settings
from bot.wsgi import REQUEST_THREADS, HandoffApp


class _ClientSocket(socket.socket):
    """A client connection whose blocking mode gives up after ``silence_limit`` seconds.

    gthread switches a connection between non-blocking (waiting in its poller) and
    blocking (read by a thread); the blocking side is where the limit belongs.
    """

    silence_limit = 10.0

    def setblocking(self, flag: bool) -> None:
        if flag:
            self.settimeout(self.silence_limit)
        else:
            super().setblocking(False)


class _TimedListener:
    """The listening socket, handing out connections as ``_ClientSocket``."""

    def __init__(self, listener: Any, silence_limit: float) -> None:
        self._listener = listener
        self._silence_limit = silence_limit

    def accept(self) -> tuple[socket.socket, Any]:
        client, address = self._listener.accept()
        timed = _ClientSocket(client.family, client.type, client.proto, fileno=client.detach())
        timed.silence_limit = self._silence_limit
        return timed, address

    def __getattr__(self, name: str) -> Any:
        return getattr(self._listener, name)


class BoundedThreadWorker(ThreadWorker):
    """gunicorn's gthread worker, with a time limit on every client read and write."""

    silence_limit = 10.0  # seconds a connection may go silent mid-request; Slack sends at once

    def accept(self, listener: Any) -> None:
        super().accept(_TimedListener(listener, self.silence_limit))


def bounded_worker(silence_limit: float) -> type[BoundedThreadWorker]:
    """The worker class with the configured limit (gunicorn takes a class, not an instance)."""
    return type("BoundedThreadWorker", (BoundedThreadWorker,), {"silence_limit": silence_limit})


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """The one set of gunicorn settings, for both ways of starting."""
    return {
        "bind": [f"0.0.0.0:{settings.port}"],
        "workers": settings.web_concurrency,
        "worker_class": bounded_worker(settings.http_client_timeout.total_seconds()),
        "threads": REQUEST_THREADS,
        "backlog": 2048,
        "timeout": 30,  # a worker silent this long is killed and replaced
        "graceful_timeout": 10,  # SIGTERM: requests in hand get this long to finish
        "keepalive": 5,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "control_socket_disable": True,  # one shared path per user; two servers would collide
        "logger_class": QuietGunicornLogger,
        "post_worker_init": _build_app,
        "worker_exit": _stop_app,
    }


class QuietGunicornLogger(GunicornLogger):
    """gunicorn's own lines go through our logging (text or JSON); no access log.

    The HTTP front logs each request once, with the Slack ids that an access log lacks.
    """

    def setup(self, cfg: Any) -> None:
        for log in (self.error_log, self.access_log):
            log.handlers.clear()
            log.propagate = True
        self.access_log.disabled = True

    def exception(self, msg: str, *args: Any, **kwargs: Any) -> None:
        # A client cut off by its silence limit is expected, not a fault worth a traceback.
        if isinstance(sys.exc_info()[1], TimeoutError):
            self.error_log.info("closed a connection whose client went silent mid-request")
            return
        super().exception(msg, *args, **kwargs)


def _build_app(worker: Any) -> None:
    if isinstance(worker.wsgi, HandoffApp):
        worker.wsgi.build()


def _stop_app(_server: Any, worker: Any) -> None:
    if isinstance(getattr(worker, "wsgi", None), HandoffApp):
        worker.wsgi.stop()


class Server(BaseApplication):
    """gunicorn, run from Python with the given options and WSGI app."""

    def __init__(self, options: dict[str, Any], application: Any) -> None:
        self.options = options
        self.application = application
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application
