""" "Nudge now" on a summary line: the owner chases the assignee once; nobody else may.

The story starts on Thursday 26 November 2026, 10:00 UTC; the owner's summary (Berlin 09:00)
is posted on Friday at 08:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.scenarios.conftest import ALICE, MALLORY, OWNER, Story
from tests.scenarios.nudge_story import nudges_to, sweep_at
from tests.scenarios.summary_story import CHANNEL, answer, click_for_task, posts, summaries_at

FRIDAY_8_UTC = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
MONDAY_9_UTC = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def summary_with_an_offer(story: Story) -> None:
    story.slack.add_channel(CHANNEL, members=[OWNER, MALLORY, ALICE])
    story.command("/tasks", user=OWNER, text="summary here 09:00")
    story.delegate(f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent to the board | due: dec 10")
    summaries_at(story, FRIDAY_8_UTC)


def test_the_owner_nudges_the_assignee_once_however_often_they_click(story: Story) -> None:
    summary_with_an_offer(story)
    [post] = posts(story)
    before = len(story.dms(MALLORY))

    click_for_task(story, post, "Nudge now", 1, user=OWNER)
    assert f"Nudged <@{MALLORY}> about T-1" in answer(story, OWNER)
    assert nudges_to(story, MALLORY) == ["T-1 ack_reminder"]
    assert len(story.dms(MALLORY)) == before + 1

    click_for_task(story, post, "Nudge now", 1, user=OWNER)  # a double click
    assert "already nudged" in answer(story, OWNER)
    assert nudges_to(story, MALLORY) == ["T-1 ack_reminder"]


def test_only_the_owner_may_nudge(story: Story) -> None:
    summary_with_an_offer(story)
    [post] = posts(story)
    click_for_task(story, post, "Nudge now", 1, user=ALICE)
    assert f"Only <@{OWNER}>, who delegated T-1, can nudge" in answer(story, ALICE)
    assert nudges_to(story, MALLORY) == []


def test_a_task_closed_since_the_summary_has_nothing_to_chase(story: Story) -> None:
    summary_with_an_offer(story)
    [post] = posts(story)
    story.command("/tasks", user=OWNER, text="T-1 cancel not needed any more")
    click_for_task(story, post, "Nudge now", 1, user=OWNER)
    assert "nothing to chase" in answer(story, OWNER)
    assert nudges_to(story, MALLORY) == []


def test_an_accepted_task_past_due_is_chased_as_overdue(story: Story) -> None:
    story.slack.add_channel(CHANNEL, members=[OWNER, MALLORY])
    story.command("/tasks", user=OWNER, text="summary here 09:00")
    story.delegate(f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent to the board | due: today 5pm")
    story.click(story.offer(MALLORY), "Accept", user=MALLORY)
    summaries_at(story, FRIDAY_8_UTC)  # due Thursday 16:00 UTC: a day late
    [post] = posts(story)
    click_for_task(story, post, "Nudge now", 1, user=OWNER)
    assert nudges_to(story, MALLORY) == ["T-1 overdue"]


def test_the_sweep_counts_a_nudge_sent_now_before_it_chases_again(story: Story) -> None:
    story.slack.add_channel(CHANNEL, members=[OWNER, MALLORY])
    story.command("/tasks", user=OWNER, text="summary here 09:00")
    story.delegate(f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent to the board | due: today 5pm")
    story.click(story.offer(MALLORY), "Accept", user=MALLORY)
    summaries_at(story, FRIDAY_8_UTC)
    [post] = posts(story)
    click_for_task(story, post, "Nudge now", 1, user=OWNER)

    sweep_at(story, FRIDAY_8_UTC + timedelta(hours=1))  # the same morning: not again
    assert nudges_to(story, MALLORY) == ["T-1 overdue"]
    sweep_at(story, MONDAY_9_UTC)  # NUDGE_REPEAT_EVERY (a day) later, on a working day
    assert nudges_to(story, MALLORY) == ["T-1 overdue", "T-1 overdue"]
