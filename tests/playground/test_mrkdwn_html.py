"""mrkdwn on the playground page: Slack's styles, tokens and dates, and nothing a person typed as markup.

``NOW`` is Thursday 2026-11-26 10:00 UTC; ``STAMP`` is 2026-11-26 16:30:05 UTC, which is
17:30 that Thursday in Berlin and already Friday 05:30 in Auckland.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.playground.mrkdwn_html import Reader, mrkdwn
from tests.playground.html_tree import Node, parse

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
STAMP = int(datetime(2026, 11, 26, 16, 30, 5, tzinfo=UTC).timestamp())
PEOPLE = {"UALICE": "Alice", "UOWNER": "Olivia (owner)"}


def render(text: str, tz: str = "Europe/Berlin", now: datetime = NOW) -> Node:
    return parse(mrkdwn(text, Reader(PEOPLE, tz, now)))


@pytest.mark.parametrize(
    ("text", "tag", "inside"),
    [
        ("a *bold* word", "b", "bold"),
        ("an _italic_ word", "i", "italic"),
        ("a ~struck~ word", "s", "struck"),
        ("*two words*", "b", "two words"),
    ],
)
def test_styles_become_their_elements(text: str, tag: str, inside: str) -> None:
    assert render(text).one(tag).text() == inside


@pytest.mark.parametrize("text", ["snake_case_name", "2 * 3 * 4", "a * b*", "*open only", "file_name_"])
def test_marks_inside_words_or_with_spaces_stay_text(text: str) -> None:
    tree = render(text)
    assert tree.find_all("b") == tree.find_all("i") == []
    assert tree.text() == text


def test_a_style_may_hold_a_mention() -> None:
    assert render("*<@UALICE>*").one("b").one(cls="bk-mention").text() == "@Alice"


def test_code_keeps_its_text_literal() -> None:
    tree = render("run `*not bold* &lt;b&gt;` now")
    code = tree.one("code", cls="bk-code")
    assert code.text() == "*not bold* <b>"
    assert tree.find_all("b") == []


def test_preformatted_blocks_keep_lines_and_markup_as_text() -> None:
    tree = render("before\n```line one\n*two* <@UALICE>\n```\nafter")
    pre = tree.one("pre", cls="bk-pre")
    assert pre.text() == "line one\n*two* <@UALICE>"
    assert tree.text() == "before" + pre.text() + "after"


def test_an_unclosed_fence_is_text() -> None:
    assert render("```oops").text() == "```oops"


def test_quotes_and_line_breaks() -> None:
    tree = render("first\nsecond\n&gt; quoted one\n> quoted two\nlast")
    assert len(tree.find_all("br")) == 2  # first|second, and the quote's two lines
    quote = tree.one("blockquote", cls="bk-quote")
    assert quote.text() == "quoted onequoted two"
    assert tree.text().endswith("last")


def test_links_with_and_without_labels() -> None:
    tree = render(
        "<https://example.org/a?b=1&amp;c=2|the report> and <http://example.org> <mailto:a@example.org>"
    )
    links = tree.find_all("a", cls="bk-link")
    assert [(a.attrs["href"], a.text()) for a in links] == [
        ("https://example.org/a?b=1&c=2", "the report"),
        ("http://example.org", "http://example.org"),
        ("mailto:a@example.org", "a@example.org"),
    ]
    assert all(a.attrs["rel"] == "noopener noreferrer" for a in links)


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,&lt;b&gt;",
        "vbscript:x",
        " javascript:x",
        "//evil",
    ],
)
def test_other_schemes_stay_text(target: str) -> None:
    tree = render(f"<{target}|click me>")
    assert tree.find_all("a") == []
    assert tree.text() == "click me"


def test_mentions_show_names_and_unknown_people_their_id() -> None:
    tree = render("<@UALICE> asks <@UOWNER|olivia> about <@UNKNOWN>")
    assert [m.text() for m in tree.find_all(cls="bk-mention")] == ["@Alice", "@Olivia (owner)", "@UNKNOWN"]
    assert tree.find_all(cls="bk-mention")[0].attrs["data-user-id"] == "UALICE"


def test_channels_and_broadcasts() -> None:
    tree = render("see <#C123|ops> and <#C456>, <!here> <!channel> <!everyone> <!subteam^S1|@design>")
    channels = [c.text() for c in tree.find_all(cls="bk-channel")]
    assert channels == ["#ops", "#C456"]
    assert [b.text() for b in tree.find_all(cls="bk-broadcast")] == ["@here", "@channel", "@everyone"]
    assert "@design" in tree.text()


def test_entities_are_decoded_once_and_escaped_again() -> None:
    fragment = mrkdwn("Q3 &amp; Q4 &lt;draft&gt; &amp;lt;kept&amp;gt;", Reader(PEOPLE, "UTC", NOW))
    assert parse(fragment).text() == "Q3 & Q4 <draft> &lt;kept&gt;"
    assert "<draft>" not in fragment


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        '<img src=x onerror="alert(1)">',
        "&lt;img src=x onerror=alert(1)&gt;",
        '<https://x.org/"onmouseover="alert(1)|x>',
        '<@U1"><script>alert(1)</script>>',
        "*<b>* _</i>_ `</code><script>` ```</pre><script>```",
        "\x00 0 \x00 <@UALICE>",
    ],
)
def test_hostile_text_never_becomes_markup(hostile: str) -> None:
    tree = render(hostile)
    allowed = {"b", "i", "s", "code", "pre", "br", "blockquote", "a", "span", "time"}
    assert {node.tag for node in tree.elements()} <= allowed
    assert tree.find_all("script") == tree.find_all("img") == []
    assert not any(name.startswith("on") for node in tree.elements() for name in node.attrs)


def test_a_date_reads_in_the_readers_timezone() -> None:
    token = f"<!date^{STAMP}^{{date_short_pretty}} at {{time}}|Nov 26, 2026 16:30 UTC>"
    berlin = render(token, "Europe/Berlin").one("time", cls="bk-date")
    auckland = render(token, "Pacific/Auckland").one("time", cls="bk-date")
    assert berlin.text() == "Today at 5:30 PM"
    assert auckland.text() == "Tomorrow at 5:30 AM"
    assert berlin.attrs["datetime"] == "2026-11-26T16:30:05+00:00"


@pytest.mark.parametrize(
    ("pattern", "shown"),
    [
        ("{date_num}", "2026-11-26"),
        ("{date}", "November 26th, 2026"),
        ("{date_short}", "Nov 26, 2026"),
        ("{date_long}", "Thursday, November 26th, 2026"),
        ("{time}", "5:30 PM"),
        ("{time_secs}", "5:30:05 PM"),
        ("{date_pretty}", "Today"),
        ("{date_short_pretty}", "Today"),
        ("{date_long_pretty}", "Today"),
        ("due {date_short} &amp; {unknown}", "due Nov 26, 2026 & {unknown}"),
    ],
)
def test_every_documented_date_token(pattern: str, shown: str) -> None:
    assert render(f"<!date^{STAMP}^{pattern}|fallback>").text() == shown


@pytest.mark.parametrize(
    ("now", "shown"),
    [
        (NOW + timedelta(days=1), "Yesterday"),
        (NOW - timedelta(days=1), "Tomorrow"),
        (NOW + timedelta(days=2), "November 26th, 2026"),
    ],
)
def test_pretty_dates_are_relative_to_now(now: datetime, shown: str) -> None:
    assert render(f"<!date^{STAMP}^{{date_pretty}}|fallback>", now=now).text() == shown


@pytest.mark.parametrize(("day", "ordinal"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (22, "22nd")])
def test_ordinal_days(day: int, ordinal: str) -> None:
    stamp = int(datetime(2026, 12, day, 12, tzinfo=UTC).timestamp())
    assert render(f"<!date^{stamp}^{{date}}|x>", "UTC").text() == f"December {ordinal}, 2026"


def test_a_date_that_cannot_be_read_shows_its_fallback() -> None:
    assert render("<!date^soon^{date}|next week &amp; after>").text() == "next week & after"


def test_an_unknown_timezone_reads_as_utc() -> None:
    assert render(f"<!date^{STAMP}^{{time}}|x>", "Mars/Olympus").text() == "4:30 PM"
