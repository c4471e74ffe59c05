"""Messages parked when a workspace removed the bot: an operator sends them once it is back.

Alpha uninstalls with two reminders still queued (``test_uninstall``); they are parked.
``python -m bot outbox`` shows them under Alpha, marked uninstalled; Alpha installs the bot
again, ``python -m bot outbox retry --team`` queues them, and Amy gets each reminder once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.operator.cli import Bot, python_m_bot
from tests.scenarios.conftest import Story, both_databases
from tests.scenarios.nudge_story import nudges_to, sweep_without_sending
from tests.scenarios.oauth_story import install
from tests.scenarios.tenants_story import AMY, INSTALLER, installed_side_by_side
from tests.scenarios.test_uninstall import REMINDERS_DUE, parked_nudges, removes_the_bot


@pytest.fixture
def operator(oauth_story: Story, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Bot]:
    url = oauth_story.handoff.runtime.db.engine.url.render_as_string(hide_password=False)
    with python_m_bot(monkeypatch, database_url=url, cwd=tmp_path) as run:
        yield run


@both_databases
def test_parked_reminders_go_out_once_after_a_reinstall_and_a_retry(
    oauth_story: Story, operator: Bot, capsys: pytest.CaptureFixture[str]
) -> None:
    alpha, beta = installed_side_by_side(oauth_story)
    sweep_without_sending(beta, REMINDERS_DUE)  # the reminders wait in the outbox
    removes_the_bot(alpha)
    assert parked_nudges(alpha) == 2

    assert operator("outbox") == 0
    listed = capsys.readouterr().out
    assert f"{alpha.slack.team_id} (" in listed and ", app uninstalled " in listed
    assert "parked nudge about T-1 to " + AMY in listed

    again = install(oauth_story, alpha.slack, INSTALLER)
    assert operator("outbox", "retry", "--team", alpha.slack.team_id) == 0
    assert "queued again" in capsys.readouterr().out
    again.later(seconds=1)  # the sender's next round
    assert nudges_to(again, AMY) == ["T-1 ack_reminder", "T-2 ack_reminder"]
    assert parked_nudges(again) == 0

    assert operator("outbox", "retry") == 0  # again: nothing is sent twice
    again.later(minutes=5)
    assert nudges_to(again, AMY) == ["T-1 ack_reminder", "T-2 ack_reminder"]
