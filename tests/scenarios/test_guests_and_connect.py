"""Guests and Slack Connect users as assignees, with one workspace's token and installed by OAuth.

A guest (multi-channel: ``is_restricted``; single-channel: ``is_ultra_restricted`` too) is a
member of the workspace with fewer rights: they get the offer in a DM, accept and deliver like
anyone. A Slack Connect user belongs to another organisation: ``users.info`` names their own
team, and their clicks carry it in ``user.team_id`` while ``team.id`` names the workspace the
app is installed in. Their work is that workspace's task, and their organisation never becomes
a workspace of the bot's.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from bot.slack.ids import Field
from storage import repositories as repo
from storage import workspaces
from storage.db import Database
from tests.scenarios.conftest import OWNER, Story, both_databases
from tests.scenarios.oauth_story import install

GUEST, PARTNER = "UGUEST", "UPARTNER"
PARTNER_TEAM = "T0PARTNER"  # the Slack Connect user's own organisation, where the bot is not installed
TASK = "Translate the brochure | done when: Japanese PDF in the shared folder | due: friday"
GUESTS = {  # kind: (is_restricted, is_ultra_restricted), as users.info says
    "multi-channel guest": (True, False),
    "single-channel guest": (True, True),
}


@pytest.fixture(params=["one workspace token", "installed by OAuth"])
def handoff(request: pytest.FixtureRequest, scenario_db: Database) -> Story:
    """The bot in one workspace: run with its bot token, or installed there by OAuth (on
    ``scenario_db``, named so that ``both_databases`` reaches it)."""
    if request.param == "one workspace token":
        story: Story = request.getfixturevalue("story")
        return story
    oauth_story: Story = request.getfixturevalue("oauth_story")
    team = oauth_story.slack.add_workspace("T2", team_name="Second Co")
    team.add_user(OWNER, name="olivia", tz="Europe/Berlin")
    return install(oauth_story, team, OWNER)


def handed_off_and_done(story: Story, assignee: str) -> None:
    """Olivia hands the task over; the assignee accepts and delivers through the card's buttons."""
    story.delegate(f"<@{assignee}> {TASK}", user=OWNER)
    story.click(story.offer(assignee), "Accept", user=assignee)
    story.click(story.offer(assignee), "Deliver", user=assignee)
    story.submit(story.slack.last_view(), user=assignee, **{Field.TEXT: "The PDF is in the shared folder"})


def calls_all_ok_in_one_workspace(story: Story) -> None:
    assert all(c.ok for c in story.slack.calls), story.slack.describe_calls()
    assert {c.team for c in story.slack.calls if c.token} == {story.slack.team_id}


@pytest.mark.parametrize("kind", GUESTS)
def test_a_guest_takes_the_offer_in_a_dm_accepts_and_delivers(handoff: Story, kind: str) -> None:
    restricted, ultra_restricted = GUESTS[kind]
    handoff.slack.add_user(
        GUEST, name="gina", tz="UTC", is_restricted=restricted, is_ultra_restricted=ultra_restricted
    )

    handed_off_and_done(handoff, GUEST)

    task = handoff.task(1)
    assert task is not None and task.status.value == "delivered" and task.assignee_id == GUEST
    assert handoff.offer(GUEST).channel == handoff.slack.im_channel(GUEST)  # the offer came as a DM
    assert "delivered" in handoff.dm(OWNER).plain_text()
    handoff.click(handoff.dm(OWNER), "Approve", user=OWNER)
    assert "approved" in handoff.dm(GUEST).plain_text()
    with handoff.handoff.runtime.db.session_scope(write=False) as session:
        profile = repo.get_profile(session, team_id=handoff.slack.team_id, user_id=GUEST)
    assert profile is not None and profile.is_guest
    calls_all_ok_in_one_workspace(handoff)


def rows_of_team(story: Story, team_id: str) -> dict[str, int]:
    """How many rows each table with a ``team_id`` holds for ``team_id`` (those holding any)."""
    found: dict[str, int] = {}
    with story.handoff.runtime.db.session_scope(write=False) as session:
        for name, table in SQLModel.metadata.tables.items():
            if "team_id" in table.c:
                query = text(f"SELECT count(*) FROM {name} WHERE team_id = :team")
                count = int(session.execute(query, {"team": team_id}).scalar_one())
                if count:
                    found[name] = count
    return found


@both_databases
def test_a_slack_connect_user_works_on_the_installing_workspaces_task(handoff: Story) -> None:
    handoff.slack.add_user(PARTNER, name="pat", tz="Asia/Tokyo", home_team=PARTNER_TEAM)

    handed_off_and_done(handoff, PARTNER)

    task = handoff.task(1)
    assert task is not None and task.status.value == "delivered" and task.assignee_id == PARTNER
    assert task.team_id == handoff.slack.team_id
    looked_up: list[dict[str, Any]] = [c.args for c in handoff.slack.calls_to("users.info")]
    assert {"user": PARTNER} in looked_up  # Slack answered with their own team; the bot kept it here
    assert "delivered" in handoff.dm(OWNER).plain_text()
    handoff.click(handoff.dm(OWNER), "Approve", user=OWNER)
    assert "approved" in handoff.dm(PARTNER).plain_text()
    assert rows_of_team(handoff, PARTNER_TEAM) == {}  # nothing was written for their organisation
    with handoff.handoff.runtime.db.session_scope(write=False) as session:
        assert workspaces.workspace(session, PARTNER_TEAM) is None
    calls_all_ok_in_one_workspace(handoff)


def test_a_slack_connect_users_report_and_question_reach_the_task_of_the_installing_workspace(
    handoff: Story,
) -> None:
    handoff.slack.add_user(PARTNER, name="pat", tz="Asia/Tokyo", home_team=PARTNER_TEAM)
    handoff.delegate(f"<@{PARTNER}> {TASK}", user=OWNER)
    handoff.click(handoff.offer(PARTNER), "Accept", user=PARTNER)

    handoff.click(handoff.offer(PARTNER), "Report progress", user=PARTNER)
    handoff.submit(handoff.slack.last_view(), user=PARTNER, **{Field.TEXT: "Half of it translated"})
    handoff.click(handoff.offer(PARTNER), "Ask a question", user=PARTNER)
    handoff.submit(handoff.slack.last_view(), user=PARTNER, **{Field.TEXT: "Which font for the title?"})

    assert handoff.history(1) == ["created", "accepted", "reported", "asked"]
    assert "Which font for the title?" in handoff.dm(OWNER).plain_text()
    assert rows_of_team(handoff, PARTNER_TEAM) == {}
    calls_all_ok_in_one_workspace(handoff)
