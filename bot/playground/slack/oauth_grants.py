"""The fake's tokens and its ``oauth.v2.access``: which workspace each token speaks for, whether it
still works, and installs and refreshes as Slack hands them out.

* A bot token belongs to one workspace; a Web API call is made in the workspace of its token.
  Unknown or revoked tokens get ``invalid_auth``, an expired rotating token ``token_expired``.
* ``oauth.v2.access`` with a ``code`` the fake issued installs the bot (the response Slack sends);
  with token rotation on it hands out an expiring ``xoxe.xoxb-…`` token and a ``xoxe-1-…`` refresh
  token. ``grant_type=refresh_token`` spends the refresh token (Slack revokes it once used) and
  hands out a new pair; the old access token keeps working until it expires, as in Slack.
* The client id and secret come as HTTP Basic credentials (slack_sdk) or as form fields.

Not thread-safe on its own: FakeSlack holds its lock around every use.
"""

from __future__ import annotations

import base64
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_records import JSON

CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "fake-client-secret"
TOKEN_LIFETIME = 43200  # seconds: Slack's rotating tokens last 12 hours


@dataclass
class Grant:
    """A bot token: the workspace it speaks for, until when (None: for ever), and whether it was revoked."""

    team_id: str
    expires_at: float | None = None
    revoked: bool = False


@dataclass
class Code:
    team_id: str
    installer: str
    used: bool = False


@dataclass(frozen=True)
class Installed:
    """What an exchange handed out, for the answer to be built from the workspace it names."""

    team_id: str
    access_token: str
    installer: str | None
    refresh_token: str | None
    expires_in: int | None


class OAuthGrants:
    """Every token the fake knows, the codes it issued and the refresh tokens not yet spent."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.rotate_tokens = False  # Slack's "token rotation" app setting
        self.token_lifetime = TOKEN_LIFETIME
        self.tokens: dict[str, Grant] = {}
        self.codes: dict[str, Code] = {}
        self.refresh_tokens: dict[str, str] = {}  # unspent refresh token -> team id
        self._serial = itertools.count(1)

    def add_token(self, token: str, team_id: str, *, expires_in: int | None = None) -> None:
        expires_at = None if expires_in is None else self.clock() + expires_in
        self.tokens[token] = Grant(team_id=team_id, expires_at=expires_at)

    def team_of(self, token: str) -> str:
        """The workspace ``token`` speaks for, or Slack's error for a token that does not work."""
        grant = self.tokens.get(token)
        if grant is None or grant.revoked:
            raise SlackError("invalid_auth")
        if grant.expires_at is not None and grant.expires_at <= self.clock():
            raise SlackError("token_expired")
        return grant.team_id

    def expire(self, team_id: str) -> list[str]:
        """Every token of the workspace stops working as expired (``token_expired``); returns them."""
        expired = [token for token, grant in self.tokens.items() if grant.team_id == team_id]
        for token in expired:
            self.tokens[token].expires_at = self.clock()
        return expired

    def revoke(self, team_id: str) -> None:
        """The workspace's tokens and refresh tokens stop working (``invalid_auth``): an uninstall."""
        for grant in self.tokens.values():
            if grant.team_id == team_id:
                grant.revoked = True
        self.refresh_tokens = {r: t for r, t in self.refresh_tokens.items() if t != team_id}

    def issue_code(self, team_id: str, installer: str) -> str:
        code = f"{next(self._serial)}.{team_id}.fake-code"
        self.codes[code] = Code(team_id=team_id, installer=installer)
        return code

    def exchange(self, args: JSON, authorization: str) -> Installed:
        """``oauth.v2.access``: a code for an installation, or a refresh token for a new token."""
        self._check_client(args, authorization)
        grant_type = str(args.get("grant_type") or "authorization_code")
        if grant_type == "authorization_code":
            code = self.codes.get(str(args.get("code") or ""))
            if code is None or code.used:
                raise SlackError("invalid_code")
            code.used = True
            return self._hand_out(code.team_id, installer=code.installer)
        if grant_type == "refresh_token":
            team_id = self.refresh_tokens.pop(str(args.get("refresh_token") or ""), None)
            if team_id is None:
                raise SlackError("invalid_refresh_token")
            return self._hand_out(team_id, installer=None, rotating=True)
        raise SlackError("invalid_grant_type")

    def _hand_out(self, team_id: str, *, installer: str | None, rotating: bool = False) -> Installed:
        serial = next(self._serial)
        if not (rotating or self.rotate_tokens):
            token = f"xoxb-{team_id}-{serial}"
            self.add_token(token, team_id)
            return Installed(team_id, token, installer, refresh_token=None, expires_in=None)
        token = f"xoxe.xoxb-{team_id}-{serial}"
        refresh = f"xoxe-1-{team_id}-{serial}"
        self.add_token(token, team_id, expires_in=self.token_lifetime)
        self.refresh_tokens[refresh] = team_id
        return Installed(team_id, token, installer, refresh_token=refresh, expires_in=self.token_lifetime)

    def _check_client(self, args: JSON, authorization: str) -> None:
        client_id, client_secret = args.get("client_id"), args.get("client_secret")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization.removeprefix("Basic ").strip()).decode()
            client_id, _, client_secret = decoded.partition(":")
        if client_id != self.client_id:
            raise SlackError("invalid_client_id")
        if client_secret != self.client_secret:
            raise SlackError("bad_client_secret")
