"""Build and send requests to the app exactly as Slack does: same bodies, same signature, same headers.

Slash commands and interactivity are form-encoded (interactivity as a single ``payload=<json>`` field), events
are JSON. Every request is signed with ``v0=HMAC-SHA256(signing_secret, "v0:{timestamp}:{raw body}")``.
Response URLs and trigger ids come from the FakeSlack, so what the app does with them is recorded there; so is
a command's own HTTP answer, which Slack shows the person as an ephemeral message.

Typical use::

    slack = SlackRequests(f"{app_base}/slack/events", signing_secret=SECRET, fake=fake)
    reply = slack.command("/delegate", user="U1", text="<@U2> write the report by friday")
    assert reply.status == 200
    message = fake.wait_for(lambda: fake.messages_to("U2") and fake.last_message_to("U2"))
    slack.click(message, "accept", user="U2")
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from bot.playground.slack.fake_slack import FakeSlack, Message
from bot.playground.slack.interaction_payloads import block_id_of, button_action, channel_name, container
from bot.playground.slack.people_messages import person_message_payload
from bot.playground.slack.slack_records import JSON
from bot.playground.slack.slack_workspace import APP_ID
from bot.playground.slack.view_state import state_values

VERIFICATION_TOKEN = "legacy-verification-token"  # the deprecated token Slack still puts in payloads


@dataclasses.dataclass(frozen=True)
class Reply:
    """The app's HTTP answer. ``json`` is the parsed body when it is JSON."""

    status: int
    body: str
    json: Any
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    response_url: str | None = None
    trigger_id: str | None = None
    event_id: str | None = None


def sign(body: bytes, *, timestamp: str, secret: str) -> str:
    """Slack's request signature: ``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackRequests:
    """Sends signed Slack requests (commands, actions, view submissions, events) to the app under test."""

    def __init__(
        self,
        app_url: str,
        *,
        signing_secret: str,
        fake: FakeSlack,
        team_id: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.fake = fake
        self.team_id = team_id or fake.team_id
        self.timeout = timeout
        self._ids = itertools.count(1)

    # ---- low level

    def signed_headers(
        self, body: bytes, *, timestamp: int | str | None = None, secret: str | None = None
    ) -> dict[str, str]:
        """Signature headers for ``body``; pass an old ``timestamp`` or another ``secret`` to forge."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        return {
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sign(body, timestamp=stamp, secret=secret or self.signing_secret),
        }

    def post_raw(self, body: bytes, headers: dict[str, str]) -> Reply:
        """POST ``body`` with exactly ``headers`` (no signing); non-2xx answers are returned, not raised."""
        request = urllib.request.Request(self.app_url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return _reply(response.status, response.read(), dict(response.headers))
        except urllib.error.HTTPError as err:
            return _reply(err.code, err.read(), dict(err.headers))

    def _send(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | str | None = None,
        secret: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Reply:
        headers = {
            "Content-Type": content_type,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **self.signed_headers(body, timestamp=timestamp, secret=secret),
            **(extra_headers or {}),
        }
        return self.post_raw(body, headers)

    def _send_form(self, fields: dict[str, str], **kwargs: Any) -> Reply:
        return self._send(urlencode(fields).encode(), "application/x-www-form-urlencoded", **kwargs)

    def _send_payload(self, payload: JSON, **kwargs: Any) -> Reply:
        return self._send_form({"payload": json.dumps(payload)}, **kwargs)

    def _send_json(self, body: JSON, **kwargs: Any) -> Reply:
        return self._send(json.dumps(body).encode(), "application/json", **kwargs)

    # ---- slash commands

    def command(
        self,
        command: str,
        *,
        user: str,
        text: str = "",
        channel: str = "C0GENERAL",
        trigger_id: str | None = None,
        retry_num: int | None = None,
        timestamp: int | str | None = None,
        signing_secret: str | None = None,
    ) -> Reply:
        """A slash command as Slack posts it. Note: Bolt parses any form body containing ``payload`` as
        interactivity, so ``text="fix payload bug"`` does not reach a command listener."""
        response_url = self.fake.new_response_url(user=user, channel=channel)
        trigger = trigger_id or self.fake.new_trigger_id()
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": self.team_id,
            "team_domain": self.fake.team_domain,
            "channel_id": channel,
            "channel_name": channel_name(channel),
            "user_id": user,
            "user_name": self._user_name(user),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger,
        }
        reply = self._send_form(
            fields, timestamp=timestamp, secret=signing_secret, extra_headers=_retry_headers(retry_num, None)
        )
        if reply.status == 200:
            # Slack shows the command's HTTP answer to the person, as it shows a response_url post.
            self.fake.show_command_answer(response_url, reply.body, reply.headers.get("content-type", ""))
        return _with(reply, response_url=response_url, trigger_id=trigger)

    # ---- interactivity

    def block_action(
        self,
        *,
        user: str,
        action_id: str,
        value: str | None = None,
        block_id: str = "b",
        message: Message | None = None,
        channel: str | None = None,
        trigger_id: str | None = None,
        view: JSON | None = None,
        text: str | None = None,
    ) -> Reply:
        """A button click. ``message`` (a fake Message) or ``view`` (a fake view) is where the button sits."""
        action = button_action(action_id, block_id, value, text)
        return self.element_action(
            action, user=user, message=message, channel=channel, trigger_id=trigger_id, view=view
        )

    def element_action(
        self,
        action: JSON,
        *,
        user: str,
        message: Message | None = None,
        channel: str | None = None,
        trigger_id: str | None = None,
        view: JSON | None = None,
    ) -> Reply:
        """A ``block_actions`` request for one element's ``action`` (a button, an option picked…)."""
        channel = channel or (message.channel if message else None)
        trigger = trigger_id or self.fake.new_trigger_id()
        payload: JSON = {
            **self._interaction_base("block_actions", user, trigger),
            "container": container(message, view, channel),
            "state": {"values": {}},
            "actions": [action],
        }
        response_url = None
        if view is not None:
            # Actions inside modals and the Home tab carry the view and no response_url.
            payload["view"] = view
        else:
            response_url = self.fake.new_response_url(user=user, channel=channel, message=message)
            payload["response_url"] = response_url
        if channel:
            payload["channel"] = {"id": channel, "name": channel_name(channel)}
        if message is not None and not message.ephemeral:
            # Slack does not echo the message for clicks on ephemeral messages.
            payload["message"] = self._message_payload(message)
        return _with(self._send_payload(payload), response_url=response_url, trigger_id=trigger)

    def click(self, message: Message, label_substring: str, *, user: str) -> Reply:
        """Click the button whose label contains ``label_substring`` (case-insensitive) in ``message``."""
        button = message.button(label_substring)
        return self.block_action(
            user=user,
            action_id=button.get("action_id", ""),
            value=button.get("value"),
            block_id=block_id_of(message.blocks, button),
            message=message,
            text=button.get("text", {}).get("text"),
        )

    def choose(self, message: Message, option_label: str, *, user: str) -> Reply:
        """Pick the option whose label contains ``option_label`` from the message's one static_select."""
        menus = [
            element
            for block in message.blocks
            for element in [*(block.get("elements") or []), block.get("accessory") or {}]
            if element.get("type") == "static_select"
        ]
        assert len(menus) == 1, f"expected one menu in message {message.ts}, found {len(menus)}"
        menu = menus[0]
        wanted = option_label.casefold()
        options = [o for o in menu["options"] if wanted in o["text"]["text"].casefold()]
        assert options, f"no option {option_label!r}; options: {[o['text']['text'] for o in menu['options']]}"
        trigger = self.fake.new_trigger_id()
        response_url = self.fake.new_response_url(user=user, channel=message.channel, message=message)
        action: JSON = {
            "type": "static_select",
            "action_id": menu["action_id"],
            "block_id": block_id_of(message.blocks, menu),
            "selected_option": options[0],
            "placeholder": menu.get("placeholder"),
            "action_ts": f"{time.time():.6f}",
        }
        payload: JSON = {
            **self._interaction_base("block_actions", user, trigger),
            "container": container(message, None, message.channel),
            "state": {"values": {}},
            "actions": [action],
            "response_url": response_url,
            "channel": {"id": message.channel, "name": channel_name(message.channel)},
            "message": self._message_payload(message),
        }
        return _with(self._send_payload(payload), response_url=response_url, trigger_id=trigger)

    def view_submission(self, view: JSON, *, user: str, values: dict[str, dict[str, JSON]]) -> Reply:
        """Submit ``view`` (as returned by the fake) with raw ``state.values``."""
        trigger = self.fake.new_trigger_id()
        payload: JSON = {
            **self._interaction_base("view_submission", user, trigger),
            "view": {**view, "state": {"values": values}},
            "response_urls": [],
        }
        if self._home_team(user) != self.team_id:
            # A form a Slack Connect user submits may name their own workspace in ``team``; only
            # ``view.app_installed_team_id`` then names the installation (as Bolt's extract_team_id notes).
            payload["team"] = {"id": self._home_team(user), "domain": self._home_team(user).lower()}
        return _with(self._send_payload(payload), trigger_id=trigger)

    def submit_view(self, view: JSON, *, user: str, fields: dict[str, str | list[str]]) -> Reply:
        """Fill the input blocks named in ``fields`` (by block_id) and submit, as the Slack client would.

        Unnamed inputs keep their initial value. Like the client, this refuses to submit when a required
        input is empty or a field names no input block.
        """
        return self.view_submission(view, user=user, values=state_values(view, fields))

    # ---- shortcuts

    def message_shortcut(self, message: Message, *, user: str, callback_id: str) -> Reply:
        """A message shortcut (the message's "More actions" menu), posted as ``message_action``.

        The payload carries the whole message, as Slack sends it, and a response_url.
        """
        trigger = self.fake.new_trigger_id()
        response_url = self.fake.new_response_url(user=user, channel=message.channel)
        written = person_message_payload(message, team_id=self.team_id) if message.author else None
        payload: JSON = {
            **self._interaction_base("message_action", user, trigger),
            "callback_id": callback_id,
            "action_ts": f"{time.time():.6f}",
            "channel": {"id": message.channel, "name": channel_name(message.channel)},
            "message_ts": message.ts,
            "message": written or self._message_payload(message),
            "response_url": response_url,
        }
        return _with(self._send_payload(payload), response_url=response_url, trigger_id=trigger)

    def global_shortcut(self, *, user: str, callback_id: str) -> Reply:
        """A global shortcut (from the composer or search), posted as ``shortcut``: no channel, no message."""
        trigger = self.fake.new_trigger_id()
        payload: JSON = {
            **self._interaction_base("shortcut", user, trigger),
            "callback_id": callback_id,
            "action_ts": f"{time.time():.6f}",
        }
        return _with(self._send_payload(payload), trigger_id=trigger)

    def _interaction_base(self, kind: str, user: str, trigger_id: str | None) -> JSON:
        base: JSON = {
            "type": kind,
            "token": VERIFICATION_TOKEN,
            "api_app_id": APP_ID,
            "team": {"id": self.team_id, "domain": self.fake.team_domain},
            # A Slack Connect user's payloads name the workspace of the app's installation in
            # ``team`` and their own organisation in ``user.team_id``.
            "user": {"id": user, "username": self._user_name(user), "name": self._user_name(user),
                     "team_id": self._home_team(user)},
            "enterprise": None,
            "is_enterprise_install": False,
        }  # fmt: skip
        if trigger_id is not None:
            base["trigger_id"] = trigger_id
        return base

    def _message_payload(self, message: Message) -> JSON:
        return {
            "type": "message",
            "ts": message.ts,
            "text": message.text,
            "blocks": message.blocks,
            "user": self.fake.bot_user_id,
            "bot_id": self.fake.bot_id,
            "app_id": APP_ID,
            "team": self.team_id,
            **({"thread_ts": message.thread_ts} if message.thread_ts else {}),
        }

    # ---- events

    def event(
        self,
        event: JSON,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        event_time: int | None = None,
    ) -> Reply:
        """An Events API ``event_callback``; reuse ``event_id`` (and ``event_time``) with ``retry_num``
        to replay a retry."""
        event_id = event_id or f"Ev{next(self._ids):08d}{int(time.time())}"
        body: JSON = {
            "token": VERIFICATION_TOKEN,
            "team_id": self.team_id,
            "api_app_id": APP_ID,
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()) if event_time is None else event_time,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.fake.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-fake-{event_id}",
        }
        reply = self._send_json(body, extra_headers=_retry_headers(retry_num, retry_reason))
        return _with(reply, event_id=event_id)

    def url_verification(self, challenge: str) -> Reply:
        body = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
        return self._send_json(body)

    # ---- what the user saw

    def ephemerals_to(self, user: str) -> list[Message]:
        """Ephemerals ``user`` saw, in order: command answers, response_url posts, chat.postEphemeral."""
        return self.fake.ephemerals_to(user)

    def _home_team(self, user_id: str) -> str:
        known = self.fake.user(user_id)
        return (known.home_team if known else None) or self.team_id

    def _user_name(self, user_id: str) -> str:
        known = self.fake.user(user_id)
        return known.name if known else user_id.lower()


def _retry_headers(retry_num: int | None, reason: str | None) -> dict[str, str]:
    if retry_num is None:
        return {}
    return {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": reason or "http_timeout"}


def _reply(status: int, raw: bytes, headers: dict[str, str]) -> Reply:
    body = raw.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = None
    return Reply(status=status, body=body, json=parsed, headers={k.lower(): v for k, v in headers.items()})


def _with(reply: Reply, **extra: Any) -> Reply:
    return dataclasses.replace(reply, **extra)
