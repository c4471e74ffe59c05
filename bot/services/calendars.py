"""Whose working hours and which nudge thresholds apply.

A person's own settings, else the workspace's, else the environment's.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import replace

from sqlmodel import Session, col, select

from bot.config import SettingsError, duration
from bot.core.nudges import SETTING_NAMES, NudgeSettings
from bot.core.working_time import WorkingTime, parse_quiet_hours, parse_working_days
from bot.services.runtime import Runtime
from storage import repositories as repo
from storage.models import UserSettings, WorkspaceSettings


def calendars_for(
    rt: Runtime, session: Session, *, team_id: str, user_ids: Collection[str]
) -> dict[str, WorkingTime]:
    """Each person's calendar: their /tasks settings over their Slack timezone over the defaults.

    Reads the cached profiles and the settings in two queries; asks Slack nothing.
    """
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
        timezone = (mine and mine.timezone) or (profile and profile.tz) or rt.settings.default_timezone
        quiet = rt.settings.quiet_hours
        if mine and mine.quiet_hours:
            quiet = parse_quiet_hours(mine.quiet_hours)
        days = rt.settings.working_days
        if mine and mine.working_days:
            days = parse_working_days(mine.working_days)
        calendars[user_id] = WorkingTime(timezone=timezone, quiet=quiet, days=days)
    return calendars


def nudge_settings_for(rt: Runtime, session: Session, *, team_id: str) -> NudgeSettings:
    """The workspace's thresholds over the environment's; a stored value that no longer parses is ignored."""
    row = session.get(WorkspaceSettings, team_id)
    if row is None:
        return rt.settings.nudges
    overrides = {}
    for setting, value in json.loads(row.nudge_overrides or "{}").items():
        if setting not in SETTING_NAMES:
            continue
        try:
            overrides[setting] = duration(SETTING_NAMES[setting], str(value))
        except SettingsError:
            continue
    return replace(rt.settings.nudges, **overrides)
