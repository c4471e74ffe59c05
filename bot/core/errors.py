"""Typed errors of the domain.

Every error here is something a person did that they can fix; its message is shown to
them as is (one ephemeral message, rendered by the app's single error handler), so it
must say what to do instead. Anything else that escapes is a bug and is logged.

Messages are Slack mrkdwn (they use `code` and may mention people), so a person's own
text only ever appears in one through :func:`quote`, which makes it inert.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


def quote(text: str, limit: int = 40) -> str:
    """Echo a bit of a person's plain text in an error message: “shortened”.

    The text stays plain: whoever shows the message escapes it for its medium (mrkdwn in
    a reply, nothing in a modal's field error), so it never pings or shows as markup.
    Callers must not quote text that may hold a secret; see :mod:`bot.core.safety`.
    """
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return "“" + shown + "”"


class HandoffError(Exception):
    """An error the user can act on. ``message`` says what happened, ``hint`` what to do."""

    def __init__(self, message: str, *, hint: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        # Which form field the problem is in, when it came from one (shown next to it).
        self.field = field

    def on_field(self, field: str) -> HandoffError:
        """The same error, pinned to a form field if none was named yet."""
        if self.field is None:
            self.field = field
        return self

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class BadInput(HandoffError):
    """The text or form could not be understood or breaks a limit."""


class NotAllowed(HandoffError):
    """The person may not do this to this task (wrong role or wrong state)."""


class NotFound(HandoffError):
    """No such task in this workspace."""


@contextmanager
def errors_on_field(field: str) -> Iterator[None]:
    """Pin any HandoffError raised inside the block to one form field."""
    try:
        yield
    except HandoffError as error:
        raise error.on_field(field) from None
