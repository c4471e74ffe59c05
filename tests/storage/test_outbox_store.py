"""The outbox table's queries on SQLite and PostgreSQL, each test rolled back afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.outbox import store

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def queue(session: Session, key: str, *, team_id: str = "T1", recipient: str = "UALICE") -> bool:
    return store.enqueue(
        session,
        team_id=team_id,
        dedupe_key=key,
        kind="notice",
        recipient_id=recipient,
        payload="{}",
        task_id=None,
        now=NOW,
    )


def test_queues_once_per_key_and_tracks_sending(session: Session) -> None:
    assert queue(session, "k1")
    assert not queue(session, "k1")  # the same change replayed
    assert queue(session, "k1", team_id="T2")  # keys are per workspace
    [message] = store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=1)
    assert message.id is not None and (message.status, message.claimed_by) == ("sending", "h:1:a")
    store.mark_unsent(
        session,
        team_id="T1",
        message_id=message.id,
        sender_id="h:1:a",
        error="fatal_error",
        retry_at=NOW + timedelta(minutes=1),
    )
    session.expire_all()
    assert list(store.pending(session, team_id="T1", due_by=NOW)) == []  # backing off
    [again] = store.pending(session, team_id="T1", due_by=NOW + timedelta(minutes=1))
    assert (again.attempts, again.last_error, again.claimed_by) == (1, "fatal_error", None)
    store.mark_sent(session, team_id="T1", message_id=message.id, channel="D1", ts="1.2", now=NOW)
    session.expire_all()
    assert list(store.pending(session, team_id="T1")) == []


def test_a_bad_row_is_an_error_not_a_duplicate(session: Session) -> None:
    with pytest.raises(IntegrityError):
        store.enqueue(
            session,
            team_id="T1",
            dedupe_key="k1",
            kind="card",
            recipient_id="UALICE",
            payload="{}",
            task_id=999_999,  # no such task
            now=NOW,
        )


def test_a_batch_is_claimed_oldest_first_across_workspaces_in_one_go(session: Session) -> None:
    for n in range(5):
        queue(session, f"k{n}", team_id=f"T{n % 2}")
    first = store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=3)
    second = store.claim_batch(session, sender_id="h:2:b", now=NOW, limit=3)
    assert [m.dedupe_key for m in first] == ["k0", "k1", "k2"]
    assert [m.dedupe_key for m in second] == ["k3", "k4"]  # short: the queue is empty
    assert store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=3) == []


def test_paused_workspaces_are_passed_over(session: Session) -> None:
    queue(session, "a", team_id="TBUSY")
    queue(session, "b", team_id="TCALM")
    claimed = store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=10, paused_teams=["TBUSY"])
    assert [m.team_id for m in claimed] == ["TCALM"]
    [later] = store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=10)  # the pause is over
    assert later.team_id == "TBUSY"


def test_released_claims_are_marked_maybe_sent(session: Session) -> None:
    queue(session, "k1")
    queue(session, "k2", recipient="UBOB")
    [gone] = store.claim_batch(session, sender_id="h:1:gone", now=NOW, limit=1)
    [alive] = store.claim_batch(session, sender_id="h:2:alive", now=NOW, limit=1)
    assert sorted(store.claim_holders(session)) == ["h:1:gone", "h:2:alive"]
    assert store.release_claims(session, holders=["h:1:gone"]) == 1
    session.expire_all()
    [back] = store.pending(session, team_id="T1")
    assert (back.id, back.maybe_sent, back.claimed_by) == (gone.id, True, None)
    store.renew_claims(session, sender_id="h:2:alive", now=NOW + timedelta(minutes=5))
    assert store.release_claims(session, claimed_before=NOW + timedelta(minutes=1)) == 0  # renewed
    assert store.release_claims(session, claimed_before=NOW + timedelta(minutes=6)) == 1  # lease over
    assert alive.id is not None


def test_an_outcome_is_written_only_by_the_claim_holder(session: Session) -> None:
    queue(session, "k1")
    [message] = store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=1)
    assert message.id is not None
    store.mark_skipped(session, team_id="T1", message_id=message.id, sender_id="h:9:other", reason="x")
    store.mark_skipped(session, team_id="T2", message_id=message.id, sender_id="h:1:a", reason="x")
    session.expire_all()
    assert [m.status for m in store.messages(session, team_id="T1")] == ["sending"]


def test_a_batch_of_sent_messages_is_written_in_one_statement(session: Session) -> None:
    for key in ("a", "b", "c"):
        queue(session, key)
    a, b, _c = store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=3)
    sent = [store.SentRow("T1", m.id or 0, "D1", f"1.{n}") for n, m in enumerate((a, b))]
    store.mark_many_sent(session, sent=sent, now=NOW)
    session.expire_all()
    found = [(m.status, m.ts) for m in store.messages(session, team_id="T1")]
    assert found == [("sent", "1.0"), ("sent", "1.1"), ("sending", None)]


def test_sent_rows_past_the_keep_period_are_pruned(session: Session) -> None:
    for key in ("old", "new", "unsent"):
        queue(session, key)
    old, new, _unsent = store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=3)
    for message, at in ((old, NOW - timedelta(days=8)), (new, NOW - timedelta(days=6))):
        assert message.id is not None
        store.mark_sent(session, team_id="T1", message_id=message.id, channel="D1", ts="1.1", now=at)
    assert store.prune_sent(session, sent_before=NOW - timedelta(days=7)) == 1
    session.expire_all()
    assert [m.dedupe_key for m in store.messages(session, team_id="T1")] == ["new", "unsent"]


def test_the_claim_reads_the_partial_index(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        plan = session.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE status = 'pending' "
                "AND (next_attempt_at IS NULL OR next_attempt_at <= '2026') ORDER BY id LIMIT 100"
            )
        ).all()
    else:
        session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = session.execute(
            text(
                "EXPLAIN SELECT id FROM outbox WHERE status = 'pending' "
                "AND (next_attempt_at IS NULL OR next_attempt_at <= now()) ORDER BY id LIMIT 100"
            )
        ).all()
    assert "ix_outbox_pending" in " ".join(str(row) for row in plan)
