"""``/tasks summary here|off`` and a bare ``/tasks summary``: a channel subscribes, sees, stops.

The story starts on Thursday 26 November 2026, 10:00 UTC; the owner's Slack timezone is
Europe/Berlin, the workspace default UTC, working days mon-fri, SUMMARY_TIME 09:00.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time

import pytest

from tests.scenarios.conftest import ALICE, OWNER, Story, both_databases
from tests.scenarios.summary_story import CHANNEL, answer, subscription

ALICE_TZ = "America/New_York"


@both_databases
def test_a_channel_subscribes_sees_its_subscription_and_stops_it(story: Story) -> None:
    story.command("/tasks", user=OWNER, text="summary")
    assert "no daily summary" in answer(story, OWNER)
    assert "/tasks summary here 09:00" in answer(story, OWNER)

    story.command("/tasks", user=OWNER, text="summary here")
    said = answer(story, OWNER)
    assert "Every mon-fri at 09:00 Europe/Berlin" in said  # the subscriber's own timezone
    assert "tasks whose owner or assignee is in this channel" in said
    assert "quiet days post a short all-clear line" in said
    made = subscription(story)
    assert made is not None and made.running
    # Friday 09:00 in Berlin is 08:00 UTC: the next working day's, today's 09:00 having passed.
    assert made.next_post_at == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)

    story.command("/tasks", user=ALICE, text="summary")
    assert "Every mon-fri at 09:00 Europe/Berlin" in answer(story, ALICE)

    story.command("/tasks", user=OWNER, text="summary off")
    assert "stopped" in answer(story, OWNER)
    stopped = subscription(story)
    assert stopped is not None and not stopped.running
    story.command("/tasks", user=OWNER, text="summary")
    assert "no daily summary" in answer(story, OWNER)
    story.command("/tasks", user=OWNER, text="summary off")
    assert "gets no daily summary" in answer(story, OWNER)


def test_options_are_kept_and_said_back(story: Story) -> None:
    story.command(
        "/tasks", user=ALICE, text=f"summary here 16:30 owner:<@{OWNER}> tz:Asia/Tokyo days:mon,wed,fri quiet"
    )
    said = answer(story, ALICE)
    said_back = f"Every mon,wed,fri at 16:30 Asia/Tokyo, tasks owned by <@{OWNER}>; quiet days post nothing"
    assert said_back in said
    made = subscription(story)
    assert made is not None
    assert (made.at, made.timezone, made.days, made.owner_id, made.quiet) == (
        time(16, 30), "Asia/Tokyo", frozenset({0, 2, 4}), OWNER, True,
    )  # fmt: skip

    story.command("/tasks", user=ALICE, text="summary here 08:00")  # typed again: replaces it
    again = subscription(story)
    assert again is not None
    # Alice's own timezone now that tz: is not given.
    assert (again.at, again.owner_id, again.quiet, again.timezone) == (time(8, 0), None, False, ALICE_TZ)


def test_the_workspace_time_and_days_are_the_defaults(story: Story) -> None:
    rt = story.handoff.runtime
    rt.settings = replace(rt.settings, summary_time=time(7, 15), working_days=frozenset({1}))
    story.command("/tasks", user=OWNER, text="summary here")
    assert "Every tue at 07:15 Europe/Berlin" in answer(story, OWNER)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("summary here 25:00", "I can't read `25:00`"),
        ("summary here colour:blue", "I can't read `colour:blue`"),
        ("summary here tz:Mars/Olympus", "not a timezone I know"),
        ("summary here days:someday", "Working days should look like mon-fri"),
        ("summary weekly", "I don't know `/tasks summary weekly`"),
        ("summary here owner:olivia", "takes one person picked with @"),
    ],
)
def test_bad_input_says_what_to_type_and_writes_nothing(story: Story, text: str, words: str) -> None:
    story.command("/tasks", user=OWNER, text=text)
    assert words in answer(story, OWNER)
    assert subscription(story) is None


def test_here_in_a_dm_asks_for_a_channel(story: Story) -> None:
    story.command("/tasks", user=OWNER, text="summary here", channel="D0OWNERDM")
    said = answer(story, OWNER)
    assert "posted in a channel" in said and "in the channel where your team should see it" in said
    assert subscription(story, "D0OWNERDM") is None
    assert story.slack.calls_to("conversations.members") == []


def test_a_channel_the_bot_is_not_in_asks_for_an_invite(story: Story) -> None:
    story.slack.add_channel("CPRIVATE", members=[OWNER, ALICE], bot_member=False)
    story.command("/tasks", user=OWNER, text="summary here", channel="CPRIVATE")
    assert "Invite me first with /invite @Handoff, then type it again" in answer(story, OWNER)
    assert subscription(story, "CPRIVATE") is None

    story.slack.add_channel("CPRIVATE", members=[OWNER, ALICE])  # invited
    story.command("/tasks", user=OWNER, text="summary here", channel="CPRIVATE")
    assert "Every mon-fri at 09:00" in answer(story, OWNER)
    assert subscription(story, "CPRIVATE") is not None
    assert subscription(story, CHANNEL) is None
