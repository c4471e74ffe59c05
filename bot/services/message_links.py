"""The link from a task back to the Slack message it was delegated from.

Fetched when the form is submitted, after it closed (see ``bot.slack.message_source``).
The link is a nicety: when Slack won't give one — a private channel or DM the bot is not
in, a message deleted since, Slack away — the task is created without it and the reason
is logged, never shown to anyone as a failure.
"""

from __future__ import annotations

import logging
import re

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.services.runtime import Runtime

logger = logging.getLogger(__name__)

MAX_LINK = 500  # tasks.source_link
# What Slack hands back: an https address, nothing that could end a mrkdwn link early.
_SAFE_LINK = re.compile(r"^https://[^\s<>|]+$")


def permalink_of(rt: Runtime, *, team_id: str, channel_id: str, message_ts: str) -> str | None:
    """The message's permalink, or None (logged) when Slack gives none that can be kept."""
    try:
        link = rt.gateway.permalink(channel_id, message_ts, team_id=team_id)
    except SlackApiError as error:
        logger.warning(
            "no permalink for message %s in %s: Slack answered %s",
            message_ts, channel_id, error.response.get("error"),
        )  # fmt: skip
        return None
    except (SlackClientError, OSError) as error:
        logger.warning("no permalink for message %s in %s: %s", message_ts, channel_id, error)
        return None
    if len(link) > MAX_LINK or not _SAFE_LINK.match(link):
        logger.warning(
            "permalink of message %s in %s not kept: not a plain https link", message_ts, channel_id
        )
        return None
    return link
