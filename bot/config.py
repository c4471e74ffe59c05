"""Settings: read once from the environment at start, validated, then passed around.

Defaults live here and only here; ``.env.example`` documents each variable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url

from bot.core.errors import BadInput
from bot.core.nudges import SETTING_NAMES, NudgeSettings
from bot.core.working_time import QuietHours, parse_quiet_hours, parse_working_days
from bot.logs import FORMATS, LEVELS
from storage.db import normalize_url

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///handoff.db"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and what to write."""


class PlaceholderError(SettingsError):
    """A setting still holds .env.example's value; all of them are named in one message."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class Settings:
    # One workspace: its bot token. Many: None, and the OAuth app's client id and secret; each
    # workspace's token is then kept by the installation store (``bot.slack.installations``).
    slack_bot_token: str | None
    # Checks that a request over HTTP came from Slack; a process that takes none (Socket Mode,
    # the clock) may go without it.
    slack_signing_secret: str | None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    # Socket Mode (``python -m bot socket``): the app-level token, xapp-…
    slack_app_token: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    default_timezone: str = "UTC"
    workday_end: time = time(17, 0)
    log_level: str = "INFO"
    log_format: str = "text"
    web_concurrency: int = 2
    outbox_keep: timedelta = timedelta(days=7)
    http_client_timeout: timedelta = timedelta(seconds=10)
    nudges: NudgeSettings = field(default_factory=NudgeSettings)
    quiet_hours: QuietHours = (time(19, 0), time(8, 0))
    working_days: frozenset[int] = frozenset(range(5))
    sweep_every: timedelta = timedelta(seconds=60)
    recur_lead: timedelta = timedelta(days=1)  # in working days: 1d = one working day
    # How often a process's outbox sender looks for messages another process queued.
    outbox_poll_every: timedelta = timedelta(seconds=5)
    # Daily channel summaries: a channel every workspace gets one in unless it unsubscribes
    # (None: only channels that subscribed), and the local time a subscription posts at by default.
    summary_channel: str | None = None
    summary_time: time = time(9, 0)
    # The Home tab is republished after a change to one of a person's tasks, at most this often.
    home_refresh_every: timedelta = timedelta(seconds=5)

    def sealing_secret(self) -> str:
        """The key that seals what the bot sends through Slack and reads back (a form's metadata).

        The signing secret, or without one (Socket Mode) the app-level token: both stay the same
        across restarts, so a form opened before one is still read after it.
        """
        secret = self.slack_signing_secret or self.slack_app_token
        if secret is None:
            raise RuntimeError(
                "a process taking Slack's requests has SLACK_SIGNING_SECRET or SLACK_APP_TOKEN"
            )
        return secret

    def installs_by_oauth(self) -> bool:
        """Many workspaces, each installed through /slack/install, rather than one bot token."""
        return self.slack_client_id is not None

    @classmethod
    def from_env(
        cls, env: Mapping[str, str], *, serves_http: bool = True, socket_mode: bool = False
    ) -> Settings:
        """Build settings from an environment mapping.

        Raises one SettingsError naming every variable that needs fixing, so a new .env
        is put right in one go rather than one complaint per start. SLACK_SIGNING_SECRET is
        required of a process that ``serves_http``; SLACK_APP_TOKEN of one in ``socket_mode``.
        """
        readers: dict[str, Callable[[], Any]] = {
            "slack_bot_token": lambda: _bot_token(env),
            "slack_signing_secret": lambda: _signing_secret(env, required=serves_http),
            "slack_client_id": lambda: _oauth_credentials(env)[0],
            "slack_client_secret": lambda: _oauth_credentials(env)[1],
            "slack_app_token": lambda: _app_token(env, required=socket_mode),
            "slack_api_url": lambda: _api_url(env.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL),
            "database_url": lambda: database_url_from(env),
            "port": lambda: _port(env.get("PORT") or "3000"),
            "default_timezone": lambda: _timezone(env.get("DEFAULT_TIMEZONE") or "UTC"),
            "workday_end": lambda: _clock_time(env.get("WORKDAY_END") or "17:00"),
            "log_level": lambda: logging_from(env)[0],
            "log_format": lambda: logging_from(env)[1],
            "web_concurrency": lambda: _workers(env.get("WEB_CONCURRENCY") or "2"),
            "outbox_keep": lambda: duration("OUTBOX_KEEP", env.get("OUTBOX_KEEP") or "7d"),
            "http_client_timeout": lambda: duration(
                "HTTP_CLIENT_TIMEOUT", env.get("HTTP_CLIENT_TIMEOUT") or "10s"
            ),
            "nudges": lambda: nudge_settings_from(env),
            "quiet_hours": lambda: _calendar("QUIET_HOURS", env.get("QUIET_HOURS") or "19:00-08:00"),
            "working_days": lambda: _calendar("WORKING_DAYS", env.get("WORKING_DAYS") or "mon-fri"),
            "sweep_every": lambda: duration("SWEEP_EVERY", env.get("SWEEP_EVERY") or "60s"),
            "recur_lead": lambda: duration("RECUR_LEAD", env.get("RECUR_LEAD") or "1d"),
            "outbox_poll_every": lambda: duration("OUTBOX_POLL_EVERY", env.get("OUTBOX_POLL_EVERY") or "5s"),
            "summary_channel": lambda: _channel(env.get("SUMMARY_CHANNEL") or ""),
            "summary_time": lambda: _clock_time(env.get("SUMMARY_TIME") or "09:00", "SUMMARY_TIME"),
            "home_refresh_every": lambda: duration(
                "HOME_REFRESH_EVERY", env.get("HOME_REFRESH_EVERY") or "5s"
            ),
        }
        values: dict[str, Any] = {}
        problems: list[SettingsError] = []
        for name, read in readers.items():
            try:
                values[name] = read()
            except SettingsError as problem:
                if str(problem) not in map(str, problems):  # LOG_* and the OAuth pair are read twice
                    problems.append(problem)
        if problems:
            raise SettingsError(_one_message(problems))
        return cls(**values)


def database_url_from(env: Mapping[str, str]) -> str:
    """DATABASE_URL alone: migrating needs no Slack credentials."""
    return _database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL)


def logging_from(env: Mapping[str, str]) -> tuple[str, str]:
    """LOG_LEVEL and LOG_FORMAT, checked: every command logs, migrate included."""
    level = (env.get("LOG_LEVEL") or "INFO").strip().upper()
    if level not in LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LEVELS)}, got {level.lower()!r}.")
    log_format = (env.get("LOG_FORMAT") or "text").strip().lower()
    if log_format not in FORMATS:
        raise SettingsError(f"LOG_FORMAT must be text or json, got {log_format!r}.")
    return level, log_format


def nudge_settings_from(env: Mapping[str, str]) -> NudgeSettings:
    """The nudge thresholds; each missing one keeps its default."""
    defaults = NudgeSettings()
    values: dict[str, timedelta] = {}
    problems: list[str] = []
    for setting, name in SETTING_NAMES.items():
        text = env.get(name)
        if not text:
            continue
        try:
            values[setting] = duration(name, text)
        except SettingsError as problem:
            problems.append(str(problem))
    if problems:
        raise SettingsError(" ".join(problems))
    return NudgeSettings(**{**vars(defaults), **values})


def _calendar(name: str, value: str) -> Any:
    parse = parse_quiet_hours if name == "QUIET_HOURS" else parse_working_days
    try:
        return parse(value)
    except BadInput as problem:
        raise SettingsError(f"{name}: {problem}") from None


def _one_message(problems: list[SettingsError]) -> str:
    placeholders = [p.name for p in problems if isinstance(p, PlaceholderError)]
    lines = [str(p) for p in problems if not isinstance(p, PlaceholderError)]
    if placeholders:
        names = " and ".join(placeholders)
        verb = "still holds the example value" if len(placeholders) == 1 else "still hold the example values"
        lines.insert(0, f"{names} {verb} from .env.example; put your Slack app's in .env.")
    return " ".join(lines)


def _required(env: Mapping[str, str], name: str) -> str:
    value = (env.get(name) or "").strip()
    if not value:
        raise SettingsError(f"{name} is not set. Copy .env.example to .env and fill it in.")
    if "your-" in value:  # .env.example's placeholders, e.g. xoxb-your-bot-token
        raise PlaceholderError(name)
    return value


def _token(env: Mapping[str, str], name: str, prefix: str, what: str = "the Bot User OAuth Token") -> str:
    value = _required(env, name)
    if not value.startswith(prefix):
        raise SettingsError(f"{name} should start with '{prefix}' ({what} of your app).")
    return value


def _bot_token(env: Mapping[str, str]) -> str | None:
    """One workspace's token; none when the app is installed by OAuth (both set is a mistake)."""
    oauth = any(env.get(name, "").strip() for name in OAUTH_CREDENTIALS)
    if not oauth:
        return _token(env, "SLACK_BOT_TOKEN", "xoxb-")
    if env.get("SLACK_BOT_TOKEN", "").strip():
        raise SettingsError(
            "Set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"
            " (installed into workspaces through /slack/install), not both: remove one from .env."
        )
    return None


OAUTH_CREDENTIALS = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


def _oauth_credentials(env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The OAuth app's client id and secret (Basic Information → App Credentials): both or neither."""
    given = [name for name in OAUTH_CREDENTIALS if env.get(name, "").strip()]
    if not given:
        return None, None
    if len(given) == 1:
        missing = next(name for name in OAUTH_CREDENTIALS if name not in given)
        raise SettingsError(f"{given[0]} is set but {missing} is not: OAuth install needs both.")
    client_id, client_secret = (_required(env, name) for name in OAUTH_CREDENTIALS)
    return client_id, client_secret


def _signing_secret(env: Mapping[str, str], *, required: bool) -> str | None:
    """Only HTTP processes check signatures; elsewhere .env.example's placeholder counts as unset."""
    value = env.get("SLACK_SIGNING_SECRET", "").strip()
    if not required and (not value or "your-" in value):
        return None
    return _required(env, "SLACK_SIGNING_SECRET")


def _app_token(env: Mapping[str, str], *, required: bool = False) -> str | None:
    """Socket Mode's app-level token (Basic Information → App-Level Tokens, connections:write)."""
    if not env.get("SLACK_APP_TOKEN", "").strip():
        if required:
            raise SettingsError(
                "SLACK_APP_TOKEN is not set: Socket Mode needs an App-Level Token with connections:write"
                " (your app's Basic Information → App-Level Tokens, starts with xapp-). Put it in .env."
            )
        return None
    return _token(env, "SLACK_APP_TOKEN", "xapp-", "an App-Level Token with connections:write")


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
    try:
        url = make_url(normalize_url(value))
        port = url.port  # parsed on access; a port that is not a number raises here
    except ValueError:
        raise SettingsError(
            "DATABASE_URL has a port that is not a number; write it as host:5432 (no password is shown here)."
        ) from None
    if port is not None and not 0 < port < 65536:
        raise SettingsError(f"DATABASE_URL's port must be from 1 to 65535, got {port}.")
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        folder = Path(url.database).resolve().parent
        if not folder.is_dir():
            raise SettingsError(
                f"DATABASE_URL points at a SQLite file in {folder}, which does not exist;"
                " create the folder or change DATABASE_URL."
            )
    return value


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SettingsError(f"PORT must be a number from 1 to 65535, got {value!r}.")
    return int(value)


def _workers(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) <= 64:
        raise SettingsError(
            f"WEB_CONCURRENCY must be a number of worker processes from 1 to 64, got {value!r}."
        )
    return int(value)


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"DEFAULT_TIMEZONE must be an IANA timezone such as Europe/Berlin, got {value!r}."
        ) from None
    return value


def _clock_time(value: str, name: str = "WORKDAY_END") -> time:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    if not match:
        raise SettingsError(f"{name} must be a 24-hour time like 17:00, got {value!r}.")
    return time(int(match.group(1)), int(match.group(2)))


def _channel(value: str) -> str | None:
    """A channel id (C…, G…), as Slack's "Copy link" ends; empty: no default channel."""
    value = value.strip()
    if not value:
        return None
    if not re.fullmatch(r"[CG][A-Z0-9]{2,}", value):
        raise SettingsError(
            f"SUMMARY_CHANNEL must be a channel id like C0123456789 (the end of the channel's link),"
            f" got {value[:40]!r}."
        )
    return value


_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def duration(name: str, value: str) -> timedelta:
    match = re.fullmatch(r"(\d+)([smhd])", value.strip())
    if not match or int(match.group(1)) == 0:
        raise SettingsError(f"{name} must be a duration like 90s, 4h or 7d, got {value!r}.")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
