"""Who someone is, as far as tasks go: their timezone, and whether they can take work.

users.info is cached in the database for a day, so busy commands don't spend Slack's
rate limit on the same person again and again.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.errors import BadInput
from bot.services.runtime import Runtime
from storage import repositories as repo
from storage.models import UserProfile

PROFILE_TTL = timedelta(hours=24)


def profile(rt: Runtime, *, team_id: str, user_id: str) -> UserProfile:
    """The cached profile, refreshed from Slack when older than a day."""
    now = rt.now()
    with rt.db.session_scope() as session:
        cached = repo.get_profile(session, team_id=team_id, user_id=user_id)
    if cached is not None and now - cached.fetched_at < PROFILE_TTL:
        return cached
    user = rt.gateway.user(user_id)
    if user is None:
        raise BadInput(
            f"I can't find <@{user_id}> in this workspace.",
            hint="Mention someone by typing @ and picking them from the list.",
        )
    fresh = UserProfile(
        team_id=team_id,
        user_id=user_id,
        tz=user.tz,
        is_bot=user.is_bot,
        deleted=user.deleted,
        is_guest=user.is_guest,
        fetched_at=now,
    )
    with rt.db.session_scope() as session:
        repo.save_profile(session, profile=fresh)
    return fresh


def timezone_of(rt: Runtime, *, team_id: str, user_id: str) -> str:
    return profile(rt, team_id=team_id, user_id=user_id).tz or rt.settings.default_timezone


def require_assignable(rt: Runtime, *, team_id: str, user_id: str) -> None:
    """A task can go to a person who is still here, not to a bot."""
    person = profile(rt, team_id=team_id, user_id=user_id)
    if person.is_bot:
        raise BadInput(
            f"<@{user_id}> is a bot and can't take tasks.",
            hint="Mention a person: `/delegate @alice Ship the report | due: friday`.",
        )
    if person.deleted:
        raise BadInput(
            f"<@{user_id}> is no longer in this workspace.",
            hint="Pick someone else to hand the task to.",
        )
