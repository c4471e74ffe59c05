"""Shortcuts: "Delegate this message" on a message, and the global "Delegate a task".

Both open the delegate form at once: a trigger_id expires 3 s after Slack sent it, so
nothing is asked of Slack first. The message shortcut reads the message from its payload
(which carries it whole, even from a channel the bot can't read) and seals where it is
into the form (``bot.slack.message_source``); its permalink is fetched when the form is
submitted. The submission is the delegate form's own (``listeners.views``): checked,
kept, closed, then done once however often it is sent.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.core.message_title import title_from_message
from bot.services import people
from bot.services.runtime import Runtime
from bot.slack import message_source, modals
from bot.slack.errors import reported
from bot.slack.ids import Shortcut
from bot.slack.workspace import workspace_of

Body = dict[str, Any]


def register(app: App) -> None:
    app.message_shortcut(Shortcut.DELEGATE_MESSAGE.value)(reported(delegate_message))
    app.global_shortcut(Shortcut.DELEGATE.value)(reported(delegate_from_anywhere))


def delegate_message(ack: Ack, body: Body, shortcut: Body, context: BoltContext, rt: Runtime) -> None:
    """The delegate form, its title read from the message, the message named in its metadata."""
    ack()
    team_id, user_id = workspace_of(context), str(context.user_id)
    source = message_source.from_shortcut(shortcut)
    found = title_from_message((shortcut.get("message") or {}).get("text"))
    sealed = message_source.seal(
        source, team_id=team_id, user_id=user_id, secret=rt.settings.sealing_secret()
    )
    modal = modals.message_delegate_modal(source, found, metadata=sealed)
    rt.gateway.open_view(str(shortcut["trigger_id"]), modal, team_id=team_id)
    _look_up_owner(rt, team_id, user_id)


def delegate_from_anywhere(ack: Ack, body: Body, shortcut: Body, context: BoltContext, rt: Runtime) -> None:
    """The empty delegate form, as ``/delegate`` without text opens it."""
    ack()
    team_id, user_id = workspace_of(context), str(context.user_id)
    rt.gateway.open_view(str(shortcut["trigger_id"]), modals.delegate_modal(), team_id=team_id)
    _look_up_owner(rt, team_id, user_id)


def _look_up_owner(rt: Runtime, team_id: str, user_id: str) -> None:
    # While they type: the form is then checked without waiting on Slack.
    people.profile(rt, team_id=team_id, user_id=user_id)
