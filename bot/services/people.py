"""Who someone is, as far as tasks go: their timezone, and whether they can take work.

users.info is cached in the database for a day, so busy commands don't spend Slack's
rate limit on the same person again and again. Everyone a request needs is read from
the cache in one query; only those missing or stale are asked of Slack.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.errors import BadInput
from bot.core.workspace_calendar import resolve
from bot.services.calendars import environment_calendar
from bot.services.runtime import PROFILE_TTL, Runtime
from storage import repositories as repo
from storage import settings_store
from storage.models import UserProfile


def cached_profiles(rt: Runtime, *, team_id: str, user_ids: Sequence[str]) -> dict[str, UserProfile]:
    """The profiles the cache holds and that are fresh; nobody is asked of Slack.

    Those this process has read before come from memory (``ProfileMemo``); the table is
    read only for the others.
    """
    now = rt.now()
    found = rt.profile_memo.fresh(team_id=team_id, user_ids=user_ids, now=now)
    unread = [user_id for user_id in user_ids if user_id not in found]
    if unread:
        with rt.db.session_scope(write=False) as session:
            cached = repo.get_profiles(session, team_id=team_id, user_ids=unread)
        fresh = {user_id: p for user_id, p in cached.items() if now - p.fetched_at < PROFILE_TTL}
        rt.profile_memo.keep(fresh.values())
        found.update(fresh)
    return found


def profiles(rt: Runtime, *, team_id: str, user_ids: Sequence[str]) -> dict[str, UserProfile]:
    """Everyone's profile, from the cache or, where it is missing or stale, from Slack."""
    found = cached_profiles(rt, team_id=team_id, user_ids=user_ids)
    fetched = [
        _from_slack(rt, team_id, user_id) for user_id in dict.fromkeys(user_ids) if user_id not in found
    ]
    if fetched:
        with rt.db.session_scope() as session:
            for fresh in fetched:
                repo.save_profile(session, profile=fresh)
        rt.profile_memo.keep(fetched)
    return {**found, **{p.user_id: p for p in fetched}}


def profile(rt: Runtime, *, team_id: str, user_id: str) -> UserProfile:
    """The cached profile, refreshed from Slack when older than a day."""
    return profiles(rt, team_id=team_id, user_ids=[user_id])[user_id]


def _from_slack(rt: Runtime, team_id: str, user_id: str) -> UserProfile:
    user = rt.gateway.user(user_id, team_id=team_id)
    if user is None:
        raise BadInput(
            f"I can't find <@{user_id}> in this workspace.",
            hint="Mention someone by typing @ and picking them from the list.",
        )
    return UserProfile(
        team_id=team_id,
        user_id=user_id,
        tz=user.tz,
        is_bot=user.is_bot,
        deleted=user.deleted,
        is_guest=user.is_guest,
        is_admin=user.is_admin,
        fetched_at=rt.now(),
    )


def fresh_profile(rt: Runtime, *, team_id: str, user_id: str) -> UserProfile:
    """The profile as Slack has it now, cached for the others: for checks that must not be a day old."""
    fresh = _from_slack(rt, team_id, user_id)
    with rt.db.session_scope() as session:
        repo.save_profile(session, profile=fresh)
    rt.profile_memo.keep([fresh])
    return fresh


def timezone_of(rt: Runtime, *, team_id: str, user_id: str) -> str:
    return profile(rt, team_id=team_id, user_id=user_id).tz or workspace_timezone(rt, team_id=team_id)


def cached_timezone(rt: Runtime, *, team_id: str, user_id: str) -> str:
    """The timezone as far as the cache knows, else the workspace default (no Slack call)."""
    cached = cached_profiles(rt, team_id=team_id, user_ids=[user_id]).get(user_id)
    return (cached.tz if cached else None) or workspace_timezone(rt, team_id=team_id)


def workspace_timezone(rt: Runtime, *, team_id: str) -> str:
    """The workspace's DEFAULT_TIMEZONE (``/tasks settings workspace``), else the environment's."""
    with rt.db.session_scope(write=False) as session:
        stored = settings_store.workspace_defaults(session, team_id=team_id)
    return resolve(stored, environment_calendar(rt)).timezone


def why_not_assignable(person: UserProfile) -> BadInput | None:
    """Why a task can't go to this person (a bot, someone who left), or None if it can."""
    if person.is_bot:
        return BadInput(
            f"<@{person.user_id}> is a bot and can't take tasks.",
            hint="Mention a person: `/delegate @alice Ship the report | due: friday`.",
        )
    if person.deleted:
        return BadInput(
            f"<@{person.user_id}> is no longer in this workspace.",
            hint="Pick someone else to hand the task to.",
        )
    return None


def require_assignable(rt: Runtime, *, team_id: str, user_id: str) -> None:
    """A task can go to a person who is still here, not to a bot."""
    problem = why_not_assignable(profile(rt, team_id=team_id, user_id=user_id))
    if problem is not None:
        raise problem


def require_assignable_if_known(rt: Runtime, *, team_id: str, user_id: str) -> None:
    """The same check from the cache alone, for a form before it closes; unknown people pass."""
    cached = cached_profiles(rt, team_id=team_id, user_ids=[user_id]).get(user_id)
    problem = why_not_assignable(cached) if cached else None
    if problem is not None:
        raise problem
