"""What the grammar's tests share: Slack's escaping of what people type, and text to throw at parsers."""

from __future__ import annotations

from hypothesis import strategies as st


def slack_escape(text: str) -> str:
    """What Slack does to what a person types before it sends the command text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
MIXED_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(_FRAGMENTS, st.text(max_size=5)), max_size=12).map("".join),
)
