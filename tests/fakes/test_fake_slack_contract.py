"""The contract: every call checked against Slack's reference, and Block Kit's limits enforced."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient

from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_contract import REF_DIR, load_spec, spec_path
from bot.playground.slack.web_api_methods import METHODS
from tests.fakes.fake_slack_cases import modal, section, slack_error

# Methods the app may call that the fake does not answer yet; their reference ships all the same.
REFERENCED_AHEAD = ["conversations.history"]


@pytest.mark.parametrize("method", sorted({*METHODS, *REFERENCED_AHEAD}))
def test_every_method_the_fake_answers_has_its_reference_in_the_repo(method: str) -> None:
    # Without its reference file a method's calls would go unchecked, so the contract is checked
    # from a fresh clone, with nothing beside the repository.
    assert spec_path(method).is_relative_to(REF_DIR) and spec_path(method).is_file()
    assert load_spec(method).errors, f"{method}: the reference lists no errors; is it the right file?"


def test_the_shipped_reference_keeps_its_licence_and_source() -> None:
    assert "MIT License" in (REF_DIR / "LICENSE.md").read_text()
    assert (REF_DIR / "SOURCE").read_text().startswith("commit ")


def test_a_method_without_reference_is_an_error_not_an_unchecked_call() -> None:
    with pytest.raises(FileNotFoundError, match=r"chat\.meMessage"):
        load_spec("chat.meMessage")


def test_missing_required_argument_fails_and_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    assert slack_error(lambda: client.api_call("chat.getPermalink", params={"channel": "C1"})) == (
        "invalid_arguments"
    )
    assert slack_error(lambda: client.api_call("chat.postMessage", json={"text": "x"})) == "channel_not_found"
    assert slack_error(lambda: client.api_call("chat.postMessage", json={"channel": "C1"})) == "no_text"

    assert len(fake.contract_violations) == 3
    assert "message_ts" in fake.contract_violations[0]


def test_unknown_argument_fails_and_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    error = slack_error(lambda: client.chat_postMessage(channel="C1", text="x", colour="red"))

    assert error == "invalid_arguments"
    assert fake.contract_violations == ["chat.postMessage: unknown argument(s) ['colour']"]
    assert fake.calls[-1].error == "invalid_arguments"


def test_ts_as_number_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="x")
    as_float = {"channel": "C1", "ts": float(posted["ts"]), "text": "y"}

    assert slack_error(lambda: client.api_call("chat.update", json=as_float)) == "invalid_arguments"
    assert fake.contract_violations


WIDE_SECTION = [section("x" * 3001)]
LONG_HEADER = [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]
LONG_BUTTON = [
    {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "x" * 76}}]}
]
DUPLICATE_IDS = [{**section("a"), "block_id": "same"}, {**section("b"), "block_id": "same"}]


def click(action_id: str, text: str = "Go") -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id}


SAME_BUTTON_IN_ONE_BLOCK = [{"type": "actions", "elements": [click("go"), click("go", "Again")]}]
SAME_BUTTON_IN_TWO_BLOCKS = [
    {"type": "actions", "elements": [click("go")]},
    {"type": "actions", "elements": [click("go")]},
]
SAME_AS_AN_ACCESSORY = [
    {**section("a"), "accessory": click("go")},
    {"type": "actions", "elements": [click("go")]},
]


@pytest.mark.parametrize(
    "blocks",
    [
        [section("x")] * 51,
        WIDE_SECTION,
        LONG_HEADER,
        LONG_BUTTON,
        DUPLICATE_IDS,
        SAME_BUTTON_IN_ONE_BLOCK,
        SAME_BUTTON_IN_TWO_BLOCKS,
        SAME_AS_AN_ACCESSORY,
    ],
    ids=[
        "51-blocks",
        "section-3001",
        "header-151",
        "button-76",
        "duplicate-block-id",
        "duplicate-action-id-in-a-block",
        "duplicate-action-id-across-blocks",
        "duplicate-action-id-accessory",
    ],
)
def test_message_block_limits_are_enforced(fake: FakeSlack, client: WebClient, blocks: list[Any]) -> None:
    assert (
        slack_error(lambda: client.chat_postMessage(channel="C1", text="t", blocks=blocks))
        == "invalid_blocks"
    )
    assert len(fake.contract_violations) == 1 and fake.messages("C1") == []


@pytest.mark.parametrize(
    "view",
    [
        modal(title={"type": "plain_text", "text": "x" * 25}),
        modal(private_metadata="x" * 3001),
        modal(blocks=[section("x")] * 101),
        modal(submit=None),  # input blocks need a submit button
        {**modal(), "id": "V1", "hash": "1.a"},  # copying a returned view back in
        modal(blocks=modal()["blocks"] + [{**modal()["blocks"][0], "block_id": "other"}]),
    ],
    ids=[
        "title-25",
        "metadata-3001",
        "101-blocks",
        "inputs-without-submit",
        "slack-managed-fields",
        "duplicate-action-id",
    ],
)
def test_view_limits_are_enforced(fake: FakeSlack, client: WebClient, view: dict[str, Any]) -> None:
    assert slack_error(lambda: client.views_open(trigger_id="1.2.abc", view=view)) == "invalid_arguments"
    assert len(fake.contract_violations) == 1
