"""Modal submissions.

A form's mistakes are shown next to the field they are about while it is still open
(``response_action: errors``), so what was typed is never lost; so is a failure of ours
(with an error id). Nothing asks Slack before the form gets its answer:

* steps that need no look-up (decline, ask, report, deliver, request changes, reply) are
  checked and saved before the ack;
* handing a task to people, reassigning and editing are checked as far as the database
  knows (the profile cache, the owner's cached timezone), kept in the inbox, acked, and
  then done (see ``bot.slack.durable``). What only Slack can tell — that someone picked is
  a bot or has left — reaches the owner by DM, and nothing is offered to that person.
  A delegate form opened on a message ("Delegate this message") names it in its sealed
  metadata, checked before the ack; the message's permalink is asked of Slack in the work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.core.errors import BadInput, HandoffError
from bot.core.recurrence import Recurrence, parse_every
from bot.core.tasks import EventKind, Health, Transition
from bot.services import delegation, lifecycle, message_links
from bot.services.runtime import Runtime
from bot.slack import durable, message_source, messages
from bot.slack.error_text import error_text
from bot.slack.errors import BUSY_TEXT, new_error_id, reported
from bot.slack.ids import Field, View
from bot.slack.modals import field_value, text_value
from bot.slack.replies import courtesy_dm
from bot.slack.workspace import workspace_of
from storage.db import Busy

logger = logging.getLogger(__name__)

Body = dict[str, Any]


def register(app: App) -> None:
    app.view(View.NEW_TASK.value)(reported(delegate_submitted))
    app.view(View.REPORT_PICKER.value)(reported(report_picked))
    for callback_id in _STEPS:
        app.view(callback_id.value)(reported(step_submitted))
    for callback_id in _KEPT_STEPS:
        app.view(callback_id.value)(reported(kept_step_submitted))


def _request_key(view: Body) -> str:
    # Slack resends a submission with the same view id: it must count once.
    return f"view:{view['id']}"


def _checked_before_closing(ack: Ack, view: Body, check: Callable[[], None]) -> bool:
    """Run ``check``; on any error, answer with it on the form, which stays open. True if it passed."""
    try:
        _check_lengths(view)
        check()
    except HandoffError as error:
        _fail_on_field(ack, view, error)
        return False
    except Busy:  # the database could not take it in time: nothing kept, the form keeps what was typed
        _fail_on_field(ack, view, BadInput(BUSY_TEXT))
        return False
    except Exception:
        error_id = new_error_id()
        logger.exception("unexpected error %s in form %s", error_id, view.get("callback_id"))
        text = f"Something went wrong on our side (error id {error_id}). Please try again in a moment."
        _fail_on_field(ack, view, BadInput(text))
        return False
    return True


def _check_lengths(view: Body) -> None:
    """Slack's client keeps to each text box's max_length; a submission that doesn't is refused."""
    for block in view.get("blocks", []):
        element = block.get("element") or {}
        limit = element.get("max_length")
        if block.get("type") != "input" or element.get("type") != "plain_text_input" or not limit:
            continue
        state: dict[str, Body] = view.get("state", {}).get("values", {}).get(block["block_id"], {})
        entered: Body = next(iter(state.values()), {})
        value = str(entered.get("value") or "")
        if len(value) > int(limit):
            raise BadInput(
                f"This is {len(value)} characters long; the limit is {limit}.",
                hint="Shorten it and send it again.",
                field=str(block["block_id"]),
            )


def _fail_on_field(ack: Ack, view: Body, error: HandoffError) -> None:
    """Show the error next to the field it is about, or the main text field."""
    fields = [str(b["block_id"]) for b in view.get("blocks", []) if b.get("type") == "input"]
    field = (
        error.field
        if error.field in fields
        else (Field.TEXT.value if Field.TEXT.value in fields else fields[0])
    )
    ack(response_action="errors", errors={str(field): error_text(error)[:2000]})


def _kept(context: BoltContext, view: Body) -> durable.Payload:
    """What a form's work needs when it runs after the ack, maybe in another process."""
    return {
        "team_id": workspace_of(context),
        "user_id": str(context.user_id),
        "view": {key: view.get(key) for key in ("id", "callback_id", "private_metadata", "state")},
        "request_key": _request_key(view),
    }


# --- handing off ------------------------------------------------------------------------


def delegate_submitted(ack: Ack, body: Body, view: Body, context: BoltContext, rt: Runtime) -> None:
    payload = _kept(context, view)
    request = _delegate_request(payload)

    def check() -> None:
        _message_source(rt, payload)  # a form opened on a message: only as the app sealed it
        delegation.check_locally(rt, request)

    _keep_and_close(ack, rt, view, "delegate_form", payload, check)


def _keep_and_close(
    ack: Ack, rt: Runtime, view: Body, kind: str, payload: durable.Payload, check: Callable[[], None]
) -> None:
    """Check the form, keep it in the inbox, close it, then do the work.

    A failure up to the keeping (a mistake, a bug, the database away) shows on the form.
    """
    kept: list[bool] = []

    def check_and_keep() -> None:
        check()
        kept.append(
            durable.keep(
                rt, kind=kind, team_id=payload["team_id"], request_key=payload["request_key"], payload=payload
            )
        )

    if not _checked_before_closing(ack, view, check_and_keep):
        return
    ack()
    if kept[0]:
        durable.run(
            rt, kind=kind, team_id=payload["team_id"], request_key=payload["request_key"], payload=payload
        )


def _delegate_request(payload: durable.Payload) -> delegation.DelegateRequest:
    view = payload["view"]
    return delegation.DelegateRequest(
        team_id=payload["team_id"],
        owner_id=payload["user_id"],
        assignee_ids=tuple(field_value(view, Field.ASSIGNEES) or []),
        title=" ".join(text_value(view, Field.TITLE).split()),
        done_when=text_value(view, Field.DONE_WHEN) or None,
        due_text=text_value(view, Field.DUE) or None,
        request_key=payload["request_key"],
        every=_every(view),
    )


def _every(view: Body) -> Recurrence | None:
    chosen = field_value(view, Field.EVERY)
    return parse_every(str(chosen)) if chosen else None


def _message_source(rt: Runtime, payload: durable.Payload) -> message_source.MessageSource | None:
    """The message a delegate form was opened on ("Delegate this message"), if any."""
    return message_source.unseal(
        payload["view"].get("private_metadata"),
        team_id=payload["team_id"],
        user_id=payload["user_id"],
        secret=rt.settings.sealing_secret(),
    )


@durable.work("delegate_form")
def _delegate(rt: Runtime, payload: durable.Payload) -> None:
    request = _delegate_request(payload)
    source = _message_source(rt, payload)
    if source is not None:  # asked of Slack now that the form has closed: it may be slow
        link = message_links.permalink_of(
            rt, team_id=request.team_id, channel_id=source.channel_id, message_ts=source.message_ts
        )
        request = replace(request, source_link=link)
    result = delegation.delegate(rt, request, receipt_by_dm=True, skip_unassignable=True)
    if result.not_offered:
        message = messages.error_reply(str(delegation.not_offered_error(result.not_offered)))
        courtesy_dm(rt, payload["user_id"], message, team_id=payload["team_id"])


def report_picked(ack: Ack, body: Body, view: Body, context: BoltContext, rt: Runtime) -> None:
    """/report without text: the task comes from the picker, then it is a report or a delivery."""
    step = View.DELIVERY if "deliver" in (field_value(view, Field.DELIVERS) or []) else View.PROGRESS
    _run_step(ack, rt, context, view, step, number=int(field_value(view, Field.TASK) or 0))


def _percent(view: Body) -> int | None:
    raw = field_value(view, Field.PERCENT)
    if raw in (None, ""):
        return None
    try:
        return int(float(raw))
    except ValueError:
        raise BadInput("Percent done is a number from 0 to 100.", field=Field.PERCENT.value) from None


# --- steps saved before the form closes -------------------------------------------------

StepCall = Callable[[Runtime, dict[str, Any], Body], Transition]

_STEPS: dict[View, StepCall] = {
    View.DECLINE_REASON: lambda rt, who, v: lifecycle.decline_task(
        rt, **who, reason=text_value(v, Field.TEXT)
    ),
    View.QUESTION: lambda rt, who, v: lifecycle.ask_question(rt, **who, question=text_value(v, Field.TEXT)),
    View.PROGRESS: lambda rt, who, v: lifecycle.report_progress(
        rt, **who, text=text_value(v, Field.TEXT), percent=_percent(v)
    ),
    View.DELIVERY: lambda rt, who, v: lifecycle.deliver_task(rt, **who, note=text_value(v, Field.TEXT)),
    View.CHANGES_WANTED: lambda rt, who, v: lifecycle.request_changes(
        rt, **who, reason=text_value(v, Field.TEXT)
    ),
    View.ANSWER: lambda rt, who, v: lifecycle.answer_question(rt, **who, answer=text_value(v, Field.TEXT)),
    View.AT_RISK_REASON: lambda rt, who, v: lifecycle.flag_task(
        rt, **who, health=Health.AT_RISK, reason=text_value(v, Field.TEXT)
    ),
    View.BLOCKED_REASON: lambda rt, who, v: lifecycle.flag_task(
        rt, **who, health=Health.BLOCKED, reason=text_value(v, Field.TEXT)
    ),
}


def step_submitted(ack: Ack, body: Body, view: Body, context: BoltContext, rt: Runtime) -> None:
    step = View(view["callback_id"])
    _run_step(ack, rt, context, view, step, number=int(view.get("private_metadata") or 0))


def _run_step(ack: Ack, rt: Runtime, context: BoltContext, view: Body, step: View, *, number: int) -> None:
    who = _who(workspace_of(context), str(context.user_id), number, _request_key(view))
    done: list[Transition] = []
    if _checked_before_closing(ack, view, lambda: done.append(_STEPS[step](rt, who, view))):
        ack()
        _confirm(rt, str(context.user_id), done[0])


def _who(team_id: str, actor: str, number: int, request_key: str) -> dict[str, Any]:
    return {"team_id": team_id, "actor": actor, "number": number, "request_key": request_key}


def _confirm(rt: Runtime, actor: str, transition: Transition) -> None:
    """Tell the owner their step went through (modals have no response_url).

    The assignee needs no receipt: their task card is updated in place instead. Except
    for a flag, answered from a nudge rather than the card: they hear that the owner knows.
    """
    flagged = transition.event is not None and transition.event.kind is EventKind.FLAGGED
    if transition.changed and (actor == transition.after.owner_id or flagged):
        courtesy_dm(rt, actor, messages.step_receipt(transition), team_id=transition.after.team_id)


# --- steps that look someone up in Slack: kept, acked, then done ------------------------

Check = Callable[[Runtime, dict[str, Any], Body], None]

_KEPT_STEPS: dict[View, tuple[Check, StepCall]] = {
    View.NEW_ASSIGNEE: (
        lambda rt, who, v: lifecycle.check_reassign(
            rt, **_without_key(who), new_assignee=str(field_value(v, Field.ASSIGNEE) or "")
        ),
        lambda rt, who, v: lifecycle.reassign_task(
            rt, **who, new_assignee=str(field_value(v, Field.ASSIGNEE) or "")
        ),
    ),
    View.TASK_EDIT: (
        lambda rt, who, v: lifecycle.check_edit(rt, **_without_key(who), **_edits(v)),
        lambda rt, who, v: lifecycle.edit_task(rt, **who, **_edits(v)),
    ),
}


def _without_key(who: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in who.items() if name != "request_key"}


def _edits(view: Body) -> dict[str, Any]:
    return {
        "title": " ".join(text_value(view, Field.TITLE).split()) or None,
        "done_when": text_value(view, Field.DONE_WHEN) or None,
        "due_text": text_value(view, Field.DUE) or None,
    }


def kept_step_submitted(ack: Ack, body: Body, view: Body, context: BoltContext, rt: Runtime) -> None:
    payload = _kept(context, view)
    check, _ = _KEPT_STEPS[View(view["callback_id"])]
    who = _who(payload["team_id"], payload["user_id"], int(view.get("private_metadata") or 0), "")
    _keep_and_close(ack, rt, view, "step_form", payload, lambda: check(rt, who, view))


@durable.work("step_form")
def _kept_step(rt: Runtime, payload: durable.Payload) -> None:
    view = payload["view"]
    _, call = _KEPT_STEPS[View(view["callback_id"])]
    number = int(view.get("private_metadata") or 0)
    transition = call(rt, _who(payload["team_id"], payload["user_id"], number, payload["request_key"]), view)
    _confirm(rt, payload["user_id"], transition)
