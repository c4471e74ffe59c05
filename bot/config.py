"""Settings: read once from the environment at start, validated, then passed around.

Defaults live here and only here; ``.env.example`` documents each variable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///handoff.db"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and what to write."""


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str
    slack_signing_secret: str
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    default_timezone: str = "UTC"
    workday_end: time = time(17, 0)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Build settings from an environment mapping; raises SettingsError naming the variable."""
        return cls(
            slack_bot_token=_token(env, "SLACK_BOT_TOKEN", "xoxb-"),
            slack_signing_secret=_required(env, "SLACK_SIGNING_SECRET"),
            slack_api_url=_api_url(env.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL),
            database_url=database_url_from(env),
            port=_port(env.get("PORT") or "3000"),
            default_timezone=_timezone(env.get("DEFAULT_TIMEZONE") or "UTC"),
            workday_end=_clock_time(env.get("WORKDAY_END") or "17:00"),
        )


def database_url_from(env: Mapping[str, str]) -> str:
    """DATABASE_URL alone: migrating needs no Slack credentials."""
    return _database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL)


def _required(env: Mapping[str, str], name: str) -> str:
    value = (env.get(name) or "").strip()
    if not value:
        raise SettingsError(f"{name} is not set. Copy .env.example to .env and fill it in.")
    if "your-" in value:  # .env.example's placeholders, e.g. xoxb-your-bot-token
        raise SettingsError(
            f"{name} still holds the example value from .env.example; put your Slack app's in .env."
        )
    return value


def _token(env: Mapping[str, str], name: str, prefix: str) -> str:
    value = _required(env, name)
    if not value.startswith(prefix):
        raise SettingsError(f"{name} should start with '{prefix}' (the Bot User OAuth Token of your app).")
    return value


def _api_url(value: str) -> str:
    if not re.match(r"^https?://", value):
        raise SettingsError(f"SLACK_API_URL must be an http(s) URL, got {value!r}.")
    # slack_sdk joins method names onto the base URL, so it needs the trailing slash.
    return value if value.endswith("/") else value + "/"


def _database_url(value: str) -> str:
    if not re.match(r"^(sqlite|postgres|postgresql)(\+\w+)?://", value):
        raise SettingsError(
            f"DATABASE_URL must be a sqlite:/// or postgresql:// URL, got {value.split('://')[0]!r}."
        )
    return value


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SettingsError(f"PORT must be a number from 1 to 65535, got {value!r}.")
    return int(value)


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"DEFAULT_TIMEZONE must be an IANA timezone such as Europe/Berlin, got {value!r}."
        ) from None
    return value


def _clock_time(value: str) -> time:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    if not match:
        raise SettingsError(f"WORKDAY_END must be a 24-hour time like 17:00, got {value!r}.")
    return time(int(match.group(1)), int(match.group(2)))
