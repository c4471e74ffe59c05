"""Several workspaces on one fake: each call lands in its token's workspace; OAuth installs and refreshes."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.oauth_grants import CLIENT_ID, CLIENT_SECRET
from bot.playground.slack.slack_contract import load_spec
from tests.fakes.fake_slack_cases import slack_error


def test_each_token_speaks_in_its_own_workspace(fake: FakeSlack, client: WebClient) -> None:
    second = fake.add_workspace("T2", team_name="Second")
    second.add_user("U1", name="someone-else")
    other = WebClient(base_url=fake.api_url, token=second.bot_token)

    other.chat_postMessage(channel="U1", text="to the second workspace")
    client.chat_postMessage(channel="U1", text="to the first")

    assert [m.text for m in second.messages_to("U1")] == ["to the second workspace"]
    assert [m.text for m in fake.messages_to("U1")] == ["to the first"]
    assert other.auth_test()["team_id"] == "T2" and other.auth_test()["user_id"] == second.bot_user_id
    assert [c.token for c in second.calls_to("chat.postMessage")] == [second.bot_token]
    assert len(fake.calls_to("chat.postMessage")) == 2  # the first workspace's handle sees every call
    assert slack_error(lambda: other.users_info(user="U2")) == "user_not_found"  # bob is in the first only


def test_an_answer_to_a_response_url_reaches_the_workspace_that_issued_it(fake: FakeSlack) -> None:
    second = fake.add_workspace("T2")
    second.add_user("U1", name="someone-else")
    first_url, second_url = fake.new_response_url(user="U1"), second.new_response_url(user="U1")
    assert first_url != second_url  # Slack's response URLs are unique across workspaces

    WebhookClient(second_url).send(text="to the second workspace")
    WebhookClient(first_url).send(text="to the first")

    assert [m.text for m in second.ephemerals_to("U1")] == ["to the second workspace"]
    assert [m.text for m in fake.ephemerals_to("U1")] == ["to the first"]


def test_unknown_revoked_and_expired_tokens_are_refused(fake: FakeSlack) -> None:
    second = fake.add_workspace("T2")
    assert slack_error(lambda: WebClient(base_url=fake.api_url, token="xoxb-nobody").auth_test()) == (
        "invalid_auth"
    )
    expired = fake.expire_token("T2")
    assert expired == [second.bot_token]
    assert slack_error(lambda: WebClient(base_url=fake.api_url, token=second.bot_token).auth_test()) == (
        "token_expired"
    )
    fake.revoke_tokens("T2")
    assert slack_error(lambda: WebClient(base_url=fake.api_url, token=second.bot_token).auth_test()) == (
        "invalid_auth"
    )
    assert fake.contract_violations == []


def test_a_code_is_exchanged_once_for_a_bot_installation(fake: FakeSlack) -> None:
    fake.add_workspace("T2", team_name="Second")
    code = fake.issue_oauth_code("T2", "UINSTALLER")
    client = WebClient(base_url=fake.api_url)

    answer = client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code)

    assert answer["token_type"] == "bot" and answer["access_token"].startswith("xoxb-")
    assert answer["team"] == {"id": "T2", "name": "Second"}
    assert answer["authed_user"] == {"id": "UINSTALLER"}
    assert (answer["enterprise"], answer["is_enterprise_install"]) == (None, False)
    assert "refresh_token" not in answer and "expires_in" not in answer
    assert WebClient(base_url=fake.api_url, token=answer["access_token"]).auth_test()["team_id"] == "T2"
    assert slack_error(
        lambda: client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code)
    ) == ("invalid_code")
    assert fake.contract_violations == []


@pytest.mark.parametrize(
    ("client_id", "client_secret", "error"),
    [("someone-else", CLIENT_SECRET, "invalid_client_id"), (CLIENT_ID, "wrong", "bad_client_secret")],
)
def test_the_app_credentials_are_checked(
    fake: FakeSlack, client_id: str, client_secret: str, error: str
) -> None:
    code = fake.issue_oauth_code(fake.team_id, "U1")
    client = WebClient(base_url=fake.api_url)
    assert slack_error(
        lambda: client.oauth_v2_access(client_id=client_id, client_secret=client_secret, code=code)
    ) == (error)


def test_with_rotation_a_refresh_token_is_spent_once_for_a_new_token(fake: FakeSlack) -> None:
    fake.add_workspace("T2")
    fake.token_rotation = True
    client = WebClient(base_url=fake.api_url)
    installed = client.oauth_v2_access(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=fake.issue_oauth_code("T2", "U1")
    )
    assert installed["access_token"].startswith("xoxe.xoxb-")
    assert installed["refresh_token"].startswith("xoxe-1-") and installed["expires_in"] == 43200

    def refresh() -> dict:
        return client.oauth_v2_access(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            grant_type="refresh_token",
            refresh_token=installed["refresh_token"],
        ).data  # type: ignore[return-value]

    refreshed = refresh()
    assert refreshed["access_token"] != installed["access_token"]
    assert refreshed["refresh_token"] != installed["refresh_token"]
    assert slack_error(refresh) == "invalid_refresh_token"
    assert WebClient(base_url=fake.api_url, token=refreshed["access_token"]).auth_test()["team_id"] == "T2"
    assert fake.contract_violations == []


def test_oauth_access_is_checked_against_its_reference() -> None:
    spec = load_spec("oauth.v2.access")
    assert {"code", "grant_type", "refresh_token", "client_id", "client_secret"} <= spec.args.keys()
    assert {"invalid_code", "invalid_refresh_token", "token_expired"} <= spec.errors


def test_reset_forgets_added_workspaces_and_restores_the_first_token(fake: FakeSlack) -> None:
    fake.add_workspace("T2")
    fake.expire_token(fake.team_id)
    fake.reset()
    assert WebClient(base_url=fake.api_url, token=fake.bot_token).auth_test()["team_id"] == fake.team_id
    with pytest.raises(AssertionError, match="no workspace T2"):
        fake.workspace("T2")
