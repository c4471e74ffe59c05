"""What people read about recurring series: the card's line, the notices, the form's select."""

from __future__ import annotations

from dataclasses import replace

from slack_sdk.models.views import View

from bot.core.recurrence import CHOICES
from bot.outbox.intents import SeriesNews
from bot.slack import messages, modals, series_messages
from bot.slack.ids import Field
from tests.slack.test_messages import LONG, assert_valid_message

WEEKLY = replace(LONG, series_id=3, repeats="1 week")


def test_an_occurrence_says_how_it_repeats_and_a_one_off_does_not() -> None:
    assert "repeats every week" in str(messages.assignee_card(WEEKLY)["blocks"])
    assert "repeats" not in str(messages.assignee_card(LONG)["blocks"])
    receipt = messages.delegation_receipt([replace(WEEKLY, repeats="2 week")], [])
    assert "repeats every 2 weeks" in str(receipt["blocks"])
    assert series_messages.repeats_words(replace(WEEKLY, repeats="1 month day 31")) == "every month"


def test_series_notices_are_valid_and_say_what_happened() -> None:
    series = {"assignee_id": "UMALLORY", "every": "1 week"}
    left = series_messages.series_notice(WEEKLY, SeriesNews.ASSIGNEE_LEFT, **series)
    stopped = series_messages.series_notice(WEEKLY, SeriesNews.STOPPED, **series)
    for body in (left, stopped):
        assert_valid_message(body)
        assert "T-123456" in body["text"]
    # The series' assignee, whoever holds its latest occurrence now.
    assert "<@UMALLORY> has left the workspace" in str(left["blocks"])
    assert "<@UOWNER> stopped this series" in str(stopped["blocks"])


def test_the_stop_reply_points_at_the_open_occurrence() -> None:
    latest = replace(WEEKLY, number=9)
    body = series_messages.series_stopped_reply(WEEKLY, latest, "every week", assignee_id="UMALLORY")
    assert_valid_message(body)
    assert "/tasks T-9 cancel" in str(body["blocks"])
    assert "<@UMALLORY> has been told" in str(body["blocks"])


def test_the_form_offers_how_often_as_an_optional_select() -> None:
    view = modals.delegate_modal()
    View(**view).validate_json()
    (block,) = [b for b in view["blocks"] if b["block_id"] == Field.EVERY.value]
    assert block["optional"] is True and block["element"]["type"] == "static_select"
    assert [o["value"] for o in block["element"]["options"]] == [value for value, _ in CHOICES]
