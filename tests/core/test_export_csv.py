"""The export CSV from hand-made histories, read back with csv.reader as a spreadsheet would."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bot.core import tasks as core
from bot.core.export_csv import HEADER, export_csv, file_name
from bot.core.tasks import Event, Task
from tests.core.server_clock import server_timezone

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OWNER, ALICE, BOB = "UOWNER", "UALICE", "UBOB"


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def delegated(
    number: int, title: str = "Ship the report", done_when: str | None = "PDF sent"
) -> tuple[Task, list[Event]]:
    made = core.new_task(
        team_id="T1",
        number=number,
        owner_id=OWNER,
        assignee_id=ALICE,
        title=title,
        done_when=done_when,
        due_at=hours(48),
        now=T0,
    )
    assert made.event is not None
    return made.after, [made.event]


def rows_of(content: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content)))


def test_header_then_one_row_per_event_with_the_task_repeated() -> None:
    task, events = delegated(12)
    accepted = core.accept(task, actor=ALICE, now=hours(2))
    delivered = core.deliver(accepted.after, actor=ALICE, note="in the folder", now=hours(30))
    approved = core.approve(delivered.after, actor=OWNER, now=hours(31))
    history = [*events, *(t.event for t in (accepted, delivered, approved) if t.event)]

    made = export_csv([(approved.after, history)])

    header, *rows = rows_of(made.content)
    assert tuple(header) == HEADER
    assert (made.tasks, made.rows) == (1, 4)
    task_part = [
        "T-12", "Ship the report", OWNER, ALICE, "approved", "2026-11-04T09:00:00Z", "2026-11-02T09:00:00Z",
        "2026-11-02T11:00:00Z", "2026-11-03T15:00:00Z", "2026-11-03T16:00:00Z", "0", "PDF sent",
    ]  # fmt: skip
    assert rows == [
        [*task_part, "2026-11-02T09:00:00Z", "created", OWNER, "Ship the report", "", ""],
        [*task_part, "2026-11-02T11:00:00Z", "accepted", ALICE, "", "", ""],
        [*task_part, "2026-11-03T15:00:00Z", "delivered", ALICE, "in the folder", "", ""],
        [*task_part, "2026-11-03T16:00:00Z", "approved", OWNER, "", "", ""],
    ]


def test_a_task_without_events_gets_one_row_with_empty_event_columns() -> None:
    task, _ = delegated(3, done_when=None)

    made = export_csv([(task, [])])

    [row] = rows_of(made.content)[1:]
    assert row[0] == "T-3" and row[11] == "" and row[12:] == [""] * 6
    assert (made.tasks, made.rows) == (1, 1)


def test_tasks_in_number_order_and_events_oldest_first() -> None:
    task2, events2 = delegated(2)
    task1, events1 = delegated(1)
    later = core.reassign(task1, actor=OWNER, new_assignee=BOB, now=hours(5)).event
    earlier = core.accept(task1, actor=ALICE, now=hours(1)).event
    assert later is not None and earlier is not None

    rows = rows_of(export_csv([(task2, events2), (task1, [*events1, later, earlier])]).content)[1:]

    assert [(r[0], r[13]) for r in rows] == [
        ("T-1", "created"), ("T-1", "accepted"), ("T-1", "reassigned"), ("T-2", "created")
    ]  # fmt: skip
    assert rows[2][16:] == [ALICE, BOB]  # from, to


def test_times_are_utc_with_z_whatever_zone_they_come_in() -> None:
    task, events = delegated(1)
    berlin = timezone(timedelta(hours=1))
    moved = Task(**{**task.__dict__, "due_at": datetime(2026, 12, 24, 17, 0, tzinfo=berlin)})

    [row] = rows_of(export_csv([(moved, events)]).content)[1:]

    assert row[5] == "2026-12-24T16:00:00Z" and row[7:10] == ["", "", ""]


def test_times_are_utc_whatever_zone_the_server_runs_in() -> None:
    task, events = delegated(1)

    with server_timezone("America/New_York"):
        [row] = rows_of(export_csv([(task, events)]).content)[1:]

    assert row[5:7] == ["2026-11-04T09:00:00Z", "2026-11-02T09:00:00Z"] and row[12] == "2026-11-02T09:00:00Z"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_a_spreadsheet_would_run_as_formulas_get_an_apostrophe(start: str) -> None:
    title = f'{start}HYPERLINK("http://evil","x")'
    task, events = delegated(1, title=title, done_when=f"{start}1+1")

    [row] = rows_of(export_csv([(task, events)]).content)[1:]

    assert row[1] == "'" + title and row[11] == f"'{start}1+1" and row[15] == "'" + title


def test_text_that_merely_contains_those_signs_is_left_alone() -> None:
    task, events = delegated(1, title="Q3 = revenue + costs - 5 @ Bob")

    [row] = rows_of(export_csv([(task, events)]).content)[1:]

    assert row[1] == "Q3 = revenue + costs - 5 @ Bob"


def test_commas_quotes_and_newlines_in_titles_round_trip() -> None:
    title = 'Draft "Q3, final"\nsecond line, with a comma'
    task, events = delegated(1, title=title, done_when='sent, "signed"\r\nfiled')

    [row] = rows_of(export_csv([(task, events)]).content)[1:]

    assert row[1] == title and row[11] == 'sent, "signed"\r\nfiled' and row[15] == title


def test_nothing_to_export_is_a_header_alone() -> None:
    made = export_csv([])

    assert rows_of(made.content) == [list(HEADER)] and (made.tasks, made.rows) == (0, 0)


def test_the_file_name_says_team_day_and_window() -> None:
    assert file_name("T0TEAM", on=date(2026, 12, 1), days=30) == "handoff-export-T0TEAM-2026-12-01-30d.csv"
