"""Slack's markup read as plain text: mentions, channels, links and escapes, as the person saw them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.slack_text import plain_text
from tests.core.parsing_cases import slack_escape


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
