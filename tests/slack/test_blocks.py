"""Block Kit primitives: escaping, honest truncation, limits."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.slack.blocks import (
    MAX_MESSAGE_BLOCKS,
    button,
    context,
    escape,
    escape_except_mentions,
    fit_blocks,
    header,
    section,
    slack_date,
    truncate,
)


def test_escape_makes_pings_inert() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_error_text_keeps_our_mentions_but_not_pings() -> None:
    text = "Only <@UALICE> can do that; you typed “<!channel> <#C1|x> & <https://x|y>”"
    assert escape_except_mentions(text) == (
        "Only <@UALICE> can do that; you typed “&lt;!channel&gt; &lt;#C1|x&gt; &amp; &lt;https://x|y&gt;”"
    )


@given(st.text(max_size=400), st.integers(min_value=2, max_value=300))
def test_truncate_respects_the_limit(text: str, limit: int) -> None:
    assert len(truncate(text, limit)) <= limit


def test_truncate_never_leaves_half_an_entity() -> None:
    text = escape("a" * 95 + "<b>")
    cut = truncate(text, 100)
    assert cut.endswith("…") and "&l…" not in cut and not cut[:-1].endswith("&")
    dated = "x" * 90 + slack_date(datetime(2026, 1, 1, tzinfo=UTC))
    assert "<!date" not in truncate(dated, 100)


def test_limits_are_enforced_by_the_builders() -> None:
    assert len(header("h" * 500)["text"]["text"]) == 150
    assert len(section("s" * 5000)["text"]["text"]) == 3000
    assert len(button("b" * 100, "a", "1")["text"]["text"]) == 75
    assert len(context(*["c"] * 20)["elements"]) == 10


def test_fit_blocks_says_what_was_left_out() -> None:
    blocks = [section(str(i)) for i in range(60)]
    fitted = fit_blocks(blocks)
    assert len(fitted) == MAX_MESSAGE_BLOCKS
    assert "11 more" in fitted[-1]["elements"][0]["text"]


def test_dates_render_in_each_readers_timezone_with_a_fallback() -> None:
    moment = datetime(2026, 12, 24, 16, 0, tzinfo=UTC)
    assert slack_date(moment) == (
        f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|Thu, Dec 24 2026 at 16:00 UTC>"
    )
