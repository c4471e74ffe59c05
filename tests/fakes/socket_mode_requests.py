"""Slack's requests as Socket Mode envelopes: the same payloads ``SlackRequests`` builds, over the socket.

Over Socket Mode Slack sends what it would have posted over HTTP, as JSON in an envelope: a
slash command's form fields (``slash_commands``), an interactivity payload (``interactive``), an
Events API body (``events_api``, a retry named in the envelope). The bot's ack stands in for the
HTTP answer: a ``Reply`` with status 200 and the ack's payload as its JSON body, which the fake
Slack shows the person as it shows a command's HTTP answer.
"""

from __future__ import annotations

import json
from typing import Any

from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_requests import Reply, SlackRequests
from tests.fakes.socket_mode_server import JSON, FakeSocketMode


class SocketModeRequests(SlackRequests):
    """``SlackRequests`` whose requests travel as envelopes; nothing is signed (the socket is the app's)."""

    def __init__(self, socket_mode: FakeSocketMode, *, fake: FakeSlack) -> None:
        super().__init__("socket-mode", signing_secret="", fake=fake)
        self.socket_mode = socket_mode
        self.last_envelope_id: str | None = None

    def _send_form(self, fields: dict[str, str], **kwargs: Any) -> Reply:
        assert "command" in fields, "over Socket Mode only slash commands come as form fields"
        return self._envelope("slash_commands", dict(fields), kwargs)

    def _send_payload(self, payload: JSON, **kwargs: Any) -> Reply:
        return self._envelope("interactive", payload, kwargs)

    def _send_json(self, body: JSON, **kwargs: Any) -> Reply:
        assert body.get("type") == "event_callback", "Socket Mode has no url_verification"
        return self._envelope("events_api", body, kwargs)

    def _envelope(self, kind: str, payload: JSON, sent_with: dict[str, Any]) -> Reply:
        retry = sent_with.get("extra_headers") or {}
        envelope_id = self.socket_mode.send(
            kind,
            payload,
            retry_attempt=int(retry.get("X-Slack-Retry-Num", 0)),
            retry_reason=retry.get("X-Slack-Retry-Reason", ""),
        )
        self.last_envelope_id = envelope_id
        return ack_reply(self.socket_mode, envelope_id)


def ack_reply(socket_mode: FakeSocketMode, envelope_id: str) -> Reply:
    """The ack of an envelope as the HTTP answer it stands for."""
    ack = socket_mode.wait_ack(envelope_id)
    if not ack.payload:
        return Reply(status=200, body="", json=None)
    body = json.dumps(ack.payload)
    return Reply(status=200, body=body, json=ack.payload, headers={"content-type": "application/json"})
