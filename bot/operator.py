"""Operator commands: ``python -m bot outbox``, ``outbox retry`` and ``purge``.

They need the database alone (no Slack credentials) and talk to a person at a terminal:
what they did goes to stdout, a refusal to stderr with what to do instead and exit status 1.
A refusal changes nothing: every workspace named is checked before anything is written, and
what is written is one transaction.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.startup import StartupError, check_migrated, describe_database
from storage import outbox_review, purge
from storage.db import Database, make_engine
from storage.models import WorkspaceRow
from storage.outbox_review import HeldMessage, WorkspaceHeld
from storage.workspaces import workspace

RECENT = 5  # messages shown per workspace
REFUSED = 1
NO_TEAM = (
    "No team id given: pass --team with a workspace's id (it starts with T; `python -m bot outbox`"
    " lists them). {done}"
)


def open_database(database_url: str) -> Database:
    """The bot's database, as it is: never created or migrated by an operator command."""
    where = describe_database(database_url)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():  # else SQLite makes one
        raise StartupError(f"There is no database at {where}: set DATABASE_URL to the bot's database.")
    sqlite = url.get_backend_name() == "sqlite"
    engine = (
        make_engine(database_url)
        if sqlite
        else make_engine(database_url, connect_args={"connect_timeout": 5})
    )
    try:
        check_migrated(engine, database_url, then="try again")
    except StartupError:
        engine.dispose()
        raise
    return Database(engine)


# --- python -m bot outbox ------------------------------------------------------------------


def show_outbox(db: Database) -> int:
    """Each workspace's failed and parked messages, the latest few, and how to send them again."""
    with db.session_scope(write=False) as session:
        held = outbox_review.held_by_workspace(session, recent=RECENT)
    if not held:
        print("No failed or parked messages in the outbox: nothing waits for an operator.")
        return 0
    for block in held:
        print("\n".join(_workspace_block(block)), end="\n\n")
    example = held[0].team_id
    print(
        "To send them again: `python -m bot outbox retry` (every workspace)"
        f" or `python -m bot outbox retry --team {example}`."
    )
    return 0


def _workspace_block(block: WorkspaceHeld) -> list[str]:
    title = _workspace_title(block.team_id, block.team_name)
    if block.uninstalled_at is not None:
        title += f", app uninstalled {_when(block.uninstalled_at)}"
    counts = ", ".join(f"{n} {status}" for status, n in sorted(block.counts.items()))
    lines = [f"{title}: {counts}"]
    lines += [f"  {_message_line(message)}" for message in block.recent]
    more = sum(block.counts.values()) - len(block.recent)
    if more > 0:
        lines.append(f"  … and {more} older")
    return lines


def _message_line(message: HeldMessage) -> str:
    about = f" about T-{message.task_number}" if message.task_number is not None else ""
    tries = f"{message.attempts} attempt{'' if message.attempts == 1 else 's'}"
    error = _slack_error(message.last_error) if message.last_error else "no error recorded"
    return (
        f"#{message.id} {message.status} {message.kind}{about} to {message.recipient_id},"
        f" queued {_when(message.created_at)}, {tries}: {error}"
    )


# --- python -m bot outbox retry ------------------------------------------------------------


def retry_outbox(db: Database, *, team_ids: Sequence[str] | None) -> int:
    """Failed and parked messages queued again, for every workspace or those named."""
    teams = _distinct(team_ids) if team_ids else None
    if teams == []:
        _refuse(NO_TEAM.format(done="Nothing was queued again."))
        return REFUSED
    with db.session_scope() as session:
        if teams is not None:
            known = purge.teams_with_data(session, teams)
            unknown = [team for team in teams if team not in known]
            if unknown:
                _refuse(_unknown(unknown, "Nothing was queued again."))
                return REFUSED
        requeued = outbox_review.requeue(session, team_ids=teams)
        rows = {team: workspace(session, team) for team in (teams or sorted(requeued))}
    if not requeued and teams is None:
        print("No failed or parked messages to queue again.")
        return 0
    for team, row in rows.items():
        print("\n".join(_requeued_lines(team, row, requeued.get(team, {}))))
    if requeued:
        print(
            "A running Handoff process sends them within OUTBOX_POLL_EVERY;"
            " with none running, `python -m bot sweep` sends them."
        )
    return 0


def _requeued_lines(team: str, row: WorkspaceRow | None, counts: dict[str, int]) -> list[str]:
    title = _workspace_title(team, row.team_name if row else None)
    if not counts:
        return [f"{title}: nothing to queue again."]
    parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    lines = [f"{title}: {sum(counts.values())} queued again ({parts})."]
    if row is not None and row.uninstalled_at is not None:
        lines.append(
            f"  The app was uninstalled from {team} {_when(row.uninstalled_at)}:"
            " they wait in the queue until it is installed again."
        )
    return lines


# --- python -m bot purge -------------------------------------------------------------------


def purge_workspaces(db: Database, *, team_ids: Sequence[str], confirmed: bool) -> int:
    """Everything Handoff holds about the workspaces deleted in one transaction, once confirmed."""
    teams = _distinct(team_ids)
    if not teams:
        _refuse(NO_TEAM.format(done="Nothing was deleted."))
        return REFUSED
    with db.session_scope(write=False) as session:
        known = purge.teams_with_data(session, teams)
        unknown = [team for team in teams if team not in known]
        if unknown:
            _refuse(_unknown(unknown, "Nothing was deleted."))
            return REFUSED
        held = {team: purge.rows_held(session, team_id=team) for team in teams}
        rows = {team: workspace(session, team) for team in teams}
    for team in teams:
        row = rows[team]
        print(f"{_workspace_title(team, row.team_name if row else None)}: {_rows(held[team])}.")
        if row is not None and row.uninstalled_at is None:
            print(
                f"  The app is still installed in {team}: what its people do from now on is kept"
                " again. Uninstall it from the workspace first to stop that."
            )
    if not confirmed and not _confirmed_at_terminal(teams):
        return REFUSED
    with db.session_scope() as session:
        deleted = purge.purge(session, team_ids=teams)
    for team in teams:
        print(f"Deleted from {team}:")
        for table, n in deleted[team].items():
            print(f"  {table:<22} {n}")
    return 0


def _confirmed_at_terminal(teams: Sequence[str]) -> bool:
    if not sys.stdin.isatty():
        _refuse(
            "Not purging without confirmation, and there is no terminal to ask at:"
            " pass --yes to purge from a script. Nothing was deleted."
        )
        return False
    for team in teams:
        try:
            answer = input(f"Type the team id to confirm ({team}): ")
        except EOFError:
            answer = ""
        if answer.strip() != team:
            _refuse(f"{answer.strip() or 'Nothing'} is not {team}: not confirmed. Nothing was deleted.")
            return False
    return True


def _rows(held: dict[str, int]) -> str:
    present = [f"{n} {table}" for table, n in held.items() if n]
    return f"{sum(held.values())} rows ({', '.join(present)})"


# --- shared --------------------------------------------------------------------------------


def _unknown(teams: Sequence[str], outcome: str) -> str:
    return (
        f"Handoff holds nothing about {', '.join(teams)}: check the team id (it starts with T;"
        f" `python -m bot outbox` shows the ids of workspaces with messages held). {outcome}"
    )


def _workspace_title(team_id: str, team_name: str | None) -> str:
    return f"{team_id} ({team_name})" if team_name else team_id


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


# What slack_sdk's SlackApiError says: the method's URL, then Slack's answer with its error code.
_SLACK_ANSWER = re.compile(r"/api/([\w.]+)\).*?['\"]error['\"]:\s*['\"]([\w.-]+)['\"]", re.DOTALL)


def _slack_error(text: str) -> str:
    """Slack's error code and the method that got it, when the error is Slack's answer; else the text."""
    answer = _SLACK_ANSWER.search(text)
    return f"{answer[2]} (from {answer[1]})" if answer else _one_line(text)


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _distinct(team_ids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(team.strip() for team in team_ids if team.strip()))


def _refuse(message: str) -> None:
    print(message, file=sys.stderr)
