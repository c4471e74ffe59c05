"""python -m bot: lists its commands, refuses bad settings clearly, migrates."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.playground.slack.fake_slack import FakeSlack
from storage.db import make_engine
from tests.postgres_schema import fresh_schema

ROOT = Path(__file__).resolve().parents[1]


def run_bot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "bot", *args, env=env, cwd=cwd)


def run(*command: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_", "PORT", "LOG_", "WEB_CONCURRENCY"))
    }
    return subprocess.run(
        list(command),
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_bare_command_lists_the_commands(tmp_path: Path) -> None:
    result = run_bot(env={}, cwd=tmp_path)
    assert result.returncode == 0
    commands = ("web", "socket", "playground", "migrate", "sweep", "scheduler", "outbox", "purge")
    assert all(name in result.stdout for name in commands)


def test_missing_setting_is_named(tmp_path: Path) -> None:
    result = run_bot("web", env={"SLACK_BOT_TOKEN": "xoxb-1"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr


def test_migrate_creates_the_schema_from_dotenv(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{db}\n")  # no Slack credentials needed
    result = run_bot("migrate", env={}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tables = set(inspect(make_engine(f"sqlite:///{db}")).get_table_names())
    assert {"tasks", "task_events", "outbox", "team_counters", "user_profiles"} <= tables


def test_a_token_slack_refuses_is_reported_clearly(tmp_path: Path) -> None:
    # Slack answers at once (invalid_auth), so no retry waits; an unreachable Slack takes the same path.
    with FakeSlack() as slack:
        env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": slack.api_url}
        result = run_bot("web", env={**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "Could not check SLACK_BOT_TOKEN" in result.stderr and "Traceback" not in result.stderr
    assert [call.error for call in slack.calls_to("auth.test")] == ["invalid_auth"]


def test_an_unreachable_slack_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        api_url = f"http://127.0.0.1:{unused.getsockname()[1]}/api/"
        env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": api_url}
        result = run_bot("web", env={**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"}, cwd=tmp_path)
    assert_one_line_exit_2(result, "SLACK_BOT_TOKEN", "reachable")


@pytest.fixture(scope="module")
def slack_env() -> Iterator[dict[str, str]]:
    """Settings that pass, against a fake Slack; each test spoils one."""
    with FakeSlack() as fake:
        yield {
            "SLACK_BOT_TOKEN": fake.bot_token,
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_API_URL": fake.api_url,
        }


def assert_one_line_exit_2(result: subprocess.CompletedProcess[str], *names: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert all(name in lines[0] for name in names), lines[0]


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("DATABASE_URL", "postgresql://u:p@127.0.0.1:abc/handoff"),
        ("DATABASE_URL", "sqlite:////no/such/folder/handoff.db"),
        ("LOG_LEVEL", "loud"),
        ("WEB_CONCURRENCY", "lots"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_2(
    setting: str, value: str, slack_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**slack_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}", setting: value}
    assert_one_line_exit_2(run_bot("web", env=env, cwd=tmp_path), setting)


def test_every_placeholder_left_in_dotenv_is_named_at_once(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    result = run_bot("web", env={}, cwd=tmp_path)
    assert_one_line_exit_2(result, "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")


def test_a_port_in_use_is_one_line_and_exit_2(slack_env: dict[str, str], tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        env = {**slack_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}", "PORT": port}
        assert_one_line_exit_2(run_bot("web", env=env, cwd=tmp_path), f"PORT {port}")


def test_an_unreachable_postgresql_is_one_line_and_exit_2(slack_env: dict[str, str], tmp_path: Path) -> None:
    env = {**slack_env, "DATABASE_URL": "postgresql://u:hunter2@127.0.0.1:9/handoff"}
    result = run_bot("web", env=env, cwd=tmp_path)
    assert_one_line_exit_2(result, "DATABASE_URL", "127.0.0.1:9")
    assert "hunter2" not in result.stderr


@pytest.fixture
def empty_postgres_schema(postgres_schema_url: str) -> Iterator[str]:
    """A fresh schema with no tables: a database nobody has migrated yet."""
    with fresh_schema(prefix="handoff_empty", migrated=False) as url:
        yield url


def test_web_refuses_an_unmigrated_postgresql(
    empty_postgres_schema: str, slack_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**slack_env, "DATABASE_URL": empty_postgres_schema}
    result = run_bot("web", env=env, cwd=tmp_path)
    assert_one_line_exit_2(result, "python -m bot migrate")
    assert "pending" not in result.stderr
    migrated = run_bot("migrate", env=env, cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    tables = set(inspect(make_engine(empty_postgres_schema)).get_table_names())
    assert "tasks" in tables  # migrate fixes what web refused


def test_gunicorn_from_the_procfile_refuses_a_bad_setting_the_same_way(
    slack_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**slack_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}", "LOG_LEVEL": "loud"}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    result = run(gunicorn, "--config", str(ROOT / "gunicorn.conf.py"), "bot.wsgi:app", env=env, cwd=ROOT)
    assert_one_line_exit_2(result, "LOG_LEVEL")


def test_procfile_runs_gunicorn_and_migrates_on_release() -> None:
    lines = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line)
    assert lines == {
        "release": "python -m bot migrate",
        "web": "gunicorn bot.wsgi:app",
        "worker": "python -m bot socket --no-clock",
        "clock": "python -m bot scheduler",
    }


def test_migrate_names_an_unreachable_database_in_one_line(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "postgresql://u:hunter2@127.0.0.1:9/handoff"}
    result = run_bot("migrate", env=env, cwd=tmp_path)
    assert_one_line_exit_2(result, "DATABASE_URL", "127.0.0.1:9")
    assert "hunter2" not in result.stderr


def test_a_rate_limited_token_check_waits_and_starts(tmp_path: Path) -> None:
    from bot.config import Settings
    from bot.startup import check_token

    with FakeSlack() as slack:
        slack.fail_next("auth.test", status=429, retry_after=0)
        check_token(
            Settings(slack_bot_token=slack.bot_token, slack_signing_secret="s", slack_api_url=slack.api_url)
        )
        assert [call.status for call in slack.calls_to("auth.test")] == [429, 200]


def test_a_token_slack_accepts_at_start_serves_its_workspace_again_after_an_uninstall(tmp_path: Path) -> None:
    """One workspace's bot was removed and installed again: the process started with its new token
    serves it again (with OAuth, the install itself does)."""
    from datetime import UTC, datetime

    from storage import workspaces
    from storage.db import Database
    from storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'h.db'}"
    upgrade(url)
    db = Database.from_url(url)
    with FakeSlack() as slack:
        with db.session_scope() as session:
            for team in (slack.team_id, "TOTHER"):
                workspaces.record_uninstalled(session, team_id=team, now=datetime.now(UTC))
        env = {
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_API_URL": slack.api_url,
        }
        result = run_bot("sweep", env={**env, "DATABASE_URL": url}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with db.session_scope(write=False) as session:
        assert workspaces.is_uninstalled(session, "TOTHER")
        assert not workspaces.is_uninstalled(session, slack.team_id)
    db.engine.dispose()
