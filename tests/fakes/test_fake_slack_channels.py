"""Channels in the fake: members paged as Slack pages them, and ``not_in_channel`` where the bot isn't."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.playground.slack.fake_slack import FakeSlack
from tests.fakes.fake_slack_cases import slack_error


def test_members_come_in_pages_with_a_cursor(fake: FakeSlack, client: WebClient) -> None:
    fake.add_channel("CTEAM", members=["U1", "U2", "U3"])
    first = client.conversations_members(channel="CTEAM", limit=2)
    assert first["members"] == ["U1", "U2"]
    cursor = first["response_metadata"]["next_cursor"]
    second = client.conversations_members(channel="CTEAM", limit=2, cursor=cursor)
    assert second["members"] == ["U3", fake.bot_user_id]
    assert second["response_metadata"]["next_cursor"] == ""
    assert (
        slack_error(lambda: client.conversations_members(channel="CTEAM", cursor="bogus")) == "invalid_cursor"
    )
    assert fake.contract_violations == []


def test_a_channel_nobody_seeded_has_the_bot_alone(client: WebClient, fake: FakeSlack) -> None:
    assert client.conversations_members(channel="CELSEWHERE")["members"] == [fake.bot_user_id]


def test_the_bot_cannot_post_or_read_where_it_was_not_invited(fake: FakeSlack, client: WebClient) -> None:
    fake.add_channel("CPRIVATE", members=["U1"], bot_member=False)
    assert slack_error(lambda: client.chat_postMessage(channel="CPRIVATE", text="hi")) == "not_in_channel"
    assert slack_error(lambda: client.conversations_history(channel="CPRIVATE")) == "not_in_channel"
    assert client.conversations_members(channel="CPRIVATE")["members"] == ["U1"]
    fake.add_channel("CPRIVATE", members=["U1"])  # invited
    posted = client.chat_postMessage(channel="CPRIVATE", text="hi")
    assert posted["channel"] == "CPRIVATE"
    assert client.conversations_history(channel="CPRIVATE")["messages"][0]["ts"] == posted["ts"]


def test_members_call_is_checked_against_the_reference(fake: FakeSlack, client: WebClient) -> None:
    error = slack_error(lambda: client.api_call("conversations.members", params={"limit": 5}))
    assert error in ("channel_not_found", "invalid_arguments")
    assert len(fake.contract_violations) == 1
