"""The posted summary: when (local time, working days), what (sections, scope), and quiet days.

The story starts on Thursday 26 November 2026, 10:00 UTC. The owner's timezone is
Europe/Berlin (UTC+1), so their 09:00 summary is posted at 08:00 UTC; Mallory and Alice
are in the channel with the owner unless a test says otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.scenarios.conftest import ALICE, BOB, MALLORY, OWNER, Story, both_databases
from tests.scenarios.nudge_story import seed_offers
from tests.scenarios.summary_story import CHANNEL, posted_days, posts, subscription, summaries_at

FRIDAY_8_UTC = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
SATURDAY_8_UTC = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
MONDAY_8_UTC = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def subscribed(story: Story, text: str = "summary here 09:00", *, channel: str = CHANNEL) -> None:
    story.slack.add_channel(channel, members=[OWNER, MALLORY, ALICE])
    story.command("/tasks", user=OWNER, text=text, channel=channel)
    assert subscription(story, channel) is not None, story.ephemeral(OWNER).plain_text()


def accepted(story: Story, text: str, *, by: str = MALLORY) -> None:
    story.delegate(f"<@{by}> {text}")
    story.click(story.offer(by), "Accept", user=by)


@both_databases
def test_the_sections_of_a_busy_day_come_most_urgent_first(story: Story) -> None:
    subscribed(story)
    accepted(story, "Ship the Q3 report | done when: PDF sent to the board | due: friday 4pm")  # T-1
    story.delegate(f"<@{ALICE}> Book the venue | done when: contract signed | due: dec 10")  # T-2
    accepted(story, "Tidy the wiki")  # T-3: unclear
    accepted(story, "Draft the memo | done when: memo in the drive | due: dec 10")  # T-4
    story.command("/report", user=MALLORY, text="T-4 done it is in the drive")
    accepted(story, "Fix the typo | done when: typo fixed | due: dec 10")  # T-5
    accepted(story, "Send the invoice | done when: invoice sent | due: monday 5pm")  # T-6
    story.clock.now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # Friday, after Friday's summary
    story.command("/report", user=MALLORY, text="T-5 done")
    story.click(story.dm(OWNER), "Approve", user=OWNER)

    assert summaries_at(story, MONDAY_8_UTC) == 1  # Friday's was missed: one post, for today

    [post] = posts(story)
    assert posted_days(story) == ["2026-11-30"]
    text = post.plain_text()
    order = [
        "*Overdue*", "T-1", "*Awaiting acceptance*", "T-2", "*Unclear*", "T-3",
        "*Awaiting review*", "T-4", "*Due today*", "T-6", "*Approved*", "T-5",
    ]  # fmt: skip
    positions = [text.index(word) for word in order]
    assert positions == sorted(positions), text
    assert "Monday, 30 November 2026" in text
    assert f"<@{MALLORY}> (from <@{OWNER}>)" in text
    assert "no definition of done" in text
    assert "Open: 5" in text
    nudge_now = [b["value"] for b in post.buttons() if b["text"]["text"] == "Nudge now"]
    assert nudge_now == ["1", "2", "6"]


def test_a_friday_subscription_posts_monday_not_saturday(story: Story) -> None:
    subscribed(story)
    assert summaries_at(story, datetime(2026, 11, 27, 7, 59, tzinfo=UTC)) == 0
    assert summaries_at(story, FRIDAY_8_UTC) == 1
    assert summaries_at(story, FRIDAY_8_UTC.replace(minute=1)) == 0
    assert summaries_at(story, SATURDAY_8_UTC) == 0
    assert summaries_at(story, datetime(2026, 11, 29, 8, 0, tzinfo=UTC)) == 0  # Sunday
    assert summaries_at(story, MONDAY_8_UTC) == 1
    assert posted_days(story) == ["2026-11-27", "2026-11-30"]


def test_custom_days_post_only_on_them(story: Story) -> None:
    subscribed(story, "summary here 09:00 days:mon,wed,fri")
    for day in range(27, 31):  # Friday to Monday
        summaries_at(story, datetime(2026, 11, day, 8, 0, tzinfo=UTC))
    summaries_at(story, datetime(2026, 12, 1, 8, 0, tzinfo=UTC))  # Tuesday
    summaries_at(story, datetime(2026, 12, 2, 8, 0, tzinfo=UTC))  # Wednesday
    assert posted_days(story) == ["2026-11-27", "2026-11-30", "2026-12-02"]


def test_berlin_and_utc_channels_post_at_their_own_nine(story: Story) -> None:
    subscribed(story, channel="CBERLIN")  # the owner's timezone
    subscribed(story, "summary here 09:00 tz:UTC", channel="CUTC")
    summaries_at(story, FRIDAY_8_UTC)
    assert (posted_days(story, "CBERLIN"), posted_days(story, "CUTC")) == (["2026-11-27"], [])
    summaries_at(story, FRIDAY_8_UTC.replace(hour=9))
    assert posted_days(story, "CUTC") == ["2026-11-27"]
    assert len(posts(story, "CBERLIN")) == 1


def test_a_far_timezone_posts_for_its_own_date(story: Story) -> None:
    # 09:00 Friday in Auckland (UTC+13) is Thursday 20:00 UTC.
    subscribed(story, "summary here 09:00 tz:Pacific/Auckland")
    assert summaries_at(story, datetime(2026, 11, 26, 20, 0, tzinfo=UTC)) == 1
    assert posted_days(story) == ["2026-11-27"]


def test_a_quiet_day_posts_the_all_clear_line_or_nothing_if_chosen(story: Story) -> None:
    subscribed(story, channel="CLOUD")
    subscribed(story, "summary here 09:00 quiet", channel="CQUIET")
    assert summaries_at(story, FRIDAY_8_UTC) == 1
    [post] = posts(story, "CLOUD")
    assert "All clear" in post.plain_text()
    assert posts(story, "CQUIET") == []
    moved = subscription(story, "CQUIET")
    assert moved is not None and moved.next_post_at == MONDAY_8_UTC  # a quiet day still counts as served


def test_the_channel_members_decide_whose_tasks_are_shown(story: Story) -> None:
    story.slack.add_channel(CHANNEL, members=[MALLORY])  # the owner is not in it
    story.command("/tasks", user=MALLORY, text="summary here 09:00")
    story.delegate(f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent | due: dec 10")  # T-1: Mallory's
    story.delegate(f"<@{BOB}> Book the venue | done when: contract signed | due: dec 10")  # T-2: nobody's

    story.slack.add_channel(CHANNEL, members=[f"U{n:05d}" for n in range(250)] + [MALLORY])  # two pages
    summaries_at(story, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))  # 09:00 in Mallory's timezone, UTC
    [post] = posts(story)
    assert "T-1" in post.plain_text() and "T-2" not in post.plain_text()
    assert len(story.slack.calls_to("conversations.members")) >= 3  # the subscription's check, then two pages


def test_a_task_whose_owner_alone_is_in_the_channel_is_shown(story: Story) -> None:
    story.slack.add_channel(CHANNEL, members=[OWNER])  # neither assignee is in it
    story.command("/tasks", user=OWNER, text="summary here 09:00")
    story.delegate(f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent | due: dec 10")  # T-1: the owner's
    story.delegate(f"<@{BOB}> Book the venue | done when: contract signed | due: dec 10", user=ALICE)  # T-2
    summaries_at(story, FRIDAY_8_UTC)
    [post] = posts(story)
    assert "T-1" in post.plain_text() and "T-2" not in post.plain_text()


def test_the_owner_filter_shows_only_their_delegations(story: Story) -> None:
    story.slack.add_channel(CHANNEL, members=[ALICE])
    story.command("/tasks", user=ALICE, text=f"summary here 09:00 tz:UTC owner:<@{OWNER}>")
    story.delegate(f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent | due: dec 10")  # T-1, the owner's
    # T-2 is Alice's own delegation
    story.delegate(f"<@{OWNER}> Review the budget | done when: budget signed | due: dec 10", user=ALICE)
    members_before = len(story.slack.calls_to("conversations.members"))
    summaries_at(story, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    [post] = posts(story)
    text = post.plain_text()
    assert "T-1" in text and "T-2" not in text
    assert f"owned by <@{OWNER}>" in text
    assert len(story.slack.calls_to("conversations.members")) == members_before  # no need to ask Slack


def test_a_stopped_subscription_posts_nothing(story: Story) -> None:
    subscribed(story)
    story.command("/tasks", user=OWNER, text="summary off")
    assert summaries_at(story, FRIDAY_8_UTC) == 0
    assert posts(story) == []


def test_a_crowded_day_is_cut_honestly_within_slacks_limits(story: Story) -> None:
    subscribed(story)
    seed_offers(story.handoff.runtime.db, team_id=story.slack.team_id, count=60)
    summaries_at(story, FRIDAY_8_UTC)
    [post] = posts(story)  # the fake refuses a message past Block Kit's limits
    assert len(post.blocks) <= 50
    text = post.plain_text()
    assert "T-1 " in text.replace("*", "") and "T-60" not in text
    assert "more — see the Home tab or /tasks" in text
    assert "Awaiting acceptance* (60)" in text


def test_after_days_without_a_clock_approvals_since_the_last_post_are_still_news(story: Story) -> None:
    subscribed(story)
    accepted(story, "Fix the typo | done when: typo fixed | due: dec 10")  # T-1
    summaries_at(story, FRIDAY_8_UTC)
    story.clock.now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # Friday, after its summary
    story.command("/report", user=MALLORY, text="T-1 done")
    story.click(story.dm(OWNER), "Approve", user=OWNER)
    summaries_at(story, datetime(2026, 12, 1, 8, 0, tzinfo=UTC))  # the clock was down on Monday
    assert posted_days(story) == ["2026-11-27", "2026-12-01"]
    assert "1 task approved since the last summary" in posts(story)[-1].plain_text()
