"""``/tasks settings``: what a person (their working hours) or an admin (the workspace's
nudge thresholds and calendar defaults) asked for, and the wording of timezones and durations.

The values themselves are checked by the service (``bot.services.settings``) with the same
parsers the environment's settings use, so a value is accepted here when it would be
accepted in ``.env``, except a threshold below its floor (``THRESHOLD_FLOORS``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import available_timezones

from bot.core.errors import BadInput
from bot.core.nudges import SETTING_NAMES


class Scope(StrEnum):
    PERSONAL = "personal"  # the person's own working hours
    WORKSPACE = "workspace"  # the workspace's thresholds and calendar defaults (admins, the installer)


class SettingsAction(StrEnum):
    OPEN = "open"  # the form
    SET = "set"  # one value, typed
    RESET = "reset"  # back to the default: one setting, or all of them


class HoursField(StrEnum):
    """A person's own working-hours settings; the values are the ``user_settings`` columns."""

    TIMEZONE = "timezone"
    QUIET = "quiet_hours"
    DAYS = "working_days"


class WorkspaceField(StrEnum):
    """A workspace's calendar defaults; the values are the ``workspace_settings`` columns."""

    QUIET = "quiet_hours"
    DAYS = "working_days"
    TIMEZONE = "timezone"
    SUMMARY_TIME = "summary_time"


# Each is named as the environment names the default it stands in for.
WORKSPACE_FIELD_NAMES: dict[WorkspaceField, str] = {
    WorkspaceField.QUIET: "QUIET_HOURS",
    WorkspaceField.DAYS: "WORKING_DAYS",
    WorkspaceField.TIMEZONE: "DEFAULT_TIMEZONE",
    WorkspaceField.SUMMARY_TIME: "SUMMARY_TIME",
}
_WORKSPACE_EXAMPLE_VALUES: dict[WorkspaceField, str] = {
    WorkspaceField.QUIET: "20:00-07:00",
    WorkspaceField.DAYS: "sun-thu",
    WorkspaceField.TIMEZONE: "Asia/Dubai",
    WorkspaceField.SUMMARY_TIME: "08:30",
}

# What people may type for each field.
HOURS_WORDS: dict[str, HoursField] = {
    "tz": HoursField.TIMEZONE,
    "timezone": HoursField.TIMEZONE,
    "quiet": HoursField.QUIET,
    "quiet-hours": HoursField.QUIET,
    "quiet_hours": HoursField.QUIET,
    "days": HoursField.DAYS,
    "working-days": HoursField.DAYS,
    "working_days": HoursField.DAYS,
    "workdays": HoursField.DAYS,
}
DEFAULT_WORDS = frozenset({"default", "reset"})  # as a value: back to the default
PERSONAL_EXAMPLES = (
    "`/tasks settings`, `/tasks settings quiet 19:00-08:00`, `/tasks settings days mon-fri`, "
    "`/tasks settings tz Europe/Berlin`, `/tasks settings reset`"
)
WORKSPACE_EXAMPLES = (
    "`/tasks settings workspace`, `/tasks settings workspace NUDGE_ACK_AFTER 2h`, "
    "`/tasks settings workspace QUIET_HOURS 20:00-07:00`"
)

# The shortest thresholds an admin may set from Slack. A repeat of seconds would nudge
# everyone with an overdue task on every sweep, and a threshold of seconds would chase a
# task before anyone could have read it. The environment keeps accepting any duration
# (tests and demos run on short ones); only what Slack users type is held to these.
REPEAT_FLOOR = timedelta(hours=1)
THRESHOLD_FLOOR = timedelta(minutes=5)
THRESHOLD_FLOORS: dict[str, timedelta] = {
    setting: REPEAT_FLOOR if setting == "repeat_every" else THRESHOLD_FLOOR for setting in SETTING_NAMES
}


@dataclass(frozen=True)
class SettingsCommand:
    """``/tasks settings …`` parsed.

    ``field`` is an :class:`HoursField` value (personal), or a ``NudgeSettings`` field name
    such as ``ack_after`` or a :class:`WorkspaceField` value (workspace); None for the form
    and for resetting everything.
    ``value`` is the text typed for SET, not yet checked; None means "back to the default".
    """

    scope: Scope
    action: SettingsAction
    field: str | None = None
    value: str | None = None


def parse_settings(text: str) -> SettingsCommand:
    """Parse what follows ``/tasks settings``."""
    words = text.split()
    if words and words[0].lower() == "workspace":
        return _workspace(words[1:])
    return _personal(words)


def _personal(words: list[str]) -> SettingsCommand:
    if not words:
        return SettingsCommand(Scope.PERSONAL, SettingsAction.OPEN)
    first, rest = words[0].lower(), words[1:]
    if first == "reset":
        if len(rest) > 1:
            raise _unknown_personal(" ".join(words))
        field = _hours_field(rest[0]) if rest else None
        return SettingsCommand(Scope.PERSONAL, SettingsAction.RESET, field=field)
    field = _hours_field(first)
    if not rest:
        raise BadInput(
            f"Say what to set {first} to.",
            hint=f"For example: {PERSONAL_EXAMPLES}; `default` goes back to the default.",
        )
    value = " ".join(rest)
    if value.lower() in DEFAULT_WORDS:
        return SettingsCommand(Scope.PERSONAL, SettingsAction.RESET, field=field)
    return SettingsCommand(Scope.PERSONAL, SettingsAction.SET, field=field, value=value)


def _hours_field(word: str) -> HoursField:
    field = HOURS_WORDS.get(word.lower())
    if field is None:
        raise _unknown_personal(word)
    return field


def _unknown_personal(text: str) -> BadInput:
    return BadInput(
        f"I don't know the setting {_shown(text)}. You can set tz, quiet and days.",
        hint=f"For example: {PERSONAL_EXAMPLES}.",
    )


def _workspace(words: list[str]) -> SettingsCommand:
    if not words:
        return SettingsCommand(Scope.WORKSPACE, SettingsAction.OPEN)
    if words[0].lower() == "reset":
        if len(words) > 2:
            raise _unknown_threshold(" ".join(words[1:]))
        field = workspace_setting(words[1]) if len(words) == 2 else None
        return SettingsCommand(Scope.WORKSPACE, SettingsAction.RESET, field=field)
    field = workspace_setting(words[0])
    if field in SETTING_NAMES and len(words) != 2:
        raise BadInput(
            f"Give {SETTING_NAMES[field]} one duration, like 30m, 4h or 2d.",
            hint=f"For example: `/tasks settings workspace {SETTING_NAMES[field]} 2h`; "
            "`default` goes back to the default.",
        )
    if len(words) < 2:  # a calendar default: its value may have spaces ("20:00 - 07:00")
        wanted = WorkspaceField(field)
        name, example = WORKSPACE_FIELD_NAMES[wanted], _WORKSPACE_EXAMPLE_VALUES[wanted]
        raise BadInput(
            f"Say what to set {name} to.",
            hint=f"For example: `/tasks settings workspace {name} {example}`; "
            "`default` goes back to the default.",
        )
    value = " ".join(words[1:])
    if value.lower() in DEFAULT_WORDS:
        return SettingsCommand(Scope.WORKSPACE, SettingsAction.RESET, field=field)
    return SettingsCommand(Scope.WORKSPACE, SettingsAction.SET, field=field, value=value)


def workspace_setting(word: str) -> str:
    """What a workspace setting's name stands for, in any case: a ``NudgeSettings`` field
    (``NUDGE_ACK_AFTER`` → ``ack_after``) or a :class:`WorkspaceField` value
    (``QUIET_HOURS`` → ``quiet_hours``)."""
    by_name = {name.lower(): setting for setting, name in SETTING_NAMES.items()}
    by_name.update({name.lower(): field.value for field, name in WORKSPACE_FIELD_NAMES.items()})
    setting = by_name.get(word.lower())
    if setting is None:
        raise _unknown_threshold(word)
    return setting


def _unknown_threshold(text: str) -> BadInput:
    names = [*SETTING_NAMES.values(), *WORKSPACE_FIELD_NAMES.values()]
    return BadInput(
        f"I don't know the workspace setting {_shown(text)}. The settings are {', '.join(names)}.",
        hint=f"For example: {WORKSPACE_EXAMPLES}.",
    )


def _shown(text: str) -> str:
    return "“" + (text if len(text) <= 40 else text[:39] + "…") + "”"


# --- values -------------------------------------------------------------------------------


@cache
def _zones() -> dict[str, str]:
    """Every IANA name this machine knows, by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


def parse_timezone(text: str) -> str:
    """An IANA timezone name, spelt as IANA spells it ("europe/berlin" → "Europe/Berlin")."""
    cleaned = text.strip().replace(" ", "_")
    zone = _zones().get(cleaned.lower())
    if zone is not None:
        return zone
    guesses = difflib.get_close_matches(cleaned.lower(), list(_zones()), n=1, cutoff=0.75)
    guess = f" Did you mean {_zones()[guesses[0]]}?" if guesses else ""
    raise BadInput(
        f"{_shown(text.strip())} is not a timezone I know.{guess}",
        hint="Write an IANA name such as Europe/Berlin, America/New_York or Asia/Tokyo.",
    )


_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def describe_duration(value: timedelta) -> str:
    """A duration as the settings are written: the largest whole unit, "90s", "4h", "2d"."""
    seconds = int(value.total_seconds())
    for unit, size in _UNITS:
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def check_floor(setting: str, value: timedelta) -> None:
    """Refuse a threshold set from Slack that is shorter than its floor, saying the minimum."""
    floor = THRESHOLD_FLOORS[setting]
    if value >= floor:
        return
    name, least = SETTING_NAMES[setting], describe_duration(floor)
    why = (
        "a shorter repeat would nudge people about the same task over and over"
        if floor == REPEAT_FLOOR
        else "a shorter one would chase people before they could have read the task"
    )
    raise BadInput(
        f"{name} must be at least {least}: {why}.",
        hint=f"Write {least} or more.",
    )
