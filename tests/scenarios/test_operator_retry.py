"""An operator sends again a message Slack refused for good: it reaches its person once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.operator.cli import Bot, python_m_bot
from tests.scenarios.conftest import ALICE, Story, both_databases

TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday"


@pytest.fixture
def operator(story: Story, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Bot]:
    """``python -m bot …`` on the running bot's database, as an operator beside it would run it."""
    url = story.handoff.runtime.db.engine.url.render_as_string(hide_password=False)
    with python_m_bot(monkeypatch, database_url=url, cwd=tmp_path) as run:
        yield run


def cards_posted(story: Story) -> int:
    im = story.slack.im_channel(ALICE)
    return len([c for c in story.slack.calls_to("chat.postMessage") if c.ok and c.args.get("channel") == im])


@both_databases
def test_a_refused_card_is_listed_queued_again_and_delivered_once(
    story: Story, operator: Bot, capsys: pytest.CaptureFixture[str]
) -> None:
    story.slack.fail_next("chat.postMessage", error="user_not_found")  # for good: not retried
    story.delegate(TASK)
    story.later(minutes=30)
    assert cards_posted(story) == 0

    assert operator("outbox") == 0
    listed = capsys.readouterr().out
    assert f"{story.slack.team_id}: 1 failed" in listed
    assert f"failed card about T-1 to {ALICE}" in listed
    assert ": user_not_found (from chat.postMessage)" in listed  # Slack's answer, not a traceback's text

    assert operator("outbox", "retry", "--team", story.slack.team_id) == 0
    assert "1 queued again (1 failed)" in capsys.readouterr().out
    story.later(seconds=1)  # the sender's next round
    assert cards_posted(story) == 1
    assert "T-1" in story.offer(ALICE).plain_text()

    assert operator("outbox", "retry") == 0  # run again: nothing left to send twice
    assert "No failed or parked messages to queue again." in capsys.readouterr().out
    story.later(minutes=30)
    assert cards_posted(story) == 1
    assert operator("outbox") == 0
    assert "No failed or parked messages" in capsys.readouterr().out
