"""Settings: defaults, accepted forms, and errors that name the variable."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.config import Settings, SettingsError, logging_from

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}


def test_defaults() -> None:
    settings = Settings.from_env(BASE)
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///handoff.db"
    assert (settings.port, settings.default_timezone, settings.workday_end) == (3000, "UTC", time(17, 0))
    assert settings.http_client_timeout == timedelta(seconds=10)


def test_values_are_read_and_normalised() -> None:
    settings = Settings.from_env(
        {
            **BASE,
            "SLACK_API_URL": "http://127.0.0.1:8080/api",
            "DATABASE_URL": "postgres://u:p@db/handoff",
            "PORT": "8000",
            "DEFAULT_TIMEZONE": "Europe/Berlin",
            "WORKDAY_END": "18:30",
        }
    )
    assert settings.slack_api_url == "http://127.0.0.1:8080/api/"  # slack_sdk needs the slash
    assert settings.database_url == "postgres://u:p@db/handoff"
    assert (settings.port, settings.default_timezone, settings.workday_end) == (
        8000,
        "Europe/Berlin",
        time(18, 30),
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_BOT_TOKEN", ""),
        ("SLACK_BOT_TOKEN", "xapp-wrong-kind"),
        ("SLACK_BOT_TOKEN", "xoxb-your-bot-token"),  # the placeholder from .env.example
        ("SLACK_SIGNING_SECRET", "your-signing-secret"),
        ("SLACK_SIGNING_SECRET", " "),
        ("SLACK_API_URL", "slack.com/api"),
        ("DATABASE_URL", "mysql://x"),
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus"),
        ("WORKDAY_END", "5pm"),
        ("DATABASE_URL", "postgresql://u:p@db:abc/handoff"),
        ("DATABASE_URL", "sqlite:////no/such/folder/handoff.db"),
        ("LOG_LEVEL", "loud"),
        ("LOG_FORMAT", "xml"),
        ("WEB_CONCURRENCY", "many"),
        ("HTTP_CLIENT_TIMEOUT", "soon"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({**BASE, name: value})


def test_every_placeholder_and_problem_is_named_in_one_message() -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-your-bot-token",
        "SLACK_SIGNING_SECRET": "your-signing-secret",
        "PORT": "eighty",
    }
    with pytest.raises(SettingsError) as error:
        Settings.from_env(env)
    message = str(error.value)
    assert message.startswith("SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET still hold the example values")
    assert "PORT" in message and "\n" not in message


def test_the_database_password_is_never_repeated() -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({**BASE, "DATABASE_URL": "postgresql://u:hunter2@db:abc/handoff"})
    assert "hunter2" not in str(error.value)


def test_logging_settings_are_read_in_any_case() -> None:
    assert logging_from({"LOG_LEVEL": "debug", "LOG_FORMAT": "JSON"}) == ("DEBUG", "json")
    assert logging_from({}) == ("INFO", "text")


def test_the_web_workers_drop_clients_after_the_configured_silence() -> None:
    from bot.server import gunicorn_options

    settings = Settings.from_env({**BASE, "HTTP_CLIENT_TIMEOUT": "3s"})
    assert gunicorn_options(settings)["worker_class"].silence_limit == 3.0


def test_the_outbox_poll_interval_is_a_setting() -> None:
    assert Settings.from_env(BASE).outbox_poll_every == timedelta(seconds=5)
    assert Settings.from_env({**BASE, "OUTBOX_POLL_EVERY": "2s"}).outbox_poll_every == timedelta(seconds=2)
    with pytest.raises(SettingsError, match="OUTBOX_POLL_EVERY"):
        Settings.from_env({**BASE, "OUTBOX_POLL_EVERY": "often"})


OAUTH = {"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "c1i3nt", "SLACK_SIGNING_SECRET": "s3cret"}


def test_the_oauth_pair_replaces_the_bot_token() -> None:
    settings = Settings.from_env(OAUTH)
    assert settings.installs_by_oauth()
    assert (settings.slack_bot_token, settings.slack_client_id, settings.slack_client_secret) == (
        None,
        "111.222",
        "c1i3nt",
    )
    assert not Settings.from_env(BASE).installs_by_oauth()


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({**OAUTH, "SLACK_BOT_TOKEN": "xoxb-1"}, "not both"),
        ({"SLACK_CLIENT_ID": "111.222", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_SECRET is not"),
        ({"SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_ID is not"),
        ({**BASE, "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN should start with 'xapp-'"),
    ],
)
def test_workspace_credentials_that_do_not_fit_together_are_named(env: dict[str, str], says: str) -> None:
    with pytest.raises(SettingsError, match=says):
        Settings.from_env(env)


def test_the_app_token_is_read_for_socket_mode() -> None:
    assert Settings.from_env({**BASE, "SLACK_APP_TOKEN": "xapp-1-A1-2"}).slack_app_token == "xapp-1-A1-2"
    assert Settings.from_env(BASE).slack_app_token is None


SOCKET = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1-A1-2"}


def test_a_socket_mode_process_needs_no_signing_secret() -> None:
    settings = Settings.from_env(SOCKET, serves_http=False, socket_mode=True)
    assert settings.slack_signing_secret is None
    # .env.example's placeholder, left in place, counts as not set where it is not needed.
    placeholder = {**SOCKET, "SLACK_SIGNING_SECRET": "your-signing-secret"}
    assert Settings.from_env(placeholder, serves_http=False).slack_signing_secret is None
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET is not set"):
        Settings.from_env(SOCKET)  # an HTTP process still does


def test_a_socket_mode_process_names_a_missing_app_token() -> None:
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN is not set: Socket Mode needs an App-Level"):
        Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"}, serves_http=False, socket_mode=True)
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN still holds the example value"):
        Settings.from_env({**SOCKET, "SLACK_APP_TOKEN": "xapp-your-app-token"}, socket_mode=True)


def test_forms_are_sealed_with_the_signing_secret_or_else_the_app_token() -> None:
    assert Settings.from_env({**SOCKET, "SLACK_SIGNING_SECRET": "s3cret"}).sealing_secret() == "s3cret"
    assert Settings.from_env(SOCKET, serves_http=False, socket_mode=True).sealing_secret() == "xapp-1-A1-2"
