"""The DMs that nudges send: one builder per kind, rendered from the task as it is at send time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core.nudges import NudgeKind
from bot.core.tasks import Task
from bot.slack.blocks import escape, message, section

Message = dict[str, Any]


def nudge_message(
    task: Task, kind: NudgeKind, *, recipient_id: str, late_by: timedelta | None, now: datetime
) -> Message:
    """The nudge ``kind`` about ``task`` for ``recipient_id``: what is wanted, with its buttons."""
    line = f"{task.ref}: {escape(task.title)} ({kind.value.replace('_', ' ')})"
    return message(line, [section(line)])
