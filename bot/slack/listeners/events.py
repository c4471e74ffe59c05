"""Events: the Home tab shows a person's dashboard whenever they open it; someone who leaves
the workspace stops the recurring series handed to them; a workspace that removes the bot
(uninstalls it, or revokes its token) stops everything scheduled there."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.services import home, installs, recurring
from bot.services.runtime import Runtime
from bot.slack import home_messages
from bot.slack.errors import reported
from bot.slack.workspace import workspace_of


def register(app: App) -> None:
    app.event("app_home_opened")(reported(home_opened))
    app.event("team_leave")(reported(member_left))
    app.event("user_change")(reported(member_left))
    app.event("app_uninstalled")(reported(removed))
    app.event("tokens_revoked")(reported(tokens_revoked))


def home_opened(
    ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    if event.get("tab", "home") != "home":
        return
    user_id = str(event["user"])
    team_id = workspace_of(context)
    mine = home.home_for(rt, team_id=team_id, user_id=user_id)
    rt.gateway.publish_home(user_id, home_messages.home_view(mine), team_id=team_id)


def member_left(
    ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    """``team_leave``, or ``user_change`` of a deactivated account: their series stop now."""
    user = event["user"]  # the whole user object, in both events
    if event["type"] == "user_change" and not user.get("deleted"):
        return  # a profile edit: nothing to stop
    recurring.stop_series_of_leaver(rt, team_id=workspace_of(context), user_id=str(user["id"]))


def removed(ack: Ack, body: dict[str, Any], context: BoltContext, rt: Runtime) -> None:
    """``app_uninstalled``: no nudge, summary or message goes to the workspace any more."""
    installs.uninstalled(rt, team_id=workspace_of(context), happened_at=installs.event_time(body))


def tokens_revoked(
    ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    """The bot's token revoked is the bot removed; people's tokens alone (the bot keeps none) are not."""
    if installs.bot_tokens_revoked(event):
        installs.uninstalled(rt, team_id=workspace_of(context), happened_at=installs.event_time(body))
