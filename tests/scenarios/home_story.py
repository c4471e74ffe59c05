"""Helpers for the Home tab scenarios: seed tasks straight into the database, open the Home,
click its buttons, and read what it shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.core import tasks as core
from bot.core.tasks import Task
from storage import repositories as repo
from tests.scenarios.conftest import OWNER, START, Story

View = dict[str, Any]


def seed(
    story: Story,
    *,
    owner: str = OWNER,
    assignee: str,
    title: str = "Ship the Q3 report",
    done_when: str | None = "PDF sent to the board",
    due_at: datetime | None = START + timedelta(days=10),
    **changes: Any,
) -> Task:
    """A task as if it had lived until now (``status``, ``rework_count``…), created in its history."""
    with story.handoff.runtime.db.session_scope() as session:
        team_id = story.slack.team_id
        created = core.new_task(
            team_id=team_id,
            number=repo.next_task_number(session, team_id=team_id),
            owner_id=owner,
            assignee_id=assignee,
            title=title,
            done_when=done_when,
            due_at=due_at,
            now=START - timedelta(days=2),
        )
        task = repo.add_task(
            session, task=replace(created.after, **changes), request_key=None, now=START - timedelta(days=2)
        )
        assert task is not None and created.event is not None
        repo.add_event(session, task=task, event=created.event)
        return task


def open_home(story: Story, user: str) -> View:
    story.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
    return home(story, user)


def home(story: Story, user: str) -> View:
    view = story.slack.home_view(user)
    assert view is not None, f"no Home tab was published for {user}"
    return view


def publishes_to(story: Story, user: str) -> int:
    return len([c for c in story.slack.calls_to("views.publish") if c.ok and c.args.get("user_id") == user])


def headers(view: View) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]


def text_of(view: View) -> str:
    """Every text the view shows, joined."""
    parts = []
    for block in view["blocks"]:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(e.get("text", "") for e in block.get("elements") or [] if e.get("type") == "mrkdwn")
    return "\n".join(parts)


def buttons_of(view: View, task: Task) -> list[str]:
    """The labels of the buttons on ``task``'s lines, in order (View first)."""
    labels = []
    for block in view["blocks"]:
        elements = [block.get("accessory") or {}, *(block.get("elements") or [])]
        for element in elements:
            action_id = str(element.get("action_id", ""))
            if action_id.endswith(f":{task.number}") and not action_id.startswith("home_page"):
                labels.append(element["text"]["text"])
    return labels


def find_button(view: View, label: str, *, number: int | None = None) -> dict[str, Any]:
    for block in view["blocks"]:
        for element in [block.get("accessory") or {}, *(block.get("elements") or [])]:
            if element.get("type") != "button" or element["text"]["text"] != label:
                continue
            if number is None or element["action_id"].endswith(f":{number}"):
                return dict(element)
    raise AssertionError(f"no {label!r} button{f' on T-{number}' if number else ''} in the Home tab")


def click_home(story: Story, user: str, label: str, *, number: int | None = None) -> None:
    """Click a button of ``user``'s Home tab as Slack sends it: with the view, without a response_url."""
    view = home(story, user)
    button = find_button(view, label, number=number)
    story.requests.block_action(
        user=user, action_id=button["action_id"], value=button["value"], view=view, text=label
    )
    story.settle()
