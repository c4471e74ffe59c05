"""Grammar of the slash commands: ``/delegate``, ``/report`` and ``/tasks``.

Everything here turns the raw ``text`` of a slash command into a small frozen value, or
raises :class:`~bot.core.errors.BadInput` with a :class:`~bot.core.errors.Problem` code and
its facts (the Slack layer words it and adds an example to type instead). No Slack,
database or clock is involved, so the whole grammar is unit- and fuzz-tested.

Every public parser first refuses text holding a card number or a secret
(:func:`bot.core.safety.refuse_sensitive`), before anything else: so no secret is ever
stored, nor quoted back in an error message.

The text is Slack's, escaped (see :mod:`bot.core.slack_text`): the grammar (``|`` parts,
leading mentions, ``reassign @x``) is read on it as it came; every free-text value
returned is plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.core.dates import MAX_DUE_TEXT
from bot.core.errors import BadInput, Problem
from bot.core.recurrence import Recurrence, parse_every, require_due
from bot.core.safety import refuse_sensitive
from bot.core.settings_grammar import SettingsCommand, parse_settings
from bot.core.slack_text import (
    LEADING_MENTION,
    free_text,
    normalise,
    plain_text,
    split_parts,
    take_leading_mentions,
)
from bot.core.summary_grammar import StatsRequest, SummaryCommand, parse_export, parse_stats, parse_summary

MAX_TITLE = 150
MAX_DONE_WHEN = 1000
MAX_REPORT_TEXT = 3000
MAX_EVERY_TEXT = 40
# Ids are small positive integers; the bound keeps them inside any database integer.
MAX_TASK_NUMBER = 999_999_999


class Command(StrEnum):
    """Which command a text was typed into; errors name it so the reply shows its example."""

    DELEGATE = "delegate"
    EDIT = "edit"
    REPORT = "report"
    TASKS = "tasks"


# --- Labels --------------------------------------------------------------------------

TITLE = "title"
DONE_WHEN = "done_when"
DUE = "due_text"
REPORT_TEXT = "report"
EVERY = "every"

_TASK_LABELS: Mapping[str, str] = {
    "done when": DONE_WHEN,
    "done": DONE_WHEN,
    "dod": DONE_WHEN,
    "definition of done": DONE_WHEN,
    "due": DUE,
    "by": DUE,
    "deadline": DUE,
}
# Only a new handoff can repeat: a series is not made by editing one task.
_DELEGATE_LABELS: Mapping[str, str] = {**_TASK_LABELS, "every": EVERY, "repeat": EVERY, "repeats": EVERY}
_EDIT_LABELS: Mapping[str, str] = {"title": TITLE, **_TASK_LABELS}

# How each field is named back to the person: its main label.
LABELS: Mapping[str, str] = {DONE_WHEN: "done when", DUE: "due", TITLE: "title", EVERY: "every"}
_FIELD_LIMITS: Mapping[str, int] = {
    DONE_WHEN: MAX_DONE_WHEN,
    DUE: MAX_DUE_TEXT,
    TITLE: MAX_TITLE,
    REPORT_TEXT: MAX_REPORT_TEXT,
    EVERY: MAX_EVERY_TEXT,
}

# --- Tokens --------------------------------------------------------------------------

# "done  When :" and "done-when:" are the same label; the value may itself hold colons.
_LABELLED_PART = re.compile(r"^\s*([A-Za-z][A-Za-z _-]*?)\s*:(.*)$", re.DOTALL)
_LABEL_JOINERS = re.compile(r"[_-]")
_TASK_NUMBER = re.compile(r"^(?:#|[Tt]-?)?([0-9]+)$")
_TRAILING_PERCENT = re.compile(r"(?:^|\s)([0-9]+)\s?%$")
# "done", "done:", "done." or "done!" then the optional note; "done-ish" is progress text.
_DONE_WORD = re.compile(r"^done[:.!,]?(?: (.*))?$", re.IGNORECASE | re.DOTALL)
_HELP_WORDS = frozenset({"help", "?"})


def _refuse_secrets(text: str) -> None:
    """Refuse a secret in the raw text, or one that only shows once entities are read."""
    refuse_sensitive(text, plain_text(text))


def _label_key(raw_label: str) -> str:
    return " ".join(_LABEL_JOINERS.sub(" ", raw_label).lower().split())


def _check_length(field: str, value: str) -> None:
    limit = _FIELD_LIMITS[field]
    if len(value) > limit:
        details = {"field": field, "length": len(value), "limit": limit}
        raise BadInput(problem=Problem.TOO_LONG, details=details)


def _parse_labelled_parts(
    parts: Iterable[str], labels: Mapping[str, str], command: Command
) -> dict[str, str]:
    """Read ``label: value`` parts into ``{field: value}``; unknown, repeated or empty ones fail."""
    values: dict[str, str] = {}
    for raw_part in parts:
        part = normalise(raw_part)
        match = _LABELLED_PART.match(part)
        field = labels.get(_label_key(match.group(1))) if match else None
        if match is None or field is None:
            known = [LABELS[field] for field in dict.fromkeys(labels.values())]
            details = {"command": command, "part": free_text(part), "labels": known}
            raise BadInput(problem=Problem.UNKNOWN_PART, details=details)
        if field in values:
            details = {"command": command, "label": LABELS[field]}
            raise BadInput(problem=Problem.REPEATED_PART, details=details)
        value = free_text(match.group(2))
        if not value:
            label = match.group(1).strip()
            raise BadInput(problem=Problem.EMPTY_PART, details={"command": command, "label": label})
        _check_length(field, value)
        values[field] = value
    return values


# --- /delegate -----------------------------------------------------------------------


@dataclass(frozen=True)
class DelegateRequest:
    """What ``/delegate`` asked for; the due date is still text (see :mod:`bot.core.dates`)."""

    assignee_ids: tuple[str, ...]
    title: str
    done_when: str | None
    due_text: str | None
    every: Recurrence | None = None  # a recurring handoff (always with a due date)


def _no_assignee_error(text: str) -> BadInput:
    first_word = text.split(" ", 1)[0]
    if first_word.startswith("@"):
        # The app was sent plain "@alice": Slack only escapes people picked from the list.
        return BadInput(problem=Problem.UNKNOWN_PERSON, details={"text": plain_text(first_word)})
    return BadInput(problem=Problem.NO_ASSIGNEE)


def parse_delegate(text: str) -> DelegateRequest:
    """Parse ``<@U…> [<@U…> …] <title> [| done when: <outcome>] [| due: <when>] [| every: <how often>]``.

    The title, outcome and due text come back as :func:`plain_text`.
    """
    _refuse_secrets(text)
    title_part, *rest = split_parts(normalise(text))
    assignee_ids, title = take_leading_mentions(title_part)
    title = free_text(title)
    if not assignee_ids:
        raise _no_assignee_error(normalise(title_part))
    if not title:
        raise BadInput(problem=Problem.NO_TITLE)
    _check_length(TITLE, title)
    values = _parse_labelled_parts(rest, _DELEGATE_LABELS, Command.DELEGATE)
    every = parse_every(values[EVERY]) if EVERY in values else None
    require_due(every, values.get(DUE))
    return DelegateRequest(
        assignee_ids=assignee_ids,
        title=title,
        done_when=values.get(DONE_WHEN),
        due_text=values.get(DUE),
        every=every,
    )


# --- inline edit ---------------------------------------------------------------------


@dataclass(frozen=True)
class EditRequest:
    """Fields to change, as :func:`plain_text`; ``None`` means "leave as it is"."""

    title: str | None
    done_when: str | None
    due_text: str | None


def parse_edit(text: str) -> EditRequest:
    """Parse ``title: … | done when: … | due: …`` (any subset, any order) from Slack text."""
    _refuse_secrets(text)
    return _read_edit(text)


def _read_edit(text: str) -> EditRequest:
    normalised = normalise(text)
    if not normalised:
        raise BadInput(problem=Problem.NOTHING_TO_EDIT)
    values = _parse_labelled_parts(split_parts(normalised), _EDIT_LABELS, Command.EDIT)
    return EditRequest(
        title=values.get(TITLE),
        done_when=values.get(DONE_WHEN),
        due_text=values.get(DUE),
    )


# --- task ids ------------------------------------------------------------------------


def parse_task_number(token: str) -> int:
    """Read a task id written as ``T-12``, ``t-12``, ``T12``, ``12``, ``#12`` or ``T-012``."""
    _refuse_secrets(token)
    return _read_task_number(token)


def _read_task_number(token: str, command: Command | None = None) -> int:
    cleaned = token.strip()
    match = _TASK_NUMBER.match(cleaned)
    # Leading zeros ("T-012") are fine; the length check keeps int() cheap on huge input.
    digits = match.group(1).lstrip("0") if match else ""
    number = int(digits) if digits and len(digits) <= 9 else 0
    if not 1 <= number <= MAX_TASK_NUMBER:
        details = {"token": plain_text(cleaned), "command": command}
        raise BadInput(problem=Problem.NOT_A_TASK_ID, details=details)
    return number


# --- /report -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRequest:
    """A progress note (``delivers=False``) or the hand-back of the finished work.

    ``text`` is :func:`plain_text`, possibly empty.
    """

    number: int
    delivers: bool
    text: str
    percent: int | None


def _split_first_word(text: str) -> tuple[str, str]:
    first, _, rest = text.partition(" ")
    return first, rest


def _split_percent(text: str) -> tuple[str, int | None]:
    """Take a trailing ``NN%`` off a progress note."""
    match = _TRAILING_PERCENT.search(text)
    if match is None:
        return text, None
    digits = match.group(1)
    percent = int(digits) if len(digits) <= 4 else 10_000
    if percent > 100:
        shown = digits if len(digits) <= 10 else digits[:9] + "…"
        raise BadInput(problem=Problem.PERCENT_OVER_100, details={"percent": shown})
    return text[: match.start()].strip(), percent


def parse_report(text: str) -> ReportRequest:
    """Parse ``T-12 <progress> [NN%]`` or ``T-12 done [<note>]``."""
    _refuse_secrets(text)
    normalised = normalise(text)
    if not normalised:
        raise BadInput(problem=Problem.NO_REPORT_TASK)
    token, rest = _split_first_word(normalised)
    number = _read_task_number(token)
    if done := _DONE_WORD.match(rest):
        note = free_text(done.group(1) or "")
        _check_length(REPORT_TEXT, note)
        return ReportRequest(number=number, delivers=True, text=note, percent=None)
    raw_note, percent = _split_percent(rest)
    note = free_text(raw_note)
    if not note and percent is None:
        raise BadInput(problem=Problem.EMPTY_REPORT, details={"number": number})
    _check_length(REPORT_TEXT, note)
    return ReportRequest(number=number, delivers=False, text=note, percent=percent)


# --- /tasks --------------------------------------------------------------------------


class TasksVerb(StrEnum):
    """What ``/tasks`` was asked to do."""

    LIST = "list"
    HELP = "help"
    SHOW = "show"
    EDIT = "edit"
    CANCEL = "cancel"
    REASSIGN = "reassign"
    TAKE_BACK = "takeback"
    STOP = "stop"  # end the recurring series the task belongs to
    WHY = "why"  # where the handoff broke: its fault lines
    SETTINGS = "settings"
    SUMMARY = "summary"  # the channel's daily summary: subscribe, unsubscribe, show
    STATS = "stats"  # scorecards
    EXPORT = "export"  # a CSV of tasks and their history


@dataclass(frozen=True)
class TasksCommand:
    """``/tasks`` parsed: the verb, and the task it is about (all but list and help).

    ``rest`` is what follows the verb (or the mention, for reassign) as
    :func:`plain_text`: the reason of a cancel, for example. For an inline edit
    (``/tasks T-12 edit title: …``) ``edit`` holds the parsed fields; it is None for
    every other command and for a bare ``edit``, which opens the form. ``settings`` holds
    what ``/tasks settings …`` asked for (see :mod:`bot.core.settings_grammar`).
    """

    action: TasksVerb
    number: int | None = None
    assignee_id: str | None = None
    rest: str = ""
    edit: EditRequest | None = None
    settings: SettingsCommand | None = None
    summary: SummaryCommand | None = None
    stats: StatsRequest | None = None
    export_days: int | None = None


_VERBS: Mapping[str, TasksVerb] = {
    "show": TasksVerb.SHOW,
    "edit": TasksVerb.EDIT,
    "cancel": TasksVerb.CANCEL,
    "reassign": TasksVerb.REASSIGN,
    "takeback": TasksVerb.TAKE_BACK,
    "take-back": TasksVerb.TAKE_BACK,
    "stop": TasksVerb.STOP,
    "why": TasksVerb.WHY,
}


_TAKES_NOTHING_MORE = frozenset({TasksVerb.WHY})


def _read_verb(text: str) -> tuple[TasksVerb | None, str]:
    """Return the verb at the start of ``text`` (or None) and what follows it."""
    word, rest = _split_first_word(text)
    word = word.lower()
    if word == "take":
        follow, after = _split_first_word(rest)
        if follow.lower() == "back":
            return TasksVerb.TAKE_BACK, after
    return _VERBS.get(word), rest


def _reassign_command(number: int, rest: str) -> TasksCommand:
    match = LEADING_MENTION.match(rest)
    if match is None:
        raise BadInput(problem=Problem.NO_NEW_ASSIGNEE, details={"number": number})
    return TasksCommand(
        TasksVerb.REASSIGN, number, assignee_id=match.group(1), rest=free_text(rest[match.end() :])
    )


def _id_then_rest(text: str) -> tuple[str, str]:
    """Split off the task id; a verb typed first ("cancel T-12 …") moves behind it."""
    verb, after_verb = _read_verb(text)
    if verb is None:
        return _split_first_word(text)
    token, rest = _split_first_word(after_verb)
    return token, f"{verb.value} {rest}".strip()


def parse_tasks(text: str) -> TasksCommand:
    """Parse ``/tasks [help | settings … | summary … | stats … | export … |
    T-12 [show|edit|cancel|reassign @x|take back|stop|why] [rest]]``."""
    _refuse_secrets(text)
    normalised = normalise(text)
    if normalised.lower() in {"", "list"}:
        return TasksCommand(TasksVerb.LIST)
    if is_help(normalised):
        return TasksCommand(TasksVerb.HELP)
    word, after = _split_first_word(normalised)
    if word.lower() == TasksVerb.SETTINGS.value:
        return TasksCommand(TasksVerb.SETTINGS, settings=parse_settings(after))
    if word.lower() == TasksVerb.SUMMARY.value:
        return TasksCommand(TasksVerb.SUMMARY, summary=parse_summary(after))
    if word.lower() == TasksVerb.STATS.value:
        return TasksCommand(TasksVerb.STATS, stats=parse_stats(after))
    if word.lower() == TasksVerb.EXPORT.value:
        return TasksCommand(TasksVerb.EXPORT, export_days=parse_export(after))
    token, rest = _id_then_rest(normalised)
    number = _read_task_number(token, Command.TASKS)
    if not rest:
        return TasksCommand(TasksVerb.SHOW, number)
    verb, remainder = _read_verb(rest)
    if verb is None:
        word = plain_text(_split_first_word(rest)[0])
        raise BadInput(problem=Problem.UNKNOWN_VERB, details={"word": word})
    if verb is TasksVerb.REASSIGN:
        return _reassign_command(number, remainder)
    if verb in _TAKES_NOTHING_MORE and remainder.strip():
        raise BadInput(
            f"`/tasks T-{number} {verb.value}` takes nothing after it.",
            hint=f"Type `/tasks T-{number} {verb.value}`.",
        )
    edit = _read_edit(remainder) if verb is TasksVerb.EDIT and remainder.strip() else None
    return TasksCommand(verb, number, rest=free_text(remainder), edit=edit)


def is_help(text: str) -> bool:
    """Whether a command's text asks for help (``help`` or ``?``), for every command."""
    return normalise(text).lower() in _HELP_WORDS
