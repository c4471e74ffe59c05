"""The pieces of an interaction payload: where it happened (container, channel, block) and the button.

Shaped as Slack sends them with block_actions; SlackRequests assembles the payloads from these.
"""

from __future__ import annotations

import time

from bot.playground.slack.slack_records import JSON, Message

# What the embedded Slack calls a block the app gave no id: Slack generates one; any stable string will do.
AUTO_BLOCK_ID = "auto-block"


def block_id_of(blocks: list[JSON], element: JSON) -> str:
    for block in blocks:
        if element is block.get("accessory") or any(element is e for e in block.get("elements") or []):
            return str(block.get("block_id") or AUTO_BLOCK_ID)
    return AUTO_BLOCK_ID


def container(message: Message | None, view: JSON | None, channel: str | None) -> JSON:
    if view is not None:
        return {"type": "view", "view_id": view.get("id")}
    if message is not None:
        return {
            "type": "message",
            "message_ts": message.ts,
            "channel_id": message.channel,
            "is_ephemeral": message.ephemeral,
        }
    return {"type": "message", "channel_id": channel, "is_ephemeral": False}


def button_action(action_id: str, block_id: str, value: str | None, text: str | None) -> JSON:
    action: JSON = {
        "action_id": action_id,
        "block_id": block_id,
        "type": "button",
        "action_ts": f"{time.time():.6f}",
        "text": {"type": "plain_text", "text": text or action_id, "emoji": True},
    }
    if value is not None:
        action["value"] = value
    return action


def channel_name(channel: str) -> str:
    return "directmessage" if channel.startswith("D") else channel.lower()
