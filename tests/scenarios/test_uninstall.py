"""A workspace that removes the bot hears nothing more from it; the workspace beside it goes on.

Alpha and Beta installed the bot by OAuth and Ben handed Amy work in each (``tenants_story``).
Alpha uninstalls: Slack revokes its tokens and sends ``app_uninstalled`` (or ``tokens_revoked``
naming the bot). From then on the sweep, recurring offers, the daily summaries and the outbox
sender make no call at all in Alpha, while Beta is nudged and summarised as before, until Alpha
installs the bot again. The last tests run with one workspace's token (``SLACK_BOT_TOKEN``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot.outbox import store
from bot.playground.slack.slack_requests import Reply
from storage import workspaces
from storage.models import OutboxMessage, OutboxStatus
from tests.scenarios.conftest import ALICE, OWNER, START, Story, both_databases
from tests.scenarios.nudge_story import nudges_to, sweep_at, sweep_without_sending
from tests.scenarios.oauth_story import install, tokens
from tests.scenarios.summary_story import posts, summaries_at
from tests.scenarios.tenants_story import AMY, BEN, INSTALLER, installed_side_by_side
from tests.scenarios.test_recurring import SECOND_OFFER, WEEKLY

REMINDERS_DUE = START + timedelta(hours=4)  # nobody accepted: an ack reminder for each task
UNINSTALLED: dict[str, Any] = {"type": "app_uninstalled"}


def bot_revoked(*, people: list[str] | None = None) -> dict[str, Any]:
    return {"type": "tokens_revoked", "tokens": {"oauth": people or [], "bot": ["UBOTALPHA"]}}


def removes_the_bot(story: Story, event: dict[str, Any] = UNINSTALLED, **kwargs: Any) -> Reply:
    """Slack revokes the workspace's tokens, then tells the bot (``event_id``/``retry_num``: a retry)."""
    story.slack.revoke_tokens(story.slack.team_id)
    reply = story.event(event, **kwargs)
    assert reply.status == 200, reply
    return reply


def calls_in(story: Story) -> int:
    return len(story.slack.calls)


def outbox_of(story: Story) -> list[OutboxMessage]:
    with story.handoff.runtime.db.session_scope(write=False) as session:
        return list(store.messages(session, team_id=story.slack.team_id))


def parked_nudges(story: Story) -> int:
    return len([m for m in outbox_of(story) if m.status == OutboxStatus.PARKED and m.kind == "nudge"])


def uninstalled_at(story: Story) -> Any:
    with story.handoff.runtime.db.session_scope(write=False) as session:
        row = workspaces.workspace(session, story.slack.team_id)
        return None if row is None else row.uninstalled_at


def has_installation(story: Story) -> bool:
    return tokens(story).store.find_bot(enterprise_id=None, team_id=story.slack.team_id) is not None


@both_databases
def test_an_uninstalled_workspace_is_not_nudged_while_the_other_still_is(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    removes_the_bot(alpha)
    before = calls_in(alpha)

    report = sweep_at(beta, REMINDERS_DUE)

    assert nudges_to(beta, AMY) == ["T-1 ack_reminder"]
    assert nudges_to(alpha, AMY) == [] and calls_in(alpha) == before  # not a single call in Alpha
    assert report.tasks_checked == 1  # Alpha's two tasks were not even looked at
    assert not has_installation(alpha) and has_installation(beta)


def test_an_uninstalled_workspace_gets_no_daily_summary(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    for story in (alpha, beta):
        story.command("/tasks", user=BEN, text="summary here 09:00")
    removes_the_bot(alpha)

    summaries_at(beta, START + timedelta(days=1))  # Friday 10:00 UTC: both were due

    assert len(posts(beta)) == 1 and posts(alpha) == []


@both_databases
def test_messages_queued_before_the_uninstall_are_parked_not_sent(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    sweep_without_sending(beta, REMINDERS_DUE)  # the reminders wait in the outbox
    removes_the_bot(alpha)
    before = calls_in(alpha)

    beta.later(seconds=31)  # the sender's next round

    assert nudges_to(beta, AMY) == ["T-1 ack_reminder"]
    assert calls_in(alpha) == before and nudges_to(alpha, AMY) == []
    assert parked_nudges(alpha) == 2  # and the Home tabs they would have refreshed
    assert {m.status for m in outbox_of(alpha)} == {OutboxStatus.SENT, OutboxStatus.PARKED}


def test_a_retried_event_and_the_tokens_revoked_beside_it_change_nothing_more(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    sweep_without_sending(beta, REMINDERS_DUE)
    first = removes_the_bot(alpha)
    when, parked = uninstalled_at(alpha), [(m.id, m.status) for m in outbox_of(alpha)]

    alpha.clock.advance(minutes=1)
    removes_the_bot(alpha, UNINSTALLED, event_id=first.event_id, retry_num=1)  # Slack's retry
    removes_the_bot(alpha, bot_revoked())  # Slack also says the bot's token was revoked
    alpha.later(seconds=31)

    assert uninstalled_at(alpha) == when
    assert [(m.id, m.status) for m in outbox_of(alpha)] == parked
    assert nudges_to(alpha, AMY) == [] and nudges_to(beta, AMY) == ["T-1 ack_reminder"]


def test_an_uninstall_the_database_could_not_record_gets_a_500_so_slack_sends_it_again(
    oauth_story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    down = True
    record = workspaces.record_uninstalled

    def blip(*args: Any, **kwargs: Any) -> bool:
        if down:
            raise OperationalError("UPDATE workspaces", {}, Exception("server closed the connection"))
        return record(*args, **kwargs)

    monkeypatch.setattr(workspaces, "record_uninstalled", blip)
    alpha.slack.revoke_tokens(alpha.slack.team_id)
    refused = alpha.event(UNINSTALLED)
    assert refused.status == 500 and uninstalled_at(alpha) is None  # no 200 for what was not recorded

    down = False
    retried = alpha.event(UNINSTALLED, event_id=refused.event_id, retry_num=1)
    sweep_at(beta, REMINDERS_DUE)

    assert retried.status == 200 and uninstalled_at(alpha) is not None
    assert nudges_to(alpha, AMY) == [] and nudges_to(beta, AMY) == ["T-1 ack_reminder"]


@both_databases
def test_tokens_revoked_naming_the_bot_stops_the_workspace_like_an_uninstall(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    removes_the_bot(alpha, bot_revoked(people=[BEN]))

    sweep_at(beta, REMINDERS_DUE)

    assert nudges_to(alpha, AMY) == [] and nudges_to(beta, AMY) == ["T-1 ack_reminder"]
    assert uninstalled_at(alpha) is not None and not has_installation(alpha)


def test_revoking_only_peoples_tokens_changes_nothing(oauth_story: Story) -> None:
    alpha, _beta = installed_side_by_side(oauth_story)
    alpha.event({"type": "tokens_revoked", "tokens": {"oauth": [BEN, AMY], "bot": []}})

    sweep_at(alpha, REMINDERS_DUE)

    assert nudges_to(alpha, AMY) == ["T-1 ack_reminder", "T-2 ack_reminder"]
    assert uninstalled_at(alpha) is None and has_installation(alpha)


@both_databases
def test_installing_again_resumes_nudges_and_leaves_parked_messages_parked(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    sweep_without_sending(beta, REMINDERS_DUE)
    removes_the_bot(alpha)
    sweep_at(beta, REMINDERS_DUE + timedelta(hours=1))
    assert nudges_to(alpha, AMY) == []

    again = install(oauth_story, alpha.slack, INSTALLER)
    sweep_at(again, START + timedelta(days=1, hours=4))  # the next day's reminders

    assert uninstalled_at(again) is None and has_installation(again)
    assert nudges_to(again, AMY) == ["T-1 ack_reminder", "T-2 ack_reminder"]
    assert parked_nudges(again) == 2  # for an operator to queue again


@both_databases
def test_a_retry_of_the_uninstall_arriving_after_installing_again_changes_nothing(oauth_story: Story) -> None:
    alpha, _beta = installed_side_by_side(oauth_story)
    removed_at = int(alpha.clock().timestamp())
    first = removes_the_bot(alpha, event_time=removed_at)
    alpha.clock.advance(minutes=5)
    again = install(oauth_story, alpha.slack, INSTALLER)

    late = again.event(UNINSTALLED, event_id=first.event_id, retry_num=3, event_time=removed_at)
    sweep_at(again, START + timedelta(days=1, hours=4))

    assert late.status == 200
    assert uninstalled_at(again) is None and has_installation(again)
    assert nudges_to(again, AMY) == ["T-1 ack_reminder", "T-2 ack_reminder"]


def test_one_workspaces_bot_stops_nudging_once_removed(story: Story) -> None:
    """With one workspace's token (SLACK_BOT_TOKEN) there is no installation to remove; the rest holds."""
    story.delegate(f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: dec 10")
    removes_the_bot(story)
    before = calls_in(story)

    sweep_at(story, REMINDERS_DUE)

    assert nudges_to(story, ALICE) == [] and nudges_to(story, OWNER) == []
    assert calls_in(story) == before


def test_a_recurring_handoff_is_not_offered_in_a_workspace_that_removed_the_bot(story: Story) -> None:
    story.delegate(WEEKLY)
    removes_the_bot(story)
    before = calls_in(story)

    story.clock.now = SECOND_OFFER  # the next occurrence's offer time
    assert story.sweep().occurrences_offered == 0

    assert story.task(2) is None and calls_in(story) == before
