"""The fake's ``chat.*`` methods: messages go where Slack would put them, or fail as Slack would."""

from __future__ import annotations

from bot.playground.slack.block_kit_limits import message_block_problems
from bot.playground.slack.people_messages import require_readable
from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_records import JSON, Message
from bot.playground.slack.slack_workspace import APP_ID, Workspace


def chat_post_message(ws: Workspace, args: JSON) -> JSON:
    _check_message_blocks(args)
    channel = _post_channel(ws, str(args["channel"]))
    ws.require_bot_in(channel)
    message = ws.new_message(channel, args)
    ws.messages.setdefault(channel, []).append(message)
    return {"ok": True, "channel": channel, "ts": message.ts, "message": message_body(ws, message)}


def chat_update(ws: Workspace, args: JSON) -> JSON:
    _check_message_blocks(args)
    channel = str(args["channel"])
    if channel[:1] in ("U", "W"):
        # Slack's docs: "ensure that this value is a DM ID (starts with D) instead of a User ID".
        raise SlackError("channel_not_found", "[ERROR] chat.update needs the channel id, not a user id")
    message = _find_message(ws, existing_channel(ws, channel), str(args["ts"]))
    # Slack keeps blocks that the update does not mention; an empty list clears them.
    if "text" in args:
        message.text = str(args["text"] or "")
    if "blocks" in args:
        message.blocks = list(args["blocks"] or [])
    message.updates += 1
    return {
        "ok": True,
        "channel": message.channel,
        "ts": message.ts,
        "text": message.text,
        "message": message_body(ws, message),
    }


def chat_post_ephemeral(ws: Workspace, args: JSON) -> JSON:
    _check_message_blocks(args)
    channel = existing_channel(ws, str(args["channel"]))
    user = ws.users.get(str(args["user"]))
    if user is None or user.deleted:
        raise SlackError("user_not_in_channel")
    message = ws.new_message(channel, args, user=user.id, ephemeral=True)
    ws.ephemerals.append(message)
    return {"ok": True, "message_ts": message.ts}


def chat_get_permalink(ws: Workspace, args: JSON) -> JSON:
    channel = existing_channel(ws, str(args["channel"]))
    require_readable(ws, channel)
    message = _find_message(ws, channel, str(args["message_ts"]))
    permalink = f"https://{ws.team.team_domain}.slack.com/archives/{channel}/p{message.ts.replace('.', '')}"
    return {"ok": True, "channel": channel, "permalink": permalink}


def _check_message_blocks(args: JSON) -> None:
    if "blocks" not in args:
        return
    problems = message_block_problems(args["blocks"])
    if problems:
        raise SlackError.from_problems("invalid_blocks", problems)


def _post_channel(ws: Workspace, channel: str) -> str:
    """The real channel a chat.postMessage lands in. A user id means the bot's DM with that user."""
    if channel[:1] in ("U", "W"):
        # Slack archives the DM of a deactivated user.
        user = ws.require_user(channel, deleted_error="is_archived", missing_error="channel_not_found")
        return ws.open_im(user)
    return existing_channel(ws, channel)


def existing_channel(ws: Workspace, channel: str) -> str:
    if channel.startswith("D") and channel in ws.ims:
        return channel
    if channel[:1] in ("C", "G"):
        return channel  # the bot is taken to be a member of every public/private channel
    raise SlackError("channel_not_found", f"[ERROR] unknown channel {channel!r}")


def _find_message(ws: Workspace, channel: str, ts: str) -> Message:
    for message in ws.messages.get(channel, []):
        if message.ts == ts:
            return message
    raise SlackError("message_not_found")


def message_body(ws: Workspace, message: Message) -> JSON:
    return {
        "type": "message",
        "subtype": "bot_message",
        "text": message.text,
        "blocks": message.blocks,
        "user": ws.team.bot_user_id,
        "bot_id": ws.team.bot_id,
        "app_id": APP_ID,
        "team": ws.team.team_id,
        "ts": message.ts,
        **({"thread_ts": message.thread_ts} if message.thread_ts else {}),
        **({"files": message.files, "upload": True} if message.files else {}),
    }
