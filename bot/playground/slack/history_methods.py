"""The fake's ``conversations.history``: a channel's messages, newest first, as Slack pages them.

Message ``metadata`` comes back only with ``include_all_metadata``, as documented; that is how a
sender finds a message it posted but never heard back about.
"""

from __future__ import annotations

from bot.playground.slack.chat_methods import existing_channel, message_body
from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_records import JSON
from bot.playground.slack.slack_workspace import Workspace
from bot.playground.slack.web_api_args import present, truthy

DEFAULT_LIMIT = 100  # Slack's default page size for conversations.history
MAX_LIMIT = 999


def conversations_history(ws: Workspace, args: JSON) -> JSON:
    channel = existing_channel(ws, str(args["channel"]))
    ws.require_bot_in(channel)
    limit = int(args.get("limit") or DEFAULT_LIMIT)
    if not 0 < limit <= MAX_LIMIT:
        raise SlackError("invalid_limit")
    inclusive = truthy(args.get("inclusive"))
    oldest = float(args["oldest"]) if present(args.get("oldest")) else None
    latest = float(args["latest"]) if present(args.get("latest")) else None
    newest_first = sorted(ws.messages.get(channel, []), key=lambda m: float(m.ts), reverse=True)
    chosen = [m for m in newest_first if _within(float(m.ts), oldest, latest, inclusive)]
    start = int(str(args["cursor"]).removeprefix("offset:")) if present(args.get("cursor")) else 0
    page = chosen[start : start + limit]
    with_metadata = truthy(args.get("include_all_metadata"))
    messages = []
    for message in page:
        body = message_body(ws, message)
        if with_metadata and message.metadata:
            body["metadata"] = message.metadata
        messages.append(body)
    has_more = start + limit < len(chosen)
    answer: JSON = {"ok": True, "messages": messages, "has_more": has_more, "pin_count": 0}
    if has_more:
        answer["response_metadata"] = {"next_cursor": f"offset:{start + limit}"}
    return answer


def _within(ts: float, oldest: float | None, latest: float | None, inclusive: bool) -> bool:
    if oldest is not None and (ts < oldest or (ts == oldest and not inclusive)):
        return False
    return not (latest is not None and (ts > latest or (ts == latest and not inclusive)))
