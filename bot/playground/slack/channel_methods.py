"""The fake's ``conversations.members``: who is in a channel, paged as Slack pages it."""

from __future__ import annotations

from bot.playground.slack.chat_methods import existing_channel
from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_records import JSON
from bot.playground.slack.slack_workspace import Workspace
from bot.playground.slack.web_api_args import present

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def conversations_members(ws: Workspace, args: JSON) -> JSON:
    channel = existing_channel(ws, str(args["channel"]))
    members = [ws.team.bot_user_id, ws.ims[channel]] if channel.startswith("D") else ws.members_of(channel)
    limit = int(args.get("limit") or DEFAULT_LIMIT)
    if not 0 < limit <= MAX_LIMIT:
        raise SlackError("invalid_limit")
    cursor = str(args["cursor"]) if present(args.get("cursor")) else ""
    if cursor and not cursor.startswith("offset:"):
        raise SlackError("invalid_cursor")
    start = int(cursor.removeprefix("offset:") or 0)
    page = members[start : start + limit]
    more = start + limit < len(members)
    # Slack always sends response_metadata; next_cursor is "" on the last page.
    return {
        "ok": True,
        "members": page,
        "response_metadata": {"next_cursor": f"offset:{start + limit}" if more else ""},
    }
