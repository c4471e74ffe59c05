"""python -m bot: lists its commands, refuses bad settings clearly, migrates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from storage.db import make_engine

ROOT = Path(__file__).resolve().parents[1]


def run_bot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "PORT"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_bare_command_lists_the_commands(tmp_path: Path) -> None:
    result = run_bot(env={}, cwd=tmp_path)
    assert result.returncode == 0
    assert "web" in result.stdout and "migrate" in result.stdout


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
    unreachable = "http://127.0.0.1:9/api/"  # nothing listens on the discard port
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": unreachable}
    result = run_bot("web", env={**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "Could not check SLACK_BOT_TOKEN" in result.stderr and "Traceback" not in result.stderr
