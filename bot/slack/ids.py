"""action_id and callback_id values, shared by the block builders and the listeners."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """Buttons. Each button's value is the task number it acts on."""

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


class View(StrEnum):
    """Modals. private_metadata holds the task number, where there is one."""

    DELEGATE = "delegate_modal"
    REPORT_PICK = "report_modal"
    DECLINE = "decline_modal"
    ASK = "ask_modal"
    REPORT = "progress_modal"
    DELIVER = "deliver_modal"
    REQUEST_CHANGES = "changes_modal"
    REPLY = "reply_modal"
    REASSIGN = "reassign_modal"
    EDIT = "edit_modal"


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


INPUT_ACTION = "input"  # every input element uses this action_id inside its own block
