"""``python -m bot playground``: the embedded Slack, the real bot and the page, until Ctrl-C."""

from __future__ import annotations

import errno
import signal
import sys
import threading
import webbrowser

from bot.playground.control import Playground
from bot.playground.server import PageServer


def run_playground(*, port: int, open_browser: bool) -> int:
    """Start everything, print the page's address (a test reads it), serve until interrupted."""
    print("Starting the playground: a seeded workspace and the bot…", flush=True)
    playground = Playground()
    try:
        server = PageServer(playground, port=port)
    except OSError as problem:
        playground.stop()  # its workspace files go with it
        if problem.errno != errno.EADDRINUSE:
            raise
        print(f"Cannot start: port {port} is taken: try --port 0 or another port", file=sys.stderr)
        return 2
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    print(f"Handoff playground: {server.url}  (Ctrl-C stops it)", flush=True)
    if open_browser:
        webbrowser.open(server.url)
    signal.signal(signal.SIGTERM, _interrupt)  # a terminal's Ctrl-C, or a supervisor's stop: same end
    try:
        thread.join()
    except KeyboardInterrupt:
        print("Stopping the playground.", flush=True)
    finally:
        server.shutdown()
        server.server_close()
        playground.stop()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
