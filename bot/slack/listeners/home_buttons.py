"""Buttons of the Home tab (and of the daily summary): another page of the Home, and a task's
details in a read-only modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.services import home, queries
from bot.services.runtime import Runtime
from bot.slack import home_messages
from bot.slack.errors import reported
from bot.slack.ids import Action, button_task
from bot.slack.workspace import workspace_of

Body = dict[str, Any]


def register(app: App) -> None:
    app.action(Action.HOME_PAGE.pattern)(reported(page_clicked))
    app.action(Action.VIEW.pattern)(reported(view_clicked))


def page_clicked(ack: Ack, body: Body, action: Body, context: BoltContext, rt: Runtime) -> None:
    """Previous / Next: the page the button names, or the last one if there are fewer by now."""
    ack()
    user_id = str(context.user_id)
    team_id = workspace_of(context)
    mine = home.home_for(rt, team_id=team_id, user_id=user_id)
    rt.gateway.publish_home(user_id, home_messages.home_view(mine, page=_page(action)), team_id=team_id)


def _page(action: Body) -> int:
    value = str(action.get("value", ""))
    return int(value) if value.isdigit() else 1


def view_clicked(ack: Ack, body: Body, action: Body, context: BoltContext, rt: Runtime) -> None:
    """A task and its history, for its owner or assignee; anyone else is told it isn't theirs."""
    ack()
    number = button_task(action)
    team_id = workspace_of(context)
    found = queries.task_for(rt, team_id=team_id, user_id=str(context.user_id), number=number)
    modal = home_messages.task_detail_modal(found.task, found.history, found.linked)
    rt.gateway.open_view(body["trigger_id"], modal, team_id=team_id)
