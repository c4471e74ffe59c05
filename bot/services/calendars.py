"""Whose working hours and which nudge thresholds apply.

A person's own settings, else (for the timezone) their Slack profile's, else the
workspace's own defaults (``/tasks settings workspace``), else the environment's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, select

from bot.config import SettingsError, duration
from bot.core.errors import BadInput
from bot.core.nudges import SETTING_NAMES, NudgeSettings
from bot.core.settings_grammar import check_floor
from bot.core.working_time import WorkingTime, parse_quiet_hours, parse_working_days
from bot.core.workspace_calendar import WorkspaceCalendar, resolve
from bot.services.runtime import Runtime
from storage import repositories as repo
from storage import settings_store
from storage.models import UserSettings, WorkspaceSettings

T = TypeVar("T")


def calendars_for(
    rt: Runtime, session: Session, *, team_id: str, user_ids: Collection[str]
) -> dict[str, WorkingTime]:
    """Each person's calendar: their /tasks settings over their Slack timezone over the
    workspace's defaults over the environment's.

    Reads the cached profiles and the settings in three queries; asks Slack nothing.
    """
    workspace = workspace_calendar(rt, session, team_id=team_id)
    people = list(dict.fromkeys(user_ids))
    profiles = repo.get_profiles(session, team_id=team_id, user_ids=people)
    own = {
        row.user_id: row
        for row in session.exec(
            select(UserSettings).where(UserSettings.team_id == team_id, col(UserSettings.user_id).in_(people))
        ).all()
    }
    calendars: dict[str, WorkingTime] = {}
    for user_id in people:
        profile, mine = profiles.get(user_id), own.get(user_id)
        own_zone = mine.timezone if mine and _is_zone(mine.timezone) else None
        timezone = own_zone or (profile and profile.tz) or workspace.timezone
        quiet = _parsed(parse_quiet_hours, mine.quiet_hours if mine else None, workspace.quiet)
        days = _parsed(parse_working_days, mine.working_days if mine else None, workspace.days)
        calendars[user_id] = WorkingTime(timezone=timezone, quiet=quiet, days=days)
    return calendars


def workspace_calendar(rt: Runtime, session: Session, *, team_id: str) -> WorkspaceCalendar:
    """The workspace's quiet hours, working days, timezone and summary time over the environment's."""
    return resolve(settings_store.workspace_defaults(session, team_id=team_id), environment_calendar(rt))


def environment_calendar(rt: Runtime) -> WorkspaceCalendar:
    """QUIET_HOURS, WORKING_DAYS, DEFAULT_TIMEZONE and SUMMARY_TIME: where a workspace sets none."""
    settings = rt.settings
    return WorkspaceCalendar(
        timezone=settings.default_timezone,
        quiet=settings.quiet_hours,
        days=settings.working_days,
        summary_time=settings.summary_time,
    )


def _parsed(parse: Callable[[str], T], stored: str | None, default: T) -> T:
    """A person's stored value, or the default when there is none or it no longer parses.

    /tasks settings stores only values that parse; one that stops parsing (a grammar
    narrowed later) must not stop the sweep for everyone, so it is ignored as the
    workspace's thresholds are.
    """
    if not stored:
        return default
    try:
        return parse(stored)
    except BadInput:
        return default


def _is_zone(name: str | None) -> bool:
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def nudge_settings_for(rt: Runtime, session: Session, *, team_id: str) -> NudgeSettings:
    """The workspace's thresholds over the environment's.

    A stored value that no longer parses, or is under the floor for thresholds set from
    Slack (stored before the floor existed), is ignored rather than trusted.
    """
    row = session.get(WorkspaceSettings, team_id)
    if row is None:
        return rt.settings.nudges
    overrides = {}
    for setting, value in json.loads(row.nudge_overrides or "{}").items():
        if setting not in SETTING_NAMES:
            continue
        try:
            threshold = duration(SETTING_NAMES[setting], str(value))
            check_floor(setting, threshold)
        except (SettingsError, BadInput):
            continue
        overrides[setting] = threshold
    return replace(rt.settings.nudges, **overrides)
