"""Which buttons a message offers, state by state: what the lifecycle allows, nothing more.

Written out by hand, so a state added to or dropped from a row of the lifecycle table
shows up here as a button gained or lost.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core.clarity import ClarityCode, ClarityFlag
from bot.core.tasks import Event, EventKind, Status, Task
from bot.slack import messages

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
TASK = Task(
    team_id="T1",
    number=7,
    owner_id="UOWNER",
    assignee_id="UALICE",
    title="Ship it",
    done_when=None,
    due_at=None,
    status=Status.AWAITING_ACCEPTANCE,
    created_at=NOW,
    id=1,
)


def buttons(body: dict[str, Any]) -> list[str]:
    found = []
    for block in body["blocks"]:
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory")]
        found += [e["action_id"] for e in elements if isinstance(e, dict) and e.get("type") == "button"]
    return found


CARD_BUTTONS = {
    Status.AWAITING_ACCEPTANCE: ["task_accept:7", "task_ask:7", "task_decline:7"],
    Status.IN_PROGRESS: ["task_report:7", "task_deliver:7", "task_ask:7"],
    Status.DELIVERED: [],
    Status.DECLINED: [],
    Status.APPROVED: [],
    Status.CANCELLED: [],
    Status.TAKEN_BACK: [],
}


@pytest.mark.parametrize("status", list(Status))
def test_the_assignee_card_offers_the_assignees_steps(status: Status) -> None:
    assert buttons(messages.assignee_card(replace(TASK, status=status))) == CARD_BUTTONS[status]


# (event, state the task is in when the notice is rendered) -> the owner's buttons
OWNER_BUTTONS = [
    (EventKind.DELIVERED, Status.DELIVERED, ["task_approve:7", "task_request_changes:7"]),
    (EventKind.DELIVERED, Status.APPROVED, []),
    (EventKind.DELIVERED, Status.IN_PROGRESS, []),
    (EventKind.DECLINED, Status.DECLINED, ["task_reassign:7", "task_take_back:7"]),
    (EventKind.DECLINED, Status.AWAITING_ACCEPTANCE, []),
    (EventKind.DECLINED, Status.TAKEN_BACK, []),
    (EventKind.ASKED, Status.IN_PROGRESS, ["task_reply:7"]),
    (EventKind.ASKED, Status.DELIVERED, ["task_reply:7"]),
    (EventKind.ACCEPTED, Status.IN_PROGRESS, []),
    (EventKind.REPORTED, Status.IN_PROGRESS, []),
]


@pytest.mark.parametrize(("kind", "status", "expected"), OWNER_BUTTONS)
def test_the_owner_gets_buttons_while_the_decision_waits(
    kind: EventKind, status: Status, expected: list[str]
) -> None:
    task = replace(TASK, status=status, open_question="Which format?")
    notice = messages.notice(task, Event(kind, "UALICE", NOW, "x"), for_owner=True)
    assert buttons(notice) == expected


def test_a_closed_question_has_no_reply_button() -> None:
    task = replace(TASK, status=Status.IN_PROGRESS, open_question=None)
    notice = messages.notice(task, Event(EventKind.ASKED, "UALICE", NOW, "Which?"), for_owner=True)
    assert buttons(notice) == []


def test_a_decline_by_someone_no_longer_assigned_has_no_buttons() -> None:
    task = replace(TASK, status=Status.DECLINED, assignee_id="UBOB")
    notice = messages.notice(task, Event(EventKind.DECLINED, "UALICE", NOW, "busy"), for_owner=True)
    assert buttons(notice) == []


@pytest.mark.parametrize(
    ("kind", "status", "expected"),
    [
        (EventKind.ANSWERED, Status.IN_PROGRESS, CARD_BUTTONS[Status.IN_PROGRESS]),
        (EventKind.ANSWERED, Status.AWAITING_ACCEPTANCE, CARD_BUTTONS[Status.AWAITING_ACCEPTANCE]),
        (EventKind.CHANGES_REQUESTED, Status.IN_PROGRESS, CARD_BUTTONS[Status.IN_PROGRESS]),
        (EventKind.EDITED, Status.DELIVERED, []),
        (EventKind.APPROVED, Status.APPROVED, []),
        (EventKind.CANCELLED, Status.CANCELLED, []),
    ],
)
def test_the_assignee_gets_their_next_steps_under_the_news(
    kind: EventKind, status: Status, expected: list[str]
) -> None:
    notice = messages.notice(replace(TASK, status=status), Event(kind, "UOWNER", NOW, "x"), for_owner=False)
    assert buttons(notice) == expected


def test_each_task_of_a_receipt_has_its_own_definition_button() -> None:
    tasks = [replace(TASK, number=n) for n in (3, 4, 5)]
    flags = [ClarityFlag(ClarityCode.MISSING_OUTCOME, "No definition of done yet.")]
    receipt = messages.delegation_receipt(tasks, flags)
    assert buttons(receipt) == ["task_add_definition:3", "task_add_definition:4", "task_add_definition:5"]
    assert buttons(messages.delegation_receipt(tasks[:1], flags)) == ["task_add_definition:3"]
