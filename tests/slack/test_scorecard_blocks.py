"""A scorecard as its reader sees it: every figure worded, rates with what they stand on, gaps said."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core.fault_lines import FaultKind, FaultTally
from bot.core.metrics import AssigneeCard, OwnerCard, Rate
from bot.playground.slack.block_kit_limits import message_block_problems
from bot.slack.scorecard_blocks import FAULT_NAMES, scorecard_blocks

ALICE, OLIVIA = "UALICE", "UOLIVIA"

BUSY = AssigneeCard(
    person=ALICE,
    received=5,
    acceptance=Rate(4, 5),
    median_time_to_accept=timedelta(hours=2, minutes=30),
    on_time=Rate(3, 4),
    first_pass_approval=Rate(2, 3),
    average_rework=0.5,
    overdue_now=1,
    open_load=3,
    ghosted=1,
)
NEW = AssigneeCard(ALICE, 1, None, None, None, None, None, overdue_now=0, open_load=1, ghosted=0)
OWNS = OwnerCard(
    person=OLIVIA, delegated=4, clarity=Rate(1, 4), median_review_time=timedelta(days=1, hours=3)
)


def text_of(blocks: list[dict[str, Any]]) -> str:
    parts = []
    for block in blocks:
        parts.append(str(block.get("text", {}).get("text", "")))
        parts.extend(e.get("text", "") for e in block.get("elements", []) if block["type"] == "context")
    return "\n".join(parts)


def test_an_assignee_card_words_every_figure_with_what_it_stands_on() -> None:
    blocks = scorecard_blocks(ALICE, BUSY, None, days=30)
    text = text_of(blocks)
    assert "<@UALICE>" in text and "last 30 days" in text
    assert "5 tasks received" in text
    assert "Acceptance: 80 % (4 of 5)" in text
    assert "Median time to accept: 2 hours 30 minutes" in text
    assert "On time: 75 % (3 of 4)" in text
    assert "First-pass approval: 67 % (2 of 3)" in text
    assert "Average rework: 0.5 rounds per delivery" in text
    assert "Overdue now: 1 · Open load: 3 · Ghosted: 1" in text
    assert "As owner" not in text
    assert message_block_problems(blocks) == []


def test_figures_with_nothing_to_measure_say_so_instead_of_zero() -> None:
    text = text_of(scorecard_blocks(ALICE, NEW, None, days=90))
    assert "last 90 days" in text
    assert "Acceptance: — _not enough to measure_" in text
    assert "Median time to accept: — _not enough to measure_" in text
    assert "On time: — _not enough to measure_" in text
    assert "Average rework: — _not enough to measure_" in text
    assert "0 %" not in text


def test_an_owner_card_shows_clarity_and_review_time() -> None:
    text = text_of(scorecard_blocks(OLIVIA, None, OWNS, days=30))
    assert "As owner* · 4 tasks delegated" in text
    assert "25 % (1 of 4)" in text and "definition of done and due date" in text
    assert "Median review time: 1 day 3 hours" in text
    assert "As assignee" not in text


def test_someone_with_no_tasks_gets_one_line_not_an_empty_card() -> None:
    blocks = scorecard_blocks(ALICE, None, None, days=30)
    assert len(blocks) == 2
    assert "nothing to measure" in text_of(blocks)


def test_the_owner_tally_says_how_many_reworked_tasks_were_unclear_and_what_was_theirs() -> None:
    tally = FaultTally(
        OLIVIA,
        tasks=10,
        went_wrong=7,
        faults={FaultKind.CHANGES_REQUESTED: 7, FaultKind.OUTCOME_MISSING: 3},
        held={FaultKind.OUTCOME_MISSING: 3, FaultKind.DUE_MISSING: 1, FaultKind.TAKEN_BACK: 1},
        reworked=7,
        reworked_unclear=3,
    )
    text = text_of(scorecard_blocks(OLIVIA, None, OWNS, days=30, tally_as_owner=tally))
    assert "7 of the 10 tasks <@UOLIVIA> handed off went wrong." in text
    assert (
        "43 % (3 of 7) of the tasks <@UOLIVIA> sent back for changes had no clear definition of done" in text
    )
    # Most frequent first; on a tie the heavier kind (what was left open at handoff) first.
    assert (
        "Most often on <@UOLIVIA>'s side as owner: outcome undefined at handoff (3 tasks),"
        " due date missing (1 task), taken back (1 task)." in text
    )


def test_the_assignee_tally_speaks_of_work_got_back_and_names_at_most_three_kinds() -> None:
    held = {FaultKind.DELIVERED_LATE: 2, FaultKind.CHANGES_REQUESTED: 4, FaultKind.NO_REPORT: 1}
    held |= {FaultKind.OFFER_NOT_ACCEPTED: 1}
    tally = FaultTally(ALICE, tasks=6, went_wrong=5, held=held, reworked=4, reworked_unclear=1)
    text = text_of(scorecard_blocks(ALICE, BUSY, None, days=30, tally_as_assignee=tally))
    assert "25 % (1 of 4) of the tasks <@UALICE> got back with changes had no clear definition" in text
    assert (
        "as assignee: changes requested (4 tasks), delivered late (2 tasks), no report for days (1 task)."
        in text
    )
    assert "offer left unanswered" not in text


def test_a_clean_record_is_said_in_one_sentence() -> None:
    tally = FaultTally(ALICE, tasks=3)
    text = text_of(scorecard_blocks(ALICE, BUSY, None, days=30, tally_as_assignee=tally))
    assert "None of the 3 tasks <@UALICE> took on went wrong." in text
    assert "Most often" not in text


def test_the_card_stays_small_enough_to_embed() -> None:
    tally = FaultTally(ALICE, tasks=6, went_wrong=5, held={FaultKind.DELIVERED_LATE: 2}, reworked=4)
    blocks = scorecard_blocks(ALICE, BUSY, OWNS, days=30, tally_as_owner=tally, tally_as_assignee=tally)
    assert len(blocks) <= 5
    assert message_block_problems(blocks) == []


def test_every_fault_kind_has_a_name() -> None:
    assert set(FAULT_NAMES) == set(FaultKind)
    assert all(FAULT_NAMES.values())
