"""Handing off: clear outcomes, due dates in the owner's own time, who can take a task."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.core.tasks import Status
from bot.playground.slack.slack_records import Message
from bot.playground.slack.slack_requests import SlackRequests
from bot.slack.ids import Field
from tests.scenarios.conftest import ALICE, BOB, OWNER, SIGNING_SECRET, Story


def test_vague_outcome_is_flagged_but_not_blocked(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Website | done when: fix stuff")
    receipt = story.ephemeral(OWNER)
    text = receipt.plain_text()
    assert "T-1" in text
    assert "definition of done is hard to check" in text
    assert "No due date yet" in text
    assert story.task(1) is not None  # delegated all the same
    assert "T-1" in story.offer(ALICE).plain_text()

    story.click(receipt, "Add definition of done", user=OWNER)
    modal = story.slack.last_view()
    assert modal["callback_id"] == "edit_modal"
    story.submit(modal, user=OWNER, **{Field.DONE_WHEN: "Checkout page loads in under 2 s on mobile"})
    assert story.task(1).done_when == "Checkout page loads in under 2 s on mobile"  # type: ignore[union-attr]
    assert "under 2 s" in story.dm(ALICE).plain_text()


def test_clear_task_gets_no_warning(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Q3 report | done when: PDF sent to the board | due: friday")
    receipt = story.ephemeral(OWNER)
    assert ":warning:" not in receipt.plain_text()
    assert receipt.buttons() == []


def test_due_dates_are_read_in_the_owners_timezone(story: Story) -> None:
    # The owner is in Berlin (UTC+1 in November); the clock says Thursday 10:00 UTC.
    story.delegate(f"<@{ALICE}> Call the printer | done when: 500 flyers ordered | due: tomorrow 3pm")
    assert story.task(1).due_at == datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # type: ignore[union-attr]
    story.delegate(f"<@{ALICE}> Book the venue | done when: contract signed | due: 2026-12-24")
    # A date alone means the end of the workday (17:00) that day.
    assert story.task(2).due_at == datetime(2026, 12, 24, 16, 0, tzinfo=UTC)  # type: ignore[union-attr]


def test_due_date_is_shown_in_each_readers_timezone(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Call the printer | done when: 500 flyers ordered | due: tomorrow 3pm")
    stamp = int(datetime(2026, 11, 27, 14, 0, tzinfo=UTC).timestamp())
    assert f"<!date^{stamp}^" in story.offer(ALICE).plain_text()


def test_guests_can_take_tasks(story: Story) -> None:
    story.delegate(
        f"<@{BOB}|bob> Translate the brochure | done when: Japanese PDF in the folder | due: in 3 days"
    )
    assert "Accept" in [b["text"]["text"] for b in story.offer(BOB).buttons()]


def test_profiles_are_looked_up_once(story: Story) -> None:
    for title in ("One", "Two", "Three"):
        story.delegate(f"<@{ALICE}> {title} report | done when: PDF sent | due: friday")
    looked_up = [str(c.args.get("user")) for c in story.slack.calls_to("users.info")]
    assert sorted(looked_up) == [ALICE, OWNER]


def test_a_guest_from_another_organisation_works_on_our_task(story: Story) -> None:
    story.delegate(
        f"<@{BOB}|bob> Translate the brochure | done when: Japanese PDF in the folder | due: friday"
    )
    # Bob's clicks and commands carry his own organisation's team id.
    from_partner = SlackRequests(
        story.requests.app_url, signing_secret=SIGNING_SECRET, fake=story.slack, team_id="T0PARTNER"
    )
    from_partner.click(story.offer(BOB), "Accept", user=BOB)
    story.settle()
    from_partner.command("/report", user=BOB, text="T-1 done see the folder")
    story.settle()
    assert story.task(1).status is Status.DELIVERED  # type: ignore[union-attr]
    assert "delivered" in story.dm(OWNER).plain_text()


def test_opening_the_form_looks_the_owner_up_ahead_of_the_submission(story: Story) -> None:
    story.command("/delegate", user=OWNER)
    assert [c.args.get("user") for c in story.slack.calls_to("users.info")] == [OWNER]
    story.submit(
        story.slack.last_view(),
        user=OWNER,
        assignees=[ALICE],
        title="Ship it",
        done_when="PDF sent",
        due="friday",
    )
    assert [c.args.get("user") for c in story.slack.calls_to("users.info")] == [OWNER, ALICE]
    assert story.task(1) is not None


def _define_done_on_each(story: Story, receipt_of: Callable[[], Message]) -> None:
    """Click each task's "Define done" button on the owner's receipt and give it an outcome."""
    receipt = receipt_of()
    ids = [button["action_id"] for button in receipt.buttons()]
    assert ids == ["task_add_definition:1", "task_add_definition:2"]
    for number, assignee in ((2, BOB), (1, ALICE)):
        story.click(receipt_of(), f"Define done: T-{number}", user=OWNER)
        modal = story.slack.last_view()
        assert modal["private_metadata"] == str(number)
        story.submit(modal, user=OWNER, **{Field.DONE_WHEN: f"Signed contract {number} in the folder"})
        assert f"Signed contract {number}" in story.dm(assignee).plain_text()
    assert [story.task(n).done_when for n in (1, 2)] == [  # type: ignore[union-attr]
        "Signed contract 1 in the folder",
        "Signed contract 2 in the folder",
    ]


def test_several_people_with_an_unclear_outcome_inline(story: Story) -> None:
    story.delegate(f"<@{ALICE}> <@{BOB}> Ship it")
    receipt = story.ephemeral(OWNER)
    assert "definition of done" in receipt.plain_text()
    assert [story.offer(person).plain_text().count("Ship it") > 0 for person in (ALICE, BOB)] == [True, True]
    _define_done_on_each(story, lambda: story.ephemeral(OWNER))


def test_several_people_with_an_unclear_outcome_through_the_form(story: Story) -> None:
    story.command("/delegate", user=OWNER)
    story.submit(story.slack.last_view(), user=OWNER, assignees=[ALICE, BOB], title="Ship it")
    receipt = story.dm(OWNER)
    assert "Handed off" in receipt.plain_text() and "T-1" in receipt.plain_text()
    _define_done_on_each(story, lambda: next(m for m in reversed(story.dms(OWNER)) if m.buttons()))
