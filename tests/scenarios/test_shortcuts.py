"""Shortcuts: "Delegate this message" turns a message into a task that links back to it; the
global shortcut opens the empty delegate form."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.playground.slack.slack_records import JSON, Message
from bot.playground.slack.slack_requests import Reply
from bot.slack.ids import Field, Shortcut, View
from storage import inbox
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, Story, both_databases

ASK = (
    f"Could someone <https://example.com/q3|update the Q3 deck> before <@{OWNER}|olivia> presents?\n"
    "The numbers are in the finance channel."
)
TITLE = "Could someone update the Q3 deck (https://example.com/q3) before @olivia presents?"


def shortcut_on(story: Story, message: Message, *, user: str = OWNER) -> Reply:
    reply = story.requests.message_shortcut(message, user=user, callback_id=Shortcut.DELEGATE_MESSAGE)
    story.settle()
    return reply


def permalink(story: Story, message: Message) -> str:
    stamp = message.ts.replace(".", "")
    return f"https://{story.slack.team_domain}.slack.com/archives/{message.channel}/p{stamp}"


def title_input(view: JSON) -> JSON:
    return next(b for b in view["blocks"] if b.get("block_id") == Field.TITLE)


def calls_since(story: Story, start: int) -> list[str]:
    return [call.method for call in story.slack.calls[start:]]


@both_databases
def test_a_message_becomes_a_task_that_links_back_to_it(story: Story) -> None:
    message = story.slack.add_message("C0GENERAL", user=MALLORY, text=ASK)
    before = len(story.slack.calls)

    assert shortcut_on(story, message).status == 200

    form = story.slack.last_view()
    assert form["callback_id"] == View.NEW_TASK
    assert title_input(form)["element"]["initial_value"] == TITLE
    origin = form["blocks"][0]["elements"][0]["text"]
    assert f"From a message by <@{MALLORY}> in <#C0GENERAL>" in origin
    # The trigger expires in 3 s: the form is the first thing asked of Slack, the link comes later.
    assert calls_since(story, before)[0] == "views.open"
    assert "chat.getPermalink" not in calls_since(story, before)

    story.submit(form, user=OWNER, assignees=[ALICE], **{Field.DONE_WHEN: "Deck shared with the board"})

    link = permalink(story, message)
    task = story.task(1)
    assert task is not None and task.title == TITLE and task.source_link == link
    assert f"<{link}|From a message>" in story.offer(ALICE).plain_text()
    story.command("/tasks", user=OWNER, text="T-1")
    assert f"<{link}|From a message>" in story.ephemeral(OWNER).plain_text()
    story.command("/tasks", user=ALICE, text="T-1")
    assert f"<{link}|From a message>" in story.ephemeral(ALICE).plain_text()


def test_the_link_shows_in_the_home_tabs_task_view(story: Story) -> None:
    message = story.slack.add_message("C0GENERAL", user=MALLORY, text=ASK)
    shortcut_on(story, message)
    story.submit(story.slack.last_view(), user=OWNER, assignees=[ALICE])
    card = story.offer(ALICE)

    story.requests.block_action(
        user=ALICE, action_id="task_view:1", value="1", view={"id": "VHOME", "type": "home"}
    )
    story.settle()

    detail = story.slack.last_view()
    assert detail["callback_id"] == View.TASK_DETAIL
    assert f"<{permalink(story, message)}|From a message>" in json.dumps(detail["blocks"])
    assert "From a message" in card.plain_text()


def test_the_global_shortcut_opens_the_empty_delegate_form(story: Story) -> None:
    story.command("/delegate", user=OWNER)
    from_command = story.slack.last_view()

    reply = story.requests.global_shortcut(user=OWNER, callback_id=Shortcut.DELEGATE)
    story.settle()

    assert reply.status == 200
    form = story.slack.last_view()
    assert form["id"] != from_command["id"]
    assert _without_ids(form) == _without_ids(from_command)
    assert "initial_value" not in title_input(form)["element"] and form["private_metadata"] == ""

    story.submit(form, user=OWNER, assignees=[ALICE], title="Book the venue")
    task = story.task(1)
    assert task is not None and task.title == "Book the venue" and task.source_link is None
    assert "From a message" not in story.offer(ALICE).plain_text()
    assert story.slack.calls_to("chat.getPermalink") == []


def _without_ids(view: JSON) -> JSON:
    return {
        k: v for k, v in view.items() if k not in ("id", "hash", "state", "root_view_id", "previous_view_id")
    }


CARD = "4111 1111 1111 1111"
TOKEN = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
# What Slack adds to a view it opened: ids that may contain any digits, never the bot's text.
SLACKS_VIEW_FIELDS = {"id", "root_view_id", "previous_view_id", "hash", "team_id", "app_installed_team_id"}


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        (f"Charge it to {CARD}, exp 12/28, and book the flights", CARD, "a payment card number"),
        (f"Rotate the bot token {TOKEN} today", TOKEN, "a Slack token"),
    ],
)
def test_a_message_with_a_secret_opens_the_form_without_its_text(
    story: Story, text: str, secret: str, kind: str
) -> None:
    message = story.slack.add_message("C0GENERAL", user=MALLORY, text=text)

    shortcut_on(story, message)

    form = story.slack.last_view()
    title = title_input(form)
    assert "initial_value" not in title["element"]
    assert kind in title["hint"]["text"] and "never stores card numbers or secrets" in title["hint"]["text"]
    written = json.dumps({k: v for k, v in form.items() if k not in SLACKS_VIEW_FIELDS})
    assert secret not in written and secret.split()[-1] not in written

    story.submit(form, user=OWNER, assignees=[ALICE], title="Book the flights")
    task = story.task(1)
    assert task is not None and task.title == "Book the flights"
    assert task.source_link == permalink(story, message)
    assert all(
        secret not in json.dumps(call.args) for call in story.slack.calls if call.method != "views.open"
    )


def test_a_message_with_only_a_file_opens_the_form_with_an_empty_title_and_a_hint(story: Story) -> None:
    shared = {"id": "F0SLIDES", "name": "slides.pdf", "mimetype": "application/pdf"}
    message = story.slack.add_message("C0GENERAL", user=MALLORY, files=[shared])

    shortcut_on(story, message)

    form = story.slack.last_view()
    title = title_input(form)
    assert "initial_value" not in title["element"]
    assert "no text" in title["hint"]["text"] and "give the task a title" in title["hint"]["text"]
    story.submit(form, user=OWNER, assignees=[ALICE], title="Review the slides")
    task = story.task(1)
    assert task is not None and task.source_link == permalink(story, message)


def test_a_message_in_a_private_channel_the_bot_is_not_in_still_becomes_a_task(
    story: Story, caplog: pytest.LogCaptureFixture
) -> None:
    story.slack.add_channel("G0PRIVATE", members=[OWNER, MALLORY], bot_member=False)
    message = story.slack.add_message("G0PRIVATE", user=MALLORY, text="Please renew the domain")

    shortcut_on(story, message)  # the payload carries the message: nothing to read from the channel

    form = story.slack.last_view()
    assert title_input(form)["element"]["initial_value"] == "Please renew the domain"
    assert "conversations.history" not in [call.method for call in story.slack.calls]
    with caplog.at_level(logging.WARNING, logger="bot.services.message_links"):
        story.submit(form, user=OWNER, assignees=[ALICE])
    task = story.task(1)
    assert task is not None and task.title == "Please renew the domain" and task.source_link is None
    assert "From a message" not in story.offer(ALICE).plain_text()
    assert "channel_not_found" in caplog.text


@pytest.mark.parametrize(
    "failure",
    [{"error": "message_not_found"}, {"status": 500, "times": 5}],
    ids=["refused", "slack-down"],
)
def test_a_permalink_slack_will_not_give_leaves_the_task_without_a_link(
    story: Story, caplog: pytest.LogCaptureFixture, failure: dict[str, Any]
) -> None:
    message = story.slack.add_message("C0GENERAL", user=MALLORY, text=ASK)
    shortcut_on(story, message)
    story.slack.fail_next("chat.getPermalink", **failure)

    with caplog.at_level(logging.WARNING, logger="bot.services.message_links"):
        story.submit(story.slack.last_view(), user=OWNER, assignees=[ALICE])

    task = story.task(1)
    assert task is not None and task.title == TITLE and task.source_link is None
    assert "T-1" in story.offer(ALICE).plain_text()
    assert "T-1" in story.dm(OWNER).plain_text()  # the owner's receipt, no error
    assert "no permalink" in caplog.text


def _resealed(metadata: str, **changes: str) -> str:
    return json.dumps({**json.loads(metadata), **changes})


@pytest.mark.parametrize(
    "forge",
    [
        lambda metadata: _resealed(metadata, channel="C0SECRET"),
        lambda metadata: _resealed(metadata, ts="1700000000.999999"),
        lambda metadata: _resealed(metadata, seal="0" * 64),
        lambda metadata: "{not json",
        lambda metadata: json.dumps(["C0GENERAL", "1700000000.000100"]),
    ],
    ids=["other-channel", "other-message", "bad-seal", "malformed", "wrong-shape"],
)
def test_a_forged_form_is_refused_and_nothing_is_kept(story: Story, forge: Any) -> None:
    message = story.slack.add_message("C0GENERAL", user=MALLORY, text=ASK)
    shortcut_on(story, message)
    form = story.slack.last_view()
    forged = {**form, "private_metadata": forge(form["private_metadata"])}

    reply = story.requests.submit_view(forged, user=OWNER, fields={Field.ASSIGNEES: [ALICE]})
    story.settle()

    assert reply.json["response_action"] == "errors"
    assert "which message it was opened from" in reply.json["errors"][Field.TITLE]
    assert story.task(1) is None and story.dms(ALICE) == []
    assert story.slack.calls_to("chat.getPermalink") == []
    with story.handoff.runtime.db.session_scope() as session:
        assert list(inbox.unfinished(session)) == []


def test_a_form_opened_by_someone_else_is_refused(story: Story) -> None:
    message = story.slack.add_message("C0GENERAL", user=MALLORY, text=ASK)
    shortcut_on(story, message, user=OWNER)
    form = story.slack.last_view()

    reply = story.requests.submit_view(form, user=MALLORY, fields={Field.ASSIGNEES: [ALICE]})
    story.settle()

    assert reply.json["response_action"] == "errors" and Field.TITLE in reply.json["errors"]
    assert story.task(1) is None


@both_databases
def test_a_double_submit_makes_one_task(story: Story) -> None:
    message = story.slack.add_message("C0GENERAL", user=MALLORY, text=ASK)
    shortcut_on(story, message)
    form = story.slack.last_view()

    story.submit(form, user=OWNER, assignees=[ALICE])
    story.submit(form, user=OWNER, assignees=[ALICE])  # Slack resends, or a double click

    assert story.task(1) is not None and story.task(2) is None
    assert len([m for m in story.dms(ALICE) if "T-1" in m.text]) == 1
    assert story.history(1) == ["created"]


def test_a_shortcut_payload_without_its_message_is_answered_with_what_to_do(story: Story) -> None:
    message = Message(channel="C0GENERAL", ts="not-a-ts", text="Ship it", author=MALLORY)

    reply = shortcut_on(story, message)

    assert reply.status == 200
    assert "didn't say which message" in story.ephemeral(OWNER).plain_text()
    assert story.slack.calls_to("views.open") == []
