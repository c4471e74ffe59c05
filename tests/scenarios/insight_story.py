"""Helpers for the scorecard and "why" scenarios: one person's task card, and what people read."""

from __future__ import annotations

from bot.playground.slack.fake_slack import Message
from bot.slack.ids import Field
from tests.scenarios.conftest import ALICE, OWNER, Story


def card(story: Story, user: str, number: int) -> Message:
    """The task card of T-<number> in ``user``'s DMs (cards open with a header naming the task)."""
    cards = [
        m
        for m in story.dms(user)
        if m.blocks and m.blocks[0].get("type") == "header" and f"T-{number} ·" in m.plain_text()
    ]
    assert cards, f"{user} got no card for T-{number}; messages: {story.slack.describe_messages()}"
    return cards[-1]


def accept(story: Story, number: int, *, user: str = ALICE) -> None:
    story.click(card(story, user, number), "Accept", user=user)


def decline(story: Story, number: int, reason: str, *, user: str = ALICE) -> None:
    story.click(card(story, user, number), "Decline", user=user)
    story.submit(story.slack.last_view(), user=user, **{Field.TEXT: reason})


def deliver(story: Story, number: int, *, user: str = ALICE) -> None:
    story.command("/report", user=user, text=f"T-{number} done the PDF is in the shared folder")


def approve(story: Story, *, owner: str = OWNER) -> None:
    """Approve the delivery the owner was just told about."""
    story.click(story.dm(owner), "Approve", user=owner)


def request_changes(story: Story, reason: str, *, owner: str = OWNER) -> None:
    story.click(story.dm(owner), "Request changes", user=owner)
    story.submit(story.slack.last_view(), user=owner, **{Field.TEXT: reason})


def answer(story: Story, command_text: str, *, user: str = OWNER) -> str:
    """What ``user`` reads in answer to ``/tasks <command_text>``."""
    story.command("/tasks", user=user, text=command_text)
    return story.ephemeral(user).plain_text()
