"""What the Home tab reads and queues, on SQLite and PostgreSQL, each test rolled back afterwards."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bot.core import tasks as core
from bot.core.tasks import Event, EventKind, Status, Task
from bot.outbox import store
from bot.outbox.intents import home_window, queue_for_change, queue_home_refresh
from storage import repositories as repo

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
EVERY = timedelta(seconds=5)


def add(session: Session, *, owner: str = "UOWNER", assignee: str = "UALICE", **changes: object) -> Task:
    created = core.new_task(
        team_id="T1", number=repo.next_task_number(session, team_id="T1"), owner_id=owner,
        assignee_id=assignee, title="Ship it", done_when="PDF sent", due_at=NOW + timedelta(days=1), now=NOW,
    )  # fmt: skip
    task = repo.add_task(session, task=replace(created.after, **changes), request_key=None, now=NOW)  # type: ignore[arg-type]
    assert task is not None
    return task


def test_approvals_since_a_moment_per_side_latest_first(session: Session) -> None:
    add(session, status=Status.APPROVED, closed_at=NOW - timedelta(hours=30))  # too old
    early = add(session, status=Status.APPROVED, closed_at=NOW - timedelta(hours=5))
    late = add(session, status=Status.APPROVED, closed_at=NOW - timedelta(hours=1))
    add(session, status=Status.CANCELLED, closed_at=NOW - timedelta(hours=1))
    add(session, owner="UBOB", assignee="UCAROL", status=Status.APPROVED, closed_at=NOW - timedelta(hours=1))
    since = NOW - timedelta(days=1)
    owned = repo.approved_since(session, team_id="T1", user_id="UOWNER", side="owner", since=since)
    assert [t.number for t in owned] == [late.number, early.number]
    done = repo.approved_since(session, team_id="T1", user_id="UALICE", side="assignee", since=since, limit=1)
    assert [t.number for t in done] == [late.number]
    assert repo.approved_since(session, team_id="T2", user_id="UOWNER", side="owner", since=since) == []


def test_a_message_queued_not_before_a_moment_waits_for_it(session: Session) -> None:
    store.enqueue(
        session, team_id="T1", dedupe_key="k", kind="home", recipient_id="UALICE", payload="{}",
        task_id=None, now=NOW, not_before=NOW + EVERY,
    )  # fmt: skip
    assert store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=10) == []
    [claimed] = store.claim_batch(session, sender_id="h:1:a", now=NOW + EVERY, limit=10)
    assert claimed.dedupe_key == "k"


def test_home_refreshes_are_one_per_person_per_window(session: Session) -> None:
    for user, seconds in [("UALICE", 0), ("UALICE", 1), ("UALICE", 4.9), ("UALICE", 5), ("UBOB", 0)]:
        at = NOW + timedelta(seconds=seconds)  # Alice's fourth is in the next window
        queue_home_refresh(session, team_id="T1", user_id=user, now=at, every=EVERY)
    rows = store.messages(session, team_id="T1")
    assert [(r.recipient_id, r.next_attempt_at) for r in rows] == [
        ("UALICE", NOW + EVERY + timedelta(seconds=1)),
        ("UALICE", NOW + 2 * EVERY + timedelta(seconds=1)),
        ("UBOB", NOW + EVERY + timedelta(seconds=1)),
    ]


def test_a_reassignment_refreshes_the_owner_and_both_assignees(session: Session) -> None:
    before = add(session, status=Status.IN_PROGRESS)
    after = replace(before, assignee_id="UBOB", status=Status.AWAITING_ACCEPTANCE)
    event = Event(EventKind.REASSIGNED, "UOWNER", NOW, None, from_id="UALICE", to_id="UBOB")
    queue_for_change(session, before=before, after=after, event=event, now=NOW, home_every=EVERY)
    homes = [r.recipient_id for r in store.messages(session, team_id="T1") if r.kind == "home"]
    assert homes == ["UOWNER", "UBOB", "UALICE"]


def test_windows_follow_the_setting() -> None:
    assert home_window(NOW, EVERY)[1] == NOW + EVERY
    assert home_window(NOW + timedelta(seconds=59), timedelta(minutes=1))[1] == NOW + timedelta(minutes=1)
    assert home_window(NOW, timedelta(0))[1] == NOW + timedelta(seconds=1)  # never shorter than a second
