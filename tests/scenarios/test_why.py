"""``/tasks T-n why``: where a handoff broke, one story per kind of failure, read as the owner reads it.

START is Thursday 10:00 UTC; the owner is in Berlin, so "due: 2026-11-27 12:00" is START + 25 h.
"""

from __future__ import annotations

from tests.scenarios.conftest import ALICE, MALLORY, OWNER, Story, both_databases
from tests.scenarios.insight_story import accept, answer, approve, decline, deliver, request_changes

TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: 2026-11-27 12:00"


def accepted(story: Story, text: str = TASK) -> None:
    story.delegate(text)
    story.later(hours=1)
    accept(story, 1)


def timeline(text: str) -> list[str]:
    """The fault lines, one per line, in the order the owner reads them."""
    return [line for line in text.splitlines() if line.startswith("• ")]


@both_databases
def test_a_late_delivery_says_how_late_and_who_held_the_ball(story: Story) -> None:
    accepted(story)
    story.later(hours=30)  # START + 31 h: 6 h after the due date
    deliver(story, 1)
    approve(story)

    text = answer(story, "T-1 why")

    [late] = timeline(text)
    assert "*delivered 6 hours late* · <@UALICE> held the ball from <!date^" in late
    assert "Fri, Nov 27 2026 at 11:00 UTC>, for 6 hours" in late
    assert text.endswith("*Largest fault:* It was delivered 6 hours late.")


def test_rounds_of_changes_are_counted_with_the_owners_reasons(story: Story) -> None:
    accepted(story)
    story.later(hours=5)
    deliver(story, 1)
    request_changes(story, "Add the <revenue> appendix")
    story.later(hours=2)
    deliver(story, 1)
    request_changes(story, "Totals still wrong")
    story.later(hours=3)
    deliver(story, 1)
    approve(story)

    text = answer(story, "T-1 why")

    [rounds] = timeline(text)
    assert "*2 rounds of changes: “Add the &lt;revenue&gt; appendix”; “Totals still wrong”*" in rounds
    assert "<@UALICE> held the ball" in rounds and "for 5 hours" in rounds  # first request to last delivery
    assert "*Largest fault:* The work was sent back for changes twice." in text


def test_an_outcome_changed_after_handoff_is_named_as_the_cause_of_the_rework(story: Story) -> None:
    accepted(story)
    story.later(hours=2)
    story.command("/tasks", user=OWNER, text="T-1 edit done when: PDF and slides sent to the board")
    story.later(hours=3)
    deliver(story, 1)
    request_changes(story, "Slides missing")

    text = answer(story, "T-1 why")

    assert "outcome changed once after handoff" in text
    assert (
        "*Largest fault:* The outcome was unclear at handoff and was changed once after it,"
        " and the work was sent back for changes once." in text
    )


def test_a_decline_quotes_its_reason_and_a_missing_outcome_is_the_owners_side(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Book the offsite venue | due: 2026-12-10 17:00")
    story.later(hours=3)
    decline(story, 1, "No time this week")

    text = answer(story, "T-1 why")

    undefined, declined = timeline(text)
    assert undefined.startswith("• *outcome undefined at handoff* · <@UOWNER> held the ball")
    assert declined.startswith("• *declined: “No time this week”* · <@UALICE> held the ball")
    assert declined.endswith("for 3 hours")
    assert "*Largest fault:* The outcome was not defined at handoff, and the task was declined." in text


def test_a_reassignment_says_from_whom_to_whom_after_how_long(story: Story) -> None:
    story.delegate(TASK.replace("2026-11-27 12:00", "2026-12-10 17:00"))
    story.later(hours=30)
    story.command("/tasks", user=OWNER, text=f"T-1 reassign <@{MALLORY}|mallory>")
    accept(story, 1, user=MALLORY)

    text = answer(story, "T-1 why")

    unanswered, reassigned = timeline(text)
    assert unanswered.startswith("• *offer not accepted for 1 day 6 hours* · <@UALICE>")
    assert reassigned.startswith("• *reassigned from <@UALICE> to <@UMALLORY> after 1 day 6 hours*")
    assert "*Largest fault:* The task changed hands after <@UALICE> held it for 1 day 6 hours." in text
    assert "Largest fault" in answer(story, "T-1 why", user=MALLORY)  # the new assignee may read it too


def test_a_task_taken_back_says_the_owner_took_it(story: Story) -> None:
    accepted(story, TASK.replace("2026-11-27 12:00", "2026-12-10 17:00"))
    story.later(hours=47)
    story.command("/tasks", user=OWNER, text="T-1 take back")

    text = answer(story, "T-1 why")

    [taken] = timeline(text)
    assert taken.startswith("• *taken back* · <@UOWNER> held the ball")
    assert taken.endswith("for 2 days")
    assert "*Largest fault:* <@UOWNER> took the task back." in text


def test_a_cancelled_task_quotes_the_reason(story: Story) -> None:
    accepted(story)
    story.later(hours=4)
    story.command("/tasks", user=OWNER, text="T-1 cancel plans changed")

    text = answer(story, "T-1 why")

    [cancelled] = timeline(text)
    assert cancelled.startswith("• *cancelled: “plans changed”* · <@UOWNER> held the ball")
    assert "*Largest fault:* <@UOWNER> cancelled the task." in text


@both_databases
def test_a_task_overdue_now_says_by_how_long_and_its_assignee_can_read_it(story: Story) -> None:
    accepted(story)
    story.later(hours=48)  # START + 49 h: a day past due, no delivery

    text = answer(story, "T-1 why", user=ALICE)

    [overdue] = timeline(text)
    assert overdue.startswith("• *overdue by 1 day* · <@UALICE> held the ball")
    assert "*Largest fault:* It is overdue by 1 day." in text


def test_a_handoff_that_went_well_says_so(story: Story) -> None:
    accepted(story)
    story.later(hours=5)
    assert "No fault lines so far: nothing has gone wrong with this handoff." in answer(story, "T-1 why")
    deliver(story, 1)
    approve(story)

    text = answer(story, "T-1 why")

    assert timeline(text) == []
    assert "No fault lines: this handoff went well." in text
    assert "Largest fault" not in text


def test_only_the_owner_and_the_assignee_may_ask_why(story: Story) -> None:
    accepted(story)

    assert "You have no task T-1." in answer(story, "T-1 why", user=MALLORY)
    assert "You have no task T-999." in answer(story, "T-999 why")
    assert story.history(1) == ["created", "accepted"]  # reading writes nothing
