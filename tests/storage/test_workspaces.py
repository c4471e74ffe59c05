"""Workspaces on SQLite and PostgreSQL: installed, uninstalled, installed again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from storage import workspaces

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_an_uninstall_is_recorded_once_and_a_new_install_ends_it(session: Session) -> None:
    workspaces.record_installed(session, team_id="T1", team_name="Acme", installed_by="UINSTALLER", now=NOW)
    workspaces.record_installed(session, team_id="T2", team_name="Globex", installed_by=None, now=NOW)
    later = NOW + timedelta(days=1)

    assert workspaces.record_uninstalled(session, team_id="T1", now=later) is True
    assert workspaces.record_uninstalled(session, team_id="T1", now=later + timedelta(hours=1)) is False
    assert workspaces.is_uninstalled(session, "T1") and not workspaces.is_uninstalled(session, "T2")
    assert workspaces.workspace(session, "T1").uninstalled_at == later  # type: ignore[union-attr]

    workspaces.record_installed(session, team_id="T1", team_name="Acme", installed_by="UOTHER", now=later)
    again = workspaces.workspace(session, "T1")
    assert again is not None and again.uninstalled_at is None and again.installed_by == "UOTHER"
    assert not workspaces.is_uninstalled(session, "T1")


def test_an_uninstall_of_a_workspace_never_recorded_as_installed_still_counts(session: Session) -> None:
    """One workspace's bot (SLACK_BOT_TOKEN) is never installed through OAuth: no row before."""
    assert workspaces.record_uninstalled(session, team_id="T9", now=NOW) is True
    assert workspaces.is_uninstalled(session, "T9")


def test_a_removal_older_than_the_latest_install_is_a_late_retry_and_ignored(session: Session) -> None:
    installed = NOW + timedelta(milliseconds=500)
    workspaces.record_installed(session, team_id="T1", team_name="Acme", installed_by="U1", now=installed)
    workspaces.record_uninstalled(session, team_id="T1", now=NOW, happened_at=NOW - timedelta(minutes=5))
    assert workspaces.is_uninstalled(session, "T1") is False  # Slack's retry of an earlier removal

    # Slack's event_time is in whole seconds: a removal in the second of the install still counts.
    removed = workspaces.record_uninstalled(session, team_id="T1", now=installed, happened_at=NOW)
    assert removed is True and workspaces.is_uninstalled(session, "T1")
