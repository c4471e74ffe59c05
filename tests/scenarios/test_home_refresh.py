"""The Home tab follows my tasks: republished through the outbox after each change, once per
person per HOME_REFRESH_EVERY (5 s) however many changes there were, rendered when sent."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select

from bot.core.tasks import Status
from storage.models import OutboxMessage
from tests.scenarios.conftest import ALICE, BOB, OWNER, Story, both_databases
from tests.scenarios.home_story import buttons_of, click_home, headers, home, publishes_to, text_of

SECOND_OFFER = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # a weekly series from Friday 27 November
TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday"


def home_rows(story: Story) -> list[OutboxMessage]:
    with story.handoff.runtime.db.session_scope(write=False) as session:
        query = select(OutboxMessage).where(col(OutboxMessage.kind) == "home")
        return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


@both_databases
def test_both_sides_see_a_delegation_and_its_acceptance_on_their_home_tabs(story: Story) -> None:
    story.delegate(TASK)
    assert publishes_to(story, ALICE) == 0  # waits for the end of the window
    story.later(seconds=6)
    task = story.task(1)
    assert task is not None
    assert headers(home(story, ALICE))[1:] == ["Awaiting acceptance (1)"]
    assert buttons_of(home(story, ALICE), task) == ["View", "Accept", "Ask a question", "Decline"]
    assert buttons_of(home(story, OWNER), task) == ["View", "Reassign", "Do it myself"]

    click_home(story, ALICE, "Accept", number=1)
    story.later(seconds=6)
    assert (publishes_to(story, ALICE), publishes_to(story, OWNER)) == (2, 2)
    assert headers(home(story, ALICE))[1:] == ["Later (1)"]
    assert buttons_of(home(story, ALICE), task) == ["View", "Report progress", "Deliver", "Ask a question"]
    assert "in progress" in text_of(home(story, OWNER)) and f"with <@{ALICE}>" in text_of(home(story, OWNER))


def test_five_changes_in_one_window_make_one_publish_and_the_next_window_another(story: Story) -> None:
    for n in range(5):  # five tasks for Alice within the same few seconds
        story.delegate(f"<@{ALICE}> Task number {n} | done when: PDF sent | due: friday")
    assert len([row for row in home_rows(story) if row.recipient_id == ALICE]) == 1

    story.later(seconds=6)
    assert publishes_to(story, ALICE) == 1
    assert "5 open tasks" in text_of(home(story, ALICE))  # rendered when sent, not when queued

    story.click(story.offer(ALICE), "Accept", user=ALICE)  # the next window
    assert publishes_to(story, ALICE) == 1
    story.later(seconds=6)
    assert publishes_to(story, ALICE) == 2
    assert "Report progress" in str(home(story, ALICE)["blocks"])
    story.later(seconds=60)
    assert publishes_to(story, ALICE) == 2  # nothing changed since


def test_a_reassignment_refreshes_the_previous_assignee_too(story: Story) -> None:
    story.delegate(TASK)
    story.later(seconds=6)
    assert "T-1" in text_of(home(story, ALICE))
    story.command("/tasks", user=OWNER, text=f"T-1 reassign <@{BOB}>")
    story.later(seconds=6)
    assert "T-1" not in text_of(home(story, ALICE))
    assert "T-1" in text_of(home(story, BOB))


def test_a_rate_limited_publish_is_sent_again_after_the_wait(story: Story) -> None:
    story.delegate(TASK)
    story.slack.fail_next("views.publish", status=429, retry_after=2)
    story.later(seconds=6)
    assert [c.status for c in story.slack.calls_to("views.publish")].count(429) == 1
    assert publishes_to(story, ALICE) + publishes_to(story, OWNER) < 2  # one waits out the Retry-After
    story.later(seconds=3)
    assert (publishes_to(story, ALICE), publishes_to(story, OWNER)) == (1, 1)
    assert [row.status for row in home_rows(story)] == ["sent", "sent"]
    task = story.task(1)
    assert task is not None and task.status is Status.AWAITING_ACCEPTANCE


def test_the_sweeps_next_occurrence_of_a_series_reaches_both_home_tabs(story: Story) -> None:
    weekly = f"<@{ALICE}> Weekly metrics | done when: sheet updated | due: friday 4pm | every: week"
    story.delegate(weekly)
    story.later(seconds=6)
    assert "T-2" not in text_of(home(story, ALICE))
    story.clock.now = SECOND_OFFER  # the series offers its next occurrence
    assert story.sweep().occurrences_offered == 1
    story.later(seconds=6)
    assert "T-2" in text_of(home(story, ALICE)) and "T-2" in text_of(home(story, OWNER))


def test_a_publish_answered_with_a_server_error_is_published_again_without_a_look_up(story: Story) -> None:
    """A Home tab published twice shows the same: unlike a new message, nothing is looked up first."""
    story.delegate(TASK)
    story.slack.fail_next("views.publish", status=500, retry_after=0)
    story.later(seconds=6)
    assert [c.status for c in story.slack.calls_to("views.publish")].count(500) == 1
    assert (publishes_to(story, ALICE), publishes_to(story, OWNER)) == (1, 1)
    assert story.slack.calls_to("conversations.history") == []
