"""A gateway over many workspaces speaks with each one's own, current token."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.slack.gateway import NO_WAIT, SlackGateway, WorkspaceNotInstalled, build_client


class Tokens:
    def __init__(self, tokens: dict[str, str]) -> None:
        self.tokens = tokens

    def bot_token(self, team_id: str) -> str:
        if team_id not in self.tokens:
            raise WorkspaceNotInstalled(team_id)
        return self.tokens[team_id]


def test_each_workspace_is_called_with_its_own_token_and_a_rotated_one_replaces_it() -> None:
    template = build_client(token=None, base_url="http://127.0.0.1:9/api/", retry_wait=NO_WAIT)
    tokens = Tokens({"T1": "xoxb-one", "T2": "xoxb-two"})
    gateway = SlackGateway(template, tokens)

    first = gateway.client_for("T1")
    assert (first.token, gateway.client_for("T2").token) == ("xoxb-one", "xoxb-two")
    assert gateway.client_for("T1") is first  # one client per token, not one per call
    assert (first.base_url, first.retry_handlers) == (template.base_url, template.retry_handlers)

    tokens.tokens["T1"] = "xoxb-one-rotated"
    assert gateway.client_for("T1").token == "xoxb-one-rotated"


def test_a_call_for_no_workspace_or_an_unknown_one_is_refused() -> None:
    gateway = SlackGateway(WebClient(), Tokens({"T1": "xoxb-one"}))
    with pytest.raises(WorkspaceNotInstalled):
        gateway.client_for(None)
    with pytest.raises(WorkspaceNotInstalled):
        gateway.client_for("T2")


def test_one_workspace_token_serves_every_call() -> None:
    client = WebClient(token="xoxb-only")
    assert SlackGateway(client).client_for(None) is client
    assert SlackGateway(client).client_for("T1") is client
