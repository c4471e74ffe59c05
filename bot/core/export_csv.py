"""Tasks and their histories as CSV, for spreadsheets and audits.

One row per history event, with the task's own columns repeated on each, so a spreadsheet
can filter and pivot without lookups; a task without events still gets one row. Tasks come
in number order, events oldest first. Times are ISO 8601 in UTC with a ``Z``.

Titles, reasons and notes are typed by people, and a spreadsheet runs a cell that starts
with ``=``, ``+``, ``-`` or ``@`` as a formula (tab and carriage return can hide one): such a
cell gets a leading apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.core.tasks import Event, Task

HEADER = (
    "task",
    "title",
    "owner",
    "assignee",
    "status",
    "due",
    "created",
    "accepted",
    "delivered",
    "closed",
    "rework count",
    "done when",
    "event at",
    "event kind",
    "actor",
    "text",
    "from",
    "to",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

History = tuple[Task, Sequence[Event]]


@dataclass(frozen=True)
class Export:
    """The CSV text, and what it holds (for the message that comes with the file)."""

    content: str
    tasks: int
    rows: int  # history rows, the header not counted


def export_csv(histories: Sequence[History]) -> Export:
    """The CSV of these histories: a header, then one row per event (see the module doc)."""
    in_order = sorted(histories, key=lambda history: history[0].number)
    rows = [row for task, events in in_order for row in _rows(task, events)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows([_safe(cell) for cell in row] for row in rows)
    return Export(content=buffer.getvalue(), tasks=len(histories), rows=len(rows))


def file_name(team_id: str, *, on: date, days: int) -> str:
    return f"handoff-export-{team_id}-{on.isoformat()}-{days}d.csv"


def _rows(task: Task, events: Sequence[Event]) -> list[list[str]]:
    columns = _task_columns(task)
    if not events:
        return [columns + [""] * 6]
    # sorted() is stable: events at the same instant keep the order they were recorded in.
    return [columns + _event_columns(event) for event in sorted(events, key=lambda e: e.at)]


def _task_columns(task: Task) -> list[str]:
    return [
        task.ref,
        task.title,
        task.owner_id,
        task.assignee_id,
        task.status.value,
        _time(task.due_at),
        _time(task.created_at),
        _time(task.accepted_at),
        _time(task.delivered_at),
        _time(task.closed_at),
        str(task.rework_count),
        task.done_when or "",
    ]


def _event_columns(event: Event) -> list[str]:
    return [
        _time(event.at),
        event.kind.value,
        event.actor_id,
        event.text or "",
        event.from_id or "",
        event.to_id or "",
    ]


def _time(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
