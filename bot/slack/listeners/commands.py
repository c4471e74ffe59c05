"""Slash commands: /delegate, /report, /tasks.

Each listener acks at once (Slack waits 3 s), opens a modal straight away when it needs
one (a trigger_id expires after 3 s), then makes one service call and answers privately.
Errors are raised, not caught: the app's error handler turns them into one clear reply.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.core import parsing
from bot.services import delegation, lifecycle, queries
from bot.services.runtime import Runtime
from bot.slack import messages, modals
from bot.slack.errors import reported
from bot.slack.replies import reply

Command = dict[str, Any]


def register(app: App) -> None:
    app.command("/delegate")(reported(delegate_command))
    app.command("/report")(reported(report_command))
    app.command("/tasks")(reported(tasks_command))


def _is_help(text: str) -> bool:
    return text.lower() in ("help", "?", "-h", "--help")


def _request_key(command: Command) -> str:
    # A retried command carries the same trigger_id: it must not act twice.
    return f"cmd:{command.get('trigger_id') or command.get('response_url')}"


def delegate_command(ack: Ack, body: Command, context: BoltContext, rt: Runtime) -> None:
    ack()
    command = body
    text = command.get("text", "").strip()
    if not text:
        rt.gateway.open_view(command["trigger_id"], modals.delegate_modal(command.get("channel_id", "")))
        return
    if _is_help(text):
        reply(rt, command, messages.info_reply(parsing.HELP_DELEGATE))
        return
    request = parsing.parse_delegate(text)
    result = delegation.delegate(
        rt,
        team_id=str(context.team_id),
        owner_id=command["user_id"],
        assignee_ids=request.assignee_ids,
        title=request.title,
        done_when=request.done_when,
        due_text=request.due_text,
        request_key=_request_key(command),
    )
    reply(rt, command, messages.delegation_receipt(result.tasks, result.flags))


def report_command(ack: Ack, body: Command, context: BoltContext, rt: Runtime) -> None:
    ack()
    command = body
    text = command.get("text", "").strip()
    team_id, user_id = str(context.team_id), command["user_id"]
    if not text:
        tasks = queries.reportable_tasks(rt, team_id=team_id, user_id=user_id)
        if tasks:
            rt.gateway.open_view(command["trigger_id"], modals.report_picker_modal(tasks))
        else:
            reply(rt, command, messages.info_reply("You have no accepted tasks to report on. See `/tasks`."))
        return
    if _is_help(text):
        reply(rt, command, messages.info_reply(parsing.HELP_REPORT))
        return
    request = parsing.parse_report(text)
    if request.delivers:
        transition = lifecycle.deliver_task(
            rt,
            team_id=team_id,
            actor=user_id,
            number=request.number,
            note=request.text,
            request_key=_request_key(command),
        )
    else:
        transition = lifecycle.report_progress(
            rt,
            team_id=team_id,
            actor=user_id,
            number=request.number,
            text=request.text,
            percent=request.percent,
            request_key=_request_key(command),
        )
    reply(rt, command, messages.step_receipt(transition))


def tasks_command(ack: Ack, body: Command, context: BoltContext, rt: Runtime) -> None:
    ack()
    command = body
    team_id, user_id = str(context.team_id), command["user_id"]
    request = parsing.parse_tasks(command.get("text", ""))
    if request.action == "help":
        reply(rt, command, messages.info_reply(parsing.HELP_TASKS))
        return
    if request.action == "list":
        mine = queries.my_open_tasks(rt, team_id=team_id, user_id=user_id)
        reply(rt, command, messages.task_list(mine.owned, mine.assigned))
        return
    assert request.number is not None
    number, key = request.number, _request_key(command)
    if request.action == "show":
        view = queries.task_for(rt, team_id=team_id, user_id=user_id, number=number)
        reply(rt, command, messages.task_detail(view.task, view.history, view.linked))
        return
    if request.action == "edit" and not request.rest.strip():
        task = queries.task_of_owner(rt, team_id=team_id, user_id=user_id, number=number)
        rt.gateway.open_view(command["trigger_id"], modals.edit_modal(task))
        return
    if request.action == "edit":
        edit = parsing.parse_edit(request.rest)
        transition = lifecycle.edit_task(
            rt,
            team_id=team_id,
            actor=user_id,
            number=number,
            title=edit.title,
            done_when=edit.done_when,
            due_text=edit.due_text,
            request_key=key,
        )
    elif request.action == "cancel":
        transition = lifecycle.cancel_task(
            rt, team_id=team_id, actor=user_id, number=number, reason=request.rest, request_key=key
        )
    elif request.action == "reassign":
        assert request.assignee_id is not None
        transition = lifecycle.reassign_task(
            rt,
            team_id=team_id,
            actor=user_id,
            number=number,
            new_assignee=request.assignee_id,
            request_key=key,
        )
    else:
        transition = lifecycle.take_back_task(rt, team_id=team_id, actor=user_id, number=number)
    reply(rt, command, messages.step_receipt(transition))
