"""The words for the core's errors: sentences with mentions, code spans and commands to try.

The core raises a :class:`~bot.core.errors.Problem` code with its facts; this module is
the one place that turns them into what a person reads in Slack. Errors without a code of
their own keep the wording they were raised with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.core.errors import HandoffError, Problem, quote
from bot.core.lifecycle_table import Role, Status, Step
from bot.core.parsing import LABELS, REPORT_TEXT, Command
from bot.slack.help_text import DELEGATE_EXAMPLE, EXAMPLES, REPORT_EXAMPLES, TASKS_EXAMPLES

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
    Step.FLAG: "say how it stands on",
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
    Step.FLAG: "flagged",
}

# What to write when the words a step needs were left empty.
_EMPTY_HINTS: Mapping[Step, str] = {
    Step.DECLINE: "Say why you decline, so the owner can find someone else.",
    Step.ASK: "Type your question for the owner.",
    Step.ANSWER: "Type your answer for the assignee.",
    Step.REQUEST_CHANGES: "Say what needs to change, so the assignee knows what to do.",
    Step.FLAG: "Say what puts it at risk or blocks it, so the owner can help.",
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


# How a too long field is named in "The {name} is 151 characters long".
_FIELD_PROSE = {**LABELS, "done_when": "definition of done", "due_text": "due date", REPORT_TEXT: "report"}


def _example(details: Mapping[str, Any]) -> str:
    return f"For example: {EXAMPLES[Command(details['command'])]}"


def _unknown_part(details: Mapping[str, Any]) -> tuple[str, str | None]:
    part = details["part"]
    what = quote(part) if part else "an empty part between two `|`"
    names = [f"`{label}:`" for label in details["labels"]]
    known = ", ".join(names[:-1]) + f" or {names[-1]}"
    return (
        f"I didn't understand {what}. Each part (separated by `|`) starts with a label: {known}.",
        _example(details),
    )


def _too_long(details: Mapping[str, Any]) -> tuple[str, str | None]:
    field = details["field"]
    hint = (
        "Shorten it, or put the details in a thread on the task."
        if field == REPORT_TEXT
        else "Shorten it and send it again."
    )
    return (
        f"The {_FIELD_PROSE[field]} is {details['length']} characters long; the limit is {details['limit']}.",
        hint,
    )


def _not_a_task_id(details: Mapping[str, Any]) -> tuple[str, str | None]:
    token = details["token"]
    if details.get("command") != Command.TASKS:
        shown = quote(token, 30) if token else "That"
        return (
            f"{shown} is not a task id. Task ids look like T-12.",
            "Type `/tasks` to see your tasks and their ids.",
        )
    hint = f"Try: {TASKS_EXAMPLES}, or `/tasks help`."
    if not token:
        return "Say which task, by its id (like T-12).", hint
    return f"{quote(token, 30)} is not a task id. Task ids look like T-12.", hint


_WORDS: Mapping[Problem, Words] = {
    Problem.UNKNOWN_PART: _unknown_part,
    Problem.REPEATED_PART: lambda details: (
        f"You gave `{details['label']}:` twice. Give each part once.",
        _example(details),
    ),
    Problem.EMPTY_PART: lambda details: (
        f"`{details['label']}:` is empty. Write something after the label, or leave the part out.",
        _example(details),
    ),
    Problem.TOO_LONG: _too_long,
    Problem.UNKNOWN_PERSON: lambda details: (
        f"I couldn't tell who {quote(details['text'], 30)} is. "
        "Pick the person from the list Slack shows as you type @, so it becomes a mention.",
        f"For example: {DELEGATE_EXAMPLE}",
    ),
    Problem.NO_ASSIGNEE: lambda details: (
        f"Mention who should do it first: {DELEGATE_EXAMPLE}",
        "Type `/delegate help` for more examples.",
    ),
    Problem.NO_TITLE: lambda details: (
        "Add a title after the mention: say in a few words what the task is.",
        f"For example: {DELEGATE_EXAMPLE}",
    ),
    Problem.NOTHING_TO_EDIT: lambda details: (
        "Say what to change: `title:`, `done when:` or `due:`.",
        f"For example: {EXAMPLES[Command.EDIT]}",
    ),
    Problem.NOT_A_TASK_ID: _not_a_task_id,
    Problem.PERCENT_OVER_100: lambda details: (
        f"{details['percent']}% is more than 100%. Give a percentage from 0 to 100.",
        f"For example: {REPORT_EXAMPLES}",
    ),
    Problem.NO_REPORT_TASK: lambda details: (
        "Say which task you are reporting on.",
        f"For example: {REPORT_EXAMPLES}",
    ),
    Problem.EMPTY_REPORT: lambda details: (
        f"Say what progress you made on {_ref(details)}, add a percentage, or `done` to hand it back.",
        f"For example: {REPORT_EXAMPLES}",
    ),
    Problem.UNKNOWN_VERB: lambda details: (
        f"I don't know {quote(details['word'], 30)}. After the task id you can write: "
        "edit, cancel, reassign @person, take back, stop (a repeating task's series), "
        "why (where the handoff broke), or nothing, to show the task.",
        f"For example: {TASKS_EXAMPLES}",
    ),
    Problem.NO_NEW_ASSIGNEE: lambda details: (
        f"Mention who should take over {_ref(details)}.",
        f"For example: /tasks {_ref(details)} reassign @bob",
    ),
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
