"""Nudges as their readers see them: the task, what is wanted, the buttons that do it, a Snooze menu.

The expected buttons are written out by hand per kind and reader, so a kind that loses or
gains a button, or a button that leaks to the wrong side, shows up here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.core.nudges import NudgeKind
from bot.core.tasks import Health, Status, Task
from bot.playground.slack.block_kit_limits import message_block_problems
from bot.slack.nudge_messages import how_late, nudge_message

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
OWNER, ALICE = "UOWNER", "UALICE"
TASK = Task(
    team_id="T1",
    number=7,
    owner_id=OWNER,
    assignee_id=ALICE,
    title="Ship the <!channel> report",
    done_when="PDF sent to the board",
    due_at=NOW + timedelta(days=2),
    status=Status.IN_PROGRESS,
    created_at=NOW - timedelta(days=1),
    id=1,
)
STATUS = ["task_on_track:7", "task_at_risk:7", "task_blocked:7"]
RAISE = ["task_at_risk:7", "task_blocked:7"]

# kind -> (the state it is sent in, the reader, the buttons they get)
EXPECTED: list[tuple[NudgeKind, Status, str, list[str]]] = [
    (
        NudgeKind.ACK_REMINDER,
        Status.AWAITING_ACCEPTANCE,
        ALICE,
        ["task_accept:7", "task_ask:7", "task_decline:7", *RAISE],
    ),
    (NudgeKind.ACK_ESCALATION, Status.AWAITING_ACCEPTANCE, OWNER, ["task_reassign:7", "task_take_back:7"]),
    (NudgeKind.UNCLEAR, Status.AWAITING_ACCEPTANCE, OWNER, ["task_add_definition:7"]),
    (NudgeKind.QUESTION, Status.IN_PROGRESS, OWNER, ["task_reply:7"]),
    (NudgeKind.DUE_SOON, Status.IN_PROGRESS, ALICE, STATUS),
    (NudgeKind.OVERDUE, Status.IN_PROGRESS, ALICE, ["task_deliver:7", *STATUS]),
    (NudgeKind.OVERDUE, Status.IN_PROGRESS, OWNER, ["task_reassign:7", "task_take_back:7"]),
    # Not accepted yet: Accept rather than Deliver, and no On track for a task not taken on.
    (NudgeKind.OVERDUE, Status.AWAITING_ACCEPTANCE, ALICE, ["task_accept:7", *RAISE]),
    (NudgeKind.OVERDUE, Status.DECLINED, OWNER, ["task_reassign:7", "task_take_back:7"]),
    (NudgeKind.REPORT_DUE, Status.IN_PROGRESS, ALICE, ["task_report:7", *STATUS]),
    (NudgeKind.REVIEW, Status.DELIVERED, OWNER, ["task_approve:7", "task_request_changes:7"]),
]


def elements(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for block in body["blocks"] if block["type"] == "actions" for e in block["elements"]]


def buttons(body: dict[str, Any]) -> list[str]:
    return [e["action_id"] for e in elements(body) if e["type"] == "button"]


def snooze_values(body: dict[str, Any]) -> list[str]:
    menus = [e for e in elements(body) if e["type"] == "static_select"]
    assert len(menus) == 1 and menus[0]["action_id"] == "task_snooze:7"
    return [option["value"] for option in menus[0]["options"]]


def text_of(body: dict[str, Any]) -> str:
    return "\n".join(
        str(block.get("text", {}).get("text", ""))
        + " ".join(e.get("text", "") for e in block.get("elements", []) if block["type"] == "context")
        for block in body["blocks"]
    )


@pytest.mark.parametrize(("kind", "status", "reader", "expected"), EXPECTED)
def test_each_kind_offers_its_reader_the_buttons_that_do_what_it_asks(
    kind: NudgeKind, status: Status, reader: str, expected: list[str]
) -> None:
    body = nudge_message(replace(TASK, status=status), kind, recipient_id=reader, late_by=None, now=NOW)
    assert buttons(body) == expected
    assert snooze_values(body) == ["7:1h", "7:4h", "7:tomorrow"]
    assert message_block_problems(body["blocks"]) == []
    assert "T-7" in body["text"] and "T-7" in text_of(body)
    # The title is the owner's words: inert, no @channel.
    assert "<!channel>" not in text_of(body) and "&lt;!channel&gt;" in text_of(body)


def test_every_kind_is_covered_above() -> None:
    assert {kind for kind, *_ in EXPECTED} == set(NudgeKind)


def test_an_overdue_nudge_says_how_late_and_offers_only_short_snoozes() -> None:
    late = replace(TASK, due_at=NOW - timedelta(days=2, hours=3))
    body = nudge_message(
        late, NudgeKind.OVERDUE, recipient_id=OWNER, late_by=timedelta(days=2, hours=3), now=NOW
    )
    assert "2 days 3 hours late" in text_of(body)
    assert snooze_values(body) == ["7:1h", "7:4h"]


def test_how_late_without_a_figure_is_counted_from_the_due_date() -> None:
    late = replace(TASK, due_at=NOW - timedelta(hours=5))
    body = nudge_message(late, NudgeKind.OVERDUE, recipient_id=ALICE, late_by=None, now=NOW)
    assert "5 hours late" in text_of(body)


@pytest.mark.parametrize(
    ("late", "words"),
    [
        (timedelta(minutes=40), "40 minutes"),
        (timedelta(hours=1, minutes=1), "1 hour 1 minute"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=3, hours=2, minutes=59), "3 days 2 hours"),
        (timedelta(seconds=20), "less than a minute"),
    ],
)
def test_how_late_reads_as_a_person_would_say_it(late: timedelta, words: str) -> None:
    assert how_late(late) == words


@pytest.mark.parametrize(
    ("status", "asks", "not_asked"),
    [
        (Status.IN_PROGRESS, "Deliver it, or tell <@UOWNER> how it stands", "Accept it"),
        (Status.AWAITING_ACCEPTANCE, "Accept it, or tell <@UOWNER> how it stands", "Deliver it"),
    ],
)
def test_an_overdue_nudge_asks_the_assignee_for_what_its_button_does(
    status: Status, asks: str, not_asked: str
) -> None:
    late = replace(TASK, status=status, due_at=NOW - timedelta(hours=5))
    body = nudge_message(late, NudgeKind.OVERDUE, recipient_id=ALICE, late_by=None, now=NOW)
    assert asks in text_of(body)
    assert not_asked not in text_of(body)


def test_an_overdue_declined_task_tells_the_owner_it_was_declined() -> None:
    declined = replace(TASK, status=Status.DECLINED, due_at=NOW - timedelta(days=1))
    body = nudge_message(declined, NudgeKind.OVERDUE, recipient_id=OWNER, late_by=None, now=NOW)
    text = text_of(body)
    assert "<@UALICE> declined this task" in text and "1 day late" in text
    assert "Reassign it, or do it yourself" in text
    assert "won't come" not in text and "'s task" not in text
    labels = [e["text"]["text"] for e in elements(body) if e["type"] == "button"]
    assert labels == ["Reassign", "Do it myself"]


def test_an_overdue_task_in_progress_still_asks_the_owner_whether_it_will_come() -> None:
    late = replace(TASK, due_at=NOW - timedelta(days=1))
    body = nudge_message(late, NudgeKind.OVERDUE, recipient_id=OWNER, late_by=None, now=NOW)
    assert "<@UALICE>'s task was due" in text_of(body) and "won't come" in text_of(body)


def test_the_question_nudge_quotes_the_question() -> None:
    asked = replace(TASK, open_question="Which <format>?")
    body = nudge_message(asked, NudgeKind.QUESTION, recipient_id=OWNER, late_by=None, now=NOW)
    assert "> Which &lt;format&gt;?" in text_of(body)


def test_the_unclear_nudge_says_what_is_missing() -> None:
    vague = replace(TASK, done_when=None, due_at=None, status=Status.AWAITING_ACCEPTANCE)
    body = nudge_message(vague, NudgeKind.UNCLEAR, recipient_id=OWNER, late_by=None, now=NOW)
    assert "definition of done" in text_of(body).lower()
    assert "Clarify" in [e["text"]["text"] for e in elements(body) if e["type"] == "button"]


def test_the_reader_sees_a_problem_already_raised() -> None:
    blocked = replace(TASK, health=Health.BLOCKED, health_reason="No access to the data")
    body = nudge_message(blocked, NudgeKind.OVERDUE, recipient_id=OWNER, late_by=timedelta(hours=1), now=NOW)
    assert "blocked: No access to the data" in text_of(body)


def test_no_status_buttons_once_the_assignee_has_delivered() -> None:
    delivered = replace(TASK, status=Status.DELIVERED)
    body = nudge_message(
        delivered, NudgeKind.OVERDUE, recipient_id=ALICE, late_by=timedelta(hours=1), now=NOW
    )
    assert buttons(body) == []
    snooze_values(body)  # the menu stays: the reader can still quiet it


@pytest.mark.parametrize("kind", list(NudgeKind))
@pytest.mark.parametrize("reader", [OWNER, ALICE])
def test_no_two_elements_share_an_action_id_and_long_titles_fit(kind: NudgeKind, reader: str) -> None:
    long = replace(TASK, title="x" * 5000, open_question="q" * 5000, done_when="d" * 5000)
    body = nudge_message(long, kind, recipient_id=reader, late_by=timedelta(days=400), now=NOW)
    ids = [e["action_id"] for e in elements(body)]
    assert len(ids) == len(set(ids))
    assert message_block_problems(body["blocks"]) == []
    for block in Block.parse_all(body["blocks"]):
        block.validate_json()
    assert len(body["text"]) <= 3000


def test_the_readme_names_the_buttons_as_the_nudges_label_them() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = readme.split("## Nudges", 1)[1].split("\n\n")[2]  # the table after the opening paragraph
    assert table.startswith("| when |")
    named = set(re.findall(r"\*\*(.+?)\*\*", table))
    shown = {
        e["text"]["text"]
        for kind in NudgeKind
        for status in Status
        for reader in (OWNER, ALICE)
        for e in elements(
            nudge_message(replace(TASK, status=status), kind, recipient_id=reader, late_by=None, now=NOW)
        )
        if e["type"] == "button"
    }
    assert named and named <= shown, f"not a button of any nudge: {named - shown}"
