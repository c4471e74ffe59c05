"""What Slack does with an app's answers to a person: POSTs to a response_url (they reply to, replace or
delete a message), and a slash command's own HTTP answer (shown to the person as a message)."""

from __future__ import annotations

import json
from typing import Any

from bot.playground.slack.block_kit_limits import message_block_problems
from bot.playground.slack.slack_error import summary
from bot.playground.slack.slack_records import JSON, Message
from bot.playground.slack.slack_workspace import ResponseUrl, Workspace
from bot.playground.slack.web_api_args import truthy

RESPONSE_URL_MAX_USES = 5  # Slack: a response_url can be used up to 5 times (within 30 minutes).


class Refused(Exception):
    """Slack's answer to a POST it refuses: an HTTP error ``status`` and a short ``text``.

    ``violation`` marks the refusal as a contract breach by the app, as on SlackError.
    """

    def __init__(self, status: int, text: str, *, violation: str | None = None) -> None:
        super().__init__(text)
        self.status = status
        self.text = text
        self.violation = violation


def post_to_response_url(ws: Workspace, url: str, payload: Any) -> None:
    """Apply one POST of ``payload`` to ``url``, or raise Refused."""
    binding = ws.response_urls.get(url)
    if binding is None:
        raise Refused(404, "no_such_url")
    if len(binding.posts) >= RESPONSE_URL_MAX_USES:
        raise Refused(404, "used_url")
    if not isinstance(payload, dict):
        raise Refused(400, "invalid_payload")
    problems = message_block_problems(payload["blocks"]) if "blocks" in payload else []
    if problems:
        raise Refused(400, "invalid_blocks", violation=summary(problems))
    binding.posts.append(payload)
    _apply_response(ws, url, binding, payload)


def _apply_response(ws: Workspace, url: str, binding: ResponseUrl, payload: JSON) -> None:
    original = binding.message or _last_ephemeral_via(ws, url)
    if truthy(payload.get("delete_original")):
        _delete(ws, original)
    elif truthy(payload.get("replace_original")) and original is not None:
        original.text = str(payload.get("text") or "")
        original.blocks = list(payload.get("blocks") or [])
        original.updates += 1
    else:
        _show(ws, url, binding, payload)


def show_command_answer(ws: Workspace, url: str, body: str, content_type: str) -> None:
    """Show a slash command's HTTP 200 answer as Slack does, or raise Refused.

    A JSON body is a message (ephemeral unless ``response_type`` is ``in_channel``); any other
    non-empty body is shown as plain text; an empty body (a bare ack) shows nothing. ``url`` is the
    command's response_url: it names the person and channel, and is not used up by this answer.
    """
    binding = ws.response_urls.get(url)
    if binding is None or not body.strip():
        return
    payload: Any = body
    if "json" in content_type:
        try:
            payload = json.loads(body)
        except ValueError:
            raise Refused(500, "invalid_json", violation="a command's JSON answer does not parse") from None
    if not isinstance(payload, dict):
        payload = {"text": body}
    problems = message_block_problems(payload["blocks"]) if "blocks" in payload else []
    if problems:
        raise Refused(400, "invalid_blocks", violation=summary(problems))
    if payload.get("text") or payload.get("blocks"):
        _show(ws, url, binding, payload)


def _show(ws: Workspace, url: str, binding: ResponseUrl, payload: JSON) -> None:
    if payload.get("response_type") == "in_channel" and binding.channel:
        message = ws.new_message(binding.channel, payload, response_url=url)
        ws.messages.setdefault(binding.channel, []).append(message)
    else:
        ephemeral = ws.new_message(
            binding.channel or "", payload, user=binding.user, ephemeral=True, response_url=url
        )
        ws.ephemerals.append(ephemeral)


def _last_ephemeral_via(ws: Workspace, url: str) -> Message | None:
    return next((m for m in reversed(ws.ephemerals) if m.response_url == url), None)


def _delete(ws: Workspace, message: Message | None) -> None:
    if message is None:
        return
    if message in ws.ephemerals:
        ws.ephemerals.remove(message)
    elif message in ws.messages.get(message.channel, []):
        ws.messages[message.channel].remove(message)
