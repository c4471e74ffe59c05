"""Slash command grammar: /delegate, /report, /tasks and inline edits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import dates
from bot.core.errors import BadInput, HandoffError, Problem
from bot.core.parsing import (
    MAX_DONE_WHEN,
    MAX_DUE_TEXT,
    MAX_REPORT_TEXT,
    MAX_TITLE,
    DelegateRequest,
    EditRequest,
    ReportRequest,
    TasksCommand,
    TasksVerb,
    is_help,
    parse_delegate,
    parse_edit,
    parse_report,
    parse_task_number,
    parse_tasks,
)
from bot.core.safety import Sensitive, refusal_message
from bot.core.slack_text import plain_text
from bot.slack.error_text import error_text
from bot.slack.help_text import HELP_DELEGATE, HELP_REPORT, HELP_TASKS

REASSIGN = TasksVerb.REASSIGN


def slack_escape(text: str) -> str:
    """What Slack does to what a person types before it sends the command text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- /delegate -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "<@U123|alice> Ship the Q3 report | done when: PDF sent to the board | due: friday",
            DelegateRequest(("U123",), "Ship the Q3 report", "PDF sent to the board", "friday"),
        ),
        ("<@U123> Ship it", DelegateRequest(("U123",), "Ship it", None, None)),
        (
            "<@U1|a> <@W2> <@U1|a> Book venue | due: dec 12",
            DelegateRequest(("U1", "W2"), "Book venue", None, "dec 12"),
        ),
        (
            "<@U1>, <@U2> and <@U3> Plan offsite",
            DelegateRequest(("U1", "U2", "U3"), "Plan offsite", None, None),
        ),
        (
            "<@U1> Renew domain | BY: in 3 days | Definition  of   Done : receipt filed",
            DelegateRequest(("U1",), "Renew domain", "receipt filed", "in 3 days"),
        ),
        ("<@U1> X | dod: a", DelegateRequest(("U1",), "X", "a", None)),
        ("<@U1> X | done: a", DelegateRequest(("U1",), "X", "a", None)),
        ("<@U1> X | Done When:a | Deadline:b", DelegateRequest(("U1",), "X", "a", "b")),
        ("<@U1> X | done-when: a", DelegateRequest(("U1",), "X", "a", None)),
        (
            "  <@U1>\n  Ship\tthe   report  |  done when:   PDF   sent \n",
            DelegateRequest(("U1",), "Ship the report", "PDF sent", None),
        ),
        # The value may hold colons; only the first one ends the label.
        (
            "<@U1> X | due: 2026-12-24 17:00 | done when: status: green",
            DelegateRequest(("U1",), "X", "status: green", "2026-12-24 17:00"),
        ),
    ],
)
def test_parse_delegate(text: str, expected: DelegateRequest) -> None:
    assert parse_delegate(text) == expected


@pytest.mark.parametrize(
    ("text", "title", "done_when"),
    [
        ("<@U1|alice> Review <@U2|bob>'s draft", "Review @bob's draft", None),
        ("<@U1> Post in <#C123|general>", "Post in #general", None),
        (
            "<@U1> Read <https://example.com/a?b=1|the spec> | done when: notes in <https://x.io|doc>",
            "Read the spec (https://example.com/a?b=1)",
            "notes in doc (https://x.io)",
        ),
        ("<@U1> Ping <!subteam^S1|@design> about logos", "Ping @design about logos", None),
        (
            "<@U1> Fix <https://x.io/a|a | b> | done when: <https://y.io|c|d>",
            "Fix a | b (https://x.io/a)",
            "c|d (https://y.io)",
        ),
    ],
)
def test_pipes_inside_slack_entities_are_not_separators(text: str, title: str, done_when: str | None) -> None:
    request = parse_delegate(text)
    assert (request.assignee_ids, request.title, request.done_when) == (("U1",), title, done_when)


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("", "Mention who should do it first"),
        ("Ship the report", "Mention who should do it first"),
        ("@alice Ship the report", "Pick the person from the list"),
        ("<@u123> lowercase id is not a mention", "Mention who should do it first"),
        ("<@U1>", "Add a title"),
        ("<@U1> <@U2>   | due: friday", "Add a title"),
        ("<@U1> X | colour: blue", "I didn't understand “colour: blue”"),
        ("<@U1> X | friday", "I didn't understand “friday”"),
        ("<@U1> X | title: Y", "I didn't understand “title: Y”"),
        ("<@U1> X | due: friday | by: monday", "You gave `due:` twice"),
        ("<@U1> X | done when: a | dod: b", "You gave `done when:` twice"),
        ("<@U1> X | due:", "`due:` is empty"),
        ("<@U1> X | done when:    ", "`done when:` is empty"),
        ("<@U1> X || due: friday", "an empty part"),
        ("<@U1> X |", "an empty part"),
        ("<@U1> " + "x" * (MAX_TITLE + 1), f"the limit is {MAX_TITLE}"),
        ("<@U1> X | done when: " + "x" * (MAX_DONE_WHEN + 1), f"the limit is {MAX_DONE_WHEN}"),
    ],
)
def test_parse_delegate_rejects(text: str, message_part: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_delegate(text)
    assert message_part in error_text(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A typed & < > arrives escaped; the request holds what was typed.
        (
            "<@U1> R&amp;D budget | done when: cost &lt; 5k &amp;&amp; signed | due: fri &amp;lt;",
            DelegateRequest(("U1",), "R&D budget", "cost < 5k && signed", "fri &lt;"),
        ),
        # The leading mentions are read on the raw text, so "&amp;" still joins them.
        ("<@U1> &amp; <@U2|bob> Plan offsite", DelegateRequest(("U1", "U2"), "Plan offsite", None, None)),
        # Only the leading mentions are assignees; one in the title is text.
        (
            "<@U1> Pair with <@U2|bob> and <!here>",
            DelegateRequest(("U1",), "Pair with @bob and @here", None, None),
        ),
        # A typed "<@U2>" is text, never an entity.
        (
            "<@U1> Write &lt;@U2&gt; in the doc",
            DelegateRequest(("U1",), "Write <@U2> in the doc", None, None),
        ),
    ],
)
def test_parse_delegate_returns_plain_text(text: str, expected: DelegateRequest) -> None:
    assert parse_delegate(text) == expected


def test_limits_count_the_plain_text() -> None:
    request = parse_delegate(
        f"<@U1> {'&amp;' * MAX_TITLE} | done when: {'&lt;' * MAX_DONE_WHEN} | due: {'&gt;' * MAX_DUE_TEXT}"
    )
    assert (request.title, request.done_when, request.due_text) == (
        "&" * MAX_TITLE,
        "<" * MAX_DONE_WHEN,
        ">" * MAX_DUE_TEXT,
    )
    with pytest.raises(BadInput) as caught:
        parse_delegate(f"<@U1> {'&amp;' * (MAX_TITLE + 1)}")
    assert f"the limit is {MAX_TITLE}" in error_text(caught.value)
    with pytest.raises(BadInput) as caught:
        parse_delegate(f"<@U1> X | due: {'&gt;' * (MAX_DUE_TEXT + 1)}")
    assert f"the limit is {MAX_DUE_TEXT}" in error_text(caught.value)


def test_due_text_limit_is_the_one_of_the_dates_module() -> None:
    assert MAX_DUE_TEXT is dates.MAX_DUE_TEXT


@pytest.mark.parametrize(
    "text",
    [
        "<@U1> X | colour: <!channel> &amp; more <@U2|bob>",
        "<@U1> X | <https://evil.example|click me>",
        "@<!channel> X",
        "<@U1> X | due: friday | due: &lt;@U2&gt;",
    ],
)
def test_error_messages_quote_plain_text_not_slack_markup(text: str) -> None:
    """Quotes hold what the person sees, never Slack's entities; the Slack layer escapes them."""
    with pytest.raises(BadInput) as caught:
        parse_delegate(text)
    message = error_text(caught.value)
    assert "<@U" not in message and "<!" not in message and "<http" not in message and "&lt;" not in message


def test_unknown_part_is_quoted_as_plain_text() -> None:
    with pytest.raises(BadInput) as caught:
        parse_delegate("<@U1> X | size: <!here> R&amp;D &lt;b&gt; <https://x.io|site>")
    assert "“size: @here R&D <b> site (https://x.io)”" in error_text(caught.value)


def test_delegate_errors_show_an_example() -> None:
    with pytest.raises(BadInput) as caught:
        parse_delegate("<@U1> X | colour: blue")
    assert "For example: /delegate @alice" in error_text(caught.value)


def test_no_assignee_message_is_the_documented_one() -> None:
    with pytest.raises(BadInput) as caught:
        parse_delegate("Ship the report")
    assert error_text(caught.value).startswith("Mention who should do it first: /delegate @alice")


def test_limits_are_inclusive() -> None:
    title, outcome = "t" * MAX_TITLE, "d" * MAX_DONE_WHEN
    request = parse_delegate(f"<@U1> {title} | done when: {outcome}")
    assert (request.title, request.done_when) == (title, outcome)


# --- inline edit ---------------------------------------------------------------------


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


# --- task ids ------------------------------------------------------------------------


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


# --- /report -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T-12 drafted the intro", ReportRequest(12, False, "drafted the intro", None)),
        ("T-12 drafted the intro 40%", ReportRequest(12, False, "drafted the intro", 40)),
        ("T-12 drafted the intro 40 %", ReportRequest(12, False, "drafted the intro", 40)),
        ("t12 60%", ReportRequest(12, False, "", 60)),
        ("#3 0%", ReportRequest(3, False, "", 0)),
        ("T-3 100%", ReportRequest(3, False, "", 100)),
        ("T-3 halfway, 50% of slides done", ReportRequest(3, False, "halfway, 50% of slides done", None)),
        ("T-12 done", ReportRequest(12, True, "", None)),
        ("T-12 Done: PDF is in the folder", ReportRequest(12, True, "PDF is in the folder", None)),
        ("T-12 done PDF is in the folder 100%", ReportRequest(12, True, "PDF is in the folder 100%", None)),
        ("T-12 done-ish, waiting on legal", ReportRequest(12, False, "done-ish, waiting on legal", None)),
        ("T-12   lots \n of   space  ", ReportRequest(12, False, "lots of space", None)),
    ],
)
def test_parse_report(text: str, expected: ReportRequest) -> None:
    assert parse_report(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T-12 R&amp;D signed off 40%", ReportRequest(12, False, "R&D signed off", 40)),
        (
            "T-12 done see <https://x.io/d|the doc> &amp; ask <@U2|bob>",
            ReportRequest(12, True, "see the doc (https://x.io/d) & ask @bob", None),
        ),
        # "done" is read on the raw text: a link labelled "done" is progress text.
        ("T-12 <https://x.io|done>", ReportRequest(12, False, "done (https://x.io)", None)),
        ("T-12 done " + "&amp;" * MAX_REPORT_TEXT, ReportRequest(12, True, "&" * MAX_REPORT_TEXT, None)),
    ],
)
def test_parse_report_returns_plain_text(text: str, expected: ReportRequest) -> None:
    assert parse_report(text) == expected


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("", "Say which task"),
        ("T-12", "Say what progress you made on T-12"),
        ("drafted the intro", "is not a task id"),
        ("T-12 drafted 101%", "more than 100%"),
        ("T-12 99999999999999999999%", "more than 100%"),
        ("T-12 " + "x" * (MAX_REPORT_TEXT + 1), f"the limit is {MAX_REPORT_TEXT}"),
        ("T-12 done " + "x" * (MAX_REPORT_TEXT + 1), f"the limit is {MAX_REPORT_TEXT}"),
    ],
)
def test_parse_report_rejects(text: str, message_part: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_report(text)
    assert message_part in error_text(caught.value)


# --- /tasks --------------------------------------------------------------------------


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


# --- help ----------------------------------------------------------------------------


@pytest.mark.parametrize("help_text", [HELP_DELEGATE, HELP_TASKS, HELP_REPORT])
def test_help_texts_have_examples(help_text: str) -> None:
    assert help_text.strip()
    assert "T-12" in help_text or "/delegate @" in help_text


def test_help_delegate_examples_parse() -> None:
    examples = [line.split("`")[1] for line in HELP_DELEGATE.splitlines() if line.startswith("• `/delegate")]
    assert examples
    for example in examples:
        # People pick mentions from the list, which Slack escapes.
        escaped = example.removeprefix("/delegate ").replace("@alice", "<@U1|alice>")
        escaped = escaped.replace("@bob", "<@U2|bob>").replace("@carol", "<@U3>").replace("@dan", "<@U4>")
        parse_delegate(escaped)


@pytest.mark.parametrize(
    ("text", "expected"), [("help", True), (" Help ", True), ("?", True), ("helpme", False), ("", False)]
)
def test_is_help(text: str, expected: bool) -> None:
    assert is_help(text) is expected


# --- properties ----------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "<@U1|a>",
        "<@U2>",
        "<@W3|b c>",
        "<#C1|gen>",
        "<https://x.io|l|b>",
        "<",
        ">",
        "|",
        " | ",
        "done when:",
        "dod:",
        "due:",
        "by:",
        "title:",
        ":",
        "T-12",
        "#3",
        "0",
        "150",
        "%",
        " ",
        "\n",
        "done",
        "take back",
        "reassign",
        "edit",
        "cancel",
        "help",
        "x",
    ]
)
_MIXED_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(_FRAGMENTS, st.text(max_size=5)), max_size=12).map("".join),
)
_PARSERS = [parse_delegate, parse_report, parse_tasks, parse_edit, parse_task_number]


@pytest.mark.parametrize("parser", _PARSERS, ids=lambda parser: parser.__name__)
@settings(max_examples=150, deadline=None)
@given(text=_MIXED_TEXT)
def test_parsers_raise_only_handoff_errors(parser: object, text: str) -> None:
    assert callable(parser)
    try:
        parser(text)
    except HandoffError as error:
        assert isinstance(error, BadInput)
        assert error.message
        assert error_text(error)  # every error the grammar raises has words in the Slack layer


_USER_ID = st.from_regex(r"[UW][A-Z0-9]{2,10}", fullmatch=True)
_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'()&;:<>-",
    min_size=1,
    max_size=12,
)


def _phrase(max_words: int) -> st.SearchStrategy[str]:
    return st.lists(_WORD, min_size=1, max_size=max_words).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    ids=st.lists(_USER_ID, min_size=1, max_size=4, unique=True),
    labels=st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=6), min_size=4, max_size=4),
    title=_phrase(12).filter(lambda title: len(title) <= MAX_TITLE),
    outcome=st.none() | _phrase(20),
    due=st.none() | _phrase(3),
    due_first=st.booleans(),
)
def test_delegate_round_trip(
    ids: list[str], labels: list[str], title: str, outcome: str | None, due: str | None, due_first: bool
) -> None:
    mentions = " ".join(
        f"<@{user_id}|{label}>" if label else f"<@{user_id}>"
        for user_id, label in zip(ids, labels, strict=False)
    )
    parts = []
    if outcome is not None:
        parts.append(f"done when: {outcome}")
    if due is not None:
        parts.append(f"due: {due}")
    if due_first:
        parts.reverse()
    # What was typed is escaped by Slack; the request holds it as typed.
    text = " | ".join([f"{mentions} {slack_escape(title)}", *map(slack_escape, parts)])

    request = parse_delegate(text)

    assert request == DelegateRequest(tuple(ids), title, outcome, due)


@settings(max_examples=100, deadline=None)
@given(
    number=st.integers(min_value=1, max_value=999_999_999),
    style=st.sampled_from(["T-{}", "t-{}", "T{}", "{}", "#{}", "T-0{}"]),
)
def test_task_number_round_trip(number: int, style: str) -> None:
    assert parse_task_number(style.format(number)) == number


@settings(max_examples=100, deadline=None)
@given(
    note=_phrase(10).filter(lambda note: not note.lower().startswith("done")),
    percent=st.none() | st.integers(0, 100),
)
def test_report_round_trip(note: str, percent: int | None) -> None:
    suffix = f" {percent}%" if percent is not None else ""
    assert parse_report(f"T-5 {slack_escape(note)}{suffix}") == ReportRequest(5, False, note, percent)


# --- Slack text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slack_text", "plain"),
    [
        ("", ""),
        ("Ship the report", "Ship the report"),
        ("<@U123|alice>", "@alice"),
        ("<@U123>", "@U123"),
        ("<@W123|@alice>", "@alice"),
        ("<#C123|general>", "#general"),
        ("<#C123>", "#C123"),
        ("<!channel>", "@channel"),
        ("<!here>", "@here"),
        ("<!here|here>", "@here"),
        ("<!everyone>", "@everyone"),
        ("<!subteam^S123|@team>", "@team"),
        ("<!subteam^S123>", "@S123"),
        ("<!date^1392734382^{date_short}|Feb 18, 2014>", "Feb 18, 2014"),
        ("<https://x.com/a|label>", "label (https://x.com/a)"),
        ("<https://x.com/a>", "https://x.com/a"),
        ("<http://x.com|x.com>", "x.com"),
        ("<https://x.com/a?b=1&amp;c=2|R&amp;D>", "R&D (https://x.com/a?b=1&c=2)"),
        ("<https://x.com|a|b>", "a|b (https://x.com)"),
        ("<mailto:a@b.c|a@b.c>", "a@b.c"),
        ("<mailto:a@b.c>", "a@b.c"),
        ("<mailto:a@b.c|Alice>", "Alice (a@b.c)"),
        ("R&amp;D", "R&D"),
        ("&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>"),
        ("&lt;@U1&gt; &lt;!channel&gt;", "<@U1> <!channel>"),
        ("&amp;lt;", "&lt;"),
        ("&amp;amp;", "&amp;"),
        ("a  &amp;\n b", "a  &\n b"),
        (
            "Ask <@U1|ann> in <#C2|ops> about <https://x.io|the &lt;spec&gt;>",
            "Ask @ann in #ops about the <spec> (https://x.io)",
        ),
        # Not from Slack, but never an error: unmatched brackets stay as they are.
        ("a < b", "a < b"),
        ("<@U1", "<@U1"),
        ("<>", ""),
    ],
)
def test_plain_text(slack_text: str, plain: str) -> None:
    assert plain_text(slack_text) == plain


_SLACKISH = st.lists(
    st.sampled_from(
        ["<", ">", "|", "^", "&amp;", "&lt;", "&gt;", "&", "@U1", "!here", "#C1", "mailto:", "x"]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), _SLACKISH))
def test_plain_text_never_raises(text: str) -> None:
    assert isinstance(plain_text(text), str)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), _SLACKISH))
def test_plain_text_undoes_slack_escaping(text: str) -> None:
    assert plain_text(slack_escape(text)) == text


_ENTITIES = st.sampled_from(
    [
        "<@U1|a>",
        "<@W2>",
        "<#C1|gen>",
        "<#C2>",
        "<!channel>",
        "<!here>",
        "<!everyone>",
        "<!subteam^S1|@t>",
        "<https://x.io|l>",
        "<https://x.io>",
        "<mailto:a@b.c|a@b.c>",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    entities=st.lists(_ENTITIES, min_size=1, max_size=5),
    words=st.lists(st.one_of(st.text(max_size=8), _SLACKISH), min_size=5, max_size=5),
)
def test_plain_text_leaves_no_entity(entities: list[str], words: list[str]) -> None:
    """Every ``<`` or ``>`` left in the plain text is one the person typed."""
    slack_text = "".join(slack_escape(word) + entity for word, entity in zip(words, entities, strict=False))
    typed = "".join(words[: len(entities)])
    plain = plain_text(slack_text)
    assert (plain.count("<"), plain.count(">")) == (typed.count("<"), typed.count(">"))


# --- secrets -------------------------------------------------------------------------

_CARD = "4111 1111 1111 1111"
_PASSWORD = "password: hunter2"
_TOKEN = "xoxb-1234567890-abcdefghij"
_SECRETS = {_CARD: Sensitive.CARD, _PASSWORD: Sensitive.PASSWORD, _TOKEN: Sensitive.SLACK_TOKEN}
# Bits of each secret that must never be shown back.
_SECRET_BITS = {
    _CARD: ("4111", "1111"),
    _PASSWORD: ("hunter2",),
    _TOKEN: ("xoxb", "1234567890", "abcdefghij"),
}


def _parse_due(text: str) -> object:
    return dates.parse_due(text, now=datetime(2026, 11, 26, 10, tzinfo=UTC), tz="UTC", workday_end=time(17))


# Each template puts the secret ({}) where the parser would otherwise quote it back, or
# where the text would not parse at all.
_SECRET_PLACES: list[tuple[Callable[[str], object], str]] = [
    (parse_delegate, "<@U1> x | {}"),
    (parse_delegate, "<@U1> Pay the invoice with {} | due: friday"),
    (parse_delegate, "<@U1> x | done when: {}"),
    (parse_delegate, "<@U1> x | due: {}"),
    (parse_delegate, "{}"),
    (parse_delegate, "@alice {}"),
    (parse_delegate, "<@U1> Read <https://x.io|{}>"),
    (parse_report, "T-1 {}"),
    (parse_report, "T-1 done {}"),
    (parse_report, "{} done"),
    (parse_tasks, "T-1 edit due: {}"),
    (parse_tasks, "T-1 edit title: x | {}"),
    (parse_tasks, "T-1 cancel {}"),
    (parse_tasks, "T-1 {}"),
    (parse_tasks, "{}"),
    (parse_tasks, "T-1 reassign <@U2> {}"),
    (parse_edit, "due: {}"),
    (parse_edit, "{}"),
    (parse_edit, "title: x | {}"),
    (parse_task_number, "{}"),
    (parse_task_number, "T-{}"),
    (_parse_due, "{}"),
    (_parse_due, "friday {}"),
]


@pytest.mark.parametrize("secret", list(_SECRETS))
@pytest.mark.parametrize(
    ("parser", "template"), _SECRET_PLACES, ids=[f"{p.__name__}:{t}" for p, t in _SECRET_PLACES]
)
def test_secrets_are_refused_never_echoed(
    parser: Callable[[str], object], template: str, secret: str
) -> None:
    with pytest.raises(BadInput) as caught:
        parser(template.format(secret))
    assert caught.value.message == refusal_message(_SECRETS[secret])
    assert caught.value.hint is None
    for bit in _SECRET_BITS[secret]:
        assert bit not in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "<@U1> Pay 4111 1111 1111 <https://x.io|1111>",  # a card only once the link is read
        "<@U1> Log in as <@U2|password>: hunter2",
    ],
)
def test_secrets_that_show_only_in_the_plain_text_are_refused(text: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_delegate(text)
    assert "never stores card numbers or secrets" in caught.value.message
    assert "hunter2" not in str(caught.value) and "1111" not in str(caught.value)


_ALL_PARSERS: list[Callable[[str], object]] = [
    parse_delegate,
    parse_report,
    parse_tasks,
    parse_edit,
    parse_task_number,
    _parse_due,
]


@pytest.mark.parametrize("parser", _ALL_PARSERS, ids=lambda parser: parser.__name__)
@settings(max_examples=60, deadline=None)
@given(before=_MIXED_TEXT, after=_MIXED_TEXT, secret=st.sampled_from(list(_SECRETS)))
def test_a_secret_anywhere_is_refused(
    parser: Callable[[str], object], before: str, after: str, secret: str
) -> None:
    with pytest.raises(BadInput) as caught:
        parser(f"{before} {secret} {after}")
    assert "never stores card numbers or secrets" in caught.value.message
    for bit in _SECRET_BITS[secret]:
        assert bit not in str(caught.value)


# --- rules pinned one by one ---------------------------------------------------------


@pytest.mark.parametrize(
    ("slack", "plain"),
    [
        ("<#C1|#general>", "#general"),
        ("<#C1|Xmas>", "#Xmas"),
        ("<@U1|Xavier>", "@Xavier"),
        ("<!subteam^S1|Xteam>", "@Xteam"),
    ],
)
def test_entity_labels_keep_their_own_letters(slack: str, plain: str) -> None:
    assert plain_text(slack) == plain


def test_a_secret_hidden_inside_an_entity_is_refused() -> None:
    with pytest.raises(BadInput) as caught:
        parse_delegate("<@U1> Ping <!subteam^xoxb-1234567890-abcdefgh|@team>")
    assert caught.value.message == refusal_message(Sensitive.SLACK_TOKEN)


def test_a_plain_at_name_is_quoted_alone() -> None:
    with pytest.raises(BadInput) as caught:
        parse_delegate("@alice Ship the report")
    assert (caught.value.problem, caught.value.details) == (Problem.UNKNOWN_PERSON, {"text": "@alice"})


@pytest.mark.parametrize(
    ("text", "percent"),
    [("T-1 x 0100%", 100), ("T-1 x 0040%", 40)],
)
def test_leading_zeros_in_a_percentage(text: str, percent: int) -> None:
    assert parse_report(text).percent == percent


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("T-1 x 101%", "101"),
        ("T-1 x 00100%", "00100"),
        ("T-1 x 1234567890%", "1234567890"),
        ("T-1 x 12345678901%", "123456789…"),
        ("T-1 x " + "9" * 5000 + "%", "999999999…"),  # never turned into a number
    ],
)
def test_a_percentage_over_100_is_shown_shortened(text: str, shown: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_report(text)
    assert (caught.value.problem, caught.value.details) == (Problem.PERCENT_OVER_100, {"percent": shown})
