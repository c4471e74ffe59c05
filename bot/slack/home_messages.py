"""The Home tab: a person's dashboard, and the read-only task modal its View buttons open.

Pure builders. The Home lists the reader's open tasks on both sides in sections of urgency
(most urgent first, then "Later"), each with the steps the lifecycle lets the reader take
right there (the same buttons as the task messages), a View button, and a Why? button on a
task that ran late or was reworked; then the reader's scorecard. A view holds at most 100
blocks: tasks that don't fit are paged, with Previous / Next buttons.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from bot.core.lifecycle_table import Role
from bot.core.tasks import Event, Health, Status, Task
from bot.core.urgency import went_wrong
from bot.services.home import Home, HomeTask
from bot.slack.blocks import (
    MAX_MODAL_TITLE,
    MAX_VIEW_BLOCKS,
    Block,
    actions,
    button,
    context,
    divider,
    escape,
    fit_blocks,
    header,
    mention,
    plain,
    section,
    slack_date,
    truncate,
)
from bot.slack.ids import Action, View
from bot.slack.messages import task_detail
from bot.slack.scorecard_blocks import scorecard_blocks
from bot.slack.task_buttons import side_buttons

ViewBody = dict[str, Any]

TITLE = "Your handoffs"
LATER = "Later"  # the section of tasks that need no one's attention now
BLOCKS_PER_TASK = 2  # its line (with View) and its buttons
# Blocks around the tasks: the title, the page line, a note when a side was cut, the pager.
FRAME_BLOCKS = 4
MOST_SCORECARD_BLOCKS = 8  # a divider and the card (five blocks at most), with room to spare
_TITLE = "&lt;title&gt;"  # a placeholder, escaped: mrkdwn would read <title> as a link


def home_view(home: Home, *, page: int = 1) -> ViewBody:
    """Page ``page`` of the reader's Home (the last page when there are fewer).

    The scorecard ends every page; the page size leaves room for it and for one header per
    section, so a page never passes the view's block limit.
    """
    card = fit_blocks(scorecard_part(home), MOST_SCORECARD_BLOCKS)
    sections = {_section_of(line) for line in home.tasks}
    room = MAX_VIEW_BLOCKS - FRAME_BLOCKS - len(card) - len(sections)
    per_page = max(1, room // BLOCKS_PER_TASK)
    pages = max(1, math.ceil(len(home.tasks) / per_page))
    page = min(max(page, 1), pages)
    shown = home.tasks[(page - 1) * per_page : page * per_page]
    blocks: list[Block] = [header(TITLE), context(_page_line(home, page, pages))]
    if home.cut:
        blocks.append(context("Only the soonest due of your open tasks are listed; `/tasks` finds any task."))
    if not home.tasks:
        blocks.append(section(f"Nothing on your plate. Hand off work with `/delegate @someone {_TITLE}`."))
    counts = {name: sum(1 for line in home.tasks if _section_of(line) == name) for name in sections}
    for name, lines in groupby(shown, key=_section_of):
        blocks.append(header(f"{name} ({counts[name]})"))
        for line in lines:
            blocks.extend(task_blocks(line, now=home.now))
    if pages > 1:
        blocks.append(_pager(page, pages))
    blocks.extend(card)
    return {"type": "home", "blocks": fit_blocks(blocks, MAX_VIEW_BLOCKS)}


def scorecard_part(home: Home) -> list[Block]:
    """The reader's scorecard, under a divider."""
    card = home.scorecard.card
    blocks = scorecard_blocks(
        home.user_id,
        card.assignee,
        card.owner,
        days=home.scorecard.days,
        tally_as_owner=card.tally_as_owner,
        tally_as_assignee=card.tally_as_assignee,
    )
    return [divider(), *blocks]


def _section_of(line: HomeTask) -> str:
    return line.urgency.label if line.urgency is not None else LATER


def _page_line(home: Home, page: int, pages: int) -> str:
    count = f"{home.open_total} open {'task' if home.open_total == 1 else 'tasks'}"
    return f"Page {page} of {pages} · {count}" if pages > 1 else count


def _pager(page: int, pages: int) -> Block:
    """Previous / Next; each button's value is the page it leads to (and names it in its action_id)."""
    buttons = []
    if page > 1:
        buttons.append(button("Previous", Action.HOME_PAGE.for_task(page - 1), str(page - 1)))
    if page < pages:
        buttons.append(button("Next", Action.HOME_PAGE.for_task(page + 1), str(page + 1), style="primary"))
    return actions(*buttons)


# --- one task ---------------------------------------------------------------------------


def task_blocks(line: HomeTask, *, now: datetime) -> list[Block]:
    """Its line with a View button, then the steps the reader may take (and Why? if it went wrong)."""
    task = line.task
    view = button("View", Action.VIEW.for_task(task.number), str(task.number))
    blocks = [section(task_line(line), accessory=view)]
    elements = side_buttons(task, line.role)
    if went_wrong(task, now):
        elements.append(button("Why?", Action.WHY.for_task(task.number), str(task.number)))
    if elements:
        blocks.append(actions(*elements))
    return blocks


def task_line(line: HomeTask) -> str:
    task = line.task
    other = f"to {mention(task.assignee_id)}" if line.role is Role.OWNER else f"from {mention(task.owner_id)}"
    due = f"due {slack_date(task.due_at)}" if task.due_at else "no due date"
    facts = [f"_{task.status.label}_", due, pending(task, line.role)]
    if task.rework_count:
        facts.append(f"rework {task.rework_count}×")
    return f"*{task.ref}* {truncate(escape(task.title), 150)} · {other}\n" + " · ".join(facts)


def pending(task: Task, role: Role) -> str:
    """What the task waits for, and on whom, as the reader sees it."""
    owner = role is Role.OWNER
    other = mention(task.assignee_id if owner else task.owner_id)
    if task.status is Status.APPROVED:
        return "done"
    if task.open_question is not None and task.status.is_open:
        return "your answer to a question" if owner else f"waiting for {other} to answer your question"
    if task.health in (Health.AT_RISK, Health.BLOCKED) and task.status is Status.IN_PROGRESS:
        return f"{other} says it is {task.health.label}" if owner else f"you said it is {task.health.label}"
    waits = {
        Status.AWAITING_ACCEPTANCE: (f"waiting for {other} to accept", "yours to accept or decline"),
        Status.IN_PROGRESS: (f"with {other}", "yours to deliver"),
        Status.DELIVERED: ("your review", f"waiting for {other} to review"),
        Status.DECLINED: ("yours to reassign or take back", "declined"),
    }
    for_owner, for_assignee = waits.get(task.status, (task.status.label, task.status.label))
    return for_owner if owner else for_assignee


# --- the View button's modal ------------------------------------------------------------


def task_detail_modal(task: Task, events: Sequence[Event], linked: Sequence[Task] = ()) -> ViewBody:
    """A task and its history, read only: the same blocks as ``/tasks T-<n>``."""
    detail = task_detail(task, events, linked)
    return {
        "type": "modal",
        "callback_id": View.TASK_DETAIL.value,
        "title": plain(task.ref, MAX_MODAL_TITLE),
        "close": plain("Close", MAX_MODAL_TITLE),
        "private_metadata": str(task.number),
        "blocks": fit_blocks(detail["blocks"], MAX_VIEW_BLOCKS),
    }
