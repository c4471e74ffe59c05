"""A workspace's calendar defaults: how they are checked, stored and resolved over the environment's."""

from __future__ import annotations

from datetime import time

import pytest

from bot.core.errors import BadInput
from bot.core.settings_grammar import Scope, SettingsAction, SettingsCommand, WorkspaceField, parse_settings
from bot.core.workspace_calendar import WorkspaceCalendar, check_value, parse_clock_time, resolve

ENV = WorkspaceCalendar("UTC", (time(19, 0), time(8, 0)), frozenset(range(5)), time(9, 0))
W, SET, RESET = Scope.WORKSPACE, SettingsAction.SET, SettingsAction.RESET


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        (WorkspaceField.QUIET, "20:00 - 7:00", "20:00-07:00"),
        (WorkspaceField.QUIET, "OFF", "off"),
        (WorkspaceField.DAYS, "Sun-Thu", "sun-thu"),
        (WorkspaceField.DAYS, "mon, wed, fri", "mon,wed,fri"),
        (WorkspaceField.TIMEZONE, "asia/dubai", "Asia/Dubai"),
        (WorkspaceField.SUMMARY_TIME, "8:30", "08:30"),
        (WorkspaceField.SUMMARY_TIME, " 23:59 ", "23:59"),
    ],
)
def test_values_are_stored_as_people_write_them(field: WorkspaceField, typed: str, stored: str) -> None:
    assert check_value(field, typed) == stored


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        (WorkspaceField.QUIET, "7pm-8am", "19:00-08:00"),
        (WorkspaceField.QUIET, "09:00-09:00", "different times"),
        (WorkspaceField.DAYS, "none", "at least one working day"),
        (WorkspaceField.DAYS, ",", "at least one working day"),
        (WorkspaceField.DAYS, "mon-fry", "mon-fri"),
        (WorkspaceField.TIMEZONE, "Asia/Dubay", "Did you mean Asia/Dubai?"),
        (WorkspaceField.SUMMARY_TIME, "25:00", "24-hour time like 09:00"),
        (WorkspaceField.SUMMARY_TIME, "9am", "24-hour time like 09:00"),
    ],
)
def test_wrong_values_say_what_to_write(field: WorkspaceField, typed: str, says: str) -> None:
    with pytest.raises(BadInput) as raised:
        check_value(field, typed)
    assert says in str(raised.value)


def test_a_clock_time_is_read() -> None:
    assert parse_clock_time("0:05") == time(0, 5)


def test_the_workspace_values_stand_over_the_environments() -> None:
    assert resolve({}, ENV) == ENV
    stored = {
        "quiet_hours": "off",
        "working_days": "sun-thu",
        "timezone": "Asia/Dubai",
        "summary_time": "08:30",
    }
    assert resolve(stored, ENV) == WorkspaceCalendar(
        "Asia/Dubai", None, frozenset({6, 0, 1, 2, 3}), time(8, 30)
    )
    assert resolve(stored, ENV).described() == {
        WorkspaceField.QUIET: "off",
        WorkspaceField.DAYS: "sun-thu",
        WorkspaceField.TIMEZONE: "Asia/Dubai",
        WorkspaceField.SUMMARY_TIME: "08:30",
    }


def test_stored_values_that_no_longer_parse_fall_back_to_the_environment() -> None:
    stored = {
        "quiet_hours": "sometimes",
        "working_days": "",
        "timezone": "Mars/Olympus",
        "summary_time": "noon",
    }
    assert resolve(stored, ENV) == ENV


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("workspace QUIET_HOURS 20:00 - 07:00", SettingsCommand(W, SET, "quiet_hours", "20:00 - 07:00")),
        ("workspace working_days sun-thu", SettingsCommand(W, SET, "working_days", "sun-thu")),
        ("workspace DEFAULT_TIMEZONE Asia/Dubai", SettingsCommand(W, SET, "timezone", "Asia/Dubai")),
        ("workspace SUMMARY_TIME 08:30", SettingsCommand(W, SET, "summary_time", "08:30")),
        ("workspace SUMMARY_TIME default", SettingsCommand(W, RESET, "summary_time")),
        ("workspace reset quiet_hours", SettingsCommand(W, RESET, "quiet_hours")),
    ],
)
def test_workspace_defaults_are_typed_by_their_variable_names(text: str, expected: SettingsCommand) -> None:
    assert parse_settings(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("workspace SUMMARY_TIME", "Say what to set SUMMARY_TIME to"),
        ("workspace LUNCH_TIME 12:00", "QUIET_HOURS, WORKING_DAYS, DEFAULT_TIMEZONE, SUMMARY_TIME"),
    ],
)
def test_a_workspace_default_without_a_value_or_unknown_says_what_to_type(text: str, says: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_settings(text)
    assert says in str(raised.value) and "/tasks settings workspace" in str(raised.value)
