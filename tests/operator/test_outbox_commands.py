"""python -m bot outbox and outbox retry: what waits for an operator, and queueing it again."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot.outbox import store
from storage import outbox_review, workspaces
from storage.db import Database
from tests.operator.cli import Bot
from tests.operator.conftest import ACME, BETA
from tests.storage.workspace_rows import NOW


def held(db: Database) -> dict[str, dict[str, int]]:
    with db.session_scope(write=False) as session:
        return {w.team_id: w.counts for w in outbox_review.held_by_workspace(session)}


def statuses(session: Session, team_id: str) -> dict[str, str]:
    return {m.dedupe_key: m.status for m in store.messages(session, team_id=team_id)}


def test_outbox_shows_each_workspace_with_its_held_messages(
    bot: Bot, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bot("outbox") == 0
    out = capsys.readouterr().out
    assert f"{ACME} (Acme): 1 failed, 1 parked" in out
    assert f"{BETA}: 1 failed, 1 parked" in out  # installed by a token: no name known
    assert out.count("cannot_dm_bot") == 4  # each message with its last error
    assert "card about T-1 to UALICE, queued 2026-11-26 10:00 UTC, 1 attempt" in out
    assert "card:0" not in out and "sent" not in out.replace("send them", "")  # sent ones are not listed
    assert out.rstrip().splitlines()[-1].startswith("To send them again: `python -m bot outbox retry`")


def test_outbox_with_nothing_held_says_so(
    bot: Bot, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with database.session_scope() as session:
        outbox_review.requeue(session)
    assert bot("outbox") == 0
    assert "No failed or parked messages" in capsys.readouterr().out


def test_retry_queues_again_the_workspaces_given(
    bot: Bot, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bot("outbox", "retry", "--team", ACME) == 0
    out = capsys.readouterr().out
    assert f"{ACME} (Acme): 2 queued again (1 failed, 1 parked)." in out
    assert "python -m bot sweep" in out
    assert held(database) == {BETA: {"failed": 1, "parked": 1}}
    with database.session_scope(write=False) as session:
        assert statuses(session, ACME) == {"card:0": "sent", "card:1": "pending", "card:2": "pending"}

    assert bot("outbox", "retry", "--team", ACME) == 0  # run again: nothing is queued twice
    assert f"{ACME} (Acme): nothing to queue again." in capsys.readouterr().out


def test_retry_without_a_team_queues_every_workspace(
    bot: Bot, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bot("outbox", "retry") == 0
    out = capsys.readouterr().out
    assert f"{ACME} (Acme): 2 queued again" in out and f"{BETA}: 2 queued again" in out
    assert held(database) == {}
    assert bot("outbox", "retry") == 0
    assert "No failed or parked messages to queue again." in capsys.readouterr().out


def test_retry_names_an_uninstalled_workspace(
    bot: Bot, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with database.session_scope() as session:
        workspaces.record_uninstalled(session, team_id=ACME, now=NOW)
    assert bot("outbox") == 0
    assert (
        f"{ACME} (Acme), app uninstalled 2026-11-26 10:00 UTC: 1 failed, 1 parked" in capsys.readouterr().out
    )
    assert bot("outbox", "retry", "--team", ACME) == 0
    assert "they wait in the queue until it is installed again" in capsys.readouterr().out
    with database.session_scope() as session:
        assert store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=10) == []  # as said
        workspaces.record_installed(session, team_id=ACME, team_name="Acme", installed_by=None, now=NOW)
    with database.session_scope() as session:
        claimed = store.claim_batch(session, sender_id="h:1:a", now=NOW, limit=10)
    assert {(m.team_id, m.dedupe_key) for m in claimed} == {(ACME, "card:1"), (ACME, "card:2")}


def test_an_unknown_team_is_refused_and_nothing_is_queued(
    bot: Bot, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bot("outbox", "retry", "--team", ACME, "TNOPE") == 1
    err = capsys.readouterr().err
    assert "Handoff holds nothing about TNOPE" in err and "Nothing was queued again." in err
    assert held(database) == {ACME: {"failed": 1, "parked": 1}, BETA: {"failed": 1, "parked": 1}}
