"""/tasks and its inline edits: the verbs, the task ids they name, and the fields an edit changes."""

from __future__ import annotations

import pytest

from bot.core.errors import BadInput, Problem
from bot.core.parsing import (
    MAX_TITLE,
    EditRequest,
    TasksCommand,
    TasksVerb,
    parse_edit,
    parse_task_number,
    parse_tasks,
)
from bot.slack.error_text import error_text

REASSIGN = TasksVerb.REASSIGN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: New title", EditRequest("New title", None, None)),
        ("due: monday", EditRequest(None, None, "monday")),
        (
            "Title: T | Done when: PDF sent | Due: eod",
            EditRequest("T", "PDF sent", "eod"),
        ),
        (
            "dod: contract signed | title: Renew <https://x|lease>",
            EditRequest("Renew lease (https://x)", "contract signed", None),
        ),
        (
            "title: R&amp;D &lt;draft&gt; | due: friday &amp;amp; later",
            EditRequest("R&D <draft>", None, "friday &amp; later"),
        ),
    ],
)
def test_parse_edit(text: str, expected: EditRequest) -> None:
    assert parse_edit(text) == expected


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("", "Say what to change"),
        ("   ", "Say what to change"),
        ("New title", "I didn't understand"),
        ("title: a | title: b", "twice"),
        ("title:", "is empty"),
        ("title: " + "x" * (MAX_TITLE + 1), "limit"),
    ],
)
def test_parse_edit_rejects(text: str, message_part: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_edit(text)
    assert message_part in error_text(caught.value)
    assert caught.value.problem is not Problem.WORDED


@pytest.mark.parametrize(
    ("token", "number"),
    [("T-12", 12), ("t-12", 12), ("T12", 12), ("12", 12), ("#12", 12), ("T-012", 12), (" T-7 ", 7), ("1", 1)],
)
def test_parse_task_number(token: str, number: int) -> None:
    assert parse_task_number(token) == number


@pytest.mark.parametrize(
    "token",
    ["", "T-", "T-0", "0", "T--12", "X-12", "12a", "T-12.", "#T-12", "T 12", "-12", "T-1234567890", "١٢"],
)
def test_parse_task_number_rejects(token: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_task_number(token)
    assert "Task ids look like T-12." in error_text(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", TasksCommand(TasksVerb.LIST)),
        ("  ", TasksCommand(TasksVerb.LIST)),
        ("list", TasksCommand(TasksVerb.LIST)),
        ("help", TasksCommand(TasksVerb.HELP)),
        ("HELP", TasksCommand(TasksVerb.HELP)),
        ("T-12", TasksCommand(TasksVerb.SHOW, 12)),
        ("T-12 show", TasksCommand(TasksVerb.SHOW, 12)),
        ("T-12 edit", TasksCommand(TasksVerb.EDIT, 12)),
        (
            "T-12 edit title: New | due: friday",
            TasksCommand(
                TasksVerb.EDIT, 12, rest="title: New | due: friday", edit=EditRequest("New", None, "friday")
            ),
        ),
        (
            "T-12 edit done when: <https://x.io|a|b> R&amp;D",
            TasksCommand(
                TasksVerb.EDIT,
                12,
                rest="done when: a|b (https://x.io) R&D",
                edit=EditRequest(None, "a|b (https://x.io) R&D", None),
            ),
        ),
        ("T-12 cancel", TasksCommand(TasksVerb.CANCEL, 12)),
        ("T-12 Cancel no longer needed", TasksCommand(TasksVerb.CANCEL, 12, rest="no longer needed")),
        (
            "T-12 cancel R&amp;D moved it to <#C1|plans>, see <https://x.io/p|the plan>",
            TasksCommand(TasksVerb.CANCEL, 12, rest="R&D moved it to #plans, see the plan (https://x.io/p)"),
        ),
        ("T-12 reassign <@U9|zoe>", TasksCommand(TasksVerb.REASSIGN, 12, assignee_id="U9")),
        ("T-12 reassign <@W9> she owns billing", TasksCommand(REASSIGN, 12, "W9", "she owns billing")),
        ("T-12 reassign <@W9|zoe> <@U2|bob> &amp; co", TasksCommand(REASSIGN, 12, "W9", "@bob & co")),
        ("T-12 takeback", TasksCommand(TasksVerb.TAKE_BACK, 12)),
        ("T-12 take back", TasksCommand(TasksVerb.TAKE_BACK, 12)),
        ("T-12 Take-Back", TasksCommand(TasksVerb.TAKE_BACK, 12)),
        # Verb first is accepted too.
        ("cancel T-3 duplicate", TasksCommand(TasksVerb.CANCEL, 3, rest="duplicate")),
        ("take back #4", TasksCommand(TasksVerb.TAKE_BACK, 4)),
        ("reassign 5 <@U1>", TasksCommand(TasksVerb.REASSIGN, 5, assignee_id="U1")),
    ],
)
def test_parse_tasks(text: str, expected: TasksCommand) -> None:
    assert parse_tasks(text) == expected


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("T-12 delete", "I don't know “delete”"),
        ("T-12 whyy", "take back, stop (a repeating task's series), why (where the handoff broke)"),
        ("T-12 take", "I don't know “take”"),
        ("T-12 reassign", "Mention who should take over T-12"),
        ("T-12 reassign bob", "Mention who should take over T-12"),
        ("foo", "“foo” is not a task id"),
        ("edit", "Say which task"),
        ("cancel please", "“please” is not a task id"),
        ("<#C1|general>", "“#general” is not a task id"),
        ("T-12 <!channel>", "I don't know “@channel”"),
        # An inline edit is parsed here, with the errors of parse_edit.
        ("T-12 edit colour: blue", "I didn't understand “colour: blue”"),
        ("T-12 edit title:", "`title:` is empty"),
    ],
)
def test_parse_tasks_rejects(text: str, message_part: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_tasks(text)
    assert message_part in error_text(caught.value)


def test_unknown_verb_lists_the_verbs() -> None:
    with pytest.raises(BadInput) as caught:
        parse_tasks("T-12 archive")
    for verb in ("edit", "cancel", "reassign", "take back"):
        assert verb in error_text(caught.value)
