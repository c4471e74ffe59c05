"""Messages about recurring series: pure functions, like ``bot.slack.messages``."""

from __future__ import annotations

from typing import Any

from bot.core.recurrence import from_stored
from bot.core.tasks import Task
from bot.outbox.intents import SeriesNews
from bot.slack.blocks import context, escape, mention, message, section, truncate

Message = dict[str, Any]


def repeats_words(task: Task) -> str | None:
    """ "every week" for an occurrence of a running series, None for a one-off task."""
    return _described(task.repeats)


def _described(every: str | None) -> str | None:
    return from_stored(every, timezone="UTC").describe() if every else None


def _heading(task: Task) -> str:
    return f"*{task.ref} · {escape(truncate(task.title, 120))}*"


def series_notice(task: Task, news: SeriesNews, *, assignee_id: str, every: str) -> Message:
    """The other side's news about a series; ``task`` is its latest occurrence.

    ``assignee_id`` is whom the series is handed to, who may no longer hold ``task``;
    ``every`` how it repeated, as the series stores it.
    """
    every = _described(every) or "regularly"
    if news is SeriesNews.ASSIGNEE_LEFT:
        line = (
            f"{mention(assignee_id)} has left the workspace, so this task no longer repeats {every}: "
            "I stopped the series and will create no more occurrences."
        )
        hint = "To keep it going, hand it to someone else: `/delegate @person … | due: … | every: …`."
        summary = f"{task.ref} no longer repeats: its assignee left"
    else:
        line = (
            f"{mention(task.owner_id)} stopped this series: it no longer repeats {every}, "
            "and no new occurrences will come to you."
        )
        hint = f"{task.ref} itself still stands; see it with `/tasks {task.ref}`."
        summary = f"{task.ref} no longer repeats"
    return message(summary, [section(f"{_heading(task)}\n{line}"), context(hint)])


def series_stopped_reply(task: Task, latest: Task, every: str, *, assignee_id: str) -> Message:
    """The owner's answer to ``/tasks T-n stop``; ``assignee_id``, the series' assignee, was told."""
    line = (
        f"Stopped: {task.ref} · {escape(truncate(task.title, 120))} no longer repeats {every}. "
        f"No new occurrences will be created, and {mention(assignee_id)} has been told."
    )
    if latest.status.is_open:
        rest = (
            f"{latest.ref}, the latest occurrence, stays open with {mention(latest.assignee_id)}; "
            f"cancel it with `/tasks {latest.ref} cancel` if it isn't needed."
        )
    else:
        rest = "The occurrences made so far stay as they are."
    return message(f"{task.ref} no longer repeats", [section(line), context(rest)])
