"""Events: the Home tab shows a person's dashboard whenever they open it; someone who leaves
the workspace stops the recurring series handed to them; a workspace that removes the bot
(uninstalls it, or revokes its token) stops everything scheduled there.

Bolt acknowledges an event before its listener runs, so a removal is recorded in listener
middleware, which runs before that: if its write fails, Slack gets a 500 and sends the event
again, rather than a 200 for a removal nobody recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.services import home, installs, recurring
from bot.services.runtime import Runtime
from bot.slack import home_messages
from bot.slack.errors import ACK_LOCK_WAIT, reported
from bot.slack.workspace import workspace_of
from storage.db import bounded_lock_wait


def register(app: App) -> None:
    app.event("app_home_opened")(reported(home_opened))
    app.event("team_leave")(reported(member_left))
    app.event("user_change")(reported(member_left))
    app.event("app_uninstalled", middleware=[removed])(recorded_before_the_ack)
    app.event("tokens_revoked", middleware=[tokens_revoked])(recorded_before_the_ack)


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


def removed(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> None:
    """``app_uninstalled``: no nudge, summary or message goes to the workspace any more."""
    record_removal(body, context)
    next()


def tokens_revoked(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> None:
    """The bot's token revoked is the bot removed; people's tokens alone (the bot keeps none) are not."""
    if bot_tokens_revoked(body.get("event") or {}):
        record_removal(body, context)
    next()


def record_removal(body: dict[str, Any], context: BoltContext) -> None:
    # Bounded like any write before an ack: Slack waits 3 s, and a 500 in time brings a retry.
    with bounded_lock_wait(ACK_LOCK_WAIT):
        installs.uninstalled(context["rt"], team_id=workspace_of(context), happened_at=event_time(body))


def recorded_before_the_ack(ack: Ack) -> None:
    """Nothing is left to do once the middleware has recorded the removal (Bolt acks for us)."""


def event_time(body: dict[str, Any]) -> datetime | None:
    """When Slack says an event happened (whole seconds), or None when the body does not say."""
    seconds = body.get("event_time")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return None
    return datetime.fromtimestamp(seconds, UTC)


def bot_tokens_revoked(event: dict[str, Any]) -> bool:
    """Whether a ``tokens_revoked`` event names bot tokens; revoking people's tokens alone changes nothing."""
    tokens = event.get("tokens")
    return isinstance(tokens, dict) and bool(tokens.get("bot"))
