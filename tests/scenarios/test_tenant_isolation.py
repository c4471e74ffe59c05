"""Tenant isolation: two workspaces on one bot and one database never see, change or get
nudged about each other's tasks.

Alpha (T2) and Beta (T3) installed the bot by OAuth; the same user ids live in both and both
have a T-1 (``tenants_story``). Everything is looked at from Beta, where Ben and Amy only ever
see Beta's one task, while Alpha's two tasks stay as they were.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.playground.slack.interaction_payloads import block_id_of
from tests.scenarios.conftest import START, Story, both_databases
from tests.scenarios.export_story import exported
from tests.scenarios.home_story import open_home, text_of
from tests.scenarios.insight_story import answer, card
from tests.scenarios.nudge_story import nudges_to, sweep_at
from tests.scenarios.oauth_story import stored_token
from tests.scenarios.summary_story import posts, summaries_at
from tests.scenarios.tenants_story import (
    ALPHA,
    ALPHA_TASKS,
    AMY,
    BEN,
    BETA,
    BETA_TASK,
    INSTALLER,
    installed,
    installed_side_by_side,
    leaks,
    own_token_only,
    status_of,
    task_team,
)


@both_databases
def test_task_numbers_repeat_and_each_workspace_lists_only_its_own(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)

    assert [alpha.task(n).title for n in (1, 2)] == ["Alpha merger memo", "Alpha payroll run"]  # type: ignore[union-attr]
    assert beta.task(1).title == "Beta launch plan" and beta.task(2) is None  # type: ignore[union-attr]

    assert "Beta launch plan" in answer(beta, "", user=BEN) and "Alpha" not in answer(beta, "", user=BEN)
    assert "Beta launch plan" in answer(beta, "", user=AMY) and "Alpha" not in answer(beta, "", user=AMY)
    assert "Beta launch plan" in answer(beta, "T-1", user=AMY)
    missing = answer(beta, "T-2", user=BEN)  # Alpha's T-2 is no task of Beta's
    assert "no task T-2" in missing and "Alpha" not in missing
    assert leaks(beta, foreign="Alpha") == [] and leaks(alpha, foreign="Beta") == []


def test_stats_why_export_and_home_in_one_workspace_count_only_its_tasks(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    for number in (1, 2):  # Alpha's work is done and approved; Beta's is still only offered
        alpha.click(card(alpha, AMY, number), "Accept", user=AMY)
        alpha.command("/report", user=AMY, text=f"T-{number} done it is in the shared folder")
        alpha.click(alpha.dm(BEN), "Approve", user=BEN)

    # Same people, same window: Beta's scorecards count Beta's one open task, Alpha's its two approved.
    beta_stats = answer(beta, "stats", user=BEN)
    assert "1 task delegated" in beta_stats and "<@UAMY> · on time — · 1 received" in beta_stats
    assert "2 tasks delegated" in answer(alpha, "stats", user=BEN)
    assert "Open load: 1" in answer(beta, "stats", user=AMY)
    why = answer(beta, "T-1 why", user=BEN)
    assert "Beta launch plan" in why and "Alpha" not in why

    beta.command("/tasks", user=BEN, text="export")
    _, rows = exported(beta, BEN)
    assert [(row[0], row[1], row[13]) for row in rows[1:]] == [("T-1", "Beta launch plan", "created")]

    home = text_of(open_home(beta, AMY))
    assert "Beta launch plan" in home and "Alpha" not in home
    assert leaks(beta, foreign="Alpha") == [] and own_token_only(beta) and own_token_only(alpha)


def test_report_and_a_forged_click_in_one_workspace_leave_the_others_tasks_alone(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    beta.click(beta.offer(AMY), "Accept", user=AMY)
    alpha.click(card(alpha, AMY, 1), "Accept", user=AMY)

    beta.command("/report", user=AMY, text="T-1 done the plan is in #launch")
    assert (status_of(beta, 1), status_of(alpha, 1)) == ("delivered", "in_progress")
    assert "Beta launch plan" in beta.dm(BEN).plain_text()
    assert all("delivered" not in m.plain_text() for m in alpha.dms(BEN))

    # Alpha's offer of T-2, clicked with a payload from Beta (Beta's team id, Alpha's task).
    alpha_offer = card(alpha, AMY, 2)
    accept = alpha_offer.button("Accept")
    posted_before = alpha.posted()
    reply = beta.requests.block_action(
        user=AMY, action_id=accept["action_id"], value=accept["value"],
        block_id=block_id_of(alpha_offer.blocks, accept), message=alpha_offer, text="Accept",
    )  # fmt: skip
    beta.settle()

    assert reply.status == 200
    assert "You have no task T-2" in beta.ephemeral(AMY).plain_text()
    assert status_of(alpha, 2) == "awaiting_acceptance" and beta.task(2) is None
    assert alpha.posted() == posted_before and alpha.history(2) == ["created"]
    assert leaks(beta, foreign="Alpha") == [] and leaks(alpha, foreign="Beta") == []


@both_databases
def test_the_sweep_nudges_each_workspace_with_its_own_token(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)

    sweep_at(beta, START + timedelta(hours=4))  # nobody accepted: a reminder each

    assert nudges_to(alpha, AMY) == ["T-1 ack_reminder", "T-2 ack_reminder"]
    assert nudges_to(beta, AMY) == ["T-1 ack_reminder"]
    each_nudge_went_with_its_workspaces_token(alpha, beta)


@both_databases
def test_the_sweep_chases_each_workspaces_overdue_handoff_there(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    for story, number in ((alpha, 1), (alpha, 2), (beta, 1)):
        story.click(card(story, AMY, number), "Accept", user=AMY)

    sweep_at(beta, datetime(2026, 12, 10, 18, 0, tzinfo=UTC))  # an hour past both T-1s' due time

    for story in (alpha, beta):  # Alpha's T-2 is due a day later: not overdue in either
        assert [n for n in nudges_to(story, AMY) if "overdue" in n] == ["T-1 overdue"]
        assert [n for n in nudges_to(story, BEN) if "overdue" in n] == ["T-1 overdue"]
    each_nudge_went_with_its_workspaces_token(alpha, beta)


def each_nudge_went_with_its_workspaces_token(alpha: Story, beta: Story) -> None:
    """Every message went with the token of its workspace, and every nudge is about its tasks."""
    for story, team in ((alpha, ALPHA), (beta, BETA)):
        posted = [c for c in story.slack.calls_to("chat.postMessage") if c.ok]
        assert {c.token for c in posted} == {stored_token(story, team)}
        for call in posted:
            key = str(call.args["metadata"]["event_payload"]["key"])
            if key.startswith("nudge:"):
                assert task_team(story, int(key.split(":")[1])) == team
    assert leaks(beta, foreign="Alpha") == [] and leaks(alpha, foreign="Beta") == []


def test_each_channels_daily_summary_lists_its_own_workspaces_tasks(oauth_story: Story) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    for story in (alpha, beta):
        story.command("/tasks", user=BEN, text="summary here 09:00")

    summaries_at(beta, START + timedelta(days=1))  # Friday 10:00 UTC: both are due

    [alpha_post], [beta_post] = posts(alpha), posts(beta)
    assert "Beta launch plan" in beta_post.plain_text() and "Alpha" not in beta_post.plain_text()
    assert "Alpha merger memo" in alpha_post.plain_text() and "Beta" not in alpha_post.plain_text()
    assert own_token_only(alpha) and own_token_only(beta)


# Quiet hours from noon to 20:00 UTC hold the 14:00 reminders where they were set, only there.
QUIET = {"the workspace's": (INSTALLER, "settings workspace QUIET_HOURS 12:00-20:00"),
         "Amy's own": (AMY, "settings quiet 12:00-20:00")}  # fmt: skip


@both_databases
@pytest.mark.parametrize("whose", QUIET)
def test_quiet_hours_set_in_one_workspace_hold_only_its_reminders(oauth_story: Story, whose: str) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    user, typed = QUIET[whose]
    alpha.command("/tasks", user=user, text=typed)

    sweep_at(beta, START + timedelta(hours=4))

    assert nudges_to(alpha, AMY) == []
    assert nudges_to(beta, AMY) == ["T-1 ack_reminder"]


@both_databases
def test_someone_who_left_one_workspace_still_takes_work_in_the_other(oauth_story: Story) -> None:
    alpha, beta = installed(oauth_story)
    alpha.slack.add_user(AMY, name="amy", tz="UTC", deleted=True)  # Amy left Alpha; she is still in Beta

    alpha.delegate(ALPHA_TASKS[0], user=BEN)
    beta.delegate(BETA_TASK, user=BEN)

    assert "no longer in this workspace" in alpha.ephemeral(BEN).plain_text() and alpha.task(1) is None
    assert "Beta launch plan" in beta.offer(AMY).plain_text() and beta.task(1) is not None
