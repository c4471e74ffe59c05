"""`python -m bot summary` as real processes: two at once post a channel's day once.

The subscription is seeded days behind, as after an outage of the clock, and every day at
00:00 UTC is a post time, so the processes' wall clock always finds it due. The processes
read the wall clock: a run that crosses midnight UTC may rightly post the new day as well.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, time, timedelta

from bot.playground.slack.fake_slack import FakeSlack
from storage import summaries
from storage.summaries import Schedule
from tests.scenarios.conftest import ALICE, OWNER
from tests.scenarios.test_clock_process import TEAM, Deployment, deployment  # noqa: F401

CHANNEL = "CTEAM"


def subscribe_days_behind(target: Deployment) -> None:
    now = datetime.now(UTC)
    db = target.db()
    try:
        with db.session_scope() as session:
            summaries.subscribe(
                session, team_id=TEAM, channel_id=CHANNEL,
                schedule=Schedule(at=time(0, 0), timezone="UTC", days=frozenset(range(7))),
                subscribed_by=OWNER, next_post_at=now - timedelta(days=3), now=now - timedelta(days=4),
            )  # fmt: skip
    finally:
        db.engine.dispose()


def start_summary(target: Deployment) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "summary"],
        env=target.env, cwd=target.cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_two_summary_processes_at_once_post_the_day_once(
    slack: FakeSlack,
    deployment: Deployment,  # noqa: F811
) -> None:
    slack.add_channel(CHANNEL, members=[OWNER, ALICE])
    deployment.add_overdue_task(title="Weekly metrics")
    subscribe_days_behind(deployment)

    first_day = _utc_today()
    processes = [start_summary(deployment) for _ in range(2)]
    outputs = [process.communicate(timeout=90) for process in processes]
    last_day = _utc_today()

    assert [process.returncode for process in processes] == [0, 0], outputs
    printed = [line for out, _err in outputs for line in out.splitlines() if line.startswith("sent summary:")]
    assert printed and set(printed) <= _sent_lines(first_day, last_day), outputs
    assert len(set(printed)) == len(printed), outputs  # never a day twice
    assert len(printed) == 1 or first_day != last_day, outputs  # a second post only for a new day
    assert all("Traceback" not in err for _out, err in outputs)
    first = slack.messages(CHANNEL)[0].plain_text()
    assert "T-1" in first and "Weekly metrics" in first
    assert any(out.strip().splitlines()[-1].startswith("summary: ") for out, _err in outputs)

    again = deployment.run("summary")
    assert again.returncode == 0, again.stderr
    if _utc_today() == last_day:  # still the day the processes served: nothing new to post
        assert "sent summary:" not in again.stdout
    assert len(slack.messages(CHANNEL)) == len(printed) + again.stdout.count("sent summary:")


def _utc_today() -> str:
    return datetime.now(UTC).date().isoformat()


def _sent_lines(*days: str) -> set[str]:
    """What a post for any of ``days`` prints: the run may cross midnight UTC, a post time."""
    return {f"sent summary:{CHANNEL}:{day} to {CHANNEL} (team {TEAM})" for day in days}
