"""``/tasks settings workspace``: the workspace's nudge thresholds and calendar defaults.

Thresholds (``NUDGE_ACK_AFTER``…) and calendar defaults (``QUIET_HOURS``, ``WORKING_DAYS``,
``DEFAULT_TIMEZONE``, ``SUMMARY_TIME``) are the workspace's own over the environment's, and
are changed by its admins and owners, or by the person who installed the bot. Every value is
checked with the parser the environment uses; a form is saved whole or not at all, and a
change has the sweep look again at the workspace's tasks at once (a nudge held for the old
working hours may be due now). The form carries a stamp, as a person's own does
(``bot.services.settings``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from bot.config import SettingsError, duration
from bot.core.errors import BadInput, NotAllowed
from bot.core.nudges import SETTING_NAMES
from bot.core.safety import refuse_sensitive
from bot.core.settings_grammar import (
    WORKSPACE_FIELD_NAMES,
    WorkspaceField,
    check_floor,
    describe_duration,
)
from bot.core.workspace_calendar import check_value
from bot.services import people
from bot.services.calendars import environment_calendar
from bot.services.runtime import Runtime
from bot.services.settings import FieldErrors, stamp_of
from storage import inbox, nudge_store, workspaces
from storage import settings_store as store
from storage.models import UserProfile


@dataclass(frozen=True)
class Threshold:
    setting: str  # the NudgeSettings field, e.g. "ack_after"
    name: str  # its variable, e.g. "NUDGE_ACK_AFTER"
    own: str | None  # the workspace's own value, as written
    default: str  # the environment's

    @property
    def value(self) -> str:
        return self.own or self.default


@dataclass(frozen=True)
class CalendarDefault:
    field: WorkspaceField
    name: str  # its variable, e.g. "QUIET_HOURS"
    own: str | None  # the workspace's own value, as written
    default: str  # the environment's

    @property
    def value(self) -> str:
        return self.own or self.default


@dataclass(frozen=True)
class WorkspaceValues:
    thresholds: tuple[Threshold, ...]
    calendar: tuple[CalendarDefault, ...]
    stamp: str


Own = tuple[dict[str, str], dict[str, str]]  # the workspace's own thresholds, calendar defaults


def current(rt: Runtime, *, team_id: str) -> WorkspaceValues:
    with rt.db.session_scope(write=False) as session:
        own = _own(session, team_id=team_id)
    return _values(rt, own)


def require_admin(rt: Runtime, *, team_id: str, user_id: str, ask_slack: bool) -> None:
    """Only workspace admins and owners, and whoever installed the bot, change these settings.

    ``ask_slack``: what Slack says now (a command); otherwise the profile cache, which the
    command that opened the form has just refreshed (a form, answered without calling Slack).
    """
    with rt.db.session_scope(write=False) as session:
        row = workspaces.workspace(session, team_id)
    installer = row.installed_by if row is not None else None
    if installer == user_id:
        return
    profile: UserProfile | None
    if ask_slack:
        profile = people.fresh_profile(rt, team_id=team_id, user_id=user_id)
    else:
        profile = people.cached_profiles(rt, team_id=team_id, user_ids=[user_id]).get(user_id)
    if profile is not None and profile.is_admin:
        return
    also = f", and <@{installer}>, who installed Handoff," if installer else ""
    raise NotAllowed(
        f"Only workspace admins and owners{also} can change the workspace's nudge thresholds "
        "and working-time defaults.",
        hint="Ask one of them (Slack lists admins under your workspace's name → About → Admins). "
        "Your own working hours are yours to set with `/tasks settings`.",
    )


def check_setting(setting: str, text: str) -> str:
    """A typed value as it is stored ("120m" → "2h", "20:00 - 7:00" → "20:00-07:00");
    BadInput saying what to write. ``setting``: a threshold or a :class:`WorkspaceField` value."""
    refuse_sensitive(text)
    if setting not in SETTING_NAMES:
        return check_value(WorkspaceField(setting), text)
    name = SETTING_NAMES[setting]
    try:
        value = duration(name, text.strip().lower())
    except SettingsError as error:
        raise BadInput(str(error), hint="Write a number and a unit: 30m, 4h or 2d.") from None
    check_floor(setting, value)
    return describe_duration(value)


def save_form(
    rt: Runtime, *, team_id: str, actor: str, typed: Mapping[str, str], stamp: str
) -> WorkspaceValues:
    """Save the form's fields (by variable name; empty = the default) in one transaction, or nothing."""
    require_admin(rt, team_id=team_id, user_id=actor, ask_slack=False)
    wanted = _checked_form(rt, typed)
    with rt.db.session_scope() as session:
        own = _own(session, team_id=team_id, for_update=True)
        if stamp_of(_merged(own)) == stamp:
            store.replace_workspace_settings(
                session,
                team_id=team_id,
                overrides=wanted[0],
                defaults={field.value: wanted[1].get(field.value) for field in WorkspaceField},
                now=rt.now(),
            )
            nudge_store.check_again_soon(session, team_id=team_id, user_id=None, now=rt.now())
        elif _merged(own) != _merged(wanted):
            raise BadInput(
                "The workspace's settings were changed after this form opened, so nothing was saved.",
                hint="Close it and type /tasks settings workspace again to see them as they are now.",
                field=SETTING_NAMES["ack_after"],
            )
    return _values(rt, wanted)


def set_setting(
    rt: Runtime, *, team_id: str, actor: str, setting: str | None, text: str | None, request_key: str
) -> WorkspaceValues:
    """Set one setting as typed; ``text`` None drops it (``setting`` None: drops them all)."""
    require_admin(rt, team_id=team_id, user_id=actor, ask_slack=True)
    value = None if text is None or setting is None else check_setting(setting, text)
    if setting is not None and setting not in SETTING_NAMES and value == _env_defaults(rt)[setting]:
        value = None  # the environment's own value: follow it, also when it changes
    now = rt.now()
    with rt.db.session_scope() as session:
        if setting is None:
            defaults = dict.fromkeys(store.WORKSPACE_COLUMNS)
            store.replace_workspace_settings(
                session, team_id=team_id, overrides={}, defaults=defaults, now=now
            )
        elif setting in SETTING_NAMES:
            store.set_workspace_override(session, team_id=team_id, setting=setting, value=value, now=now)
        else:
            store.set_workspace_default(session, team_id=team_id, column=setting, value=value, now=now)
        own = _own(session, team_id=team_id)
        nudge_store.check_again_soon(session, team_id=team_id, user_id=None, now=now)
        # The command was kept in the inbox until now (it asked Slack who the actor is).
        inbox.forget(session, team_id=team_id, request_key=request_key)
    return _values(rt, own)


def _own(session: Session, *, team_id: str, for_update: bool = False) -> Own:
    overrides = store.workspace_overrides(session, team_id=team_id, for_update=for_update)
    return overrides, store.workspace_defaults(session, team_id=team_id)


def _merged(own: Own) -> dict[str, str]:
    """One mapping for the stamp: threshold and column names never meet."""
    return {**own[0], **own[1]}


def _env_defaults(rt: Runtime) -> dict[str, str]:
    return {field.value: text for field, text in environment_calendar(rt).described().items()}


def _checked_form(rt: Runtime, typed: Mapping[str, str]) -> Own:
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    errors: dict[str, str] = {}
    env = _env_defaults(rt)
    names = {**SETTING_NAMES, **{field.value: name for field, name in WORKSPACE_FIELD_NAMES.items()}}
    for setting, name in names.items():
        text = (typed.get(name) or "").strip()
        if not text:
            continue
        try:
            value = check_setting(setting, text)
        except BadInput as error:
            errors[name] = str(error)
            continue
        if setting in SETTING_NAMES:
            overrides[setting] = value
        elif value != env[setting]:  # the environment's own value: follow it
            defaults[setting] = value
    if errors:
        raise FieldErrors(errors)
    return overrides, defaults


def _values(rt: Runtime, own: Own) -> WorkspaceValues:
    thresholds, calendar = own
    nudges = vars(rt.settings.nudges)
    env = _env_defaults(rt)
    return WorkspaceValues(
        thresholds=tuple(
            Threshold(
                setting=setting,
                name=name,
                own=thresholds.get(setting),
                default=describe_duration(nudges[setting]),
            )
            for setting, name in SETTING_NAMES.items()
        ),
        calendar=tuple(
            CalendarDefault(field=field, name=name, own=calendar.get(field.value), default=env[field.value])
            for field, name in WORKSPACE_FIELD_NAMES.items()
        ),
        stamp=stamp_of(_merged(own)),
    )
