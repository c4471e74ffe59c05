"""When nudges arrive: in each recipient's working hours and days, in their own timezone.

The owner works in Berlin (UTC+1), Alice in New York (UTC-5); both on the default
mon-fri, quiet 19:00-08:00.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from storage.models import WorkspaceSettings
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, START, Story, both_databases
from tests.scenarios.nudge_story import nudges_to, seed_offers, sweep_at

FRIDAY_4PM_NEW_YORK = datetime.fromisoformat("2026-11-27T21:00:00+00:00")
SATURDAY_8AM_NEW_YORK = datetime.fromisoformat("2026-11-28T13:00:00+00:00")
MONDAY_8AM_NEW_YORK = datetime.fromisoformat("2026-11-30T13:00:00+00:00")
MONDAY_8AM_BERLIN = datetime.fromisoformat("2026-11-30T07:00:00+00:00")


@both_databases
def test_a_reminder_due_friday_evening_arrives_monday_morning_in_their_timezone(story: Story) -> None:
    story.clock.now = FRIDAY_4PM_NEW_YORK
    story.delegate(f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: dec 10")
    sweep_at(story, FRIDAY_4PM_NEW_YORK + timedelta(hours=4))  # Friday 20:00 in New York: quiet
    # Saturday and Sunday 08:00 to 18:00 in New York: outside quiet hours, but no working days.
    for weekend_morning in (SATURDAY_8AM_NEW_YORK, SATURDAY_8AM_NEW_YORK + timedelta(days=1)):
        for hours in (0, 2, 10):
            sweep_at(story, weekend_morning + timedelta(hours=hours))
            assert nudges_to(story, ALICE) == [], f"nudged on {story.clock.now:%A %H:%M} UTC"
    sweep_at(story, MONDAY_8AM_NEW_YORK - timedelta(minutes=1))
    assert nudges_to(story, ALICE) == []

    sweep_at(story, MONDAY_8AM_NEW_YORK)
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]


def test_two_recipients_in_two_timezones_each_hear_in_their_own_morning(story: Story) -> None:
    # Due Monday 08:30 in Berlin: overdue at once for the owner, before dawn in New York.
    story.delegate(f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: monday 8:30am")
    story.click(story.offer(ALICE), "Accept", user=ALICE)
    due = MONDAY_8AM_BERLIN + timedelta(minutes=30)
    sweep_at(story, due)
    assert nudges_to(story, OWNER) == ["T-1 overdue"]
    assert "T-1 overdue" not in nudges_to(story, ALICE)  # 02:30 in New York

    sweep_at(story, MONDAY_8AM_NEW_YORK - timedelta(minutes=1))
    assert "T-1 overdue" not in nudges_to(story, ALICE)
    sweep_at(story, MONDAY_8AM_NEW_YORK)
    assert nudges_to(story, ALICE).count("T-1 overdue") == 1
    assert nudges_to(story, OWNER) == ["T-1 overdue"]


def set_workspace_thresholds(story: Story, **overrides: str) -> None:
    with story.handoff.runtime.db.session_scope() as session:
        session.add(
            WorkspaceSettings(
                team_id=story.slack.team_id, nudge_overrides=json.dumps(overrides), updated_at=story.clock.now
            )
        )


def test_a_workspace_threshold_changes_when_the_reminder_comes(story: Story) -> None:
    set_workspace_thresholds(story, ack_after="1h")
    story.delegate(f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent to the board | due: dec 10")
    sweep_at(story, START + timedelta(minutes=59))
    assert nudges_to(story, MALLORY) == []
    sweep_at(story, START + timedelta(hours=1))  # not the default 4 h
    assert nudges_to(story, MALLORY) == ["T-1 ack_reminder"]


def test_a_recipient_never_seen_before_is_looked_up_before_deciding_when_to_nudge(story: Story) -> None:
    seed_offers(story.handoff.runtime.db, team_id=story.slack.team_id, count=1, assignee=ALICE)
    assert story.slack.calls_to("users.info") == []  # the bot has never asked about Alice
    sweep_at(story, START)  # the reminder is due, but it is 05:00 in New York (09:00 in the default UTC)
    assert ALICE in {call.args.get("user") for call in story.slack.calls_to("users.info")}
    assert nudges_to(story, ALICE) == []
    sweep_at(story, MONDAY_8AM_NEW_YORK - timedelta(days=4))  # Thursday 08:00 in New York
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]
