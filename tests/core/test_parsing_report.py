"""/report: which task, what progress, how many percent, and done."""

from __future__ import annotations

import pytest

from bot.core.errors import BadInput, Problem
from bot.core.parsing import MAX_REPORT_TEXT, ReportRequest, parse_report
from bot.slack.error_text import error_text


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
