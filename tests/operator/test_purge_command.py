"""python -m bot purge: a workspace forgotten once confirmed, the others untouched."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from storage import purge
from storage.db import Database
from tests.operator.cli import Bot, at_terminal
from tests.operator.conftest import ACME, BETA


def held(db: Database, team_id: str) -> dict[str, int]:
    with db.session_scope(write=False) as session:
        return purge.rows_held(session, team_id=team_id)


def test_purge_with_yes_deletes_the_workspace_and_says_what(
    bot: Bot, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before, beta = held(database, ACME), held(database, BETA)
    assert bot("purge", "--team", ACME, "--yes") == 0
    out = capsys.readouterr().out
    assert f"{ACME} (Acme): {sum(before.values())} rows (" in out
    assert "The app is still installed in TACME" in out
    assert f"Deleted from {ACME}:" in out
    assert all(f"  {table:<22} {n}" in out for table, n in before.items())
    assert set(held(database, ACME).values()) == {0}
    assert held(database, BETA) == beta


def test_purge_asks_at_a_terminal_for_the_team_id(
    bot: Bot, database: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    at_terminal(monkeypatch, ACME, BETA)
    assert bot("purge", "--team", ACME, BETA) == 0
    assert "Type the team id to confirm (TACME)" in capsys.readouterr().out
    assert set(held(database, ACME).values()) == set(held(database, BETA).values()) == {0}


@pytest.mark.parametrize("answers", [["TACM"], [""], []], ids=["mistyped", "empty", "end of input"])
def test_purge_not_confirmed_deletes_nothing(
    answers: list[str],
    bot: Bot,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = held(database, ACME)
    at_terminal(monkeypatch, *answers)
    assert bot("purge", "--team", ACME) == 1
    assert "not confirmed. Nothing was deleted." in capsys.readouterr().err
    assert held(database, ACME) == before


def test_purge_without_a_terminal_asks_for_yes(
    bot: Bot, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before = held(database, ACME)
    assert bot("purge", "--team", ACME) == 1  # stdin is not a terminal (a script, a pipe)
    err = capsys.readouterr().err
    assert "pass --yes to purge from a script" in err and "Nothing was deleted." in err
    assert held(database, ACME) == before


def test_purge_of_an_unknown_team_deletes_nothing(
    bot: Bot, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before = held(database, ACME)
    assert bot("purge", "--team", ACME, "TNOPE", "--yes") == 1
    err = capsys.readouterr().err
    assert "Handoff holds nothing about TNOPE" in err and "Nothing was deleted." in err
    assert held(database, ACME) == before


def test_a_purged_team_is_unknown_afterwards(bot: Bot, capsys: pytest.CaptureFixture[str]) -> None:
    assert bot("purge", "--team", BETA, "--yes") == 0
    assert bot("purge", "--team", BETA, "--yes") == 1  # purged already: nothing to delete, said so
    assert "Handoff holds nothing about TBETA" in capsys.readouterr().err


@pytest.mark.parametrize("command", [("purge", "--team", " ", "--yes"), ("outbox", "retry", "--team", "")])
def test_a_blank_team_id_is_refused_and_changes_nothing(
    bot: Bot, database: Database, command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    before = held(database, ACME), held(database, BETA)
    assert bot(*command) == 1
    assert "No team id given: pass --team" in capsys.readouterr().err
    assert (held(database, ACME), held(database, BETA)) == before


def test_a_database_failing_mid_command_is_said_in_one_line(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def blip(*args: object, **kwargs: object) -> None:
        raise OperationalError("DELETE FROM tasks", {}, Exception("server closed the connection"))

    monkeypatch.setattr(purge, "purge", blip)
    assert bot("purge", "--team", ACME, "--yes") == 1
    err = capsys.readouterr().err
    assert "The database failed: server closed the connection. Nothing was changed" in err
    assert "Traceback" not in err
