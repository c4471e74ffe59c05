"""Secrets are never kept, user text never pings, and only Slack can talk to the bot."""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlmodel import SQLModel

from bot.core.text_hygiene import BIDI_CONTROLS
from bot.playground.slack.slack_requests import Reply
from bot.slack.ids import Field
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, Story, both_databases

CARD = "4111 1111 1111 1111"

# Real pastes, each with the fragments of it that must never show up anywhere again.
PASTES = {
    "card with en dashes": ("4111–1111–1111–1111", ("4111", "1111")),
    "card with zero-width spaces": ("4111\u200b1111\u200b1111\u200b1111", ("4111", "1111")),
    "card in a link": ("https://pay.example.com/?card=4111%201111%201111%201111", ("4111", "%201111")),
    "Slack webhook": (
        "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx",
        ("hooks.slack.com/services", "abcdefghijklmnop"),
    ),
    "Slack refresh token": ("xoxe-1-My0xLTEyMzQ1Njc4OTAtYWJjZGVmZ2hpams", ("xoxe", "My0xLTEy")),
    "AWS secret access key": ("aws secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ("wJalrXUtnFEMI",)),
    "Stripe key": ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", ("sk_live", "4eC39Hq")),
    "passphrase": ("passphrase: correct horse battery staple", ("correct horse",)),
    "password in prose": ("the password is hunter2", ("hunter2",)),
}
REPRESENTATIVE = ["card with en dashes", "card in a link", "Slack refresh token", "password in prose"]


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


# --- what people paste: refused, and never stored, echoed or logged ------------------------


def assert_nowhere(
    story: Story, caplog: pytest.LogCaptureFixture, marks: tuple[str, ...], *replies: Reply
) -> None:
    """None of ``marks`` in the database, any call to Slack, any answer to Slack, or any log line."""
    stored = stored_rows(story)
    sent = json.dumps([call.args for call in story.slack.calls], ensure_ascii=False)
    answered = " ".join(reply.body for reply in replies)
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert caplog.records, "the log was not captured, so it proves nothing"
    for mark in marks:
        assert mark not in stored, f"{mark!r} was stored"
        assert mark not in sent, f"{mark!r} was sent to Slack"
        assert mark not in answered, f"{mark!r} was in an answer to Slack"
        assert mark not in logged, f"{mark!r} was logged"


def stored_rows(story: Story) -> str:
    """Every row of every table, as text: whatever table a change lands in, it shows here."""
    with story.handoff.runtime.db.session_scope() as session:
        rows = [
            dict(row._mapping)
            for table in SQLModel.metadata.sorted_tables
            for row in session.execute(table.select())
        ]
    return json.dumps(rows, default=str, ensure_ascii=False)


@pytest.mark.parametrize("name", list(PASTES))
def test_pasted_secrets_in_a_command_are_refused_and_left_nowhere(
    story: Story, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    secret, marks = PASTES[name]
    caplog.set_level(logging.DEBUG)
    reply = story.delegate(f"<@{ALICE}> Settle the invoice {secret} | done when: paid | due: friday")
    assert "never stores" in story.ephemeral(OWNER).plain_text()
    assert story.task(1) is None
    assert story.posted() == 0
    assert_nowhere(story, caplog, marks, reply)


@pytest.mark.parametrize("name", REPRESENTATIVE)
def test_pasted_secrets_in_the_delegate_form_are_refused_and_left_nowhere(
    story: Story, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    secret, marks = PASTES[name]
    caplog.set_level(logging.DEBUG)
    story.command("/delegate", user=OWNER)
    reply = story.submit(
        story.slack.last_view(), user=OWNER, assignees=[ALICE], title="Settle the invoice", done_when=secret
    )
    assert reply.json["response_action"] == "errors"
    assert "never stores" in reply.json["errors"][Field.DONE_WHEN.value]
    assert story.task(1) is None
    assert story.posted() == 0
    assert_nowhere(story, caplog, marks, reply)


@pytest.mark.parametrize("name", REPRESENTATIVE)
def test_pasted_secrets_in_a_button_opened_form_are_refused_and_left_nowhere(
    story: Story, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    secret, marks = PASTES[name]
    story.delegate(f"<@{ALICE}> Settle the invoice | done when: paid | due: friday")
    story.click(story.offer(ALICE), "Accept", user=ALICE)
    assert "Settle the invoice" in stored_rows(story)  # the check sees what is stored
    posted = story.posted()
    caplog.set_level(logging.DEBUG)
    story.click(story.offer(ALICE), "Report progress", user=ALICE)
    reply = story.submit(story.slack.last_view(), user=ALICE, **{Field.TEXT: f"paid with {secret}"})
    assert reply.json["response_action"] == "errors"
    assert "never stores" in reply.json["errors"][Field.TEXT.value]
    assert story.history(1) == ["created", "accepted"]
    assert story.posted() == posted
    assert_nowhere(story, caplog, marks, reply)


# --- titles cannot be shown reversed -------------------------------------------------------

# "Pay ‮fdp.exe‬ now" shows as "Pay exe.pdf now": the override flips what follows it.
REVERSED = "Pay \u202efdp.exe\u202c now \u2067and\u2069 \u200ffile\u200e"


def test_a_title_with_an_rtl_override_reaches_the_card_without_it(story: Story) -> None:
    story.delegate(f"<@{ALICE}> {REVERSED} | done when: invoice \u202dpaid\u202c | due: friday")
    card = story.offer(ALICE)
    shown = json.dumps([card.text, card.blocks], ensure_ascii=False)
    assert not BIDI_CONTROLS & set(shown)
    assert "Pay fdp.exe now and file" in card.plain_text()
    task = story.task(1)
    assert task is not None and task.title == "Pay fdp.exe now and file"
    assert task.done_when == "invoice paid"


def test_a_title_with_an_rtl_override_from_the_form_reaches_the_card_without_it(story: Story) -> None:
    story.command("/delegate", user=OWNER)
    story.submit(
        story.slack.last_view(), user=OWNER, assignees=[ALICE], title=REVERSED, done_when="\u202epaid"
    )
    card = story.offer(ALICE)
    assert not BIDI_CONTROLS & set(json.dumps([card.text, card.blocks], ensure_ascii=False))
    task = story.task(1)
    assert task is not None and (task.title, task.done_when) == ("Pay fdp.exe now and file", "paid")


# --- characters Slack can't show: refused before the database -----------------------------

UNSHOWABLE = "can't show"


@both_databases
def test_a_nul_in_a_command_is_refused_and_nothing_is_written(
    story: Story, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    story.delegate(f"<@{ALICE}> Ship\x00 the report | done when: PDF sent | due: friday")
    answer = story.ephemeral(OWNER).plain_text()
    assert UNSHOWABLE in answer and "retype it" in answer
    assert story.task(1) is None
    assert story.posted() == 0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@both_databases
@pytest.mark.parametrize("bad", ["Ship\x00 it", "Ship \ud83d it"], ids=["nul", "lone-surrogate"])
def test_unshowable_text_in_the_delegate_form_is_refused_and_nothing_is_written(
    story: Story, caplog: pytest.LogCaptureFixture, bad: str
) -> None:
    caplog.set_level(logging.INFO)
    story.command("/delegate", user=OWNER)
    reply = story.submit(story.slack.last_view(), user=OWNER, assignees=[ALICE], title=bad, done_when="PDF")
    assert reply.json["response_action"] == "errors"
    assert UNSHOWABLE in reply.json["errors"][Field.TITLE.value]
    assert story.task(1) is None
    assert story.posted() == 0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@both_databases
@pytest.mark.parametrize("bad", ["half\x00done", "half \udc00 done"], ids=["nul", "lone-surrogate"])
def test_unshowable_text_in_a_button_opened_form_is_refused_and_nothing_is_written(
    story: Story, caplog: pytest.LogCaptureFixture, bad: str
) -> None:
    story.delegate(f"<@{ALICE}> Ship the report | done when: PDF sent | due: friday")
    story.click(story.offer(ALICE), "Accept", user=ALICE)
    posted = story.posted()
    caplog.set_level(logging.INFO)
    story.click(story.offer(ALICE), "Report progress", user=ALICE)
    reply = story.submit(story.slack.last_view(), user=ALICE, **{Field.TEXT: bad})
    assert reply.json["response_action"] == "errors"
    assert UNSHOWABLE in reply.json["errors"][Field.TEXT.value]
    assert story.history(1) == ["created", "accepted"]
    assert story.posted() == posted
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
