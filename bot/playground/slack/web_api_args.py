"""Reading a Web API call's arguments off the wire, as Slack does, whichever way the client sent them."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_records import JSON

# Arguments that carry JSON. slack_sdk sends chat.* / views.* as JSON bodies (already structured), but a
# form-encoded call carries them as JSON strings.
JSON_ARGS = frozenset({"blocks", "attachments", "view", "metadata", "files"})


def parse_args(content_type: str, body: bytes, query: str) -> JSON:
    """Merge query-string args with a JSON or form-encoded body, as Slack does."""
    args: JSON = dict(parse_qsl(query, keep_blank_values=True))
    if not body:
        return args
    if content_type.startswith("application/json"):
        try:
            parsed = json.loads(body)
        except ValueError as err:
            raise SlackError("invalid_json", f"[ERROR] {err}") from None
        if not isinstance(parsed, dict):
            raise SlackError("invalid_json", "[ERROR] the body must be a JSON object")
        return {**args, **parsed}
    if content_type.startswith("application/x-www-form-urlencoded") or not content_type:
        return {**args, **dict(parse_qsl(body.decode(), keep_blank_values=True))}
    raise SlackError("invalid_post_type", f"[ERROR] the fake does not accept {content_type!r} bodies")


def decode_json_args(args: JSON) -> JSON:
    """Form bodies carry blocks/view/… as JSON strings; decode them so handlers see one shape."""
    decoded = dict(args)
    for name in JSON_ARGS & decoded.keys():
        value = decoded[name]
        if isinstance(value, str) and value:
            try:
                decoded[name] = json.loads(value)
            except ValueError:
                error = "invalid_blocks_format" if name == "blocks" else "invalid_arguments"
                raise SlackError(
                    error, f"[ERROR] {name} is not valid JSON", violation=f"{name}: bad JSON"
                ) from None
    return decoded


def args_for_record(content_type: str, body: bytes, query: str) -> JSON:
    """Best-effort args of a call that is failed on purpose, so tests can see what was retried."""
    try:
        return decode_json_args(parse_args(content_type, body, query))
    except SlackError:
        return {}


def present(value: Any) -> bool:
    """Whether an argument counts as given: Slack treats empty strings and lists as absent."""
    return value is not None and value != "" and value != []


def truthy(value: Any) -> bool:
    """Booleans arrive as true/false in JSON and as "1"/"0"/"true" in forms (slack_sdk converts to 1/0)."""
    return value is True or str(value).lower() in ("1", "true")
