"""/tasks settings workspace: thresholds, quiet hours, working days, default timezone and summary
time, for admins and owners and whoever installed the bot; what nudges and summaries make of them.

The story starts on Thursday 26 November 2026, 10:00 UTC. The environment's defaults are the
Settings' own (quiet 19:00-08:00, mon-fri, 09:00 summaries) with DEFAULT_TIMEZONE UTC.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from bot.core.nudges import NudgeSettings
from bot.core.working_time import WorkingTime
from bot.core.workspace_calendar import WorkspaceCalendar
from bot.playground.slack.view_state import state_values
from bot.services.calendars import calendars_for, nudge_settings_for, workspace_calendar
from storage import repositories as repo
from storage import settings_store, workspaces
from storage.models import UserProfile
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, START, Story, both_databases
from tests.scenarios.nudge_story import nudges_to, sweep_at
from tests.scenarios.summary_story import answer, subscription
from tests.scenarios.test_settings import hold_check, inputs, next_check, open_form

ADMIN, NOZONE = "UADMIN", "UNOZONE"
ENVIRONMENT = WorkspaceCalendar("UTC", (time(19, 0), time(8, 0)), frozenset(range(5)), time(9, 0))
CALENDAR_FIELDS = ("QUIET_HOURS", "WORKING_DAYS", "DEFAULT_TIMEZONE", "SUMMARY_TIME")
REFUSED = "Only workspace admins and owners"


@pytest.fixture
def people(story: Story) -> Story:
    story.slack.add_user(ADMIN, name="ada", tz="Europe/London", is_admin=True)
    story.slack.add_user(NOZONE, name="noor", tz="UTC")
    # Slack's profile for Noor names no timezone (cached fresh, so Slack is not asked again).
    with story.handoff.runtime.db.session_scope() as session:
        repo.save_profile(
            session,
            profile=UserProfile(
                team_id=story.slack.team_id, user_id=NOZONE, tz=None, fetched_at=story.clock()
            ),
        )
    return story


def installed_by(story: Story, user: str) -> None:
    """The bot was installed (OAuth) by ``user``, as the install records it."""
    with story.handoff.runtime.db.session_scope() as session:
        workspaces.record_installed(
            session, team_id=story.slack.team_id, team_name="Acme", installed_by=user, now=story.clock()
        )


def defaults(story: Story) -> WorkspaceCalendar:
    rt = story.handoff.runtime
    with rt.db.session_scope(write=False) as session:
        return workspace_calendar(rt, session, team_id=story.slack.team_id)


def stored(story: Story) -> dict[str, str]:
    with story.handoff.runtime.db.session_scope(write=False) as session:
        return settings_store.workspace_defaults(session, team_id=story.slack.team_id)


def thresholds(story: Story) -> NudgeSettings:
    rt = story.handoff.runtime
    with rt.db.session_scope(write=False) as session:
        return nudge_settings_for(rt, session, team_id=story.slack.team_id)


def calendar(story: Story, user: str) -> WorkingTime:
    rt = story.handoff.runtime
    with rt.db.session_scope(write=False) as session:
        return calendars_for(rt, session, team_id=story.slack.team_id, user_ids=[user])[user]


def hint(field: dict[str, Any]) -> str:
    return str(field["hint"]["text"])


# --- the form -----------------------------------------------------------------------------


@both_databases
def test_an_admin_sees_the_defaults_and_saves_the_workspace_calendar(people: Story) -> None:
    story = people
    rt = story.handoff.runtime
    rt.settings = replace(rt.settings, summary_time=time(7, 15))  # SUMMARY_TIME=07:15 in the environment
    form = open_form(story, ADMIN, "settings workspace")
    fields = inputs(form)
    assert list(fields)[-4:] == list(CALENDAR_FIELDS)
    quiet = fields["QUIET_HOURS"]
    assert "initial_value" not in quiet["element"]
    assert quiet["element"]["placeholder"]["text"] == "19:00-08:00 (default)"
    assert "Now 19:00-08:00, the default. Empty means the default, 19:00-08:00." in hint(quiet)
    assert fields["SUMMARY_TIME"]["element"]["placeholder"]["text"] == "07:15 (default)"
    assert fields["DEFAULT_TIMEZONE"]["element"]["placeholder"]["text"] == "UTC (default)"
    assert "Empty means the default, 4h." in hint(fields["NUDGE_ACK_AFTER"])

    reply = story.submit(
        form, user=ADMIN, QUIET_HOURS="20:00 - 7:00", WORKING_DAYS="Sun-Thu",
        DEFAULT_TIMEZONE="asia/dubai", SUMMARY_TIME="8:30", NUDGE_ACK_AFTER="2h",
    )  # fmt: skip
    assert reply.json["response_action"] == "update"
    said = str(reply.json["view"]["blocks"])
    assert "20:00-07:00" in said and "sun-thu" in said and "Asia/Dubai" in said and "08:30" in said
    assert defaults(story) == WorkspaceCalendar(
        "Asia/Dubai", (time(20, 0), time(7, 0)), frozenset({6, 0, 1, 2, 3}), time(8, 30)
    )
    assert thresholds(story).ack_after == timedelta(hours=2)

    again = inputs(open_form(story, ADMIN, "settings workspace"))
    assert again["QUIET_HOURS"]["element"]["initial_value"] == "20:00-07:00"
    assert "Now 20:00-07:00, this workspace's own. Empty means the default, 19:00-08:00." in hint(
        again["QUIET_HOURS"]
    )

    # Emptied, or set to the environment's value, a field follows the environment again.
    story.submit(
        open_form(story, ADMIN, "settings workspace"), user=ADMIN, QUIET_HOURS="", WORKING_DAYS="mon-fri",
        DEFAULT_TIMEZONE="Asia/Dubai", SUMMARY_TIME="08:30", NUDGE_ACK_AFTER="2h",
    )  # fmt: skip
    assert stored(story) == {"timezone": "Asia/Dubai", "summary_time": "08:30"}


@both_databases
def test_wrong_values_are_shown_next_to_their_fields_and_nothing_is_saved(people: Story) -> None:
    story = people
    form = open_form(story, ADMIN, "settings workspace")
    reply = story.submit(
        form, user=ADMIN, DEFAULT_TIMEZONE="Asia/Dubay", SUMMARY_TIME="25:00", WORKING_DAYS="none",
        NUDGE_ACK_AFTER="1m", QUIET_HOURS="20:00-07:00",
    )  # fmt: skip
    assert reply.json["response_action"] == "errors"
    errors = reply.json["errors"]
    assert set(errors) == {"DEFAULT_TIMEZONE", "SUMMARY_TIME", "WORKING_DAYS", "NUDGE_ACK_AFTER"}
    assert "Did you mean Asia/Dubai?" in errors["DEFAULT_TIMEZONE"]
    assert "24-hour time like 09:00" in errors["SUMMARY_TIME"]
    assert "at least one working day" in errors["WORKING_DAYS"]
    assert "NUDGE_ACK_AFTER must be at least 5m" in errors["NUDGE_ACK_AFTER"]
    assert stored(story) == {} and defaults(story) == ENVIRONMENT
    assert thresholds(story) == NudgeSettings()  # the good quiet hours were not saved either

    reply = story.submit(form, user=ADMIN, WORKING_DAYS=",", QUIET_HOURS="20:00-07:00")
    assert set(reply.json["errors"]) == {"WORKING_DAYS"}
    assert stored(story) == {}


def test_a_form_opened_before_a_typed_change_does_not_undo_it(people: Story) -> None:
    story = people
    form = open_form(story, ADMIN, "settings workspace")
    values = state_values(form, {"SUMMARY_TIME": "07:00"})
    story.command("/tasks", user=ADMIN, text="settings workspace QUIET_HOURS off")
    late = story.requests.view_submission(form, user=ADMIN, values=values)
    assert "changed after this form opened" in str(late.json["errors"])
    assert stored(story) == {"quiet_hours": "off"}


# --- typed --------------------------------------------------------------------------------


@both_databases
def test_an_admin_types_each_default(people: Story) -> None:
    story = people
    for typed, shown in [
        ("QUIET_HOURS 20:00 - 07:00", "*20:00-07:00* (this workspace)"),
        ("working_days sun-thu", "*sun-thu* (this workspace)"),
        ("DEFAULT_TIMEZONE asia/dubai", "*Asia/Dubai* (this workspace)"),
        ("SUMMARY_TIME 8:30", "*08:30* (this workspace)"),
    ]:
        story.command("/tasks", user=ADMIN, text=f"settings workspace {typed}")
        assert shown in answer(story, ADMIN)
    expected = {"quiet_hours": "20:00-07:00", "working_days": "sun-thu", "timezone": "Asia/Dubai"}
    assert stored(story) == {**expected, "summary_time": "08:30"}

    story.command("/tasks", user=ADMIN, text="settings workspace SUMMARY_TIME default")
    assert "*09:00* (default)" in answer(story, ADMIN)
    story.command(
        "/tasks", user=ADMIN, text="settings workspace QUIET_HOURS 19:00-08:00"
    )  # the environment's
    assert stored(story) == {"working_days": "sun-thu", "timezone": "Asia/Dubai"}


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("SUMMARY_TIME 25:00", "24-hour time like 09:00"),
        ("DEFAULT_TIMEZONE Mars/Base", "is not a timezone I know"),
        ("WORKING_DAYS none", "at least one working day"),
        ("QUIET_HOURS 7pm-8am", "19:00-08:00"),
        ("WORKING_DAYS", "Say what to set WORKING_DAYS to"),
        ("LUNCH_HOURS 12:00-13:00", "QUIET_HOURS, WORKING_DAYS, DEFAULT_TIMEZONE, SUMMARY_TIME"),
    ],
)
def test_a_wrong_typed_default_says_what_to_write_and_saves_nothing(
    people: Story, typed: str, says: str
) -> None:
    story = people
    story.command("/tasks", user=ADMIN, text=f"settings workspace {typed}")
    assert says in answer(story, ADMIN)
    assert stored(story) == {}


# --- who may ------------------------------------------------------------------------------


def test_someone_neither_admin_nor_installer_is_told_who_may(people: Story) -> None:
    story = people
    installed_by(story, MALLORY)
    story.command("/tasks", user=ALICE, text="settings workspace")
    assert story.slack.views_opened == []
    said = answer(story, ALICE)
    assert REFUSED in said and f"<@{MALLORY}>, who installed Handoff" in said

    story.command("/tasks", user=ALICE, text="settings workspace QUIET_HOURS off")
    assert REFUSED in answer(story, ALICE)
    form = open_form(story, ADMIN, "settings workspace")
    reply = story.submit(form, user=ALICE, QUIET_HOURS="off")  # the admin's form, sent by Alice
    assert REFUSED in str(reply.json["errors"])
    assert stored(story) == {}


@both_databases
def test_the_installer_may_though_not_an_admin(people: Story) -> None:
    story = people
    installed_by(story, MALLORY)
    form = open_form(story, MALLORY, "settings workspace")
    reply = story.submit(form, user=MALLORY, WORKING_DAYS="sun-thu")
    assert reply.json["response_action"] == "update"
    story.command("/tasks", user=MALLORY, text="settings workspace DEFAULT_TIMEZONE Asia/Dubai")
    assert "*Asia/Dubai* (this workspace)" in answer(story, MALLORY)
    assert stored(story) == {"working_days": "sun-thu", "timezone": "Asia/Dubai"}

    installed_by(story, OWNER)  # installed again, by someone else: Mallory is no longer the one
    story.command("/tasks", user=MALLORY, text="settings workspace SUMMARY_TIME 07:00")
    assert REFUSED in answer(story, MALLORY)


# --- what the sweep makes of them ---------------------------------------------------------
# START is Thursday 10:00 UTC, 05:00 in Alice's New York. A task offered then is due a
# reminder 4 h later, 09:00 in New York.

REMINDER_DUE = START + timedelta(hours=4)
ELEVEN_IN_NEW_YORK = START + timedelta(hours=6)
TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: dec 10"


@both_databases
def test_the_workspace_quiet_hours_hold_a_reminder_for_someone_with_none_of_their_own(people: Story) -> None:
    story = people
    story.command("/tasks", user=ADMIN, text="settings workspace QUIET_HOURS 18:00-11:00")
    story.delegate(TASK)
    sweep_at(story, REMINDER_DUE)
    sweep_at(story, ELEVEN_IN_NEW_YORK - timedelta(minutes=1))
    assert nudges_to(story, ALICE) == []
    sweep_at(story, ELEVEN_IN_NEW_YORK)
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]


def test_her_own_quiet_hours_come_before_the_workspaces(people: Story) -> None:
    story = people
    story.command("/tasks", user=ADMIN, text="settings workspace QUIET_HOURS 18:00-11:00")
    story.command("/tasks", user=ALICE, text="settings quiet off")
    story.delegate(TASK)
    sweep_at(story, REMINDER_DUE)
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]


def test_the_workspace_working_days_hold_a_reminder_until_the_next_working_day(people: Story) -> None:
    story = people
    story.command("/tasks", user=ADMIN, text="settings workspace WORKING_DAYS mon-wed")
    story.delegate(TASK)
    sweep_at(story, REMINDER_DUE)  # Thursday: not a working day any more
    monday_8am_new_york = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)
    sweep_at(story, monday_8am_new_york - timedelta(minutes=1))
    assert nudges_to(story, ALICE) == []
    sweep_at(story, monday_8am_new_york)
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]


def test_workspace_hours_changed_while_a_reminder_waits_apply_to_it_at_once(people: Story) -> None:
    story = people
    story.command("/tasks", user=ADMIN, text="settings workspace QUIET_HOURS 18:00-11:00")
    story.delegate(TASK)
    sweep_at(story, REMINDER_DUE)
    assert nudges_to(story, ALICE) == []  # held for 11:00 in New York
    held = next_check(story, 1)
    assert held > REMINDER_DUE + timedelta(hours=1)

    story.later(minutes=30)
    story.command("/tasks", user=ADMIN, text="settings workspace QUIET_HOURS off")
    assert next_check(story, 1) == story.clock()  # brought forward
    sweep_at(story, REMINDER_DUE + timedelta(minutes=31))
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]

    hold_check(story, 1, held)
    form = open_form(story, ADMIN, "settings workspace")
    story.submit(form, user=ADMIN, QUIET_HOURS="off", WORKING_DAYS="mon-sun")
    assert next_check(story, 1) == story.clock()  # the form brings it forward too


def test_the_default_timezone_is_for_those_whose_profile_names_none(people: Story) -> None:
    story = people
    story.delegate(TASK)  # Alice's Slack profile is looked up (and cached) for her task
    story.command("/tasks", user=ADMIN, text="settings workspace DEFAULT_TIMEZONE Asia/Dubai")
    assert calendar(story, NOZONE).timezone == "Asia/Dubai"
    assert calendar(story, ALICE).timezone == "America/New_York"  # her Slack profile's comes first
    story.command("/tasks", user=ADMIN, text="settings workspace WORKING_DAYS sun-thu")

    timezone = inputs(open_form(story, NOZONE))["timezone"]  # her own form shows what she follows
    assert timezone["element"]["initial_value"] == "Asia/Dubai" and "workspace default" in hint(timezone)
    assert inputs(open_form(story, NOZONE))["working_days"]["element"]["initial_value"] == "sun-thu"


# --- what summaries make of them ----------------------------------------------------------


@both_databases
def test_a_new_summary_takes_the_workspaces_time_and_days(people: Story) -> None:
    story = people
    story.command("/tasks", user=ADMIN, text="settings workspace SUMMARY_TIME 07:30")
    story.command("/tasks", user=ADMIN, text="settings workspace WORKING_DAYS sun-thu")
    story.command("/tasks", user=OWNER, text="summary here")
    assert "Every sun-thu at 07:30 Europe/Berlin" in answer(story, OWNER)  # the subscriber's timezone
    made = subscription(story)
    # Thursday 07:30 in Berlin has passed; Friday and Saturday are not working days.
    assert made is not None and made.next_post_at == datetime(2026, 11, 29, 6, 30, tzinfo=UTC)

    story.command("/tasks", user=ADMIN, text="settings workspace DEFAULT_TIMEZONE Asia/Dubai")
    story.command("/tasks", user=NOZONE, text="summary here")  # her profile names no timezone
    assert "Every sun-thu at 07:30 Asia/Dubai" in answer(story, NOZONE)
    story.command("/tasks", user=NOZONE, text="summary here 16:00 days:mon-fri")  # chosen: kept
    assert "Every mon-fri at 16:00 Asia/Dubai" in answer(story, NOZONE)


def test_a_due_date_is_read_in_the_workspace_timezone_when_the_owner_has_none(people: Story) -> None:
    story = people
    story.command("/tasks", user=ADMIN, text="settings workspace DEFAULT_TIMEZONE Asia/Dubai")
    story.delegate(
        f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday 5pm", user=NOZONE
    )
    task = story.task(1)
    assert task is not None and task.due_at == datetime(2026, 11, 27, 13, 0, tzinfo=UTC)  # 17:00 in Dubai
