"""The words of ``/tasks stats`` and ``why``: every fault kind worded, user text inert, limits kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.core.fault_lines import FAILURES, FaultKind, FaultLine
from bot.core.metrics import AssigneeCard, OwnerCard, Rate
from bot.core.tasks import Status
from bot.playground.slack.block_kit_limits import message_block_problems, view_problems
from bot.services.insights import Stats, Why
from bot.slack.insight_messages import (
    MAX_TABLE_ROWS,
    MAX_TIMELINE,
    fault_what,
    largest_sentence,
    stats_message,
    why_message,
    why_modal,
)
from tests.core.task_cases import ALICE, BOB, OWNER, offered

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
TASK = replace(offered(), title="Ship the <!channel> report")


def line(kind: FaultKind, **fields: Any) -> FaultLine:
    values: dict[str, Any] = {"holder_id": ALICE, "started_at": NOW, "duration": timedelta(hours=30)}
    return FaultLine(kind, **(values | fields))


def text_of(blocks: list[dict[str, Any]]) -> str:
    texts = [str(b.get("text", {}).get("text", "")) for b in blocks]
    texts += [e.get("text", "") for b in blocks if b["type"] == "context" for e in b["elements"]]
    return "\n".join(texts)


EXPECTED_WHAT = {
    FaultKind.OUTCOME_MISSING: "outcome undefined at handoff",
    FaultKind.OUTCOME_VAGUE: "outcome vague at handoff",
    FaultKind.OUTCOME_CHANGED: "outcome changed twice after handoff",
    FaultKind.DUE_MISSING: "due date missing",
    FaultKind.CHANGES_REQUESTED: "2 rounds of changes: “More charts”; “Fix &lt;totals&gt;”",
    FaultKind.REASSIGNED: "reassigned from <@UALICE> to <@UBOB> after 1 day 6 hours",
    FaultKind.DECLINED: "declined: “On leave”",
    FaultKind.DELIVERED_LATE: "delivered 1 day 6 hours late",
    FaultKind.OVERDUE: "overdue by 1 day 6 hours",
    FaultKind.NO_REPORT: "no report for 1 day 6 hours",
    FaultKind.QUESTION_OPEN: "question open 1 day 6 hours (owner's side)",
    FaultKind.OFFER_NOT_ACCEPTED: "offer not accepted for 1 day 6 hours",
    FaultKind.TAKEN_BACK: "taken back",
    FaultKind.CANCELLED: "cancelled: “Plans changed”",
}
FIELDS: dict[FaultKind, dict[str, Any]] = {
    FaultKind.OUTCOME_CHANGED: {"count": 2},
    FaultKind.CHANGES_REQUESTED: {"count": 2, "reasons": ("More charts", "Fix <totals>")},
    FaultKind.REASSIGNED: {"to_id": BOB},
    FaultKind.DECLINED: {"reasons": ("On leave",)},
    FaultKind.CANCELLED: {"reasons": ("Plans changed",)},
}


@pytest.mark.parametrize("kind", list(FaultKind))
def test_every_fault_kind_is_worded_in_the_timeline_and_as_the_largest(kind: FaultKind) -> None:
    fault = line(kind, **FIELDS.get(kind, {}))
    assert fault_what(fault) == EXPECTED_WHAT[kind]
    sentence = largest_sentence(fault, [fault])
    assert (sentence[0].isupper() or sentence.startswith("<@")) and sentence.endswith(".")
    assert sentence.count(".") == 1  # one sentence


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_cause_names_each_kind_of_failure_it_led_to(failure: FaultKind) -> None:
    cause = line(FaultKind.OUTCOME_MISSING, holder_id=OWNER)
    sentence = largest_sentence(cause, [cause, line(failure, **FIELDS.get(failure, {}))])
    assert sentence.startswith("The outcome was not defined at handoff, and ")
    assert sentence.endswith(".") and sentence.count(".") == 1


def test_the_example_sentence_of_an_unclear_outcome_and_its_rework() -> None:
    changed = line(FaultKind.OUTCOME_CHANGED, holder_id=OWNER, count=2)
    rounds = line(FaultKind.CHANGES_REQUESTED, count=2, reasons=("a", "b"))
    assert largest_sentence(changed, [changed, rounds]) == (
        "The outcome was unclear at handoff and was changed twice after it,"
        " and the work was sent back for changes twice."
    )


def test_a_reason_typed_by_a_person_cannot_ping_or_link() -> None:
    fault = line(FaultKind.DECLINED, reasons=("<!channel> look <https://x.example|here>",))
    words = fault_what(fault)
    assert "<!channel>" not in words and "&lt;!channel&gt;" in words
    assert "<https" not in words


def test_a_long_timeline_is_cut_honestly_and_still_ends_with_the_largest_fault() -> None:
    moves = [line(FaultKind.REASSIGNED, to_id=BOB, started_at=NOW + timedelta(hours=i)) for i in range(70)]
    why = Why(TASK, tuple(moves), moves[0], NOW)

    message = why_message(why)
    assert message_block_problems(message["blocks"]) == []
    text = text_of(message["blocks"])
    assert f"…and {70 - MAX_TIMELINE} more fault lines." in text
    assert message["blocks"][-1]["text"]["text"].startswith("*Largest fault:* The task changed hands")
    modal = why_modal(why)
    assert view_problems(modal, expected_type="modal") == []


def test_the_modal_title_fits_for_any_task_number() -> None:
    modal = why_modal(Why(replace(TASK, number=123456789), (), None, NOW))
    assert modal["title"]["text"] == "Why? T-123456789"
    assert view_problems(modal, expected_type="modal") == []
    assert "No fault lines so far" in text_of(modal["blocks"])


def assignee(person: str, on_time: Rate | None, received: int) -> AssigneeCard:
    return AssigneeCard(person, received, None, None, on_time, None, None, 0, 0, 0)


def stats(**fields: Any) -> Stats:
    return Stats(viewer=OWNER, person=None, days=30, since=NOW - timedelta(days=30), now=NOW, **fields)


def test_the_team_table_ranks_best_on_time_first_then_most_received_and_unmeasured_last() -> None:
    cards = {
        "UNONE": assignee("UNONE", None, 9),
        "ULOW": assignee("ULOW", Rate(1, 2), 2),
        "UHIGH": assignee("UHIGH", Rate(3, 3), 3),
        "UBUSY": assignee("UBUSY", Rate(1, 2), 8),
    }
    text = text_of(stats_message(stats(assignees=cards))["blocks"])
    order = [text.index(f"<@{p}> · on time") for p in ("UHIGH", "UBUSY", "ULOW", "UNONE")]
    assert order == sorted(order)
    assert "<@UNONE> · on time — · 9 received" in text


def test_a_big_team_is_capped_to_one_message_with_how_many_more() -> None:
    people = [f"U{i:04d}" for i in range(MAX_TABLE_ROWS + 30)]
    assignees = {p: assignee(p, Rate(1, 1), 1) for p in people}
    owners = {p: OwnerCard(p, 2, Rate(1, 2), timedelta(hours=5)) for p in people}
    message = stats_message(stats(assignees=assignees, owners=owners))
    assert message_block_problems(message["blocks"]) == []
    text = text_of(message["blocks"])
    assert "…and 30 more assignees" in text and "…and 30 more owners" in text
    assert "<@U0000> · 2 delegated · clear at handoff 50 % (1 of 2) · median review 5 hours" in text


def test_a_quiet_team_says_nothing_was_handed_off() -> None:
    text = text_of(stats_message(stats())["blocks"])
    assert "No tasks were handed off in the last 30 days." in text


def test_a_persons_card_is_titled_with_them_and_the_window() -> None:
    alice = assignee(ALICE, Rate(1, 1), 1)
    message = stats_message(replace(stats(assignees={ALICE: alice}), person=ALICE, days=90))
    assert message["text"] == "Scorecard of <@UALICE> · last 90 days"
    assert "On time: 100 % (1 of 1)" in text_of(message["blocks"])


def test_a_task_that_went_well_says_so() -> None:
    approved = replace(TASK, status=Status.APPROVED)
    message = why_message(Why(approved, (), None, NOW))
    assert message["text"] == "T-12: No fault lines: this handoff went well."
