"""What the fake Slack's own tests share: the error a call got, a section block, a modal to open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError


def slack_error(call: Callable[[], Any]) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(**overrides: Any) -> dict[str, Any]:
    view = {
        "type": "modal",
        "callback_id": "delegate",
        "title": {"type": "plain_text", "text": "Delegate"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "outcome",
                "label": {"type": "plain_text", "text": "Outcome"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
        ],
    }
    return {**view, **overrides}
