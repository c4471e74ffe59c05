"""A task from a message: the form's sealed metadata, the prefilled form, and the link back."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.core.errors import BadInput
from bot.core.message_title import MessageTitle, title_from_message
from bot.core.sensitive_kinds import Sensitive
from bot.core.tasks import Status, Task
from bot.slack import home_messages, messages, modals
from bot.slack.ids import Field
from bot.slack.message_source import MAX_METADATA, MessageSource, from_shortcut, seal, unseal

SECRET = "signing-secret"
SOURCE = MessageSource("C0GENERAL", "1700000000.000100", "UMALLORY")
WHO = {"team_id": "T1", "user_id": "UOWNER", "secret": SECRET}
LINK = "https://acme.slack.com/archives/C0GENERAL/p1700000000000100"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
TASK = Task(
    team_id="T1",
    number=7,
    owner_id="UOWNER",
    assignee_id="UALICE",
    title="Update the deck",
    done_when=None,
    due_at=None,
    status=Status.AWAITING_ACCEPTANCE,
    created_at=NOW,
    source_link=LINK,
)


def test_sealed_metadata_names_the_message_again() -> None:
    metadata = seal(SOURCE, **WHO)
    assert len(metadata) <= MAX_METADATA
    assert unseal(metadata, **WHO) == SOURCE
    no_author = replace(SOURCE, author_id=None)
    assert unseal(seal(no_author, **WHO), **WHO) == no_author


def test_a_form_without_metadata_has_no_message() -> None:
    assert unseal("", **WHO) is None
    assert unseal(None, **WHO) is None


@pytest.mark.parametrize(
    "who",
    [
        {**WHO, "user_id": "UMALLORY"},  # another person's form
        {**WHO, "team_id": "T2"},  # another workspace's
        {**WHO, "secret": "another-secret"},  # sealed by another app
    ],
)
def test_metadata_is_bound_to_the_person_workspace_and_app(who: dict[str, str]) -> None:
    with pytest.raises(BadInput) as refused:
        unseal(seal(SOURCE, **WHO), **who)
    assert refused.value.field == Field.TITLE


@pytest.mark.parametrize(
    "metadata",
    [
        "{",
        "[]",
        '"C0GENERAL"',
        json.dumps({"channel": "C0GENERAL", "ts": "1700000000.000100"}),
        json.dumps({**json.loads(seal(SOURCE, **WHO)), "channel": "C0OTHER"}),
        json.dumps({**json.loads(seal(SOURCE, **WHO)), "author": "UOWNER"}),
        json.dumps({**json.loads(seal(SOURCE, **WHO)), "seal": None}),
    ],
)
def test_edited_or_malformed_metadata_is_refused(metadata: str) -> None:
    with pytest.raises(BadInput, match="which message it was opened from"):
        unseal(metadata, **WHO)


def test_a_sealed_value_that_is_not_a_message_is_refused_all_the_same() -> None:
    odd = MessageSource("C0GENERAL<!here>", "1700000000.000100")
    with pytest.raises(BadInput):
        unseal(seal(odd, **WHO), **WHO)


def test_the_shortcut_payload_names_the_message() -> None:
    payload = {
        "channel": {"id": "C0GENERAL"},
        "message_ts": "1700000000.000100",
        "message": {"ts": "1700000000.000100", "user": "UMALLORY", "text": "hi"},
    }
    assert from_shortcut(payload) == SOURCE
    bot_message = {**payload, "message": {"ts": "1700000000.000100", "bot_id": "B1", "text": "hi"}}
    assert from_shortcut(bot_message) == replace(SOURCE, author_id=None)


@pytest.mark.parametrize(
    "payload",
    [{}, {"channel": {"id": "C0GENERAL"}}, {"channel": {"id": "<!here>"}, "message": {"ts": "1.2"}}],
)
def test_a_shortcut_payload_without_its_message_is_refused(payload: dict[str, object]) -> None:
    with pytest.raises(BadInput, match="didn't say which message"):
        from_shortcut(payload)


@pytest.mark.parametrize(
    "found",
    [
        title_from_message("x " * 2000),
        MessageTitle(""),
        MessageTitle("", withheld=Sensitive.CARD),
    ],
)
@pytest.mark.parametrize("source", [SOURCE, MessageSource("D0DM", "1.000001"), MessageSource("G0X", "1.2")])
def test_the_prefilled_form_is_valid_and_says_where_it_came_from(
    found: MessageTitle, source: MessageSource
) -> None:
    view = modals.message_delegate_modal(source, found, metadata=seal(source, **WHO))
    View(**view).validate_json()
    assert view["private_metadata"] == seal(source, **WHO)
    origin = view["blocks"][0]["elements"][0]["text"]
    assert "From a message" in origin
    assert ("direct message" in origin) == source.in_direct_message
    title = next(b for b in view["blocks"] if b.get("block_id") == Field.TITLE)
    assert title["element"].get("initial_value", "") == found.title
    assert ("hint" in title) == found.empty


def test_the_link_back_shows_on_the_card_the_detail_and_the_home_view() -> None:
    link = f"<{LINK}|From a message>"
    card = messages.assignee_card(TASK)
    detail = messages.task_detail(TASK, [])
    modal = home_messages.task_detail_modal(TASK, [])
    for blocks in (card["blocks"], detail["blocks"], modal["blocks"]):
        assert link in json.dumps(blocks)
        for block in Block.parse_all(blocks):
            block.validate_json()
    assert "From a message" not in json.dumps(messages.assignee_card(replace(TASK, source_link=None)))


@pytest.mark.parametrize(
    "link",
    [
        "http://acme.slack.com/x",
        "https://acme.slack.com/x|Click me",
        "https://a.com/>x<!here>",
        "javascript:1",
    ],
)
def test_a_link_that_could_break_out_of_its_markup_is_not_shown(link: str) -> None:
    card = json.dumps(messages.assignee_card(replace(TASK, source_link=link)))
    assert "From a message" not in card and "<!here>" not in card
