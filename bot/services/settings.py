"""``/tasks settings``: a person's own working hours (the workspace's settings are in
``bot.services.workspace_settings``).

What applies is worked out as the sweep works it out (``bot.services.calendars``): a
person's own setting, else their Slack profile's timezone, else the workspace's defaults
(its own, else the environment's). Every value is checked with the parser the environment's
settings use, and a form is saved whole or not at all.

A change has the sweep look again at once at the tasks it bears on (their next check was set
by the hours of before: a nudge held for working time may now be due).

A form carries a stamp of the settings it was opened on. Saved, the settings change and so
does their stamp: a submission that arrives again (a retry, a double click) finds its values
already there and saves nothing; one whose settings were changed meanwhile by someone else
is refused rather than silently undoing that change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.core.errors import BadInput
from bot.core.safety import refuse_sensitive
from bot.core.settings_grammar import HoursField, parse_timezone
from bot.core.working_time import describe_days, describe_quiet, parse_quiet_hours, parse_working_days
from bot.services import calendars, people
from bot.services.runtime import Runtime
from storage import inbox, nudge_store
from storage import settings_store as store
from storage.models import UserProfile, UserSettings

OWN = "your own setting"
PROFILE = "your Slack profile"
DEFAULT = "the workspace default"


class FieldErrors(BadInput):
    """Several fields of a form are wrong; ``errors`` maps each field (block id) to what to fix."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        first_field, first = next(iter(errors.items()))
        super().__init__(first, field=first_field)
        self.errors = dict(errors)


# --- a person's working hours -------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    """One working-hours setting: what applies now, the person's own value, and the default."""

    value: str
    own: str | None
    default: str
    default_from: str  # where the default comes from: PROFILE or DEFAULT

    @property
    def source(self) -> str:
        return OWN if self.own is not None else self.default_from


@dataclass(frozen=True)
class WorkingHours:
    fields: Mapping[HoursField, Applied]
    stamp: str  # of the stored settings, see the module's docstring


_CHECKS: Mapping[HoursField, Callable[[str], str]] = {
    HoursField.TIMEZONE: parse_timezone,
    HoursField.QUIET: lambda text: describe_quiet(parse_quiet_hours(text)),
    HoursField.DAYS: lambda text: describe_days(parse_working_days(text)),
}


def working_hours(rt: Runtime, *, team_id: str, user_id: str, ask_slack: bool = False) -> WorkingHours:
    """What applies to the person now, and where each value comes from.

    ``ask_slack``: look the person's Slack profile up if the cache has none (for the form);
    otherwise the cache alone tells their Slack timezone.
    """
    defaults = _defaults(rt, team_id=team_id, user_id=user_id, ask_slack=ask_slack)
    with rt.db.session_scope(write=False) as session:
        own = _own(store.user_settings(session, team_id=team_id, user_id=user_id))
    return _applied(own, defaults)


def check_hours(field: HoursField, text: str) -> str:
    """A typed value as it is stored ("19:00 - 8:00" → "19:00-08:00"); BadInput saying what to write."""
    refuse_sensitive(text)
    return _CHECKS[field](text)


def save_hours_form(
    rt: Runtime, *, team_id: str, user_id: str, typed: Mapping[HoursField, str], stamp: str
) -> WorkingHours:
    """Save the form's three fields in one transaction, or nothing (``FieldErrors``).

    A field left empty, or holding the default, follows the default.
    """
    defaults = _defaults(rt, team_id=team_id, user_id=user_id, ask_slack=False)
    wanted = _checked_form(typed, defaults)
    with rt.db.session_scope() as session:
        own = _own(store.user_settings(session, team_id=team_id, user_id=user_id, for_update=True))
        if stamp_of(own) == stamp:
            values = {field.value: value for field, value in wanted.items()}
            store.replace_user_settings(
                session, team_id=team_id, user_id=user_id, values=values, now=rt.now()
            )
            nudge_store.check_again_soon(session, team_id=team_id, user_id=user_id, now=rt.now())
        elif own != wanted:
            raise BadInput(
                "Your working hours were changed after this form opened, so nothing was saved.",
                hint="Close it and type /tasks settings again to see them as they are now.",
                field=HoursField.TIMEZONE.value,
            )
    return _applied(wanted, defaults)


def knows_profile(rt: Runtime, *, team_id: str, user_id: str) -> bool:
    """Whether the profile cache tells the person's Slack timezone without asking Slack."""
    return user_id in people.cached_profiles(rt, team_id=team_id, user_ids=[user_id])


def set_hours(
    rt: Runtime,
    *,
    team_id: str,
    user_id: str,
    field: HoursField | None,
    text: str | None,
    ask_slack: bool = False,
    request_key: str | None = None,
) -> WorkingHours:
    """Set one setting as typed (``/tasks settings quiet 19:00-08:00``).

    ``text`` None goes back to that setting's default, and ``field`` None to all the defaults.
    ``ask_slack`` and ``request_key``: the command was kept in the inbox to look the person's
    Slack timezone up first (it is done with this transaction).
    """
    defaults = _defaults(rt, team_id=team_id, user_id=user_id, ask_slack=ask_slack)
    value = None if text is None or field is None else check_hours(field, text)
    if field is not None and value == defaults[field][0]:
        value = None  # the default itself: follow it, also when it changes
    with rt.db.session_scope() as session:
        if field is None:
            store.reset_user_settings(session, team_id=team_id, user_id=user_id)
        else:
            store.set_user_setting(
                session, team_id=team_id, user_id=user_id, column=field.value, value=value, now=rt.now()
            )
        own = _own(store.user_settings(session, team_id=team_id, user_id=user_id))
        nudge_store.check_again_soon(session, team_id=team_id, user_id=user_id, now=rt.now())
        if request_key is not None:
            inbox.forget(session, team_id=team_id, request_key=request_key)
    return _applied(own, defaults)


Defaults = Mapping[HoursField, tuple[str, str]]  # field → (value, where it comes from)


def _defaults(rt: Runtime, *, team_id: str, user_id: str, ask_slack: bool) -> Defaults:
    profile: UserProfile | None
    if ask_slack:
        profile = people.profile(rt, team_id=team_id, user_id=user_id)
    else:
        profile = people.cached_profiles(rt, team_id=team_id, user_ids=[user_id]).get(user_id)
    with rt.db.session_scope(write=False) as session:
        workspace = calendars.workspace_calendar(rt, session, team_id=team_id)
    timezone = (profile.tz, PROFILE) if profile and profile.tz else (workspace.timezone, DEFAULT)
    return {
        HoursField.TIMEZONE: timezone,
        HoursField.QUIET: (describe_quiet(workspace.quiet), DEFAULT),
        HoursField.DAYS: (describe_days(workspace.days), DEFAULT),
    }


def _own(row: UserSettings | None) -> dict[HoursField, str | None]:
    return {field: getattr(row, field.value) if row else None for field in HoursField}


def _applied(own: Mapping[HoursField, str | None], defaults: Defaults) -> WorkingHours:
    fields = {
        field: Applied(
            value=own[field] or defaults[field][0],
            own=own[field],
            default=defaults[field][0],
            default_from=defaults[field][1],
        )
        for field in HoursField
    }
    return WorkingHours(fields=fields, stamp=stamp_of(own))


def _checked_form(typed: Mapping[HoursField, str], defaults: Defaults) -> dict[HoursField, str | None]:
    wanted: dict[HoursField, str | None] = {}
    errors: dict[str, str] = {}
    for field in HoursField:
        text = (typed.get(field) or "").strip()
        try:
            value = check_hours(field, text) if text else None
        except BadInput as error:
            errors[field.value] = str(error)
            continue
        wanted[field] = None if value == defaults[field][0] else value
    if errors:
        raise FieldErrors(errors)
    return wanted


def stamp_of(values: Mapping[HoursField, str | None] | Mapping[str, str]) -> str:
    """A short digest of the stored settings a form was opened on (see the module's docstring)."""
    text = json.dumps({str(key): value for key, value in values.items()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
