"""The Home tab as a dashboard: my open tasks on both sides, most urgent first, with the
steps I may take on each right there, and a task's details one click away."""

from __future__ import annotations

from datetime import timedelta

from bot.core.tasks import Health, Status
from tests.scenarios.conftest import ALICE, BOB, MALLORY, OWNER, START, Story, both_databases
from tests.scenarios.home_story import buttons_of, click_home, find_button, headers, open_home, seed, text_of


@both_databases
def test_home_lists_my_tasks_by_urgency_with_the_steps_each_side_may_take(story: Story) -> None:
    later = seed(story, assignee=ALICE, status=Status.IN_PROGRESS)
    review = seed(story, assignee=ALICE, status=Status.DELIVERED)
    overdue = seed(story, assignee=BOB, status=Status.IN_PROGRESS, due_at=START - timedelta(days=1))
    offered = seed(story, assignee=MALLORY)
    declined = seed(story, assignee=MALLORY, status=Status.DECLINED)
    blocked = seed(story, assignee=BOB, status=Status.IN_PROGRESS, health=Health.BLOCKED)
    today = START + timedelta(hours=3)
    mine_today = seed(story, owner=ALICE, assignee=OWNER, status=Status.IN_PROGRESS, due_at=today)
    reworked = seed(story, owner=ALICE, assignee=OWNER, status=Status.IN_PROGRESS, rework_count=2)
    seed(story, owner=ALICE, assignee=BOB)  # not mine: not shown

    view = open_home(story, OWNER)

    assert headers(view) == [
        "Your handoffs",
        "Overdue (1)",
        "Blocked or at risk (1)",
        "Declined: reassign or take back (1)",
        "Awaiting acceptance (1)",
        "Awaiting review (1)",
        "Due today (1)",
        "Later (2)",
    ]
    assert "8 open tasks" in text_of(view) and "T-9" not in text_of(view)
    owner_steps = ["Reassign", "Do it myself"]
    assert buttons_of(view, review) == ["View", "Approve", "Request changes", *owner_steps]
    assert buttons_of(view, later) == ["View", *owner_steps]
    assert buttons_of(view, offered) == ["View", *owner_steps]
    assert buttons_of(view, declined) == ["View", *owner_steps]
    assert buttons_of(view, blocked) == ["View", *owner_steps]
    assert buttons_of(view, overdue) == ["View", *owner_steps, "Why?"]
    assignee_steps = ["Report progress", "Deliver", "Ask a question"]
    assert buttons_of(view, mine_today) == ["View", *assignee_steps]
    assert buttons_of(view, reworked) == ["View", *assignee_steps, "Why?"]
    # Each line says who is on the other side, and what it waits for.
    text = text_of(view)
    assert f"*T-{review.number}* Ship the Q3 report · to <@{ALICE}>" in text
    assert f"*T-{mine_today.number}* Ship the Q3 report · from <@{ALICE}>" in text
    assert "your review" in text and "yours to deliver" in text


def test_an_open_question_offers_the_owner_a_reply(story: Story) -> None:
    asked = seed(story, assignee=ALICE, status=Status.IN_PROGRESS, open_question="Which quarter?")
    quiet = seed(story, assignee=ALICE, status=Status.IN_PROGRESS)
    view = open_home(story, OWNER)
    assert "Reply" in buttons_of(view, asked) and "Reply" not in buttons_of(view, quiet)
    assert "your answer to a question" in text_of(view)


def test_a_task_approved_lately_ends_the_list_before_the_later_ones(story: Story) -> None:
    seed(story, assignee=ALICE, status=Status.IN_PROGRESS)
    seed(story, assignee=ALICE, status=Status.APPROVED, closed_at=START - timedelta(hours=2))
    seed(story, assignee=ALICE, status=Status.APPROVED, closed_at=START - timedelta(days=3))  # old news
    view = open_home(story, OWNER)
    assert headers(view)[1:] == ["Approved (1)", "Later (1)"]
    assert "1 open task" in text_of(view)


def test_an_empty_home_says_how_to_start(story: Story) -> None:
    view = open_home(story, OWNER)
    assert "Nothing on your plate" in text_of(view) and "/delegate" in text_of(view)


def test_a_step_taken_from_the_home_tab_works_like_from_the_card(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday")
    open_home(story, ALICE)
    click_home(story, ALICE, "Accept", number=1)
    task = story.task(1)
    assert task is not None and task.status is Status.IN_PROGRESS


def test_view_opens_the_task_and_its_history_read_only(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday")
    story.click(story.offer(ALICE), "Accept", user=ALICE)
    open_home(story, OWNER)
    click_home(story, OWNER, "View", number=1)
    modal = story.slack.last_view()
    assert modal["callback_id"] == "task_detail_modal" and modal["title"]["text"] == "T-1"
    assert "submit" not in modal  # read only
    shown = str(modal["blocks"])
    assert "Ship the Q3 report" in shown and "History" in shown and "accepted" in shown


def test_view_is_refused_to_someone_not_on_the_task(story: Story) -> None:
    story.delegate(f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday")
    view = open_home(story, ALICE)
    button = find_button(view, "View", number=1)
    story.requests.block_action(user=MALLORY, action_id=button["action_id"], value=button["value"], view=view)
    story.settle()
    assert story.slack.views_opened == []
    assert "You have no task T-1" in story.dm(MALLORY).plain_text()  # the usual refusal, nothing leaks


@both_databases
def test_my_scorecard_ends_the_home_tab(story: Story) -> None:
    seed(story, assignee=ALICE, status=Status.IN_PROGRESS)
    seed(story, owner=ALICE, assignee=OWNER, status=Status.IN_PROGRESS, due_at=START - timedelta(hours=1))
    view = open_home(story, OWNER)
    texts = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    card = next(i for i, t in enumerate(texts) if t.startswith(f"*Scorecard of <@{OWNER}>*"))
    assert "last 30 days" in texts[card]
    assert all("*T-" not in t for t in texts[card:])  # after every task
    after = "\n".join(texts[card:])
    assert "*As owner* · 1 task delegated" in after and "*As assignee* · 1 task received" in after
    assert "Overdue now: 1 · Open load: 1" in after  # the task I hold, past due


def test_someone_with_no_tasks_sees_an_empty_scorecard(story: Story) -> None:
    view = open_home(story, MALLORY)
    assert f"No tasks handed to or by <@{MALLORY}>" in text_of(view)
