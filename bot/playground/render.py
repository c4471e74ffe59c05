"""Block Kit to HTML for the page, through the renderer in ``bot.playground.blocks_html``."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any


def message_html(
    message: Mapping[str, Any], *, people: Mapping[str, str], tz: str, now: datetime
) -> str | None:
    renderer = _renderer()
    return None if renderer is None else str(renderer.render_message(message, people=people, tz=tz, now=now))


def view_html(view: Mapping[str, Any], *, people: Mapping[str, str], tz: str, now: datetime) -> str | None:
    renderer = _renderer()
    return None if renderer is None else str(renderer.render_view(view, people=people, tz=tz, now=now))


def _renderer() -> Any:
    try:
        return importlib.import_module("bot.playground.blocks_html")
    except ModuleNotFoundError:
        return None
