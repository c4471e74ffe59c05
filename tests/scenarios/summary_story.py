"""Helpers for the daily summary scenarios: run the clock's summary pass at a time, read the posts.

A summary is recognised by the outbox key its post carries in Slack ``metadata``
(``summary:<channel>:<local date>``), so the tests do not depend on its wording.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.playground.slack.interaction_payloads import block_id_of
from bot.playground.slack.slack_records import Message
from bot.services.summary_posts import run_due_summaries
from storage import summaries
from storage.summaries import Subscription
from tests.scenarios.conftest import Story

CHANNEL = "C0GENERAL"  # where story.command types by default


def summaries_at(story: Story, when: datetime) -> int:
    """The clock's summary pass at ``when`` (UTC); the sender then delivers what it queued."""
    assert when >= story.clock.now, "time only moves forward"
    story.clock.now = when
    queued = run_due_summaries(story.handoff.runtime)
    story.handoff.dispatcher.poke()
    story.settle()
    return queued


def summaries_without_sending(story: Story, when: datetime) -> int:
    story.clock.now = when
    return run_due_summaries(replace(story.handoff.runtime, messages_queued=lambda: None))


def posts(story: Story, channel: str = CHANNEL) -> list[Message]:
    """The summaries the bot posted in ``channel``, oldest first."""
    return [m for m in story.slack.messages(channel) if summary_key(m).startswith("summary:")]


def summary_key(message: Message) -> str:
    return str(((message.metadata or {}).get("event_payload") or {}).get("key", ""))


def posted_days(story: Story, channel: str = CHANNEL) -> list[str]:
    """The local days the channel got a summary for, oldest first."""
    return [summary_key(m).rsplit(":", 1)[1] for m in posts(story, channel)]


def subscription(story: Story, channel: str = CHANNEL) -> Subscription | None:
    with story.handoff.runtime.db.session_scope(write=False) as session:
        return summaries.get(session, team_id=story.slack.team_id, channel_id=channel)


def click_for_task(story: Story, message: Message, label: str, number: int, *, user: str) -> Any:
    """Click ``label`` on task ``number``'s line of a summary (each line has its own buttons)."""
    matching = [
        b
        for b in message.buttons()
        if b.get("text", {}).get("text") == label and b.get("value") == str(number)
    ]
    assert matching, f"no {label!r} button for T-{number}: {[b.get('action_id') for b in message.buttons()]}"
    button = matching[0]
    reply = story.requests.block_action(
        user=user, action_id=button["action_id"], value=button["value"],
        block_id=block_id_of(message.blocks, button), message=message, text=label,
    )  # fmt: skip
    story.settle()
    return reply


def answer(story: Story, user: str) -> str:
    """The private answer ``user`` got last, as plain text."""
    return story.ephemeral(user).plain_text()
