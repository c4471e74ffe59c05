"""What Slack makes of a typed command, and where the playground's clock buttons move time."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.core.workspace_calendar import WorkspaceCalendar
from bot.playground.composer import escaped_text, split_command
from bot.playground.sim_clock import SimClock, playground_start, step_target

PEOPLE = {"alice": "UALICE", "bob": "UBOB"}
CHANNELS = {"ops": "C0OPS"}
BERLIN = WorkspaceCalendar(
    timezone="Europe/Berlin", quiet=None, days=frozenset(range(5)), summary_time=time(9)
)


def test_mentions_become_slacks_escaped_mentions() -> None:
    text = escaped_text("@Alice and @bob: post in #ops", people=PEOPLE, channels=CHANNELS)
    assert text == "<@UALICE|alice> and <@UBOB|bob>: post in <#C0OPS|ops>"


def test_markup_typed_by_a_person_arrives_escaped_and_unknown_names_stay_text() -> None:
    text = escaped_text("<!channel> & @nobody <b> mail@alice.example", people=PEOPLE, channels=CHANNELS)
    assert text == "&lt;!channel&gt; &amp; @nobody &lt;b&gt; mail@alice.example"


def test_the_command_is_the_first_word() -> None:
    assert split_command("  /Delegate  @alice Ship it ") == ("/delegate", "@alice Ship it")
    assert split_command("/tasks") == ("/tasks", "")


@pytest.mark.parametrize(
    ("now", "step", "then"),
    [
        (datetime(2026, 11, 26, 9, 0, tzinfo=UTC), "1h", datetime(2026, 11, 26, 10, 0, tzinfo=UTC)),
        (datetime(2026, 11, 26, 9, 0, tzinfo=UTC), "1d", datetime(2026, 11, 27, 9, 0, tzinfo=UTC)),
        # Thursday 10:00 in Berlin: Friday 09:00 Berlin (08:00 UTC).
        (datetime(2026, 11, 26, 9, 0, tzinfo=UTC), "morning", datetime(2026, 11, 27, 8, 0, tzinfo=UTC)),
        # Friday evening: over the weekend to Monday 09:00.
        (datetime(2026, 11, 27, 18, 0, tzinfo=UTC), "morning", datetime(2026, 11, 30, 8, 0, tzinfo=UTC)),
        # Early on a working day: that same morning.
        (datetime(2026, 11, 30, 5, 0, tzinfo=UTC), "morning", datetime(2026, 11, 30, 8, 0, tzinfo=UTC)),
    ],
)
def test_the_clock_buttons(now: datetime, step: str, then: datetime) -> None:
    assert step_target(step, now, BERLIN) == then


def test_another_step_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="'1h', '1d', 'morning'"):
        step_target("1w", datetime(2026, 11, 26, tzinfo=UTC), BERLIN)


def test_time_starts_on_a_working_morning_and_only_moves_forward() -> None:
    saturday = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
    assert playground_start(saturday, BERLIN) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 10:00
    wednesday = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)
    assert playground_start(wednesday, BERLIN) == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    clock = SimClock(wednesday)
    with pytest.raises(ValueError, match="only moves forward"):
        clock.move_to(saturday)
