"""/tasks settings: a person's own working hours, and the workspace's thresholds (admins only).

What is saved is read back the way the sweep reads it (``calendars_for``,
``nudge_settings_for``), through the running app's own database.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from bot.core.nudges import NudgeSettings
from bot.core.working_time import WorkingTime
from bot.playground.slack.view_state import state_values
from bot.services.calendars import calendars_for, nudge_settings_for
from storage import inbox, settings_store
from storage.models import TaskRow
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, START, Story, both_databases
from tests.scenarios.nudge_story import nudges_to, sweep_at

ADMIN, CHIEF = "UADMIN", "UCHIEF"
DEFAULT_HOURS = WorkingTime("America/New_York", (time(19, 0), time(8, 0)), frozenset(range(5)))


@pytest.fixture
def people(story: Story) -> Story:
    story.slack.add_user(ADMIN, name="ada", tz="Europe/London", is_admin=True)
    story.slack.add_user(CHIEF, name="carl", tz="Europe/Paris", is_owner=True)  # an owner, not an admin
    return story


def calendar(story: Story, user: str) -> WorkingTime:
    rt = story.handoff.runtime
    with rt.db.session_scope(write=False) as session:
        return calendars_for(rt, session, team_id=story.slack.team_id, user_ids=[user])[user]


def thresholds(story: Story) -> NudgeSettings:
    rt = story.handoff.runtime
    with rt.db.session_scope(write=False) as session:
        return nudge_settings_for(rt, session, team_id=story.slack.team_id)


def stored(story: Story, user: str) -> Any:
    with story.handoff.runtime.db.session_scope(write=False) as session:
        return settings_store.user_settings(session, team_id=story.slack.team_id, user_id=user)


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def open_form(story: Story, user: str, text: str = "settings") -> dict[str, Any]:
    before = len(story.slack.views_opened)
    story.command("/tasks", user=user, text=text)
    assert len(story.slack.views_opened) == before + 1, story.slack.describe_calls()
    return story.slack.last_view()


# --- a person's working hours -------------------------------------------------------------


def test_the_form_opens_with_what_applies_now_and_where_it_comes_from(story: Story) -> None:
    form = open_form(story, ALICE)
    assert form["callback_id"] == "working_hours_modal"
    fields = inputs(form)
    assert fields["timezone"]["element"]["initial_value"] == "America/New_York"
    assert "Slack profile" in fields["timezone"]["hint"]["text"]
    assert fields["quiet_hours"]["element"]["initial_value"] == "19:00-08:00"
    assert fields["working_days"]["element"]["initial_value"] == "mon-fri"
    assert "workspace default" in fields["working_days"]["hint"]["text"]

    story.command("/tasks", user=ALICE, text="settings quiet 21:00-07:00")
    quiet = inputs(open_form(story, ALICE))["quiet_hours"]
    assert quiet["element"]["initial_value"] == "21:00-07:00"
    assert "your own setting" in quiet["hint"]["text"] and "19:00-08:00" in quiet["hint"]["text"]


@both_databases
def test_wrong_values_are_shown_next_to_their_fields_and_nothing_is_saved(story: Story) -> None:
    form = open_form(story, ALICE)
    reply = story.submit(
        form, user=ALICE, timezone="Europe/Berln", quiet_hours="7pm-8am", working_days="mon-fry"
    )
    assert reply.json["response_action"] == "errors"
    errors = reply.json["errors"]
    assert set(errors) == {"timezone", "quiet_hours", "working_days"}
    assert "Did you mean Europe/Berlin?" in errors["timezone"]
    assert "19:00-08:00" in errors["quiet_hours"] and "mon-fri" in errors["working_days"]

    # Two good fields and one wrong: still nothing.
    reply = story.submit(
        form, user=ALICE, timezone="Europe/Berlin", quiet_hours="off", working_days="mon-fry"
    )
    assert set(reply.json["errors"]) == {"working_days"}
    assert stored(story, ALICE) is None
    assert calendar(story, ALICE) == DEFAULT_HOURS


@both_databases
def test_saved_hours_are_the_ones_the_sweep_reads(story: Story) -> None:
    form = open_form(story, ALICE)
    reply = story.submit(
        form, user=ALICE, timezone="europe/berlin", quiet_hours="20:00 - 7:30", working_days="mon,wed,fri"
    )
    assert reply.json["response_action"] == "update"
    summary = str(reply.json["view"]["blocks"])
    assert "Europe/Berlin" in summary and "20:00-07:30" in summary and "mon,wed,fri" in summary
    assert calendar(story, ALICE) == WorkingTime(
        "Europe/Berlin", (time(20, 0), time(7, 30)), frozenset({0, 2, 4})
    )

    # Emptied, or set back to the default, a field follows the default again.
    form = open_form(story, ALICE)
    story.submit(form, user=ALICE, timezone="America/New_York", quiet_hours="", working_days="mon,wed,fri")
    row = stored(story, ALICE)
    assert (row.timezone, row.quiet_hours, row.working_days) == (None, None, "mon,wed,fri")


def test_a_form_sent_unchanged_keeps_following_the_defaults(story: Story) -> None:
    reply = story.submit(open_form(story, ALICE), user=ALICE)
    assert reply.json["response_action"] == "update"
    assert stored(story, ALICE) is None  # nothing of her own: a new Slack timezone will apply


def test_a_retried_submission_saves_once(story: Story) -> None:
    form = open_form(story, ALICE)
    values = state_values(form, {"quiet_hours": "22:00-06:00"})
    first = story.requests.view_submission(form, user=ALICE, values=values)
    saved_at = stored(story, ALICE).updated_at
    story.later(minutes=5)
    again = story.requests.view_submission(form, user=ALICE, values=values)
    assert first.json == again.json and again.json["response_action"] == "update"
    assert stored(story, ALICE).updated_at == saved_at


def test_a_form_opened_before_a_change_does_not_undo_it(story: Story) -> None:
    form = open_form(story, ALICE)
    story.command("/tasks", user=ALICE, text="settings days mon-sun")
    reply = story.submit(form, user=ALICE, quiet_hours="22:00-06:00")
    assert "changed after this form opened" in str(reply.json["errors"])
    assert calendar(story, ALICE).days == frozenset(range(7))
    assert calendar(story, ALICE).quiet == (time(19, 0), time(8, 0))


@both_databases
def test_typed_settings_are_checked_saved_and_reset(story: Story) -> None:
    story.command("/tasks", user=ALICE, text="settings quiet 19:30-07:00")
    answer = story.ephemeral(ALICE).plain_text()
    assert "19:30-07:00" in answer and "your own setting" in answer
    story.command("/tasks", user=ALICE, text="settings days mon-sun")
    story.command("/tasks", user=ALICE, text="settings tz asia/tokyo")
    assert calendar(story, ALICE) == WorkingTime(
        "Asia/Tokyo", (time(19, 30), time(7, 0)), frozenset(range(7))
    )

    story.command("/tasks", user=ALICE, text="settings quiet 7pm")
    assert "19:00-08:00" in story.ephemeral(ALICE).plain_text()  # what to write instead
    story.command("/tasks", user=ALICE, text="settings lunch 12:00")
    assert "tz, quiet and days" in story.ephemeral(ALICE).plain_text()
    assert calendar(story, ALICE).quiet == (time(19, 30), time(7, 0))

    story.command("/tasks", user=ALICE, text="settings quiet default")
    assert calendar(story, ALICE).quiet == (time(19, 0), time(8, 0))
    assert calendar(story, ALICE).timezone == "Asia/Tokyo"
    story.command("/tasks", user=ALICE, text="settings reset")
    assert "Back to the defaults" in story.ephemeral(ALICE).plain_text()
    assert stored(story, ALICE) is None


def test_a_typed_change_from_someone_not_yet_looked_up_knows_their_slack_timezone(story: Story) -> None:
    reply = story.command("/tasks", user=ALICE, text="settings tz America/New_York")
    assert reply.status == 200
    answer = story.ephemeral(ALICE).plain_text()
    assert "America/New_York* (your Slack profile)" in answer  # the default: nothing of her own kept
    assert stored(story, ALICE) is None
    with story.handoff.runtime.db.session_scope(write=False) as session:
        assert list(inbox.unfinished(session)) == []


def test_help_tells_of_settings(story: Story) -> None:
    story.command("/tasks", user=OWNER, text="help")
    assert "/tasks settings quiet 19:00-08:00" in story.ephemeral(OWNER).plain_text()


# --- the workspace's thresholds -----------------------------------------------------------


def test_only_admins_and_owners_change_the_thresholds(people: Story) -> None:
    story = people
    story.command("/tasks", user=ALICE, text="settings workspace")
    assert story.slack.views_opened == []
    assert "Only workspace admins and owners" in story.ephemeral(ALICE).plain_text()

    story.command("/tasks", user=ALICE, text="settings workspace NUDGE_ACK_AFTER 2h")
    assert "Only workspace admins and owners" in story.ephemeral(ALICE).plain_text()
    assert thresholds(story) == NudgeSettings()


def test_a_form_for_thresholds_is_refused_to_someone_not_an_admin(people: Story) -> None:
    story = people
    form = open_form(story, ADMIN, "settings workspace")
    reply = story.submit(form, user=ALICE, NUDGE_ACK_AFTER="1m")  # the admin's form, sent by Alice
    assert "Only workspace admins and owners" in str(reply.json["errors"])
    assert thresholds(story) == NudgeSettings()


@both_databases
def test_an_admin_sets_thresholds_in_the_form(people: Story) -> None:
    story = people
    form = open_form(story, ADMIN, "settings workspace")
    assert form["callback_id"] == "thresholds_modal"
    fields = inputs(form)
    assert len(fields) == 12 and fields["NUDGE_ACK_AFTER"]["element"]["placeholder"]["text"] == "4h (default)"
    assert "initial_value" not in fields["NUDGE_ACK_AFTER"]["element"]

    reply = story.submit(form, user=ADMIN, NUDGE_ACK_AFTER="2h", ESCALATE_AFTER="90m", NUDGE_DUE_SOON="soon")
    assert set(reply.json["errors"]) == {"NUDGE_DUE_SOON"}
    assert thresholds(story) == NudgeSettings()

    reply = story.submit(form, user=ADMIN, NUDGE_ACK_AFTER="2h", ESCALATE_AFTER="90m", NUDGE_DUE_SOON="3d")
    assert reply.json["response_action"] == "update"
    expected = NudgeSettings(
        ack_after=timedelta(hours=2), escalate_after=timedelta(minutes=90), due_soon=timedelta(days=3)
    )
    assert thresholds(story) == expected

    again = inputs(open_form(story, ADMIN, "settings workspace"))
    assert again["NUDGE_ACK_AFTER"]["element"]["initial_value"] == "2h"


def test_an_owner_sets_a_threshold_by_typing_it(people: Story) -> None:
    story = people
    story.command("/tasks", user=CHIEF, text="settings workspace nudge_ack_after 120m")
    assert "2h" in story.ephemeral(CHIEF).plain_text()
    assert thresholds(story).ack_after == timedelta(hours=2)

    story.command("/tasks", user=CHIEF, text="settings workspace NUDGE_REVIEW_AFTER soon")
    assert "like 90s, 4h or 7d" in story.ephemeral(CHIEF).plain_text()
    story.command("/tasks", user=CHIEF, text="settings workspace NUDGE_ACK_AFTER default")
    assert thresholds(story) == NudgeSettings()


@pytest.mark.parametrize(
    ("name", "short", "least", "enough"),
    [("NUDGE_REPEAT_EVERY", "59m", "1h", "1h"), ("NUDGE_ACK_AFTER", "1s", "5m", "5m")],
)
def test_a_typed_threshold_below_its_floor_is_refused_with_the_minimum(
    people: Story, name: str, short: str, least: str, enough: str
) -> None:
    story = people
    story.command("/tasks", user=ADMIN, text=f"settings workspace {name} {short}")
    assert f"{name} must be at least {least}" in story.ephemeral(ADMIN).plain_text()
    assert thresholds(story) == NudgeSettings()
    story.command("/tasks", user=ADMIN, text=f"settings workspace {name} {enough}")
    assert thresholds(story) != NudgeSettings()


def test_the_thresholds_form_says_the_minimums_and_refuses_less(people: Story) -> None:
    story = people
    form = open_form(story, ADMIN, "settings workspace")
    fields = inputs(form)
    assert "At least 1h." in fields["NUDGE_REPEAT_EVERY"]["hint"]["text"]
    assert "At least 5m." in fields["NUDGE_REVIEW_AFTER"]["hint"]["text"]
    reply = story.submit(
        form, user=ADMIN, NUDGE_REPEAT_EVERY="1s", NUDGE_REVIEW_AFTER="4m", NUDGE_ACK_AFTER="5m"
    )
    errors = reply.json["errors"]
    assert set(errors) == {"NUDGE_REPEAT_EVERY", "NUDGE_REVIEW_AFTER"}
    assert "must be at least 1h" in errors["NUDGE_REPEAT_EVERY"]
    assert "must be at least 5m" in errors["NUDGE_REVIEW_AFTER"]
    assert thresholds(story) == NudgeSettings()  # nothing half-written


def test_who_is_an_admin_is_asked_of_slack_each_time(people: Story) -> None:
    story = people
    story.command("/tasks", user=ADMIN, text="settings workspace NUDGE_ACK_AFTER 1h")
    assert thresholds(story).ack_after == timedelta(hours=1)
    user = story.slack.user(ADMIN)
    assert user is not None
    user.is_admin = False  # demoted in Slack; the bot's cached profile still says admin
    story.command("/tasks", user=ADMIN, text="settings workspace NUDGE_ACK_AFTER 3h")
    assert "Only workspace admins and owners" in story.ephemeral(ADMIN).plain_text()
    assert thresholds(story).ack_after == timedelta(hours=1)


def test_a_thresholds_form_sent_again_saves_once_and_never_undoes_a_later_change(people: Story) -> None:
    story = people
    form = open_form(story, ADMIN, "settings workspace")
    values = state_values(form, {"NUDGE_REPORT_EVERY": "3d"})
    first = story.requests.view_submission(form, user=ADMIN, values=values)
    retried = story.requests.view_submission(form, user=ADMIN, values=values)
    assert first.json == retried.json and first.json["response_action"] == "update"
    story.command("/tasks", user=ADMIN, text="settings workspace NUDGE_ACK_AFTER 1h")
    late = story.requests.view_submission(form, user=ADMIN, values=values)
    assert "changed after this form opened" in str(late.json["errors"])
    assert thresholds(story) == NudgeSettings(report_every=timedelta(days=3), ack_after=timedelta(hours=1))


def test_a_stored_value_that_no_longer_parses_falls_back_to_the_default(story: Story) -> None:
    with story.handoff.runtime.db.session_scope() as session:
        values = {"timezone": "Mars/Olympus", "quiet_hours": "sometimes", "working_days": "mon,wed"}
        settings_store.replace_user_settings(
            session, team_id=story.slack.team_id, user_id=ALICE, values=values, now=story.clock()
        )
    assert calendar(story, ALICE) == WorkingTime("UTC", (time(19, 0), time(8, 0)), frozenset({0, 2}))


def test_stored_thresholds_under_their_floors_or_unreadable_are_not_trusted(story: Story) -> None:
    with story.handoff.runtime.db.session_scope() as session:
        overrides = {"repeat_every": "1s", "ack_after": "soon", "review_after": "2h"}
        settings_store.replace_workspace_overrides(
            session, team_id=story.slack.team_id, overrides=overrides, now=story.clock()
        )
    assert thresholds(story) == NudgeSettings(review_after=timedelta(hours=2))


def next_check(story: Story, number: int) -> Any:
    with story.handoff.runtime.db.session_scope(write=False) as session:
        row = session.exec(select(TaskRow).where(TaskRow.number == number)).one()
        return row.next_check_at


def hold_check(story: Story, number: int, until: Any) -> None:
    with story.handoff.runtime.db.session_scope() as session:
        session.execute(update(TaskRow).where(col(TaskRow.number) == number).values(next_check_at=until))


def test_new_hours_or_thresholds_have_the_sweep_look_again_at_once(people: Story) -> None:
    story = people
    story.delegate(f"<@{ALICE}> Ship the report | done when: PDF sent | due: friday")
    held = story.clock() + timedelta(hours=7)  # as if a nudge to Alice waited for her morning
    hold_check(story, 1, held)
    story.later(minutes=5)
    story.command("/tasks", user=MALLORY, text="settings quiet off")  # not hers: nothing moves
    assert next_check(story, 1) == held
    story.command("/tasks", user=ALICE, text="settings quiet off")
    assert next_check(story, 1) == story.clock()

    hold_check(story, 1, held)
    story.command("/tasks", user=ADMIN, text="settings workspace NUDGE_ACK_AFTER 1h")
    assert next_check(story, 1) == story.clock()


# --- what the sweep makes of them ---------------------------------------------------------
# START is Thursday 10:00 UTC, 05:00 in Alice's New York. A task offered then is due a
# reminder 4 h later, 09:00 in New York: working time by the defaults (quiet 19:00-08:00).

REMINDER_DUE = START + timedelta(hours=4)
ELEVEN_IN_NEW_YORK = START + timedelta(hours=6)


@both_databases
def test_her_own_quiet_hours_hold_her_reminder_until_her_day_starts(story: Story) -> None:
    story.submit(open_form(story, ALICE), user=ALICE, quiet_hours="18:00-11:00")
    story.delegate(f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: dec 10")
    sweep_at(story, REMINDER_DUE)
    sweep_at(story, ELEVEN_IN_NEW_YORK - timedelta(minutes=1))
    assert nudges_to(story, ALICE) == []
    sweep_at(story, ELEVEN_IN_NEW_YORK)
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]


def test_hours_changed_while_a_reminder_waits_apply_to_it_at_once(story: Story) -> None:
    story.command("/tasks", user=ALICE, text="settings quiet 18:00-11:00")
    story.delegate(f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: dec 10")
    sweep_at(story, REMINDER_DUE)
    assert nudges_to(story, ALICE) == []  # held for 11:00 in New York

    story.later(minutes=30)
    story.command("/tasks", user=ALICE, text="settings quiet off")
    sweep_at(story, REMINDER_DUE + timedelta(minutes=31))
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]


def test_her_own_timezone_decides_when_her_morning_is(story: Story) -> None:
    story.command("/tasks", user=ALICE, text="settings tz Asia/Tokyo")
    story.delegate(f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: dec 10")
    sweep_at(story, REMINDER_DUE)  # 23:00 in Tokyo
    assert nudges_to(story, ALICE) == []
    friday_8am_tokyo = START + timedelta(hours=13)
    sweep_at(story, friday_8am_tokyo)
    assert nudges_to(story, ALICE) == ["T-1 ack_reminder"]


def test_a_threshold_an_admin_typed_is_the_one_the_sweep_keeps_to(people: Story) -> None:
    story = people
    story.command("/tasks", user=ADMIN, text="settings workspace NUDGE_ACK_AFTER 1h")
    story.delegate(f"<@{MALLORY}> Ship the Q3 report | done when: PDF sent to the board | due: dec 10")
    sweep_at(story, START + timedelta(minutes=59))
    assert nudges_to(story, MALLORY) == []
    sweep_at(story, START + timedelta(hours=1))
    assert nudges_to(story, MALLORY) == ["T-1 ack_reminder"]
