"""The Procfile's lines, run as a hosting platform runs them.

Each line's command is run exactly as written, by ``bash -c`` in the project's root: shell
semantics (variables, PATH lookup), and bash replaces itself with a single command, so the
process started is gunicorn or ``python -m bot`` itself and a SIGTERM reaches it, as on a
platform that stops a process. The root is where ``gunicorn bot.wsgi:app`` finds
``gunicorn.conf.py``. This interpreter's ``bin`` folder comes first on PATH, so ``gunicorn``
and ``python`` are the ones the tests run with.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.scenarios.processes import ROOT

PROCFILE = ROOT / "Procfile"


def procfile_lines(path: Path = PROCFILE) -> dict[str, str]:
    """``{"web": "gunicorn bot.wsgi:app", …}``: each process type and its command."""
    lines: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        name, colon, command = raw.partition(":")
        assert colon and command.strip(), f"not a Procfile line: {raw!r}"
        lines[name.strip()] = command.strip()
    return lines


def _shell(name: str) -> list[str]:
    return ["bash", "-c", procfile_lines()[name]]


def _env(env: Mapping[str, str]) -> dict[str, str]:
    path = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", os.defpath)])
    return {**env, "PATH": path}


def run_line(name: str, env: Mapping[str, str], *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a line to its end (``release``), as the platform does before the new processes start."""
    return subprocess.run(
        _shell(name), env=_env(env), cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def start_line(name: str, env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a long-running line (``web``, ``clock``) writing to ``log``.

    In a session of its own, so ``processes.stop_group`` can clear away what is left of it
    (gunicorn's workers) whatever happened in the test.
    """
    with log.open("wb") as out:
        return subprocess.Popen(
            _shell(name),
            env=_env(env),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def release(env: Mapping[str, str]) -> None:
    """The ``release`` line, which must bring the database up to date before anything serves."""
    migrated = run_line("release", env)
    assert migrated.returncode == 0, migrated.stderr
    assert "Database is up to date." in migrated.stdout
