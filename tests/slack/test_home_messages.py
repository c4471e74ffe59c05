"""The Home tab's builder at Slack's limits: every page within 100 blocks and 3000 characters
a section, every task on exactly one page, sections in urgency order."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.core import tasks as core
from bot.core.fault_lines import FaultKind, FaultTally
from bot.core.lifecycle_table import Role
from bot.core.metrics import AssigneeCard, OwnerCard, Rate
from bot.core.tasks import Health, Status, Task
from bot.core.urgency import Urgency
from bot.playground.slack.block_kit_limits import view_problems
from bot.services.home import Home, HomeTask, Scorecard, order
from bot.services.insights import Card
from bot.slack.home_messages import home_view, pending, task_detail_modal

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
NO_CARD = Scorecard(
    days=30, card=Card("UOWNER", assignee=None, owner=None, tally_as_owner=None, tally_as_assignee=None)
)


def task(number: int, **changes: object) -> Task:
    created = core.new_task(
        team_id="T1", number=number, owner_id="UOWNER", assignee_id="UALICE",
        title="Q3 & <b>" + "x" * 150, done_when="PDF sent", due_at=NOW + timedelta(days=1), now=NOW,
    )  # fmt: skip
    return replace(created.after, id=number, **changes)  # type: ignore[arg-type]


def a_home(count: int) -> Home:
    """``count`` tasks spread over every section, on both sides."""
    sections: list[Urgency | None] = [*Urgency, None]
    lines = [
        HomeTask(
            task(n, status=Status.DELIVERED if n % 2 else Status.IN_PROGRESS, rework_count=n % 3),
            Role.OWNER if n % 2 else Role.ASSIGNEE,
            sections[n % len(sections)],
        )
        for n in range(1, count + 1)
    ]
    return Home(user_id="UOWNER", tasks=order(lines), open_total=count, cut=False, scorecard=NO_CARD, now=NOW)


def numbers_on(view: dict[str, object]) -> list[int]:
    return [int(n) for n in re.findall(r"\*T-(\d+)\*", str(view["blocks"]))]


@pytest.mark.parametrize("count", [0, 1, 45, 46, 47, 230, 1000])
def test_every_page_fits_a_view_and_every_task_is_on_exactly_one(count: int) -> None:
    home = a_home(count)
    first = home_view(home)
    pages = int(m.group(1)) if (m := re.search(r"Page 1 of (\d+)", str(first["blocks"]))) else 1
    seen: list[int] = []
    for page in range(1, pages + 1):
        view = home_view(home, page=page)
        assert len(view["blocks"]) <= 100
        assert view_problems(view, expected_type="home") == []
        seen += numbers_on(view)
    assert sorted(seen) == list(range(1, count + 1))


def test_a_full_scorecard_ends_every_page_within_the_limits() -> None:
    faults = {FaultKind.OUTCOME_MISSING: 3, FaultKind.DELIVERED_LATE: 2, FaultKind.CHANGES_REQUESTED: 2}
    tally = FaultTally(
        "UOWNER", tasks=10, went_wrong=4, faults=faults, held=faults, reworked=2, reworked_unclear=1
    )
    card = Scorecard(
        days=30,
        card=Card(
            "UOWNER",
            assignee=AssigneeCard(
                "UOWNER", 10, Rate(8, 10), timedelta(hours=2), Rate(5, 8), Rate(4, 6), 0.5, 2, 5, 1
            ),
            owner=OwnerCard("UOWNER", 10, Rate(7, 10), timedelta(hours=5)),
            tally_as_owner=tally,
            tally_as_assignee=tally,
        ),
    )
    # Every frame block, and every section on one page (45 tasks: five in each), or on many.
    for home in (replace(a_home(count), scorecard=card, cut=True) for count in (45, 230)):
        check_every_page_ends_with_the_card(home)


def check_every_page_ends_with_the_card(home: Home) -> None:
    for page in range(1, 8):
        view = home_view(home, page=page)
        assert view_problems(view, expected_type="home") == []
        assert "more not shown" not in str(view["blocks"])  # nothing cut to fit
        assert "*As owner*" in str(view["blocks"][-3:]) and "Where it broke" in str(view["blocks"][-1])


def test_a_page_holds_as_many_tasks_as_the_blocks_allow() -> None:
    view = home_view(a_home(230))
    assert 80 <= len(view["blocks"]) <= 100  # no page left half empty


def test_pages_past_either_end_show_the_first_or_last() -> None:
    home = a_home(230)
    assert home_view(home, page=0) == home_view(home, page=1)
    assert "Next" not in str(home_view(home, page=999)["blocks"])
    assert "Previous" in str(home_view(home, page=999)["blocks"])


def test_sections_come_in_urgency_order_then_later() -> None:
    headers = [b["text"]["text"] for b in home_view(a_home(9))["blocks"] if b["type"] == "header"]
    labels = [u.label for u in Urgency] + ["Later"]
    assert [h.rsplit(" (", 1)[0] for h in headers[1:]] == labels


def test_a_cut_list_says_so() -> None:
    home = replace(a_home(3), cut=True, open_total=5000)
    assert "Only the soonest due" in str(home_view(home)["blocks"])


def test_the_title_is_escaped_and_cut() -> None:
    text = str(home_view(a_home(1))["blocks"])
    kept = "Q3 &amp; &lt;b&gt;"  # escaped first, then cut: never half an entity
    assert kept + "x" * (149 - len(kept)) + "…" in text and "<b>" not in text


@pytest.mark.parametrize(
    ("changes", "role", "words"),
    [
        ({"status": Status.AWAITING_ACCEPTANCE}, Role.OWNER, "waiting for <@UALICE> to accept"),
        ({"status": Status.AWAITING_ACCEPTANCE}, Role.ASSIGNEE, "yours to accept or decline"),
        ({"status": Status.DELIVERED}, Role.OWNER, "your review"),
        ({"status": Status.DELIVERED}, Role.ASSIGNEE, "waiting for <@UOWNER> to review"),
        ({"open_question": "?"}, Role.ASSIGNEE, "waiting for <@UOWNER> to answer"),
        ({"status": Status.DECLINED}, Role.OWNER, "yours to reassign or take back"),
    ],
)
def test_each_line_says_what_is_pending_and_on_whom(changes: dict[str, Any], role: Role, words: str) -> None:
    assert pending(task(1, **changes), role).startswith(words)


def test_a_blocked_word_is_not_pending_once_delivered_and_sent_back() -> None:
    accepted = core.accept(task(1), actor="UALICE", now=NOW).after
    blocked = core.flag(accepted, actor="UALICE", health=Health.BLOCKED, reason="legal", now=NOW).after
    delivered = core.deliver(blocked, actor="UALICE", note="", now=NOW).after
    reworked = core.request_changes(delivered, actor="UOWNER", reason="add totals", now=NOW).after
    assert pending(blocked, Role.OWNER) == "<@UALICE> says it is blocked"
    assert pending(reworked, Role.OWNER) == "with <@UALICE>"


def test_the_detail_modal_is_read_only_within_limits() -> None:
    modal = task_detail_modal(task(12), [])
    assert view_problems(modal, expected_type="modal") == []
    assert "submit" not in modal and modal["title"]["text"] == "T-12"
