"""Modal views: pure builders, and readers for what people typed into them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.message_title import MessageTitle
from bot.core.recurrence import CHOICES
from bot.core.tasks import Task
from bot.core.text_hygiene import strip_bidi
from bot.slack.blocks import (
    MAX_MODAL_TITLE,
    MAX_OPTION_TEXT,
    MAX_OPTIONS,
    Block,
    context,
    escape,
    mention,
    plain,
    section,
    truncate,
)
from bot.slack.ids import Field, View
from bot.slack.message_source import MessageSource

ViewBody = dict[str, Any]


def _modal(callback_id: str, title: str, blocks: list[Block], *, submit: str, metadata: str = "") -> ViewBody:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MAX_MODAL_TITLE),
        "submit": plain(submit, MAX_MODAL_TITLE),
        "close": plain("Cancel", MAX_MODAL_TITLE),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def _input(
    field: Field, label: str, element: Block, *, optional: bool = False, hint: str | None = None
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": field.value,
        "label": plain(label, 2000),
        # The field names the element too: action_ids are unique within a view.
        "element": {**element, "action_id": field.value},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def _text_input(
    *,
    multiline: bool = False,
    initial: str | None = None,
    placeholder: str | None = None,
    max_length: int = 3000,
) -> Block:
    element: Block = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return element


def _task_line(task: Task) -> Block:
    return section(f"*{task.ref}* · {escape(truncate(task.title, 200))}")


def delegate_modal(
    *, title: str = "", title_hint: str | None = None, origin: str | None = None, metadata: str = ""
) -> ViewBody:
    """The whole task, empty (``/delegate``, the global shortcut) or prefilled from a message.

    ``origin`` (mrkdwn) says where the task comes from; ``metadata`` names that message
    (sealed, see ``bot.slack.message_source``); ``title_hint`` says why the title is empty.
    """
    blocks = [
        *([context(origin)] if origin else []),
        _input(Field.ASSIGNEES, "Who should do it?", {"type": "multi_users_select"}),
        _input(
            Field.TITLE,
            "Task",
            _text_input(initial=title or None, placeholder="Ship the Q3 report", max_length=150),
            hint=title_hint,
        ),
        _input(
            Field.DONE_WHEN,
            "Done when…",
            _text_input(multiline=True, placeholder="PDF of the report sent to the board", max_length=1000),
            hint="What will exist or be true when it's done? Clear outcomes get done right the first time.",
            optional=True,  # like the command: a missing outcome is pointed out, never blocking
        ),
        _input(
            Field.DUE,
            "Due",
            _text_input(placeholder="friday, tomorrow 3pm, in 3 days, 2026-12-24 17:00", max_length=100),
            optional=True,
        ),
        _input(
            Field.EVERY,
            "Repeat",
            {
                "type": "static_select",
                "placeholder": plain("Doesn't repeat"),
                "options": [{"text": plain(label), "value": value} for value, label in CHOICES],
            },
            optional=True,
            hint="Each occurrence is offered a working day before it is due. Needs a due date.",
        ),
    ]
    return _modal(View.NEW_TASK, "Hand off a task", blocks, submit="Hand off", metadata=metadata)


def message_delegate_modal(source: MessageSource, found: MessageTitle, *, metadata: str) -> ViewBody:
    """The delegate form opened on a message: its first line as the title, and where it is."""
    where = "in a direct message" if source.in_direct_message else f"in <#{source.channel_id}>"
    by = f" by {mention(source.author_id)}" if source.author_id else ""
    if found.withheld is not None:
        hint = (
            f"The message looks like it contains {found.withheld}, so none of its text was copied "
            "here. Handoff never stores card numbers or secrets: describe the task without them."
        )
    elif found.empty:
        hint = "The message has no text to use (only files or formatting): give the task a title."
    else:
        hint = None
    origin = f":speech_balloon: From a message{by} {where}"
    return delegate_modal(title=found.title, title_hint=hint, origin=origin, metadata=metadata)


def text_modal(
    callback_id: View,
    task: Task,
    *,
    title: str,
    label: str,
    submit: str,
    optional: bool = False,
    placeholder: str | None = None,
) -> ViewBody:
    """A modal with one text box about one task (decline, ask, reply, deliver, changes)."""
    blocks = [
        _task_line(task),
        _input(Field.TEXT, label, _text_input(multiline=True, placeholder=placeholder), optional=optional),
    ]
    return _modal(callback_id, title, blocks, submit=submit, metadata=str(task.number))


def _progress_inputs() -> list[Block]:
    return [
        _input(Field.TEXT, "What's done, what's next?", _text_input(multiline=True)),
        _input(
            Field.PERCENT,
            "Percent done",
            {"type": "number_input", "is_decimal_allowed": False, "min_value": "0", "max_value": "100"},
            optional=True,
        ),
    ]


def progress_modal(task: Task) -> ViewBody:
    blocks = [
        _task_line(task),
        *_progress_inputs(),
    ]
    return _modal(View.PROGRESS, "Report progress", blocks, submit="Send", metadata=str(task.number))


def report_picker_modal(tasks: Sequence[Task]) -> ViewBody:
    """/report with no text: choose one of my open tasks, then report or deliver."""
    options = [
        {"text": plain(f"{t.ref} · {t.title}", MAX_OPTION_TEXT), "value": str(t.number)}
        for t in tasks[:MAX_OPTIONS]
    ]
    blocks = [
        _input(Field.TASK, "Task", {"type": "static_select", "options": options}),
        *_progress_inputs(),
        _input(
            Field.DELIVERS,
            "Deliver?",
            {
                "type": "checkboxes",
                "options": [{"text": plain("This delivers the task for review"), "value": "deliver"}],
            },
            optional=True,
        ),
    ]
    return _modal(View.REPORT_PICKER, "Report progress", blocks, submit="Send")


def reassign_modal(task: Task) -> ViewBody:
    blocks = [
        _task_line(task),
        _input(Field.ASSIGNEE, "Hand it to", {"type": "users_select"}),
    ]
    return _modal(View.NEW_ASSIGNEE, "Reassign", blocks, submit="Reassign", metadata=str(task.number))


def edit_modal(task: Task) -> ViewBody:
    blocks = [
        _input(Field.TITLE, "Task", _text_input(initial=task.title, max_length=150)),
        _input(
            Field.DONE_WHEN,
            "Done when…",
            _text_input(multiline=True, initial=task.done_when, max_length=1000),
            hint="What will exist or be true when it's done?",
        ),
        _input(
            Field.DUE,
            "New due date",
            _text_input(placeholder="friday, tomorrow 3pm, 2026-12-24 17:00"),
            optional=True,
            hint="Leave empty to keep the current due date.",
        ),
    ]
    return _modal(View.TASK_EDIT, f"Edit {task.ref}", blocks, submit="Save", metadata=str(task.number))


# --- reading submissions ----------------------------------------------------------------


def field_value(view: ViewBody, field: Field) -> Any:
    """What the person entered in one field, whatever its element type; None if empty."""
    block = view.get("state", {}).get("values", {}).get(field.value, {})
    # One element per input block: its value, whatever its action_id (forms opened before
    # the ids were named after their fields say "input").
    state: dict[str, Any] = next(iter(block.values()), {})
    kind = state.get("type")
    if kind == "multi_users_select":
        return state.get("selected_users") or []
    if kind == "users_select":
        return state.get("selected_user")
    if kind == "static_select":
        return (state.get("selected_option") or {}).get("value")
    if kind == "checkboxes":
        return [option.get("value") for option in state.get("selected_options") or []]
    return state.get("value")


def text_value(view: ViewBody, field: Field) -> str:
    """A text field's value, trimmed and without bidirectional controls (no reversed titles)."""
    return strip_bidi(field_value(view, field) or "").strip()
