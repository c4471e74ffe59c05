"""An export reaches Slack once: through retried commands, rate limits and a crash mid-upload."""

from __future__ import annotations

from storage.models import InboxStatus
from tests.scenarios.conftest import OWNER, Story, both_databases
from tests.scenarios.export_story import (
    answers,
    cut_short,
    delegated_and_accepted,
    exported,
    kept_requests,
    restarted,
    uploads_started,
)


@both_databases
def test_a_retried_command_uploads_once(story: Story) -> None:
    delegated_and_accepted(story)

    first = story.command("/tasks", user=OWNER, text="export")
    again = story.command("/tasks", user=OWNER, text="export", trigger_id=first.trigger_id)

    assert again.status == 200
    assert uploads_started(story) == 1 and len(story.slack.files_sent_to(OWNER)) == 1
    assert [row.status for row in kept_requests(story)] == [InboxStatus.DONE]


def test_a_new_export_of_the_same_window_is_a_new_file(story: Story) -> None:
    delegated_and_accepted(story)

    story.command("/tasks", user=OWNER, text="export")
    story.command("/tasks", user=OWNER, text="export")

    assert len(story.slack.files_sent_to(OWNER)) == 2


def test_rate_limits_on_every_step_of_the_upload_are_waited_out(story: Story) -> None:
    delegated_and_accepted(story)
    for step in ("files.getUploadURLExternal", "upload", "files.completeUploadExternal"):
        story.slack.fail_next(step, status=429, retry_after=0)

    story.command("/tasks", user=OWNER, text="export")

    _, rows = exported(story, OWNER)
    assert len(rows) == 3  # the header and two events
    completes = story.slack.calls_to("files.completeUploadExternal")
    assert [c.status for c in completes] == [429, 200]
    assert [c.status for c in story.slack.calls_to("upload")] == [429, 200]
    assert "in your DM with me" in answers(story, OWNER)


def test_a_server_error_on_the_upload_post_is_retried(story: Story) -> None:
    delegated_and_accepted(story)
    story.slack.fail_next("upload", status=503)

    story.command("/tasks", user=OWNER, text="export")

    assert len(story.slack.files_sent_to(OWNER)) == 1
    assert [c.status for c in story.slack.calls_to("upload")] == [503, 200]


def test_an_upload_slack_refuses_is_reported_and_kept_aside_not_retried(story: Story) -> None:
    delegated_and_accepted(story)
    story.slack.fail_next("files.completeUploadExternal", error="file_uploads_disabled")

    story.command("/tasks", user=OWNER, text="export")

    assert story.slack.files_sent_to(OWNER) == []
    assert "error" in answers(story, OWNER).lower()
    assert [row.status for row in kept_requests(story)] == [InboxStatus.FAILED]


@both_databases
def test_a_crash_after_the_file_was_shared_does_not_share_it_again(story: Story) -> None:
    delegated_and_accepted(story)
    story.command("/tasks", user=OWNER, text="export")
    cut_short(story)  # as if the process died between sharing the file and marking the request done

    assert restarted(story) == 1

    assert uploads_started(story) == 1 and len(story.slack.files_sent_to(OWNER)) == 1
    assert [row.status for row in kept_requests(story)] == [InboxStatus.DONE]


def test_a_crash_before_the_file_was_shared_uploads_it_on_restart(story: Story) -> None:
    delegated_and_accepted(story)
    story.slack.fail_next("files.completeUploadExternal", error="fatal_error")
    story.command("/tasks", user=OWNER, text="export")
    assert story.slack.files_sent_to(OWNER) == []
    cut_short(story)  # its file id was noted, but the file never reached the DM

    assert restarted(story) == 1

    _, rows = exported(story, OWNER)
    assert len(rows) == 3 and uploads_started(story) == 2
    assert [row.status for row in kept_requests(story)] == [InboxStatus.DONE]
