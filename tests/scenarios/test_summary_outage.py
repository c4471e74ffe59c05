"""A clock back after an outage: one summary per morning, and no news lost in between.

The story starts on Thursday 26 November 2026, 10:00 UTC. The owner's timezone is
Europe/Berlin (UTC+1): their 09:00 summary is posted at 08:00 UTC, on working days.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.scenarios.conftest import ALICE, MALLORY, OWNER, Story
from tests.scenarios.summary_story import CHANNEL, posted_days, posts, subscription, summaries_at

FRIDAY_8_UTC = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
TUESDAY_7_UTC = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # 08:00 in Berlin: before its summary
TUESDAY_8_UTC = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def subscribed(story: Story) -> None:
    story.slack.add_channel(CHANNEL, members=[OWNER, MALLORY, ALICE])
    story.command("/tasks", user=OWNER, text="summary here 09:00")
    assert subscription(story) is not None, story.ephemeral(OWNER).plain_text()


def approved_after_fridays_summary(story: Story) -> None:
    story.delegate(f"<@{MALLORY}> Fix the typo | done when: typo fixed | due: dec 10")  # T-1
    story.click(story.offer(MALLORY), "Accept", user=MALLORY)
    summaries_at(story, FRIDAY_8_UTC)
    story.clock.now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    story.command("/report", user=MALLORY, text="T-1 done")
    story.click(story.dm(OWNER), "Approve", user=OWNER)


def test_a_missed_post_is_skipped_when_todays_is_still_to_come(story: Story) -> None:
    subscribed(story)
    approved_after_fridays_summary(story)

    # Monday's post was missed; back at 08:00 local on Tuesday, an hour before Tuesday's.
    assert summaries_at(story, TUESDAY_7_UTC) == 0
    assert posted_days(story) == ["2026-11-27"]
    moved = subscription(story)
    assert moved is not None
    assert (moved.last_posted_on, moved.next_post_at) == ("2026-11-27", TUESDAY_8_UTC)

    assert summaries_at(story, TUESDAY_8_UTC) == 1
    assert posted_days(story) == ["2026-11-27", "2026-12-01"]
    assert "1 task approved since the last summary" in posts(story)[-1].plain_text()


def test_back_after_todays_post_time_posts_once_for_today(story: Story) -> None:
    subscribed(story)
    approved_after_fridays_summary(story)

    # Monday's and Tuesday's 09:00 were missed; back at 10:00 local on Tuesday.
    assert summaries_at(story, TUESDAY_8_UTC.replace(hour=9)) == 1
    assert posted_days(story) == ["2026-11-27", "2026-12-01"]
    assert "1 task approved since the last summary" in posts(story)[-1].plain_text()


def test_back_on_a_day_without_a_post_posts_the_missed_one_once(story: Story) -> None:
    subscribed(story)
    # Friday's 09:00 was missed; back on Saturday, the next post is Monday's: not today.
    assert summaries_at(story, datetime(2026, 11, 28, 10, 0, tzinfo=UTC)) == 1
    assert summaries_at(story, datetime(2026, 11, 28, 11, 0, tzinfo=UTC)) == 0
    assert posted_days(story) == ["2026-11-27"]
