"""Messages people wrote (not the bot), for shortcuts on them and ``chat.getPermalink``.

The fake stores them beside the bot's own messages in their channel, so ``chat.getPermalink``
finds them as Slack does. A private conversation (a ``G…`` id here) the bot was not invited
to stays out of its reach: Slack answers ``channel_not_found`` there, though people in it
can still use a message shortcut, whose payload carries the message.
"""

from __future__ import annotations

from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_records import JSON, Message
from bot.playground.slack.slack_workspace import Workspace


def post_as_person(
    ws: Workspace, channel: str, *, user: str, text: str, blocks: list[JSON], files: list[JSON]
) -> Message:
    message = ws.new_message(channel, {"text": text, "blocks": blocks})
    message.author = user
    message.files = files or None
    ws.messages.setdefault(channel, []).append(message)
    return message


def require_readable(ws: Workspace, channel: str) -> None:
    """The bot sees a private conversation only once it is in it."""
    if channel.startswith("G") and ws.team.bot_user_id not in ws.members_of(channel):
        raise SlackError("channel_not_found")


def person_message_payload(message: Message, *, team_id: str) -> JSON:
    """The message as an interaction payload carries it (a message shortcut's ``message``)."""
    body: JSON = {
        "type": "message",
        "user": message.author,
        "ts": message.ts,
        "text": message.text,
        "team": team_id,
        "client_msg_id": f"00000000-0000-4000-8000-{message.ts.replace('.', '')[-12:]:0>12}",
    }
    if message.blocks:
        body["blocks"] = message.blocks
    if message.files:
        body.update(files=message.files, upload=True, display_as_bot=False)
    if message.thread_ts:
        body["thread_ts"] = message.thread_ts
    return body
