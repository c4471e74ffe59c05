"""A fake Slack Web API served over real HTTP on loopback, for tests.

Real HTTP (rather than mocking WebClient) means the app's own slack_sdk client, retry handlers and Bolt's
``respond()`` all run for real: JSON vs form bodies, auth headers and 429/5xx handling work as in production.

The fake is deliberately *less* kind than a typical mock:

* every call is checked against the Slack API reference in ``slack_api_ref/`` (unknown or missing
  arguments fail with ``invalid_arguments`` and are recorded in ``contract_violations``);
* Block Kit limits that Slack enforces are enforced here (``invalid_blocks`` / ``invalid_arguments``);
* DMs need a known user, ``chat.update`` needs the real channel id, trigger ids are single-use and expire;
* every call is made in the workspace of its token (``add_workspace`` adds more); an unknown or revoked
  token gets ``invalid_auth``, an expired one ``token_expired``; ``oauth.v2.access`` installs the app
  and refreshes rotating tokens (``oauth_grants``).
* ``apps.connections.open`` takes the app-level token (``app_token``, xapp-…) and nothing else takes it
  (``not_allowed_token_type``, either way round); it hands out the URL of the Socket Mode server given
  with ``serve_socket_mode``.

This module holds the FakeSlack itself: server lifecycle, setup and the HTTP entry points. What tests read
back from it lives in ``slack_inspection``, the methods it answers in ``web_api_methods`` (and
``chat_methods``, ``view_methods``, ``response_urls``), the checks in ``slack_contract`` and
``block_kit_limits``.

Typical use::

    with FakeSlack() as fake:
        fake.add_user("U1", name="alice")
        client = WebClient(base_url=fake.api_url, token=fake.bot_token)
        client.chat_postMessage(channel="U1", text="hi")
        assert fake.last_message_to("U1").text == "hi"
        assert fake.contract_violations == []
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from zoneinfo import ZoneInfo

from bot.playground.slack.file_methods import receive_upload
from bot.playground.slack.injected_failures import Failure, FailureQueue, HeldCalls, Hold, RandomFailures
from bot.playground.slack.loopback_server import LoopbackServer
from bot.playground.slack.oauth_grants import OAuthGrants
from bot.playground.slack.people_messages import post_as_person
from bot.playground.slack.rate_limits import RateLimits
from bot.playground.slack.response_urls import Refused, post_to_response_url, show_command_answer
from bot.playground.slack.slack_contract import check_contract, load_spec
from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_inspection import SlackInspection
from bot.playground.slack.slack_records import JSON, Call, FakeUser, Message
from bot.playground.slack.slack_workspace import APP_ID, ResponseUrl, Workspace
from bot.playground.slack.view_methods import answer_submission
from bot.playground.slack.web_api_args import args_for_record, decode_json_args, parse_args
from bot.playground.slack.web_api_methods import METHODS

__all__ = ["Call", "FakeSlack", "FakeUser", "Message"]

DEFAULT_SCOPES = "commands,chat:write,files:write,im:history,im:write,users:read"
TRIGGER_TTL_SECONDS = 3.0  # Slack: a trigger_id expires 3 s after it was issued.


class FakeSlack(SlackInspection):
    """Fake Slack Web API + response_url endpoint. Thread-safe; all state sits behind one lock."""

    def __init__(
        self,
        *,
        team_id: str = "T0TEAM",
        team_domain: str = "handoff-test",
        bot_user_id: str = "UBOT",
        bot_id: str = "B0BOT",
        bot_token: str = "xoxb-test-token",
        app_token: str = "xapp-1-A0HANDOFF-1-test",
        scopes: str = DEFAULT_SCOPES,
        strict: bool = True,
        team_name: str = "Handoff Test",
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_token = bot_token
        self.app_token = app_token
        self.socket_mode_urls: Callable[[], str] | None = None
        self.scopes = scopes
        self.strict = strict
        self.trigger_ttl = TRIGGER_TTL_SECONDS
        self._lock = threading.RLock()
        self._server: LoopbackServer | None = None
        self._workspace = Workspace(team=self)
        # Other workspaces (``add_workspace``) share this one's server, lock, records and tokens.
        self._root: FakeSlack | None = None
        self._teams: dict[str, FakeSlack] = {}
        self._forget_calls()
        self.add_user(bot_user_id, name="handoff", is_bot=True)

    def _forget_calls(self) -> None:
        self._calls: list[Call] = []
        self._violations: list[str] = []
        self._failures = FailureQueue()
        self._random_failures = RandomFailures()
        self._holds = HeldCalls()
        self._rate_limits = RateLimits()
        self.grants = OAuthGrants()
        self.grants.add_token(self.bot_token, self.team_id)
        self._teams = {}

    # ---- lifecycle

    def start(self) -> FakeSlack:
        self._server = LoopbackServer(self)
        self._server.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._root is not None:
            return self._root.base_url
        if self._server is None:
            raise RuntimeError("FakeSlack is not started; call start() or use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """For ``WebClient(base_url=...)``: slack_sdk appends the method name, so the slash matters."""
        return self.base_url + "/api/"

    # ---- setup

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        tz: str = "America/New_York",
        tz_offset: int | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        is_restricted: bool = False,
        is_ultra_restricted: bool = False,
        is_admin: bool = False,
        is_owner: bool = False,
        home_team: str | None = None,
    ) -> FakeUser:
        """Someone the bot can see in this workspace. Guests are ``is_restricted`` (multi-channel) and
        also ``is_ultra_restricted`` (single-channel); a Slack Connect user from another organisation
        has a ``home_team``, which ``users.info`` and their interaction payloads' ``user.team_id`` name."""
        if tz_offset is None:
            offset = datetime.now(UTC).astimezone(ZoneInfo(tz)).utcoffset()
            tz_offset = int(offset.total_seconds()) if offset is not None else 0
        user = FakeUser(
            id=user_id,
            name=name or user_id.lower(),
            tz=tz,
            tz_offset=tz_offset,
            is_bot=is_bot,
            deleted=deleted,
            is_restricted=is_restricted,
            is_ultra_restricted=is_ultra_restricted,
            is_admin=is_admin,
            is_owner=is_owner,
            home_team=home_team,
        )
        with self._lock:
            self._workspace.users[user_id] = user
        return user

    def add_channel(self, channel: str, *, members: list[str], bot_member: bool = True) -> None:
        """A channel with these people in it, and the bot too unless ``bot_member`` is False."""
        with self._lock:
            bot = [self.bot_user_id] if bot_member else []
            self._workspace.channels[channel] = [*members, *bot]

    def add_message(
        self,
        channel: str,
        *,
        user: str,
        text: str = "",
        blocks: list[JSON] | None = None,
        files: list[JSON] | None = None,
    ) -> Message:
        """A message ``user`` wrote in ``channel``: for a message shortcut on it and its permalink."""
        with self._lock:
            return post_as_person(
                self._workspace, channel, user=user, text=text, blocks=blocks or [], files=files or []
            )

    def user(self, user_id: str) -> FakeUser | None:
        with self._lock:
            return self._workspace.users.get(user_id)

    def new_response_url(
        self, *, user: str | None = None, channel: str | None = None, message: Message | None = None
    ) -> str:
        """A response_url; ``user`` and ``message`` say whose ephemerals it carries and what it replaces."""
        with self._lock:
            url = f"{self.base_url}/response/{self._workspace.next_id()}"
            self._workspace.response_urls[url] = ResponseUrl(user=user, channel=channel, message=message)
            return url

    def new_trigger_id(self) -> str:
        """A trigger_id that expires ``trigger_ttl`` seconds from now, like Slack's."""
        with self._lock:
            trigger_id = f"{self._workspace.next_id()}.{int(time.time())}.{secrets.token_hex(16)}"
            self._workspace.triggers[trigger_id] = time.monotonic()
            return trigger_id

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        Without ``error``: HTTP ``status`` (429 carries ``Retry-After``). With ``error``: HTTP 200 and
        ``{"ok": false, "error": error}``. ``method`` may also be ``"response_url"``.
        """
        with self._lock:
            failure = Failure(status=status, retry_after=retry_after, error=error)
            self._failures.add(method, failure, times=times)

    def fail_randomly(
        self, *methods: str, share: float, statuses: tuple[int, ...] = (429, 500), seed: int = 0
    ) -> None:
        """From now on, ``share`` of the calls of ``methods`` fail with one of ``statuses``.

        A 429 carries Retry-After: 1. ``share=0`` ends it.
        """
        with self._lock:
            failures = [Failure(status=status, retry_after=1, error=None) for status in statuses]
            self._random_failures.set(methods, share=share, failures=failures, seed=seed)

    def hold_next(self, method: str) -> Hold:
        """Slack being slow: the next call of ``method`` waits until the test sets ``hold.release``."""
        return self._holds.add(method)

    def serve_socket_mode(self, issue_url: Callable[[], str] | None) -> None:
        """``apps.connections.open`` answers ``issue_url()``: a Socket Mode server's URL, one per call."""
        with self._lock:
            self.socket_mode_urls = issue_url

    def rate_limit(self, method: str, *, per_second: int | None) -> None:
        """Answer 429 (with ``Retry-After``) to calls of ``method`` above ``per_second`` per workspace."""
        with self._lock:
            self._rate_limits.limit(method, per_second)

    def reset(self) -> None:
        """Forget calls, messages, views, failures and violations; keep users and opened IMs.

        Workspaces added with ``add_workspace`` and the tokens handed out are forgotten too."""
        with self._lock:
            if self._root is None:
                self._forget_calls()
            self._workspace.forget_activity()

    @property
    def contract_checks_enabled(self) -> bool:
        """False when strict mode is off; Block Kit is checked anyway."""
        return self.strict

    # ---- many workspaces, OAuth and token rotation

    def add_workspace(
        self,
        team_id: str,
        *,
        team_name: str | None = None,
        bot_user_id: str | None = None,
        bot_id: str | None = None,
        bot_token: str | None = None,
        scopes: str | None = None,
    ) -> FakeSlack:
        """Another workspace with the app in it: its own users, channels, messages, views and bot.

        Returns its handle, a FakeSlack of its own for setup (``add_user``…) and for reading what
        that workspace got (``messages_to``, ``calls``: its calls only). Every call is made in the
        workspace of its token: ``bot_token`` (by default ``xoxb-<team>-token``) or one that
        ``oauth.v2.access`` handed out. Forgotten at ``reset()``.
        """
        root = self._root or self
        suffix = team_id.removeprefix("T")
        team = FakeSlack(
            team_id=team_id,
            team_domain=team_id.lower(),
            team_name=team_name or f"Workspace {team_id}",
            bot_user_id=bot_user_id or f"UBOT{suffix}",
            bot_id=bot_id or f"B0BOT{suffix}",
            bot_token=bot_token or f"xoxb-{team_id}-token",
            scopes=scopes or root.scopes,
            strict=root.strict,
        )
        with root._lock:
            team._share(root)
            root._teams[team_id] = team
            root.grants.add_token(team.bot_token, team_id)
        return team

    def workspace(self, team_id: str) -> FakeSlack:
        """The handle of a workspace: this one or one added with ``add_workspace``."""
        root = self._root or self
        if team_id == root.team_id:
            return root
        with root._lock:
            if team_id not in root._teams:
                raise AssertionError(f"no workspace {team_id}; add it with add_workspace")
            return root._teams[team_id]

    def issue_oauth_code(self, team_id: str, installer_user_id: str) -> str:
        """The ``code`` Slack sends to the redirect URL once ``installer_user_id`` allowed the install."""
        self.workspace(team_id)
        with self._lock:
            return self.grants.issue_code(team_id, installer_user_id)

    def expire_token(self, team_id: str) -> list[str]:
        """The workspace's tokens expire now: calls with them get ``token_expired``. Returns them."""
        with self._lock:
            return self.grants.expire(team_id)

    def revoke_tokens(self, team_id: str) -> None:
        """The workspace's tokens are revoked (``invalid_auth``), as when the app is uninstalled."""
        with self._lock:
            self.grants.revoke(team_id)

    @property
    def token_rotation(self) -> bool:
        """Slack's token rotation setting: installs hand out expiring tokens and refresh tokens."""
        return self.grants.rotate_tokens

    @token_rotation.setter
    def token_rotation(self, on: bool) -> None:
        self.grants.rotate_tokens = on

    def tokens_of(self, team_id: str) -> list[str]:
        """Every token the workspace was given, oldest first (expired and revoked ones too)."""
        with self._lock:
            return [token for token, grant in self.grants.tokens.items() if grant.team_id == team_id]

    def _share(self, root: FakeSlack) -> None:
        """Speak through ``root``: its server, lock, call records, injected failures and tokens."""
        self._root = root
        self._lock = root._lock
        self._calls = root._calls
        self._violations = root._violations
        self._failures = root._failures
        self._random_failures = root._random_failures
        self._holds = root._holds
        self._rate_limits = root._rate_limits
        self.grants = root.grants
        # Slack's response URLs, file and view ids are unique across workspaces: one counter for all.
        self._workspace.share_ids(root._workspace)

    def _sees(self, call: Call) -> bool:
        # The first workspace sees every call, as before there were others; an added one its own.
        return self._root is None or call.team == self.team_id

    def _team_of_token(self, token: str) -> FakeSlack:
        return self.workspace(self.grants.team_of(token))

    def _oauth_v2_access(self, args: JSON, authorization: str) -> tuple[JSON, FakeSlack]:
        installed = self.grants.exchange(args, authorization)
        team = self.workspace(installed.team_id)
        body: JSON = {
            "ok": True,
            "app_id": APP_ID,
            "access_token": installed.access_token,
            "token_type": "bot",
            "scope": team.scopes,
            "bot_user_id": team.bot_user_id,
            "team": {"id": team.team_id, "name": team.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if installed.installer is not None:
            body["authed_user"] = {"id": installed.installer}
        if installed.refresh_token is not None:
            body.update(refresh_token=installed.refresh_token, expires_in=installed.expires_in)
        return body, team

    # ---- HTTP entry points (called from server threads)

    def handle_api(
        self, method: str, *, content_type: str, body: bytes, query: str, authorization: str
    ) -> tuple[int, JSON, dict[str, str]]:
        """Answer one Web API call: (HTTP status, JSON body, extra headers)."""
        hold = self._holds.take(method)
        if hold is not None and not hold.wait():
            with self._lock:
                self._violations.append(f"{method}: held call never released (did the app wait for it?)")
        with self._lock:
            failure = self._failures.take(method) or self._random_failures.take(method)
            if failure is not None:
                return self._answer_failure(method, failure, args_for_record(content_type, body, query))
            if (
                limited := self._rate_limited(method, args_for_record(content_type, body, query))
            ) is not None:
                return limited
            args: JSON = {}
            token = _token_of(authorization)
            team: FakeSlack | None = None
            try:
                if method not in METHODS and method != OAUTH_ACCESS:
                    raise SlackError("unknown_method")
                args = decode_json_args(parse_args(content_type, body, query))
                token = token or args.get("token")
                response, team = self._dispatch(method, args, authorization)
            except SlackError as err:
                args = args or args_for_record(content_type, body, query)
                response = err.body()
                if err.violation:
                    self._violations.append(f"{method}: {err.violation}")
            except Exception:
                # A bug in the fake must fail the test loudly, not look like a Slack answer.
                self._violations.append(f"{method}: FAKE SLACK BUG\n{traceback.format_exc()}")
                self._calls.append(Call(method, args, 500, "fake_slack_bug"))
                return 500, {"ok": False, "error": "fake_slack_bug"}, {}
            recorded = {k: v for k, v in args.items() if k not in ("token", "client_secret")}
            team_id = team.team_id if team is not None else None
            self._calls.append(Call(method, recorded, 200, response.get("error"), team_id, token))
            # Real Slack sends the granted scopes on every Web API answer; Bolt reads them after auth.test.
            return 200, response, {"x-oauth-scopes": (team or self).scopes}

    def handle_response_url(self, url: str, body: bytes) -> tuple[int, str, dict[str, str]]:
        """Answer a POST to a response_url as Slack does: 200 "ok", or an error status and a short text."""
        with self._lock:
            failure = self._failures.take("response_url")
            if failure is not None:
                self._calls.append(Call("response_url", {"url": url}, failure.status, failure.error))
                return failure.status, failure.error or "fake_failure", failure.api_answer()[2]
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                payload = None
            status, text = self._holder_of_response_url(url)._post_to_response_url(url, payload)
            args = {**payload, "url": url} if isinstance(payload, dict) else {"url": url}
            self._calls.append(Call("response_url", args, status, None if status == 200 else text))
            return status, text, {}

    def handle_upload(self, file_id: str, body: bytes) -> tuple[int, str, dict[str, str]]:
        """Answer the POST of a file's bytes to an upload URL; ``fail_next("upload")`` fails it."""
        with self._lock:
            failure = self._failures.take("upload")
            if failure is not None:
                self._calls.append(Call("upload", {"file_id": file_id}, failure.status, failure.error))
                status, body_json, headers = failure.api_answer()
                return status, str(body_json.get("error")), headers
            holder = next((t for t in self._teams.values() if file_id in t._workspace.uploads), self)
            status, text = receive_upload(holder._workspace, file_id, body)
            error = None if status == 200 else text
            self._calls.append(Call("upload", {"file_id": file_id, "length": len(body)}, status, error))
            return status, text, {}

    def show_command_answer(self, response_url: str, body: str, content_type: str) -> None:
        """Show a command's HTTP 200 answer as Slack does; not a call. A refused one is a violation."""
        with self._lock:
            try:
                show_command_answer(self._workspace, response_url, body, content_type)
            except Refused as refused:
                self._violations.append(f"command answer: {refused.violation or refused.text}")

    def answer_submission(self, view_id: str, answer: JSON) -> JSON | None:
        """Apply a modal's answer to its submission as Slack does; the view it then shows, if any."""
        with self._lock:
            return answer_submission(self._workspace, view_id, answer)

    # ---- dispatch

    def _rate_limited(self, method: str, args: JSON) -> tuple[int, JSON, dict[str, str]] | None:
        retry_after = self._rate_limits.retry_after(str(args.get("team_id") or self.team_id), method)
        limited = None if retry_after is None else Failure(status=429, retry_after=retry_after, error=None)
        return None if limited is None else self._answer_failure(method, limited, args)

    def _answer_failure(self, method: str, failure: Failure, args: JSON) -> tuple[int, JSON, dict[str, str]]:
        status, body, headers = failure.api_answer()
        self._calls.append(Call(method, args, status, body["error"]))
        return status, body, headers

    def _dispatch(self, method: str, args: JSON, authorization: str) -> tuple[JSON, FakeSlack | None]:
        if method == OAUTH_ACCESS:  # authenticated by the app's client id and secret, not a token
            if self.contract_checks_enabled:
                check_contract(method, args, load_spec(method))
            return self._oauth_v2_access(args, authorization)
        if method == CONNECTIONS_OPEN:  # the app's own token, not a workspace's
            self._authenticate_app(args, authorization)
            if self.contract_checks_enabled:
                check_contract(method, args, load_spec(method))
            return METHODS[method](self._workspace, args), None
        team = self._authenticate(args, authorization)
        if self.contract_checks_enabled:
            check_contract(method, args, load_spec(method))
        return METHODS[method](team._workspace, args), team

    def _authenticate(self, args: JSON, authorization: str) -> FakeSlack:
        """The workspace the call's token speaks for."""
        # slack_sdk moves the token into the Authorization header; Slack also accepts a form field.
        token = _token_of(authorization) or args.get("token")
        if not token:
            raise SlackError("not_authed")
        if str(token).startswith("xapp-"):  # an app-level token opens Socket Mode connections only
            raise SlackError("not_allowed_token_type")
        return self._team_of_token(str(token))

    def _authenticate_app(self, args: JSON, authorization: str) -> None:
        """``apps.connections.open`` takes the app-level token and no workspace's."""
        token = _token_of(authorization) or args.get("token")
        if not token:
            raise SlackError("not_authed")
        if not str(token).startswith("xapp-"):
            raise SlackError("not_allowed_token_type")
        if token != (self._root or self).app_token:
            raise SlackError("invalid_auth")

    def _holder_of_response_url(self, url: str) -> FakeSlack:
        return next((t for t in self._teams.values() if url in t._workspace.response_urls), self)

    def _post_to_response_url(self, url: str, payload: object) -> tuple[int, str]:
        try:
            post_to_response_url(self._workspace, url, payload)
        except Refused as refused:
            if refused.violation:
                self._violations.append(f"response_url: {refused.violation}")
            return refused.status, refused.text
        return 200, "ok"


OAUTH_ACCESS = "oauth.v2.access"
CONNECTIONS_OPEN = "apps.connections.open"


def _token_of(authorization: str) -> str | None:
    """The bearer token of an Authorization header (a Basic one carries the client id instead)."""
    if authorization.startswith("Bearer "):
        return authorization.removeprefix("Bearer ").strip() or None
    return None
