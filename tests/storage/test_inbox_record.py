"""A kept request as the record of work done once (an export's upload), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from storage import inbox

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def kept(session: Session, key: str = "cmd:1", *, team_id: str = "T1") -> bool:
    return inbox.record(
        session, team_id=team_id, request_key=key, kind="tasks_command", payload='{"text": "export"}',
        now=NOW, claim="h:1:a",
    )  # fmt: skip


def test_a_note_replaces_the_payload_of_that_request_only(session: Session) -> None:
    kept(session)
    kept(session, team_id="T2")

    inbox.note(session, team_id="T1", request_key="cmd:1", payload='{"file_id": "F1"}')

    assert inbox.payload_of(session, team_id="T1", request_key="cmd:1") == '{"file_id": "F1"}'
    assert inbox.payload_of(session, team_id="T2", request_key="cmd:1") == '{"text": "export"}'
    assert inbox.payload_of(session, team_id="T1", request_key="cmd:2") is None


def test_a_request_marked_done_is_not_unfinished_and_keeps_its_key(session: Session) -> None:
    kept(session)
    kept(session, "cmd:2")

    inbox.mark_done(session, team_id="T1", request_key="cmd:1")

    assert [row.request_key for row in inbox.unfinished(session)] == ["cmd:2"]
    assert not kept(session)  # a retry of the same request finds it done
