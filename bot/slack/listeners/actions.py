"""Buttons on task messages.

A button either does its step at once (Accept, Approve, Do it myself) or opens a modal
that asks for the words the step needs (a reason, a question, a note). Roles are checked
before a modal opens, so nobody fills in a form they can't submit. A step is committed
before Slack gets its answer, so a click Slack saw go through is never lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltContext

from bot.core.errors import BadInput
from bot.core.lifecycle_table import Step
from bot.core.parsing import parse_task_number
from bot.core.snooze import SnoozeChoice
from bot.core.tasks import Health, Task
from bot.services import lifecycle, people, queries, snooze
from bot.services.runtime import Runtime
from bot.slack import messages, modals
from bot.slack.errors import reported
from bot.slack.ids import Action, View, button_task
from bot.slack.replies import courtesy_update, reply
from bot.slack.workspace import workspace_of

Body = dict[str, Any]


def register(app: App) -> None:
    app.action(Action.ACCEPT.pattern)(reported(accept_clicked))
    app.action(Action.APPROVE.pattern)(reported(approve_clicked))
    app.action(Action.TAKE_BACK.pattern)(reported(take_back_clicked))
    for action in _MODALS:
        app.action(action.pattern)(reported(modal_button_clicked))
    app.action(Action.ON_TRACK.pattern)(reported(on_track_clicked))
    app.action(Action.SNOOZE.pattern)(reported(snooze_chosen))


def accept_clicked(ack: Ack, body: Body, action: Body, context: BoltContext, rt: Runtime) -> None:
    # The offer card is updated through the outbox; a double click changes nothing.
    lifecycle.accept_task(
        rt, team_id=workspace_of(context), actor=str(context.user_id), number=button_task(action)
    )
    ack()


def approve_clicked(ack: Ack, body: Body, action: Body, context: BoltContext, rt: Runtime) -> None:
    transition = lifecycle.approve_task(
        rt, team_id=workspace_of(context), actor=str(context.user_id), number=button_task(action)
    )
    ack()
    if transition.changed:
        _settle_clicked_message(
            rt, body, f":white_check_mark: Approved {transition.after.ref}.", team_id=transition.after.team_id
        )


def take_back_clicked(ack: Ack, body: Body, action: Body, context: BoltContext, rt: Runtime) -> None:
    transition = lifecycle.take_back_task(
        rt, team_id=workspace_of(context), actor=str(context.user_id), number=button_task(action)
    )
    ack()
    if transition.changed:
        _settle_clicked_message(
            rt, body, f"You took {transition.after.ref} back.", team_id=transition.after.team_id
        )


def _settle_clicked_message(rt: Runtime, body: Body, outcome: str, *, team_id: str) -> None:
    """Replace the buttons of the message that was clicked by what they did."""
    container, original = body.get("container") or {}, body.get("message")
    if not original or not container.get("channel_id"):
        return
    settled = messages.without_buttons(original, outcome)
    courtesy_update(rt, container["channel_id"], container["message_ts"], settled, team_id=team_id)


# --- buttons that open a modal ----------------------------------------------------------


@dataclass(frozen=True)
class FormButton:
    """A button that opens a form for one step of a task (whose side may take it: the table's)."""

    step: Step
    build: Callable[[Task], dict[str, Any]]


def _text(
    callback_id: View, title: str, label: str, submit: str, *, optional: bool = False
) -> Callable[[Task], dict[str, Any]]:
    def build(task: Task) -> dict[str, Any]:
        return modals.text_modal(
            callback_id, task, title=title, label=label, submit=submit, optional=optional
        )

    return build


_MODALS: dict[Action, FormButton] = {
    Action.DECLINE: FormButton(
        Step.DECLINE, _text(View.DECLINE_REASON, "Decline task", "Why can't you take it?", "Decline")
    ),
    Action.ASK: FormButton(
        Step.ASK, _text(View.QUESTION, "Ask a question", "Your question for the owner", "Send")
    ),
    Action.REPORT: FormButton(Step.REPORT, modals.progress_modal),
    Action.DELIVER: FormButton(
        Step.DELIVER,
        _text(View.DELIVERY, "Deliver", "What are you delivering? Links welcome", "Deliver", optional=True),
    ),
    Action.REQUEST_CHANGES: FormButton(
        Step.REQUEST_CHANGES,
        _text(View.CHANGES_WANTED, "Request changes", "What needs to change?", "Send back"),
    ),
    Action.REPLY: FormButton(Step.ANSWER, _text(View.ANSWER, "Reply", "Your answer", "Send")),
    Action.REASSIGN: FormButton(Step.REASSIGN, modals.reassign_modal),
    Action.ADD_DEFINITION: FormButton(Step.EDIT, modals.edit_modal),
    # From nudges: the assignee says what puts the task at risk or blocks it.
    Action.AT_RISK: FormButton(
        Step.FLAG, _text(View.AT_RISK_REASON, "At risk", "What puts it at risk?", "Tell the owner")
    ),
    Action.BLOCKED: FormButton(
        Step.FLAG, _text(View.BLOCKED_REASON, "Blocked", "What blocks it?", "Tell the owner")
    ),
}


def modal_button_clicked(ack: Ack, body: Body, action: Body, context: BoltContext, rt: Runtime) -> None:
    ack()
    form = _MODALS[Action.of(action["action_id"])]
    user_id, number = str(context.user_id), button_task(action)
    task = queries.task_for_step(
        rt, team_id=workspace_of(context), user_id=user_id, number=number, step=form.step
    )
    rt.gateway.open_view(body["trigger_id"], form.build(task), team_id=workspace_of(context))
    if form.build is modals.edit_modal:
        # While they type: a due date in the form is then read in their own timezone.
        people.profile(rt, team_id=workspace_of(context), user_id=str(context.user_id))


# --- answers to nudges ------------------------------------------------------------------


def on_track_clicked(ack: Ack, body: Body, action: Body, context: BoltContext, rt: Runtime) -> None:
    """One click says the task is on track: a word for the record, not news for the owner."""
    transition = lifecycle.flag_task(
        rt,
        team_id=workspace_of(context),
        actor=str(context.user_id),
        number=button_task(action),
        health=Health.ON_TRACK,
        request_key=_clicked_message_key(body, "on_track"),
    )
    ack()
    if transition.changed:
        _settle_clicked_message(
            rt,
            body,
            f":white_check_mark: Noted: {transition.after.ref} is on track.",
            team_id=transition.after.team_id,
        )


def _clicked_message_key(body: Body, step: str) -> str | None:
    """One answer per message: a second click on the same nudge is a replay, a later nudge's is news."""
    container = body.get("container") or {}
    if not container.get("channel_id") or not container.get("message_ts"):
        return None
    return f"{step}:{container['channel_id']}:{container['message_ts']}"


def snooze_chosen(ack: Ack, body: Body, action: Body, context: BoltContext, rt: Runtime) -> None:
    """The Snooze menu: no nudges to this person about the task until then; only they are told."""
    number, choice = _snooze_choice(action)
    snoozed = snooze.snooze_nudges(
        rt, team_id=workspace_of(context), actor=str(context.user_id), number=number, choice=choice
    )
    ack()
    reply(rt, body, messages.info_reply(snoozed_text(snoozed)))


def _snooze_choice(action: Body) -> tuple[int, SnoozeChoice]:
    """The option's value is "<number>:<choice>"; the task number is in the action_id too."""
    value = str((action.get("selected_option") or {}).get("value", ""))
    number, _, choice = value.partition(":")
    try:
        return parse_task_number(number), SnoozeChoice(choice)
    except (BadInput, ValueError):
        raise BadInput(
            "That snooze option doesn't name a task any more.", hint="Use `/tasks` to find it."
        ) from None


def snoozed_text(snoozed: snooze.Snoozed) -> str:
    """ "Snoozed T-12 until Mon 08:00.", in the snoozer's own timezone."""
    local = snoozed.until.astimezone(ZoneInfo(snoozed.timezone))
    when = ", when it is due: a snooze never outlasts the due date" if snoozed.at_due_date else ""
    return f":zzz: Snoozed {snoozed.ref} until {local:%a %H:%M}{when}."
