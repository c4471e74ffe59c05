"""When Slack says an event happened: whole seconds in ``event_time``, or nothing to go by."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.slack.listeners.events import event_time


def test_event_time_is_read_as_utc_seconds() -> None:
    assert event_time({"event_time": 1_764_662_400}) == datetime(2025, 12, 2, 8, 0, tzinfo=UTC)


NOT_SECONDS = [{}, {"event_time": "1764662400"}, {"event_time": True}, {"event_time": None}]


@pytest.mark.parametrize("body", NOT_SECONDS)
def test_a_body_without_a_number_of_seconds_says_nothing(body: dict[str, object]) -> None:
    assert event_time(body) is None
