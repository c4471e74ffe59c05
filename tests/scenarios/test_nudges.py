"""Nudges: who is chased about what, and when, as the people in a handoff live it.

The story starts on Thursday 26 November 2026, 10:00 UTC. The owner works in Berlin (UTC+1),
Mallory in UTC, Alice in New York (UTC-5); everyone's working hours are the default
(mon-fri, quiet 19:00-08:00 in their own timezone). Thresholds are the defaults: a reminder
4 h after the offer, the owner 1 day later, unclear 2 h, question 4 h, due soon 1 day
before, review 1 day after delivery, repeats every day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.slack.ids import Field
from tests.scenarios.conftest import MALLORY, OWNER, START, Story, both_databases
from tests.scenarios.nudge_story import late_by, nudge_rows, nudges_to, sweep_at

TASK = f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent to the board | due: dec 10"
DUE_FRIDAY = f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent to the board | due: friday 4pm"
FRIDAY_4PM_BERLIN = datetime.fromisoformat("2026-11-27T15:00:00+00:00")


def accepted(story: Story, text: str = TASK) -> None:
    story.delegate(text)
    story.click(story.offer(MALLORY), "Accept", user=MALLORY)


@both_databases
def test_an_offer_not_accepted_is_a_reminder_to_the_assignee_then_the_owner_is_told(story: Story) -> None:
    story.delegate(TASK)
    sweep_at(story, START + timedelta(hours=3, minutes=59))
    assert nudges_to(story, MALLORY) == []

    report = sweep_at(story, START + timedelta(hours=4))
    assert nudges_to(story, MALLORY) == ["T-1 ack_reminder"]
    assert "T-1" in story.dm(MALLORY).plain_text()
    assert (report.tasks_checked, report.nudges_queued) == (1, 1)
    assert nudges_to(story, OWNER) == []

    sweep_at(story, START + timedelta(days=1, hours=3, minutes=59))
    assert nudges_to(story, OWNER) == []
    sweep_at(story, START + timedelta(days=1, hours=4))  # Friday 14:00 UTC, 15:00 in Berlin
    assert nudges_to(story, OWNER) == ["T-1 ack_escalation"]
    assert nudges_to(story, MALLORY) == ["T-1 ack_reminder", "T-1 ack_reminder"]  # repeated after a day


def test_an_accepted_task_is_not_chased_for_acceptance(story: Story) -> None:
    accepted(story)
    sweep_at(story, START + timedelta(days=1, hours=4))
    assert nudges_to(story, MALLORY) == [] and nudges_to(story, OWNER) == []


def test_an_unclear_handoff_asks_the_owner_to_clarify(story: Story) -> None:
    story.delegate(f"<@{MALLORY}> Improve onboarding | done when: make it better")  # vague, no due date
    sweep_at(story, START + timedelta(hours=1, minutes=59))
    assert nudges_to(story, OWNER) == []
    sweep_at(story, START + timedelta(hours=2))
    assert nudges_to(story, OWNER) == ["T-1 unclear"]


def test_an_unanswered_question_reminds_the_owner_and_pauses_chasing_the_assignee(story: Story) -> None:
    story.delegate(TASK)
    story.clock.advance(hours=1)
    story.click(story.offer(MALLORY), "Ask a question", user=MALLORY)
    story.submit(story.slack.last_view(), user=MALLORY, **{Field.TEXT: "PDF or slides?"})

    sweep_at(story, START + timedelta(hours=4, minutes=59))
    assert nudges_to(story, OWNER) == []
    assert nudges_to(story, MALLORY) == []  # not chased while she waits for an answer
    sweep_at(story, START + timedelta(hours=5))
    assert nudges_to(story, OWNER) == ["T-1 question"]


def test_due_soon_with_no_word_asks_the_assignee_how_it_stands(story: Story) -> None:
    accepted(story, DUE_FRIDAY)  # due Friday 15:00 UTC; the window opens Thursday 15:00
    sweep_at(story, FRIDAY_4PM_BERLIN - timedelta(days=1, minutes=1))
    assert nudges_to(story, MALLORY) == []
    sweep_at(story, FRIDAY_4PM_BERLIN - timedelta(days=1))
    assert nudges_to(story, MALLORY) == ["T-1 due_soon"]
    sweep_at(story, FRIDAY_4PM_BERLIN - timedelta(hours=1))
    assert nudges_to(story, MALLORY) == ["T-1 due_soon"]  # once per due date


def test_an_overdue_task_chases_both_then_again_every_day_with_how_late(story: Story) -> None:
    monday_4pm_berlin = datetime.fromisoformat("2026-11-30T15:00:00+00:00")
    accepted(story, f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent to the board | due: monday 4pm")
    sweep_at(story, monday_4pm_berlin)
    assert "T-1 overdue" in nudges_to(story, MALLORY)
    assert nudges_to(story, OWNER) == ["T-1 overdue"]

    sweep_at(story, monday_4pm_berlin + timedelta(hours=23))
    assert nudges_to(story, OWNER) == ["T-1 overdue"]  # not before a day has passed
    sweep_at(story, monday_4pm_berlin + timedelta(days=1))
    sweep_at(story, monday_4pm_berlin + timedelta(days=2))
    assert nudges_to(story, OWNER) == ["T-1 overdue"] * 3
    assert nudges_to(story, MALLORY).count("T-1 overdue") == 3
    to_owner = [row for row in nudge_rows(story) if row.recipient_id == OWNER]
    assert [late_by(row) for row in to_owner] == [0, 86_400, 2 * 86_400]


def test_a_delivery_not_reviewed_reminds_the_owner(story: Story) -> None:
    accepted(story)
    story.command("/report", user=MALLORY, text="T-1 done https://example.com/q3.pdf")
    sweep_at(story, START + timedelta(hours=23, minutes=59))
    assert nudges_to(story, OWNER) == []
    sweep_at(story, START + timedelta(days=1))
    assert nudges_to(story, OWNER) == ["T-1 review"]
    assert nudges_to(story, MALLORY) == []
