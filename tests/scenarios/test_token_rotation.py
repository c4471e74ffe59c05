"""Token rotation: a workspace's expiring token is refreshed before the bot speaks with it.

Bolt refreshes it for the requests it answers; the outbox sender and the clock, which call
Slack with no request, refresh it themselves, through the same installation store. Either way
the refresh token is spent once and the new token saved, and Slack never sees the old one again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.clock import build_clock
from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_records import Call
from bot.services.sweep import run_sweep
from tests.scenarios.conftest import START, Story, both_databases, oauth_settings_for
from tests.scenarios.nudge_story import nudges_to, sweep_at
from tests.scenarios.oauth_story import expires_in, install, stored_token

INSTALLER, AMY, BEN = "UINSTALLER", "UAMY", "UBEN"
TASK = f"<@{AMY}> Book the offsite | done when: venue confirmed by email | due: dec 10"
SOON, GONE = timedelta(minutes=30), timedelta(minutes=-1)


def rotating_workspace(slack: FakeSlack) -> FakeSlack:
    slack.token_rotation = True
    team = slack.add_workspace("T2", team_name="Second Co")
    for user, name in ((INSTALLER, "ines"), (AMY, "amy"), (BEN, "ben")):
        team.add_user(user, name=name, tz="UTC")
    return team


def delegated(oauth_story: Story) -> tuple[Story, str]:
    """T2 installs the bot (with token rotation) and Ben hands Amy a task; the token it was done with."""
    second = install(oauth_story, rotating_workspace(oauth_story.slack), INSTALLER)
    second.delegate(TASK, user=BEN)
    first_token = stored_token(oauth_story, "T2")
    assert first_token.startswith("xoxe.xoxb-")
    return second, first_token


def refreshes(slack: FakeSlack) -> list[Call]:
    return [c for c in slack.calls_to("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]


def refused(slack: FakeSlack) -> list[Call]:
    return [c for c in slack.calls if c.error in ("token_expired", "invalid_auth")]


@both_databases
def test_an_expired_token_is_refreshed_before_the_sweeps_nudge_is_sent(oauth_story: Story) -> None:
    second, old = delegated(oauth_story)
    oauth_story.slack.expire_token("T2")  # twelve hours on: Slack refuses the old token
    expires_in(oauth_story, "T2", GONE)

    sweep_at(second, START + timedelta(hours=4))  # no request: the clock's sweep and the sender

    assert nudges_to(second, AMY) == ["T-1 ack_reminder"]
    new = stored_token(oauth_story, "T2")
    assert new != old and new.startswith("xoxe.xoxb-")
    assert [c.ok for c in refreshes(oauth_story.slack)] == [True]  # the refresh token, spent once
    nudge = [c for c in second.slack.calls_to("chat.postMessage") if c.ok][-1]
    assert nudge.token == new
    assert refused(oauth_story.slack) == []  # the old token was never offered to Slack again


def test_a_token_about_to_expire_is_refreshed_by_the_sender_before_it_is_refused(oauth_story: Story) -> None:
    second, old = delegated(oauth_story)
    expires_in(oauth_story, "T2", SOON)  # still good for half an hour: within two hours, refresh

    sweep_at(second, START + timedelta(hours=4))

    new = stored_token(oauth_story, "T2")
    assert new != old and len(refreshes(oauth_story.slack)) == 1
    assert [c.token for c in second.slack.calls_to("chat.postMessage")][-1] == new


def test_a_token_with_hours_left_is_not_refreshed(oauth_story: Story) -> None:
    second, old = delegated(oauth_story)
    sweep_at(second, START + timedelta(hours=4))
    assert nudges_to(second, AMY) == ["T-1 ack_reminder"]
    assert refreshes(oauth_story.slack) == [] and stored_token(oauth_story, "T2") == old


@both_databases
def test_the_clock_process_refreshes_an_expired_token_before_it_sends(oauth_story: Story) -> None:
    second, old = delegated(oauth_story)
    oauth_story.slack.expire_token("T2")
    expires_in(oauth_story, "T2", GONE)
    database_url = str(oauth_story.handoff.runtime.db.engine.url)

    clock = build_clock(oauth_settings_for(oauth_story.slack, database_url))  # as `python -m bot scheduler`
    try:
        oauth_story.clock.now = START + timedelta(hours=4)
        report = run_sweep(replace(clock.runtime, clock=oauth_story.clock))
        result = clock.sender.flush(timeout=30)
    finally:
        clock.close()

    assert report.nudges_queued == 1 and result.sent >= 1 and result.failed == 0
    assert nudges_to(second, AMY) == ["T-1 ack_reminder"]
    new = stored_token(oauth_story, "T2")
    assert new != old and [c.ok for c in refreshes(oauth_story.slack)] == [True]
    assert [c.token for c in second.slack.calls_to("chat.postMessage")][-1] == new
    assert refused(oauth_story.slack) == []


@both_databases
def test_a_request_with_an_expiring_token_is_answered_with_a_refreshed_one(oauth_story: Story) -> None:
    second, old = delegated(oauth_story)
    oauth_story.slack.expire_token("T2")
    expires_in(oauth_story, "T2", GONE)

    second.click(second.offer(AMY), "Accept", user=AMY)  # Bolt authorizes the request first

    assert "accepted" in second.dm(BEN).plain_text().lower()
    new = stored_token(oauth_story, "T2")
    assert new != old and [c.ok for c in refreshes(oauth_story.slack)] == [True]
    auth_tests = [c for c in second.slack.calls_to("auth.test") if c.token == new]
    assert auth_tests and all(c.ok for c in auth_tests)  # Bolt asked who the bot is with the new token
    assert {c.token for c in second.slack.calls_to("chat.postMessage")[-1:]} == {new}
    assert refused(oauth_story.slack) == []
