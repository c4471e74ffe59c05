"""Installing the bot into a workspace: Bolt's OAuth flow at ``/slack/install`` and ``/slack/oauth_redirect``.

``/slack/install`` sends the browser to Slack's consent page with a one-time state (kept in
the database for ten minutes, and in a cookie, so the answer must come back to the browser
that asked). Slack sends it back to ``/slack/oauth_redirect`` with a code, which Bolt
exchanges (``oauth.v2.access``) for the workspace's bot token and saves in the installation
store. The workspace is then recorded as installed, by the person who installed it: they may
change its settings later, as its admins may.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.oauth import RedirectUriPageRenderer
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.services.runtime import Runtime
from bot.slack.installations import ROTATE_BEFORE_MINUTES, HandoffInstallationStore, InstalledBotTokens
from storage import workspaces

logger = logging.getLogger(__name__)

# What the bot asks each workspace for; manifest.yml declares the same (a test holds them equal).
BOT_SCOPES = ("commands", "chat:write", "files:write", "im:history", "im:write", "users:read")
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_EXPIRES = 600  # seconds from /slack/install to Slack's redirect back

FAILURES = {
    "access_denied": "The install was cancelled in Slack, so nothing was installed.",
    "invalid_browser": "This install was started in another browser, or its cookie was lost.",
    "invalid_state": "This install link has expired or was already used.",
    "missing_code": "Slack did not send the install's code back.",
    "invalid_code": "Slack did not accept the install's code.",
    "storage_error": "The installation could not be saved.",
}


class InstallPages(RedirectUriPageRenderer):
    """The page after an install: what to do next, or what went wrong and how to try again."""

    def render_success_page(
        self,
        app_id: str,
        team_id: str | None,
        is_enterprise_install: bool | None = None,
        enterprise_url: str | None = None,
    ) -> str:
        slack_url = f"slack://app?team={team_id}&id={app_id}" if team_id and app_id else "slack://open"
        return _page(
            "Handoff is installed",
            "Next, in Slack, type <code>/delegate help</code> to see how to hand a task to someone."
            f' <a href="{html.escape(slack_url)}">Open Slack</a>.',
        )

    def render_failure_page(self, reason: str) -> str:
        # Bolt's reasons start with a code: "invalid_state: The state parameter is no longer valid."
        what = FAILURES.get(reason.split(":")[0], "Slack did not finish the install.")
        return _page(
            "Handoff was not installed",
            f'{html.escape(what)} <a href="{html.escape(self.install_path)}">Start the install again</a>.'
            f" (reason: {html.escape(reason)})",
        )


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f'<body style="font-family: sans-serif; padding: 2em"><h2>{html.escape(title)}</h2>'
        f"<p>{body}</p></body></html>"
    )


def oauth_settings(rt: Runtime, tokens: InstalledBotTokens) -> OAuthSettings:
    """Bolt's OAuth flow on the bot's database, recording each workspace it installs into."""
    settings = rt.settings
    assert settings.slack_client_id and settings.slack_client_secret
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        installation_store=HandoffInstallationStore(tokens),
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRES, engine=rt.db.engine),
        state_expiration_seconds=STATE_EXPIRES,
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,  # straight to Slack's consent page
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(success=_recorder(rt), failure=_failed),
    )
    # The flow builds its pages' default answers from this renderer when the App is built.
    pages = InstallPages(install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH)
    oauth.redirect_uri_page_renderer = pages
    return oauth


def authorize(oauth: OAuthSettings, client: WebClient) -> InstallationStoreAuthorize:
    """Bolt's authorize for requests from installed workspaces, calling Slack where ``client`` does
    (``SLACK_API_URL``); the bot's token and identity for a workspace are asked of Slack once."""
    assert oauth.client_id and oauth.client_secret
    return InstallationStoreAuthorize(
        logger=logger,
        installation_store=oauth.installation_store,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        bot_only=True,
        cache_enabled=True,  # auth.test once per token, not once per request
        client=client,
    )


def _recorder(rt: Runtime) -> Callable[[SuccessArgs], BoltResponse]:
    def installed(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        team_id = installation.team_id
        if team_id is None:  # an organisation-wide install: Bolt saved it, the bot cannot serve it
            return args.default.failure(
                FailureArgs(
                    request=args.request,
                    reason="org_install_not_supported",
                    suggested_status_code=400,
                    settings=args.settings,
                    default=args.default,
                )
            )
        with rt.db.session_scope() as session:
            workspaces.record_installed(
                session,
                team_id=team_id,
                team_name=installation.team_name,
                installed_by=installation.user_id,
                now=rt.clock(),
            )
        logger.info("installed", extra={"team": team_id, "user": installation.user_id})
        return args.default.success(args)

    return installed


def _failed(args: FailureArgs) -> BoltResponse:
    logger.info("install failed", extra={"reason": args.reason, "status": args.suggested_status_code})
    return args.default.failure(args)
