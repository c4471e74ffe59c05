"""The ``/tasks settings`` forms and answers: pure builders, and a reader for what was typed.

Each field says what applies now and where that comes from, so nobody has to guess what
"empty" means. The forms' block ids are the fields' own names (``timezone``…, and the
workspace's variables ``NUDGE_ACK_AFTER``, ``QUIET_HOURS``…), so an error lands next to its field.
"""

from __future__ import annotations

from typing import Any

from bot.core.settings_grammar import THRESHOLD_FLOORS, HoursField, WorkspaceField, describe_duration
from bot.services.settings import DEFAULT, PROFILE, Applied, WorkingHours
from bot.services.workspace_settings import CalendarDefault, Threshold, WorkspaceValues
from bot.slack.blocks import MAX_MODAL_TITLE, Block, context, escape, message, plain, section
from bot.slack.ids import View

ViewBody = dict[str, Any]
Message = dict[str, Any]

_HOURS_LABELS: dict[HoursField, str] = {
    HoursField.TIMEZONE: "Timezone",
    HoursField.QUIET: "Quiet hours",
    HoursField.DAYS: "Working days",
}
_HOURS_HELP: dict[HoursField, str] = {
    HoursField.TIMEZONE: "An IANA name such as Europe/Berlin or America/New_York.",
    HoursField.QUIET: "No nudges between these times, like 19:00-08:00; off for none.",
    HoursField.DAYS: "Like mon-fri, mon-sun or mon,wed,fri.",
}
_FROM = {PROFILE: "from your Slack profile", DEFAULT: "the workspace default"}
_HOURS_LIMITS: dict[HoursField, int] = {HoursField.TIMEZONE: 64, HoursField.QUIET: 32, HoursField.DAYS: 64}

# What each threshold decides, in the words of the nudge it sets off.
THRESHOLD_HELP: dict[str, str] = {
    "ack_after": "Not accepted after this: the assignee is reminded.",
    "escalate_after": "Still not accepted this long after that reminder: the owner is told.",
    "unclear_after": "Still unclear after this: the owner is asked to clarify.",
    "question_after": "A question unanswered this long: the owner is reminded.",
    "due_soon": "Due within this and no word from the assignee: they are asked for a status.",
    "repeat_every": "A nudge repeats at most this often (overdue ones, this often).",
    "report_every": "In progress with no report this long: the assignee is asked for one.",
    "review_after": "Delivered and not reviewed after this: the owner is reminded.",
}


def _modal(
    callback_id: View | None, title: str, blocks: list[Block], *, submit: str | None, metadata: str = ""
) -> ViewBody:
    view: ViewBody = {
        "type": "modal",
        "title": plain(title, MAX_MODAL_TITLE),
        "close": plain("Cancel" if submit else "Done", MAX_MODAL_TITLE),
        "private_metadata": metadata,
        "blocks": blocks,
    }
    if callback_id is not None:
        view["callback_id"] = callback_id.value
    if submit:
        view["submit"] = plain(submit, MAX_MODAL_TITLE)
    return view


def _text_field(
    block_id: str, label: str, *, initial: str | None, placeholder: str, hint: str, limit: int
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": block_id,
        "max_length": limit,
        "placeholder": plain(placeholder, 150),
    }
    if initial:
        element["initial_value"] = initial[:limit]
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": True,  # empty means the default
        "hint": plain(hint, 2000),
    }


# --- a person's working hours -------------------------------------------------------------


def _now_from(applied: Applied) -> str:
    """What applies now and where it comes from, and what leaving the field empty means."""
    default = f"{applied.default}, {_FROM.get(applied.default_from, applied.default_from)}"
    if applied.own is None:
        return f"Now {default}; leave it as it is, or empty, to keep following that."
    return f"Now {applied.value}, your own setting. Empty goes back to {default}."


def working_hours_modal(hours: WorkingHours) -> ViewBody:
    """The person's working hours, each field filled in with what applies now."""
    blocks: list[Block] = [
        section("Handoff nudges you about your tasks only in your working hours, in your timezone."),
    ]
    for field in HoursField:
        applied = hours.fields[field]
        hint = f"{_HOURS_HELP[field]} {_now_from(applied)}"
        blocks.append(
            _text_field(
                field.value,
                _HOURS_LABELS[field],
                initial=applied.value,
                placeholder=f"{applied.default} (default)",
                hint=hint,
                limit=_HOURS_LIMITS[field],
            )
        )
    return _modal(View.WORKING_HOURS, "Your working hours", blocks, submit="Save", metadata=hours.stamp)


def working_hours_lines(hours: WorkingHours) -> list[str]:
    return [
        f"• {_HOURS_LABELS[field]}: *{escape(applied.value)}* ({applied.source})"
        for field, applied in hours.fields.items()
    ]


def working_hours_saved_view(hours: WorkingHours) -> ViewBody:
    """What the form turns into once saved: the summary."""
    text = "*Saved.* Handoff nudges you only in these working hours:\n" + "\n".join(
        working_hours_lines(hours)
    )
    return _modal(None, "Your working hours", [section(text)], submit=None)


def working_hours_reply(hours: WorkingHours, *, lead: str = "Your working hours") -> Message:
    """The answer to a typed ``/tasks settings …``."""
    text = f"{lead}:\n" + "\n".join(working_hours_lines(hours))
    tip = "Change them with `/tasks settings` (a form) or `/tasks settings quiet 19:00-08:00`."
    return message(text, [section(text), context(tip)])


# --- the workspace's settings -------------------------------------------------------------

_CALENDAR_LABELS: dict[WorkspaceField, str] = {
    WorkspaceField.QUIET: "Quiet hours",
    WorkspaceField.DAYS: "Working days",
    WorkspaceField.TIMEZONE: "Default timezone",
    WorkspaceField.SUMMARY_TIME: "Daily summary time",
}
_CALENDAR_HELP: dict[WorkspaceField, str] = {
    WorkspaceField.QUIET: "No nudges between these times, like 19:00-08:00; off for none.",
    WorkspaceField.DAYS: "Nudges only on these days, like mon-fri, sun-thu or mon,wed,fri.",
    WorkspaceField.TIMEZONE: "For people whose Slack profile has none: an IANA name such as Asia/Dubai.",
    WorkspaceField.SUMMARY_TIME: "When a new /tasks summary here posts if no time is given, like 09:00.",
}
_CALENDAR_LIMITS: dict[WorkspaceField, int] = {
    WorkspaceField.QUIET: 32,
    WorkspaceField.DAYS: 64,
    WorkspaceField.TIMEZONE: 64,
    WorkspaceField.SUMMARY_TIME: 5,
}
_WORKSPACE_TITLE = "Workspace settings"


def _falls_back(own: str | None, default: str) -> str:
    now = f"Now {own}, this workspace's own." if own else f"Now {default}, the default."
    return f"{now} Empty means the default, {default}."


def _calendar_label(item: CalendarDefault) -> str:
    return f"{_CALENDAR_LABELS[item.field]} ({item.name})"


def workspace_modal(current: WorkspaceValues) -> ViewBody:
    """The thresholds and the calendar defaults: the workspace's own value filled in, the
    default as placeholder, and both said in the hint."""
    blocks: list[Block] = [
        section(
            "*When Handoff nudges in this workspace.* Write durations like 30m, 4h or 2d; "
            "leave a field empty for the default shown in it."
        )
    ]
    for item in current.thresholds:
        least = describe_duration(THRESHOLD_FLOORS[item.setting])
        blocks.append(
            _text_field(
                item.name,
                item.name,
                initial=item.own,
                placeholder=f"{item.default} (default)",
                hint=f"{THRESHOLD_HELP[item.setting]} At least {least}. "
                + _falls_back(item.own, item.default),
                limit=16,
            )
        )
    blocks.append(
        section(
            "*Working time and daily summaries.* What people follow when they set nothing of their own "
            "with `/tasks settings` (a timezone in their Slack profile comes first)."
        )
    )
    for entry in current.calendar:
        blocks.append(
            _text_field(
                entry.name,
                _calendar_label(entry),
                initial=entry.own,
                placeholder=f"{entry.default} (default)",
                hint=f"{_CALENDAR_HELP[entry.field]} {_falls_back(entry.own, entry.default)}",
                limit=_CALENDAR_LIMITS[entry.field],
            )
        )
    return _modal(View.THRESHOLDS, _WORKSPACE_TITLE, blocks, submit="Save", metadata=current.stamp)


def workspace_lines(current: WorkspaceValues) -> list[str]:
    items: tuple[Threshold | CalendarDefault, ...] = (*current.thresholds, *current.calendar)
    return [
        f"• `{item.name}`: *{escape(item.value)}* ({'this workspace' if item.own else 'default'})"
        for item in items
    ]


def workspace_saved_view(current: WorkspaceValues) -> ViewBody:
    text = "*Saved.* The settings of this workspace:\n" + "\n".join(workspace_lines(current))
    return _modal(None, _WORKSPACE_TITLE, [section(text)], submit=None)


def workspace_reply(current: WorkspaceValues) -> Message:
    text = "The settings of this workspace:\n" + "\n".join(workspace_lines(current))
    tip = (
        "Admins and the installer change them with `/tasks settings workspace` (a form), "
        "or typed: `/tasks settings workspace NUDGE_ACK_AFTER 2h`, `… QUIET_HOURS 20:00-07:00`."
    )
    return message(text, [section(text), context(tip)])


# --- reading submissions ------------------------------------------------------------------


def typed_values(view: ViewBody) -> dict[str, str]:
    """Every text field's value by block id; "" for one left empty."""
    values: dict[str, str] = {}
    for block_id, block in (view.get("state", {}).get("values", {}) or {}).items():
        state: dict[str, Any] = next(iter(block.values()), {})
        values[str(block_id)] = str(state.get("value") or "")
    return values
