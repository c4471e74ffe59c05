"""The words for the core's errors: sentences with mentions, code spans and commands to try.

The core raises a :class:`~bot.core.errors.Problem` code with its facts; this module is
the one place that turns them into what a person reads in Slack. Errors without a code of
their own keep the wording they were raised with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.core.errors import HandoffError, Problem
from bot.core.lifecycle_table import Role, Status, Step

# "Only <@U1>, who delegated T-12, can {verb} it."
_VERBS: Mapping[Step, str] = {
    Step.ACCEPT: "accept",
    Step.DECLINE: "decline",
    Step.ASK: "ask about",
    Step.REPORT: "report on",
    Step.DELIVER: "deliver",
    Step.ANSWER: "answer questions on",
    Step.APPROVE: "approve",
    Step.REQUEST_CHANGES: "request changes on",
    Step.EDIT: "edit",
    Step.REASSIGN: "reassign",
    Step.TAKE_BACK: "take back",
    Step.CANCEL: "cancel",
}

# "T-12 is approved, so it can't be {done} now."
_DONE: Mapping[Step, str] = {
    Step.ACCEPT: "accepted",
    Step.DECLINE: "declined",
    Step.ASK: "asked about",
    Step.REPORT: "reported on",
    Step.DELIVER: "delivered",
    Step.ANSWER: "answered",
    Step.APPROVE: "approved",
    Step.REQUEST_CHANGES: "sent back for changes",
    Step.EDIT: "edited",
    Step.REASSIGN: "reassigned",
    Step.TAKE_BACK: "taken back",
    Step.CANCEL: "cancelled",
}

# What to write when the words a step needs were left empty.
_EMPTY_HINTS: Mapping[Step, str] = {
    Step.DECLINE: "Say why you decline, so the owner can find someone else.",
    Step.ASK: "Type your question for the owner.",
    Step.ANSWER: "Type your answer for the assignee.",
    Step.REQUEST_CHANGES: "Say what needs to change, so the assignee knows what to do.",
}

_ACCEPT_FIRST = "Accept it first with the Accept button in your DM."


def error_text(error: HandoffError) -> str:
    """The whole message for ``error``: what happened, then what to do."""
    words = _WORDS.get(error.problem)
    if words is None:
        return str(error)
    message, hint = words(error.details)
    return f"{message} {hint}" if hint else message


Words = Callable[[Mapping[str, Any]], tuple[str, str | None]]


def _ref(details: Mapping[str, Any]) -> str:
    return f"T-{details['number']}"


def _wrong_role(details: Mapping[str, Any]) -> tuple[str, str | None]:
    ref, step = _ref(details), Step(details["step"])
    who = "who delegated" if Role(details["role"]) is Role.OWNER else "who was asked to do"
    return (
        f"Only <@{details['person']}>, {who} {ref}, can {_VERBS[step]} it.",
        f"You can see it with `/tasks {ref}`.",
    )


def _wrong_state(details: Mapping[str, Any]) -> tuple[str, str | None]:
    ref, step, state = _ref(details), Step(details["step"]), Status(details["state"])
    if step is Step.DECLINE and state is Status.IN_PROGRESS:
        return (
            f"You already accepted {ref}, so it can't be declined now.",
            "Ask the owner a question, or ask them to reassign it.",
        )
    if step in (Step.REPORT, Step.DELIVER) and state is Status.AWAITING_ACCEPTANCE:
        return f"{ref} isn't accepted yet.", _ACCEPT_FIRST
    return (
        f"{ref} is {state.label}, so it can't be {_DONE[step]} now.",
        f"See where it stands with `/tasks {ref}`.",
    )


def _empty_text(details: Mapping[str, Any]) -> tuple[str, str | None]:
    return "That can't be empty.", _EMPTY_HINTS.get(Step(details["step"]))


_WORDS: Mapping[Problem, Words] = {
    Problem.WRONG_ROLE: _wrong_role,
    Problem.WRONG_STATE: _wrong_state,
    Problem.EMPTY_TEXT: _empty_text,
    Problem.SELF_ASSIGNMENT: lambda details: (
        "You can't hand a task to yourself.",
        "Mention the person who should do it: `/delegate @alice Ship the report | due: friday`.",
    ),
    Problem.REASSIGN_TO_OWNER: lambda details: (
        "That's you.",
        f"To do it yourself, use `/tasks {_ref(details)} takeback`.",
    ),
    Problem.PERCENT_OUT_OF_RANGE: lambda details: (
        "Progress is a percentage from 0 to 100.",
        "For example: `/report T-12 drafted 40%`.",
    ),
    Problem.NO_SUCH_TASK: lambda details: (
        f"You have no task {_ref(details)}.",
        "See your tasks with `/tasks`.",
    ),
}
