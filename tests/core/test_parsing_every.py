"""/delegate … | every: … — a recurring handoff, which needs a due date to repeat from."""

from __future__ import annotations

import pytest

from bot.core.errors import BadInput
from bot.core.parsing import TasksVerb, parse_delegate, parse_edit, parse_tasks
from bot.core.recurrence import Recurrence, Unit
from bot.slack.error_text import error_text


def test_every_is_read_with_the_other_parts() -> None:
    request = parse_delegate(
        "<@U1|alice> Weekly metrics report | done when: sheet updated and linked"
        " | due: friday 4pm | every: week"
    )
    assert request.every == Recurrence(Unit.WEEK)
    assert (request.title, request.done_when, request.due_text) == (
        "Weekly metrics report",
        "sheet updated and linked",
        "friday 4pm",
    )
    assert parse_delegate("<@U1> X | every: 2 weeks | due: mon").every == Recurrence(Unit.WEEK, 2)
    assert parse_delegate("<@U1> X | Repeat: weekday | by: tomorrow").every == Recurrence(Unit.WEEKDAY)
    assert parse_delegate("<@U1> X | due: friday").every is None


def test_every_without_a_due_date_is_refused_with_what_to_add() -> None:
    with pytest.raises(BadInput) as refused:
        parse_delegate("<@U1> Weekly metrics | every: week")
    assert "needs a due date" in error_text(refused.value) and "due: friday 4pm" in error_text(refused.value)


@pytest.mark.parametrize("value", ["fortnightly-ish", "2 years", "0 days"])
def test_bad_every_values_say_what_to_write(value: str) -> None:
    with pytest.raises(BadInput) as refused:
        parse_delegate(f"<@U1> X | due: friday | every: {value}")
    assert "`every: 2 weeks`" in error_text(refused.value)


def test_every_is_given_once_and_is_not_an_edit() -> None:
    with pytest.raises(BadInput) as repeated:
        parse_delegate("<@U1> X | due: friday | every: week | every: day")
    assert "`every:` twice" in error_text(repeated.value)
    with pytest.raises(BadInput) as unknown:
        parse_edit("every: week")
    assert "didn't understand" in error_text(unknown.value)


def test_unknown_parts_list_every_among_the_labels() -> None:
    with pytest.raises(BadInput) as refused:
        parse_delegate("<@U1> X | colour: blue")
    assert "`every:`" in error_text(refused.value)


@pytest.mark.parametrize("text", ["T-12 stop", "stop T-12", "t12 STOP"])
def test_tasks_stop(text: str) -> None:
    command = parse_tasks(text)
    assert (command.action, command.number) == (TasksVerb.STOP, 12)
