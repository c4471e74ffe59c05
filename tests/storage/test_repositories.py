"""Repositories on SQLite and PostgreSQL, each test in a transaction rolled back afterwards."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from bot.core import tasks as core
from bot.core.tasks import Health, Status, Task
from storage import repositories as repo
from storage.models import UserProfile

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def new_task(
    session: Session, *, team_id: str = "T1", assignee: str = "UALICE", key: str | None = None
) -> Task:
    transition = core.new_task(
        team_id=team_id,
        number=repo.next_task_number(session, team_id=team_id),
        owner_id="UOWNER",
        assignee_id=assignee,
        title="Ship the report",
        done_when="PDF sent",
        due_at=NOW + timedelta(days=1),
        now=NOW,
    )
    task = repo.add_task(session, task=transition.after, request_key=key, now=NOW)
    assert task is not None
    return task


def test_task_numbers_count_per_workspace(session: Session) -> None:
    assert [repo.next_task_number(session, team_id="TA") for _ in range(3)] == [1, 2, 3]
    assert repo.next_task_number(session, team_id="TB") == 1


def test_task_round_trips_with_aware_utc_times(session: Session) -> None:
    task = new_task(session)
    loaded = repo.get_task(session, team_id="T1", number=task.number)
    assert loaded == task
    assert loaded is not None and loaded.due_at is not None
    assert loaded.due_at.tzinfo is not None and loaded.due_at == NOW + timedelta(days=1)


def test_tasks_are_scoped_by_workspace(session: Session) -> None:
    task = new_task(session, team_id="TA")
    assert repo.get_task(session, team_id="TB", number=task.number) is None


def test_same_request_creates_a_task_once(session: Session) -> None:
    first = new_task(session, key="cmd:trigger-1:UALICE")
    duplicate = replace(first, number=first.number + 1, id=None)
    assert repo.add_task(session, task=duplicate, request_key="cmd:trigger-1:UALICE", now=NOW) is None
    assert repo.task_created_by(session, team_id="T1", request_key="cmd:trigger-1:UALICE") == first


def test_save_is_compare_and_set_on_the_version(session: Session) -> None:
    task = new_task(session)
    accepted = core.accept(task, actor="UALICE", now=NOW).after
    saved = repo.save_task(session, task=accepted, now=NOW)
    assert saved.version == task.version + 1
    with pytest.raises(repo.StaleTask):
        repo.save_task(session, task=accepted, now=NOW)  # written from the old version again
    loaded = repo.get_task(session, team_id="T1", number=task.number)
    assert loaded is not None and loaded.status is Status.IN_PROGRESS


def test_a_delivery_saves_the_cleared_flag_as_none(session: Session) -> None:
    accepted = repo.save_task(
        session, task=core.accept(new_task(session), actor="UALICE", now=NOW).after, now=NOW
    )
    blocked = core.flag(accepted, actor="UALICE", health=Health.BLOCKED, reason="waiting on legal", now=NOW)
    flagged = repo.save_task(session, task=blocked.after, now=NOW)
    delivered = core.deliver(flagged, actor="UALICE", note="", now=NOW).after
    repo.save_task(session, task=delivered, now=NOW)
    loaded = repo.get_task(session, team_id="T1", number=delivered.number)
    assert loaded is not None and (loaded.health, loaded.health_reason) == (None, None)


def test_history_keeps_order_and_request_keys_are_unique(session: Session) -> None:
    task = new_task(session)
    created = core.new_task(
        team_id="T1",
        number=task.number,
        owner_id="UOWNER",
        assignee_id="UALICE",
        title="t",
        done_when=None,
        due_at=None,
        now=NOW,
    ).event
    asked = core.ask(task, actor="UALICE", question="Which format?", now=NOW).event
    assert created is not None and asked is not None
    assert repo.add_event(session, task=task, event=created)
    assert repo.add_event(session, task=task, event=asked, request_key="view:V1")
    assert not repo.add_event(session, task=task, event=asked, request_key="view:V1")
    assert repo.request_seen(session, team_id="T1", request_key="view:V1")
    assert [e.kind.value for e in repo.history(session, team_id="T1", task_id=task.id or 0)] == [
        "created",
        "asked",
    ]


def test_open_tasks_lists_both_sides_soonest_first(session: Session) -> None:
    later = new_task(session, assignee="UALICE")
    soon = repo.save_task(session, task=replace(new_task(session, assignee="UBOB"), due_at=NOW), now=NOW)
    closed = new_task(session)
    repo.save_task(session, task=replace(closed, status=Status.CANCELLED), now=NOW)
    as_owner, total = repo.open_tasks_for(session, team_id="T1", user_id="UOWNER", side="owner")
    assert [t.number for t in as_owner] == [soon.number, later.number] and total == 2
    as_assignee, _ = repo.open_tasks_for(session, team_id="T1", user_id="UALICE", side="assignee")
    assert [t.number for t in as_assignee] == [later.number]


def test_open_task_lists_are_cut_and_count_the_rest(session: Session) -> None:
    for _ in range(5):
        new_task(session)
    first_two, total = repo.open_tasks_for(session, team_id="T1", user_id="UOWNER", side="owner", limit=2)
    assert [t.number for t in first_two] == [1, 2] and total == 5
    assert repo.open_tasks_for(session, team_id="T1", user_id="UNOBODY", side="owner") == ([], 0)


def test_a_declined_task_is_not_on_its_assignees_list(session: Session) -> None:
    declined = new_task(session)
    repo.save_task(session, task=replace(declined, status=Status.DECLINED), now=NOW)
    assert repo.open_tasks_for(session, team_id="T1", user_id="UALICE", side="assignee") == ([], 0)
    assert repo.open_tasks_for(session, team_id="T1", user_id="UOWNER", side="owner")[1] == 1


def test_offer_message_location_is_remembered(session: Session) -> None:
    task = new_task(session)
    assert task.id is not None
    assert repo.offer_message(session, team_id="T1", task_id=task.id) is None
    assert not repo.set_offer_message(
        session, team_id="T1", task_id=task.id, assignee_id="UBOB", channel="DBOB", ts="17.0"
    )  # Bob is not the assignee: his card is not the task's card
    assert repo.set_offer_message(
        session, team_id="T1", task_id=task.id, assignee_id="UALICE", channel="DALICE", ts="17.1"
    )
    assert repo.offer_message(session, team_id="T1", task_id=task.id) == ("DALICE", "17.1")


def test_profiles_are_cached_per_workspace(session: Session) -> None:
    repo.save_profile(
        session, profile=UserProfile(team_id="T1", user_id="U1", tz="Asia/Tokyo", fetched_at=NOW)
    )
    profile = repo.get_profile(session, team_id="T1", user_id="U1")
    assert profile is not None and profile.tz == "Asia/Tokyo" and profile.fetched_at == NOW
    assert repo.get_profile(session, team_id="T2", user_id="U1") is None


def test_linked_tasks_find_each_other(session: Session) -> None:
    first = new_task(session)
    second = repo.add_task(
        session,
        task=replace(
            first,
            id=None,
            number=repo.next_task_number(session, team_id="T1"),
            assignee_id="UBOB",
            linked_to=first.number,
        ),
        request_key=None,
        now=NOW,
    )
    assert second is not None
    assert [t.number for t in repo.linked_tasks(session, team_id="T1", task=first)] == [second.number]
    assert [t.number for t in repo.linked_tasks(session, team_id="T1", task=second)] == [first.number]
