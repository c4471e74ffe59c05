"""Exactly once: sweeping again, Slack failing, two sweeps at once, a task that moved on meanwhile."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import col, func, select

from bot.services.runtime import Runtime
from bot.services.sweep import SweepReport, run_sweep
from storage import repositories as repo
from storage.db import Database
from storage.models import OutboxMessage, TaskNudgeRow
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, START, Story, both_databases
from tests.scenarios.nudge_story import nudge_rows, nudges_to, seed_offers, sweep_at, sweep_without_sending

TASK = f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent to the board | due: dec 10"
REMINDER_DUE = START + timedelta(hours=4)


@both_databases
def test_a_second_sweep_at_the_same_or_a_later_moment_sends_nothing_again(story: Story) -> None:
    story.delegate(TASK)
    first = sweep_at(story, REMINDER_DUE)
    assert first.nudges_queued == 1 and nudges_to(story, MALLORY) == ["T-1 ack_reminder"]
    posted = story.posted()

    again = story.sweep()  # the same moment: nothing is due for a check any more
    assert (again.tasks_checked, again.nudges_queued) == (0, 0)
    sweep_at(story, REMINDER_DUE + timedelta(hours=1))
    assert story.posted() == posted
    assert len(nudge_rows(story)) == 1


def test_a_task_looked_at_again_early_does_not_queue_its_nudge_twice(story: Story) -> None:
    story.delegate(TASK)
    sweep_at(story, REMINDER_DUE)
    with story.handoff.runtime.db.session_scope() as session:  # as a change to the task would
        task = repo.get_task(session, team_id=story.slack.team_id, number=1)
        assert task is not None
        repo.save_task(session, task=task, now=story.clock.now)
    report = story.sweep()
    assert (report.tasks_checked, report.nudges_queued) == (1, 0)
    assert nudges_to(story, MALLORY) == ["T-1 ack_reminder"]


def test_a_nudge_decided_by_a_sweep_stopped_before_sending_is_sent_once_by_the_next(story: Story) -> None:
    story.delegate(TASK)
    assert sweep_without_sending(story, REMINDER_DUE).nudges_queued == 1  # decided, committed, never sent
    assert nudges_to(story, MALLORY) == []
    later = sweep_at(story, REMINDER_DUE + timedelta(minutes=1))  # the next run, cron's next minute
    assert later.nudges_queued == 0  # nothing decided again ...
    assert nudges_to(story, MALLORY) == ["T-1 ack_reminder"]  # ... and what was queued is sent
    sweep_at(story, REMINDER_DUE + timedelta(minutes=2))
    assert nudges_to(story, MALLORY) == ["T-1 ack_reminder"]


def queued_then(story: Story, *, when: timedelta, change: str, text: str = TASK) -> None:
    """A nudge is queued at ``START + when`` but not sent before ``change`` happens to the task."""
    story.delegate(text)
    if change != "accept":
        story.click(story.offer(MALLORY), "Accept", user=MALLORY)
    assert sweep_without_sending(story, START + when).nudges_queued >= 1
    if change == "accept":
        story.click(story.offer(MALLORY), "Accept", user=MALLORY)
    elif change == "deliver":
        story.command("/report", user=MALLORY, text="T-1 done https://example.com/q3.pdf")
    else:
        story.command("/tasks", user=OWNER, text="T-1 cancel plans changed")


@pytest.mark.parametrize(
    ("change", "when", "text"),
    [
        ("accept", timedelta(hours=4), TASK),  # the acceptance reminder
        ("deliver", timedelta(hours=5), TASK.replace("due: dec 10", "due: friday 4pm")),  # due soon
        ("cancel", timedelta(hours=5), TASK.replace("due: dec 10", "due: friday 4pm")),  # due soon
    ],
)
def test_a_nudge_for_a_task_that_moved_on_before_it_was_sent_is_skipped(
    story: Story, change: str, when: timedelta, text: str
) -> None:
    queued_then(story, when=when, change=change, text=text)
    story.handoff.sender.flush()
    assert nudges_to(story, MALLORY) == [] and nudges_to(story, OWNER) == []
    assert {row.status for row in nudge_rows(story)} == {"skipped"}


@both_databases
def test_a_reminder_queued_before_a_reassignment_is_skipped_and_the_new_assignee_starts_afresh(
    story: Story,
) -> None:
    story.delegate(TASK)
    assert sweep_without_sending(story, REMINDER_DUE).nudges_queued == 1  # Mallory's, not sent yet
    reassigned = REMINDER_DUE + timedelta(minutes=10)  # 09:10 in Alice's New York
    story.clock.now = reassigned
    story.command("/tasks", user=OWNER, text=f"T-1 reassign <@{ALICE}|alice>")
    story.handoff.sender.flush()
    assert nudges_to(story, MALLORY) == []  # she no longer holds the task: skipped, not sent
    assert [row.status for row in nudge_rows(story)] == ["skipped"]

    # Alice's acceptance reminder counts from her own offer, not from Mallory's.
    sweep_at(story, reassigned + timedelta(hours=4) - timedelta(minutes=1))
    assert nudges_to(story, ALICE) == []
    sweep_at(story, reassigned + timedelta(hours=4))
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]
    assert nudges_to(story, MALLORY) == [] and nudges_to(story, OWNER) == []
    assert [row.status for row in nudge_rows(story)] == ["skipped", "sent"]


def test_with_a_third_of_slack_calls_failing_every_due_nudge_arrives_exactly_once(story: Story) -> None:
    for n in range(12):
        story.delegate(TASK.replace("Ship the Q3 report", f"Report {n}"))
    story.slack.fail_randomly(
        "chat.postMessage", "conversations.history", "conversations.open", share=0.3, seed=8
    )
    assert sweep_at(story, REMINDER_DUE).nudges_queued == 12
    for _ in range(40):  # the sender's later rounds: backoff after 5xx, Retry-After after 429
        if all(row.status == "sent" for row in nudge_rows(story)):
            break
        story.later(minutes=5)
    story.slack.fail_randomly(share=0.0)
    failed = [c for c in story.slack.calls if c.status in (429, 500)]
    assert len(failed) >= 3 and {c.status for c in failed} == {429, 500}, "the failures were injected"
    assert Counter(nudges_to(story, MALLORY)) == {f"T-{n} ack_reminder": 1 for n in range(1, 13)}
    assert {row.status for row in nudge_rows(story)} == {"sent"}


@both_databases
def test_two_sweeps_at_once_queue_every_due_nudge_once(story: Story, scenario_db: Database) -> None:
    tasks = 240
    seed_offers(scenario_db, team_id=story.slack.team_id, count=tasks)
    url = scenario_db.engine.url.render_as_string(hide_password=False)
    start = threading.Barrier(2)
    reports: list[SweepReport] = []

    def one_clock() -> None:
        rt: Runtime = replace(story.handoff.runtime, db=Database.from_url(url), messages_queued=lambda: None)
        start.wait()
        reports.append(run_sweep(rt, batch=20))
        rt.db.engine.dispose()

    threads = [threading.Thread(target=one_clock) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(reports) == 2
    assert sum(r.tasks_checked for r in reports) == tasks  # each task decided by one sweep
    assert sum(r.nudges_queued for r in reports) == tasks
    with scenario_db.session_scope(write=False) as session:
        keys = session.exec(select(OutboxMessage.dedupe_key).where(col(OutboxMessage.kind) == "nudge")).all()
        recorded = session.exec(select(func.count()).select_from(TaskNudgeRow)).one()
    assert len(keys) == len(set(keys)) == recorded == tasks
