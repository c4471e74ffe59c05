"""Slash commands: /delegate, /report, /tasks.

Slack waits 3 s for an answer and never sends a command twice, so what is acked must not
be lost: a command that changes a task without asking Slack anything does its change
first and then acks with its answer (``answer_in_ack``: no call to Slack, and no answer
lost to a process that dies after the ack); one that must look people up in Slack is kept
in the inbox, acked, then done and answered through the response_url (see
``bot.slack.durable``). Quick reads are answered in the ack too; opening a form acks
first (a trigger_id expires after 3 s). Errors are raised, not caught: ``reported`` turns
them into one clear reply, in the ack when it has not been sent yet.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.core import parsing
from bot.core.lifecycle_table import Step
from bot.core.parsing import TasksCommand, TasksVerb
from bot.services import delegation, lifecycle, people, queries, recurring
from bot.services.runtime import Runtime
from bot.slack import durable, help_text, messages, modals, series_messages
from bot.slack.errors import reported
from bot.slack.listeners import export as export_listeners
from bot.slack.listeners import insights as insight_listeners
from bot.slack.listeners import settings as settings_listeners
from bot.slack.listeners import summary as summary_listeners
from bot.slack.replies import answer_in_ack, reply
from bot.slack.workspace import workspace_of

Body = dict[str, Any]
Message = dict[str, Any]


def register(app: App) -> None:
    app.command("/delegate")(reported(delegate_command))
    app.command("/report")(reported(report_command))
    app.command("/tasks")(reported(tasks_command))


@dataclass(frozen=True)
class Caller:
    """Who typed the command, and the key that makes a retry of it a no-op."""

    team_id: str
    user_id: str
    request_key: str
    trigger_id: str


def _caller(body: Body, context: BoltContext) -> Caller:
    team_id, user_id = workspace_of(context), str(body["user_id"])
    trigger_id = str(body.get("trigger_id") or "")
    # A retried command carries the same trigger_id (and response_url): it must not act twice.
    # Without either there is nothing to tell a retry by, so the request stands alone.
    retry_id = trigger_id or str(body.get("response_url") or "") or f"once-{uuid.uuid4().hex}"
    digest = hashlib.sha256(retry_id.encode()).hexdigest()[:32]
    return Caller(team_id, user_id, f"cmd:{team_id}:{user_id}:{digest}", trigger_id)


def _kept(body: Body, caller: Caller) -> durable.Payload:
    """What a command's work needs when it runs after the ack, maybe in another process."""
    return {
        "team_id": caller.team_id,
        "user_id": caller.user_id,
        "text": body.get("text", ""),
        "response_url": body.get("response_url"),
        "request_key": caller.request_key,
    }


def _caller_of(payload: durable.Payload) -> Caller:
    return Caller(payload["team_id"], payload["user_id"], payload["request_key"], "")


def delegate_command(ack: Ack, body: Body, context: BoltContext, rt: Runtime) -> None:
    text, caller = body.get("text", "").strip(), _caller(body, context)
    if not text:
        ack()
        rt.gateway.open_view(caller.trigger_id, modals.delegate_modal(), team_id=caller.team_id)
        # Look the owner up now, while they type: the form is then checked without waiting on Slack.
        people.profile(rt, team_id=caller.team_id, user_id=caller.user_id)
        return
    if parsing.is_help(text):
        answer_in_ack(ack, messages.help_reply(help_text.HELP_DELEGATE))
        return
    # Everyone in the profile cache: nothing to ask Slack, so the tasks are created first
    # (one transaction) and the receipt is the ack. Otherwise people are looked up in Slack,
    # which may be slow: the request is kept, acked, then done.
    known = delegation.delegate_if_known(rt, _delegate_request(text, _kept(body, caller)))
    if known is not None:
        answer_in_ack(ack, messages.delegation_receipt(known.tasks, known.flags))
        return
    durable.accept(
        rt, ack, kind="delegate_command", team_id=caller.team_id, request_key=caller.request_key,
        payload=_kept(body, caller),
    )  # fmt: skip


@durable.work("delegate_command")
def _delegate(rt: Runtime, payload: durable.Payload) -> None:
    result = delegation.delegate(rt, _delegate_request(payload["text"], payload))
    reply(rt, payload, messages.delegation_receipt(result.tasks, result.flags))


def _delegate_request(text: str, payload: durable.Payload) -> delegation.DelegateRequest:
    request = parsing.parse_delegate(text)
    return delegation.DelegateRequest(
        team_id=payload["team_id"],
        owner_id=payload["user_id"],
        assignee_ids=tuple(request.assignee_ids),
        title=request.title,
        done_when=request.done_when,
        due_text=request.due_text,
        request_key=payload["request_key"],
        every=request.every,
    )


def report_command(ack: Ack, body: Body, context: BoltContext, rt: Runtime) -> None:
    text, caller = body.get("text", "").strip(), _caller(body, context)
    if not text:
        _open_report_picker(rt, ack, caller)
        return
    if parsing.is_help(text):
        answer_in_ack(ack, messages.help_reply(help_text.HELP_REPORT))
        return
    request = parsing.parse_report(text)
    who: dict[str, Any] = {"team_id": caller.team_id, "actor": caller.user_id, "number": request.number}
    if request.delivers:
        transition = lifecycle.deliver_task(rt, **who, note=request.text, request_key=caller.request_key)
    else:
        transition = lifecycle.report_progress(
            rt, **who, text=request.text, percent=request.percent, request_key=caller.request_key
        )
    # After the change is committed: once Slack has its answer, the report is kept.
    answer_in_ack(ack, messages.step_receipt(transition))


def _open_report_picker(rt: Runtime, ack: Ack, caller: Caller) -> None:
    tasks = queries.reportable_tasks(rt, team_id=caller.team_id, user_id=caller.user_id)
    if tasks:
        ack()
        rt.gateway.open_view(caller.trigger_id, modals.report_picker_modal(tasks), team_id=caller.team_id)
    else:
        answer_in_ack(ack, messages.info_reply("You have no accepted tasks to report on. See `/tasks`."))


def tasks_command(ack: Ack, body: Body, context: BoltContext, rt: Runtime) -> None:
    request, caller = parsing.parse_tasks(body.get("text", "")), _caller(body, context)
    if request.settings is not None:  # /tasks settings …: working hours and thresholds
        settings_listeners.settings_command(
            ack, rt, request.settings, team_id=caller.team_id, user_id=caller.user_id,
            trigger_id=caller.trigger_id, kept=_kept(body, caller),
        )  # fmt: skip
        return
    if request.action is TasksVerb.EXPORT:  # the upload asks Slack: kept, acked, then done
        export_listeners.accept_export(
            ack, rt, team_id=caller.team_id, request_key=caller.request_key, kept=_kept(body, caller)
        )
        return
    if insight_listeners.answers_after_ack(request):  # the team's scorecards: too slow for the ack
        insight_listeners.team_stats_after_ack(ack, rt, caller, request, body)
        return
    if request.summary is not None:  # /tasks summary …: the channel's daily summary
        kept = {**_kept(body, caller), "channel_id": str(body.get("channel_id") or ""),
                "bot_user_id": str(context.bot_user_id or "")}  # fmt: skip
        summary_listeners.summary_command(ack, rt, request.summary, kept=kept)
        return
    inline_edit = request.action is TasksVerb.EDIT and request.edit is not None
    if request.action is TasksVerb.REASSIGN or inline_edit:
        # The new assignee, or the owner's timezone, is looked up in Slack: kept, acked, then done.
        durable.accept(
            rt, ack, kind="tasks_command", team_id=caller.team_id, request_key=caller.request_key,
            payload=_kept(body, caller),
        )  # fmt: skip
        return
    if request.action is TasksVerb.EDIT:
        ack()  # before opening the form: its trigger_id expires 3 s after Slack sent it
        _TASKS_ACTIONS[request.action](rt, caller, request)
        return
    # A change is committed, or a quick read done, before the ack, which carries the answer.
    answer = _TASKS_ACTIONS[request.action](rt, caller, request)
    assert answer is not None, "only the edit form answers nothing"
    answer_in_ack(ack, answer)


@durable.work("tasks_command")
def _tasks_after_ack(rt: Runtime, payload: durable.Payload) -> None:
    request = parsing.parse_tasks(payload["text"])
    answer = _TASKS_ACTIONS[request.action](rt, _caller_of(payload), request)
    if answer is not None:
        reply(rt, payload, answer)


# --- /tasks, one function per verb; each returns the answer, or None when a modal opened ---

TasksAction = Callable[[Runtime, Caller, TasksCommand], Message | None]


def _number(request: TasksCommand) -> int:
    assert request.number is not None, "the parser gives every per-task verb a number"
    return request.number


def _list_tasks(rt: Runtime, caller: Caller, request: TasksCommand) -> Message:
    mine = queries.my_open_tasks(rt, team_id=caller.team_id, user_id=caller.user_id)
    return messages.task_list(
        mine.owned, mine.assigned, owned_total=mine.owned_total, assigned_total=mine.assigned_total
    )


def _show_task(rt: Runtime, caller: Caller, request: TasksCommand) -> Message:
    view = queries.task_for(rt, team_id=caller.team_id, user_id=caller.user_id, number=_number(request))
    return messages.task_detail(view.task, view.history, view.linked)


def _edit_task(rt: Runtime, caller: Caller, request: TasksCommand) -> Message | None:
    number, edit = _number(request), request.edit
    if edit is None:
        task = queries.task_for_step(
            rt, team_id=caller.team_id, user_id=caller.user_id, number=number, step=Step.EDIT
        )
        rt.gateway.open_view(caller.trigger_id, modals.edit_modal(task), team_id=caller.team_id)
        # While they type: a due date in the form is then read in their own timezone.
        people.profile(rt, team_id=caller.team_id, user_id=caller.user_id)
        return None
    transition = lifecycle.edit_task(
        rt,
        team_id=caller.team_id,
        actor=caller.user_id,
        number=number,
        title=edit.title,
        done_when=edit.done_when,
        due_text=edit.due_text,
        request_key=caller.request_key,
    )
    return messages.step_receipt(transition)


def _cancel_task(rt: Runtime, caller: Caller, request: TasksCommand) -> Message:
    transition = lifecycle.cancel_task(
        rt,
        team_id=caller.team_id,
        actor=caller.user_id,
        number=_number(request),
        reason=request.rest,
        request_key=caller.request_key,
    )
    return messages.step_receipt(transition)


def _reassign_task(rt: Runtime, caller: Caller, request: TasksCommand) -> Message:
    assert request.assignee_id is not None, "the parser requires someone to reassign to"
    transition = lifecycle.reassign_task(
        rt,
        team_id=caller.team_id,
        actor=caller.user_id,
        number=_number(request),
        new_assignee=request.assignee_id,
        request_key=caller.request_key,
    )
    return messages.step_receipt(transition)


def _take_back_task(rt: Runtime, caller: Caller, request: TasksCommand) -> Message:
    transition = lifecycle.take_back_task(
        rt, team_id=caller.team_id, actor=caller.user_id, number=_number(request)
    )
    return messages.step_receipt(transition)


def _stop_series(rt: Runtime, caller: Caller, request: TasksCommand) -> Message:
    stopped = recurring.stop_series(
        rt,
        team_id=caller.team_id,
        actor=caller.user_id,
        number=_number(request),
        request_key=caller.request_key,
    )
    return series_messages.series_stopped_reply(
        stopped.task, stopped.latest, stopped.every.describe(), assignee_id=stopped.assignee_id
    )


_TASKS_ACTIONS: dict[TasksVerb, TasksAction] = {
    TasksVerb.HELP: lambda rt, caller, request: messages.help_reply(help_text.HELP_TASKS),
    TasksVerb.LIST: _list_tasks,
    TasksVerb.SHOW: _show_task,
    TasksVerb.EDIT: _edit_task,
    TasksVerb.CANCEL: _cancel_task,
    TasksVerb.REASSIGN: _reassign_task,
    TasksVerb.TAKE_BACK: _take_back_task,
    TasksVerb.STOP: _stop_series,
    TasksVerb.EXPORT: export_listeners.export_tasks,
    TasksVerb.STATS: insight_listeners.stats_command,
    TasksVerb.WHY: insight_listeners.why_command,
}
