"""Modal submissions.

A submission is checked and saved before it is acknowledged, so a mistake is shown next to
the field it is about while the modal is still open (``response_action: errors``). The
database work is quick; messages go out afterwards through the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.core.errors import BadInput, HandoffError
from bot.core.tasks import Transition
from bot.services import delegation, lifecycle
from bot.services.runtime import Runtime
from bot.slack import messages
from bot.slack.errors import reported
from bot.slack.ids import Field, View
from bot.slack.modals import field_value, text_value
from bot.slack.replies import courtesy_dm
from bot.slack.workspace import workspace_of

Body = dict[str, Any]


def register(app: App) -> None:
    app.view(View.DELEGATE.value)(reported(delegate_submitted))
    app.view(View.REPORT_PICK.value)(reported(report_picked))
    for callback_id in _STEPS:
        app.view(callback_id.value)(reported(step_submitted))


def _request_key(view: Body) -> str:
    # Slack resends a submission with the same view id: it must count once.
    return f"view:{view['id']}"


def _fail_on_field(ack: Ack, view: Body, error: HandoffError) -> None:
    """Show the error next to the field it is about, or the main text field."""
    fields = [str(b["block_id"]) for b in view.get("blocks", []) if b.get("type") == "input"]
    field = (
        error.field
        if error.field in fields
        else (Field.TEXT.value if Field.TEXT.value in fields else fields[0])
    )
    ack(response_action="errors", errors={str(field): str(error)[:2000]})


def delegate_submitted(ack: Ack, body: Body, view: Body, context: BoltContext, rt: Runtime) -> None:
    try:
        delegation.delegate(
            rt,
            team_id=workspace_of(context),
            owner_id=str(context.user_id),
            assignee_ids=list(field_value(view, Field.ASSIGNEES) or []),
            title=_title(view),
            done_when=text_value(view, Field.DONE_WHEN) or None,
            due_text=text_value(view, Field.DUE) or None,
            request_key=_request_key(view),
            receipt_by_dm=True,
        )
    except HandoffError as error:
        _fail_on_field(ack, view, error)
        return
    ack()


def _title(view: Body) -> str:
    title = " ".join(text_value(view, Field.TITLE).split())
    if not title:
        raise BadInput("Give the task a short title.", field=Field.TITLE.value)
    return title


def report_picked(ack: Ack, body: Body, view: Body, context: BoltContext, rt: Runtime) -> None:
    """/report without text: the task comes from the picker, then it is a report or a delivery."""
    step = View.DELIVER if "deliver" in (field_value(view, Field.DELIVERS) or []) else View.REPORT
    _run_step(ack, rt, context, view, step, number=int(field_value(view, Field.TASK) or 0))


def _percent(view: Body) -> int | None:
    raw = field_value(view, Field.PERCENT)
    if raw in (None, ""):
        return None
    try:
        return int(float(raw))
    except ValueError:
        raise BadInput("Percent done is a number from 0 to 100.", field=Field.PERCENT.value) from None


# --- one modal per lifecycle step -------------------------------------------------------

StepCall = Callable[[Runtime, dict[str, Any], Body], Transition]

_STEPS: dict[View, StepCall] = {
    View.DECLINE: lambda rt, who, v: lifecycle.decline_task(rt, **who, reason=text_value(v, Field.TEXT)),
    View.ASK: lambda rt, who, v: lifecycle.ask_question(rt, **who, question=text_value(v, Field.TEXT)),
    View.REPORT: lambda rt, who, v: lifecycle.report_progress(
        rt, **who, text=text_value(v, Field.TEXT), percent=_percent(v)
    ),
    View.DELIVER: lambda rt, who, v: lifecycle.deliver_task(rt, **who, note=text_value(v, Field.TEXT)),
    View.REQUEST_CHANGES: lambda rt, who, v: lifecycle.request_changes(
        rt, **who, reason=text_value(v, Field.TEXT)
    ),
    View.REPLY: lambda rt, who, v: lifecycle.answer_question(rt, **who, answer=text_value(v, Field.TEXT)),
    View.REASSIGN: lambda rt, who, v: lifecycle.reassign_task(
        rt, **who, new_assignee=str(field_value(v, Field.ASSIGNEE) or "")
    ),
    View.EDIT: lambda rt, who, v: lifecycle.edit_task(
        rt,
        **who,
        title=" ".join(text_value(v, Field.TITLE).split()) or None,
        done_when=text_value(v, Field.DONE_WHEN) or None,
        due_text=text_value(v, Field.DUE) or None,
    ),
}


def step_submitted(ack: Ack, body: Body, view: Body, context: BoltContext, rt: Runtime) -> None:
    step = View(view["callback_id"])
    _run_step(ack, rt, context, view, step, number=int(view.get("private_metadata") or 0))


def _run_step(ack: Ack, rt: Runtime, context: BoltContext, view: Body, step: View, *, number: int) -> None:
    who: dict[str, Any] = {
        "team_id": workspace_of(context),
        "actor": str(context.user_id),
        "number": number,
        "request_key": _request_key(view),
    }
    try:
        transition = _STEPS[step](rt, who, view)
    except HandoffError as error:
        _fail_on_field(ack, view, error)
        return
    ack()
    _confirm(rt, context, transition)


def _confirm(rt: Runtime, context: BoltContext, transition: Transition) -> None:
    """Tell the owner their step went through (modals have no response_url).

    The assignee needs no receipt: their task card is updated in place instead.
    """
    if transition.changed and str(context.user_id) == transition.after.owner_id:
        courtesy_dm(rt, str(context.user_id), messages.step_receipt(transition))
