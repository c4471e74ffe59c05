"""The daily summary as the channel reads it: sections in order, a line per task, the buttons that help."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from bot.core.summary import DailySummary, build_summary
from bot.core.tasks import Event, Task
from bot.playground.slack.block_kit_limits import message_block_problems
from bot.slack.summary_messages import all_clear_message, summary_message
from tests.core.summary_cases import DONE_SINCE, NOW, Tale, seeded
from tests.slack.summary_blocks import buttons, contexts, headings, lines

History = tuple[Task, Sequence[Event]]


def _summary(histories: list[History] | None = None) -> DailySummary:
    chosen = seeded() if histories is None else histories
    return build_summary(chosen, now=NOW, timezone="UTC", done_since=DONE_SINCE)


def test_sections_come_most_urgent_first_with_their_counts() -> None:
    assert headings(summary_message(_summary())) == [
        "*Overdue* (3)",
        "*Blocked or at risk* (2)",
        "*Declined: reassign or take back* (1)",
        "*Awaiting acceptance* (2)",
        "*Unclear* (2)",
        "*Awaiting review* (2)",
        "*Due today* (2)",
        "*Approved* (2)",
    ]


def test_the_header_names_the_day_and_the_channel() -> None:
    header = summary_message(_summary(), channel_name="ops")["blocks"][0]
    assert header["type"] == "header"
    assert header["text"]["text"] == "Handoff daily summary for #ops · Thursday, 26 November 2026"
    assert summary_message(_summary(), channel_name="#ops")["blocks"][0] == header


def test_lines_follow_their_sections_order() -> None:
    assert list(lines(summary_message(_summary()))) == [
        3,
        4,
        5,
        7,
        6,
        8,
        9,
        10,
        11,
        12,
        13,
        20,
        15,
        14,
        17,
        16,
    ]


LINE_TEXTS = [
    (3, "*T-3* Task 3 · <@UALICE> (from <@UOWNER>) · *2 days late*"),
    (5, "*T-5* Task 5 · <@UALICE> (from <@UOWNER>) · *1 hour late* · blocked: waiting for legal"),
    (7, "*T-7* Task 7 · <@UALICE> (from <@UOWNER>) · blocked: no access · waiting 5 hours"),
    (6, "*T-6* Task 6 · <@UALICE> (from <@UOWNER>) · at risk: supplier is late · waiting 3 hours"),
    (8, "*T-8* Task 8 · <@UALICE> (from <@UOWNER>) · declined: No time this week · waiting 4 hours"),
    (10, "*T-10* Task 10 · <@UBOB> (from <@UOWNER>) · waiting 1 hour"),
    (11, "*T-11* Task 11 · <@UALICE> (from <@UOWNER>) · no definition of done, no due date"),
    (13, "*T-13* Task 13 · <@UALICE> (from <@UOWNER>) · waiting 6 hours"),
]


@pytest.mark.parametrize(("number", "text"), LINE_TEXTS, ids=[f"T-{n}" for n, _ in LINE_TEXTS])
def test_each_line_names_the_task_the_people_and_how_late_or_waiting(number: int, text: str) -> None:
    assert lines(summary_message(_summary()))[number] == text


def test_due_today_and_approved_lines_show_the_time_in_each_readers_zone() -> None:
    shown = lines(summary_message(_summary()))
    assert shown[15].startswith("*T-15* Task 15 · <@UALICE> (from <@UOWNER>) · due <!date^")
    assert shown[17].startswith("*T-17* Task 17 · <@UALICE> (from <@UOWNER>) · approved <!date^")


def test_a_summary_without_its_moment_says_since_when_instead_of_how_long() -> None:
    summary = replace(_summary(), at=None)
    shown = lines(summary_message(summary))
    assert shown[3].startswith("*T-3* Task 3 · <@UALICE> (from <@UOWNER>) · was due <!date^")
    assert "waiting since <!date^" in shown[9]


VIEW, NUDGE, WHY = "task_view", "task_nudge_now", "task_why"
BUTTONS = {
    3: [VIEW, NUDGE, WHY],  # overdue: chase, and ask why
    5: [VIEW, NUDGE, WHY],
    7: [VIEW, NUDGE],  # at risk: the assignee holds the ball
    8: [VIEW],  # declined: the owner's turn, nobody to nudge
    9: [VIEW, NUDGE],  # awaiting acceptance
    11: [VIEW],  # unclear: the owner's to fix
    13: [VIEW, WHY],  # awaiting review, after a round of changes
    20: [VIEW],  # awaiting review, first delivery
    15: [VIEW, NUDGE],  # due today
    17: [VIEW],  # approved
}


@pytest.mark.parametrize(("number", "expected"), BUTTONS.items(), ids=[f"T-{n}" for n in BUTTONS])
def test_buttons_where_they_help(number: int, expected: list[str]) -> None:
    assert buttons(summary_message(_summary()))[number] == [f"{action}:{number}" for action in expected]


def test_why_is_offered_on_a_late_delivery_and_a_late_approval_too() -> None:
    late_delivery = Tale(21, at=-50, due=-10).accept(-49).deliver(-5).history
    late_approval = Tale(22, at=-50, due=-10).accept(-49).deliver(-5).approve(-2).history
    shown = buttons(summary_message(_summary([late_delivery, late_approval])))
    assert shown == {21: [f"{VIEW}:21", f"{WHY}:21"], 22: [f"{VIEW}:22", f"{WHY}:22"]}


def test_every_button_carries_its_task_number() -> None:
    pairs = _pairs(summary_message(_summary())["blocks"])
    assert len(pairs) == 29  # 16 View, 9 Nudge now (overdue, at risk, awaiting, due today), 4 Why?
    assert all(value == action_id.rsplit(":", 1)[1] for value, action_id in pairs)


def _pairs(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    elements = [b["accessory"] for b in blocks if "accessory" in b]
    elements += [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return [(e["value"], e["action_id"]) for e in elements]


def test_the_team_numbers_end_the_message() -> None:
    message = summary_message(_summary())
    # Open: 18 tasks (T-3 to T-20) but the 3 approved. Delivered with a due date: T-13, T-16,
    # T-17, T-18, T-20, all before it. Accepted: 12 offers in 1 hour, T-4's in 10: the median is 1 hour.
    assert contexts(message)[-1] == "Open: 15 · On time: 100 % (5 of 5) · Median time to accept: 1 hour"
    assert message["blocks"][-1]["type"] == "context"


def test_unknown_numbers_are_a_dash() -> None:
    quiet = _summary([Tale(1, at=-2, due=None).history])
    assert contexts(summary_message(quiet))[-1] == "Open: 1 · On time: — · Median time to accept: —"


def test_the_scope_is_shown_under_the_header() -> None:
    message = summary_message(_summary(), scope="tasks owned by <@UOWNER>")
    assert message["blocks"][1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "tasks owned by <@UOWNER>"}],
    }
    assert "tasks owned by" not in str(summary_message(_summary())["blocks"])


def test_the_notification_text_names_the_counts() -> None:
    assert summary_message(_summary())["text"] == (
        "Handoff daily summary · Thursday, 26 November 2026: 3 overdue, 2 blocked or at risk, "
        "1 declined, 2 awaiting acceptance, 2 unclear, 2 awaiting review, 2 due today, 2 approved"
    )


def test_the_seeded_summary_is_within_slacks_limits() -> None:
    assert (
        message_block_problems(summary_message(_summary(), channel_name="ops", scope="all")["blocks"]) == []
    )


# --- all clear --------------------------------------------------------------------------


def test_a_quiet_day_is_one_line_and_the_numbers() -> None:
    message = all_clear_message(_summary([Tale(1, at=-50, due=72).accept(-49).history]))
    assert message["text"] == "All clear: nothing overdue, blocked, waiting or unclear today."
    assert message["blocks"][0]["text"]["text"] == message["text"]
    assert contexts(message) == ["Open: 1 · On time: — · Median time to accept: 1 hour"]


def test_a_quiet_day_still_cheers_the_approvals() -> None:
    approved = [Tale(n, at=-50, due=48).accept(-49).deliver(-3).approve(-2).history for n in (1, 2)]
    message = all_clear_message(_summary(approved), scope="tasks owned by <@UOWNER>")
    assert message["text"] == (
        "All clear: nothing overdue, blocked, waiting or unclear today. "
        "2 tasks approved since the last summary."
    )
    assert contexts(message)[0] == "tasks owned by <@UOWNER>"
    assert message_block_problems(message["blocks"]) == []
