"""action_id and callback_id values, shared by the block builders and the listeners."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from bot.core.errors import BadInput
from bot.core.parsing import parse_task_number


class Action(StrEnum):
    """Buttons. Each button's value is the task number it acts on.

    A button's action_id is the action and the task number (``task_accept:12``), so two
    buttons of one message are never alike (Slack refuses a message where they are, e.g.
    one "Define done" button per task handed out). Listeners match :attr:`pattern`, which
    also takes the bare action of messages sent before numbers were added.
    """

    ACCEPT = "task_accept"
    DECLINE = "task_decline"
    ASK = "task_ask"
    REPORT = "task_report"
    DELIVER = "task_deliver"
    APPROVE = "task_approve"
    REQUEST_CHANGES = "task_request_changes"
    REPLY = "task_reply"
    REASSIGN = "task_reassign"
    TAKE_BACK = "task_take_back"
    ADD_DEFINITION = "task_add_definition"
    # From nudges: how the task stands (the assignee), and a pause of its nudges (either side).
    ON_TRACK = "task_on_track"
    AT_RISK = "task_at_risk"
    BLOCKED = "task_blocked"
    SNOOZE = "task_snooze"  # a static_select; each option's value is "<number>:<choice>"
    # From the daily summary and the Home tab.
    VIEW = "task_view"  # the task and its history, in a modal
    WHY = "task_why"  # where the handoff broke, in a modal
    NUDGE_NOW = "task_nudge_now"  # the owner chases the assignee now
    HOME_PAGE = "home_page"  # the Home tab's next or previous page; the value is the page number

    def for_task(self, number: int) -> str:
        """The action_id of this button on task ``number``."""
        return f"{self.value}:{number}"

    @property
    def pattern(self) -> re.Pattern[str]:
        """What a listener matches: this action on any task."""
        return re.compile(rf"^{re.escape(self.value)}(?::\d+)?$")

    @classmethod
    def of(cls, action_id: str) -> Action:
        """The action an action_id stands for, whatever task it names."""
        return cls(action_id.partition(":")[0])


def button_task(action: dict[str, Any]) -> int:
    """The task number a task button carries in its value."""
    try:
        return parse_task_number(str(action.get("value", "")))
    except BadInput:
        raise BadInput("That button doesn't name a task any more.", hint="Use `/tasks` to find it.") from None


class View(StrEnum):
    """Modals, named for what they ask. ``private_metadata`` holds the task number, where there is one.

    The values are the callback ids Slack sends back on submit: renaming one would break every form
    open at the time of a deploy, so they keep their first spelling.
    """

    NEW_TASK = "delegate_modal"  # /delegate without text: the whole task
    REPORT_PICKER = "report_modal"  # /report without text: which task, and progress or delivery
    PROGRESS = "progress_modal"
    DECLINE_REASON = "decline_modal"
    QUESTION = "ask_modal"
    DELIVERY = "deliver_modal"
    CHANGES_WANTED = "changes_modal"
    ANSWER = "reply_modal"
    NEW_ASSIGNEE = "reassign_modal"
    TASK_EDIT = "edit_modal"
    WORKING_HOURS = "working_hours_modal"  # /tasks settings: the person's own; metadata: a stamp
    THRESHOLDS = "thresholds_modal"  # /tasks settings workspace; metadata: a stamp
    AT_RISK_REASON = "at_risk_modal"
    BLOCKED_REASON = "blocked_modal"
    TASK_DETAIL = "task_detail_modal"  # read only: a task and its history
    WHY = "why_modal"  # read only: a task's fault lines


class Shortcut(StrEnum):
    """Shortcuts' callback ids, as manifest.yml declares them."""

    DELEGATE_MESSAGE = "delegate_message"  # on a message: "Delegate this message"
    DELEGATE = "delegate"  # global: "Delegate a task", from the composer or search


# Input blocks: one block id per field, so a field error lands next to the field.
class Field(StrEnum):
    ASSIGNEES = "assignees"
    TITLE = "title"
    DONE_WHEN = "done_when"
    DUE = "due"
    TEXT = "text"
    PERCENT = "percent"
    TASK = "task"
    DELIVERS = "delivers"
    ASSIGNEE = "assignee"
    EVERY = "every"
