"""Message and modal builders: valid Block Kit by slack_sdk's own models, even at the limits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.core.clarity import ClarityCode, ClarityFlag
from bot.core.tasks import Event, EventKind, Status, Task
from bot.slack import messages, modals
from bot.slack.ids import View as ViewId

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
LONG = Task(
    team_id="T1",
    number=123456,
    owner_id="UOWNER",
    assignee_id="UALICE",
    title="T" * 150,
    done_when="D & <x> " * 125,  # 1000 characters, growing when escaped
    due_at=NOW + timedelta(days=3),
    status=Status.IN_PROGRESS,
    created_at=NOW,
    open_question="Q" * 3000,
    progress_percent=40,
    rework_count=2,
    id=1,
)


def assert_valid_message(body: dict[str, Any]) -> None:
    assert body["text"]
    assert len(body["blocks"]) <= 50
    for block in Block.parse_all(body["blocks"]):
        block.validate_json()


def test_assignee_card_in_every_state() -> None:
    for status in Status:
        assert_valid_message(messages.assignee_card(replace(LONG, status=status)))


@pytest.mark.parametrize("kind", sorted(messages.NOTICE_KINDS))
def test_notices_for_every_event(kind: EventKind) -> None:
    event = Event(kind, "UOWNER", NOW, "R" * 3000)
    for for_owner in (True, False):
        assert_valid_message(messages.notice(LONG, event, for_owner=for_owner))


def test_task_detail_keeps_the_newest_history() -> None:
    events = [
        Event(EventKind.REPORTED, "UALICE", NOW + timedelta(minutes=i), f"step {i} " + "x" * 200)
        for i in range(60)
    ]
    body = messages.task_detail(LONG, events, linked=[replace(LONG, number=n) for n in range(20)])
    assert_valid_message(body)
    history = body["blocks"][-1]["text"]["text"]
    assert "step 59" in history and "step 0 " not in history and "earlier entries not shown" in history


def test_long_lists_fit() -> None:
    tasks = [replace(LONG, number=n) for n in range(80)]
    assert_valid_message(messages.task_list(tasks, tasks))


def test_receipt_with_flags_has_the_definition_button() -> None:
    flags = [ClarityFlag(ClarityCode.VAGUE_OUTCOME, "vague"), ClarityFlag(ClarityCode.MISSING_DUE, "no due")]
    body = messages.delegation_receipt([LONG], flags)
    assert_valid_message(body)
    assert body["blocks"][1]["accessory"]["text"]["text"] == "Add definition of done"


def test_receipt_for_several_people_offers_a_fix_on_each_task() -> None:
    flags = [ClarityFlag(ClarityCode.VAGUE_OUTCOME, "vague")]
    tasks = [replace(LONG, number=n, assignee_id=f"U{n}") for n in (7, 8, 9)]
    body = messages.delegation_receipt(tasks, flags)
    assert_valid_message(body)
    buttons = body["blocks"][2]["elements"]
    assert [(b["text"]["text"], b["value"]) for b in buttons] == [
        ("Define done: T-7", "7"),
        ("Define done: T-8", "8"),
        ("Define done: T-9", "9"),
    ]


def test_modals_are_valid() -> None:
    views = [
        modals.delegate_modal(),
        modals.text_modal(
            ViewId.QUESTION, LONG, title="Ask a question about it all", label="Q", submit="Send"
        ),
        modals.progress_modal(LONG),
        modals.report_picker_modal([replace(LONG, number=n) for n in range(150)]),
        modals.reassign_modal(LONG),
        modals.edit_modal(LONG),
    ]
    for view in views:
        View(**view).validate_json()
        assert len(view["title"]["text"]) <= 24


def test_error_replies_escape_what_the_person_typed_once() -> None:
    body = messages.error_reply("“<!here> R&D” is not a date I understand. Only <@UALICE> can do that.")
    text = body["blocks"][0]["text"]["text"]
    assert "“&lt;!here&gt; R&amp;D”" in text and "<@UALICE>" in text
    assert "<!here>" not in body["text"] and "&amp;amp;" not in text


def test_help_placeholders_are_not_read_as_links() -> None:
    body = messages.help_reply("`/delegate @person <title> | done when: <outcome>`")
    assert "&lt;title&gt;" in body["blocks"][0]["text"]["text"]


def test_a_flag_reaches_the_owner_as_the_status_with_the_reason_quoted() -> None:
    event = Event(EventKind.FLAGGED, "UALICE", NOW, "blocked: No <access> to the data")
    body = messages.notice(LONG, event, for_owner=True)
    first, quoted = body["blocks"][0]["text"]["text"], body["blocks"][1]["text"]["text"]
    assert "<@UALICE> says this is *blocked*" in first
    assert quoted == "> No &lt;access&gt; to the data"
    assert_valid_message(body)


def test_a_flag_reads_as_what_was_said_in_the_history() -> None:
    line = messages.history_line(Event(EventKind.FLAGGED, "UALICE", NOW, "at risk: data late"))
    assert line.endswith("<@UALICE> said it is at risk: data late")
    assert messages.history_line(Event(EventKind.FLAGGED, "UALICE", NOW, "on track")).endswith(
        "said it is on track"
    )
