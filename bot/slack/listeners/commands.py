"""Slash commands: /delegate, /report, /tasks.

Each listener acks at once (Slack waits 3 s), opens a modal straight away when it needs
one (a trigger_id expires after 3 s), then makes one service call and answers privately.
Errors are raised, not caught: ``reported`` turns them into one clear reply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.core import parsing
from bot.core.parsing import TasksCommand
from bot.services import delegation, lifecycle, people, queries
from bot.services.runtime import Runtime
from bot.slack import messages, modals
from bot.slack.errors import reported
from bot.slack.replies import reply
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
    trigger_id = str(body.get("trigger_id") or "")
    # A retried command carries the same trigger_id: it must not act twice.
    key = f"cmd:{trigger_id or body.get('response_url')}"
    return Caller(workspace_of(context), str(body["user_id"]), key, trigger_id)


def delegate_command(ack: Ack, body: Body, context: BoltContext, rt: Runtime) -> None:
    ack()
    text, caller = body.get("text", "").strip(), _caller(body, context)
    if not text:
        rt.gateway.open_view(caller.trigger_id, modals.delegate_modal(body.get("channel_id", "")))
        # Look the owner up now, while they type: the form is then saved without waiting on Slack.
        people.profile(rt, team_id=caller.team_id, user_id=caller.user_id)
        return
    if parsing.is_help(text):
        reply(rt, body, messages.help_reply(parsing.HELP_DELEGATE))
        return
    request = parsing.parse_delegate(text)
    result = delegation.delegate(
        rt,
        team_id=caller.team_id,
        owner_id=caller.user_id,
        assignee_ids=request.assignee_ids,
        title=request.title,
        done_when=request.done_when,
        due_text=request.due_text,
        request_key=caller.request_key,
    )
    reply(rt, body, messages.delegation_receipt(result.tasks, result.flags))


def report_command(ack: Ack, body: Body, context: BoltContext, rt: Runtime) -> None:
    ack()
    text, caller = body.get("text", "").strip(), _caller(body, context)
    if not text:
        _open_report_picker(rt, body, caller)
        return
    if parsing.is_help(text):
        reply(rt, body, messages.help_reply(parsing.HELP_REPORT))
        return
    request = parsing.parse_report(text)
    who: dict[str, Any] = {"team_id": caller.team_id, "actor": caller.user_id, "number": request.number}
    if request.delivers:
        transition = lifecycle.deliver_task(rt, **who, note=request.text, request_key=caller.request_key)
    else:
        transition = lifecycle.report_progress(
            rt, **who, text=request.text, percent=request.percent, request_key=caller.request_key
        )
    reply(rt, body, messages.step_receipt(transition))


def _open_report_picker(rt: Runtime, body: Body, caller: Caller) -> None:
    tasks = queries.reportable_tasks(rt, team_id=caller.team_id, user_id=caller.user_id)
    if tasks:
        rt.gateway.open_view(caller.trigger_id, modals.report_picker_modal(tasks))
    else:
        reply(rt, body, messages.info_reply("You have no accepted tasks to report on. See `/tasks`."))


def tasks_command(ack: Ack, body: Body, context: BoltContext, rt: Runtime) -> None:
    ack()
    request = parsing.parse_tasks(body.get("text", ""))
    answer = _TASKS_ACTIONS[request.action](rt, _caller(body, context), request)
    if answer is not None:
        reply(rt, body, answer)


# --- /tasks, one function per verb; each returns the answer, or None when a modal opened ---

TasksAction = Callable[[Runtime, Caller, TasksCommand], Message | None]


def _number(request: TasksCommand) -> int:
    assert request.number is not None, "the parser gives every per-task verb a number"
    return request.number


def _list_tasks(rt: Runtime, caller: Caller, request: TasksCommand) -> Message:
    mine = queries.my_open_tasks(rt, team_id=caller.team_id, user_id=caller.user_id)
    return messages.task_list(mine.owned, mine.assigned)


def _show_task(rt: Runtime, caller: Caller, request: TasksCommand) -> Message:
    view = queries.task_for(rt, team_id=caller.team_id, user_id=caller.user_id, number=_number(request))
    return messages.task_detail(view.task, view.history, view.linked)


def _edit_task(rt: Runtime, caller: Caller, request: TasksCommand) -> Message | None:
    number, edit = _number(request), request.edit
    if edit is None:
        task = queries.task_of_owner(
            rt, team_id=caller.team_id, user_id=caller.user_id, number=number, verb="edit"
        )
        rt.gateway.open_view(caller.trigger_id, modals.edit_modal(task))
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


_TASKS_ACTIONS: dict[str, TasksAction] = {
    "help": lambda rt, caller, request: messages.help_reply(parsing.HELP_TASKS),
    "list": _list_tasks,
    "show": _show_task,
    "edit": _edit_task,
    "cancel": _cancel_task,
    "reassign": _reassign_task,
    "takeback": _take_back_task,
}
