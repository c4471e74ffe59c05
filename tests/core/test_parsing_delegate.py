"""/delegate: who, what, done when and due, read from what Slack sends."""

from __future__ import annotations

import pytest

from bot.core import dates
from bot.core.errors import BadInput, Problem
from bot.core.parsing import MAX_DONE_WHEN, MAX_DUE_TEXT, MAX_TITLE, DelegateRequest, parse_delegate
from bot.slack.error_text import error_text


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


def test_a_plain_at_name_is_quoted_alone() -> None:
    with pytest.raises(BadInput) as caught:
        parse_delegate("@alice Ship the report")
    assert (caught.value.problem, caught.value.details) == (Problem.UNKNOWN_PERSON, {"text": "@alice"})
