"""Scorecards and "why" as people read them: ``/tasks stats``, ``/tasks T-12 why`` and the Why? modal.

Figures and fault lines come from the core through :mod:`bot.services.insights`; this module
words them. Durations read as the nudges say them ("2 days 3 hours"), rates as "80 % (4 of 5)",
and whatever a person typed (a reason for changes, a decline) is escaped before it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.core.fault_lines import FAILURES, FaultKind, FaultLine
from bot.core.metrics import AssigneeCard, OwnerCard, Rate
from bot.core.tasks import Status
from bot.services.insights import Stats, Why
from bot.slack.blocks import (
    MAX_MODAL_TITLE,
    MAX_VIEW_BLOCKS,
    Block,
    context,
    divider,
    escape,
    fit_blocks,
    header,
    mention,
    message,
    plain,
    section,
    slack_date,
    truncate,
)
from bot.slack.ids import View
from bot.slack.messages import task_heading
from bot.slack.nudge_messages import how_late as duration_words
from bot.slack.scorecard_blocks import scorecard_blocks, window_words

Message = dict[str, Any]

# The team tables: rows per section (well under 3000 characters), and rows per table, so the
# whole answer (the caller's card, two tables, their notes) stays within 50 blocks.
ROWS_PER_SECTION = 10
MAX_TABLE_ROWS = 100
# Fault lines shown in one timeline; a task reassigned round and round says how many more.
MAX_TIMELINE = 40
REASON_LENGTH = 150
STATS_HINT = "`/tasks stats @someone` for one person, `/tasks stats 90d` for another window"


# --- /tasks stats -----------------------------------------------------------------------


def stats_message(stats: Stats) -> Message:
    """One person's card when one was asked for, else the team view."""
    if stats.person is not None:
        return person_stats_message(stats, stats.person)
    return team_stats_message(stats)


def person_stats_message(stats: Stats, person_id: str) -> Message:
    blocks = [*_card(stats, person_id), context(f"Since {slack_date(stats.since)} · {STATS_HINT}")]
    return message(f"Scorecard of {mention(person_id)} · {window_words(stats.days)}", blocks)


def team_stats_message(stats: Stats) -> Message:
    """The caller's own card first, then every assignee and owner of the window in a compact table."""
    blocks: list[Block] = [header(f"Scorecards · {window_words(stats.days)}"), *_card(stats, stats.viewer)]
    blocks.append(divider())
    if not stats.assignees and not stats.owners:
        blocks.append(section(f"No tasks were handed off in the {window_words(stats.days)}."))
        return message(f"Scorecards · {window_words(stats.days)}", blocks)
    assignees = sorted(stats.assignees.values(), key=_assignee_rank)
    blocks += _table("*Assignees* · best on time first", [_assignee_row(c) for c in assignees], "assignees")
    owners = sorted(stats.owners.values(), key=_owner_rank)
    blocks += _table("*Owners* · clearest handoffs first", [_owner_row(c) for c in owners], "owners")
    blocks.append(context(f"— : not enough to measure · since {slack_date(stats.since)} · {STATS_HINT}"))
    return message(f"Scorecards · {window_words(stats.days)}", blocks)


def _card(stats: Stats, person_id: str) -> list[Block]:
    card = stats.card(person_id)
    return scorecard_blocks(
        person_id,
        card.assignee,
        card.owner,
        days=stats.days,
        tally_as_owner=card.tally_as_owner,
        tally_as_assignee=card.tally_as_assignee,
    )


def _assignee_rank(card: AssigneeCard) -> tuple[float, int, str]:
    on_time = card.on_time.hits / card.on_time.out_of if card.on_time else -1.0
    return (-on_time, -card.received, card.person)


def _owner_rank(card: OwnerCard) -> tuple[float, int, str]:
    clarity = card.clarity.hits / card.clarity.out_of if card.clarity else -1.0
    return (-clarity, -card.delegated, card.person)


def _assignee_row(card: AssigneeCard) -> str:
    return (
        f"{mention(card.person)} · on time {_short(card.on_time)} · {card.received} received"
        f" · accepted {_short(card.acceptance)} · first pass {_short(card.first_pass_approval)}"
        f" · overdue {card.overdue_now} · open {card.open_load} · ghosted {card.ghosted}"
    )


def _owner_row(card: OwnerCard) -> str:
    review = duration_words(card.median_review_time) if card.median_review_time is not None else "—"
    return (
        f"{mention(card.person)} · {card.delegated} delegated · clear at handoff {_short(card.clarity)}"
        f" · median review {review}"
    )


def _short(rate: Rate | None) -> str:
    return f"{rate.percent} % ({rate.hits} of {rate.out_of})" if rate is not None else "—"


def _table(title: str, rows: Sequence[str], noun: str) -> list[Block]:
    """A title and rows, ten to a section; past the cap, how many more were left out."""
    if not rows:
        return []
    shown = rows[:MAX_TABLE_ROWS]
    chunks = [shown[i : i + ROWS_PER_SECTION] for i in range(0, len(shown), ROWS_PER_SECTION)]
    blocks = [section("\n".join([title, *chunk] if i == 0 else chunk)) for i, chunk in enumerate(chunks)]
    if len(rows) > len(shown):
        blocks.append(
            context(f"…and {len(rows) - len(shown)} more {noun}: see one with `/tasks stats @someone`.")
        )
    return blocks


# --- /tasks T-12 why and the Why? modal ----------------------------------------------------


def why_message(why: Why) -> Message:
    return message(f"{why.task.ref}: {_verdict(why)}", why_blocks(why))


def why_modal(why: Why) -> dict[str, Any]:
    """The same timeline in a read-only modal (from the Why? button)."""
    return {
        "type": "modal",
        "callback_id": View.WHY,
        "title": plain(f"Why? {why.task.ref}", MAX_MODAL_TITLE),
        "close": plain("Close", MAX_MODAL_TITLE),
        "private_metadata": str(why.task.number),
        "blocks": fit_blocks(why_blocks(why), MAX_VIEW_BLOCKS),
    }


def why_blocks(why: Why) -> list[Block]:
    """The task, one line per fault line in the order they started, then the one that weighed most."""
    blocks: list[Block] = [
        header(task_heading(why.task)),
        context(f"{mention(why.task.owner_id)} → {mention(why.task.assignee_id)} · {why.task.status.label}"),
    ]
    if not why.lines:
        return [*blocks, section(_verdict(why))]
    shown = why.lines[:MAX_TIMELINE]
    blocks += [section(timeline_line(line)) for line in shown]
    if len(why.lines) > len(shown):
        blocks.append(context(f"…and {len(why.lines) - len(shown)} more fault lines."))
    return [*blocks, section(f"*Largest fault:* {_verdict(why)}")]


def timeline_line(line: FaultLine) -> str:
    """What went wrong, who held the ball, since when, for how long."""
    return (
        f"• *{fault_what(line)}* · {mention(line.holder_id)} held the ball"
        f" from {slack_date(line.started_at)}, for {duration_words(line.duration)}"
    )


def _verdict(why: Why) -> str:
    if why.largest is None:
        if why.task.status is Status.APPROVED:
            return "No fault lines: this handoff went well."
        return "No fault lines so far: nothing has gone wrong with this handoff."
    return largest_sentence(why.largest, why.lines)


def largest_sentence(largest: FaultLine, lines: Sequence[FaultLine]) -> str:
    """One sentence: the largest fault, then the heaviest failure of another kind that came with it."""
    sentence = _LARGEST[largest.kind](largest)
    failures = [line for line in lines if line.kind in FAILURES and line.kind is not largest.kind]
    heaviest = min(failures, key=lambda line: list(FaultKind).index(line.kind), default=None)
    if heaviest is not None:
        sentence += f", and {_LED_TO[heaviest.kind](heaviest)}"
    return sentence + "."


def fault_what(line: FaultLine) -> str:
    """The fault line in a few words ("delivered 6 hours late")."""
    return _WHAT[line.kind](line)


def _for(line: FaultLine) -> str:
    return duration_words(line.duration)


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _reasons(line: FaultLine) -> str:
    quoted = [f"“{escape(truncate(r, REASON_LENGTH))}”" if r else "no reason given" for r in line.reasons]
    return "; ".join(quoted) or "no reason given"


def _rounds(line: FaultLine) -> str:
    return f"{line.count} round{'' if line.count == 1 else 's'} of changes: {_reasons(line)}"


def _reassigned(line: FaultLine) -> str:
    to = f" to {mention(line.to_id)}" if line.to_id else ""
    return f"reassigned from {mention(line.holder_id)}{to} after {_for(line)}"


def _with_reason(what: str) -> Callable[[FaultLine], str]:
    return lambda line: f"{what}: {_reasons(line)}" if line.reasons else what


Wording = Mapping[FaultKind, Callable[[FaultLine], str]]

_WHAT: Wording = {
    FaultKind.OUTCOME_MISSING: lambda line: "outcome undefined at handoff",
    FaultKind.OUTCOME_VAGUE: lambda line: "outcome vague at handoff",
    FaultKind.OUTCOME_CHANGED: lambda line: f"outcome changed {_times(line.count)} after handoff",
    FaultKind.DUE_MISSING: lambda line: "due date missing",
    FaultKind.CHANGES_REQUESTED: _rounds,
    FaultKind.REASSIGNED: _reassigned,
    FaultKind.DECLINED: _with_reason("declined"),
    FaultKind.DELIVERED_LATE: lambda line: f"delivered {_for(line)} late",
    FaultKind.OVERDUE: lambda line: f"overdue by {_for(line)}",
    FaultKind.NO_REPORT: lambda line: f"no report for {_for(line)}",
    FaultKind.QUESTION_OPEN: lambda line: f"question open {_for(line)} (owner's side)",
    FaultKind.OFFER_NOT_ACCEPTED: lambda line: f"offer not accepted for {_for(line)}",
    FaultKind.TAKEN_BACK: _with_reason("taken back"),
    FaultKind.CANCELLED: _with_reason("cancelled"),
}

_LARGEST: Wording = {
    FaultKind.OUTCOME_MISSING: lambda line: "The outcome was not defined at handoff",
    FaultKind.OUTCOME_VAGUE: lambda line: "The outcome was vague at handoff",
    FaultKind.OUTCOME_CHANGED: lambda line: (
        f"The outcome was unclear at handoff and was changed {_times(line.count)} after it"
    ),
    FaultKind.DUE_MISSING: lambda line: "No due date was set at handoff",
    FaultKind.CHANGES_REQUESTED: lambda line: f"The work was sent back for changes {_times(line.count)}",
    FaultKind.REASSIGNED: lambda line: (
        f"The task changed hands after {mention(line.holder_id)} held it for {_for(line)}"
    ),
    FaultKind.DECLINED: lambda line: f"{mention(line.holder_id)} declined the task",
    FaultKind.DELIVERED_LATE: lambda line: f"It was delivered {_for(line)} late",
    FaultKind.OVERDUE: lambda line: f"It is overdue by {_for(line)}",
    FaultKind.NO_REPORT: lambda line: f"{mention(line.holder_id)} went {_for(line)} without a report",
    FaultKind.QUESTION_OPEN: lambda line: (
        f"A question waited {_for(line)} for {mention(line.holder_id)}'s answer"
    ),
    FaultKind.OFFER_NOT_ACCEPTED: lambda line: (
        f"The offer waited {_for(line)} for {mention(line.holder_id)} to accept it"
    ),
    FaultKind.TAKEN_BACK: lambda line: f"{mention(line.holder_id)} took the task back",
    FaultKind.CANCELLED: lambda line: f"{mention(line.holder_id)} cancelled the task",
}

# What a cause led to, as the second half of the largest fault's sentence.
_LED_TO: Wording = {
    FaultKind.CHANGES_REQUESTED: lambda line: f"the work was sent back for changes {_times(line.count)}",
    FaultKind.REASSIGNED: lambda line: "the task was reassigned",
    FaultKind.DECLINED: lambda line: "the task was declined",
    FaultKind.DELIVERED_LATE: lambda line: f"it was delivered {_for(line)} late",
    FaultKind.OVERDUE: lambda line: f"it is overdue by {_for(line)}",
    FaultKind.TAKEN_BACK: lambda line: "the task was taken back",
    FaultKind.CANCELLED: lambda line: "the task was cancelled",
}
