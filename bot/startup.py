"""Checks before the web process serves: each fault ends in one line naming the fix.

Every fault found before serving (a bad setting, the database unreachable or behind its
migrations, a token Slack refuses, the port taken) is a ``StartupError``: the caller prints
its one line and exits with status 2. An unreachable PostgreSQL is such a fault rather
than a reason to start and answer 503: a platform restarting the process shows the reason
in its log at once, while a web process up but unable to serve would look healthy to
anything that does not read /healthz.

Nothing here imports gunicorn: gunicorn reads WEB_CONCURRENCY when it is imported, and
raises on a value that is not a number before any check of ours could name it.
"""

from __future__ import annotations

import errno
import logging
import socket
from collections.abc import Mapping

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot import logs
from bot.config import Settings
from bot.services import installs
from bot.slack.gateway import retry_handlers
from storage.db import Database, make_engine
from storage.migrate import pending, upgrade

logger = logging.getLogger(__name__)


class StartupError(Exception):
    """Why a process cannot start, in one line that names the setting or the fix."""


def startup(env: Mapping[str, str], *, serves_http: bool = True, socket_mode: bool = False) -> Settings:
    """Read and check everything a process needs; raises SettingsError or StartupError.

    The clock, the one-shot sweep and Socket Mode (``serves_http=False``) listen on no port and
    check no request's signature; Socket Mode's app token is checked by ``check_app_token``.
    """
    settings = Settings.from_env(env, serves_http=serves_http, socket_mode=socket_mode)
    logs.configure(settings.log_level, settings.log_format)
    check_database(settings.database_url)
    team_id = check_token(settings)
    if team_id is not None:
        resume_workspace(settings.database_url, team_id)
    if serves_http:
        check_port(settings.port)
    return settings


def check_database(database_url: str) -> None:
    """SQLite is migrated here; PostgreSQL must be reachable and already migrated."""
    if database_url.startswith("sqlite"):
        try:
            upgrade(database_url)  # the embedded default needs no separate step
        except (SQLAlchemyError, OSError) as error:
            raise unreachable(database_url, error) from None
        return
    engine = make_engine(database_url, connect_args={"connect_timeout": 5})
    try:
        check_migrated(engine, database_url, then="start again")
    finally:
        engine.dispose()


def check_migrated(engine: Engine, database_url: str, *, then: str) -> None:
    """The database answers and is at the latest migration, or a StartupError says what to do."""
    try:
        behind = pending(engine)
    except (SQLAlchemyError, OSError) as error:
        raise unreachable(database_url, error) from None
    if behind:
        raise StartupError(
            f"The database in DATABASE_URL ({describe_database(database_url)}) is not at the latest"
            f" migration: run `python -m bot migrate`, then {then}."
        )


def unreachable(database_url: str, error: Exception) -> StartupError:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return StartupError(
        f"Could not reach the database in DATABASE_URL ({describe_database(database_url)}): {reason}"
    )


def check_token(settings: Settings) -> str | None:
    """The workspace ``SLACK_BOT_TOKEN`` speaks for, once Slack accepted it; None with OAuth."""
    if settings.slack_bot_token is None:
        return None  # installed by OAuth: each workspace's token is checked by using it
    client = WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        logger=_UNHEARD,
        # A 429 or a blip at start is waited out, as for every other call, not a refusal to start.
        retry_handlers=retry_handlers(),
    )
    try:
        team_id = client.auth_test().get("team_id")
    except (SlackClientError, OSError) as error:
        reason = str(error).splitlines()[0]
        raise StartupError(
            f"Could not check SLACK_BOT_TOKEN with Slack at {settings.slack_api_url}: {reason}."
            " Check the token in .env (OAuth & Permissions → Bot User OAuth Token) and that Slack is"
            " reachable."
        ) from None
    return str(team_id) if team_id else None


def resume_workspace(database_url: str, team_id: str) -> None:
    """The token's workspace had removed the bot and installed it again: it is served again."""
    db = Database.from_url(database_url)
    try:
        installs.token_accepted(db, team_id=team_id)
    finally:
        db.engine.dispose()


def check_app_token(settings: Settings) -> str:
    """Socket Mode: Slack hands SLACK_APP_TOKEN a WebSocket URL, or the process cannot start."""
    assert settings.slack_app_token is not None, "Settings.from_env(socket_mode=True) requires it"
    client = WebClient(
        base_url=settings.slack_api_url, timeout=10, logger=_UNHEARD, retry_handlers=retry_handlers()
    )
    try:
        return str(client.apps_connections_open(app_token=settings.slack_app_token)["url"])
    except (SlackClientError, OSError) as error:
        reason = str(error).splitlines()[0]
        raise StartupError(
            f"Could not open a Socket Mode connection with SLACK_APP_TOKEN at {settings.slack_api_url}:"
            f" {reason}. Check the token in .env (Basic Information → App-Level Tokens, with the"
            " connections:write scope), that Socket Mode is on in the app's settings, and that Slack"
            " is reachable."
        ) from None


# The client would log its own line about a failed call before ours; ours says it all.
_UNHEARD = logging.getLogger("bot.startup.auth_test")
_UNHEARD.propagate = False
_UNHEARD.addHandler(logging.NullHandler())


def check_port(port: int) -> None:
    """Fail now, in one line, rather than in gunicorn's bind retries."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(("0.0.0.0", port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise StartupError(
                    f"PORT {port} is already in use by another program: stop it or set PORT to a free port."
                ) from None
            raise StartupError(f"Cannot listen on PORT {port}: {error.strerror}.") from None


def describe_database(database_url: str) -> str:
    """Where the database is, without the password."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}"
    return f"PostgreSQL at {url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"
