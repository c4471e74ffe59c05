"""``/tasks summary``, ``stats``, ``export`` and ``T-12 why``: the owner's view, read by /tasks."""

from __future__ import annotations

from datetime import time

import pytest

from bot.core.errors import BadInput
from bot.core.parsing import TasksCommand, TasksVerb, parse_tasks
from bot.core.summary_grammar import StatsRequest, SummaryAction, SummaryCommand


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("summary", TasksCommand(TasksVerb.SUMMARY, summary=SummaryCommand(SummaryAction.SHOW))),
        (
            "Summary here 08:30 quiet",
            TasksCommand(
                TasksVerb.SUMMARY, summary=SummaryCommand(SummaryAction.SUBSCRIBE, at=time(8, 30), quiet=True)
            ),
        ),
        ("SUMMARY off", TasksCommand(TasksVerb.SUMMARY, summary=SummaryCommand(SummaryAction.OFF))),
        ("stats", TasksCommand(TasksVerb.STATS, stats=StatsRequest(None, 30))),
        ("Stats <@UALICE|alice> 90d", TasksCommand(TasksVerb.STATS, stats=StatsRequest("UALICE", 90))),
        ("export", TasksCommand(TasksVerb.EXPORT, export_days=30)),
        ("EXPORT 7d", TasksCommand(TasksVerb.EXPORT, export_days=7)),
        ("T-12 why", TasksCommand(TasksVerb.WHY, 12)),
    ],
)
def test_each_owner_view_verb_carries_what_it_asked_for(text: str, expected: TasksCommand) -> None:
    assert parse_tasks(text) == expected


@pytest.mark.parametrize(
    ("text", "hint_part"),
    [
        ("summary weekly", "/tasks summary here 09:00"),
        ("stats bob", "/tasks stats @alice"),
        ("export month", "from 1 to 365"),
    ],
)
def test_each_verb_refuses_what_its_grammar_refuses(text: str, hint_part: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_tasks(text)
    assert hint_part in (raised.value.hint or "")


@pytest.mark.parametrize("text", ["T-12 why junk", "why T-12 because"])
def test_why_takes_nothing_after_it(text: str) -> None:
    with pytest.raises(BadInput) as raised:
        parse_tasks(text)
    assert raised.value.message == "`/tasks T-12 why` takes nothing after it."
    assert raised.value.hint == "Type `/tasks T-12 why`."
