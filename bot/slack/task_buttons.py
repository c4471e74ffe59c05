"""Which buttons a task message offers: the steps the lifecycle table allows now, nothing more.

The assignee's card offers the assignee's next steps; a notice to the owner offers the
decision the assignee's step waits for, only while it still waits. Every button's
action_id names its task, so buttons of several tasks can share a message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.core.lifecycle_table import TRANSITIONS, Role, Step, allowed, steps_for
from bot.core.tasks import Event, EventKind, Task
from bot.slack.blocks import Block, actions, button
from bot.slack.ids import Action

# The button of each step a message can offer, in the order buttons are shown.
_BUTTONS: Mapping[Step, tuple[str, Action, str | None]] = {
    Step.ACCEPT: ("Accept", Action.ACCEPT, "primary"),
    Step.REPORT: ("Report progress", Action.REPORT, None),
    Step.DELIVER: ("Deliver", Action.DELIVER, "primary"),
    Step.ASK: ("Ask a question", Action.ASK, None),
    Step.DECLINE: ("Decline", Action.DECLINE, "danger"),
    Step.APPROVE: ("Approve", Action.APPROVE, "primary"),
    Step.REQUEST_CHANGES: ("Request changes", Action.REQUEST_CHANGES, None),
    Step.ANSWER: ("Reply", Action.REPLY, "primary"),
    Step.REASSIGN: ("Reassign", Action.REASSIGN, "primary"),
    Step.TAKE_BACK: ("Do it myself", Action.TAKE_BACK, None),
}


def _buttons(task: Task, steps: Iterable[Step]) -> list[Block]:
    """One actions block with a button per step the lifecycle allows now; none if it allows none."""
    offered = [step for step in steps if allowed(step, task.status)]
    if not offered:
        return []
    return [actions(*(_button(task, step) for step in offered))]


def _button(task: Task, step: Step) -> Block:
    text, action, style = _BUTTONS[step]
    return button(text, action.for_task(task.number), str(task.number), style=style)


def assignee_buttons(task: Task) -> list[Block]:
    """Every step the assignee's card has a button for, as far as the task's state allows."""
    return _buttons(task, [step for step in _BUTTONS if step in steps_for(Role.ASSIGNEE, task.status)])


# The owner's decision each of the assignee's steps waits for: the step, then its choices.
_DECISIONS: Mapping[EventKind, tuple[Step, tuple[Step, ...]]] = {
    EventKind.DELIVERED: (Step.DELIVER, (Step.APPROVE, Step.REQUEST_CHANGES)),
    EventKind.ASKED: (Step.ASK, (Step.ANSWER,)),
    EventKind.DECLINED: (Step.DECLINE, (Step.REASSIGN, Step.TAKE_BACK)),
}


def owner_buttons(task: Task, event: Event) -> list[Block]:
    """The owner's buttons, only while the task still waits for that decision."""
    decision = _DECISIONS.get(event.kind)
    if decision is None or not _still_waiting(task, event, decision[0]):
        return []
    return _buttons(task, decision[1])


def _still_waiting(task: Task, event: Event, step: Step) -> bool:
    """Whether the task is still where the assignee's ``step`` left it (same person, no later move)."""
    if task.assignee_id != event.actor_id:
        return False
    to = TRANSITIONS[step].to
    return task.open_question is not None if to is None else task.status is to


def step_buttons(task: Task, steps: Iterable[Step]) -> list[Block]:
    """Button elements for the given steps, in that order, as far as the task's state allows.

    For messages that put more than these buttons in one actions block (nudges).
    """
    return [_button(task, step) for step in steps if allowed(step, task.status)]


def side_buttons(task: Task, role: Role) -> list[Block]:
    """Button elements for every step ``role``'s side may take on the task now (the Home tab).

    A Reply needs a question to reply to: without an open one it would change nothing.
    """
    steps = [step for step in _BUTTONS if step in steps_for(role, task.status)]
    if task.open_question is None:
        steps = [step for step in steps if step is not Step.ANSWER]
    return step_buttons(task, steps)
