"""The DMs that nudges send: one builder per kind, rendered from the task as it is at send time.

Every nudge names the task (T-<n>), says what is wanted of its reader, and offers the
buttons that do it, in one actions block that ends with a Snooze menu. The assignee can
always answer how the task stands (At risk, Blocked) from a nudge, whatever it asked.
Buttons reuse the task card's action ids (``<action>:<n>``), so each click runs the same
flow as it does from the card, and no two elements of a message share an id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.core import snooze
from bot.core.clarity import check_clarity
from bot.core.lifecycle_table import Step, allowed
from bot.core.nudges import NudgeKind
from bot.core.tasks import Health, Status, Task
from bot.slack.blocks import (
    MAX_OPTION_TEXT,
    Block,
    actions,
    button,
    context,
    escape,
    mention,
    message,
    plain,
    section,
    slack_date,
    truncate,
)
from bot.slack.ids import Action
from bot.slack.messages import task_heading
from bot.slack.task_buttons import step_buttons

Message = dict[str, Any]

# The assignee's one-click answers to "how does it stand?"; At risk and Blocked ask why.
STATUS_BUTTONS: Mapping[Health, tuple[str, Action, str | None]] = {
    Health.ON_TRACK: ("On track", Action.ON_TRACK, "primary"),
    Health.AT_RISK: ("At risk", Action.AT_RISK, None),
    Health.BLOCKED: ("Blocked", Action.BLOCKED, "danger"),
}


def nudge_message(
    task: Task, kind: NudgeKind, *, recipient_id: str, late_by: timedelta | None, now: datetime
) -> Message:
    """The nudge ``kind`` about ``task`` for ``recipient_id``: what is wanted, with its buttons."""
    for_assignee = recipient_id == task.assignee_id
    late = late_by if late_by is not None else _late(task, now)
    wanted = _WANTED[kind](task, for_assignee, late)
    blocks: list[Block] = [
        section(f"*{escape(task_heading(task))}*\n{wanted}"),
        context(_facts(task, for_assignee)),
    ]
    detail = _detail(task, kind)
    if detail:
        blocks.append(section(detail))
    elements = [*_buttons(task, kind, for_assignee), snooze_menu(task, now=now)]
    blocks.append(actions(*elements, block_id=f"nudge:{task.number}"))
    return message(f"{task.ref}: {_first_line(wanted)}", blocks)


# --- what is wanted, per kind -----------------------------------------------------------


def _ack_reminder(task: Task, for_assignee: bool, late: timedelta) -> str:
    return f"{mention(task.owner_id)} handed this to you and is waiting to hear whether you'll take it."


def _ack_escalation(task: Task, for_assignee: bool, late: timedelta) -> str:
    return (
        f"{mention(task.assignee_id)} hasn't accepted this yet. "
        "Reassign it to someone else, or do it yourself?"
    )


def _unclear(task: Task, for_assignee: bool, late: timedelta) -> str:
    reasons = [f":warning: {escape(flag.message)}" for flag in check_clarity(task.done_when, task.due_at)]
    ask = f"This handoff is still unclear. Clarify it so {mention(task.assignee_id)} knows what done means."
    return "\n".join([ask, *reasons])


def _question(task: Task, for_assignee: bool, late: timedelta) -> str:
    return f"{mention(task.assignee_id)} asked a question and is waiting for your answer:"


def _due_soon(task: Task, for_assignee: bool, late: timedelta) -> str:
    return f"This is due {_due(task)}. How does it stand?"


def _overdue(task: Task, for_assignee: bool, late: timedelta) -> str:
    when = f"was due {_due(task)} and is *{how_late(late)} late*"
    if for_assignee:
        # Before acceptance the button is Accept, not Deliver: ask for what it offers.
        wanted = "Accept it" if task.status is Status.AWAITING_ACCEPTANCE else "Deliver it"
        return f"This {when}. {wanted}, or tell {mention(task.owner_id)} how it stands."
    if task.status is Status.DECLINED:
        # Nobody holds it: the assignee said no, so "if it won't come" would be wrong.
        return (
            f"{mention(task.assignee_id)} declined this task, which {when}. Reassign it, or do it yourself."
        )
    return (
        f"{mention(task.assignee_id)}'s task was due {_due(task)} and is *{how_late(late)} late*. "
        "Reassign it or do it yourself if it won't come."
    )


def _report_due(task: Task, for_assignee: bool, late: timedelta) -> str:
    return f"{mention(task.owner_id)} hasn't heard from you on this for a while. How is it going?"


def _review(task: Task, for_assignee: bool, late: timedelta) -> str:
    when = f" {slack_date(task.delivered_at)}" if task.delivered_at else ""
    return (
        f"{mention(task.assignee_id)} delivered this{when} and is waiting for your review.\n"
        f"*Done when:* {escape(task.done_when or 'not defined')}"
    )


_WANTED: Mapping[NudgeKind, Callable[[Task, bool, timedelta], str]] = {
    NudgeKind.ACK_REMINDER: _ack_reminder,
    NudgeKind.ACK_ESCALATION: _ack_escalation,
    NudgeKind.UNCLEAR: _unclear,
    NudgeKind.QUESTION: _question,
    NudgeKind.DUE_SOON: _due_soon,
    NudgeKind.OVERDUE: _overdue,
    NudgeKind.REPORT_DUE: _report_due,
    NudgeKind.REVIEW: _review,
}


def _detail(task: Task, kind: NudgeKind) -> str:
    if kind is NudgeKind.QUESTION and task.open_question:
        return "\n".join("> " + line for line in escape(task.open_question).splitlines() or [""])
    return ""


# --- buttons ----------------------------------------------------------------------------

# The steps each kind offers its reader, as (to the assignee, to the owner).
_STEPS: Mapping[NudgeKind, tuple[tuple[Step, ...], tuple[Step, ...]]] = {
    NudgeKind.ACK_REMINDER: ((Step.ACCEPT, Step.ASK, Step.DECLINE), ()),
    NudgeKind.ACK_ESCALATION: ((), (Step.REASSIGN, Step.TAKE_BACK)),
    NudgeKind.UNCLEAR: ((), ()),  # the owner's Clarify button opens the edit form
    NudgeKind.QUESTION: ((), (Step.ANSWER,)),
    NudgeKind.DUE_SOON: ((), ()),
    NudgeKind.OVERDUE: ((Step.ACCEPT, Step.DELIVER), (Step.REASSIGN, Step.TAKE_BACK)),
    NudgeKind.REPORT_DUE: ((Step.REPORT,), ()),
    NudgeKind.REVIEW: ((), (Step.APPROVE, Step.REQUEST_CHANGES)),
}

# Kinds that ask the assignee how it stands, so On track is worth a click; any other nudge
# to the assignee still lets them raise a problem (At risk, Blocked).
_ASKS_FOR_STATUS = frozenset({NudgeKind.DUE_SOON, NudgeKind.OVERDUE, NudgeKind.REPORT_DUE})


def _buttons(task: Task, kind: NudgeKind, for_assignee: bool) -> list[Block]:
    to_assignee, to_owner = _STEPS[kind]
    if not for_assignee:
        clarify = [_clarify(task)] if kind is NudgeKind.UNCLEAR and allowed(Step.EDIT, task.status) else []
        return clarify + step_buttons(task, to_owner)
    return step_buttons(task, to_assignee) + status_buttons(task, on_track=kind in _ASKS_FOR_STATUS)


def _clarify(task: Task) -> Block:
    return button("Clarify", Action.ADD_DEFINITION.for_task(task.number), str(task.number), style="primary")


def status_buttons(task: Task, *, on_track: bool = True) -> list[Block]:
    """On track / At risk / Blocked, while the assignee can still say how it stands.

    On track only once the task is accepted: a task nobody has taken on is not on track,
    but its assignee may already see a risk or a blocker (and say so before accepting).
    """
    if not allowed(Step.FLAG, task.status):
        return []
    on_track = on_track and task.status is not Status.AWAITING_ACCEPTANCE
    shown = [health for health in STATUS_BUTTONS if on_track or health is not Health.ON_TRACK]
    return [
        button(text, action.for_task(task.number), str(task.number), style=style)
        for text, action, style in (STATUS_BUTTONS[health] for health in shown)
    ]


def snooze_menu(task: Task, *, now: datetime) -> Block:
    """The Snooze menu: only the pauses the snooze rule allows now (see ``bot.core.snooze``)."""
    options = [
        {"text": plain(choice.label, MAX_OPTION_TEXT), "value": f"{task.number}:{choice.value}"}
        for choice in snooze.choices(task.due_at, now=now)
    ]
    return {
        "type": "static_select",
        "action_id": Action.SNOOZE.for_task(task.number),
        "placeholder": plain("Snooze", MAX_OPTION_TEXT),
        "options": options,
    }


# --- pieces -----------------------------------------------------------------------------


def _facts(task: Task, for_assignee: bool) -> str:
    other = f"From {mention(task.owner_id)}" if for_assignee else f"With {mention(task.assignee_id)}"
    parts = [other, f"due {_due(task)}", task.status.label]
    if task.health in (Health.AT_RISK, Health.BLOCKED):
        parts.append(f"{task.health.label}: {escape(truncate(task.health_reason or '', 200))}")
    return " · ".join(parts)


def _due(task: Task) -> str:
    return slack_date(task.due_at) if task.due_at else "date not set"


def _late(task: Task, now: datetime) -> timedelta:
    return max(now - task.due_at, timedelta(0)) if task.due_at else timedelta(0)


def how_late(late: timedelta) -> str:
    """ "2 days 3 hours", "5 hours", "40 minutes": the two largest units that are there."""
    minutes = int(late.total_seconds() // 60)
    days, hours, mins = minutes // (24 * 60), minutes // 60 % 24, minutes % 60
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (mins, "minute")]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words) or "less than a minute"


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]
