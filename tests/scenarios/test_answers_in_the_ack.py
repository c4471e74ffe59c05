"""A command whose work is done before the ack answers in the ack itself, as Slack shows it.

No call to Slack follows the ack, and the answer is as durable as the 200: a process that
dies after it cannot lose the receipt. Work done after the ack still answers through the
command's response_url.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.playground.slack.slack_requests import Reply
from bot.services import delegation
from bot.slack.errors import BUSY_TEXT
from storage import repositories as repo
from tests.scenarios.conftest import ALICE, OWNER, Story

TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday"


def answer_in(reply: Reply) -> str:
    """The command's HTTP answer, text and blocks: Slack shows it to the person who typed the command."""
    assert reply.status == 200 and isinstance(reply.json, dict), f"no answer in the ack: {reply.body!r}"
    assert reply.json["response_type"] == "ephemeral"
    return json.dumps(reply.json)


def posted_to_response_urls(story: Story) -> int:
    return len(story.slack.calls_to("response_url"))


def test_a_warm_delegation_is_answered_in_the_http_response(story: Story) -> None:
    story.delegate(TASK)  # the owner and Alice are cached from now on
    before = posted_to_response_urls(story)

    reply = story.delegate(f"<@{ALICE}> Book the venue")

    assert "Handed off T-2" in answer_in(reply)
    assert posted_to_response_urls(story) == before and story.slack.responses(reply.response_url or "") == []
    assert "Handed off T-2" in story.ephemeral(OWNER).plain_text()  # what the owner sees
    assert story.slack.contract_violations == []


def test_a_cold_delegation_is_acked_empty_and_answered_through_the_response_url(story: Story) -> None:
    reply = story.delegate(TASK)  # nobody is cached yet: people are looked up in Slack after the ack

    assert reply.status == 200 and reply.body == ""
    assert "Handed off T-1" in str(story.slack.responses(reply.response_url or ""))
    assert "Handed off T-1" in story.ephemeral(OWNER).plain_text()


def test_a_retried_warm_delegation_answers_the_same_receipt_and_creates_nothing(story: Story) -> None:
    story.delegate(TASK)
    before = posted_to_response_urls(story)
    text = f"<@{ALICE}> Book the venue"

    first = story.command("/delegate", user=OWNER, text=text, trigger_id="trig-venue")
    again = story.command("/delegate", user=OWNER, text=text, trigger_id="trig-venue", retry_num=1)

    assert "Handed off T-2" in answer_in(first) and again.json == first.json
    assert story.task(2) is not None and story.task(3) is None
    assert len([m for m in story.dms(ALICE) if "Book the venue" in m.plain_text()]) == 1
    assert posted_to_response_urls(story) == before


def test_changes_and_reads_are_answered_in_the_ack(story: Story) -> None:
    story.delegate(TASK)
    before = posted_to_response_urls(story)

    assert "T-1" in answer_in(story.command("/tasks", user=OWNER))
    assert "Ship the Q3 report" in answer_in(story.command("/tasks", user=OWNER, text="T-1"))
    assert "/tasks" in answer_in(story.command("/tasks", user=OWNER, text="help"))
    assert "accepted" in answer_in(story.command("/report", user=ALICE))  # nothing to report on yet
    assert "T-1" in answer_in(story.command("/tasks", user=OWNER, text="T-1 cancel not needed"))

    assert posted_to_response_urls(story) == before
    assert story.slack.contract_violations == []


def test_a_mistake_found_before_the_ack_is_answered_in_it(story: Story) -> None:
    reply = story.command("/tasks", user=OWNER, text="T-9 cancel")

    assert "T-9" in answer_in(reply)
    assert story.ephemeral(OWNER).text == reply.json["text"]
    assert posted_to_response_urls(story) == 0


def test_a_bug_before_the_ack_is_answered_in_it_with_its_error_id(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    story.delegate(TASK)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(delegation, "delegate_if_known", broken)
    before = posted_to_response_urls(story)
    reply = story.delegate(f"<@{ALICE}> Book the venue")

    assert "error id" in answer_in(reply)
    assert posted_to_response_urls(story) == before and story.task(2) is None


def test_a_command_that_cannot_write_in_time_is_told_so_in_the_ack(story: Story) -> None:
    story.delegate(TASK)  # everyone cached: the next /delegate writes before its ack
    before = posted_to_response_urls(story)
    with story.handoff.runtime.db.session_scope() as session:  # another writer holds the database
        repo.next_task_number(session, team_id="TOTHER")
        reply = story.requests.command("/delegate", user=OWNER, text=f"<@{ALICE}> Book the venue")
    story.settle()

    assert BUSY_TEXT in answer_in(reply)
    assert posted_to_response_urls(story) == before and story.task(2) is None
