"""The Procfile as a platform runs it: `release:` migrates a fresh database, `web:` serves
/healthz and a signed slash command, `clock:` chases and stops cleanly on SIGTERM.

On SQLite and on a fresh, unmigrated PostgreSQL schema (the web process refuses a
PostgreSQL database behind its migrations, so there the release line is what lets it start).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.playground.slack.fake_slack import FakeSlack, Message
from bot.playground.slack.slack_requests import SlackRequests
from tests.postgres_schema import fresh_schema
from tests.scenarios.conftest import ALICE, OWNER, SIGNING_SECRET
from tests.scenarios.processes import HEALTHY_WITHIN, free_port, stop_group, wait_until_healthy
from tests.scenarios.procfile import release, start_line
from tests.scenarios.test_clock_process import Deployment, deployed, nudges_in_slack, wait_until


@pytest.fixture(params=["sqlite", "postgresql"])
def unmigrated(request: pytest.FixtureRequest, slack: FakeSlack, tmp_path: Path) -> Iterator[Deployment]:
    """A database nothing has touched yet, and the environment every Procfile line gets."""
    if request.param == "sqlite":
        yield deployed(slack, f"sqlite:///{tmp_path / 'handoff.db'}", tmp_path)
        return
    request.getfixturevalue("postgres_schema_url")  # skips, or fails under REQUIRE_POSTGRES=1
    with fresh_schema(prefix="handoff_procfile", migrated=False) as database_url:
        yield deployed(slack, database_url, tmp_path)


def offers(slack: FakeSlack, user_id: str, ref: str) -> list[Message]:
    """The task cards (they open with a header) offering ``ref`` to ``user_id``."""
    cards = [m for m in slack.messages_to(user_id) if m.blocks and m.blocks[0].get("type") == "header"]
    return [m for m in cards if ref in m.plain_text()]


def test_the_web_line_serves_health_and_a_signed_slash_command(
    slack: FakeSlack, unmigrated: Deployment, tmp_path: Path
) -> None:
    release(unmigrated.env)
    port = free_port()
    log = tmp_path / "web.log"
    web = start_line("web", {**unmigrated.env, "PORT": str(port), "WEB_CONCURRENCY": "1"}, log)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base + "/healthz", web, timeout=HEALTHY_WITHIN)
        # The started process is gunicorn's master itself (not a shell), so SIGTERM reaches it.
        assert Path(f"/proc/{web.pid}/cmdline").read_text().startswith("gunicorn: master [bot.wsgi:app]")
        url = base + "/slack/events"
        requests = SlackRequests(url, signing_secret=SIGNING_SECRET, fake=slack, timeout=30)

        reply = requests.command(
            "/delegate", user=OWNER, text=f"<@{ALICE}> Ship it | done when: PDF sent | due: friday"
        )

        assert reply.status == 200
        slack.wait_for(
            lambda: [m for m in slack.ephemerals_to(OWNER) if "Handed off T-1" in m.plain_text()], timeout=30
        )
        [offer] = slack.wait_for(lambda: offers(slack, ALICE, "T-1"), timeout=30)
        assert "Accept" in offer.plain_text()
        assert stop_group(web) == 0, log.read_text()
    finally:
        stop_group(web)
    assert "Traceback" not in log.read_text()


def test_the_clock_line_chases_and_stops_cleanly_on_sigterm(
    slack: FakeSlack, unmigrated: Deployment, tmp_path: Path
) -> None:
    release(unmigrated.env)
    log = tmp_path / "clock.log"
    clock = start_line("clock", {**unmigrated.env, "SWEEP_EVERY": "1s", "OUTBOX_POLL_EVERY": "1s"}, log)
    try:
        wait_until(lambda: "clock started" in log.read_text(), timeout=HEALTHY_WITHIN, what="the clock")
        unmigrated.add_overdue_task(title="Weekly metrics")
        wait_until(lambda: nudges_in_slack(slack, ALICE, "T-1"), timeout=30, what="the clock's nudge")

        assert stop_group(clock) == 0, log.read_text()  # SIGTERM: the sweep in hand ends, then the clock
    finally:
        stop_group(clock)
    output = log.read_text()
    assert "clock stopped" in output and "Traceback" not in output
    assert not [m for m in unmigrated.outbox() if m.status == "sending"], "a stopped clock holds no claim"
