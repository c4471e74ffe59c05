"""The daily summary within Slack's limits: 50 blocks with an exact "and N more", text cut, inert user text.

Block counts: the header and the numbers take 2 blocks (3 with a scope), a heading 1 per
section, an overdue line 2 (its text, then Nudge now and Why?), an unclear line 1 (View beside it).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from bot.core.metrics import Rate
from bot.core.summary import DailySummary, SummaryLine, TeamNumbers
from bot.core.tasks import Health, Status
from bot.core.urgency import Urgency
from bot.playground.slack.block_kit_limits import message_block_problems
from bot.slack.summary_messages import summary_message
from tests.core.task_cases import NOW, offered
from tests.slack.summary_blocks import contexts, headings, lines

NUMBERS = TeamNumbers(open=99, on_time=Rate(8, 10), median_time_to_accept=timedelta(hours=3))
MORE = "…and {} more — see the Home tab or /tasks"


def _line(number: int, urgency: Urgency, **changes: object) -> SummaryLine:
    task = replace(offered(), number=number, status=Status.IN_PROGRESS, **changes)  # type: ignore[arg-type]
    return SummaryLine(
        task=task,
        urgency=urgency,
        since=NOW - timedelta(hours=number),
        reason=None,
        went_wrong=urgency is Urgency.OVERDUE,
    )


def _summary(overdue: int, unclear: int) -> DailySummary:
    late = [_line(n, Urgency.OVERDUE) for n in range(1, overdue + 1)]
    vague = [_line(n, Urgency.UNCLEAR) for n in range(overdue + 1, overdue + unclear + 1)]
    return DailySummary(day=date(2026, 11, 26), lines=(*late, *vague), numbers=NUMBERS, at=NOW)


def test_everything_that_fits_is_shown_without_a_more_line() -> None:
    # 2 + 1 heading + 47 one-block lines = 50.
    message = summary_message(_summary(overdue=0, unclear=47))
    assert len(message["blocks"]) == 50
    assert len(lines(message)) == 47
    assert not any("more" in text for text in contexts(message))
    assert message_block_problems(message["blocks"]) == []


def test_one_line_too_many_ends_with_the_exact_count_left_out() -> None:
    # 48 lines need 51 blocks; with the "more" line 46 fit: 2 + 1 + 46 + 1 = 50.
    message = summary_message(_summary(overdue=0, unclear=48))
    assert len(message["blocks"]) == 50
    assert list(lines(message)) == list(range(1, 47))
    assert contexts(message) == [
        MORE.format(2),
        "Open: 99 · On time: 80 % (8 of 10) · Median time to accept: 3 hours",
    ]
    assert message_block_problems(message["blocks"]) == []


def test_truncation_across_sections_keeps_the_most_urgent_and_counts_the_rest() -> None:
    # With a scope and a "more" line, 46 blocks are left for lines: 10 overdue take 1 + 20,
    # then a heading and 24 unclear lines: 16 of the 40 unclear are left out.
    message = summary_message(_summary(overdue=10, unclear=40), scope="tasks owned by <@UOWNER>")
    assert len(message["blocks"]) == 50
    shown = list(lines(message))
    assert shown == list(range(1, 11)) + list(range(11, 35))
    assert MORE.format(16) in contexts(message)
    assert headings(message) == ["*Overdue* (10)", "*Unclear* (40)"]  # the counts stay whole
    assert message_block_problems(message["blocks"]) == []


def test_a_heading_with_no_line_room_left_is_not_shown() -> None:
    # 23 overdue lines take 1 + 46 blocks, all 47 left beside a "more" line: no room for Unclear at all.
    message = summary_message(_summary(overdue=23, unclear=5))
    assert headings(message) == ["*Overdue* (23)"]
    assert MORE.format(5) in contexts(message)
    assert len(message["blocks"]) == 50


def test_a_huge_summary_stays_at_fifty_blocks() -> None:
    message = summary_message(_summary(overdue=500, unclear=500))
    assert len(message["blocks"]) == 50
    assert MORE.format(1000 - len(lines(message))) in contexts(message)
    assert message_block_problems(message["blocks"]) == []


def test_a_long_title_and_reason_are_cut_but_the_people_still_show() -> None:
    line = _line(1, Urgency.AT_RISK, title="T" * 4000, health=Health.BLOCKED, health_reason="R" * 4000)
    summary = DailySummary(
        day=date(2026, 11, 26), lines=(replace(line, reason="R" * 4000),), numbers=NUMBERS, at=NOW
    )
    message = summary_message(summary)
    text = lines(message)[1]
    assert len(text) < 3000
    assert "T…" in text and "<@UALICE> (from <@UOWNER>)" in text and "blocked: RRR" in text
    assert text.endswith("R… · waiting 1 hour")
    assert message_block_problems(message["blocks"]) == []


def test_the_header_stays_within_150_characters() -> None:
    message = summary_message(_summary(overdue=1, unclear=0), channel_name="c" * 200)
    header = message["blocks"][0]["text"]["text"]
    assert len(header) == 150 and header.startswith("Handoff daily summary for #ccc")
    assert message_block_problems(message["blocks"]) == []


def test_user_text_cannot_ping_the_channel() -> None:
    line = _line(1, Urgency.DECLINED, title="Ship the <!channel> report")
    summary = DailySummary(
        day=date(2026, 11, 26),
        lines=(replace(line, reason="ask <!here> & <@U999>"),),
        numbers=NUMBERS,
        at=NOW,
    )
    text = lines(summary_message(summary))[1]
    assert "Ship the &lt;!channel&gt; report" in text
    assert "declined: ask &lt;!here&gt; &amp; &lt;@U999&gt;" in text
    assert "<!" not in text.replace("<!date", "")
