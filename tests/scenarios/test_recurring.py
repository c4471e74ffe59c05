"""Recurring handoffs: a series offers each next occurrence ahead of its due date, once, until stopped."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlmodel import col, select

from bot.playground.slack.fake_slack import Message
from bot.services.sweep import run_sweep
from bot.slack.ids import Field
from storage.models import OutboxMessage, SeriesRow, TaskRow
from tests.scenarios.conftest import ALICE, BOB, MALLORY, OWNER, Story, both_databases

WEEKLY = (
    f"<@{ALICE}> Weekly metrics report | done when: sheet updated and linked | due: friday 4pm | every: week"
)
# The owner is in Berlin: Friday 27 November 16:00 there is 15:00 UTC; the clock starts Thursday 10:00 UTC.
FIRST_DUE = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
SECOND_DUE = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
SECOND_OFFER = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # one working day before


def series_rows(story: Story) -> list[SeriesRow]:
    with story.handoff.runtime.db.session_scope(write=False) as session:
        return list(session.exec(select(SeriesRow).order_by(col(SeriesRow.id))).all())


def task_count(story: Story) -> int:
    with story.handoff.runtime.db.session_scope(write=False) as session:
        return len(session.exec(select(TaskRow)).all())


def sweep(story: Story) -> int:
    """One sweep (nudges, then recurring series) and the sender's round; how many occurrences it offered."""
    return story.sweep().occurrences_offered


def cards(story: Story, user: str) -> list[Message]:
    """The task cards the user got (cards open with a header; notices and nudges don't)."""
    return [m for m in story.dms(user) if m.blocks and m.blocks[0].get("type") == "header"]


def at(story: Story, moment: datetime) -> None:
    story.clock.now = moment


def test_delegating_with_every_starts_a_series_and_its_first_occurrence(story: Story) -> None:
    story.delegate(WEEKLY)

    first = story.task(1)
    assert first is not None and first.due_at == FIRST_DUE and first.series_id is not None
    (series,) = series_rows(story)
    assert (series.id, series.owner_id, series.assignee_id) == (first.series_id, OWNER, ALICE)
    assert (series.next_due_at, series.next_offer_at) == (SECOND_DUE, SECOND_OFFER)
    assert series.title == "Weekly metrics report" and series.done_when == "sheet updated and linked"
    assert "repeats every week" in story.ephemeral(OWNER).plain_text()
    assert "repeats every week" in story.offer(ALICE).plain_text()


@both_databases
def test_the_next_occurrence_is_offered_once_at_its_offer_time(story: Story) -> None:
    story.delegate(WEEKLY)
    at(story, SECOND_OFFER.replace(hour=14, minute=59))
    assert sweep(story) == 0 and story.task(2) is None  # not yet

    at(story, SECOND_OFFER)
    assert sweep(story) == 1
    second = story.task(2)
    assert second is not None and second.due_at == SECOND_DUE
    assert second.series_id == story.task(1).series_id  # type: ignore[union-attr]
    assert second.assignee_id == ALICE and second.title == "Weekly metrics report"
    card = story.offer(ALICE)
    assert "T-2" in card.plain_text() and "repeats every week" in card.plain_text()
    assert "Accept" in [b["text"]["text"] for b in card.buttons()]
    (series,) = series_rows(story)
    assert series.next_due_at == datetime(2026, 12, 11, 15, 0, tzinfo=UTC)

    assert sweep(story) == 0  # a second sweep at the same moment: nothing more
    story.later(hours=1)
    assert sweep(story) == 0
    assert story.task(3) is None and task_count(story) == 2
    assert [m.text.split(":")[0] for m in cards(story, ALICE)] == ["T-1", "T-2"]


def test_occurrences_come_whether_or_not_the_last_one_is_finished(story: Story) -> None:
    story.delegate(WEEKLY)
    at(story, SECOND_OFFER)
    sweep(story)
    at(story, datetime(2026, 12, 10, 15, 0, tzinfo=UTC))  # T-1 and T-2 are still not accepted
    assert sweep(story) == 1
    third = story.task(3)
    assert third is not None and third.due_at == datetime(2026, 12, 11, 15, 0, tzinfo=UTC)


def test_the_series_keeps_the_owners_wall_clock_across_daylight_saving(story: Story) -> None:
    story.clock.now = datetime(2027, 3, 22, 10, 0, tzinfo=UTC)  # a Monday; Berlin changes on the 28th
    story.delegate(f"<@{ALICE}> Weekly metrics | due: friday 4pm | every: week")
    assert story.task(1).due_at == datetime(2027, 3, 26, 15, 0, tzinfo=UTC)  # type: ignore[union-attr]
    at(story, datetime(2027, 4, 1, 14, 0, tzinfo=UTC))
    assert sweep(story) == 1
    assert story.task(2).due_at == datetime(2027, 4, 2, 14, 0, tzinfo=UTC)  # type: ignore[union-attr]


def test_two_clocks_at_the_same_moment_create_it_once(story: Story) -> None:
    story.delegate(WEEKLY)
    at(story, SECOND_OFFER)
    with ThreadPoolExecutor(max_workers=2) as clocks:
        reports = list(clocks.map(lambda _: run_sweep(story.handoff.runtime), range(2)))
    story.handoff.dispatcher.poke()
    story.settle()
    results = [report.occurrences_offered for report in reports]
    assert sorted(results) == [0, 1]
    assert task_count(story) == 2
    assert len([m for m in cards(story, ALICE) if "T-2" in m.plain_text()]) == 1


def test_several_assignees_get_a_series_each(story: Story) -> None:
    story.delegate(f"<@{ALICE}> <@{BOB}> Standup notes | due: tomorrow 9am | every: weekday")
    assert [(s.assignee_id, s.every) for s in series_rows(story)] == [
        (ALICE, "1 weekday"),
        (BOB, "1 weekday"),
    ]
    assert story.task(1).series_id != story.task(2).series_id  # type: ignore[union-attr]
    # Friday 9:00 Berlin is due; the next is Monday, offered one working day before: Friday 9:00.
    at(story, datetime(2026, 11, 27, 8, 0, tzinfo=UTC))
    assert sweep(story) == 2
    assert {story.task(3).assignee_id, story.task(4).assignee_id} == {ALICE, BOB}  # type: ignore[union-attr]
    assert story.task(3).due_at == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # type: ignore[union-attr]


def test_the_owner_stops_the_series_from_any_occurrence(story: Story) -> None:
    story.delegate(WEEKLY)
    at(story, SECOND_OFFER)
    sweep(story)

    story.command("/tasks", user=OWNER, text="T-1 stop")

    answer = story.ephemeral(OWNER).plain_text()
    assert "no longer repeats every week" in answer and "T-2" in answer
    assert "stopped this series" in story.dm(ALICE).plain_text()
    (series,) = series_rows(story)
    assert series.stopped_at == SECOND_OFFER and series.stop_reason == "stopped"
    assert story.task(2).status.is_open  # type: ignore[union-attr]
    story.command("/tasks", user=OWNER, text="T-2")
    assert "repeats" not in story.ephemeral(OWNER).plain_text()  # it no longer does
    at(story, datetime(2026, 12, 10, 15, 0, tzinfo=UTC))
    assert sweep(story) == 0 and story.task(3) is None


def test_stop_is_refused_with_a_reason(story: Story) -> None:
    story.delegate(f"<@{ALICE}> One-off | due: friday")
    story.command("/tasks", user=OWNER, text="T-1 stop")
    assert "T-1 doesn't repeat" in story.ephemeral(OWNER).plain_text()

    story.delegate(WEEKLY)
    story.command("/tasks", user=ALICE, text="T-2 stop")
    assert f"Only <@{OWNER}>" in story.ephemeral(ALICE).plain_text()
    assert series_rows(story)[0].stopped_at is None

    story.command("/tasks", user=OWNER, text="stop T-2")
    story.command("/tasks", user=OWNER, text="T-2 stop")
    assert "stopped already" in story.ephemeral(OWNER).plain_text()
    assert len([m for m in story.dms(ALICE) if "stopped this series" in m.plain_text()]) == 1


def test_a_series_whose_assignee_left_stops_and_the_owner_is_told(story: Story) -> None:
    story.delegate(WEEKLY)
    story.slack.add_user(ALICE, name="alice", tz="America/New_York", deleted=True)
    at(story, SECOND_OFFER)  # a week on: the cached profile is stale, Slack is asked

    assert sweep(story) == 0
    assert story.task(2) is None
    (series,) = series_rows(story)
    assert series.stop_reason == "assignee_left"
    (told,) = [m.plain_text() for m in story.dms(OWNER) if "left the workspace" in m.plain_text()]
    assert "T-1" in told and "no longer repeats every week" in told
    assert sweep(story) == 0
    assert len([m for m in story.dms(OWNER) if "left the workspace" in m.plain_text()]) == 1


def test_leaving_the_workspace_stops_the_series_at_once(story: Story) -> None:
    story.delegate(WEEKLY)
    story.event({"type": "user_change", "user": {"id": ALICE, "name": "alice", "deleted": False}})
    assert series_rows(story)[0].stopped_at is None  # a profile edit changes nothing
    story.event({"type": "team_leave", "user": {"id": ALICE, "name": "alice", "deleted": True}})
    assert series_rows(story)[0].stop_reason == "assignee_left"
    assert "left the workspace" in story.dm(OWNER).plain_text()


def reassign(story: Story, number: int, user: str) -> None:
    story.command("/tasks", user=OWNER, text=f"T-{number} reassign <@{user}>")
    assert story.task(number).assignee_id == user  # type: ignore[union-attr]


def stop_notices(story: Story, user: str) -> list[str]:
    return [m.plain_text() for m in story.dms(user) if "stopped this series" in m.plain_text()]


@both_databases
def test_reassigning_the_latest_occurrence_hands_the_series_on(story: Story) -> None:
    story.delegate(WEEKLY)
    reassign(story, 1, MALLORY)

    assert series_rows(story)[0].assignee_id == MALLORY
    at(story, SECOND_OFFER)
    assert sweep(story) == 1
    assert story.task(2).assignee_id == MALLORY  # type: ignore[union-attr]
    assert "T-2" in story.offer(MALLORY).plain_text()
    assert not any("T-2" in m.plain_text() for m in story.dms(ALICE))


def test_reassigning_an_older_occurrence_moves_that_task_alone(story: Story) -> None:
    story.slack.add_user("UCAROL", name="carol", tz="UTC")
    story.delegate(WEEKLY)
    at(story, SECOND_OFFER)
    sweep(story)
    reassign(story, 2, MALLORY)  # the latest: the series follows
    reassign(story, 1, "UCAROL")  # an older one: only T-1 moves

    assert series_rows(story)[0].assignee_id == MALLORY
    at(story, datetime(2026, 12, 10, 15, 0, tzinfo=UTC))
    assert sweep(story) == 1
    assert story.task(3).assignee_id == MALLORY  # type: ignore[union-attr]


def test_stop_tells_the_series_assignee_and_says_so(story: Story) -> None:
    story.delegate(WEEKLY)
    at(story, SECOND_OFFER)
    sweep(story)
    story.command("/tasks", user=OWNER, text="T-2 cancel not this week")
    reassign(story, 1, MALLORY)  # the latest open occurrence now: the series follows

    story.command("/tasks", user=OWNER, text="T-1 stop")

    answer = story.ephemeral(OWNER).plain_text()
    assert f"<@{MALLORY}> has been told" in answer and f"<@{ALICE}>" not in answer
    assert len(stop_notices(story, MALLORY)) == 1 and stop_notices(story, ALICE) == []


def test_the_owner_hears_who_left_when_the_series_had_moved_on(story: Story) -> None:
    story.delegate(WEEKLY)
    at(story, SECOND_OFFER)
    sweep(story)
    story.command("/tasks", user=OWNER, text="T-2 cancel not this week")
    reassign(story, 1, MALLORY)

    story.event({"type": "team_leave", "user": {"id": MALLORY, "name": "mallory", "deleted": True}})

    assert series_rows(story)[0].stop_reason == "assignee_left"
    (told,) = [m.plain_text() for m in story.dms(OWNER) if "left the workspace" in m.plain_text()]
    assert f"<@{MALLORY}> has left the workspace" in told and f"<@{ALICE}>" not in told


@both_databases
def test_a_retried_stop_answers_the_same_and_acts_once(story: Story) -> None:
    story.delegate(WEEKLY)
    before = story.posted()
    first = story.command("/tasks", user=OWNER, text="T-1 stop", trigger_id="trig-stop")
    again = story.command("/tasks", user=OWNER, text="T-1 stop", trigger_id="trig-stop", retry_num=1)

    assert "no longer repeats every week" in str(first.json["blocks"]) and again.json == first.json
    assert story.posted() == before + 1 and len(stop_notices(story, ALICE)) == 1
    assert series_rows(story)[0].stopped_at is not None
    story.command("/tasks", user=OWNER, text="T-1 stop", trigger_id="trig-later")  # typed again
    assert "stopped already" in story.ephemeral(OWNER).plain_text()
    assert story.posted() == before + 1


def test_bad_every_values_are_refused_and_nothing_is_written(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Metrics | due: friday | every: tuesday-ish")
    answer = story.ephemeral(OWNER).plain_text()
    assert "every" in answer and "2 weeks" in answer
    story.delegate(f"<@{ALICE}> Metrics | every: week")
    assert "needs a due date" in story.ephemeral(OWNER).plain_text()
    assert task_count(story) == 0 and series_rows(story) == []
    with story.handoff.runtime.db.session_scope(write=False) as session:
        assert session.exec(select(OutboxMessage)).all() == []


def test_the_form_repeats_with_a_select(story: Story) -> None:
    story.command("/delegate", user=OWNER)
    form = story.slack.last_view()
    story.submit(
        form,
        user=OWNER,
        assignees=[ALICE],
        title="Monthly invoices",
        due="2026-11-30 12:00",
        every="month",
    )
    (series,) = series_rows(story)
    assert series.every == "1 month day 30"
    assert "repeats every month" in story.offer(ALICE).plain_text()


def test_the_form_wants_a_due_date_to_repeat_from(story: Story) -> None:
    story.command("/delegate", user=OWNER)
    form = story.slack.last_view()
    reply = story.submit(form, user=OWNER, assignees=[ALICE], title="Metrics", every="week")
    assert "needs a due date" in reply.json["errors"][Field.DUE.value]
    assert task_count(story) == 0 and series_rows(story) == []


@both_databases
def test_a_retried_recurring_delegation_starts_one_series(story: Story) -> None:
    story.delegate(
        f"<@{ALICE}> <@{BOB}> Warm-up | due: friday"
    )  # everyone cached: the retry is redone in full
    text = f"<@{ALICE}> <@{BOB}> Weekly metrics | due: friday 4pm | every: week"
    first = story.command("/delegate", user=OWNER, text=text, trigger_id="trig-weekly")
    again = story.command("/delegate", user=OWNER, text=text, trigger_id="trig-weekly", retry_num=1)
    assert "Handed off T-3, T-4" in first.json["text"] and again.json == first.json
    assert len(series_rows(story)) == 2 and task_count(story) == 4
    assert len([m for m in story.dms(ALICE) if "Weekly metrics" in m.plain_text()]) == 1


def test_a_clock_that_was_down_offers_the_next_occurrence_not_the_missed_ones(story: Story) -> None:
    story.delegate(WEEKLY)
    at(story, datetime(2026, 12, 16, 12, 0, tzinfo=UTC))  # Wednesday, two due dates later
    assert sweep(story) == 0  # the one due Friday the 18th is offered on Thursday
    assert story.task(2) is None
    (series,) = series_rows(story)
    assert series.next_due_at == datetime(2026, 12, 18, 15, 0, tzinfo=UTC)
    at(story, datetime(2026, 12, 17, 15, 0, tzinfo=UTC))
    assert sweep(story) == 1
    assert story.task(2).due_at == datetime(2026, 12, 18, 15, 0, tzinfo=UTC)  # type: ignore[union-attr]
