"""The daily summary as a channel reads it: one section per kind of attention needed, most urgent
first, a line per task with the buttons that help, then the team's numbers.

Layout and block budget (Slack takes at most 50 blocks in a message):

* fixed: the header, the scope (when given) and the numbers: at most 3 blocks;
* a heading per non-empty section: 1 block;
* a line: 1 section with its View button on the side, plus 1 actions block only when it has
  Nudge now or Why? (so 1 or 2 blocks).

When the lines don't all fit, one more context block ends the list with the exact count of
lines left out, pointing to where they all are. Lines are never reordered to fill the space:
what is shown is always the most urgent part.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.summary import DailySummary, SummaryLine, TeamNumbers
from bot.core.urgency import Urgency
from bot.slack.blocks import (
    MAX_MESSAGE_BLOCKS,
    Block,
    actions,
    button,
    context,
    escape,
    header,
    mention,
    message,
    section,
    slack_date,
    truncate,
)
from bot.slack.ids import Action
from bot.slack.nudge_messages import how_late

Message = dict[str, Any]

# A title or a reason longer than this is cut, so the names and buttons after it always show.
_TITLE_CHARS = 200
_REASON_CHARS = 300

# Where the assignee holds the ball, so chasing them now helps.
_NUDGE = frozenset({Urgency.OVERDUE, Urgency.AT_RISK, Urgency.AWAITING_ACCEPTANCE, Urgency.DUE_TODAY})


def summary_message(
    summary: DailySummary, *, channel_name: str | None = None, scope: str | None = None
) -> Message:
    """The summary with its sections, buttons and numbers, within Slack's limits.

    ``scope`` is the app's own words for what the summary covers ("tasks owned by <@U1>"),
    shown as written so its mentions render.
    """
    top = [header(_title(summary, channel_name))]
    if scope:
        top.append(context(scope))
    bottom = [context(numbers_line(summary.numbers))]
    room = MAX_MESSAGE_BLOCKS - len(top) - len(bottom)
    body = _fitted_sections(summary, room)
    return message(_fallback(summary, channel_name), [*top, *body, *bottom])


def all_clear_message(summary: DailySummary, *, scope: str | None = None) -> Message:
    """A quiet day: one line saying so, the approvals worth cheering, and the numbers."""
    approved = len(summary.section(Urgency.DONE))
    line = "All clear: nothing overdue, blocked, waiting or unclear today."
    if approved:
        line += f" {approved} {'task' if approved == 1 else 'tasks'} approved since the last summary."
    blocks = [section(line), *([context(scope)] if scope else []), context(numbers_line(summary.numbers))]
    return message(line, blocks)


def numbers_line(numbers: TeamNumbers) -> str:
    """ "Open: 42 · On time: 80 % (8 of 10) · Median time to accept: 3 hours", "—" where unknown."""
    on_time = numbers.on_time
    rate = f"{on_time.percent} % ({on_time.hits} of {on_time.out_of})" if on_time else "—"
    accept = numbers.median_time_to_accept
    took = how_late(accept) if accept is not None else "—"
    return f"Open: {numbers.open} · On time: {rate} · Median time to accept: {took}"


# --- the sections -----------------------------------------------------------------------


def _fitted_sections(summary: DailySummary, room: int) -> list[Block]:
    """The sections in ``room`` blocks, ending with "…and N more" when some lines are left out."""
    blocks = _sections(summary, summary.lines)
    if len(blocks) <= room:
        return blocks
    shown = _most_that_fit(summary.lines, room - 1)
    more = context(f"…and {len(summary.lines) - shown} more — see the Home tab or /tasks")
    return [*_sections(summary, summary.lines[:shown]), more]


def _most_that_fit(lines: Sequence[SummaryLine], room: int) -> int:
    """How many lines, from the most urgent, fit in ``room`` blocks with their headings."""
    used, shown = 0, 0
    headed: set[Urgency] = set()
    for line in lines:
        cost = _blocks_for(line) + (line.urgency not in headed)
        if used + cost > room:
            break
        used, shown = used + cost, shown + 1
        headed.add(line.urgency)
    return shown


def _sections(summary: DailySummary, lines: Sequence[SummaryLine]) -> list[Block]:
    """``lines`` under their section headings; a heading counts its whole section, shown or not."""
    blocks: list[Block] = []
    for urgency in Urgency:
        shown = [line for line in lines if line.urgency is urgency]
        if shown:
            blocks.append(section(f"*{urgency.label}* ({len(summary.section(urgency))})"))
            for line in shown:
                blocks += _line_blocks(line, summary.at)
    return blocks


def _blocks_for(line: SummaryLine) -> int:
    return 2 if _extra_buttons(line) else 1


def _line_blocks(line: SummaryLine, at: datetime | None) -> list[Block]:
    number = line.task.number
    view = button("View", Action.VIEW.for_task(number), str(number))
    blocks = [section(line_text(line, at), accessory=view)]
    extra = _extra_buttons(line)
    if extra:
        blocks.append(actions(*extra))
    return blocks


def _extra_buttons(line: SummaryLine) -> list[Block]:
    number = line.task.number
    extra = []
    if line.urgency in _NUDGE:
        extra.append(button("Nudge now", Action.NUDGE_NOW.for_task(number), str(number)))
    if line.went_wrong:  # the same rule as the Home tab's
        extra.append(button("Why?", Action.WHY.for_task(number), str(number)))
    return extra


# --- one line ---------------------------------------------------------------------------


def line_text(line: SummaryLine, at: datetime | None) -> str:
    """ "*T-12* Ship the report · @alice (from @olivia) · 2 days late"."""
    task = line.task
    title = truncate(escape(task.title), _TITLE_CHARS)
    people = f"{mention(task.assignee_id)} (from {mention(task.owner_id)})"
    return " · ".join(part for part in (f"*{task.ref}* {title}", people, _detail(line, at)) if part)


def _detail(line: SummaryLine, at: datetime | None) -> str:
    """How late, how long waiting, or why: whatever the line's section calls for."""
    task, urgency = line.task, line.urgency
    health = task.health.label if task.health else "at risk"
    if urgency is Urgency.OVERDUE:
        parts = [_late(line.since, at), _why(health, line.reason) if line.reason else ""]
    elif urgency is Urgency.AT_RISK:
        parts = [_why(health, line.reason), _waiting(line.since, at)]
    elif urgency is Urgency.DECLINED:
        parts = [_why("declined", line.reason), _waiting(line.since, at)]
    elif urgency in (Urgency.AWAITING_ACCEPTANCE, Urgency.AWAITING_REVIEW):
        parts = [_waiting(line.since, at)]
    elif urgency is Urgency.UNCLEAR:
        parts = [escape(line.reason or "")]
    elif urgency is Urgency.DUE_TODAY:
        parts = [f"due {slack_date(task.due_at)}" if task.due_at else ""]
    else:
        parts = [f"approved {slack_date(line.since)}" if line.since else ""]
    return " · ".join(part for part in parts if part)


def _why(what: str, reason: str | None) -> str:
    """ "blocked: waiting for the legal team", the person's words escaped and cut."""
    return f"{what}: {truncate(escape(reason), _REASON_CHARS)}" if reason else what


def _late(since: datetime | None, at: datetime | None) -> str:
    if since is None:
        return ""
    return f"*{how_late(at - since)} late*" if at else f"was due {slack_date(since)}"


def _waiting(since: datetime | None, at: datetime | None) -> str:
    if since is None:
        return ""
    return f"waiting {how_late(at - since)}" if at else f"waiting since {slack_date(since)}"


# --- the header and the notification text ----------------------------------------------


def _title(summary: DailySummary, channel_name: str | None) -> str:
    where = f" for #{channel_name.lstrip('#')}" if channel_name else ""
    return f"Handoff daily summary{where} · {_day(summary)}"


def _day(summary: DailySummary) -> str:
    day = summary.day
    return f"{day:%A}, {day.day} {day:%B %Y}"


def _fallback(summary: DailySummary, channel_name: str | None) -> str:
    """What notifications and screen readers get: the counts per section."""
    counts = [
        f"{len(lines)} {urgency.label.partition(':')[0].lower()}"
        for urgency in Urgency
        if (lines := summary.section(urgency))
    ]
    return f"{_title(summary, channel_name)}: {', '.join(counts) or 'all clear'}"
