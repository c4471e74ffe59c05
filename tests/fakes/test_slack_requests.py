"""Requests as Slack sends them: signed as the sdk verifies, filled in as the client would, read by Bolt."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_bolt import Ack, App, Respond
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_requests import SlackRequests
from bot.playground.slack.view_state import state_values
from tests.fakes.fake_slack_cases import modal, section

SECRET = "test-signing-secret"


def test_signature_is_what_slack_sdk_verifier_expects(fake: FakeSlack) -> None:
    slack = SlackRequests("http://unused", signing_secret=SECRET, fake=fake)
    body = b"command=%2Fdelegate&text=hello"
    verifier = SignatureVerifier(SECRET)

    assert verifier.is_valid_request(body, slack.signed_headers(body))
    assert not verifier.is_valid_request(body, slack.signed_headers(body, secret="other"))
    assert not verifier.is_valid_request(body, slack.signed_headers(body, timestamp=int(time.time()) - 301))


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
        action, teams = body["actions"][0], f"{body['team']['id']}/{body['user']['team_id']}"
        respond(replace_original=True, text=f"done {action['value']} {action['block_id']} {teams}")

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
    assert message.text == f"done 7 acts {fake.team_id}/{fake.team_id}"
    # Bolt's per-request client adds team_id to every call; the fake must take that as normal.
    assert fake.calls_to("chat.postMessage")[0].args["team_id"] == fake.team_id
    assert fake.contract_violations == []


def test_a_slack_connect_users_click_names_the_installation_and_their_own_team(
    fake: FakeSlack, slack: SlackRequests
) -> None:
    fake.add_user("UPARTNER", name="pat", home_team="T0PARTNER")
    slack.command("/ping", user="UPARTNER")
    message = fake.wait_for_message_to("UPARTNER")

    slack.click(message, "done", user="UPARTNER")

    fake.wait_for(lambda: message.updates == 1)
    assert message.text == f"done 7 acts {fake.team_id}/T0PARTNER"  # team: the installation's


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
