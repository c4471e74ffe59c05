"""Who may do what, and bad input: a clear private answer, and nothing changes or gets half-written."""

from __future__ import annotations

import pytest

from bot.core.tasks import Status
from tests.scenarios.conftest import ALICE, MALLORY, OTHER_BOT, OWNER, Story

TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday"


def delegated(story: Story, *, deliver: bool = False) -> None:
    story.delegate(TASK)
    if deliver:
        story.click(story.offer(ALICE), "Accept", user=ALICE)
        story.command("/report", user=ALICE, text="T-1 done")


def assert_unchanged(story: Story, status: Status, messages_before: int) -> None:
    task = story.task(1)
    assert task is not None and task.status is status
    assert story.posted() == messages_before, "a refused action must not message anyone"


# --- the authorisation matrix -----------------------------------------------------------
# The other party gets "only X can": strangers are told there is no such task of theirs,
# so nobody learns who works with whom by guessing numbers.


def refusal(story: Story, intruder: str, party: str) -> None:
    answer = story.ephemeral(intruder).plain_text()
    if intruder == MALLORY:
        assert "You have no task T-1" in answer
        assert ALICE not in answer and OWNER not in answer and "Ship the Q3 report" not in answer
    else:
        assert f"Only <@{party}>" in answer


@pytest.mark.parametrize("text", ["T-1 drafted 40%", "T-1 done here it is"])
@pytest.mark.parametrize("intruder", [OWNER, MALLORY])
def test_only_the_assignee_reports_and_delivers(story: Story, text: str, intruder: str) -> None:
    delegated(story)
    story.click(story.offer(ALICE), "Accept", user=ALICE)
    before = story.posted()
    story.command("/report", user=intruder, text=text)
    refusal(story, intruder, ALICE)
    assert_unchanged(story, Status.IN_PROGRESS, before)


@pytest.mark.parametrize("label", ["Accept", "Decline", "Ask a question"])
@pytest.mark.parametrize("intruder", [OWNER, MALLORY])
def test_only_the_assignee_can_use_the_offer_buttons(story: Story, label: str, intruder: str) -> None:
    delegated(story)
    before = story.posted()
    story.click(story.offer(ALICE), label, user=intruder)  # a forwarded or forged click
    refusal(story, intruder, ALICE)
    assert story.slack.views_opened == []
    assert_unchanged(story, Status.AWAITING_ACCEPTANCE, before)


@pytest.mark.parametrize("label", ["Approve", "Request changes"])
@pytest.mark.parametrize("intruder", [ALICE, MALLORY])
def test_only_the_owner_reviews(story: Story, label: str, intruder: str) -> None:
    delegated(story, deliver=True)
    before = story.posted()
    story.click(story.dm(OWNER), label, user=intruder)
    refusal(story, intruder, OWNER)
    assert story.slack.views_opened == []
    assert_unchanged(story, Status.DELIVERED, before)


@pytest.mark.parametrize(
    "text", ["T-1 cancel", "T-1 takeback", f"T-1 reassign <@{MALLORY}>", "T-1 edit due: eow", "T-1 edit"]
)
@pytest.mark.parametrize("intruder", [ALICE, MALLORY])
def test_only_the_owner_edits_cancels_reassigns_takes_back(story: Story, text: str, intruder: str) -> None:
    delegated(story)
    before = story.posted()
    story.command("/tasks", user=intruder, text=text)
    refusal(story, intruder, OWNER)
    assert story.slack.views_opened == []
    assert_unchanged(story, Status.AWAITING_ACCEPTANCE, before)


def test_strangers_cannot_read_a_task(story: Story) -> None:
    delegated(story)
    story.command("/tasks", user=MALLORY, text="T-1")
    refusal(story, MALLORY, OWNER)
    story.command("/tasks", user=ALICE, text="T-1")  # the assignee can
    assert "Ship the Q3 report" in story.ephemeral(ALICE).plain_text()


# --- bad input --------------------------------------------------------------------------

BAD_DELEGATIONS = {
    "no assignee": ("Ship the report | due: friday", "Mention"),
    "unparseable due": (f"<@{ALICE}> Ship it | due: whenever you like", "tomorrow 3pm"),
    "past due": (f"<@{ALICE}> Ship it | due: 2020-01-01", "past"),
    "a bot": (f"<@{OTHER_BOT}> Ship it | due: friday", "bot"),
    "unknown person": ("<@UNOBODY> Ship it | due: friday", "can't find"),
    "myself": (f"<@{OWNER}> Ship it | due: friday", "yourself"),
    "title too long": (f"<@{ALICE}> {'x' * 200} | due: friday", "150"),
    "unknown part": (f"<@{ALICE}> Ship it | budget: 5k", "done when"),
}


@pytest.mark.parametrize("case", sorted(BAD_DELEGATIONS))
def test_bad_delegations_explain_and_create_nothing(story: Story, case: str) -> None:
    text, advice = BAD_DELEGATIONS[case]
    reply = story.delegate(text)
    assert reply.status == 200
    answer = story.ephemeral(OWNER).plain_text()
    assert advice.lower() in answer.lower(), answer
    assert story.task(1) is None
    assert story.posted() == 0


@pytest.mark.parametrize(
    ("command", "text", "advice"),
    [
        ("/tasks", "T-99", "You have no task T-99"),
        ("/tasks", "banana", "task id"),
        ("/tasks", "T-1 explode", "edit"),
        ("/report", "T-1", "T-1"),
        ("/report", "T-1 halfway 150%", "100"),
        ("/report", "soon", "task id"),
    ],
)
def test_bad_commands_explain(story: Story, command: str, text: str, advice: str) -> None:
    delegated(story)
    story.click(story.offer(ALICE), "Accept", user=ALICE)
    before = story.posted()
    reply = story.command(command, user=ALICE if command == "/report" else OWNER, text=text)
    assert reply.status == 200  # Slack got its answer; the refusal follows privately
    answer = story.ephemeral(ALICE if command == "/report" else OWNER).plain_text()
    assert advice.lower() in answer.lower(), answer
    assert_unchanged(story, Status.IN_PROGRESS, before)


def test_help_for_each_command(story: Story) -> None:
    for command in ("/delegate", "/report", "/tasks"):
        story.command(command, user=OWNER, text="help")
        assert command in story.ephemeral(OWNER).plain_text()


def test_modal_delegation_shows_errors_next_to_the_field(story: Story) -> None:
    story.command("/delegate", user=OWNER)
    modal = story.slack.last_view()
    assert modal["callback_id"] == "delegate_modal"
    reply = story.submit(
        modal,
        user=OWNER,
        assignees=[ALICE],
        title="Ship it",
        done_when="PDF sent to the board",
        due="yesterday",
    )
    assert reply.json["response_action"] == "errors" and "due" in reply.json["errors"]
    assert story.task(1) is None

    story.delegate(f"<@{OTHER_BOT}> Ship it | due: friday")  # refused; the bot is known from now on
    reply = story.submit(
        modal, user=OWNER, assignees=[OTHER_BOT], title="Ship it", done_when="PDF sent", due="friday"
    )
    assert "assignees" in reply.json["errors"]

    story.submit(
        modal, user=OWNER, assignees=[ALICE], title="Ship it", done_when="PDF sent to the board", due="friday"
    )
    assert story.task(1) is not None
    assert "T-1" in story.offer(ALICE).plain_text()
    assert "Handed off" in story.dm(OWNER).plain_text()


def test_owner_buttons_on_questions_and_declines_refuse_the_assignee(story: Story) -> None:
    delegated(story)
    story.click(story.offer(ALICE), "Ask a question", user=ALICE)
    story.submit(story.slack.last_view(), user=ALICE, text="PDF or slides?")
    opened = len(story.slack.views_opened)
    story.click(story.dm(OWNER), "Reply", user=ALICE)
    assert f"Only <@{OWNER}>" in story.ephemeral(ALICE).plain_text()
    assert len(story.slack.views_opened) == opened


def test_a_forged_form_for_someone_elses_task_changes_nothing(story: Story) -> None:
    delegated(story)
    story.click(story.offer(ALICE), "Decline", user=ALICE)
    form = story.slack.last_view()  # Alice's decline form for T-1 ...
    reply = story.submit(form, user=MALLORY, text="not mine to decline")  # ... submitted as Mallory
    assert reply.json["response_action"] == "errors"
    assert "You have no task T-1" in str(reply.json["errors"])
    assert_unchanged(story, Status.AWAITING_ACCEPTANCE, 1)


def test_a_bot_among_several_assignees_creates_nothing(story: Story) -> None:
    story.delegate(f"<@{ALICE}> <@{OTHER_BOT}> Ship it | done when: PDF sent | due: friday")
    assert "bot" in story.ephemeral(OWNER).plain_text()
    assert story.task(1) is None and story.posted() == 0
