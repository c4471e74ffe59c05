"""Helpers for the export stories: seeding handoffs and reading back the uploaded CSV."""

from __future__ import annotations

import csv
import io

from sqlalchemy import update
from sqlmodel import select

from bot.playground.slack.file_methods import Upload
from bot.slack import durable
from storage.models import InboxRequest, InboxStatus
from tests.scenarios.conftest import ALICE, OWNER, Story

TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday"


def delegated_and_accepted(story: Story, text: str = TASK, *, owner: str = OWNER, to: str = ALICE) -> None:
    story.delegate(text, user=owner)
    story.click(story.offer(to), "Accept", user=to)


def exported(story: Story, user: str) -> tuple[Upload, list[list[str]]]:
    """The one file in the person's DM, and its rows as a spreadsheet reads them (header first)."""
    [upload] = story.slack.files_sent_to(user)
    assert upload.content is not None
    return upload, list(csv.reader(io.StringIO(upload.content.decode("utf-8"))))


def answers(story: Story, user: str) -> str:
    """Every private answer the person got, joined: the ack and the reply after the work may come
    in either order, as in Slack (the reply can be posted before the ack's HTTP answer is read)."""
    return "\n".join(m.plain_text() for m in story.slack.ephemerals_to(user))


def uploads_started(story: Story) -> int:
    return len(story.slack.calls_to("files.getUploadURLExternal"))


def cut_short(story: Story) -> None:
    """As if the process died in the middle of the export: its kept request is pending, its holder gone."""
    with story.handoff.runtime.db.session_scope() as session:
        session.execute(update(InboxRequest).values(status=InboxStatus.PENDING, claim=None, error_id=None))


def restarted(story: Story) -> int:
    """What a starting process does with requests cut short; returns how many it finished."""
    done = durable.resume(story.handoff.runtime)
    story.settle()
    return done


def kept_requests(story: Story) -> list[InboxRequest]:
    with story.handoff.runtime.db.session_scope() as session:
        return list(session.exec(select(InboxRequest)).all())
