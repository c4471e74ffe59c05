"""Retries, double clicks, rate limits and outages: nothing duplicated, nothing lost."""

from __future__ import annotations

import copy
import logging

import pytest
from sqlmodel import select

from bot.core.tasks import Status, Task
from bot.outbox import store
from bot.slack import messages
from bot.slack.ids import Field
from storage.models import OutboxMessage
from tests.scenarios.conftest import ALICE, OWNER, Story, both_databases

TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday"


def offers_to(story: Story, user: str) -> int:
    im = story.slack.im_channel(user)
    return len([c for c in story.slack.calls_to("chat.postMessage") if c.ok and c.args.get("channel") == im])


@both_databases
def test_retried_command_creates_one_task_and_one_dm(story: Story) -> None:
    first = story.command("/delegate", user=OWNER, text=TASK, trigger_id="trig-42")
    retry = story.command("/delegate", user=OWNER, text=TASK, trigger_id="trig-42", retry_num=1)
    assert (first.status, retry.status) == (200, 200)
    assert story.task(1) is not None and story.task(2) is None
    assert offers_to(story, ALICE) == 1


def test_double_click_on_accept_tells_the_owner_once(story: Story) -> None:
    story.delegate(TASK)
    offer = copy.deepcopy(story.offer(ALICE))  # the card as the client still shows it
    story.click(offer, "Accept", user=ALICE)
    story.click(offer, "Accept", user=ALICE)
    assert offers_to(story, OWNER) == 1
    assert story.history(1) == ["created", "accepted"]


@both_databases
def test_concurrent_clicks_apply_once(story: Story) -> None:
    story.delegate(TASK)
    offer = copy.deepcopy(story.offer(ALICE))
    for _ in range(4):  # sent without waiting, as a jittery mouse would
        story.requests.click(offer, "Accept", user=ALICE)
    story.settle()
    assert story.history(1) == ["created", "accepted"]
    assert offers_to(story, OWNER) == 1


@both_databases
def test_resubmitted_modal_counts_once(story: Story) -> None:
    story.delegate(TASK)
    story.click(story.offer(ALICE), "Ask a question", user=ALICE)
    modal = story.slack.last_view()
    story.submit(modal, user=ALICE, **{Field.TEXT: "Which format?"})
    story.submit(modal, user=ALICE, **{Field.TEXT: "Which format?"})
    assert story.history(1) == ["created", "asked"]
    assert offers_to(story, OWNER) == 1


def test_retried_event_is_harmless(story: Story) -> None:
    story.delegate(TASK)
    event = {"type": "app_home_opened", "user": ALICE, "channel": "D1", "tab": "home"}
    first = story.event(event, event_id="Ev1")
    again = story.event(event, event_id="Ev1", retry_num=1)
    assert (first.status, again.status) == (200, 200)
    assert story.task(2) is None


@pytest.mark.parametrize("status", [429, 500])
def test_messages_survive_rate_limits_and_server_errors(story: Story, status: int) -> None:
    story.slack.fail_next("chat.postMessage", status=status, retry_after=0, times=2)
    story.delegate(TASK)
    attempts = story.slack.calls_to("chat.postMessage")
    assert [c.status for c in attempts[:2]] == [status, status]
    assert "T-1" in story.offer(ALICE).plain_text()
    assert offers_to(story, ALICE) == 1


def test_ephemeral_answers_survive_a_rate_limit(story: Story) -> None:
    story.slack.fail_next("response_url", status=429, retry_after=0)
    story.delegate(TASK)  # nobody cached yet: answered through the response_url, after the ack
    assert [c.status for c in story.slack.calls_to("response_url")] == [429, 200]
    assert "Handed off T-1" in story.ephemeral(OWNER).plain_text()


@both_databases
def test_undeliverable_message_is_kept_and_sent_later(story: Story, caplog: pytest.LogCaptureFixture) -> None:
    # Three failures: the first try and both of the client's own retries.
    story.slack.fail_next("chat.postMessage", status=500, retry_after=0, times=3)
    with caplog.at_level(logging.WARNING, logger="bot.outbox.sender"):
        story.delegate(TASK)
    assert offers_to(story, ALICE) == 0
    assert "about T-1 not sent (attempt 1, retry after" in caplog.text
    with story.handoff.runtime.db.session_scope() as session:
        [pending] = [m for m in store.pending(session, team_id=story.slack.team_id) if m.kind != "home"]
        assert (pending.kind, pending.attempts) == ("card", 1)
        assert pending.last_error is not None and "fatal_error" in pending.last_error

    story.clock.advance(seconds=31)  # past the first backoff
    result = story.handoff.sender.flush()  # what the sender does on its next round
    assert result.sent == 3  # the card, and both sides' Home tabs (due meanwhile)
    assert "T-1" in story.offer(ALICE).plain_text()
    story.click(story.offer(ALICE), "Accept", user=ALICE)  # and the card is still kept current
    assert story.task(1).status is Status.IN_PROGRESS  # type: ignore[union-attr]
    assert "Deliver" in [b["text"]["text"] for b in story.offer(ALICE).buttons()]


def test_a_card_that_waited_out_an_outage_shows_the_task_as_it_is_now(story: Story) -> None:
    story.slack.fail_next("chat.postMessage", status=500, retry_after=0, times=3)
    story.delegate(TASK)
    story.command("/tasks", user=OWNER, text="T-1 cancel not needed after all")
    story.clock.advance(seconds=31)
    story.handoff.sender.flush()
    card = story.offer(ALICE)
    assert card.buttons() == [] and "cancelled" in card.plain_text()


def test_an_offer_overtaken_by_a_reassignment_is_not_sent(story: Story) -> None:
    story.slack.fail_next("chat.postMessage", status=500, retry_after=0, times=3)
    story.delegate(TASK)
    story.command("/tasks", user=OWNER, text="T-1 reassign <@UBOB|bob>")
    story.clock.advance(seconds=31)
    result = story.handoff.sender.flush()
    assert result.skipped == 1
    assert story.slack.messages_to(ALICE) == []
    assert "Accept" in [b["text"]["text"] for b in story.offer("UBOB").buttons()]


def _open_ask_modal(story: Story) -> bool:
    story.click(story.offer(ALICE), "Ask a question", user=ALICE)
    return story.slack.last_view()["callback_id"] == "ask_modal"


def _accept_updates_card(story: Story) -> bool:
    story.click(story.offer(ALICE), "Accept", user=ALICE)
    return "Deliver" in [b["text"]["text"] for b in story.offer(ALICE).buttons()]


def _home_tab(story: Story) -> bool:
    story.event({"type": "app_home_opened", "user": ALICE, "channel": "D1", "tab": "home"})
    return "T-1" in str(story.slack.home_view(ALICE))


RATE_LIMITED_STEPS = {
    "conversations.open": lambda story: "T-1" in story.offer(ALICE).plain_text(),
    "users.info": lambda story: story.task(1) is not None,
    "chat.update": _accept_updates_card,
    "views.open": _open_ask_modal,
    "views.publish": _home_tab,
}


@pytest.mark.parametrize("method", sorted(RATE_LIMITED_STEPS))
def test_every_slack_call_waits_out_a_rate_limit(story: Story, method: str) -> None:
    called_while_delegating = method in ("conversations.open", "users.info")
    if not called_while_delegating:
        story.delegate(TASK)
    story.slack.fail_next(method, status=429, retry_after=0)
    if called_while_delegating:
        story.delegate(TASK)
    assert RATE_LIMITED_STEPS[method](story)
    statuses = [c.status for c in story.slack.calls_to(method)]
    assert 429 in statuses and statuses[-1] == 200


def test_a_failed_courtesy_update_does_not_report_the_step_as_failed(story: Story) -> None:
    story.delegate(TASK)
    story.click(story.offer(ALICE), "Accept", user=ALICE)
    story.command("/report", user=ALICE, text="T-1 done")
    story.slack.fail_next("chat.update", error="message_not_found", times=5)
    story.click(story.dm(OWNER), "Approve", user=OWNER)
    assert story.task(1).status is Status.APPROVED  # type: ignore[union-attr]
    assert "approved" in story.dm(ALICE).plain_text()
    assert not any("went wrong" in m.plain_text() for m in story.slack.ephemerals_to(OWNER))


def test_after_an_outage_the_sender_delivers_on_its_own(timed_story: Story) -> None:
    story = timed_story
    # Six failures: all three tries of the assignee's card and of the owner's receipt.
    story.slack.fail_next("chat.postMessage", status=500, retry_after=0, times=6)
    story.command("/delegate", user=OWNER)
    story.submit(
        story.slack.last_view(), user=OWNER, assignees=[ALICE], title="Ship it", done_when="fix stuff"
    )
    assert offers_to(story, ALICE) == 0 and offers_to(story, OWNER) == 0
    story.clock.advance(seconds=31)  # the first backoff is over; no one calls flush()
    story.slack.wait_for(lambda: offers_to(story, ALICE) == 1 and offers_to(story, OWNER) == 1)
    receipt = story.dm(OWNER)
    assert "Handed off" in receipt.plain_text() and "Add definition of done" in receipt.plain_text()


@pytest.mark.parametrize(
    ("command", "text", "history"),
    [
        ("/report", "T-1 outline drafted 40%", ["created", "accepted", "reported"]),
        ("/tasks", "T-1 cancel plans changed", ["created", "accepted", "cancelled"]),
        ("/tasks", "T-1 edit due: next monday", ["created", "accepted", "edited"]),
    ],
)
def test_retried_commands_act_once(story: Story, command: str, text: str, history: list[str]) -> None:
    story.delegate(TASK)
    story.click(story.offer(ALICE), "Accept", user=ALICE)
    user = ALICE if command == "/report" else OWNER
    before = story.posted()
    story.command(command, user=user, text=text, trigger_id="trig-7")
    story.command(command, user=user, text=text, trigger_id="trig-7", retry_num=1)
    assert story.history(1) == history
    assert story.posted() == before + 1  # one notice to the other side


def test_slack_gets_its_answer_before_slow_work(story: Story) -> None:
    slow_lookup = story.slack.hold_next("users.info")  # Slack answers only when the test says so
    reply = story.requests.command("/delegate", user=OWNER, text=TASK)
    assert reply.status == 200  # answered while the lookup had not even been answered
    assert slow_lookup.arrived.wait(timeout=5) and story.task(1) is None
    slow_lookup.release.set()
    story.settle()
    assert story.task(1) is not None


def test_the_form_opens_before_anything_slow(story: Story) -> None:
    story.command("/delegate", user=OWNER)
    methods = [c.method for c in story.slack.calls if c.method in ("views.open", "users.info")]
    assert methods == ["views.open", "users.info"]


def test_a_released_card_stays_released_while_the_new_card_is_delayed(story: Story) -> None:
    story.delegate(TASK)
    story.slack.fail_next("chat.postMessage", status=500, retry_after=0, times=3)  # Bob's card waits
    story.command("/tasks", user=OWNER, text="T-1 reassign <@UBOB|bob>")
    story.command("/tasks", user=OWNER, text="T-1 edit due: next monday")
    alices = story.offer(ALICE)
    assert alices.buttons() == [] and "reassigned" in alices.plain_text()
    story.later(seconds=31)  # Bob's card goes out on the sender's next round
    assert "Accept" in [b["text"]["text"] for b in story.offer("UBOB").buttons()]
    assert story.offer(ALICE).buttons() == []


def test_offering_a_declined_task_again_keeps_one_live_card(story: Story) -> None:
    story.delegate(TASK)
    story.click(story.offer(ALICE), "Decline", user=ALICE)
    story.submit(story.slack.last_view(), user=ALICE, text="Busy this week")
    story.command("/tasks", user=OWNER, text=f"T-1 reassign <@{ALICE}>")
    live = [m for m in story.dms(ALICE) if any(b["text"]["text"] == "Accept" for b in m.buttons())]
    assert len(live) == 1


def test_a_late_notice_offers_no_buttons_for_a_decision_already_made(story: Story) -> None:
    story.delegate(TASK)
    story.slack.fail_next("chat.postMessage", status=500, retry_after=0, times=3)  # the decline notice waits
    story.click(story.offer(ALICE), "Decline", user=ALICE)
    story.submit(story.slack.last_view(), user=ALICE, text="Busy this week")
    story.command("/tasks", user=OWNER, text="T-1 reassign <@UBOB|bob>")
    story.later(seconds=31)  # the decline notice goes out on the sender's next round
    [late] = [m for m in story.dms(OWNER) if "declined" in m.plain_text()]
    assert late.buttons() == []  # no "Do it myself" on a task Bob now has


def test_a_message_slack_will_never_take_is_parked_at_once(story: Story) -> None:
    story.slack.fail_next("chat.postMessage", error="cannot_dm_bot")
    story.delegate(TASK)
    with story.handoff.runtime.db.session_scope() as session:
        statuses = {m.kind: m.status for m in session.exec(select(OutboxMessage)).all()}
    assert statuses == {"card": "failed", "home": "pending"}  # the Home tabs are refreshed later


def test_a_bug_while_sending_does_not_stall_the_queue(story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    real_card = messages.assignee_card
    calls = {"n": 0}

    def broken_once(task: Task) -> dict[str, object]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("a rendering bug")
        return real_card(task)

    monkeypatch.setattr(messages, "assignee_card", broken_once)
    story.delegate(f"<@{ALICE}> <@UBOB> Collect quotes | done when: 3 quotes in the folder | due: friday")
    assert "T-2" in story.offer("UBOB").plain_text()  # the next message went out all the same
    with story.handoff.runtime.db.session_scope() as session:
        outbox = session.exec(select(OutboxMessage)).all()
        [stuck] = [m for m in outbox if m.status != "sent" and m.kind != "home"]
    assert (stuck.status, stuck.attempts) == ("pending", 1)
