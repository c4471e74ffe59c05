"""Scale-out on PostgreSQL: two web processes and two clocks, started from the Procfile's
lines, on one database serving one workspace.

Delegations reach both webs at once, some retried by Slack to the other web; every task
number is handed out once, with no gap, and every offer reaches its assignee once. Then,
with both clocks sweeping every second, the handoffs are made overdue in the database
(their due dates two days past, looked at now) and a channel's daily summary is days
behind: each overdue nudge and the day's summary reach Slack once, whichever clock or
process sends them.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from bot.playground.slack.fake_slack import FakeSlack, Message
from bot.playground.slack.slack_requests import Reply, SlackRequests
from storage.models import OutboxStatus, TaskNudgeRow, TaskRow
from tests.postgres_schema import fresh_schema
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, SIGNING_SECRET
from tests.scenarios.processes import HEALTHY_WITHIN, free_port, stop_group, wait_until_healthy
from tests.scenarios.procfile import release, start_line
from tests.scenarios.test_clock_process import TEAM, Deployment, deployed, wait_until
from tests.scenarios.test_summary_process import CHANNEL, subscribe_days_behind

TASKS = 40
RETRIED = range(0, TASKS, 4)  # these requests Slack sends again, to the other web
ASSIGNEES = (ALICE, MALLORY)
DELIVERED_WITHIN = 180.0


@dataclass(frozen=True)
class Handoff:
    id: int
    number: int
    assignee_id: str
    title: str


@pytest.fixture
def deployment(slack: FakeSlack, tmp_path: Path, postgres_schema_url: str) -> Iterator[Deployment]:
    """A fresh schema of its own, migrated by the Procfile's release line."""
    with fresh_schema(prefix="handoff_scale", migrated=False) as database_url:
        target = deployed(slack, database_url, tmp_path)
        release(target.env)
        yield target


def outbox_key(message: Message) -> str:
    """The outbox key a message carries in its metadata: what the bot meant it to be."""
    return str(((message.metadata or {}).get("event_payload") or {}).get("key", ""))


def handoffs(target: Deployment) -> list[Handoff]:
    db = target.db()
    try:
        with db.session_scope(write=False) as session:
            rows = session.exec(select(TaskRow).where(col(TaskRow.team_id) == TEAM)).all()
            return sorted(
                (Handoff(int(r.id or 0), int(r.number or 0), r.assignee_id, r.title) for r in rows),
                key=lambda h: h.number,
            )
    finally:
        db.engine.dispose()


def make_overdue(target: Deployment) -> None:
    """Every handoff's due date two days past, and each due for a look now: as two days on."""
    now = datetime.now(UTC)
    db = target.db()
    try:
        with db.session_scope() as session:
            session.execute(
                update(TaskRow)
                .where(col(TaskRow.team_id) == TEAM)
                .values(due_at=now - timedelta(days=2), next_check_at=now)
            )
    finally:
        db.engine.dispose()


def offers_to(slack: FakeSlack, handoff: Handoff) -> list[Message]:
    mine = f"task:{handoff.id}:"
    return [m for m in slack.messages_to(handoff.assignee_id) if outbox_key(m).startswith(mine)]


def overdue_nudges(slack: FakeSlack, handoff: Handoff, user_id: str) -> list[Message]:
    mine = f"nudge:{handoff.id}:overdue:{user_id}:"
    return [m for m in slack.messages_to(user_id) if outbox_key(m).startswith(mine)]


def summaries(slack: FakeSlack) -> list[Message]:
    return [m for m in slack.messages(CHANNEL) if outbox_key(m).startswith("summary:")]


def start_webs(
    slack: FakeSlack, target: Deployment, tmp_path: Path, stack: ExitStack
) -> tuple[list[subprocess.Popen[bytes]], list[SlackRequests]]:
    """Two web processes from the Procfile's web line, two gunicorn workers each."""
    ports = [free_port(), free_port()]
    processes = []
    for n, port in enumerate(ports):
        env = {**target.env, "PORT": str(port), "WEB_CONCURRENCY": "2", "OUTBOX_POLL_EVERY": "1s"}
        process = start_line("web", env, tmp_path / f"web{n}.log")
        stack.callback(stop_group, process)
        processes.append(process)
    webs = []
    for port, process in zip(ports, processes, strict=True):
        wait_until_healthy(f"http://127.0.0.1:{port}/healthz", process, timeout=HEALTHY_WITHIN)
        url = f"http://127.0.0.1:{port}/slack/events"
        webs.append(SlackRequests(url, signing_secret=SIGNING_SECRET, fake=slack, timeout=30))
    return processes, webs


def start_clocks(target: Deployment, tmp_path: Path, stack: ExitStack) -> list[subprocess.Popen[bytes]]:
    """Two clock processes from the Procfile's clock line, each sweeping every second."""
    env = {**target.env, "SWEEP_EVERY": "1s", "OUTBOX_POLL_EVERY": "1s"}
    clocks = []
    for n in range(2):
        process = start_line("clock", env, tmp_path / f"clock{n}.log")
        stack.callback(stop_group, process)
        clocks.append(process)
    for n in range(2):
        log = tmp_path / f"clock{n}.log"
        wait_until(lambda: "clock started" in log.read_text(), timeout=HEALTHY_WITHIN, what=log.name)  # noqa: B023
    return clocks


@dataclass(frozen=True)
class Command:
    """One /delegate as Slack sends it: to which web, and whether it is Slack's retry."""

    web: int
    text: str
    trigger_id: str
    retry_num: int | None = None


def delegations(slack: FakeSlack) -> list[Command]:
    """Every delegation, alternately to each web; a retry of some right after, to the other web."""
    commands = []
    for n in range(TASKS):
        text = f"<@{ASSIGNEES[n % 2]}> Scale task {n} | done when: the sheet is linked | due: friday"
        first = Command(n % 2, text, slack.new_trigger_id())
        commands.append(first)
        if n in RETRIED:  # sent while the first may still be in hand
            commands.append(Command(1 - first.web, text, first.trigger_id, retry_num=1))
    return commands


def late_retries(commands: list[Command]) -> list[Command]:
    """Slack's second retry of the retried ones, after all is done, to the web that had the first."""
    return [Command(1 - c.web, c.text, c.trigger_id, retry_num=2) for c in commands if c.retry_num == 1]


def send_all(webs: list[SlackRequests], commands: list[Command]) -> list[Reply]:
    """All at once, as many people typing in the same moment."""

    def send(c: Command) -> Reply:
        return webs[c.web].command(
            "/delegate", user=OWNER, text=c.text, trigger_id=c.trigger_id, retry_num=c.retry_num
        )

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(send, commands))


def handled(log: Path) -> int:
    """The /delegate commands a web process answered, by its own log."""
    return sum("kind=/delegate status=200" in line for line in log.read_text().splitlines())


def test_two_webs_and_two_clocks_on_postgresql_number_and_send_everything_once(
    slack: FakeSlack, deployment: Deployment, tmp_path: Path
) -> None:
    slack.add_channel(CHANNEL, members=[OWNER, *ASSIGNEES])
    with ExitStack() as stack:  # every process is stopped, and its group killed, whatever happens
        web_processes, webs = start_webs(slack, deployment, tmp_path, stack)
        commands = delegations(slack)

        replies = send_all(webs, commands)

        assert [reply.status for reply in replies] == [200] * len(commands)
        wait_until(
            lambda: every_offer_delivered(slack, deployment), timeout=DELIVERED_WITHIN, what="every offer"
        )
        wait_until(lambda: receipts(slack) == set(range(1, TASKS + 1)), timeout=30, what="every receipt")
        retried = late_retries(commands)
        assert [reply.status for reply in send_all(webs, retried)] == [200] * len(retried)
        sent = [*commands, *retried]
        shares = [sum(c.web == n for c in sent) for n in range(2)]  # both webs took their share
        wait_until(
            lambda: [handled(tmp_path / f"web{n}.log") for n in range(2)] == shares,
            timeout=10, what=f"the webs' logs to show {shares} commands answered",
        )  # fmt: skip
        made = handoffs(deployment)
        assert [h.number for h in made] == list(range(1, TASKS + 1))  # unique and gapless
        assert sorted(h.title for h in made) == sorted(f"Scale task {n}" for n in range(TASKS))

        subscribe_days_behind(deployment)
        clocks = start_clocks(deployment, tmp_path, stack)
        make_overdue(deployment)

        wait_until(
            lambda: summaries(slack) and every_overdue_nudge_delivered(slack, made),
            timeout=DELIVERED_WITHIN, what="every overdue nudge and the summary",
        )  # fmt: skip
        wait_until(lambda: outbox_settled(deployment), timeout=DELIVERED_WITHIN, what="the outbox to settle")

        for process in [*clocks, *web_processes]:
            assert stop_group(process) == 0, logs_in(tmp_path)

    assert handoffs(deployment) == made  # the late retries made nothing either
    for handoff in made:
        [offer] = offers_to(slack, handoff)
        assert "Accept" in offer.plain_text() and re.search(rf"\bT-{handoff.number}\b", offer.plain_text())
        for who in (handoff.assignee_id, OWNER):
            assert len(overdue_nudges(slack, handoff, who)) == 1, (handoff, who)
    nudged = [m for user in (OWNER, *ASSIGNEES) for m in slack.messages_to(user) if is_nudge(m)]
    assert len(nudged) == 2 * TASKS == decided_nudges(deployment)  # no other nudge, none twice
    # One post for the day the clocks found due (a run across midnight UTC would rightly add one).
    assert len(summaries(slack)) == 1, [m.plain_text() for m in summaries(slack)]
    assert not any("Traceback" in text for text in logs_in(tmp_path).values()), logs_in(tmp_path)
    assert slack.contract_violations == []


def receipts(slack: FakeSlack) -> set[int]:
    """The task numbers the owner was told were handed off (in an ack, or through its response_url)."""
    told = [m.plain_text() for m in slack.ephemerals_to(OWNER) if "Handed off" in m.plain_text()]
    return {int(number) for text in told for number in re.findall(r"\bT-(\d+)\b", text)}


def every_offer_delivered(slack: FakeSlack, target: Deployment) -> bool:
    made = handoffs(target)
    return len(made) >= TASKS and all(offers_to(slack, h) for h in made)


def every_overdue_nudge_delivered(slack: FakeSlack, made: list[Handoff]) -> bool:
    return all(overdue_nudges(slack, h, who) for h in made for who in (h.assignee_id, OWNER))


def is_nudge(message: Message) -> bool:
    return outbox_key(message).startswith("nudge:")


def logs_in(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted(folder.glob("*.log"))}


def outbox_settled(target: Deployment) -> bool:
    """Nothing left to send or in hand; nothing failed."""
    statuses = {message.status for message in target.outbox()}
    assert OutboxStatus.FAILED.value not in statuses
    return statuses <= {OutboxStatus.SENT.value, OutboxStatus.SKIPPED.value}


def decided_nudges(target: Deployment) -> int:
    db = target.db()
    try:
        with db.session_scope(write=False) as session:
            return len(session.exec(select(TaskNudgeRow)).all())
    finally:
        db.engine.dispose()
