"""Block Kit to HTML for the page, at the viewer's timezone and the simulated time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.playground.blocks_html import render_message, render_view


def message_html(message: Mapping[str, Any], *, people: Mapping[str, str], tz: str, now: datetime) -> str:
    return render_message(message, people=people, tz=tz, now=now)


def view_html(view: Mapping[str, Any], *, people: Mapping[str, str], tz: str, now: datetime) -> str:
    return render_view(view, people=people, tz=tz, now=now)
