"""The back-and-forth around a task: questions, declines, change requests, owner controls."""

from __future__ import annotations

from bot.core.tasks import Status
from bot.slack.ids import Field
from tests.scenarios.conftest import ALICE, BOB, OWNER, Story, both_databases

TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday"


def accepted(story: Story) -> None:
    story.delegate(TASK)
    story.click(story.offer(ALICE), "Accept", user=ALICE)


def test_question_round_trip(story: Story) -> None:
    story.delegate(TASK)
    story.click(story.offer(ALICE), "Ask a question", user=ALICE)
    modal = story.slack.last_view()
    story.submit(modal, user=ALICE, **{Field.TEXT: "PDF or slides?"})

    question = story.dm(OWNER)
    assert "PDF or slides?" in question.plain_text() and "T-1" in question.plain_text()
    assert "question" in story.offer(ALICE).plain_text().lower()  # the card shows it is open
    story.command("/tasks", user=OWNER, text="T-1")
    assert "Open question" in story.ephemeral(OWNER).plain_text()

    story.click(question, "Reply", user=OWNER)
    story.submit(story.slack.last_view(), user=OWNER, **{Field.TEXT: "PDF, please"})
    answer = story.dm(ALICE)
    assert "PDF, please" in answer.plain_text()
    task = story.task(1)
    assert task is not None and task.open_question is None
    assert story.history(1) == ["created", "asked", "answered"]


def test_changes_requested_then_approved(story: Story) -> None:
    accepted(story)
    story.command("/report", user=ALICE, text="T-1 done draft attached")
    story.click(story.dm(OWNER), "Request changes", user=OWNER)
    story.submit(story.slack.last_view(), user=OWNER, **{Field.TEXT: "Add the revenue appendix"})

    back = story.dm(ALICE)
    assert "Add the revenue appendix" in back.plain_text()
    assert "Deliver" in [b["text"]["text"] for b in back.buttons()]
    task = story.task(1)
    assert task is not None and (task.status, task.rework_count) == (Status.IN_PROGRESS, 1)

    story.click(back, "Deliver", user=ALICE)
    story.submit(story.slack.last_view(), user=ALICE, **{Field.TEXT: "with appendix"})
    story.click(story.dm(OWNER), "Approve", user=OWNER)
    task = story.task(1)
    assert task is not None and task.status is Status.APPROVED and task.rework_count == 1
    assert "approved" in story.dm(ALICE).plain_text()


def test_request_changes_needs_a_reason_in_the_modal(story: Story) -> None:
    accepted(story)
    story.command("/report", user=ALICE, text="T-1 done")
    story.click(story.dm(OWNER), "Request changes", user=OWNER)
    reply = story.submit(story.slack.last_view(), user=OWNER, **{Field.TEXT: "   "})
    assert reply.json["response_action"] == "errors"
    assert Field.TEXT in reply.json["errors"]
    task = story.task(1)
    assert task is not None and task.status is Status.DELIVERED


@both_databases
def test_decline_then_reassign(story: Story) -> None:
    story.delegate(TASK)
    story.click(story.offer(ALICE), "Decline", user=ALICE)
    story.submit(story.slack.last_view(), user=ALICE, **{Field.TEXT: "On leave next week"})

    declined = story.dm(OWNER)
    assert "On leave next week" in declined.plain_text()
    assert [b["text"]["text"] for b in declined.buttons()] == ["Reassign", "Do it myself"]
    assert story.offer(ALICE).buttons() == []  # the card no longer offers Accept

    story.click(declined, "Reassign", user=OWNER)
    story.submit(story.slack.last_view(), user=OWNER, **{Field.ASSIGNEE: BOB})
    offer = story.offer(BOB)
    assert "Accept" in [b["text"]["text"] for b in offer.buttons()]
    task = story.task(1)
    assert task is not None and (task.assignee_id, task.status) == (BOB, Status.AWAITING_ACCEPTANCE)


def test_declined_task_taken_back(story: Story) -> None:
    story.delegate(TASK)
    story.click(story.offer(ALICE), "Decline", user=ALICE)
    story.submit(story.slack.last_view(), user=ALICE, **{Field.TEXT: "No time"})
    story.click(story.dm(OWNER), "Do it myself", user=OWNER)
    task = story.task(1)
    assert task is not None and task.status is Status.TAKEN_BACK
    owner_im = story.slack.im_channel(OWNER)
    [settled] = [c.args for c in story.slack.calls_to("chat.update") if c.args["channel"] == owner_im]
    assert "took T-1 back" in str(settled["blocks"])  # the clicked buttons are replaced by the outcome


def test_owner_edits_cancels_reassigns_and_takes_back_by_command(story: Story) -> None:
    accepted(story)
    story.command("/tasks", user=OWNER, text="T-1 edit due: next monday | done when: PDF and slides sent")
    edited = story.dm(ALICE)
    assert "changed" in edited.plain_text() and "PDF and slides sent" in edited.plain_text()

    story.command("/tasks", user=OWNER, text="t-1 reassign <@UBOB|bob>")
    assert story.task(1) is not None and story.task(1).assignee_id == BOB  # type: ignore[union-attr]
    assert "reassigned" in story.offer(ALICE).plain_text()  # Alice's card: nothing more needed
    assert "Accept" in [b["text"]["text"] for b in story.offer(BOB).buttons()]

    story.command("/tasks", user=OWNER, text="1 takeback")
    assert story.task(1).status is Status.TAKEN_BACK  # type: ignore[union-attr]
    story.delegate(TASK)
    story.command("/tasks", user=OWNER, text="T2 cancel plans changed")
    assert story.task(2).status is Status.CANCELLED  # type: ignore[union-attr]
    assert "cancelled" in story.dm(ALICE).plain_text()


def test_edit_modal_from_tasks_command(story: Story) -> None:
    story.delegate(TASK)
    story.command("/tasks", user=OWNER, text="T-1 edit")
    modal = story.slack.last_view()
    assert modal["callback_id"] == "edit_modal"
    story.submit(modal, user=OWNER, **{Field.TITLE: "Ship the Q4 report"})
    assert story.task(1).title == "Ship the Q4 report"  # type: ignore[union-attr]
    assert "changed title" in story.dm(ALICE).plain_text()


def test_progress_button_and_report_picker_modal(story: Story) -> None:
    accepted(story)
    story.click(story.offer(ALICE), "Report progress", user=ALICE)
    story.submit(story.slack.last_view(), user=ALICE, **{Field.TEXT: "outline ready", Field.PERCENT: "30"})
    assert "outline ready" in story.dm(OWNER).plain_text()
    assert story.task(1).progress_percent == 30  # type: ignore[union-attr]

    story.command("/report", user=ALICE)
    picker = story.slack.last_view()
    assert picker["callback_id"] == "report_modal"
    story.submit(picker, user=ALICE, task="1", text="all done", delivers=["deliver"])
    assert story.task(1).status is Status.DELIVERED  # type: ignore[union-attr]
    assert "Approve" in [b["text"]["text"] for b in story.dm(OWNER).buttons()]


def test_report_with_nothing_to_report_on(story: Story) -> None:
    story.command("/report", user=ALICE)
    assert "no accepted tasks" in story.ephemeral(ALICE).plain_text()
    assert story.slack.views_opened == []


def test_tasks_lists_both_sides(story: Story) -> None:
    story.delegate(TASK)
    story.delegate(f"<@{OWNER}> Review Alice's budget | due: tomorrow", user=ALICE)
    story.command("/tasks", user=OWNER)
    listing = story.ephemeral(OWNER).plain_text()
    assert "Delegated by me (1)" in listing and "Assigned to me (1)" in listing
    assert "T-1" in listing and "T-2" in listing
    story.command("/tasks", user=BOB)
    assert "no open tasks" in story.ephemeral(BOB).plain_text()


@both_databases
def test_several_people_get_linked_tasks(story: Story) -> None:
    story.delegate(
        f"<@{ALICE}> <@{BOB}|bob> Collect supplier quotes | done when: 3 quotes in the folder | due: eow"
    )
    assert "T-1" in story.offer(ALICE).plain_text()
    assert "T-2" in story.offer(BOB).plain_text()
    story.command("/tasks", user=OWNER, text="T-2")
    assert "Linked: T-1" in story.ephemeral(OWNER).plain_text()


def test_home_tab_shows_my_tasks(story: Story) -> None:
    story.delegate(TASK)
    story.event({"type": "app_home_opened", "user": ALICE, "channel": "D1", "tab": "home"})
    home = story.slack.home_view(ALICE)
    assert home is not None and "T-1" in str(home["blocks"])
