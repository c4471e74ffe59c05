"""Web API round trips: what the fake answers, stores and refuses, as Slack would."""

from __future__ import annotations

import json

from slack_sdk import WebClient

from bot.playground.slack.fake_slack import FakeSlack
from tests.fakes.fake_slack_cases import modal, section, slack_error


def test_web_client_posts_to_a_user_lands_in_their_stable_im(fake: FakeSlack, client: WebClient) -> None:
    opened = client.conversations_open(users="U1")["channel"]["id"]
    posted = client.chat_postMessage(channel="U1", text="hello", blocks=[section("*hello*")])

    assert posted["channel"] == opened == fake.im_channel("U1")
    assert client.conversations_open(users="U1")["channel"]["id"] == opened
    assert fake.last_message_to("U1").plain_text() == "hello\n*hello*"
    assert fake.contract_violations == []


def test_chat_update_changes_the_stored_message_and_needs_the_real_channel(
    fake: FakeSlack, client: WebClient
) -> None:
    posted = client.chat_postMessage(channel="U1", text="v1")
    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="v2")

    message = fake.last_message_to("U1")
    assert (message.text, message.updates) == ("v2", 1)
    assert (
        slack_error(lambda: client.chat_update(channel="U1", ts=posted["ts"], text="v3"))
        == "channel_not_found"
    )
    assert slack_error(lambda: client.chat_update(channel=posted["channel"], ts="1.2", text="x")) == (
        "message_not_found"
    )


def test_ts_values_are_unique_increasing_strings(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(3)]

    assert all(isinstance(ts, str) and "." in ts for ts in stamps)
    assert stamps == sorted(set(stamps), key=float)


def test_users_info_reports_timezone_and_unknown_users(client: WebClient) -> None:
    user = client.users_info(user="U1")["user"]

    assert (user["tz"], user["tz_offset"] in (3600, 7200), user["is_bot"]) == ("Europe/Berlin", True, False)
    assert slack_error(lambda: client.users_info(user="U404")) == "user_not_found"


def test_users_info_tells_guests_and_slack_connect_users_apart(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("UMULTI", name="mo", is_restricted=True)
    fake.add_user("USINGLE", name="sue", is_restricted=True, is_ultra_restricted=True)
    fake.add_user("UPARTNER", name="pat", home_team="T0PARTNER")

    def info(user: str) -> tuple[str, bool, bool]:
        found = client.users_info(user=user)["user"]
        return found["team_id"], found["is_restricted"], found["is_ultra_restricted"]

    assert info("UMULTI") == (fake.team_id, True, False)
    assert info("USINGLE") == (fake.team_id, True, True)
    assert info("UPARTNER") == ("T0PARTNER", False, False)  # their own organisation's team
    assert client.users_info(user="UPARTNER")["user"]["profile"]["team"] == "T0PARTNER"


def test_views_open_echoes_the_view_and_triggers_are_single_use(fake: FakeSlack, client: WebClient) -> None:
    view = client.views_open(trigger_id="1.2.abc", view=modal(private_metadata="42"))["view"]

    assert view["id"].startswith("V") and view["hash"] and view["private_metadata"] == "42"
    assert fake.last_view()["callback_id"] == "delegate"
    assert (
        slack_error(lambda: client.views_open(trigger_id="1.2.abc", view=modal())) == "exchanged_trigger_id"
    )
    assert (
        slack_error(lambda: client.views_open(trigger_id="expired-1", view=modal())) == "expired_trigger_id"
    )


def test_views_update_checks_hash_and_keeps_the_id(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id="1.2.abc", view=modal())["view"]
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal(private_metadata="x"))

    assert updated["view"]["id"] == opened["id"] and fake.last_view()["private_metadata"] == "x"
    stale = opened["hash"]
    assert slack_error(lambda: client.views_update(view_id=opened["id"], hash=stale, view=modal())) == (
        "hash_conflict"
    )


def test_form_encoded_json_args_are_decoded(fake: FakeSlack, client: WebClient) -> None:
    client.api_call(
        "chat.postMessage", params={"channel": "C1", "text": "t", "blocks": json.dumps([section("b")])}
    )

    assert fake.messages("C1")[0].blocks == [section("b")]


def test_auth_and_unknown_methods(fake: FakeSlack) -> None:
    assert slack_error(lambda: WebClient(base_url=fake.api_url).auth_test()) == "not_authed"
    assert (
        slack_error(lambda: WebClient(base_url=fake.api_url, token="xoxb-wrong").auth_test())
        == "invalid_auth"
    )
    client = WebClient(base_url=fake.api_url, token=fake.bot_token)
    assert (
        slack_error(lambda: client.api_call("chat.meMessage", params={"channel": "C1"})) == "unknown_method"
    )
    assert client.auth_test().headers["x-oauth-scopes"] == fake.scopes
