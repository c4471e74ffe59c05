"""The Web API methods the fake answers, by name, and the ones about the team, its users and DMs.

Every handler takes the Workspace and the call's decoded arguments (already checked against the reference)
and returns the JSON answer, or raises SlackError for an ``ok: false`` one.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.playground.slack.channel_methods import conversations_members
from bot.playground.slack.chat_methods import (
    chat_get_permalink,
    chat_post_ephemeral,
    chat_post_message,
    chat_update,
)
from bot.playground.slack.file_methods import files_complete_upload_external, files_get_upload_url_external
from bot.playground.slack.history_methods import conversations_history
from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_records import JSON
from bot.playground.slack.slack_workspace import Workspace, im_channel
from bot.playground.slack.view_methods import views_open, views_publish, views_push, views_update
from bot.playground.slack.web_api_args import present, truthy


def auth_test(ws: Workspace, args: JSON) -> JSON:
    return {
        "ok": True,
        "url": f"https://{ws.team.team_domain}.slack.com/",
        "team": ws.team.team_name,
        "user": ws.users[ws.team.bot_user_id].name,
        "team_id": ws.team.team_id,
        "user_id": ws.team.bot_user_id,
        "bot_id": ws.team.bot_id,
        "is_enterprise_install": False,
    }


def users_info(ws: Workspace, args: JSON) -> JSON:
    user = ws.users.get(args.get("user", ""))
    if user is None:
        raise SlackError("user_not_found")
    body = user.to_api(ws.team.team_id)
    if truthy(args.get("include_locale")):
        body["locale"] = "en-US"
    return {"ok": True, "user": body}


def conversations_open(ws: Workspace, args: JSON) -> JSON:
    if present(args.get("channel")):
        channel = args["channel"]
        if channel not in ws.ims:
            raise SlackError("channel_not_found")
        return {"ok": True, "channel": {"id": channel}}
    users = [u for u in str(args.get("users") or "").split(",") if u]
    if not users:
        raise SlackError("users_list_not_supplied")
    if len(users) > 1:
        raise SlackError("not_supported_by_fake", "[ERROR] the fake only opens 1:1 DMs")
    user = ws.require_user(users[0], deleted_error="user_disabled", missing_error="user_not_found")
    already_open = im_channel(user.id) in ws.ims
    body: JSON = {"ok": True, "channel": {"id": ws.open_im(user)}}
    if already_open:
        body.update(no_op=True, already_open=True)
    if truthy(args.get("return_im")):
        body["channel"].update(created=1700000000, is_im=True, user=user.id, is_open=True)
    return body


def apps_connections_open(ws: Workspace, args: JSON) -> JSON:
    """A Socket Mode WebSocket URL, one per call (Slack's carry a ticket); the app token is checked before."""
    issue_url = ws.team.socket_mode_urls
    if issue_url is None:
        raise SlackError(
            "not_supported_by_fake",
            "[ERROR] no Socket Mode server: give the fake one with serve_socket_mode(issue_url)",
            violation="apps.connections.open called, but no Socket Mode server was given to the fake",
        )
    return {"ok": True, "url": issue_url()}


METHODS: dict[str, Callable[[Workspace, JSON], JSON]] = {
    "apps.connections.open": apps_connections_open,
    "auth.test": auth_test,
    "users.info": users_info,
    "conversations.open": conversations_open,
    "conversations.history": conversations_history,
    "conversations.members": conversations_members,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.getPermalink": chat_get_permalink,
    "views.open": views_open,
    "views.update": views_update,
    "views.push": views_push,
    "views.publish": views_publish,
    "files.getUploadURLExternal": files_get_upload_url_external,
    "files.completeUploadExternal": files_complete_upload_external,
}
