"""The /tasks settings forms and answers: valid Block Kit by slack_sdk's own models."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.core.nudges import SETTING_NAMES
from bot.core.settings_grammar import WORKSPACE_FIELD_NAMES, HoursField
from bot.services.settings import DEFAULT, PROFILE, Applied, WorkingHours
from bot.services.workspace_settings import CalendarDefault, Threshold, WorkspaceValues
from bot.slack import settings_views

HOURS = WorkingHours(
    fields={
        HoursField.TIMEZONE: Applied(
            "America/Argentina/ComodRivadavia", None, "America/Argentina/ComodRivadavia", PROFILE
        ),
        HoursField.QUIET: Applied("off", "off", "19:00-08:00", DEFAULT),
        HoursField.DAYS: Applied("mon,tue,wed,thu,fri,sat,sun", None, "mon,tue,wed,thu,fri,sat,sun", DEFAULT),
    },
    stamp="0123456789abcdef",
)
LONGEST_ZONE = "America/Argentina/ComodRivadavia"
WORKSPACE = WorkspaceValues(
    thresholds=tuple(
        Threshold(setting, name, own="9999999d" if setting == "ack_after" else None, default="4h")
        for setting, name in SETTING_NAMES.items()
    ),
    calendar=tuple(
        CalendarDefault(field, name, own=LONGEST_ZONE, default="mon,tue,wed,thu,fri,sat,sun")
        for field, name in WORKSPACE_FIELD_NAMES.items()
    ),
    stamp="fedcba9876543210",
)


def assert_valid_view(view: dict[str, Any]) -> None:
    View(**view).validate_json()
    for block in view["blocks"]:
        if "hint" in block:
            assert len(block["hint"]["text"]) <= 2000


def test_forms_and_their_summaries_are_valid_views() -> None:
    for view in (
        settings_views.working_hours_modal(HOURS),
        settings_views.working_hours_saved_view(HOURS),
        settings_views.workspace_modal(WORKSPACE),
        settings_views.workspace_saved_view(WORKSPACE),
    ):
        assert_valid_view(view)


def test_answers_are_valid_messages() -> None:
    for body in (settings_views.working_hours_reply(HOURS), settings_views.workspace_reply(WORKSPACE)):
        assert body["text"]
        for block in Block.parse_all(body["blocks"]):
            block.validate_json()


def test_the_forms_carry_their_stamp_and_one_field_per_setting() -> None:
    hours = settings_views.working_hours_modal(HOURS)
    assert hours["private_metadata"] == HOURS.stamp
    assert [b["block_id"] for b in hours["blocks"] if b["type"] == "input"] == [f.value for f in HoursField]
    workspace = settings_views.workspace_modal(WORKSPACE)
    assert workspace["private_metadata"] == WORKSPACE.stamp
    assert [b["block_id"] for b in workspace["blocks"] if b["type"] == "input"] == [
        *SETTING_NAMES.values(),
        *WORKSPACE_FIELD_NAMES.values(),
    ]


def test_what_was_typed_is_read_by_field() -> None:
    typed = {
        "timezone": {"timezone": {"type": "plain_text_input", "value": "UTC"}},
        "quiet_hours": {"quiet_hours": {"type": "plain_text_input", "value": None}},
    }
    view = {"state": {"values": typed}}
    assert settings_views.typed_values(view) == {"timezone": "UTC", "quiet_hours": ""}
