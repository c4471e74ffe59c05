"""The sweep: decide the nudges of every task whose check is due, and queue them exactly once.

One run reads only the tasks whose ``next_check_at`` has passed (the partial index
``ix_tasks_next_check``), oldest first, in batches. Each batch is one transaction: claim
the tasks (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so two sweeps split the work), read
their histories in a few set queries, let the pure policy decide, record each nudge under
its unique key and queue its message in the outbox, and write when each task is looked at
next. A sweep killed mid-batch leaves nothing behind (the batch is rolled back and still
due); one killed after a commit has queued what it decided, and any process's outbox
sender sends it. Profiles Slack must be asked for are fetched before the transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlmodel import Session

from bot.core.nudges import Decision, History, Nudge, NudgeSettings, decide
from bot.core.tasks import Task
from bot.core.working_time import WorkingTime
from bot.outbox.intents import NudgeToQueue, queue_nudges
from bot.services import people, recurring
from bot.services.calendars import calendars_for, nudge_settings_for
from bot.services.runtime import Runtime
from bot.services.sweep_history import histories
from storage import nudge_store as store
from storage import repositories as repo

logger = logging.getLogger(__name__)

BATCH = 500
# A task whose decision failed (a bug) is looked at again after this, not on every run.
RETRY_FAILED = timedelta(hours=1)
# The policy never asks to look again at once; were it to, the run would not take the task twice.
SOONEST_CHECK = timedelta(seconds=1)


class Policy(Protocol):
    """``bot.core.nudges.decide``'s signature; tests may pass another."""

    def __call__(
        self,
        task: Task,
        history: History,
        *,
        now: datetime,
        settings: NudgeSettings,
        calendars: Mapping[str, WorkingTime],
    ) -> Decision: ...


@dataclass(frozen=True)
class SweepReport:
    tasks_checked: int = 0
    nudges_queued: int = 0
    occurrences_offered: int = 0


@dataclass(frozen=True)
class _BatchResult:
    claimed: int
    queued: int


def run_sweep(rt: Runtime, *, batch: int = BATCH, policy: Policy = decide) -> SweepReport:
    """One pass over the tasks due for a check; then offers recurring occurrences that are due.

    Queues what it decides and wakes the outbox sender; the caller (the web process's own
    timer or ``python -m bot sweep``) sends.
    """
    now = rt.now()
    checked = queued = 0
    while True:
        _fetch_missing_profiles(rt, now=now, limit=batch)
        with rt.db.session_scope() as session:
            result = _sweep_batch(rt, session, now=now, limit=batch, policy=policy)
        if result.queued:
            rt.messages_queued()
        checked += result.claimed
        queued += result.queued
        if result.claimed < batch:
            break
    offered = recurring.offer_due_occurrences(rt)
    if checked or queued or offered:
        logger.info(
            "sweep checked %s task(s), queued %s nudge(s), offered %s occurrence(s)",
            checked,
            queued,
            offered,
            extra={"tasks_checked": checked, "nudges_queued": queued, "occurrences_offered": offered},
        )
    return SweepReport(tasks_checked=checked, nudges_queued=queued, occurrences_offered=offered)


def _fetch_missing_profiles(rt: Runtime, *, now: datetime, limit: int) -> None:
    """The calendars need everyone's timezone: ask Slack now for those the cache has never seen.

    Read without a lock, before the batch's transaction (never a Slack call inside it).
    A cached profile of any age will do (a person's own requests keep it fresh), so a
    sweep does not ask Slack about everyone once a day. A person Slack can't tell us about
    is nudged on the workspace's default timezone.
    """
    with rt.db.session_scope(write=False) as session:
        due = store.people_of_due_tasks(session, now=now, limit=limit)
        cached = {
            team: repo.get_profiles(session, team_id=team, user_ids=list(ids)) for team, ids in due.items()
        }
    missing = {team: sorted(ids - set(cached[team])) for team, ids in due.items()}
    for team_id, user_ids in missing.items():
        for user_id in user_ids:  # one by one: one person Slack can't answer for must not hold up the others
            try:
                people.profiles(rt, team_id=team_id, user_ids=[user_id])
            except Exception as error:
                logger.warning("no profile for %s (%s); default timezone used", user_id, error)


def _sweep_batch(rt: Runtime, session: Session, *, now: datetime, limit: int, policy: Policy) -> _BatchResult:
    tasks = store.claim_due_tasks(session, now=now, limit=limit)
    if not tasks:
        return _BatchResult(claimed=0, queued=0)
    past = histories(session, tasks=tasks, now=now)
    decided: list[tuple[Task, Decision | None]] = []
    for team_id, team_tasks in _by_team(tasks).items():
        settings = nudge_settings_for(rt, session, team_id=team_id)
        calendars = calendars_for(rt, session, team_id=team_id, user_ids=_people(team_tasks))
        for task in team_tasks:
            assert task.id is not None
            decided.append((task, _decide(policy, task, past[task.id], now, settings, calendars)))
    nudges = [_to_queue(task, nudge) for task, decision in decided if decision for nudge in decision.nudges]
    new = store.record_nudges(session, nudges=[n for n, _ in nudges], now=now)
    queued = queue_nudges(session, nudges=[q for key, q in nudges if key in new], now=now)
    store.set_next_checks(session, checks=[_next_check(task, decision, now) for task, decision in decided])
    return _BatchResult(claimed=len(tasks), queued=queued)


def _decide(
    policy: Policy,
    task: Task,
    history: History,
    now: datetime,
    settings: NudgeSettings,
    calendars: Mapping[str, WorkingTime],
) -> Decision | None:
    """The policy's decision; None when it failed on this task (logged; the others go on)."""
    try:
        return policy(task, history, now=now, settings=settings, calendars=calendars)
    except Exception:
        logger.exception("nudges for %s could not be decided; trying again in %s", task.ref, RETRY_FAILED)
        return None


def _to_queue(task: Task, nudge: Nudge) -> tuple[store.NudgeKey, NudgeToQueue]:
    assert task.id is not None
    key = store.NudgeKey(task.team_id, task.id, nudge.kind, nudge.recipient_id, nudge.period)
    queued = NudgeToQueue(
        team_id=task.team_id,
        task_id=task.id,
        kind=nudge.kind.value,
        recipient_id=nudge.recipient_id,
        period=nudge.period,
        late_by=nudge.late_by,
    )
    return key, queued


def _next_check(task: Task, decision: Decision | None, now: datetime) -> store.NextCheck:
    if decision is None:
        return store.NextCheck(task, now + RETRY_FAILED)
    at = decision.next_check_at
    return store.NextCheck(task, None if at is None else max(at, now + SOONEST_CHECK))


def _by_team(tasks: Sequence[Task]) -> dict[str, list[Task]]:
    teams: dict[str, list[Task]] = {}
    for task in tasks:
        teams.setdefault(task.team_id, []).append(task)
    return teams


def _people(tasks: Iterable[Task]) -> list[str]:
    return sorted({person for task in tasks for person in (task.owner_id, task.assignee_id)})
