"""Exporting the tasks someone can see, with their histories, as CSV; and remembering the upload.

An export is uploaded to Slack once per request. Its request stays in the inbox (see
``bot.slack.durable``) as the record of it: the file id is noted there before the file is
shared, and the request is marked done once it is, so a retry of the same command uploads
nothing and a run resumed after a crash can look for the noted file before uploading again.
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import Session

from bot.core.export_csv import Export, export_csv
from bot.services.runtime import Runtime
from storage import inbox
from storage.histories import task_histories

FILE_ID = "file_id"  # where in the kept request's payload the upload's file id is noted


def tasks_export(rt: Runtime, *, team_id: str, user_id: str, days: int) -> Export | None:
    """The person's tasks (owned or held now) open now or closed in the last ``days`` days, as
    CSV; None when there are none.

    A task reassigned away from them is left out, as ``/tasks`` hides it: what happened after
    they left belongs to its new assignee and its owner.
    """
    since = rt.now() - timedelta(days=days)
    with rt.db.session_scope(write=False) as session:
        read = task_histories(session, team_id=team_id, since=since, person=user_id)
    theirs = [(task, events) for task, events in read if user_id in (task.owner_id, task.assignee_id)]
    return export_csv(theirs) if theirs else None


def noted_file(rt: Runtime, *, team_id: str, request_key: str) -> str | None:
    """The file id an earlier run of this request noted before sharing its file, if any."""
    with rt.db.session_scope(write=False) as session:
        payload = inbox.payload_of(session, team_id=team_id, request_key=request_key)
    noted = json.loads(payload).get(FILE_ID) if payload else None
    return str(noted) if noted else None


def note_file(rt: Runtime, *, team_id: str, request_key: str, file_id: str) -> None:
    """Commit the file id before the file is shared: the one thing a resumed run must know."""

    def note(session: Session) -> None:
        payload = inbox.payload_of(session, team_id=team_id, request_key=request_key)
        kept = json.loads(payload) if payload else {}
        kept[FILE_ID] = file_id
        inbox.note(session, team_id=team_id, request_key=request_key, payload=json.dumps(kept))

    rt.db.write(note)


def uploaded(rt: Runtime, *, team_id: str, request_key: str) -> None:
    """The file is shared: the request is done, and a retry of it finds it so."""
    rt.db.write(lambda session: inbox.mark_done(session, team_id=team_id, request_key=request_key))


def nothing_to_upload(rt: Runtime, *, team_id: str, request_key: str) -> None:
    """Nothing was uploaded, so nothing needs remembering: a retry may simply look again."""
    rt.db.write(lambda session: inbox.forget(session, team_id=team_id, request_key=request_key))
