"""``/tasks stats``: scorecards read from a month lived through the real app, every figure worked out by hand.

The story (START is Thursday 10:00 UTC; the owner, olivia, is in Berlin, UTC+1):

* T-1 to alice, due Dec 3: accepted after 2 h, delivered after 24 h, approved 3 h later.
* T-2 to alice, due Nov 27 12:00 Berlin (START + 25 h): accepted after 4 h, delivered at 48 h
  (late), changes requested 1 h later, delivered again at 53 h, approved 1 h later.
* T-3 to alice with no definition of done: declined after 5 h.
* T-4 to alice, due Nov 27 12:00 Berlin: never answered.
* T-5 to mallory, due Dec 3: accepted after 1 h, delivered at 30 h, approved 1 h later.

Read at START + 72 h.
"""

from __future__ import annotations

import pytest

from tests.scenarios.conftest import ALICE, MALLORY, OWNER, Story, both_databases
from tests.scenarios.insight_story import accept, answer, approve, decline, deliver, request_changes

CLEAR = "done when: PDF sent to the board"


def a_month_of_handoffs(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Ship the Q3 report | {CLEAR} | due: 2026-12-03 17:00")
    story.delegate(f"<@{ALICE}> Fix the sales numbers | {CLEAR} | due: 2026-11-27 12:00")
    story.delegate(f"<@{ALICE}> Book the offsite venue | due: 2026-12-10 17:00")
    story.delegate(f"<@{ALICE}> Renew the domain | {CLEAR} | due: 2026-11-27 12:00")
    story.delegate(f"<@{MALLORY}> Draft the newsletter | {CLEAR} | due: 2026-12-03 17:00")
    story.later(hours=1)  # +1 h
    accept(story, 5, user=MALLORY)
    story.later(hours=1)  # +2 h
    accept(story, 1)
    story.later(hours=2)  # +4 h
    accept(story, 2)
    story.later(hours=1)  # +5 h
    decline(story, 3, "No time this week")
    story.later(hours=19)  # +24 h
    deliver(story, 1)
    story.later(hours=3)  # +27 h
    approve(story)
    story.later(hours=3)  # +30 h
    deliver(story, 5, user=MALLORY)
    story.later(hours=1)  # +31 h
    approve(story)
    story.later(hours=17)  # +48 h
    deliver(story, 2)
    story.later(hours=1)  # +49 h
    request_changes(story, "The Q3 totals are wrong")
    story.later(hours=4)  # +53 h
    deliver(story, 2)
    story.later(hours=1)  # +54 h
    approve(story)
    story.later(hours=18)  # +72 h


@both_databases
def test_an_assignees_card_shows_the_figures_of_their_month(story: Story) -> None:
    a_month_of_handoffs(story)

    text = answer(story, f"stats <@{ALICE}|alice>")

    assert "Scorecard of <@UALICE>" in text and "last 30 days" in text
    assert "4 tasks received" in text
    # Accepted T-1 and T-2, declined T-3, T-4 ghosted (72 h unanswered): 2 of 4.
    assert "Acceptance: 50 % (2 of 4)" in text
    assert "Median time to accept: 3 hours" in text  # 2 h and 4 h
    assert "On time: 50 % (1 of 2)" in text  # T-1 on time, T-2 first delivered 23 h late
    assert "First-pass approval: 50 % (1 of 2)" in text  # T-2 needed a round of changes
    assert "Average rework: 0.5 rounds per delivery" in text  # 0 and 1 round
    assert "Overdue now: 1 · Open load: 1 · Ghosted: 1" in text  # T-4
    assert "As owner" not in text  # alice delegated nothing
    # Fault lines: T-2 late and reworked, T-3 declined, T-4 unanswered and overdue; T-1 went well.
    assert "3 of the 4 tasks <@UALICE> took on went wrong." in text
    assert "0 % (0 of 1) of the tasks <@UALICE> got back with changes had no clear definition of done" in text
    assert (
        "Most often on <@UALICE>'s side as assignee: changes requested (1 task), declined (1 task),"
        " delivered late (1 task)." in text
    )


def test_an_owners_card_shows_clarity_review_time_and_what_was_on_their_side(story: Story) -> None:
    a_month_of_handoffs(story)

    text = answer(story, f"stats <@{OWNER}>", user=ALICE)

    assert "5 tasks delegated" in text
    assert "Clear at handoff (definition of done and due date): 80 % (4 of 5)" in text  # T-3 had no outcome
    assert "Median review time: 1 hour" in text  # reviews of 3 h, 1 h, 1 h and 1 h
    assert "3 of the 5 tasks <@UOWNER> handed off went wrong." in text
    assert "Most often on <@UOWNER>'s side as owner: outcome undefined at handoff (1 task)." in text
    assert "As assignee" not in text


def test_the_team_view_puts_my_card_first_then_assignees_best_on_time_first(story: Story) -> None:
    a_month_of_handoffs(story)

    text = answer(story, "stats")

    assert text.index("Scorecard of <@UOWNER>") < text.index("Assignees")
    mallory = text.index("<@UMALLORY> · on time 100 % (1 of 1) · 1 received")
    alice = text.index("<@UALICE> · on time 50 % (1 of 2) · 4 received · accepted 50 % (2 of 4)")
    assert mallory < alice
    assert "<@UOWNER> · 5 delegated · clear at handoff 80 % (4 of 5) · median review 1 hour" in text


def test_a_shorter_window_leaves_older_offers_out_but_still_counts_what_is_open_now(story: Story) -> None:
    a_month_of_handoffs(story)

    text = answer(story, f"stats <@{ALICE}> 1d")

    assert "last day" in text
    assert "0 tasks received" in text
    assert "Acceptance: — _not enough to measure_" in text
    assert "Overdue now: 1 · Open load: 1" in text  # T-4 is still with her


def test_someone_with_no_tasks_is_told_there_is_nothing_to_measure(story: Story) -> None:
    text = answer(story, f"stats <@{MALLORY}>")
    assert "nothing to measure" in text


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        ("stats 400d", "from 1 to 365, like 30d or 90d"),
        ("stats bob", "/tasks stats @alice"),
        (f"stats <@{ALICE}> last month", "/tasks stats @alice 90d"),
    ],
)
def test_bad_input_says_what_to_type_instead(story: Story, typed: str, told: str) -> None:
    text = answer(story, typed)
    assert told in text
    assert "Scorecard" not in text


def test_help_names_stats_and_why(story: Story) -> None:
    text = answer(story, "help")
    assert "/tasks stats [@someone] [90d]" in text and "/tasks T-12 why" in text


def test_one_persons_card_is_answered_in_the_ack_and_the_team_view_after_it(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Ship the Q3 report | {CLEAR} | due: 2026-12-03 17:00")

    one = story.command("/tasks", user=OWNER, text=f"stats <@{ALICE}>")
    assert one.status == 200 and "Scorecard of <@UALICE>" in one.body

    # The team view reads every task of the window, which can outlast the 3 s Slack waits.
    team = story.command("/tasks", user=OWNER, text="stats 90d")
    assert team.status == 200 and team.body == ""
    assert "Scorecards · last 90 days" in str(story.slack.responses(team.response_url or ""))
    assert "<@UALICE> · on time — · 1 received" in story.ephemeral(OWNER).plain_text()
