"""A channel's daily summary: subscribe, stop, show; and the clock's pass over those due.

A subscription keeps what was chosen, and what was not is filled in when it is made: the
``tz:`` option, else the subscriber's timezone as their nudges know it (their own setting,
their Slack profile's, the workspace's); the ``days:`` option, else the workspace's working
days; the time, else the workspace's summary time. The workspace's own values are set with
``/tasks settings workspace``, over WORKING_DAYS, SUMMARY_TIME and DEFAULT_TIMEZONE. Posting
is in :mod:`bot.services.summary_posts`.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.errors import BadInput
from bot.core.summary_grammar import SummaryCommand
from bot.core.summary_schedule import next_post_at
from bot.services import calendars, people
from bot.services.runtime import Runtime
from storage import inbox, summaries
from storage.summaries import Schedule, Subscription

logger = logging.getLogger(__name__)

INVITE_HINT = "Invite me first with /invite @Handoff, then type it again."


def subscribe(
    rt: Runtime, *, team_id: str, channel_id: str, user_id: str, bot_user_id: str, command: SummaryCommand,
    request_key: str,
) -> Subscription:  # fmt: skip
    """Post the summary in ``channel_id`` from now on; a second ``here`` changes what it was.

    Slack is asked first, outside the transaction: whether the bot may post there, and the
    subscriber's timezone when ``tz:`` was not given.
    """
    bot_user_id = bot_user_id or rt.gateway.bot_identity(team_id)[1]  # Bolt names it; auth.test if not
    require_bot_in(rt, team_id=team_id, channel_id=channel_id, bot_user_id=bot_user_id)
    if command.timezone is None:
        people.profile(rt, team_id=team_id, user_id=user_id)  # their Slack timezone, for the calendar
    with rt.db.session_scope(write=False) as session:
        workspace = calendars.workspace_calendar(rt, session, team_id=team_id)
        mine = calendars.calendars_for(rt, session, team_id=team_id, user_ids=[user_id])[user_id]
    schedule = Schedule(
        at=command.at or workspace.summary_time,
        timezone=command.timezone or mine.timezone,
        days=command.days or workspace.days,
        owner_id=command.owner_id,
        assignee_id=command.assignee_id,
        quiet=command.quiet,
    )
    now = rt.now()
    first = next_post_at(now, at=schedule.at, timezone=schedule.timezone, days=schedule.days)
    with rt.db.session_scope() as session:
        made = summaries.subscribe(
            session, team_id=team_id, channel_id=channel_id, schedule=schedule, subscribed_by=user_id,
            next_post_at=first, now=now,
        )  # fmt: skip
        inbox.forget(session, team_id=team_id, request_key=request_key)
    return made


def unsubscribe(rt: Runtime, *, team_id: str, channel_id: str) -> bool:
    """Stop the channel's summary; False when it had none running. The workspace default
    (SUMMARY_CHANNEL) does not bring it back: the stopped row stays."""
    with rt.db.session_scope() as session:
        return summaries.stop(session, team_id=team_id, channel_id=channel_id, now=rt.now())


def show(rt: Runtime, *, team_id: str, channel_id: str) -> Subscription | None:
    """The channel's subscription, running or stopped; None when it never had one."""
    with rt.db.session_scope(write=False) as session:
        return summaries.get(session, team_id=team_id, channel_id=channel_id)


def require_bot_in(rt: Runtime, *, team_id: str, channel_id: str, bot_user_id: str) -> None:
    """The bot can post only where it was invited; Slack hides private channels it is not in."""
    try:
        members = rt.gateway.channel_members(channel_id, team_id=team_id)
    except SlackApiError as error:
        if error.response.get("error") in ("channel_not_found", "not_in_channel"):
            raise BadInput(
                "I'm not in this channel, so I can't post a summary here.", hint=INVITE_HINT
            ) from None
        raise
    if bot_user_id not in members:
        raise BadInput("I'm not in this channel, so I can't post a summary here.", hint=INVITE_HINT)


def subscribe_default_channel(rt: Runtime, *, now: datetime) -> bool:
    """SUMMARY_CHANNEL gets a subscription if it never had one; True when one was made.

    A channel that said ``/tasks summary off`` keeps its stopped row and stays unsubscribed.
    The workspace is the bot token's own (``auth.test``); Slack down: tried on the next run.
    """
    channel = rt.settings.summary_channel
    if channel is None or rt.gateway.tokens is not None:  # one workspace's setting: none with OAuth
        return False
    try:
        team_id, bot_user_id = rt.gateway.bot_identity()
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.warning("summary channel %s not checked: Slack did not answer auth.test (%s)", channel, error)
        return False
    with rt.db.session_scope(write=False) as session:
        if summaries.get(session, team_id=team_id, channel_id=channel) is not None:
            return False  # subscribed, or unsubscribed on purpose: every run but the first ends here
        workspace = calendars.workspace_calendar(rt, session, team_id=team_id)
    schedule = Schedule(at=workspace.summary_time, timezone=workspace.timezone, days=workspace.days)
    first = next_post_at(now, at=schedule.at, timezone=schedule.timezone, days=schedule.days)
    with rt.db.session_scope() as session:
        made = summaries.subscribe_once(
            session, team_id=team_id, channel_id=channel, schedule=schedule, subscribed_by=bot_user_id,
            next_post_at=first, now=now,
        )  # fmt: skip
    if made:
        logger.info("summary channel %s subscribed (team %s)", channel, team_id)
    return made
