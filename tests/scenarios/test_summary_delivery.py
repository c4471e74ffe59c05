"""Getting a summary out: rate limits, lost answers, Slack down, a restart, the default channel.

The story starts on Thursday 26 November 2026, 10:00 UTC; the owner's summary (Berlin 09:00)
is due on Friday at 08:00 UTC.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from typing import Any

from pytest import MonkeyPatch
from sqlmodel import col, select

from bot.services import summary_posts
from bot.services.runtime import Runtime
from bot.services.summary_posts import run_due_summaries
from storage.db import Database
from storage.models import OutboxMessage
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, Story
from tests.scenarios.summary_story import (
    CHANNEL,
    answer,
    posted_days,
    posts,
    subscription,
    summaries_at,
    summaries_without_sending,
)

FRIDAY_8_UTC = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
MONDAY_8_UTC = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def subscribed(story: Story) -> None:
    story.slack.add_channel(CHANNEL, members=[OWNER, MALLORY, ALICE])
    story.command("/tasks", user=OWNER, text="summary here 09:00")


def summary_rows(story: Story) -> list[OutboxMessage]:
    with story.handoff.runtime.db.session_scope(write=False) as session:
        query = select(OutboxMessage).where(col(OutboxMessage.kind) == "summary")
        return list(session.exec(query).all())


def test_a_rate_limited_post_is_sent_after_retry_after(story: Story) -> None:
    subscribed(story)
    story.slack.fail_next("chat.postMessage", status=429, retry_after=30)
    summaries_at(story, FRIDAY_8_UTC)
    assert posts(story) == []
    [row] = summary_rows(story)
    assert row.status == "pending"

    story.later(seconds=31)  # Retry-After is over
    assert posted_days(story) == ["2026-11-27"]
    calls = story.slack.calls_to("chat.postMessage")
    statuses = [c.status for c in calls if c.args.get("channel") == CHANNEL]
    assert statuses == [429, 200]


def test_a_post_whose_answer_was_lost_is_looked_for_in_the_channel_not_posted_again(story: Story) -> None:
    subscribed(story)
    story.handoff.sender.gateway.client.timeout = 1  # the bot stops waiting after 1 s ...
    slow = story.slack.hold_next("chat.postMessage")  # ... while Slack takes longer
    summaries_at(story, FRIDAY_8_UTC)
    [row] = summary_rows(story)
    assert (row.status, row.maybe_sent) == ("pending", True)
    slow.release.set()
    story.slack.wait_for(lambda: posts(story))  # it did land, late

    story.later(seconds=31)
    assert len(posts(story)) == 1
    [lookup] = story.slack.calls_to("conversations.history")
    assert lookup.args["channel"] == CHANNEL
    assert summary_rows(story)[0].status == "sent"


def test_slack_down_leaves_the_summary_due_for_the_next_run(story: Story) -> None:
    subscribed(story)
    story.slack.fail_next("conversations.members", error="fetch_members_failed")
    assert summaries_at(story, FRIDAY_8_UTC) == 0
    still = subscription(story)
    assert still is not None and still.next_post_at == FRIDAY_8_UTC and still.last_posted_on is None

    assert summaries_at(story, FRIDAY_8_UTC.replace(minute=1)) == 1
    assert posted_days(story) == ["2026-11-27"]


def test_a_bot_removed_from_the_channel_is_not_retried_forever(story: Story) -> None:
    subscribed(story)
    story.slack.add_channel(CHANNEL, members=[OWNER], bot_member=False)
    summaries_at(story, FRIDAY_8_UTC)
    [row] = summary_rows(story)
    assert row.status == "failed"  # not_in_channel: no retry changes it


def test_a_restart_after_queueing_posts_the_day_once(story: Story) -> None:
    subscribed(story)
    assert summaries_without_sending(story, FRIDAY_8_UTC) == 1  # queued; the process dies before sending
    restarted = Database.from_url(str(story.handoff.runtime.db.engine.url))
    try:
        before = story.handoff.runtime
        rt = Runtime(settings=before.settings, db=restarted, gateway=before.gateway)
        assert run_due_summaries(rt, now=FRIDAY_8_UTC.replace(minute=5)) == 0
    finally:
        restarted.engine.dispose()
    story.later(seconds=1)
    assert posted_days(story) == ["2026-11-27"]


def test_subscribing_again_the_same_day_does_not_post_twice(story: Story) -> None:
    subscribed(story)
    summaries_at(story, FRIDAY_8_UTC)
    story.command("/tasks", user=OWNER, text="summary here 15:00")  # later the same day
    assert summaries_at(story, FRIDAY_8_UTC.replace(hour=14)) == 0
    assert posted_days(story) == ["2026-11-27"]
    assert summaries_at(story, MONDAY_8_UTC.replace(hour=14)) == 1


def test_the_workspace_default_channel_is_subscribed_once_and_stays_off_when_stopped(story: Story) -> None:
    rt = story.handoff.runtime
    rt.settings = replace(rt.settings, summary_channel="CTEAM", summary_time=time(9, 30))
    story.slack.add_channel("CTEAM", members=[OWNER, MALLORY])
    auth_tests_before_the_passes = len(story.slack.calls_to("auth.test"))

    assert summaries_at(story, story.clock.now) == 0  # Thursday 10:00: made, first due Friday
    made = subscription(story, "CTEAM")
    assert made is not None and made.running
    assert (made.at, made.timezone, made.subscribed_by) == (time(9, 30), "UTC", story.slack.bot_user_id)
    assert made.next_post_at == FRIDAY_8_UTC.replace(hour=9, minute=30)
    assert summaries_at(story, FRIDAY_8_UTC.replace(hour=9, minute=30)) == 1
    assert posted_days(story, "CTEAM") == ["2026-11-27"]
    # Each minute's pass reads the row; Slack is asked who the bot is once, nothing is written.
    assert len(story.slack.calls_to("auth.test")) == auth_tests_before_the_passes + 1

    story.command("/tasks", user=OWNER, text="summary off", channel="CTEAM")
    assert "stopped" in answer(story, OWNER)
    assert summaries_at(story, MONDAY_8_UTC.replace(hour=10)) == 0
    stopped = subscription(story, "CTEAM")
    assert stopped is not None and not stopped.running  # not subscribed again
    assert posted_days(story, "CTEAM") == ["2026-11-27"]


def test_one_channel_failing_does_not_hold_up_the_others(story: Story, monkeypatch: MonkeyPatch) -> None:
    for channel in ("CBROKEN", "CFINE"):
        story.slack.add_channel(channel, members=[OWNER, MALLORY])
        story.command("/tasks", user=OWNER, text="summary here 09:00", channel=channel)
    real_build, failures = summary_posts.build_summary, [RuntimeError("a bug in one channel's summary")]

    def broken_for_one(histories: Any, **kwargs: Any) -> Any:
        if failures:  # the first channel read fails, once
            raise failures.pop()
        return real_build(histories, **kwargs)

    monkeypatch.setattr(summary_posts, "build_summary", broken_for_one)
    assert summaries_at(story, FRIDAY_8_UTC) == 1
    posted = {channel: posted_days(story, channel) for channel in ("CBROKEN", "CFINE")}
    assert sorted(posted.values()) == [[], ["2026-11-27"]]
    assert summaries_at(story, FRIDAY_8_UTC.replace(minute=1)) == 1  # the failed one, on the next run
    assert all(posted_days(story, channel) == ["2026-11-27"] for channel in ("CBROKEN", "CFINE"))


def test_a_scope_changed_while_members_were_read_is_read_again(
    story: Story, monkeypatch: MonkeyPatch
) -> None:
    subscribed(story)
    story.delegate(f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent | due: dec 10")  # T-1, the owner's
    story.delegate(
        f"<@{OWNER}> Review the budget | done when: budget signed | due: dec 10", user=ALICE
    )  # T-2
    gateway = story.handoff.runtime.gateway
    read_members = gateway.channel_members

    def members_while_someone_narrows_it(channel: str, **kwargs: Any) -> list[str]:
        monkeypatch.setattr(gateway, "channel_members", read_members)  # once
        story.command("/tasks", user=ALICE, text=f"summary here 09:00 tz:Europe/Berlin owner:<@{OWNER}>")
        return read_members(channel, **kwargs)

    monkeypatch.setattr(gateway, "channel_members", members_while_someone_narrows_it)
    # Subscribing again moved the subscription on, so the claim no longer finds it due: nothing is
    # posted with the members read for the old scope.
    assert summaries_at(story, FRIDAY_8_UTC) == 0
    # Subscribed again at 09:00 Berlin: today's moment has passed, the new one posts next on Monday.
    assert summaries_at(story, MONDAY_8_UTC) == 1
    [post] = posts(story)
    assert "T-1" in post.plain_text() and "T-2" not in post.plain_text()
