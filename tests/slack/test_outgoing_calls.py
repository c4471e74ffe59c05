"""Every call the web process makes to Slack can survive a 429: the outbox, or slack_sdk's retries.

The listeners' client (and Bolt's per-request copy of it, which keeps its retry handlers)
retries rate limits, server errors and lost connections; the outbox's client retries
nothing, because its sender honours Retry-After itself and looks before it resends. Bolt's
own ``say``/``respond`` helpers would use clients without those retries, so no listener
takes them, and nothing but the gateway builds a Slack client.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.app import create_handoff
from bot.config import Settings
from bot.playground.slack.fake_slack import FakeSlack
from bot.slack.listeners import actions, commands, events, views
from storage.db import Database

ROOT = Path(__file__).resolve().parents[2]
# startup.py checks the token once before serving: a refusal there stops the start in one line.
MAY_BUILD_CLIENTS = {"bot/slack/gateway.py", "bot/startup.py"}
BOLT_SENDERS = {"say", "respond", "client"}


def test_the_listeners_client_retries_and_the_outbox_client_does_not(tmp_path: Path) -> None:
    with FakeSlack() as fake:  # Bolt checks the token when the app is built
        settings = Settings(
            slack_bot_token=fake.bot_token, slack_signing_secret="s", slack_api_url=fake.api_url
        )
        handoff = create_handoff(settings, db=Database.from_url(f"sqlite:///{tmp_path / 'h.db'}"))
    handlers = handoff.app.client.retry_handlers
    for kind in (RateLimitErrorRetryHandler, ServerErrorRetryHandler, ConnectionErrorRetryHandler):
        assert any(isinstance(handler, kind) for handler in handlers), kind
    assert handoff.runtime.gateway.client is handoff.app.client
    assert handoff.sender.gateway.client.retry_handlers == []


def test_only_the_gateway_builds_slack_clients() -> None:
    builders = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
                "WebClient",
                "WebhookClient",
            ):
                builders.append(relative)
    assert set(builders) <= MAY_BUILD_CLIENTS, builders


def test_no_listener_sends_through_bolts_own_helpers() -> None:
    for module in (actions, commands, events, views):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__:
                continue
            taken = BOLT_SENDERS & set(inspect.signature(function).parameters)
            assert not taken, f"{module.__name__}.{name} takes {taken}: send through rt.gateway instead"
