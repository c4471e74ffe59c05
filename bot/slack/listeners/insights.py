"""Scorecards and "why": ``/tasks stats``, ``/tasks T-12 why`` and the Why? button.

One person's card and one task's "why" are quick reads (one person's or one task's
histories), answered in the command's ack (see :mod:`bot.slack.listeners.commands`, whose
``/tasks`` table points here). The team view reads every task of the window, which in a
workspace of ten thousand tasks takes longer than the 3 s Slack waits for the ack: it is
acked first and answered through the response_url. It is a read, so nothing is kept in the
inbox: an answer lost with its process is had again by typing the command again.
The button opens a read-only modal: it acks first, since its trigger_id expires 3 s after the click.
"""

from __future__ import annotations

from typing import Any, Protocol

from slack_bolt import Ack, App, BoltContext

from bot.core.parsing import TasksCommand, TasksVerb
from bot.services import insights
from bot.services.runtime import Runtime
from bot.slack import insight_messages
from bot.slack.errors import reported
from bot.slack.ids import Action, button_task
from bot.slack.replies import reply
from bot.slack.workspace import workspace_of

Body = dict[str, Any]
Message = dict[str, Any]


class Caller(Protocol):
    """Who typed the command (``commands.Caller``)."""

    @property
    def team_id(self) -> str: ...

    @property
    def user_id(self) -> str: ...


def register(app: App) -> None:
    app.action(Action.WHY.pattern)(reported(why_clicked))


def stats_command(rt: Runtime, caller: Caller, request: TasksCommand) -> Message:
    """``/tasks stats [@someone] [90d]``: their card, or the team's, over the window."""
    assert request.stats is not None, "the parser gives /tasks stats its request"
    found = insights.stats(
        rt,
        team_id=caller.team_id,
        viewer=caller.user_id,
        person=request.stats.user_id,
        days=request.stats.days,
    )
    return insight_messages.stats_message(found)


def answers_after_ack(request: TasksCommand) -> bool:
    """Whether the command reads the whole team's window (see the module doc)."""
    return request.action is TasksVerb.STATS and request.stats is not None and request.stats.user_id is None


def team_stats_after_ack(ack: Ack, rt: Runtime, caller: Caller, request: TasksCommand, body: Body) -> None:
    ack()
    reply(rt, body, stats_command(rt, caller, request))


def why_command(rt: Runtime, caller: Caller, request: TasksCommand) -> Message:
    """``/tasks T-12 why``: where the handoff broke, for the task's owner or assignee."""
    assert request.number is not None, "the parser gives every per-task verb a number"
    found = insights.why(rt, team_id=caller.team_id, viewer=caller.user_id, number=request.number)
    return insight_messages.why_message(found)


def why_clicked(ack: Ack, body: Body, action: Body, context: BoltContext, rt: Runtime) -> None:
    ack()
    found = insights.why(
        rt, team_id=workspace_of(context), viewer=str(context.user_id), number=button_task(action)
    )
    rt.gateway.open_view(body["trigger_id"], insight_messages.why_modal(found), team_id=workspace_of(context))
