"""Typed errors of the domain.

Every error here is something a person did that they can fix. The core says *what* went
wrong as a :class:`Problem` code with its facts (``details``: the task number, the step,
the state it is in, who may do it); the Slack layer turns that into a sentence with
mentions, code spans and a command to try (``bot.slack.error_text``). ``message`` is the
fallback wording, plain text, for errors that have no code of their own.

A person's own text only ever appears in a message through :func:`quote`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from typing import Any


def quote(text: str, limit: int = 40) -> str:
    """Echo a bit of a person's plain text in an error message: “shortened”.

    The text stays plain: whoever shows the message escapes it for its medium (mrkdwn in
    a reply, nothing in a modal's field error), so it never pings or shows as markup.
    Callers must not quote text that may hold a secret; see :mod:`bot.core.safety`.
    """
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return "“" + shown + "”"


class Problem(StrEnum):
    """What went wrong, for the Slack layer to put into words."""

    WORDED = "worded"  # no code of its own: ``message`` and ``hint`` say it all
    WRONG_ROLE = "wrong_role"  # number, step, role (who may), person (who that is)
    WRONG_STATE = "wrong_state"  # number, step, state
    EMPTY_TEXT = "empty_text"  # step
    SELF_ASSIGNMENT = "self_assignment"
    REASSIGN_TO_OWNER = "reassign_to_owner"  # number
    PERCENT_OUT_OF_RANGE = "percent_out_of_range"
    NO_SUCH_TASK = "no_such_task"  # number
    # The command grammar (bot.core.parsing); "command" names the command the text was for.
    UNKNOWN_PART = "unknown_part"  # command, part (plain text, may be empty), labels
    REPEATED_PART = "repeated_part"  # command, label
    EMPTY_PART = "empty_part"  # command, label (as typed)
    TOO_LONG = "too_long"  # field, length, limit
    UNKNOWN_PERSON = "unknown_person"  # text (plain "@name" that is no mention)
    NO_ASSIGNEE = "no_assignee"
    NO_TITLE = "no_title"
    NOTHING_TO_EDIT = "nothing_to_edit"
    NOT_A_TASK_ID = "not_a_task_id"  # token (plain text), command (or None)
    PERCENT_OVER_100 = "percent_over_100"  # percent (digits as typed, shortened)
    NO_REPORT_TASK = "no_report_task"
    EMPTY_REPORT = "empty_report"  # number
    UNKNOWN_VERB = "unknown_verb"  # word (plain text)
    NO_NEW_ASSIGNEE = "no_new_assignee"  # number


class HandoffError(Exception):
    """An error the user can act on. ``message`` says what happened, ``hint`` what to do."""

    def __init__(
        self,
        message: str = "",
        *,
        hint: str | None = None,
        field: str | None = None,
        problem: Problem = Problem.WORDED,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.problem = problem
        self.details: dict[str, Any] = dict(details or {})
        self.message = message or _plain_summary(problem, self.details)
        super().__init__(self.message)
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


def _plain_summary(problem: Problem, details: Mapping[str, Any]) -> str:
    """A plain one-liner for logs and for readers that know no better wording."""
    facts = ", ".join(f"{key}={value}" for key, value in sorted(details.items()))
    return f"{problem.value} ({facts})" if facts else problem.value


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
