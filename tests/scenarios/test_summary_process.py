"""`python -m bot summary` as real processes: two at once post a channel's day once.

The subscription is seeded days behind, as after an outage of the clock, and every day at
00:00 UTC is a post time, so the processes' wall clock always finds it due.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, time, timedelta

from storage import summaries
from storage.summaries import Schedule
from tests.fakes.fake_slack import FakeSlack
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

    processes = [start_summary(deployment) for _ in range(2)]
    outputs = [process.communicate(timeout=90) for process in processes]

    assert [process.returncode for process in processes] == [0, 0], outputs
    printed = [line for out, _err in outputs for line in out.splitlines() if line.startswith("sent summary:")]
    today = datetime.now(UTC).date().isoformat()
    assert printed == [f"sent summary:{CHANNEL}:{today} to {CHANNEL} (team {TEAM})"], outputs
    assert all("Traceback" not in err for _out, err in outputs)
    [post] = slack.messages(CHANNEL)
    assert "T-1" in post.plain_text() and "Weekly metrics" in post.plain_text()
    assert any(out.strip().splitlines()[-1].startswith("summary: ") for out, _err in outputs)

    again = deployment.run("summary")
    assert again.returncode == 0, again.stderr
    assert "sent summary:" not in again.stdout
    assert len(slack.messages(CHANNEL)) == 1
