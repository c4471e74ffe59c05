"""Installing the bot into workspaces by OAuth: /slack/install, Slack's consent, /slack/oauth_redirect.

Then people in the new workspace use it as in one workspace, and the bot speaks to that
workspace with that workspace's own token.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from bot.playground.slack.fake_slack import FakeSlack
from bot.slack.oauth_install import BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH
from storage import workspaces
from tests.scenarios.conftest import Story, both_databases
from tests.scenarios.oauth_story import (
    finish_install,
    get,
    in_workspace,
    install,
    start_install,
    stored_token,
)

INSTALLER, AMY, BEN = "UINSTALLER", "UAMY", "UBEN"


def second_workspace(slack: FakeSlack) -> FakeSlack:
    team = slack.add_workspace("T2", team_name="Second Co")
    for user, name in ((INSTALLER, "ines"), (AMY, "amy"), (BEN, "ben")):
        team.add_user(user, name=name, tz="UTC")
    return team


def installations(story: Story) -> int:
    with story.handoff.runtime.db.session_scope(write=False) as session:
        return int(session.execute(text("SELECT count(*) FROM slack_bots")).scalar_one())


@both_databases
def test_a_workspace_installs_the_bot_and_then_delegates_with_its_own_token(oauth_story: Story) -> None:
    team = second_workspace(oauth_story.slack)

    consent = start_install(oauth_story)
    query = parse_qs(urlsplit(consent.url).query)
    assert consent.url.startswith("https://slack.com/oauth/v2/authorize?")
    assert query["client_id"] == [oauth_story.slack.grants.client_id]
    assert query["scope"] == [",".join(BOT_SCOPES)]
    assert consent.state and consent.state in consent.cookie  # the state, in the URL and the cookie

    page = finish_install(oauth_story, consent, team, INSTALLER)

    assert page.status == 200
    assert "Handoff is installed" in page.body and "/delegate help" in page.body
    exchanges = oauth_story.slack.calls_to("oauth.v2.access")
    assert [(c.ok, c.args.get("code", "")[:2]) for c in exchanges] == [(True, "1.")]
    token = stored_token(oauth_story, "T2")
    assert token in team.tokens_of("T2")
    with oauth_story.handoff.runtime.db.session_scope(write=False) as session:
        row = workspaces.workspace(session, "T2")
    assert row is not None and (row.team_name, row.installed_by) == ("Second Co", INSTALLER)

    second = in_workspace(oauth_story, team)
    second.delegate(f"<@{AMY}> Book the offsite | done when: venue confirmed by email", user=BEN)

    offer = second.offer(AMY)
    assert "Book the offsite" in offer.plain_text()
    posts = [c for c in team.calls_to("chat.postMessage") if c.ok]
    assert posts and {c.token for c in posts} == {token}
    assert second.task(1) is not None and second.task(1).team_id == "T2"  # type: ignore[union-attr]
    assert oauth_story.slack.messages_to(AMY) == []  # nothing went to the first workspace's Amy


def test_two_workspaces_each_get_their_own_token(oauth_story: Story) -> None:
    first = install(oauth_story, second_workspace(oauth_story.slack), INSTALLER)
    third_team = oauth_story.slack.add_workspace("T3", team_name="Third Co")
    third_team.add_user(AMY, name="amy3", tz="UTC")
    third_team.add_user(BEN, name="ben3", tz="UTC")
    third = install(oauth_story, third_team, BEN)

    first.delegate(f"<@{AMY}> Write the agenda | done when: agenda shared in #team", user=BEN)
    third.delegate(f"<@{AMY}> Order the laptops | done when: laptops delivered to the office", user=BEN)

    assert "Write the agenda" in first.offer(AMY).plain_text()
    assert "Order the laptops" in third.offer(AMY).plain_text()
    assert {c.token for c in first.slack.calls_to("chat.postMessage")} == {stored_token(oauth_story, "T2")}
    assert {c.token for c in third.slack.calls_to("chat.postMessage")} == {stored_token(oauth_story, "T3")}


@pytest.mark.parametrize("tampered", ["forged state", "no cookie", "used twice"])
def test_a_bad_or_spent_state_is_refused_and_installs_nothing(oauth_story: Story, tampered: str) -> None:
    team = second_workspace(oauth_story.slack)
    consent = start_install(oauth_story)
    if tampered == "used twice":
        assert finish_install(oauth_story, consent, team, INSTALLER).status == 200  # then once more
        before = installations(oauth_story)
    else:
        before = 0
        if tampered == "forged state":
            consent = type(consent)(consent.url, "forged", consent.cookie)
        else:
            consent = type(consent)(consent.url, consent.state, "")

    page = finish_install(oauth_story, consent, team, INSTALLER)

    assert page.status in (400, 401)
    assert "Handoff was not installed" in page.body and INSTALL_PATH in page.body  # how to try again
    assert "expired or was already used" in page.body or "another browser" in page.body
    assert installations(oauth_story) == before
    if tampered != "used twice":
        assert oauth_story.slack.calls_to("oauth.v2.access") == []  # the code was never spent
        with oauth_story.handoff.runtime.db.session_scope(write=False) as session:
            assert workspaces.workspace(session, "T2") is None


def test_an_install_cancelled_in_slack_says_so(oauth_story: Story) -> None:
    consent = start_install(oauth_story)
    denied = {"error": "access_denied", "state": consent.state}
    page = get(oauth_story, REDIRECT_PATH, query=denied, cookie=consent.cookie)
    assert page.status == 200
    assert "cancelled" in page.body and INSTALL_PATH in page.body
    assert installations(oauth_story) == 0


def test_the_install_pages_are_not_served_with_one_workspace_token(story: Story) -> None:
    assert get(story, INSTALL_PATH).status == 404
    assert get(story, REDIRECT_PATH, query={"code": "x", "state": "y"}).status == 404


def test_a_request_from_a_workspace_that_never_installed_the_bot_does_nothing(oauth_story: Story) -> None:
    stranger = in_workspace(oauth_story, second_workspace(oauth_story.slack))
    reply = stranger.delegate(f"<@{AMY}> Anything | done when: done", user=BEN)
    assert reply.status in (200, 401)
    assert stranger.slack.calls_to("chat.postMessage") == [] and stranger.task(1) is None


def test_the_install_logs_no_code_and_no_token(oauth_story: Story, caplog: pytest.LogCaptureFixture) -> None:
    team = second_workspace(oauth_story.slack)
    # At DEBUG, with slack_sdk and slack_bolt at INFO as bot.logs sets them (their DEBUG lines
    # print whole Web API answers).
    with (
        caplog.at_level(logging.DEBUG),
        caplog.at_level(logging.INFO, logger="slack_sdk"),
        caplog.at_level(logging.INFO, logger="slack_bolt"),
    ):
        consent = start_install(oauth_story)
        finish_install(oauth_story, consent, team, INSTALLER)
    code = oauth_story.slack.calls_to("oauth.v2.access")[0].args["code"]
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "install" in logged
    for secret in (code, stored_token(oauth_story, "T2"), oauth_story.slack.grants.client_secret):
        assert secret not in logged


def test_a_whole_handoff_in_an_installed_workspace_speaks_with_its_token(oauth_story: Story) -> None:
    second = install(oauth_story, second_workspace(oauth_story.slack), INSTALLER)
    second.delegate(f"<@{AMY}> Ship the report | done when: PDF sent to the board | due: friday", user=BEN)
    second.click(second.offer(AMY), "Accept", user=AMY)
    second.command("/report", user=AMY, text="T-1 first draft done 60%")
    second.command("/report", user=AMY, text="t1 done https://example.com/q3.pdf")
    second.click(second.dm(BEN), "Approve", user=BEN)
    second.command("/tasks", user=BEN, text="T-1")
    second.event({"type": "app_home_opened", "user": AMY, "channel": "D1", "tab": "home"})

    assert "approved" in second.dm(AMY).plain_text()
    assert "delivered" in second.ephemeral(BEN).plain_text()
    assert second.slack.home_view(AMY) is not None
    token = stored_token(oauth_story, "T2")
    assert {c.token for c in second.slack.calls if c.token} == {token}
    assert all(c.ok for c in second.slack.calls), second.slack.describe_calls()
    no_token = ("oauth.v2.access", "response_url")  # the app's credentials; a URL of its own
    assert [c for c in oauth_story.slack.calls if c.team is None and c.method not in no_token] == []
