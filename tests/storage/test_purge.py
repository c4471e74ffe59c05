"""Purging a workspace: every table about it emptied of its rows, the other workspace whole."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, func, select, text
from sqlmodel import Session, SQLModel, col

from storage import purge
from storage.db import Database, make_engine
from storage.models import TaskEventRow, TaskRow
from tests.postgres_schema import empty_every_table
from tests.storage.workspace_rows import NOW, fill_workspace, team_scoped_tables

GONE, KEPT = "TGONE", "TKEPT"
# Tables that hold nothing about any one workspace: OAuth's short-lived state values.
NOT_ABOUT_A_WORKSPACE = {"slack_oauth_states"}


def rows_per_team(session: Session) -> dict[str, dict[str, int]]:
    """For every table with a team_id: how many rows each workspace has there."""
    counts: dict[str, dict[str, int]] = {}
    for name in sorted(team_scoped_tables()):
        table = SQLModel.metadata.tables[name]
        query = select(table.c.team_id, func.count()).group_by(table.c.team_id)
        counts[name] = {team: n for team, n in session.execute(query).all()}
    return counts


def test_every_table_with_a_team_id_is_purged() -> None:
    assert team_scoped_tables() == purge.TEAM_TABLES, "add the new table to storage.purge.TEAM_TABLES"


def test_every_other_table_holds_nothing_about_a_workspace() -> None:
    # A table about workspaces whose column is named otherwise would escape the test above.
    others = set(SQLModel.metadata.tables) - team_scoped_tables()
    assert others == NOT_ABOUT_A_WORKSPACE


def test_a_purge_deletes_one_workspace_and_leaves_the_other_whole(session: Session) -> None:
    fill_workspace(session, GONE, name="Gone Inc")
    fill_workspace(session, KEPT, name="Kept Ltd")
    before = rows_per_team(session)
    empty = {table for table, teams in before.items() if not (teams.get(GONE) and teams.get(KEPT))}
    assert not empty, f"tests/storage/workspace_rows.py writes no row in {sorted(empty)}"
    assert purge.rows_held(session, team_id=GONE) == {table: teams[GONE] for table, teams in before.items()}

    deleted = purge.purge(session, team_ids=[GONE])

    assert deleted == {GONE: {table: teams[GONE] for table, teams in before.items()}}
    after = rows_per_team(session)
    assert {table: teams.get(GONE, 0) for table, teams in after.items()} == dict.fromkeys(before, 0)
    assert {table: teams[KEPT] for table, teams in after.items()} == {t: c[KEPT] for t, c in before.items()}


def test_a_second_purge_finds_nothing(session: Session) -> None:
    fill_workspace(session, GONE)
    purge.purge(session, team_ids=[GONE])
    assert set(purge.purge(session, team_ids=[GONE])[GONE].values()) == {0}
    assert purge.teams_with_data(session, [GONE]) == set()


def test_a_workspace_is_known_by_any_row_about_it(session: Session) -> None:
    fill_workspace(session, KEPT)
    assert purge.teams_with_data(session, [KEPT, "TNOBODY"]) == {KEPT}


def test_a_purge_waits_for_a_change_in_flight_and_deletes_it_too(postgres_schema_url: str) -> None:
    """PostgreSQL: an event being added to a task when the purge starts does not make it fail."""
    name = f"purge-{uuid.uuid4().hex[:8]}"
    db = Database(make_engine(postgres_schema_url, connect_args={"application_name": name}))
    other = make_engine(postgres_schema_url)
    try:
        with db.session_scope() as session:
            fill_workspace(session, GONE)
            task_id = session.scalars(select(col(TaskRow.id)).where(col(TaskRow.team_id) == GONE)).first()
        with other.connect() as in_flight:
            in_flight.begin()
            event = {"team_id": GONE, "task_id": task_id, "kind": "reported", "actor_id": "UALICE", "at": NOW}
            in_flight.execute(TaskEventRow.__table__.insert().values(**event))  # type: ignore[attr-defined]
            with ThreadPoolExecutor(max_workers=1) as pool:
                purging = pool.submit(lambda: db.write(lambda s: purge.purge(s, team_ids=[GONE])))
                wait_for_lock_wait(other, name)  # the purge waits for the change in flight
                in_flight.commit()
                deleted = purging.result(timeout=10)
        assert deleted[GONE]["task_events"] == 3  # the two it had, and the one added meanwhile
        with db.session_scope(write=False) as session:
            assert set(purge.rows_held(session, team_id=GONE).values()) == {0}
    finally:
        empty_every_table(db.engine)
        db.engine.dispose()
        other.dispose()


def wait_for_lock_wait(engine: Engine, application_name: str, timeout: float = 10.0) -> None:
    """Until the connection called ``application_name`` waits for a lock (it is observed, not guessed)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + timeout
    with engine.connect() as connection:
        while connection.execute(query, {"name": application_name}).scalar_one() == 0:
            assert time.monotonic() < deadline, "the purge never waited for the change in flight"
            time.sleep(0.01)
