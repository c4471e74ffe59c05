"""The outbox under trouble: slow and lost answers, rate limits, races, and old rows.

Each test drives the real app through signed requests and watches what Slack was asked to do.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.core.tasks import Event, EventKind
from bot.outbox import store
from bot.outbox.intents import queue_for_change
from bot.playground.slack.fake_slack import Call
from storage.models import OutboxMessage
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, Story
from tests.storage.test_repositories import new_task

TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday"
OTHER_TEAM = "T0OTHER"
EVERY = timedelta(seconds=5)  # HOME_REFRESH_EVERY


def rows(story: Story, team_id: str | None = None) -> list[OutboxMessage]:
    """The workspace's messages, without the Home tab refreshes every change also queues."""
    with story.handoff.runtime.db.session_scope() as session:
        messages = store.messages(session, team_id=team_id or story.slack.team_id)
        return [m for m in messages if m.kind != "home"]


def posts(story: Story, user: str) -> list[Call]:
    im = story.slack.im_channel(user)
    return [c for c in story.slack.calls_to("chat.postMessage") if c.args.get("channel") == im]


def queue_card_in_another_workspace(story: Story) -> None:
    """One bot install serves one workspace over HTTP; the outbox serves all of a database's."""
    with story.handoff.runtime.db.session_scope() as session:
        task = new_task(session, team_id=OTHER_TEAM, assignee=ALICE)
        event = Event(EventKind.CREATED, OWNER, story.clock.now, None)
        queue_for_change(session, before=task, after=task, event=event, now=event.at, home_every=EVERY)
    story.handoff.runtime.messages_queued()
    story.settle()


def test_a_round_claims_batch_after_batch_until_one_comes_back_short(story: Story) -> None:
    story.handoff.dispatcher.stop()  # the test drives the sender itself
    sender = story.handoff.sender
    with story.handoff.runtime.db.session_scope() as session:
        for _ in range(2 * sender.batch + 10):
            task = new_task(session, team_id=story.slack.team_id, assignee=ALICE)
            event = Event(EventKind.CREATED, OWNER, story.clock.now, None)
            queue_for_change(session, before=task, after=task, event=event, now=event.at, home_every=EVERY)
    hold = story.slack.hold_next("chat.postMessage")  # nothing finishes during the round
    sender.pump()  # one round: claims up to the lanes' room (two batches), not one batch
    claimed = [row for row in rows(story) if row.status == "sending"]
    hold.release.set()
    assert len(claimed) == 2 * sender.batch
    assert sender.flush().sent == 2 * sender.batch + 10


def test_a_backlog_larger_than_a_batch_drains_in_one_flush(story: Story) -> None:
    story.handoff.dispatcher.stop()  # the test drives the sender itself
    with story.handoff.runtime.db.session_scope() as session:
        for _ in range(250):  # more than two batches
            task = new_task(session, team_id=story.slack.team_id, assignee=ALICE)
            event = Event(EventKind.CREATED, OWNER, story.clock.now, None)
            queue_for_change(session, before=task, after=task, event=event, now=event.at, home_every=EVERY)
    result = story.handoff.sender.flush()
    assert result.sent == 250
    assert len(story.slack.messages_to(ALICE)) == 250


def test_a_send_that_times_out_is_looked_for_and_not_sent_again(story: Story) -> None:
    story.handoff.sender.gateway.client.timeout = 1  # the bot stops waiting after 1 s ...
    slow = story.slack.hold_next("chat.postMessage")  # ... while Slack takes longer
    story.delegate(TASK)
    [card] = rows(story)
    assert (card.status, card.maybe_sent) == ("pending", True)  # the outcome is unknown
    slow.release.set()
    landed = story.slack.wait_for(lambda: story.slack.messages_to(ALICE))  # it did land, late

    story.clock.advance(seconds=31)  # the retry is due
    story.handoff.sender.flush()
    assert len(posts(story, ALICE)) == 1  # looked for, found, not posted again
    [history] = story.slack.calls_to("conversations.history")
    assert history.args["include_all_metadata"] in (True, "1", "true")
    [card] = rows(story)
    assert (card.status, card.ts) == ("sent", landed[0].ts)
    assert landed[0].metadata == {"event_type": "handoff_outbox", "event_payload": {"key": card.dedupe_key}}


def test_a_server_error_is_looked_up_before_the_next_post(story: Story) -> None:
    story.slack.fail_next("chat.postMessage", status=500, retry_after=0)
    story.delegate(TASK)
    methods = [c.method for c in story.slack.calls if c.method.startswith(("chat.", "conversations.h"))]
    assert methods == ["chat.postMessage", "conversations.history", "chat.postMessage"]
    assert len(story.slack.messages_to(ALICE)) == 1


def test_a_rate_limit_pauses_the_whole_workspace_and_not_the_others(story: Story) -> None:
    story.slack.fail_next("chat.postMessage", status=429, retry_after=30)
    story.delegate(TASK)
    story.delegate(f"<@{MALLORY}> Book the venue | done when: contract signed | due: friday")
    assert [c.status for c in story.slack.calls_to("chat.postMessage")] == [429]  # Mallory's waits too
    assert {(m.recipient_id, m.status) for m in rows(story)} == {(ALICE, "pending"), (MALLORY, "pending")}

    queue_card_in_another_workspace(story)
    [other] = rows(story, OTHER_TEAM)
    assert other.status == "sent"  # another workspace is not held up

    story.clock.advance(seconds=31)  # Retry-After is over
    story.handoff.sender.flush()
    assert [c.status for c in story.slack.calls_to("chat.postMessage")] == [429, 200, 200, 200]
    assert {m.status for m in rows(story)} == {"sent"}


def test_a_slow_call_for_one_person_does_not_hold_up_another(story: Story) -> None:
    slow = story.slack.hold_next("chat.postMessage")
    story.requests.command("/delegate", user=OWNER, text=TASK)
    assert slow.arrived.wait(5)
    story.requests.command("/delegate", user=OWNER, text=f"<@{MALLORY}> Book it | done when: booked")
    story.slack.wait_for(lambda: story.slack.messages_to(MALLORY))
    assert story.slack.messages_to(ALICE) == []  # Alice's card is still on its way
    slow.release.set()
    story.settle()
    assert len(story.slack.messages_to(ALICE)) == 1


def test_a_card_rendered_before_a_change_is_brought_up_to_date(story: Story) -> None:
    slow = story.slack.hold_next("chat.postMessage")
    story.requests.command("/delegate", user=OWNER, text=TASK)
    assert slow.arrived.wait(5)  # the card is rendered and on its way
    story.requests.command("/tasks", user=OWNER, text="T-1 cancel plans changed")
    story.executor.wait_idle()  # the cancel is saved
    slow.release.set()
    story.settle()
    card = story.offer(ALICE)
    assert card.buttons() == [] and "cancelled" in card.plain_text()  # no Accept on a cancelled task
    assert card.updates == 1


def test_sent_messages_are_pruned_after_the_keep_period(story: Story) -> None:
    story.delegate(TASK)
    story.later(seconds=6)  # both sides' Home tabs are sent too
    story.clock.advance(days=6)
    story.handoff.sender.housekeep()
    assert [m.status for m in rows(story)] == ["sent"]
    story.clock.advance(days=2)  # past OUTBOX_KEEP's 7 days
    story.handoff.sender.housekeep()
    with story.handoff.runtime.db.session_scope() as session:
        assert session.exec(select(OutboxMessage)).all() == []
