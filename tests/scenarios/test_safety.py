"""Secrets are never kept, user text never pings, and only Slack can talk to the bot."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.slack.ids import Field
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, Story

CARD = "4111 1111 1111 1111"


@pytest.mark.parametrize(
    "text",
    [
        f"<@{ALICE}> Pay the invoice with card {CARD} | due: friday",
        f"<@{ALICE}> Deploy | done when: live with token xoxb-123456789012-abcdefABCDEF | due: friday",
        f"<@{ALICE}> Log in to the portal, password: hunter2 | due: friday",
        f"<@{ALICE}> Log in to the portal | pwd: hunter2",  # unparseable, and still not echoed
        f"<@{ALICE}> Pay the invoice | due: {CARD}",
    ],
)
def test_secrets_are_refused_not_stored_not_echoed(story: Story, text: str) -> None:
    story.delegate(text)
    answer = story.ephemeral(OWNER).plain_text()
    assert "never stores" in answer
    for secret in (CARD, "xoxb-123456789012", "hunter2"):
        assert secret not in answer
        assert all(secret not in json.dumps(call.args) for call in story.slack.calls)
    assert story.task(1) is None
    assert story.posted() == 0


def test_card_number_in_an_inline_edit_is_refused_and_not_echoed(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Buy the licences | done when: 5 seats bought | due: friday")
    story.command("/tasks", user=OWNER, text=f"T-1 edit due: {CARD}")
    answer = story.ephemeral(OWNER)
    assert "never stores" in answer.plain_text() and "1111" not in answer.plain_text()
    assert story.history(1) == ["created"]


def test_card_number_in_a_report_is_refused(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Buy the licences | done when: 5 seats bought | due: friday")
    story.click(story.offer(ALICE), "Accept", user=ALICE)
    story.command("/report", user=ALICE, text=f"T-1 paid with {CARD.replace(' ', '-')}")
    assert "card number" in story.ephemeral(ALICE).plain_text()
    assert story.history(1) == ["created", "accepted"]


def test_secret_in_a_modal_is_refused_next_to_the_field(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Buy the licences | done when: 5 seats bought | due: friday")
    story.click(story.offer(ALICE), "Ask a question", user=ALICE)
    reply = story.submit(story.slack.last_view(), user=ALICE, **{Field.TEXT: f"Use card {CARD}?"})
    assert reply.json["response_action"] == "errors"
    assert CARD not in json.dumps(reply.json)
    assert story.history(1) == ["created"]


def test_mentions_typed_into_text_do_not_ping(story: Story) -> None:
    # As Slack sends it: entities for the mentions, "&" escaped to "&amp;".
    story.delegate(
        f"<@{ALICE}> Tell <!channel> and <@{MALLORY}|mallory> &amp; <!here>"
        " | done when: <!everyone> knows | due: friday"
    )
    offer = story.offer(ALICE)
    # Mentions are parsed in mrkdwn and in the top-level text; plain_text (headers) never pings.
    sent = json.dumps([offer.text, *mrkdwn_texts(offer.blocks)])
    for ping in ("<!channel>", f"<@{MALLORY}", "<!here>", "<!everyone>"):
        assert ping not in sent
    assert "Tell @channel and @mallory &amp; @here" in sent  # readable, escaped once
    assert "@everyone knows" in sent and "&amp;amp;" not in sent
    story.click(offer, "Accept", user=ALICE)
    owner_notice = json.dumps([story.dm(OWNER).text, *mrkdwn_texts(story.dm(OWNER).blocks)])
    assert "<!channel>" not in owner_notice and "@channel" in owner_notice
    story.command("/tasks", user=OWNER)
    listing = story.ephemeral(OWNER)
    assert "<!channel>" not in json.dumps([listing.text, *mrkdwn_texts(listing.blocks)])


def mrkdwn_texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "mrkdwn" else []
        return own + [t for value in node.values() for t in mrkdwn_texts(value)]
    if isinstance(node, list):
        return [t for item in node for t in mrkdwn_texts(item)]
    return []


def test_forged_signature_and_stale_timestamp_are_rejected(story: Story) -> None:
    body = urlencode(
        {
            "command": "/delegate",
            "text": f"<@{ALICE}> x | due: friday",
            "user_id": OWNER,
            "team_id": story.slack.team_id,
            "trigger_id": "t1",
            "response_url": "http://x",
        }
    ).encode()
    content = {"Content-Type": "application/x-www-form-urlencoded"}
    forged = story.requests.post_raw(body, {**content, **story.requests.signed_headers(body, secret="wrong")})
    stale = story.requests.post_raw(
        body, {**content, **story.requests.signed_headers(body, timestamp=int(time.time()) - 600)}
    )
    unsigned = story.requests.post_raw(body, content)
    story.settle()
    assert (forged.status, stale.status, unsigned.status) == (401, 401, 401)
    assert story.task(1) is None
    assert [c.method for c in story.slack.calls if c.method != "auth.test"] == []


def test_command_text_containing_payload_still_works(story: Story) -> None:
    reply = story.delegate(
        f"<@{ALICE}> Fix the payload parser | done when: payload tests pass in CI | due: friday"
    )
    assert reply.status == 200
    assert "Fix the payload parser" in story.offer(ALICE).plain_text()
    story.command("/tasks", user=OWNER, text="payload")  # and a bad one gets its normal answer
    assert "task id" in story.ephemeral(OWNER).plain_text()


def test_health_check_reports_the_database(story: Story) -> None:
    url = story.requests.app_url.replace("/slack/events", "/healthz")
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"ok": True, "database": "ok"}


def test_url_verification_answers_the_challenge(story: Story) -> None:
    reply = story.requests.url_verification("abc123")
    assert reply.status == 200 and "abc123" in reply.body
