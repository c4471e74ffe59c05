"""Messages about tasks: pure functions from domain objects to Slack message bodies.

Every message names the task id (T-<n>) so people can refer to it in commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.clarity import ClarityFlag
from bot.core.tasks import Event, EventKind, Health, Status, Task, Transition, read_health_line
from bot.slack.blocks import (
    MAX_ACTIONS,
    MAX_SECTION_TEXT,
    Block,
    actions,
    button,
    context,
    divider,
    escape,
    escape_except_mentions,
    header,
    mention,
    message,
    section,
    slack_date,
    truncate,
)
from bot.slack.ids import Action
from bot.slack.series_messages import repeats_words
from bot.slack.task_buttons import assignee_buttons, owner_buttons

Message = dict[str, Any]


# --- pieces -----------------------------------------------------------------------------


def task_heading(task: Task) -> str:
    return f"{task.ref} · {truncate(task.title, 120)}"


def task_facts(task: Task) -> str:
    done_when = escape(task.done_when) if task.done_when else "_not defined yet_"
    due = slack_date(task.due_at) if task.due_at else "_no due date_"
    repeats = repeats_words(task)
    if repeats:
        due = f"{due} · repeats {repeats}"
    return f"*Done when:* {done_when}\n*Due:* {due}"


def status_line(task: Task) -> str:
    parts = [f"*Status:* {task.status.label}"]
    if task.progress_percent is not None and task.status is Status.IN_PROGRESS:
        parts.append(f"{task.progress_percent}% done")
    if task.rework_count:
        parts.append(f"rework {task.rework_count}×")
    if task.health in (Health.AT_RISK, Health.BLOCKED) and task.status.is_open:
        parts.append(task.health.label)
    return " · ".join(parts)


def _people(task: Task) -> str:
    return f"From {mention(task.owner_id)} to {mention(task.assignee_id)}"


def _quote(text: str | None) -> str:
    if not text:
        return ""
    return "\n".join("> " + line for line in escape(text).splitlines() or [""])


def from_a_message(task: Task) -> list[Block]:
    """A link back to the message the task was delegated from, if it has one."""
    link = task.source_link
    # Stored as Slack gave it (bot.services.message_links); never let it close the link early.
    if not link or not link.startswith("https://") or any(c in link for c in "<>| "):
        return []
    return [context(f":speech_balloon: <{link}|From a message>")]


def _value(task: Task) -> str:
    return str(task.number)


# --- the assignee's card (the offer DM, updated in place as the task moves) -------------


def assignee_card(task: Task) -> Message:
    blocks: list[Block] = [
        header(task_heading(task)),
        section(f"{mention(task.owner_id)} handed this to you.\n{task_facts(task)}"),
        context(status_line(task)),
        *from_a_message(task),
    ]
    if task.open_question:
        blocks.append(context(f":grey_question: Your question: {escape(task.open_question)}"))
    blocks.extend(_assignee_actions(task))
    return message(f"{task.ref}: {escape(task.title)} (from {mention(task.owner_id)})", blocks)


def _assignee_actions(task: Task) -> list[Block]:
    return assignee_buttons(task) or [context(_closing_words(task))]


def _closing_words(task: Task) -> str:
    return {
        Status.DELIVERED: "Delivered. Waiting for the owner's review.",
        Status.DECLINED: "You declined this task.",
        Status.APPROVED: ":white_check_mark: Approved. Thank you!",
        Status.CANCELLED: "This task was cancelled.",
        Status.TAKEN_BACK: "The owner took this task back.",
    }.get(task.status, task.status.label)


def released_card(task: Task) -> Message:
    """The old assignee's card after a reassignment: no buttons left."""
    blocks = [
        header(task_heading(task)),
        context(f"{mention(task.owner_id)} reassigned this task; nothing more is needed from you."),
    ]
    return message(f"{task.ref} was reassigned", blocks)


# --- notices ----------------------------------------------------------------------------


def notice(task: Task, event: Event, *, for_owner: bool) -> Message:
    """The DM that tells one side about a step the other side took."""
    line = _NOTICE_LINES[event.kind](task, event)
    blocks: list[Block] = [section(f"*{escape(task_heading(task))}*\n{line}")]
    quote = _quote(_quoted_words(event)) if event.kind in _QUOTED else ""
    if quote:
        blocks.append(section(quote))
    blocks.extend(owner_buttons(task, event) if for_owner else _assignee_follow_up(task, event))
    return message(f"{task.ref}: {_plain_summary(line)}", blocks)


def _assignee_follow_up(task: Task, event: Event) -> list[Block]:
    """What the assignee can do next, right under the news (and the new facts after an edit)."""
    facts = [section(task_facts(task))] if event.kind is EventKind.EDITED else []
    if event.kind in _FOLLOWED_BY_ACTIONS:
        return facts + assignee_buttons(task)
    return facts


def _quoted_words(event: Event) -> str | None:
    """The person's own words in an event: a flag's reason, without the status before it."""
    if event.kind is EventKind.FLAGGED:
        return read_health_line(event.text)[1]
    return event.text


def _flagged_line(task: Task, event: Event) -> str:
    health, why = read_health_line(event.text)
    label = health.label if health else "flagged"
    icon = {Health.BLOCKED: ":no_entry:", Health.AT_RISK: ":warning:"}.get(health or Health.ON_TRACK, "")
    said = f"{icon} {mention(event.actor_id)} says this is *{label}*".lstrip()
    return f"{said}, due {_due(task)}:" if why else f"{said}."


_FOLLOWED_BY_ACTIONS = {EventKind.CHANGES_REQUESTED, EventKind.ANSWERED, EventKind.EDITED}


_QUOTED = {
    EventKind.DECLINED,
    EventKind.ASKED,
    EventKind.ANSWERED,
    EventKind.REPORTED,
    EventKind.DELIVERED,
    EventKind.CHANGES_REQUESTED,
    EventKind.CANCELLED,
    EventKind.FLAGGED,
}

_NOTICE_LINES = {
    EventKind.ACCEPTED: lambda t, e: f"{mention(e.actor_id)} accepted. Due {_due(t)}.",
    EventKind.DECLINED: lambda t, e: f"{mention(e.actor_id)} declined. Reassign it or do it yourself:",
    EventKind.ASKED: lambda t, e: f"{mention(e.actor_id)} has a question:",
    EventKind.ANSWERED: lambda t, e: f"{mention(e.actor_id)} answered your question:",
    EventKind.REPORTED: lambda t, e: f"Progress from {mention(e.actor_id)}:",
    EventKind.DELIVERED: lambda t, e: (
        f"{mention(e.actor_id)} delivered. Does it meet the definition of done?\n"
        f"*Done when:* {escape(t.done_when or 'not defined')}"
    ),
    EventKind.APPROVED: lambda t, e: f":white_check_mark: {mention(e.actor_id)} approved your delivery.",
    EventKind.CHANGES_REQUESTED: lambda t, e: f"{mention(e.actor_id)} asked for changes:",
    EventKind.EDITED: lambda t, e: f"{mention(e.actor_id)} {escape(e.text or 'edited the task')}.",
    EventKind.TAKEN_BACK: lambda t, e: (
        f"{mention(e.actor_id)} took this task back; nothing more is needed from you."
    ),
    EventKind.CANCELLED: lambda t, e: f"{mention(e.actor_id)} cancelled this task.",
    EventKind.FLAGGED: _flagged_line,
}


# Creation and reassignment send the task card itself instead of a notice.
NOTICE_KINDS = frozenset(_NOTICE_LINES)


def _due(task: Task) -> str:
    return slack_date(task.due_at) if task.due_at else "date not set"


def _plain_summary(line: str) -> str:
    return line.split("\n", 1)[0]


# --- replies to the owner ---------------------------------------------------------------


def delegation_receipt(tasks: Sequence[Task], flags: Sequence[ClarityFlag]) -> Message:
    lines = [
        f"*{escape(task_heading(t))}* → {mention(t.assignee_id)}, due {_due(t)}{_repeats(t)}" for t in tasks
    ]
    blocks: list[Block] = [section("Handed off:\n" + "\n".join(lines))]
    if flags:
        blocks.extend(_clarity_warnings(tasks, flags))
    blocks.append(context(f"I've sent it to {_assignees(tasks)} to accept. Follow it with `/tasks`."))
    refs = ", ".join(t.ref for t in tasks)
    return message(f"Handed off {refs}", blocks)


def _clarity_warnings(tasks: Sequence[Task], flags: Sequence[ClarityFlag]) -> list[Block]:
    """What is unclear, with a way to fix it on each task that was handed out."""
    warnings = "\n".join(f":warning: {escape(flag.message)}" for flag in flags)
    if len(tasks) == 1:
        only = tasks[0]
        define = button("Add definition of done", Action.ADD_DEFINITION.for_task(only.number), _value(only))
        return [section(warnings, accessory=define)]
    buttons = [
        button(f"Define done: {t.ref}", Action.ADD_DEFINITION.for_task(t.number), _value(t))
        for t in tasks[:MAX_ACTIONS]
    ]
    return [section(warnings), actions(*buttons)]


def _repeats(task: Task) -> str:
    repeats = repeats_words(task)
    return f", repeats {repeats}" if repeats else ""


def _assignees(tasks: Sequence[Task]) -> str:
    return ", ".join(mention(t.assignee_id) for t in tasks)


def task_list(
    owned: Sequence[Task], assigned: Sequence[Task], *, owned_total: int = 0, assigned_total: int = 0
) -> Message:
    """Both sides of a person's open tasks; a side cut short says how many more there are."""
    if not owned and not assigned:
        return message(
            "No open tasks",
            [
                section(
                    "You have no open tasks. Hand one off with"
                    " `/delegate @someone &lt;title&gt; | due: friday`."
                )
            ],
        )
    blocks: list[Block] = []
    counts = {"owned": max(owned_total, len(owned)), "assigned": max(assigned_total, len(assigned))}
    for title, tasks, other, side in (
        ("Delegated by me", owned, "assignee_id", "owned"),
        ("Assigned to me", assigned, "owner_id", "assigned"),
    ):
        if tasks:
            blocks.append(header(f"{title} ({counts[side]})"))
            blocks.extend(section(_list_line(t, getattr(t, other))) for t in tasks)
            if counts[side] > len(tasks):
                blocks.append(context(f"…and {counts[side] - len(tasks)} more, due later."))
    total = counts["owned"] + counts["assigned"]
    return message(f"{total} open tasks", blocks)


def _list_line(task: Task, other_person: str) -> str:
    question = " · :grey_question: question open" if task.open_question else ""
    return (
        f"*{task.ref}* {escape(truncate(task.title, 150))} · {mention(other_person)}\n"
        f"_{task.status.label}_ · due {_due(task)}{question}"
    )


def task_detail(task: Task, events: Sequence[Event], linked: Sequence[Task] = ()) -> Message:
    blocks: list[Block] = [
        header(task_heading(task)),
        section(f"{_people(task)}\n{task_facts(task)}"),
        context(status_line(task)),
        *from_a_message(task),
    ]
    if task.open_question:
        blocks.append(section(f":grey_question: *Open question:* {escape(task.open_question)}"))
    if linked:
        blocks.append(context("Linked: " + ", ".join(f"{t.ref} ({mention(t.assignee_id)})" for t in linked)))
    blocks.append(divider())
    blocks.append(section(_history_text([history_line(e) for e in events])))
    return message(f"{task.ref}: {escape(task.title)}", blocks)


def _history_text(lines: list[str]) -> str:
    """The history, newest kept when it is too long for one section."""
    title = "*History*\n"
    kept: list[str] = []
    room = MAX_SECTION_TEXT - len(title) - 40  # 40: space for the "earlier" note
    for line in reversed(lines):
        if len(line) + 1 > room:
            break
        kept.insert(0, line)
        room -= len(line) + 1
    skipped = len(lines) - len(kept)
    note = [f"_…{skipped} earlier {'entry' if skipped == 1 else 'entries'} not shown_"] if skipped else []
    return title + "\n".join(note + kept)


def history_line(event: Event) -> str:
    what = event.kind.value.replace("_", " ")
    text = (
        f": {escape(truncate(event.text, 300))}" if event.text and event.kind is not EventKind.CREATED else ""
    )
    if event.kind is EventKind.REASSIGNED and event.from_id and event.to_id:
        text = f" from {mention(event.from_id)} to {mention(event.to_id)}"
    if event.kind is EventKind.FLAGGED:
        what, text = "said it is", f" {escape(truncate(event.text or '', 300))}"
    return f"• {slack_date(event.at)} {mention(event.actor_id)} {what}{text}"


_RECEIPTS = {
    EventKind.ACCEPTED: "You accepted {ref}. <@{owner}> has been told.",
    EventKind.DECLINED: "You declined {ref}. <@{owner}> has been told.",
    EventKind.ASKED: "Your question on {ref} went to <@{owner}>.",
    EventKind.ANSWERED: "Your answer on {ref} went to <@{assignee}>.",
    EventKind.REPORTED: "Progress on {ref} sent to <@{owner}>.",
    EventKind.DELIVERED: "{ref} delivered. <@{owner}> will review it.",
    EventKind.APPROVED: "You approved {ref}. <@{assignee}> has been told.",
    EventKind.CHANGES_REQUESTED: "{ref} went back to <@{assignee}> with your change request.",
    EventKind.EDITED: "{ref} updated. <@{assignee}> has been told what changed.",
    EventKind.REASSIGNED: "{ref} is now offered to <@{assignee}>.",
    EventKind.TAKEN_BACK: "You took {ref} back. <@{before_assignee}> has been released.",
    EventKind.CANCELLED: "{ref} is cancelled. <@{assignee}> has been told.",
    EventKind.FLAGGED: "<@{owner}> has been told how {ref} stands.",
}


def step_receipt(transition: Transition) -> Message:
    """What the person who acted sees: what happened, or that it had already happened."""
    task = transition.after
    if transition.event is None:
        return info_reply(f"Nothing changed: {task.ref} is {task.status.label}.")
    text = _RECEIPTS[transition.event.kind].format(
        ref=task.ref,
        owner=task.owner_id,
        assignee=task.assignee_id,
        before_assignee=transition.before.assignee_id,
    )
    return info_reply(text)


def without_buttons(original: dict[str, Any], outcome: str) -> Message:
    """A message that was clicked, its buttons replaced by what the click did."""
    kept = [block for block in original.get("blocks") or [] if block.get("type") != "actions"]
    return message(str(original.get("text") or outcome), [*kept, context(outcome)])


def error_reply(text: str) -> Message:
    safe = escape_except_mentions(text)
    return message(safe, [section(f":warning: {safe}")])


def info_reply(text: str) -> Message:
    return message(text, [section(text)])


def help_reply(text: str) -> Message:
    """Help text shows placeholders like <title>, which mrkdwn would read as links."""
    return info_reply(escape(text))
