"""`/tasks export [30d]`: a CSV of the requester's tasks and their histories, uploaded to their DM."""

from __future__ import annotations

from tests.scenarios.conftest import ALICE, BOB, MALLORY, OWNER, Story, both_databases
from tests.scenarios.export_story import TASK, answers, delegated_and_accepted, exported, uploads_started

HEADER = [
    "task", "title", "owner", "assignee", "status", "due", "created", "accepted", "delivered", "closed",
    "rework count", "done when", "event at", "event kind", "actor", "text", "from", "to",
]  # fmt: skip


@both_databases
def test_export_uploads_the_requesters_tasks_with_their_history_to_their_dm(story: Story) -> None:
    delegated_and_accepted(story)
    story.clock.advance(hours=1)
    delegated_and_accepted(story, f"<@{ALICE}> Someone else's work | due: monday", owner=MALLORY)

    reply = story.command("/tasks", user=OWNER, text="export")

    assert reply.status == 200
    upload, rows = exported(story, OWNER)
    task = [
        "T-1", "Ship the Q3 report", OWNER, ALICE, "in_progress", "2026-11-27T16:00:00Z",
        "2026-11-26T10:00:00Z", "2026-11-26T10:00:00Z", "", "", "0", "PDF sent to the board",
    ]  # fmt: skip
    assert rows == [
        HEADER,
        [*task, "2026-11-26T10:00:00Z", "created", OWNER, "Ship the Q3 report", "", ""],
        [*task, "2026-11-26T10:00:00Z", "accepted", ALICE, "", "", ""],
    ]  # MALLORY's T-2 to the same assignee is not the owner's to see
    assert upload.filename == f"handoff-export-{story.slack.team_id}-2026-11-26-30d.csv"
    assert upload.initial_comment is not None
    assert "1 task, 2 history rows, last 30 days" in upload.initial_comment
    said = answers(story, OWNER)
    assert "Preparing your export" in said and "in your DM with me: 1 task, 2 history rows" in said


def test_the_assignee_sees_the_tasks_they_hold_not_one_reassigned_away(story: Story) -> None:
    """As /tasks: a task moved on to someone else, and what happened to it since, is theirs."""
    delegated_and_accepted(story)
    delegated_and_accepted(story, f"<@{ALICE}> Someone else's work | due: monday", owner=MALLORY)
    story.delegate(f"<@{ALICE}> Book the venue | due: monday")
    story.command("/tasks", user=OWNER, text=f"T-3 reassign <@{BOB}>")

    story.command("/tasks", user=ALICE, text="export")
    story.command("/tasks", user=BOB, text="export")

    _, alices = exported(story, ALICE)
    assert sorted({row[0] for row in alices[1:]}) == ["T-1", "T-2"]
    _, bobs = exported(story, BOB)
    assert [row[13] for row in bobs if row[0] == "T-3"] == ["created", "reassigned"]


def test_a_window_of_days_takes_tasks_closed_within_it(story: Story) -> None:
    story.delegate(TASK)
    story.command("/tasks", user=OWNER, text="T-1 cancel no longer needed")  # closed at START
    story.clock.advance(days=7)
    story.delegate(f"<@{ALICE}> Book the venue | due: monday")  # open now

    story.command("/tasks", user=OWNER, text="export 7d")  # from exactly when T-1 closed
    story.clock.advance(seconds=1)
    story.command("/tasks", user=OWNER, text="export 7d")  # a second too late for T-1

    first, second = story.slack.files_sent_to(OWNER)
    assert first.content is not None and second.content is not None
    assert [line[:4] for line in first.content.decode().splitlines()[1:]] == ["T-1,", "T-1,", "T-2,"]
    assert [line[:4] for line in second.content.decode().splitlines()[1:]] == ["T-2,"]
    assert first.filename.endswith("-2026-12-03-7d.csv")
    assert "1 task, 1 history row, last 7 days" in str(second.initial_comment)


def test_nothing_to_export_is_said_and_no_file_is_made(story: Story) -> None:
    delegated_and_accepted(story)

    story.command("/tasks", user=MALLORY, text="export")

    assert "Nothing to export" in answers(story, MALLORY)
    assert uploads_started(story) == 0 and story.slack.files_sent_to(MALLORY) == []


def test_nothing_closed_in_a_short_window_is_nothing_to_export(story: Story) -> None:
    story.delegate(TASK)
    story.command("/tasks", user=OWNER, text="T-1 cancel no longer needed")
    story.clock.advance(days=3)

    story.command("/tasks", user=OWNER, text="export 2d")

    assert "no tasks open now or closed in the last 2 days" in answers(story, OWNER)
    assert uploads_started(story) == 0


def test_a_window_out_of_range_or_not_days_is_refused_with_what_to_type(story: Story) -> None:
    delegated_and_accepted(story)

    for text in ("export 400d", "export soon"):
        story.command("/tasks", user=OWNER, text=text)
        answer = story.ephemeral(OWNER).plain_text()
        assert "30d" in answer and "365" in answer, answer

    assert uploads_started(story) == 0 and story.slack.files_sent_to(OWNER) == []
