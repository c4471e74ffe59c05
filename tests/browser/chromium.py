"""Debian's Chromium, driven by Playwright: where it is, how it is started, and why it can't be.

Playwright's own browser downloads are never used: the browser is the distribution's
``chromium`` package, so the machine needs nothing but its package manager. CI installs it
and sets ``REQUIRE_BROWSER=1`` (``.ci/run``), so there a missing browser fails the run;
elsewhere the browser tests skip with the reason and the command that fixes it.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")

# Headless, and nothing that reaches out to the network or waits on a profile.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def browser_problem(chromium: Path = CHROMIUM) -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not chromium.exists():
        return f"no Chromium at {chromium}: apt-get install chromium"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing: pip install -e '.[dev]'"
    return None


def browser_required(environ: Mapping[str, str] = os.environ) -> bool:
    """CI says so: a browser it could not get is then a failure, never a skip."""
    return environ.get("REQUIRE_BROWSER") == "1"
