"""The Why? button (on the daily summary and the Home tab) opens the task's fault lines in a modal."""

from __future__ import annotations

from typing import Any

from bot.playground.slack.slack_requests import Reply
from bot.slack.ids import Action
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, Story, both_databases
from tests.scenarios.insight_story import accept, deliver, request_changes

TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: 2026-11-27 12:00"


def home_of(story: Story, user: str) -> dict[str, Any]:
    story.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
    home = story.slack.home_view(user)
    assert home is not None
    return home


def click_why(story: Story, *, user: str, number: int = 1) -> Reply:
    """A Why? button on the user's Home tab, clicked."""
    reply = story.requests.block_action(
        user=user, action_id=Action.WHY.for_task(number), value=str(number), view=home_of(story, user)
    )
    story.settle()
    return reply


def modal_text(view: dict[str, Any]) -> str:
    return "\n".join(str(block.get("text", {}).get("text", "")) for block in view["blocks"])


@both_databases
def test_why_opens_a_read_only_modal_with_the_timeline(story: Story) -> None:
    story.delegate(TASK)
    story.later(hours=1)
    accept(story, 1)
    story.later(hours=30)  # 6 h late
    deliver(story, 1)
    request_changes(story, "Add the appendix")

    assert click_why(story, user=OWNER).status == 200

    modal = story.slack.last_view()
    assert modal["title"]["text"] == "Why? T-1"
    assert modal["close"]["text"] == "Close" and not modal.get("submit")  # read only
    text = modal_text(modal)
    # Sent back past its due date: it is with alice again, and overdue.
    assert "*overdue by 6 hours* · <@UALICE> held the ball" in text
    assert "*1 round of changes: “Add the appendix”*" in text
    assert "*Largest fault:* The work was sent back for changes once, and it is overdue by 6 hours." in text


def test_someone_not_on_the_task_gets_the_usual_refusal_and_no_modal(story: Story) -> None:
    story.delegate(TASK)
    opened = len(story.slack.views_opened)

    click_why(story, user=MALLORY)

    assert len(story.slack.views_opened) == opened
    assert "You have no task T-1." in story.dm(MALLORY).plain_text()


def test_why_from_a_channel_message_opens_the_modal_or_refuses_in_the_channel(story: Story) -> None:
    """The daily summary's Why? button sits in a channel, where anyone may click it."""
    story.delegate(TASK)
    story.later(hours=50)  # not accepted, past due

    def click(user: str) -> Reply:
        reply = story.requests.block_action(
            user=user, action_id=Action.WHY.for_task(1), value="1", channel="C0GENERAL"
        )
        story.settle()
        return reply

    click(OWNER)
    text = modal_text(story.slack.last_view())
    assert "*offer not accepted for 2 days 2 hours* · <@UALICE>" in text
    assert "*Largest fault:* It is overdue by 1 day" in text

    opened = len(story.slack.views_opened)
    refused = click(MALLORY)
    assert len(story.slack.views_opened) == opened
    assert "You have no task T-1." in str(story.slack.responses(refused.response_url or ""))
