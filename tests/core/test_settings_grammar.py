"""The grammar of /tasks settings, the timezone names and the durations' wording."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.errors import BadInput
from bot.core.nudges import SETTING_NAMES
from bot.core.parsing import TasksCommand, TasksVerb, parse_tasks
from bot.core.settings_grammar import (
    THRESHOLD_FLOORS,
    HoursField,
    Scope,
    SettingsAction,
    SettingsCommand,
    check_floor,
    describe_duration,
    parse_settings,
    parse_timezone,
)

P, W = Scope.PERSONAL, Scope.WORKSPACE
OPEN, SET, RESET = SettingsAction.OPEN, SettingsAction.SET, SettingsAction.RESET


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SettingsCommand(P, OPEN)),
        ("quiet 19:00-08:00", SettingsCommand(P, SET, HoursField.QUIET, "19:00-08:00")),
        ("Quiet 19:00 - 08:00", SettingsCommand(P, SET, HoursField.QUIET, "19:00 - 08:00")),
        ("quiet-hours off", SettingsCommand(P, SET, HoursField.QUIET, "off")),
        ("days mon-fri", SettingsCommand(P, SET, HoursField.DAYS, "mon-fri")),
        ("working-days mon, wed, fri", SettingsCommand(P, SET, HoursField.DAYS, "mon, wed, fri")),
        ("tz Europe/Berlin", SettingsCommand(P, SET, HoursField.TIMEZONE, "Europe/Berlin")),
        ("timezone America/New_York", SettingsCommand(P, SET, HoursField.TIMEZONE, "America/New_York")),
        ("tz default", SettingsCommand(P, RESET, HoursField.TIMEZONE)),
        ("reset", SettingsCommand(P, RESET)),
        ("RESET days", SettingsCommand(P, RESET, HoursField.DAYS)),
        ("workspace", SettingsCommand(W, OPEN)),
        ("Workspace NUDGE_ACK_AFTER 2h", SettingsCommand(W, SET, "ack_after", "2h")),
        ("workspace escalate_after 1d", SettingsCommand(W, SET, "escalate_after", "1d")),
        ("workspace NUDGE_REVIEW_AFTER default", SettingsCommand(W, RESET, "review_after")),
        ("workspace reset", SettingsCommand(W, RESET)),
        ("workspace reset nudge_due_soon", SettingsCommand(W, RESET, "due_soon")),
    ],
)
def test_settings_commands(text: str, expected: SettingsCommand) -> None:
    assert parse_settings(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("lunch 12:00-13:00", "tz, quiet and days"),
        ("quiet", "Say what to set quiet to"),
        ("reset quiet days", "tz, quiet and days"),
        ("workspace NUDGE_SOMETIMES 2h", "NUDGE_ACK_AFTER, ESCALATE_AFTER"),
        ("workspace NUDGE_ACK_AFTER", "one duration"),
        ("workspace NUDGE_ACK_AFTER 2 hours", "one duration"),
        ("workspace reset a b", "I don't know the workspace setting"),
    ],
)
def test_settings_commands_that_say_what_to_write(text: str, words: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_settings(text)
    assert words in str(raised.value) and "/tasks settings" in str(raised.value)


def test_tasks_hands_settings_to_their_grammar() -> None:
    assert parse_tasks("settings") == TasksCommand(TasksVerb.SETTINGS, settings=SettingsCommand(P, OPEN))
    assert parse_tasks("Settings days mon-sun").settings == SettingsCommand(
        P, SET, HoursField.DAYS, "mon-sun"
    )
    with pytest.raises(BadInput):
        parse_tasks("settings tz xoxb-123456789012-123456789012-abcdefghijklmnopqrstuvwx")


@pytest.mark.parametrize(
    ("text", "zone"),
    [("Europe/Berlin", "Europe/Berlin"), ("europe/berlin", "Europe/Berlin"), (" UTC ", "UTC"),
     ("America/New York", "America/New_York")],
)  # fmt: skip
def test_timezones_are_spelt_as_iana_spells_them(text: str, zone: str) -> None:
    assert parse_timezone(text) == zone


def test_an_unknown_timezone_suggests_the_closest() -> None:
    with pytest.raises(BadInput, match="Did you mean Europe/Berlin"):
        parse_timezone("Europe/Berln")
    with pytest.raises(BadInput, match="IANA name"):
        parse_timezone("Mars/Olympus")


@pytest.mark.parametrize(
    ("value", "text"),
    [(timedelta(seconds=90), "90s"), (timedelta(minutes=90), "90m"), (timedelta(hours=4), "4h"),
     (timedelta(days=2), "2d"), (timedelta(hours=48), "2d"), (timedelta(minutes=120), "2h")],
)  # fmt: skip
def test_durations_are_written_in_their_largest_whole_unit(value: timedelta, text: str) -> None:
    assert describe_duration(value) == text


@given(st.integers(min_value=1, max_value=10**7))
def test_a_described_duration_means_the_same_time(seconds: int) -> None:
    text = describe_duration(timedelta(seconds=seconds))
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    assert int(text[:-1]) * units[text[-1]] == seconds


def test_thresholds_set_from_slack_have_floors() -> None:
    """The repeat at least an hour (else everyone late is nudged each sweep), the rest 5 minutes."""
    assert {
        setting: timedelta(hours=1) if setting == "repeat_every" else timedelta(minutes=5)
        for setting in SETTING_NAMES
    } == THRESHOLD_FLOORS


@pytest.mark.parametrize("setting", list(SETTING_NAMES))
def test_a_threshold_at_its_floor_passes_and_below_it_says_the_minimum(setting: str) -> None:
    floor = THRESHOLD_FLOORS[setting]
    check_floor(setting, floor)
    with pytest.raises(BadInput) as raised:
        check_floor(setting, floor - timedelta(seconds=1))
    least = describe_duration(floor)
    assert f"{SETTING_NAMES[setting]} must be at least {least}" in str(raised.value)
    assert f"Write {least} or more" in str(raised.value)
