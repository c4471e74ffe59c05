"""Tests of the test doubles themselves: the fake Slack must behave like Slack where the app can tell."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import pytest
from slack_bolt import Ack, App, Respond
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.fakes.fake_slack import FakeSlack
from tests.fakes.slack_contract import REF_DIR, load_spec, spec_path
from tests.fakes.slack_requests import SlackRequests, state_values
from tests.fakes.web_api_methods import METHODS

SECRET = "test-signing-secret"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("U1", name="alice", tz="Europe/Berlin")
        fake.add_user("U2", name="bob")
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.api_url, token=fake.bot_token)


def slack_error(call: Callable[[], Any]) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(**overrides: Any) -> dict[str, Any]:
    view = {
        "type": "modal",
        "callback_id": "delegate",
        "title": {"type": "plain_text", "text": "Delegate"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "outcome",
                "label": {"type": "plain_text", "text": "Outcome"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
        ],
    }
    return {**view, **overrides}


# ---- signing


def test_signature_is_what_slack_sdk_verifier_expects(fake: FakeSlack) -> None:
    slack = SlackRequests("http://unused", signing_secret=SECRET, fake=fake)
    body = b"command=%2Fdelegate&text=hello"
    verifier = SignatureVerifier(SECRET)

    assert verifier.is_valid_request(body, slack.signed_headers(body))
    assert not verifier.is_valid_request(body, slack.signed_headers(body, secret="other"))
    assert not verifier.is_valid_request(body, slack.signed_headers(body, timestamp=int(time.time()) - 301))


# ---- Web API round trips


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


# ---- contract checks

# Methods the app may call that the fake does not answer yet; their reference ships all the same.
REFERENCED_AHEAD = ["apps.connections.open", "conversations.history"]


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


# ---- failure injection


def test_rate_limit_is_retried_by_the_sdk_handler(fake: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    # The handler sleeps Retry-After + random() seconds; pin the jitter so the test stays fast.
    monkeypatch.setattr(builtin_handlers, "random", SimpleNamespace(random=lambda: 0.0))
    client = WebClient(
        base_url=fake.api_url,
        token=fake.bot_token,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.fail_next("chat.postMessage", status=429, retry_after=0)

    assert client.chat_postMessage(channel="U1", text="once")["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 200]
    assert [c.args["text"] for c in fake.calls_to("chat.postMessage")] == ["once", "once"]
    assert len(fake.messages_to("U1")) == 1


def test_server_error_is_retried_by_the_sdk_handler(fake: FakeSlack) -> None:
    fast = FixedValueRetryIntervalCalculator(0.01)
    client = WebClient(
        base_url=fake.api_url,
        token=fake.bot_token,
        retry_handlers=[ServerErrorRetryHandler(max_retry_count=1, interval_calculator=fast)],
    )
    fake.fail_next("users.info", status=500)

    assert client.users_info(user="U1")["ok"]
    assert [c.status for c in fake.calls_to("users.info")] == [500, 200]


def test_injected_error_answers_ok_false_without_retry(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", error="token_revoked", times=2)

    assert slack_error(lambda: client.chat_postMessage(channel="C1", text="a")) == "token_revoked"
    assert slack_error(lambda: client.chat_postMessage(channel="C1", text="b")) == "token_revoked"
    assert client.chat_postMessage(channel="C1", text="c")["ok"]


def test_without_retry_handler_a_429_surfaces(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=0)

    assert slack_error(lambda: client.chat_postMessage(channel="C1", text="a")) == "ratelimited"


# ---- response_url and helpers


def test_response_url_posts_are_recorded_per_url_and_user(fake: FakeSlack) -> None:
    url = fake.new_response_url(user="U1", channel="C1")
    WebhookClient(url).send_dict({"text": "only you can see this"})
    WebhookClient(url).send_dict({"text": "for everyone", "response_type": "in_channel"})

    assert [c.args["url"] for c in fake.calls_to("response_url")] == [url, url]
    assert [m.text for m in fake.ephemerals_to("U1")] == ["only you can see this"]
    assert [m.text for m in fake.messages("C1")] == ["for everyone"]
    assert len(fake.responses(url)) == 2


def test_wait_for_returns_the_value_or_explains_the_timeout(fake: FakeSlack) -> None:
    assert fake.wait_for(lambda: 42) == 42
    with pytest.raises(AssertionError, match="calls so far"):
        fake.wait_for(lambda: fake.calls_to("chat.postMessage"), timeout=0.05)


def test_last_message_to_lists_what_was_sent(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="U2", text="for bob")

    with pytest.raises(AssertionError, match="for bob"):
        fake.last_message_to("U1")


def test_reset_keeps_users(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="U1", text="x")
    fake.reset()

    assert fake.calls == [] and fake.messages_to("U1") == []
    assert client.users_info(user="U1")["ok"]


def test_state_values_follow_element_types() -> None:
    view = modal(
        blocks=[
            {**modal()["blocks"][0]},
            _input("who", {"type": "users_select", "action_id": "a"}),
            _input("team", {"type": "multi_users_select", "action_id": "a"}, optional=True),
            _input("when", {"type": "datepicker", "action_id": "a", "initial_date": "2030-01-02"}),
            _input(
                "size",
                {"type": "static_select", "action_id": "a", "options": [_option("S"), _option("L")]},
            ),
        ]
    )

    values = state_values(view, {"outcome": "report", "who": "U2", "size": "L"})

    assert values["outcome"]["value"] == {"type": "plain_text_input", "value": "report"}
    assert values["who"]["a"]["selected_user"] == "U2"
    assert values["team"]["a"]["selected_users"] == []
    assert values["when"]["a"]["selected_date"] == "2030-01-02"
    assert values["size"]["a"]["selected_option"]["value"] == "L"
    with pytest.raises(AssertionError, match="required input 'who'"):
        state_values(view, {"outcome": "report", "size": "S"})
    with pytest.raises(AssertionError, match="no input block"):
        state_values(view, {"outcom": "typo"})


def _input(block_id: str, element: dict[str, Any], *, optional: bool = False) -> dict[str, Any]:
    label = {"type": "plain_text", "text": block_id}
    return {"type": "input", "block_id": block_id, "label": label, "element": element, "optional": optional}


def _option(value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": value}, "value": value}


# ---- end to end through a real Bolt app


def _serve(app: App) -> tuple[ThreadingHTTPServer, str]:
    """Serve a Bolt app over loopback HTTP as any adapter does: raw body and headers in, BoltResponse out."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            response = app.dispatch(BoltRequest(body=body, headers=dict(self.headers.items())))
            payload = response.body.encode()
            self.send_response(response.status)
            for name, values in response.headers.items():
                if name.lower() != "content-length":
                    self.send_header(name, ", ".join(values))
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/slack/events"


@pytest.fixture
def slack(fake: FakeSlack) -> Iterator[SlackRequests]:
    app = App(signing_secret=SECRET, client=WebClient(base_url=fake.api_url, token=fake.bot_token))

    @app.command("/ping")
    def ping(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        respond("pong")
        button = {"type": "button", "text": {"type": "plain_text", "text": "Mark done"}, "action_id": "done"}
        blocks = [
            section("task"),
            {"type": "actions", "block_id": "acts", "elements": [{**button, "value": "7"}]},
        ]
        client.chat_postMessage(channel=command["user_id"], text="task", blocks=blocks)

    @app.command("/answer")
    def answer(ack: Ack, command: dict[str, Any]) -> None:
        many = int(command["text"])  # Slack takes at most 50 blocks in a message
        ack(text="answered", blocks=[section("answered")] * many, response_type="ephemeral")

    @app.command("/form")
    def form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=modal())

    @app.action("done")
    def done(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        respond(
            replace_original=True, text=f"done {body['actions'][0]['value']} {body['actions'][0]['block_id']}"
        )

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": [section("Your tasks")]})

    @app.view("delegate")
    def submitted(ack: Ack, view: dict[str, Any]) -> None:
        outcome = view["state"]["values"]["outcome"]["value"]["value"]
        ack(response_action="errors", errors={"outcome": f"got {outcome}"})

    server, url = _serve(app)
    yield SlackRequests(url, signing_secret=SECRET, fake=fake)
    server.shutdown()
    server.server_close()


def test_command_click_and_respond_through_bolt(fake: FakeSlack, slack: SlackRequests) -> None:
    reply = slack.command("/ping", user="U1")
    assert reply.status == 200

    message = fake.wait_for_message_to("U1")
    fake.wait_for(lambda: slack.ephemerals_to("U1"))
    assert [m.text for m in slack.ephemerals_to("U1")] == ["pong"]

    assert slack.click(message, "done", user="U1").status == 200
    fake.wait_for(lambda: message.updates == 1)
    assert message.text == "done 7 acts"
    # Bolt's per-request client adds team_id to every call; the fake must take that as normal.
    assert fake.calls_to("chat.postMessage")[0].args["team_id"] == fake.team_id
    assert fake.contract_violations == []


def test_a_command_answered_in_its_ack_is_shown_to_the_person(fake: FakeSlack, slack: SlackRequests) -> None:
    reply = slack.command("/answer", user="U1", text="1")

    assert reply.json["response_type"] == "ephemeral"
    [shown] = slack.ephemerals_to("U1")
    assert (shown.text, shown.blocks) == ("answered", [section("answered")])
    assert shown.response_url == reply.response_url
    assert fake.calls_to("response_url") == [] and fake.contract_violations == []


def test_an_ack_whose_blocks_slack_refuses_shows_nothing(fake: FakeSlack, slack: SlackRequests) -> None:
    assert slack.command("/answer", user="U1", text="51").status == 200

    assert slack.ephemerals_to("U1") == []
    assert [v.split(":")[0] for v in fake.contract_violations] == ["command answer"]


def test_modal_opened_from_a_command_can_be_submitted(fake: FakeSlack, slack: SlackRequests) -> None:
    slack.command("/form", user="U1")
    fake.wait_for(lambda: fake.views_opened)
    view = fake.last_view()

    reply = slack.submit_view(view, user="U1", fields={"outcome": "ship it"})

    assert reply.json == {"response_action": "errors", "errors": {"outcome": "got ship it"}}


def test_bolt_refuses_forged_and_stale_requests(fake: FakeSlack, slack: SlackRequests) -> None:
    assert slack.command("/ping", user="U1", signing_secret="wrong").status == 401
    assert slack.command("/ping", user="U1", timestamp=int(time.time()) - 600).status == 401
    assert fake.calls_to("chat.postMessage") == []


def test_bolt_reads_a_command_mentioning_payload_as_interactivity(slack: SlackRequests) -> None:
    # Documented Bolt quirk (SLACK-FACTS.md): the body contains "payload", so no command listener matches.
    assert slack.command("/ping", user="U1", text="fix payload bug").status == 404


def test_events_and_url_verification_reach_bolt(fake: FakeSlack, slack: SlackRequests) -> None:
    assert slack.url_verification("abc").json == {"challenge": "abc"}
    event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}

    assert slack.event(event, retry_num=1).status == 200
    home = fake.wait_for(lambda: fake.home_view("U1"))
    assert home is not None and home["blocks"] == [section("Your tasks")]
    assert fake.contract_violations == []
