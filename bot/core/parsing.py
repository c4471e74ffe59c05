"""Grammar of the slash commands: ``/delegate``, ``/report`` and ``/tasks``.

Everything here turns the raw ``text`` of a slash command into a small frozen value, or
raises :class:`~bot.core.errors.BadInput` whose message says what to type instead. No
Slack, database or clock is involved, so the whole grammar is unit- and fuzz-tested.

Every public parser first refuses text holding a card number or a secret
(:func:`bot.core.safety.refuse_sensitive`), before anything else: so no secret is ever
stored, nor quoted back in an error message.

Slack sends the command text with entities escaped (the app has "Escape channels, users,
and links" on): ``<@U123|alice>``, ``<#C123|general>``, ``<https://x|label>``. A ``|``
inside such an entity is part of it, never a part separator, and a literal ``&``/``<``/``>``
typed by a person arrives as ``&amp;``/``&lt;``/``&gt;``, so every ``<…>`` is an entity.
The grammar (``|`` parts, leading mentions, ``reassign @x``) is read on that raw text;
every free-text value returned is then :func:`plain_text`: what a person reads, with no
markup and no entity left, to be escaped again by whoever displays it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.core.dates import MAX_DUE_TEXT
from bot.core.errors import BadInput, quote
from bot.core.safety import refuse_sensitive
from bot.core.text_hygiene import strip_bidi

MAX_TITLE = 150
MAX_DONE_WHEN = 1000
MAX_REPORT_TEXT = 3000
# Ids are small positive integers; the bound keeps them inside any database integer.
MAX_TASK_NUMBER = 999_999_999

DELEGATE_EXAMPLE = "/delegate @alice Ship the Q3 report | done when: PDF sent to the board | due: friday"
EDIT_EXAMPLE = "/tasks T-12 edit title: Ship the Q4 report | done when: PDF sent to the board | due: monday"
REPORT_EXAMPLES = "/report T-12 drafted the intro 40%  or  /report T-12 done PDF is in the shared folder"
TASKS_EXAMPLES = "/tasks, /tasks T-12, /tasks T-12 edit, /tasks T-12 cancel, /tasks T-12 reassign @bob"

HELP_DELEGATE = (
    "*Delegate a task:* `/delegate @person <title> | done when: <outcome> | due: <when>`\n"
    "• `/delegate @alice Ship the Q3 report | done when: PDF sent to the board | due: friday`\n"
    "• `/delegate @bob @carol Book the offsite venue | due: dec 12`\n"
    "• `/delegate @dan Renew the domain | dod: renewal receipt filed | by: in 3 days`\n"
    "Labels: `done when:` (or `done:`, `dod:`, `definition of done:`) and `due:` "
    "(or `by:`, `deadline:`). Both parts are optional and can come in any order.\n"
    "Due dates: `tomorrow 3pm`, `friday`, `in 3 days`, `2026-12-24 17:00`, `eod`, `eow`."
)

HELP_TASKS = (
    "*Your tasks:*\n"
    "• `/tasks` — what you delegated and what is on your plate\n"
    "• `/tasks T-12` — show one task\n"
    "• `/tasks T-12 edit` — edit it, or inline: "
    "`/tasks T-12 edit title: … | done when: … | due: …`\n"
    "• `/tasks T-12 cancel <reason>` — cancel it\n"
    "• `/tasks T-12 reassign @bob` — hand it to someone else\n"
    "• `/tasks T-12 take back` — take it back to do yourself"
)

HELP_REPORT = (
    "*Report on a task you were given:*\n"
    "• `/report T-12 drafted the intro and the numbers 40%` — progress (the % is optional)\n"
    "• `/report T-12 60%` — just the percentage\n"
    "• `/report T-12 done PDF is in the shared folder` — hand it back as done"
)

# --- Labels --------------------------------------------------------------------------

_DONE_WHEN = "done_when"
_DUE = "due_text"
_TITLE = "title"

_DELEGATE_LABELS: Mapping[str, str] = {
    "done when": _DONE_WHEN,
    "done": _DONE_WHEN,
    "dod": _DONE_WHEN,
    "definition of done": _DONE_WHEN,
    "due": _DUE,
    "by": _DUE,
    "deadline": _DUE,
}
_EDIT_LABELS: Mapping[str, str] = {"title": _TITLE, **_DELEGATE_LABELS}

# How each field is named back to the person in messages: its main label, and in prose.
_FIELD_NAMES: Mapping[str, str] = {_DONE_WHEN: "done when", _DUE: "due", _TITLE: "title"}
_FIELD_PROSE: Mapping[str, str] = {_DONE_WHEN: "definition of done", _DUE: "due date", _TITLE: "title"}
_FIELD_LIMITS: Mapping[str, int] = {_DONE_WHEN: MAX_DONE_WHEN, _DUE: MAX_DUE_TEXT, _TITLE: MAX_TITLE}

# --- Tokens --------------------------------------------------------------------------

_ENTITY = re.compile(r"<([^<>]*)>")
_ENTITY_OR_PIPE = re.compile(r"<[^<>]*>|\|")
_WHITESPACE = re.compile(r"\s+")
# "done  When :" and "done-when:" are the same label; the value may itself hold colons.
_LABELLED_PART = re.compile(r"^\s*([A-Za-z][A-Za-z _-]*?)\s*:(.*)$", re.DOTALL)
_LABEL_JOINERS = re.compile(r"[_-]")
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
_LEADING_MENTION = re.compile(r"\s*" + _USER_MENTION.pattern + r"\s*")
# Between leading mentions people write "<@U1>, <@U2>" or "<@U1> and <@U2>".
_MENTION_JOINER = re.compile(r"(?:,|and\b|&amp;)\s*(?=<@[UW])", re.IGNORECASE)
_TASK_NUMBER = re.compile(r"^(?:#|[Tt]-?)?([0-9]+)$")
_TRAILING_PERCENT = re.compile(r"(?:^|\s)([0-9]+)\s?%$")
# "done", "done:", "done." or "done!" then the optional note; "done-ish" is progress text.
_DONE_WORD = re.compile(r"^done[:.!,]?(?: (.*))?$", re.IGNORECASE | re.DOTALL)
_SPECIAL_MENTIONS = frozenset({"channel", "here", "everyone"})
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?://)?")


def _normalise(text: str) -> str:
    """Collapse every run of whitespace (newlines too) to one space and trim the ends."""
    return _WHITESPACE.sub(" ", text).strip()


def _split_parts(text: str) -> list[str]:
    """Split on ``|`` separators, leaving the ``|`` inside ``<…>`` Slack entities alone."""
    parts: list[str] = []
    start = 0
    for match in _ENTITY_OR_PIPE.finditer(text):
        if match.group() == "|":
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts


# --- Slack text ----------------------------------------------------------------------


def plain_text(slack_text: str) -> str:
    """Turn escaped Slack text into what a person reads: entities as inert text, unescaped.

    ``<@U1|alice>`` → ``@alice``, ``<@U1>`` → ``@U1``, ``<#C1|general>`` → ``#general``,
    ``<!here>`` → ``@here`` (also ``@channel``, ``@everyone``), ``<!subteam^S1|@team>`` →
    ``@team``, ``<https://x|label>`` → ``label (https://x)``, ``<https://x>`` →
    ``https://x``, ``<mailto:a@b.c|a@b.c>`` → ``a@b.c``; then ``&lt;``, ``&gt;`` and
    ``&amp;`` become ``<``, ``>`` and ``&`` (in that order: ``&amp;lt;`` is ``&lt;``).

    Only for text Slack escaped (slash command text, message text): a modal's input
    values arrive unescaped and are plain already. Whitespace is left as it is;
    bidirectional controls are dropped, so no text can be shown reversed. The result can
    hold any other character, so it must be escaped again to be shown in mrkdwn.
    """
    text = _ENTITY.sub(_entity_as_text, strip_bidi(slack_text))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _entity_as_text(match: re.Match[str]) -> str:
    """One ``<…>`` entity as readable text; still escaped, as the text around it is."""
    target, _, label = match.group(1).partition("|")
    label = label.strip()
    if target.startswith("@"):
        return "@" + (label.lstrip("@") or target[1:])
    if target.startswith("#"):
        return "#" + (label.lstrip("#") or target[1:])
    if target.startswith("!"):
        command, _, argument = target[1:].partition("^")
        if command in _SPECIAL_MENTIONS:
            return "@" + command
        if command == "subteam":
            return "@" + (label.lstrip("@") or argument)
        # <!date^…|fallback> and any future command: its fallback text, else its name.
        return label or command
    return _link_as_text(target, label)


def _link_as_text(url: str, label: str) -> str:
    """``label (url)``, or just one of them when the label only repeats the address."""
    address = url[len("mailto:") :] if url.lower().startswith("mailto:") else url
    if not label or label in {url, address, _URL_SCHEME.sub("", url)}:
        return label or address
    return f"{label} ({address})"


def _free_text(raw: str) -> str:
    """A free-text value of a command as plain text, whitespace collapsed."""
    return _normalise(plain_text(raw))


def _refuse_secrets(text: str) -> None:
    """Refuse a secret in the raw text, or one that only shows once entities are read."""
    refuse_sensitive(text, plain_text(text))


def _label_key(raw_label: str) -> str:
    return " ".join(_LABEL_JOINERS.sub(" ", raw_label).lower().split())


def _check_length(field: str, value: str) -> None:
    limit = _FIELD_LIMITS[field]
    if len(value) > limit:
        raise BadInput(
            f"The {_FIELD_PROSE[field]} is {len(value)} characters long; the limit is {limit}.",
            hint="Shorten it and send it again.",
        )


def _parse_labelled_parts(parts: Iterable[str], labels: Mapping[str, str], example: str) -> dict[str, str]:
    """Read ``label: value`` parts into ``{field: value}``; unknown, repeated or empty ones fail."""
    names = [f"`{_FIELD_NAMES[field]}:`" for field in dict.fromkeys(labels.values())]
    known = ", ".join(names[:-1]) + f" or {names[-1]}"
    values: dict[str, str] = {}
    for raw_part in parts:
        part = _normalise(raw_part)
        match = _LABELLED_PART.match(part)
        field = labels.get(_label_key(match.group(1))) if match else None
        if match is None or field is None:
            what = quote(_free_text(part)) if part else "an empty part between two `|`"
            raise BadInput(
                f"I didn't understand {what}. Each part (separated by `|`) starts with a label: {known}.",
                hint=f"For example: {example}",
            )
        if field in values:
            raise BadInput(
                f"You gave `{_FIELD_NAMES[field]}:` twice. Give each part once.",
                hint=f"For example: {example}",
            )
        value = _free_text(match.group(2))
        if not value:
            raise BadInput(
                f"`{match.group(1).strip()}:` is empty. "
                "Write something after the label, or leave the part out.",
                hint=f"For example: {example}",
            )
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


def _take_leading_mentions(text: str) -> tuple[tuple[str, ...], str]:
    """Split ``<@U1> <@U2> rest`` into the de-duplicated ids (order kept) and ``rest``."""
    ids: list[str] = []
    position = 0
    while match := _LEADING_MENTION.match(text, position):
        if match.group(1) not in ids:
            ids.append(match.group(1))
        position = match.end()
        if joiner := _MENTION_JOINER.match(text, position):
            position = joiner.end()
    return tuple(ids), text[position:]


def _no_assignee_error(text: str) -> BadInput:
    first_word = text.split(" ", 1)[0]
    if first_word.startswith("@"):
        # The app was sent plain "@alice": Slack only escapes people picked from the list.
        return BadInput(
            f"I couldn't tell who {quote(plain_text(first_word), 30)} is. "
            "Pick the person from the list Slack shows as you type @, so it becomes a mention.",
            hint=f"For example: {DELEGATE_EXAMPLE}",
        )
    return BadInput(
        f"Mention who should do it first: {DELEGATE_EXAMPLE}",
        hint="Type `/delegate help` for more examples.",
    )


def parse_delegate(text: str) -> DelegateRequest:
    """Parse ``<@U…> [<@U…> …] <title> [| done when: <outcome>] [| due: <when>]``.

    The title, outcome and due text come back as :func:`plain_text`.
    """
    _refuse_secrets(text)
    title_part, *rest = _split_parts(_normalise(text))
    assignee_ids, title = _take_leading_mentions(title_part)
    title = _free_text(title)
    if not assignee_ids:
        raise _no_assignee_error(_normalise(title_part))
    if not title:
        raise BadInput(
            "Add a title after the mention: say in a few words what the task is.",
            hint=f"For example: {DELEGATE_EXAMPLE}",
        )
    _check_length(_TITLE, title)
    values = _parse_labelled_parts(rest, _DELEGATE_LABELS, DELEGATE_EXAMPLE)
    return DelegateRequest(
        assignee_ids=assignee_ids,
        title=title,
        done_when=values.get(_DONE_WHEN),
        due_text=values.get(_DUE),
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
    normalised = _normalise(text)
    if not normalised:
        raise BadInput(
            "Say what to change: `title:`, `done when:` or `due:`.",
            hint=f"For example: {EDIT_EXAMPLE}",
        )
    values = _parse_labelled_parts(_split_parts(normalised), _EDIT_LABELS, EDIT_EXAMPLE)
    return EditRequest(
        title=values.get(_TITLE),
        done_when=values.get(_DONE_WHEN),
        due_text=values.get(_DUE),
    )


# --- task ids ------------------------------------------------------------------------


def parse_task_number(token: str) -> int:
    """Read a task id written as ``T-12``, ``t-12``, ``T12``, ``12``, ``#12`` or ``T-012``."""
    _refuse_secrets(token)
    return _read_task_number(token)


def _read_task_number(token: str) -> int:
    cleaned = token.strip()
    match = _TASK_NUMBER.match(cleaned)
    # Leading zeros ("T-012") are fine; the length check keeps int() cheap on huge input.
    digits = match.group(1).lstrip("0") if match else ""
    number = int(digits) if digits and len(digits) <= 9 else 0
    if not 1 <= number <= MAX_TASK_NUMBER:
        shown = quote(plain_text(cleaned), 30) if cleaned else "That"
        raise BadInput(
            f"{shown} is not a task id. Task ids look like T-12.",
            hint="Type `/tasks` to see your tasks and their ids.",
        )
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
        raise BadInput(
            f"{shown}% is more than 100%. Give a percentage from 0 to 100.",
            hint=f"For example: {REPORT_EXAMPLES}",
        )
    return text[: match.start()].strip(), percent


def _check_report_length(text: str) -> None:
    if len(text) > MAX_REPORT_TEXT:
        raise BadInput(
            f"The report is {len(text)} characters long; the limit is {MAX_REPORT_TEXT}.",
            hint="Shorten it, or put the details in a thread on the task.",
        )


def parse_report(text: str) -> ReportRequest:
    """Parse ``T-12 <progress> [NN%]`` or ``T-12 done [<note>]``."""
    _refuse_secrets(text)
    normalised = _normalise(text)
    if not normalised:
        raise BadInput("Say which task you are reporting on.", hint=f"For example: {REPORT_EXAMPLES}")
    token, rest = _split_first_word(normalised)
    number = _read_task_number(token)
    if done := _DONE_WORD.match(rest):
        note = _free_text(done.group(1) or "")
        _check_report_length(note)
        return ReportRequest(number=number, delivers=True, text=note, percent=None)
    raw_note, percent = _split_percent(rest)
    note = _free_text(raw_note)
    if not note and percent is None:
        raise BadInput(
            f"Say what progress you made on T-{number}, add a percentage, or `done` to hand it back.",
            hint=f"For example: {REPORT_EXAMPLES}",
        )
    _check_report_length(note)
    return ReportRequest(number=number, delivers=False, text=note, percent=percent)


# --- /tasks --------------------------------------------------------------------------


@dataclass(frozen=True)
class TasksCommand:
    """``action`` is one of "list", "show", "edit", "cancel", "reassign", "takeback", "help".

    ``rest`` is what follows the verb (or the mention, for "reassign") as
    :func:`plain_text`: the reason of a cancel, for example. For an inline edit
    (``/tasks T-12 edit title: …``) ``edit`` holds the parsed fields; it is None for
    every other command and for a bare ``edit``, which opens the form.
    """

    action: str
    number: int | None = None
    assignee_id: str | None = None
    rest: str = ""
    edit: EditRequest | None = None


_VERBS: Mapping[str, str] = {
    "show": "show",
    "edit": "edit",
    "cancel": "cancel",
    "reassign": "reassign",
    "takeback": "takeback",
    "take-back": "takeback",
}


def _read_verb(text: str) -> tuple[str | None, str]:
    """Return the canonical verb at the start of ``text`` (or None) and what follows it."""
    word, rest = _split_first_word(text)
    word = word.lower()
    if word == "take":
        follow, after = _split_first_word(rest)
        if follow.lower() == "back":
            return "takeback", after
    return _VERBS.get(word), rest


def _unknown_verb_error(word: str) -> BadInput:
    return BadInput(
        f"I don't know {quote(plain_text(word), 30)}. After the task id you can write: "
        "edit, cancel, reassign @person, take back (or nothing, to show the task).",
        hint=f"For example: {TASKS_EXAMPLES}",
    )


def _reassign_command(number: int, rest: str) -> TasksCommand:
    match = _LEADING_MENTION.match(rest)
    if match is None:
        raise BadInput(
            f"Mention who should take over T-{number}.",
            hint=f"For example: /tasks T-{number} reassign @bob",
        )
    return TasksCommand("reassign", number, assignee_id=match.group(1), rest=_free_text(rest[match.end() :]))


def _task_id_error(token: str) -> BadInput:
    hint = f"Try: {TASKS_EXAMPLES}, or `/tasks help`."
    if not token:
        return BadInput("Say which task, by its id (like T-12).", hint=hint)
    return BadInput(f"{quote(plain_text(token), 30)} is not a task id. Task ids look like T-12.", hint=hint)


def _id_then_rest(text: str) -> tuple[str, str]:
    """Split off the task id; a verb typed first ("cancel T-12 …") moves behind it."""
    verb, after_verb = _read_verb(text)
    if verb is None:
        return _split_first_word(text)
    token, rest = _split_first_word(after_verb)
    return token, f"{verb} {rest}".strip()


def parse_tasks(text: str) -> TasksCommand:
    """Parse ``/tasks [help | T-12 [show|edit|cancel|reassign @x|take back] [rest]]``."""
    _refuse_secrets(text)
    normalised = _normalise(text)
    if normalised.lower() in {"", "list"}:
        return TasksCommand("list")
    if normalised.lower() in {"help", "?"}:
        return TasksCommand("help")
    token, rest = _id_then_rest(normalised)
    try:
        number = _read_task_number(token)
    except BadInput:
        raise _task_id_error(token) from None
    if not rest:
        return TasksCommand("show", number)
    verb, remainder = _read_verb(rest)
    if verb is None:
        raise _unknown_verb_error(_split_first_word(rest)[0])
    if verb == "reassign":
        return _reassign_command(number, remainder)
    edit = _read_edit(remainder) if verb == "edit" and remainder.strip() else None
    return TasksCommand(verb, number, rest=_free_text(remainder), edit=edit)


def is_help(text: str) -> bool:
    """Whether a command's text asks for help (``help`` or ``?``), for every command."""
    return _normalise(text).lower() in {"help", "?"}
