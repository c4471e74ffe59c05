"""``/tasks summary …``: a channel's daily summary, set where it is typed.

``here`` asks Slack whether the bot is in the channel (and the subscriber's timezone), so
it is kept in the inbox, acked, then done and answered through the response_url
(``bot.slack.durable``). ``off`` and a bare ``/tasks summary`` need nothing from Slack
and are answered in the ack.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.core import parsing
from bot.core.errors import BadInput
from bot.core.summary_grammar import SUMMARY_EXAMPLE, SummaryAction, SummaryCommand
from bot.services import nudge_now, summaries
from bot.services.runtime import Runtime
from bot.slack import durable
from bot.slack.errors import reported
from bot.slack.ids import Action, button_task
from bot.slack.replies import answer_in_ack, reply
from bot.slack.summary_replies import nudged_reply, shown_reply, stopped_reply, subscribed_reply
from bot.slack.workspace import workspace_of

KIND = "summary_command"
Body = dict[str, Any]


def register(app: App) -> None:
    app.action(Action.NUDGE_NOW.pattern)(reported(nudge_now_clicked))


def summary_command(ack: Ack, rt: Runtime, command: SummaryCommand, *, kept: durable.Payload) -> None:
    """``kept`` is the command as the inbox keeps it, with its channel and the bot's user id."""
    team_id, channel_id = kept["team_id"], kept["channel_id"]
    if command.action is SummaryAction.SUBSCRIBE:
        _require_channel(channel_id)
        durable.accept(rt, ack, kind=KIND, team_id=team_id, request_key=kept["request_key"], payload=kept)
        return
    if command.action is SummaryAction.OFF:
        stopped = summaries.unsubscribe(rt, team_id=team_id, channel_id=channel_id)
        answer_in_ack(ack, stopped_reply(stopped))
        return
    answer_in_ack(ack, shown_reply(summaries.show(rt, team_id=team_id, channel_id=channel_id)))


@durable.work(KIND)
def _subscribe(rt: Runtime, payload: durable.Payload) -> None:
    command = parsing.parse_tasks(payload["text"]).summary
    assert command is not None, "kept only after it was parsed as a summary"
    subscription = summaries.subscribe(
        rt, team_id=payload["team_id"], channel_id=payload["channel_id"], user_id=payload["user_id"],
        bot_user_id=payload["bot_user_id"], command=command, request_key=payload["request_key"],
    )  # fmt: skip
    reply(rt, payload, subscribed_reply(subscription))


def _require_channel(channel_id: str) -> None:
    # Public channels start with C, private ones with C or G; a DM (D) has nobody to read it.
    if not channel_id.startswith(("C", "G")):
        raise BadInput(
            "A daily summary is posted in a channel, not here.",
            hint=f"Type `{SUMMARY_EXAMPLE}` in the channel where your team should see it.",
        )


def nudge_now_clicked(ack: Ack, body: Body, action: Body, context: BoltContext, rt: Runtime) -> None:
    """The owner chases the assignee from the summary; anyone else is told whose call it is."""
    number = button_task(action)
    container = body.get("container") or {}
    # One reminder per summary message: a second click, or Slack's retry, finds it queued.
    source = f"{container.get('channel_id', '')}:{container.get('message_ts') or body.get('action_ts', '')}"
    nudged = nudge_now.nudge_now(
        rt, team_id=workspace_of(context), actor=str(context.user_id), number=number, source=source
    )
    ack()
    reply(rt, body, nudged_reply(nudged))
