"""Answering the person who acted: in a command's ack, ephemeral via response_url, or a DM."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.services.runtime import Runtime

logger = logging.getLogger(__name__)

Body = dict[str, Any]


def response_url_of(body: Body) -> str | None:
    """Commands and button clicks carry a response_url; modal submissions don't."""
    if body.get("response_url"):
        return str(body["response_url"])
    urls = body.get("response_urls") or []
    return str(urls[0]["response_url"]) if urls else None


def actor_of(body: Body) -> str:
    return str(body.get("user_id") or body.get("user", {}).get("id") or "")


def workspace_in(body: Body) -> str | None:
    """The workspace a request (or a kept payload) acts in: a form names the installation it
    was opened by, which for a guest from another organisation is not their own."""
    view = body.get("view") or {}
    team = body.get("team") or {}
    return view.get("app_installed_team_id") or body.get("team_id") or team.get("id")


def answer_in_ack(ack: Ack, message: dict[str, Any]) -> None:
    """Ack a slash command with its answer: Slack shows the 200's body to the person, privately.

    For work done before the ack. It saves a call to Slack, and the answer is as durable as the
    ack itself: no process can die between the two. Only commands: Slack ignores an action's
    answer and reads a form's as ``response_action``.
    """
    ack(text=message["text"], blocks=message["blocks"], response_type="ephemeral")


def reply(rt: Runtime, body: Body, message: dict[str, Any]) -> None:
    """Tell the person who acted, privately."""
    url = response_url_of(body)
    if url:
        rt.gateway.respond(url, message)
    elif actor_of(body):
        rt.gateway.send_dm(actor_of(body), message, team_id=workspace_in(body))


def courtesy_dm(rt: Runtime, user_id: str, message: dict[str, Any], *, team_id: str) -> None:
    """A receipt for what the person just did, after it is saved.

    The step already happened and the other side has been told through the outbox, so a
    Slack failure here is logged, not reported to the person as if the step had failed.
    """
    try:
        rt.gateway.send_dm(user_id, message, team_id=team_id)
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.warning("receipt to %s not sent: %s", user_id, error)


def courtesy_update(rt: Runtime, channel: str, ts: str, message: dict[str, Any], *, team_id: str) -> None:
    """Replace a clicked message's buttons by what they did; on failure the buttons stay (harmless)."""
    try:
        rt.gateway.update(channel, ts, message, team_id=team_id)
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.warning("clicked message %s not updated: %s", ts, error)
