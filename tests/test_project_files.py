"""The files a newcomer follows stay true: the Slack manifest and .env.example match the code."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import yaml

from bot.config import Settings
from bot.core.nudges import SETTING_NAMES
from bot.playground.slack.fake_slack import DEFAULT_SCOPES
from bot.slack.listeners import commands, events, shortcuts
from bot.slack.oauth_install import BOT_SCOPES, REDIRECT_PATH
from bot.web import EVENTS_PATH

ROOT = Path(__file__).resolve().parents[1]


class Registrations:
    """Stands in for the Bolt App at registration: records what each listener module answers."""

    def __init__(self) -> None:
        self.commands: list[str] = []
        self.events: list[str] = []
        self.shortcuts: list[tuple[str, str]] = []

    def command(self, name: str) -> Callable[[object], object]:
        self.commands.append(name)
        return lambda listener: listener

    def event(self, name: str, middleware: object = None) -> Callable[[object], object]:
        self.events.append(name)
        return lambda listener: listener

    def message_shortcut(self, callback_id: str) -> Callable[[object], object]:
        self.shortcuts.append(("message", callback_id))
        return lambda listener: listener

    def global_shortcut(self, callback_id: str) -> Callable[[object], object]:
        self.shortcuts.append(("global", callback_id))
        return lambda listener: listener


def test_manifest_matches_what_the_bot_answers() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    answered = Registrations()
    commands.register(answered)  # type: ignore[arg-type]
    events.register(answered)  # type: ignore[arg-type]
    declared = manifest["features"]["slash_commands"]
    assert sorted(c["command"] for c in declared) == sorted(answered.commands)
    assert all(c["should_escape"] is True for c in declared)  # mentions arrive as <@U…>
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == answered.events
    urls = [c["url"] for c in declared] + [
        manifest["settings"]["interactivity"]["request_url"],
        manifest["settings"]["event_subscriptions"]["request_url"],
    ]
    assert all(url.endswith(EVENTS_PATH) for url in urls)
    assert manifest["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)  # what an OAuth install asks for


def test_manifest_sends_requests_over_http_unless_switched_to_socket_mode() -> None:
    text = (ROOT / "manifest.yml").read_text()
    assert yaml.safe_load(text)["settings"]["socket_mode_enabled"] is False  # the request URLs are used
    assert "python -m bot socket" in text  # the comment beside it says when to switch


def test_manifest_declares_the_shortcuts_the_bot_answers() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    answered = Registrations()
    shortcuts.register(answered)  # type: ignore[arg-type]
    declared = [(s["type"], s["callback_id"]) for s in manifest["features"]["shortcuts"]]
    assert sorted(declared) == sorted(answered.shortcuts)


def test_manifest_sends_installers_back_to_the_bots_redirect() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    (url,) = manifest["oauth_config"]["redirect_urls"]
    assert url.endswith(REDIRECT_PATH)


def test_env_example_documents_every_setting() -> None:
    lines = (ROOT / ".env.example").read_text().splitlines()
    # A setting with no default is shown commented out (``# SLACK_APP_TOKEN=xapp-…``).
    documented = {match[1] for line in lines if (match := re.match(r"(?:# )?([A-Z_]+)=", line))}
    settings = {f.name.upper() for f in fields(Settings)} - {"NUDGES"}  # one variable per threshold:
    assert documented == settings | set(SETTING_NAMES.values()) | {"LOG_LEVEL"}


def test_env_example_shows_the_defaults() -> None:
    lines = (ROOT / ".env.example").read_text().splitlines()
    example = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    slack = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    assert Settings.from_env({**example, **slack}) == Settings.from_env(slack)


def test_manifest_grants_every_scope_the_fake_slack_grants_the_tests() -> None:
    # The fake refuses calls whose scope it was not given (files:write for an export's upload).
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert set(DEFAULT_SCOPES.split(",")) <= set(manifest["oauth_config"]["scopes"]["bot"])
