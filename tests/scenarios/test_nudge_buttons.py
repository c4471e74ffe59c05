"""Answering a nudge from its buttons: On track, At risk, Blocked, and the Snooze menu.

Each story queues a nudge the way the sweep does (an outbox intent written in a
transaction, sent by the outbox sender when time passes), then clicks what its reader sees.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.core.nudges import NudgeKind
from bot.core.tasks import Health, Status
from bot.outbox.intents import NudgeToQueue, queue_nudge
from bot.playground.slack.fake_slack import Message
from bot.slack.ids import Field
from storage import repositories as repo
from storage import snoozes
from storage.models import TaskRow
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, START, Story, both_databases
from tests.scenarios.nudge_story import nudges_to, sweep_at

TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday"


def nudged(story: Story, kind: NudgeKind, *, to: str = ALICE, number: int = 1) -> Message:
    """Queue a nudge about T-<number> as the sweep does, let the sender send it, and return it."""
    now = story.clock.now
    with story.handoff.runtime.db.session_scope() as session:
        task = repo.get_task(session, team_id=story.slack.team_id, number=number)
        assert task is not None and task.id is not None
        nudge = NudgeToQueue(task.team_id, task.id, kind.value, to, period=f"{now:%Y%m%dT%H%M%S}")
        assert queue_nudge(session, nudge=nudge, now=now)
    story.later(seconds=1)
    message = story.dm(to)
    assert f"T-{number}" in message.plain_text() and message.blocks[-1]["type"] == "actions"
    return message


def accepted(story: Story, text: str = TASK) -> None:
    story.delegate(text)
    story.click(story.offer(ALICE), "Accept", user=ALICE)


def snoozed_until(story: Story, user: str, number: int = 1) -> datetime | None:
    with story.handoff.runtime.db.session_scope() as session:
        task = repo.get_task(session, team_id=story.slack.team_id, number=number)
        assert task is not None and task.id is not None
        return snoozes.snoozed_until(session, team_id=task.team_id, task_id=task.id).get(user)


# --- how it stands ----------------------------------------------------------------------


@both_databases
def test_on_track_is_one_click_recorded_and_the_owner_is_not_disturbed(story: Story) -> None:
    accepted(story)
    nudge = nudged(story, NudgeKind.DUE_SOON)
    to_owner = len(story.dms(OWNER))
    as_first_seen = deepcopy(nudge)  # the fake edits the message in place

    story.click(nudge, "On track", user=ALICE)

    task = story.task(1)
    assert task is not None and task.health is Health.ON_TRACK
    assert story.history(1)[-1] == "flagged"
    assert len(story.dms(OWNER)) == to_owner  # a word for the record, not news
    answered = story.slack.messages_to(ALICE)[-1]
    assert "on track" in answered.plain_text().lower() and not answered.buttons()

    story.click(as_first_seen, "On track", user=ALICE)  # a second click, on the buttons as they were
    assert story.history(1).count("flagged") == 1

    story.clock.advance(days=2)
    story.click(nudged(story, NudgeKind.REPORT_DUE), "On track", user=ALICE)  # a later nudge: news
    assert story.history(1).count("flagged") == 2
    assert len(story.dms(OWNER)) == to_owner


@both_databases
def test_blocked_reaches_the_owner_at_once_with_why_and_a_double_submit_counts_once(
    story: Story,
) -> None:
    accepted(story)
    nudge = nudged(story, NudgeKind.REPORT_DUE)
    story.click(nudge, "Blocked", user=ALICE)
    form = story.slack.last_view()
    posted = story.posted()

    story.submit(form, user=ALICE, **{Field.TEXT: "Waiting for legal to sign off"})
    story.submit(form, user=ALICE, **{Field.TEXT: "Waiting for legal to sign off"})  # Slack resends

    notices = [m for m in story.dms(OWNER) if "blocked" in m.plain_text()]
    assert len(notices) == 1
    assert "T-1" in notices[0].plain_text() and "Waiting for legal to sign off" in notices[0].plain_text()
    task = story.task(1)
    assert task is not None
    assert (task.health, task.health_reason) == (Health.BLOCKED, "Waiting for legal to sign off")
    assert story.history(1).count("flagged") == 1
    # The owner's notice and Alice's receipt; her card is edited in place.
    assert story.posted() == posted + 2
    assert f"<@{OWNER}> has been told how T-1 stands" in story.dm(ALICE).plain_text()
    assert "blocked" in story.offer(ALICE).plain_text()  # the assignee's card shows it too


def test_at_risk_can_be_raised_from_a_reminder_to_accept(story: Story) -> None:
    story.delegate(TASK)
    nudge = nudged(story, NudgeKind.ACK_REMINDER)
    assert {"Accept", "At risk", "Blocked"} <= {b["text"]["text"] for b in nudge.buttons()}

    story.click(nudge, "At risk", user=ALICE)
    story.submit(story.slack.last_view(), user=ALICE, **{Field.TEXT: "Only if the data comes in time"})

    notice = story.dm(OWNER)
    assert "at risk" in notice.plain_text() and "Only if the data comes in time" in notice.plain_text()
    task = story.task(1)
    assert task is not None and task.status is Status.AWAITING_ACCEPTANCE  # still to be accepted


def test_at_risk_without_a_reason_stays_on_the_form_and_records_nothing(story: Story) -> None:
    accepted(story)
    story.click(nudged(story, NudgeKind.DUE_SOON), "At risk", user=ALICE)
    to_owner = len(story.dms(OWNER))

    reply = story.submit(story.slack.last_view(), user=ALICE, **{Field.TEXT: "   "})

    assert reply.json["response_action"] == "errors"
    assert "owner can help" in reply.json["errors"][Field.TEXT]
    task = story.task(1)
    assert task is not None and task.health is None
    assert "flagged" not in story.history(1) and len(story.dms(OWNER)) == to_owner


def test_a_stranger_can_neither_flag_nor_snooze(story: Story) -> None:
    accepted(story)
    nudge = nudged(story, NudgeKind.DUE_SOON)  # say Alice forwarded it, buttons and all
    views = len(story.slack.views_opened)

    story.click(nudge, "On track", user=MALLORY)
    assert "You have no task T-1" in story.ephemeral(MALLORY).plain_text()
    story.click(nudge, "Blocked", user=MALLORY)
    assert "You have no task T-1" in story.ephemeral(MALLORY).plain_text()
    story.choose(nudge, "1 hour", user=MALLORY)
    assert "You have no task T-1" in story.ephemeral(MALLORY).plain_text()

    assert len(story.slack.views_opened) == views  # no form opened for them
    task = story.task(1)
    assert task is not None and task.health is None
    assert snoozed_until(story, MALLORY) is None


def test_the_owner_cannot_speak_for_the_assignee(story: Story) -> None:
    accepted(story)
    nudge = nudged(story, NudgeKind.DUE_SOON)
    story.click(nudge, "On track", user=OWNER)
    assert f"Only <@{ALICE}>" in story.ephemeral(OWNER).plain_text()
    task = story.task(1)
    assert task is not None and task.health is None


# --- snooze -----------------------------------------------------------------------------


@both_databases
def test_snooze_answers_privately_and_puts_the_task_up_for_the_next_sweep(story: Story) -> None:
    accepted(story)
    nudge = nudged(story, NudgeKind.DUE_SOON)
    posted = story.posted()
    story.later(minutes=5)

    story.choose(nudge, "4 hours", user=ALICE)

    until = story.clock.now + timedelta(hours=4)
    # Alice is in New York: 10:05 UTC + 4 h is 09:05 there.
    assert "Snoozed T-1 until Thu 09:05" in story.ephemeral(ALICE).plain_text()
    assert snoozed_until(story, ALICE) == until
    assert story.posted() == posted  # nothing else was sent, and nothing edited
    assert all(m.updates == 0 for m in story.dms(ALICE) if m.ts == nudge.ts)
    with story.handoff.runtime.db.session_scope() as session:
        row = session.exec(select(TaskRow)).one()
        assert row.next_check_at == story.clock.now
    task = story.task(1)
    assert task is not None and story.history(1) == ["created", "accepted"]  # no change to the task

    story.choose(nudge, "1 hour", user=ALICE)  # a second choice moves it
    assert snoozed_until(story, ALICE) == story.clock.now + timedelta(hours=1)


def test_a_snooze_before_the_due_date_ends_at_the_due_date(story: Story) -> None:
    accepted(story, f"<@{ALICE}> Ship the Q3 report | done when: PDF sent | due: today 11:30")
    task = story.task(1)
    assert task is not None and task.due_at == datetime(2026, 11, 26, 10, 30, tzinfo=UTC)  # Berlin time
    nudge = nudged(story, NudgeKind.DUE_SOON)

    story.choose(nudge, "4 hours", user=ALICE)

    assert snoozed_until(story, ALICE) == task.due_at
    assert "until Thu 05:30, when it is due" in story.ephemeral(ALICE).plain_text()


def test_an_overdue_task_can_be_snoozed_for_hours_not_until_tomorrow(story: Story) -> None:
    accepted(story, f"<@{ALICE}> Ship the Q3 report | done when: PDF sent | due: today 11:30")
    story.later(hours=2)
    nudge = nudged(story, NudgeKind.OVERDUE)
    menu = next(e for b in nudge.blocks for e in b.get("elements", []) if e["type"] == "static_select")
    assert [o["text"]["text"] for o in menu["options"]] == ["1 hour", "4 hours"]
    assert "1 hour 30 minutes late" in nudge.plain_text()

    story.choose(nudge, "4 hours", user=ALICE)

    assert snoozed_until(story, ALICE) == story.clock.now + timedelta(hours=4)


def test_the_owner_snoozes_only_their_own_nudges(story: Story) -> None:
    accepted(story, f"<@{ALICE}> Ship the Q3 report | done when: PDF sent | due: today 11:30")
    story.later(hours=1)
    nudge = nudged(story, NudgeKind.OVERDUE, to=OWNER)
    story.choose(nudge, "1 hour", user=OWNER)
    assert snoozed_until(story, OWNER) == story.clock.now + timedelta(hours=1)
    assert snoozed_until(story, ALICE) is None


def test_a_secret_in_the_reason_is_refused_on_the_form_and_never_stored(story: Story) -> None:
    accepted(story)
    story.click(nudged(story, NudgeKind.DUE_SOON), "Blocked", user=ALICE)
    to_owner = len(story.dms(OWNER))

    reply = story.submit(story.slack.last_view(), user=ALICE, **{Field.TEXT: "the password is hunter2"})

    assert reply.json["response_action"] == "errors"
    assert "hunter2" not in reply.json["errors"][Field.TEXT]
    task = story.task(1)
    assert task is not None and task.health is None and len(story.dms(OWNER)) == to_owner


# --- the owner's nudges reuse the owner's flows -----------------------------------------


def test_clarify_opens_the_edit_form_of_an_unclear_task(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Ship the Q3 report")
    nudge = nudged(story, NudgeKind.UNCLEAR, to=OWNER)
    assert "definition of done" in nudge.plain_text().lower()

    story.click(nudge, "Clarify", user=OWNER)
    form = story.slack.last_view()
    assert form["callback_id"] == "edit_modal" and form["private_metadata"] == "1"

    story.submit(form, user=OWNER, **{Field.DONE_WHEN: "PDF sent to the board"})
    task = story.task(1)
    assert task is not None and task.done_when == "PDF sent to the board"


def test_an_escalation_lets_the_owner_take_the_task_back(story: Story) -> None:
    story.delegate(TASK)
    nudge = nudged(story, NudgeKind.ACK_ESCALATION, to=OWNER)
    assert [b["text"]["text"] for b in nudge.buttons()] == ["Reassign", "Do it myself"]

    story.click(nudge, "Do it myself", user=OWNER)

    task = story.task(1)
    assert task is not None and task.status is Status.TAKEN_BACK
    assert "took T-1 back" in story.slack.messages_to(OWNER)[-1].plain_text()


def test_a_review_reminder_approves_in_one_click(story: Story) -> None:
    accepted(story)
    story.command("/report", user=ALICE, text="T-1 done PDF attached")
    nudge = nudged(story, NudgeKind.REVIEW, to=OWNER)

    story.click(nudge, "Approve", user=OWNER)

    task = story.task(1)
    assert task is not None and task.status is Status.APPROVED


def test_snoozed_until_tomorrow_is_the_next_working_morning_where_the_reader_is(story: Story) -> None:
    accepted(story)  # due Friday at the end of the owner's day, in Berlin
    story.later(hours=12)  # Thursday 22:00 UTC: 17:00 in New York, where Alice is
    nudge = nudged(story, NudgeKind.DUE_SOON)

    story.choose(nudge, "tomorrow", user=ALICE)

    assert "Snoozed T-1 until Fri 08:00." in story.ephemeral(ALICE).plain_text()
    assert snoozed_until(story, ALICE) == datetime(2026, 11, 27, 13, 0, tzinfo=UTC)


# --- with the sweep ---------------------------------------------------------------------


@both_databases
def test_a_snooze_holds_every_nudge_to_that_person_until_it_ends(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday 4pm")
    sweep_at(story, START + timedelta(hours=4))  # 09:00 in New York: time to accept
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]

    story.choose(story.dm(ALICE), "4 hours", user=ALICE)  # until 18:00 UTC
    story.click(story.offer(ALICE), "Accept", user=ALICE)

    # Due soon from 15:00 UTC (a day before Friday 16:00 in Berlin), but Alice is snoozed.
    sweep_at(story, START + timedelta(hours=5))
    sweep_at(story, START + timedelta(hours=7, minutes=59))
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]

    sweep_at(story, START + timedelta(hours=8))
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder", "T-1 due_soon"]
    assert [b["text"]["text"] for b in story.dm(ALICE).buttons()] == ["On track", "At risk", "Blocked"]


def test_a_snooze_made_before_the_due_date_lets_the_overdue_nudge_through(story: Story) -> None:
    accepted(story, f"<@{ALICE}> Ship the Q3 report | done when: PDF sent | due: today 4pm")  # 15:00 UTC
    story.later(hours=3)  # 08:00 in New York
    story.choose(nudged(story, NudgeKind.REPORT_DUE), "tomorrow", user=ALICE)
    assert snoozed_until(story, ALICE) == datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # not Friday morning

    sweep_at(story, START + timedelta(hours=4, minutes=59))
    assert nudges_to(story, ALICE) == ["T-1 report_due"]
    sweep_at(story, START + timedelta(hours=5))
    assert nudges_to(story, ALICE) == ["T-1 report_due", "T-1 overdue"]
    assert "Blocked" in [b["text"]["text"] for b in story.dm(ALICE).buttons()]
