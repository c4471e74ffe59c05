"""Failed and parked messages, listed per workspace for an operator and queued again."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from bot.outbox import store
from storage import outbox_review
from storage.models import OutboxStatus, WorkspaceRow
from tests.storage.test_repositories import new_task
from tests.storage.workspace_rows import NOW, add_message

FAILED, PARKED, PENDING = OutboxStatus.FAILED, OutboxStatus.PARKED, OutboxStatus.PENDING


def test_held_messages_are_listed_per_workspace_newest_first(session: Session) -> None:
    session.add(WorkspaceRow(team_id="TACME", team_name="Acme", installed_at=NOW, uninstalled_at=NOW))
    for n in range(7):
        queued_at = NOW + timedelta(minutes=n)
        add_message(session, team_id="TACME", key=f"a{n}", status=PARKED, created_at=queued_at)
    add_message(session, team_id="TACME", key="f", status=FAILED, error="channel_not_found")
    add_message(session, team_id="TACME", key="waiting", status=PENDING)
    add_message(session, team_id="TBETA", key="b", status=FAILED, recipient="CSUMMARY")
    add_message(session, team_id="TCALM", key="c", status=OutboxStatus.SENT)

    [acme, beta] = outbox_review.held_by_workspace(session, recent=3)

    assert (acme.team_id, acme.team_name, acme.uninstalled_at) == ("TACME", "Acme", NOW)
    assert acme.counts == {"parked": 7, "failed": 1}
    assert [m.created_at for m in acme.recent] == [NOW + timedelta(minutes=n) for n in (6, 5, 4)]
    assert (beta.team_name, beta.counts) == (None, {"failed": 1})
    [message] = beta.recent
    assert (message.kind, message.recipient_id, message.last_error) == ("notice", "CSUMMARY", "cannot_dm_bot")


def test_a_held_message_names_its_task(session: Session) -> None:
    task = new_task(session, team_id="TACME")
    add_message(session, team_id="TACME", key="card", status=FAILED, task_id=task.id)
    [acme] = outbox_review.held_by_workspace(session)
    assert [m.task_number for m in acme.recent] == [task.number]


def test_nothing_held_lists_nothing(session: Session) -> None:
    add_message(session, team_id="TACME", key="a", status=OutboxStatus.SENT)
    assert outbox_review.held_by_workspace(session) == []


def test_requeued_messages_are_due_at_once_as_freshly_queued(session: Session) -> None:
    add_message(session, team_id="TACME", key="f", status=FAILED)
    add_message(session, team_id="TACME", key="p", status=PARKED)
    add_message(session, team_id="TACME", key="sent", status=OutboxStatus.SENT)
    [failed] = [m for m in store.messages(session, team_id="TACME") if m.dedupe_key == "f"]
    failed.maybe_sent, failed.next_attempt_at = True, NOW + timedelta(hours=1)
    session.add(failed)
    session.flush()

    assert outbox_review.requeue(session) == {"TACME": {"failed": 1, "parked": 1}}

    session.expire_all()
    due = store.pending(session, team_id="TACME", due_by=NOW - timedelta(days=1))
    assert {m.dedupe_key: (m.attempts, m.last_error, m.claimed_by) for m in due} == {
        "f": (0, None, None),
        "p": (0, None, None),
    }
    assert {m.dedupe_key: m.maybe_sent for m in due} == {"f": True, "p": False}  # still looked for first
    claimed = store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=10)
    assert {m.dedupe_key for m in claimed} == {"f", "p"}


def test_a_requeue_twice_queues_nothing_twice(session: Session) -> None:
    add_message(session, team_id="TACME", key="f", status=FAILED)
    assert outbox_review.requeue(session) == {"TACME": {"failed": 1}}
    assert outbox_review.requeue(session) == {}


def test_a_requeue_for_some_workspaces_leaves_the_others_held(session: Session) -> None:
    add_message(session, team_id="TACME", key="f", status=FAILED)
    add_message(session, team_id="TBETA", key="f", status=PARKED)
    add_message(session, team_id="TCALM", key="f", status=FAILED)
    assert outbox_review.requeue(session, team_ids=["TACME", "TBETA"]) == {
        "TACME": {"failed": 1},
        "TBETA": {"parked": 1},
    }
    assert [w.team_id for w in outbox_review.held_by_workspace(session)] == ["TCALM"]
