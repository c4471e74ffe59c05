"""What ``/tasks summary …`` answers: what was set, that it stopped, or how to subscribe."""

from __future__ import annotations

from typing import Any

from bot.core.summary_grammar import SUMMARY_EXAMPLE
from bot.core.working_time import describe_days
from bot.services.nudge_now import NudgedNow
from bot.slack.messages import info_reply
from storage.summaries import Subscription

Message = dict[str, Any]


def scope_text(*, owner_id: str | None, assignee_id: str | None) -> str:
    """Whose tasks a summary covers, as its context line and the replies say it."""
    parts = []
    if owner_id:
        parts.append(f"owned by <@{owner_id}>")
    if assignee_id:
        parts.append(f"held by <@{assignee_id}>")
    if not parts:
        return "Tasks whose owner or assignee is in this channel"
    return "Tasks " + " and ".join(parts)


def describe(subscription: Subscription) -> str:
    """ "Every mon-fri at 09:00 Europe/Berlin, tasks owned by @olivia; quiet days post nothing" """
    when = f"Every {describe_days(subscription.days)} at {subscription.at:%H:%M} {subscription.timezone}"
    scope = scope_text(owner_id=subscription.owner_id, assignee_id=subscription.assignee_id)
    quiet = "quiet days post nothing" if subscription.quiet else "quiet days post a short all-clear line"
    return f"{when}, {scope[0].lower()}{scope[1:]}; {quiet}"


def subscribed_reply(subscription: Subscription) -> Message:
    return info_reply(
        f"This channel gets a daily summary. {describe(subscription)}. Stop it with `/tasks summary off`."
    )


def stopped_reply(was_running: bool) -> Message:
    if was_running:
        return info_reply(
            f"The daily summary in this channel is stopped. Type `{SUMMARY_EXAMPLE}` to start it again."
        )
    return info_reply(f"This channel gets no daily summary. Type `{SUMMARY_EXAMPLE}` to start one.")


def shown_reply(subscription: Subscription | None) -> Message:
    if subscription is None or not subscription.running:
        return info_reply(
            f"This channel gets no daily summary. Type `{SUMMARY_EXAMPLE}` here to post one every working"
            " day, or add `owner:@someone` to cover one person's delegations."
        )
    return info_reply(
        f"This channel gets a daily summary. {describe(subscription)}."
        f" Change it with `{SUMMARY_EXAMPLE} …`, stop it with `/tasks summary off`."
    )


def nudged_reply(nudged: NudgedNow) -> Message:
    task = nudged.task
    if nudged.kind is None and not task.status.is_open:
        return info_reply(f"{task.ref} is {task.status.label}: there is nothing to chase.")
    if nudged.kind is None:
        return info_reply(
            f"{task.ref} waits on you, not on <@{task.assignee_id}>: there is nothing to chase them about."
            f" See where it stands with `/tasks {task.ref}`."
        )
    if not nudged.queued:
        return info_reply(f"<@{task.assignee_id}> was already nudged about {task.ref} from this summary.")
    return info_reply(f":bell: Nudged <@{task.assignee_id}> about {task.ref}.")
