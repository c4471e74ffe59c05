"""A person's scorecard in a few blocks, shown by ``/tasks stats`` and on the Home tab.

Figures come from :mod:`bot.core.metrics` and :mod:`bot.core.fault_lines` as they are;
this module only words them. A rate reads "80 % (4 of 5)" so a reader sees how little or
how much it stands on; a figure with nothing to measure reads "—", never 0 %.
The card is at most five blocks, so a page that embeds it keeps room for its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from bot.core.fault_lines import FaultKind, FaultTally
from bot.core.metrics import AssigneeCard, OwnerCard, Rate
from bot.slack.blocks import Block, context, mention, section
from bot.slack.nudge_messages import how_late as duration_words

NOT_MEASURED = "— _not enough to measure_"
# How many of a person's most frequent fault kinds their card names.
TOP_FAULTS = 3

# What each kind of fault line is called when it is counted rather than told.
FAULT_NAMES: Mapping[FaultKind, str] = {
    FaultKind.OUTCOME_MISSING: "outcome undefined at handoff",
    FaultKind.OUTCOME_VAGUE: "outcome vague at handoff",
    FaultKind.OUTCOME_CHANGED: "outcome changed after handoff",
    FaultKind.DUE_MISSING: "due date missing",
    FaultKind.CHANGES_REQUESTED: "changes requested",
    FaultKind.REASSIGNED: "reassigned",
    FaultKind.DECLINED: "declined",
    FaultKind.DELIVERED_LATE: "delivered late",
    FaultKind.OVERDUE: "overdue",
    FaultKind.NO_REPORT: "no report for days",
    FaultKind.QUESTION_OPEN: "question left open",
    FaultKind.OFFER_NOT_ACCEPTED: "offer left unanswered",
    FaultKind.TAKEN_BACK: "taken back",
    FaultKind.CANCELLED: "cancelled",
}


def scorecard_blocks(
    person_id: str,
    assignee: AssigneeCard | None,
    owner: OwnerCard | None,
    *,
    days: int,
    tally_as_owner: FaultTally | None = None,
    tally_as_assignee: FaultTally | None = None,
) -> list[Block]:
    """``person_id``'s card over the last ``days`` days: each side they played, then where work broke."""
    blocks = [section(f"*Scorecard of {mention(person_id)}* · {window_words(days)}")]
    if assignee is None and owner is None:
        blocks.append(
            context(f"No tasks handed to or by {mention(person_id)} in that time: nothing to measure.")
        )
        return blocks
    if assignee is not None:
        blocks.append(section(assignee_text(assignee)))
    if owner is not None:
        blocks.append(section(owner_text(owner)))
    sentences = [
        *fault_sentences(person_id, tally_as_owner, as_owner=True),
        *fault_sentences(person_id, tally_as_assignee, as_owner=False),
    ]
    if sentences:
        blocks.append(section("*Where it broke*\n" + "\n".join(sentences)))
    return blocks


def window_words(days: int) -> str:
    """ "last 30 days", "last day"."""
    return "last day" if days == 1 else f"last {days} days"


def assignee_text(card: AssigneeCard) -> str:
    rework = f"{card.average_rework:.1f} rounds per delivery" if card.average_rework is not None else None
    lines = [
        f"*As assignee* · {_count(card.received, 'task')} received",
        f"Acceptance: {rate_words(card.acceptance)}",
        f"Median time to accept: {_duration(card.median_time_to_accept)}",
        f"On time: {rate_words(card.on_time)}",
        f"First-pass approval: {rate_words(card.first_pass_approval)}",
        f"Average rework: {rework or NOT_MEASURED}",
        f"Overdue now: {card.overdue_now} · Open load: {card.open_load} · Ghosted: {card.ghosted}",
    ]
    return "\n".join(lines)


def owner_text(card: OwnerCard) -> str:
    lines = [
        f"*As owner* · {_count(card.delegated, 'task')} delegated",
        f"Clear at handoff (definition of done and due date): {rate_words(card.clarity)}",
        f"Median review time: {_duration(card.median_review_time)}",
    ]
    return "\n".join(lines)


def rate_words(rate: Rate | None) -> str:
    """ "80 % (4 of 5)", or "—" when there was nothing to measure."""
    return f"{rate.percent} % ({rate.hits} of {rate.out_of})" if rate is not None else NOT_MEASURED


def fault_sentences(person_id: str, tally: FaultTally | None, *, as_owner: bool) -> list[str]:
    """How often the person's handoffs went wrong on one side, and what was most often theirs."""
    if tally is None or not tally.tasks:
        return []
    who = mention(person_id)
    side = f"{who} handed off" if as_owner else f"{who} took on"
    if not tally.went_wrong:
        return [f"None of the {_count(tally.tasks, 'task')} {side} went wrong."]
    sentences = [f"{tally.went_wrong} of the {_count(tally.tasks, 'task')} {side} went wrong."]
    if tally.reworked:
        unclear = rate_words(Rate(tally.reworked_unclear, tally.reworked))
        back = "sent back for changes" if as_owner else "got back with changes"
        sentences.append(f"{unclear} of the tasks {who} {back} had no clear definition of done at handoff.")
    held = most_held(tally.held)
    if held:
        sentences.append(f"Most often on {who}'s side as {'owner' if as_owner else 'assignee'}: {held}.")
    return sentences


def most_held(held: Mapping[FaultKind, int]) -> str:
    """ "changes requested (3 tasks), delivered late (1 task)": the most frequent first, heaviest on ties."""
    order = list(FaultKind)
    ranked = sorted(
        (kind for kind, n in held.items() if n), key=lambda kind: (-held[kind], order.index(kind))
    )
    return ", ".join(f"{FAULT_NAMES[kind]} ({_count(held[kind], 'task')})" for kind in ranked[:TOP_FAULTS])


def _duration(value: timedelta | None) -> str:
    return duration_words(value) if value is not None else NOT_MEASURED


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
