"""Block Kit primitives with Slack's limits enforced, and escaping of user text.

Everything that reaches Slack is built from these, so a long title or a big list is cut
honestly (with an ellipsis or an "and N more" line) instead of being rejected by Slack.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.core.dates import format_fallback

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS = 25  # elements in one actions block
MAX_MODAL_TITLE = 24
MAX_OPTION_TEXT = 75
MAX_OPTIONS = 100
MAX_NOTIFICATION_TEXT = 3000


def escape(text: str) -> str:
    """Make user text inert in mrkdwn: no pings (<!channel>, <@U…>), no fake links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_ESCAPED_USER_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]+)&gt;")


def escape_except_mentions(text: str) -> str:
    """Escape text that mixes a person's words with our own ``<@U…>`` mentions.

    Error messages quote what was typed and name the people concerned: the quote must stay
    inert, while a bare user mention (which can't be @channel and pings nobody in a reply
    only its reader sees) is kept so the name shows.
    """
    return _ESCAPED_USER_MENTION.sub(r"<@\1>", escape(text))


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # Never leave half an escape entity (&amp;) or a half Slack token (<!date…>) behind.
    for opener, closer in (("&", ";"), ("<", ">")):
        start = cut.rfind(opener)
        if start != -1 and cut.find(closer, start) == -1:
            cut = cut[:start]
    return cut + "…"


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def slack_date(moment: datetime) -> str:
    """A date each reader sees in their own timezone, with a plain UTC fallback."""
    fallback = format_fallback(moment, "UTC") + " UTC"
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def plain(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, MAX_HEADER_TEXT)}


def section(text: str, *, accessory: Block | None = None, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION_TEXT)}}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id is not None:
        block["block_id"] = block_id
    return block


def context(*texts: str) -> Block:
    elements = [{"type": "mrkdwn", "text": truncate(t, MAX_SECTION_TEXT)} for t in texts if t]
    return {"type": "context", "elements": elements[:MAX_CONTEXT_ELEMENTS]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(text, MAX_BUTTON_TEXT),
        "action_id": action_id,
        "value": value[:MAX_BUTTON_VALUE],
    }
    if style is not None:
        element["style"] = style
    return element


def actions(*buttons: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(buttons)}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def fit_blocks(blocks: list[Block], limit: int = MAX_MESSAGE_BLOCKS) -> list[Block]:
    """Keep a message within the block limit, saying how much was left out."""
    if len(blocks) <= limit:
        return blocks
    kept = blocks[: limit - 1]
    return [*kept, context(f"…and {len(blocks) - len(kept)} more not shown.")]


def message(text: str, blocks: list[Block]) -> dict[str, Any]:
    """A message body: blocks plus the top-level text used by notifications and screen readers."""
    return {"text": truncate(text, MAX_NOTIFICATION_TEXT), "blocks": fit_blocks(blocks)}
