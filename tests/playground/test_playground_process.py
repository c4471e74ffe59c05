"""``python -m bot playground`` as a newcomer runs it: no tokens, no .env, no database of theirs."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import yaml

from bot.playground.commands_help import COMMANDS
from tests.scenarios.processes import HEALTHY_WITHIN, ROOT, stop_group


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_playground_starts_without_tokens_serves_the_page_and_stops_cleanly(
    tmp_path: Path, stop: signal.Signals
) -> None:
    # A broken .env and a database it must not touch: the playground reads neither.
    (tmp_path / ".env").write_text("SLACK_SIGNING_SECRET=\nLOG_LEVEL=nonsense\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/never"
    scratch = tmp_path / "tmp"  # where it keeps its SQLite files
    scratch.mkdir()
    env["TMPDIR"] = str(scratch)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "playground", "--no-browser", "--port", "0"],
        cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    try:
        url = _printed_url(process)
        with urllib.request.urlopen(url, timeout=HEALTHY_WITHIN) as response:
            page = response.read().decode()
        assert response.status == 200 and 'id="who"' in page
        (kept,) = scratch.iterdir()
        assert kept.name.startswith("handoff-playground-")
        with urllib.request.urlopen(url + "api/state?as=UOLIVIA&conversation=dm", timeout=30) as response:
            state = json.loads(response.read())
        assert state["people"][0]["name"] == "Olivia"

        process.send_signal(stop)
        assert process.wait(timeout=30) == 0
        assert "Stopping the playground." in (process.stdout.read() if process.stdout else "")
        assert list(scratch.iterdir()) == []  # its workspace files are gone with it
    finally:
        stop_group(process)  # type: ignore[arg-type]


def test_a_taken_port_stops_the_start_with_what_to_do_and_leaves_no_files(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finished = subprocess.run(
            [sys.executable, "-m", "bot", "playground", "--no-browser", "--port", str(port)],
            cwd=tmp_path, env={**env, "TMPDIR": str(scratch), "PYTHONPATH": str(ROOT)}, capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip

    assert finished.returncode == 2, finished.stderr
    assert f"Cannot start: port {port} is taken: try --port 0 or another port" in finished.stderr
    assert "Traceback" not in finished.stderr
    assert list(scratch.iterdir()) == []


def _printed_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("Handoff playground: "):
            return line.split()[2]
    raise AssertionError(
        f"the playground printed no address; stderr: {process.stderr.read() if process.stderr else ''}"
    )


def test_the_composer_offers_the_commands_as_the_manifest_declares_them() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    declared = [
        (c["command"], c["description"], c["usage_hint"]) for c in manifest["features"]["slash_commands"]
    ]
    assert [(c.command, c.description, c.usage_hint) for c in COMMANDS] == declared


def test_the_readmes_first_command_is_the_playground_and_the_slack_start_follows() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = [block.split("```")[0].strip() for block in readme.split("```sh\n")[1:]]
    assert commands[0].startswith("python3 -m venv .venv") and "-m bot playground" in commands[0]
    assert ".env" not in commands[0]  # it needs no tokens
    assert "-m bot web" in commands[1]
