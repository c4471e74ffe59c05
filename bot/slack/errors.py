"""Turning errors into one clear private message: the person's mistake, or an error id.

Listeners don't catch errors themselves. Each one is registered through ``reported``, which
sends whatever escapes to ``report_error`` (the same function Bolt's global error handler
uses). The wrapper exists because of how Bolt runs listeners after ``ack()``: an exception
escaping a listener there resets the acknowledgement, and the HTTP answer to Slack then
waits out Bolt's 3-second ack timeout and fails, so the user would see a Slack error on
top of ours. An error raised before a slash command's ack is answered in the ack itself.
"""

from __future__ import annotations

import functools
import inspect
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_bolt.response import BoltResponse

from bot.core.errors import HandoffError
from bot.services.runtime import Runtime
from bot.slack import messages
from bot.slack.error_text import error_text
from bot.slack.replies import answer_in_ack, reply
from storage.db import Busy, bounded_lock_wait

logger = logging.getLogger(__name__)

Listener = Callable[..., None]
_NEEDED = ("ack", "body", "rt")
# Until a listener acks, its writes wait no longer than this for locks (Slack gives up on
# an ack after 3 s): past it the person is told to try again, rather than Slack showing
# an error for a request that might still go through.
ACK_LOCK_WAIT = 1.5
BUSY_TEXT = "Handoff is busy right now and nothing was saved. Please send it again in a moment."


def report_error(error: Exception, *, body: dict[str, Any], rt: Runtime | None) -> str | None:
    """Tell the person who acted what went wrong and what to do; log what is ours to fix.

    Returns the error id of a bug (None for the person's own mistake).
    """
    message, error_id = explained(error)
    if rt is not None:
        try:
            reply(rt, body, message)
        except Exception:
            logger.exception("could not tell the user about an error")
    return error_id


def explained(error: Exception) -> tuple[dict[str, Any], str | None]:
    """The message that tells the person about ``error``, and the error id of a bug (logged here)."""
    error_id = None
    if isinstance(error, HandoffError):
        text = error_text(error)
    elif isinstance(error, Busy):
        logger.warning("answered busy: %s", error)
        text = BUSY_TEXT
    else:
        error_id = new_error_id()
        logger.error("unexpected error %s", error_id, exc_info=error)
        text = f"Something went wrong on our side (error id `{error_id}`). Please try again in a moment."
    return messages.error_reply(text), error_id


def new_error_id() -> str:
    return uuid.uuid4().hex[:8]


def reported(listener: Listener) -> Listener:
    """Register-time wrapper: errors from the listener are reported, never re-raised."""
    names = inspect.getfullargspec(listener).args
    missing = [name for name in _NEEDED if name not in names]
    if missing:
        raise TypeError(f"{listener.__name__} must take {', '.join(missing)} to report its errors")

    @functools.wraps(listener)
    def run(**kwargs: Any) -> None:
        with bounded_lock_wait(ACK_LOCK_WAIT) as lift:
            ack = kwargs["ack"] = AckLifting(kwargs["ack"], lift)
            try:
                listener(**kwargs)
            except Exception as error:
                if ack.response is None and "command" in kwargs["body"]:
                    # Not acked yet: a slash command's ack carries the error, with no call to Slack.
                    answer_in_ack(ack, explained(error)[0])
                    return
                if ack.response is None:
                    ack()  # answer Slack in time even when the listener failed before acking
                report_error(error, body=kwargs["body"], rt=kwargs["rt"])

    return run


class AckLifting(Ack):
    """Bolt's ``ack``, which also lifts the bound on lock waits once Slack has its answer."""

    def __init__(self, ack: Ack, lift: Callable[[], None]) -> None:
        super().__init__()
        self._ack = ack
        self._lift = lift

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        self.response = self._ack(*args, **kwargs)
        self._lift()
        return self.response
