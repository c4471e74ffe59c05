"""Two workspaces installed by OAuth side by side on one bot and one database.

Alpha and Beta have people with the *same* user ids (Ben owns, Amy takes the work) and each
gets a task numbered T-1, so anything the bot reads or writes by user id or task number alone,
without the workspace, shows up in the other workspace. Alpha's task titles say "Alpha" and
Beta's say "Beta": a title in the wrong workspace is a leak, whatever the message around it.
"""

from __future__ import annotations

import json

from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_records import Call
from storage import repositories as repo
from tests.scenarios.conftest import Story
from tests.scenarios.oauth_story import install, stored_token

INSTALLER, AMY, BEN = "UINSTALLER", "UAMY", "UBEN"
ALPHA, BETA = "T2", "T3"
CHANNEL = "C0GENERAL"  # where commands are typed
ALPHA_TASKS = (
    f"<@{AMY}> Alpha merger memo | done when: memo signed by the board | due: dec 10",
    f"<@{AMY}> Alpha payroll run | done when: payslips sent to everyone | due: dec 11",
)
BETA_TASK = f"<@{AMY}> Beta launch plan | done when: plan shared in #launch | due: dec 10"


def workspace(slack: FakeSlack, team_id: str, name: str) -> FakeSlack:
    team = slack.add_workspace(team_id, team_name=name)
    for user, handle in ((INSTALLER, "ines"), (AMY, "amy"), (BEN, "ben")):
        team.add_user(user, name=handle, tz="UTC")
    team.add_channel(CHANNEL, members=[BEN, AMY])  # a channel of the same id in each workspace
    return team


def installed(oauth_story: Story) -> tuple[Story, Story]:
    """Alpha and Beta install the bot, each with Ines installing and Ben and Amy in it."""
    alpha = install(oauth_story, workspace(oauth_story.slack, ALPHA, "Alpha Co"), INSTALLER)
    beta = install(oauth_story, workspace(oauth_story.slack, BETA, "Beta Co"), INSTALLER)
    return alpha, beta


def installed_side_by_side(oauth_story: Story) -> tuple[Story, Story]:
    """Both workspaces install the bot; Ben hands Amy two tasks in Alpha and one in Beta."""
    alpha, beta = installed(oauth_story)
    for text in ALPHA_TASKS:
        alpha.delegate(text, user=BEN)
    beta.delegate(BETA_TASK, user=BEN)
    return alpha, beta


def said(call: Call) -> str:
    """Everything a Web API call put in front of people: text, blocks, views, metadata."""
    return json.dumps(call.args)


def leaks(story: Story, *, foreign: str) -> list[str]:
    """Calls made in the story's workspace that carry the other workspace's words."""
    return [f"{c.method}: {said(c)[:200]}" for c in story.slack.calls if foreign in said(c)]


def tokens_used(story: Story) -> set[str]:
    return {c.token for c in story.slack.calls if c.token}


def own_token_only(story: Story) -> bool:
    """Every call Slack took as this workspace's was made with the token it installed with."""
    return tokens_used(story) <= {stored_token(story, story.slack.team_id)}


def status_of(story: Story, number: int) -> str:
    task = story.task(number)
    assert task is not None, f"no T-{number} in {story.slack.team_id}"
    return task.status.value


def task_team(story: Story, task_id: int) -> str | None:
    """The workspace a task (by its database id) belongs to, whichever workspace asks."""
    for team in (ALPHA, BETA):
        with story.handoff.runtime.db.session_scope(write=False) as session:
            if repo.get_task_by_id(session, team_id=team, task_id=task_id) is not None:
                return team
    return None
