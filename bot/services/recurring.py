"""Recurring handoffs: the clock offers each series' next occurrence ahead of its due date.

A series is made by ``/delegate … | every: week`` together with its first occurrence. The
sweep calls :func:`offer_due_occurrences`: each running series whose offer time has come
gets its next occurrence (a task of its own, offered like any other), whether or not the
previous one is finished, and moves on to the one after. Creating the occurrence and
moving the series on are one transaction, guarded twice: a compare-and-set on the series
row and the unique (series, due date) of tasks, so two clocks make it once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

from sqlmodel import Session

from bot.core import tasks as core
from bot.core.errors import BadInput, NotAllowed, NotFound, Problem
from bot.core.recurrence import Recurrence, from_stored
from bot.core.tasks import Task
from bot.core.working_time import WorkingTime
from bot.outbox.intents import SeriesNews, queue_for_change, queue_series_notice
from bot.services import people
from bot.services.calendars import calendars_for
from bot.services.runtime import Runtime
from storage import repositories as repo
from storage import series as store
from storage.models import SeriesRow

logger = logging.getLogger(__name__)

# Series handled per transaction: the workspace counters they lock are held to its commit.
BATCH = 50
STOPPED = "stopped"
ASSIGNEE_LEFT = "assignee_left"


# --- starting a series (with /delegate) ------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """A series about to start: how it repeats, and when its second occurrence is due and offered."""

    every: Recurrence  # in the owner's timezone; a monthly one anchored on the first due date
    next_due_at: datetime
    next_offer_at: datetime


def plan_series(
    rt: Runtime, session: Session, *, team_id: str, owner_id: str, every: Recurrence, first_due: datetime
) -> Plan:
    """When the occurrence after the first is due, and when the clock offers it (owner's calendar)."""
    calendar = calendars_for(rt, session, team_id=team_id, user_ids=[owner_id])[owner_id]
    rooted = every.in_zone(calendar.timezone).anchored(first_due)
    following = rooted.next_due(first_due)
    return Plan(rooted, following, offer_time(calendar, following, rt.settings.recur_lead))


def start_series(
    session: Session,
    *,
    plan: Plan,
    team_id: str,
    owner_id: str,
    assignee_id: str,
    title: str,
    done_when: str | None,
    request_key: str,
    now: datetime,
) -> SeriesRow | None:
    """Write the series row; None when this request wrote it already (a retry)."""
    row = SeriesRow(
        team_id=team_id,
        owner_id=owner_id,
        assignee_id=assignee_id,
        title=title,
        done_when=done_when,
        every=plan.every.stored,
        next_due_at=plan.next_due_at,
        next_offer_at=plan.next_offer_at,
        request_key=request_key,
        created_at=now,
    )
    return store.add_series(session, series=row)


def in_series(task: Task, series: SeriesRow) -> Task:
    """The task as an occurrence of ``series``."""
    return replace(task, series_id=series.id, repeats=series.every)


def offer_time(calendar: WorkingTime, due: datetime, lead: timedelta) -> datetime:
    """``lead`` before ``due``, whole days counted as working days of ``calendar`` ("1d": one working day)."""
    days = lead // timedelta(days=1)
    rest = lead - timedelta(days=days)
    return (calendar.working_days_before(due, days) if days else due) - rest


# --- the clock ------------------------------------------------------------------------


def offer_due_occurrences(rt: Runtime) -> int:
    """Create the occurrences whose offer time has come; returns how many were created.

    Series whose assignee has left the workspace are stopped instead, and their owner told.
    People are looked up (cache, else Slack) before each transaction, never inside it.
    """
    now, created, queued = rt.now(), 0, False
    while True:
        with rt.db.session_scope(write=False) as session:
            due = store.series_to_offer(session, now=now, limit=BATCH)
        if not due:
            break
        left = _who_left(rt, due)
        ids = [row.id for row in due if row.id is not None]
        made, handled = rt.db.write(partial(_offer_batch, rt, ids=ids, left=left, now=now))
        created, queued = created + made, queued or handled > 0
        if handled == 0:  # another clock holds these rows: it is doing them
            break
    if queued:
        rt.messages_queued()
    return created


def _offer_batch(
    rt: Runtime, session: Session, *, ids: Sequence[int], left: set[tuple[str, str]], now: datetime
) -> tuple[int, int]:
    """(occurrences created, series handled) for the listed series that are still due and not locked."""
    rows = store.series_to_offer(session, now=now, limit=len(ids), ids=ids, lock=True)
    calendars = _owners_calendars(rt, session, rows)
    made: list[Task] = []
    for row in rows:
        if (row.team_id, row.assignee_id) in left:
            _stop(session, row, at=now, reason=ASSIGNEE_LEFT)
            continue
        calendar = calendars[row.team_id, row.owner_id]
        occurrence = _next_occurrence(
            session, row, calendar=calendar, lead=rt.settings.recur_lead, now=now,
            home_every=rt.settings.home_refresh_every,
        )  # fmt: skip
        if occurrence is not None:
            made.append(occurrence)
    # The workspace counters are locked from here to commit: numbers are taken last, one
    # task at a time (numbered together, tasks would be linked as one /delegate's), and
    # workspace by workspace in one order, so two clocks never wait on each other in a circle.
    for task in sorted(made, key=lambda task: task.team_id):
        repo.number_tasks(session, team_id=task.team_id, tasks=[task])
    return len(made), len(rows)


def _owners_calendars(
    rt: Runtime, session: Session, rows: Sequence[SeriesRow]
) -> dict[tuple[str, str], WorkingTime]:
    """Each series owner's calendar, read workspace by workspace."""
    calendars: dict[tuple[str, str], WorkingTime] = {}
    for team_id in dict.fromkeys(row.team_id for row in rows):
        owners = [row.owner_id for row in rows if row.team_id == team_id]
        for owner_id, calendar in calendars_for(rt, session, team_id=team_id, user_ids=owners).items():
            calendars[team_id, owner_id] = calendar
    return calendars


def _next_occurrence(
    session: Session,
    row: SeriesRow,
    *,
    calendar: WorkingTime,
    lead: timedelta,
    now: datetime,
    home_every: timedelta,
) -> Task | None:
    """Create the occurrence due at ``row.next_due_at`` and move the series on; None if not (yet)."""
    every = from_stored(row.every, timezone=calendar.timezone)
    due = row.next_due_at
    # A clock that was down past due dates skips those occurrences rather than piling up late tasks.
    while due <= now:
        due = every.next_due(due)
    if offer_time(calendar, due, lead) > now:
        store.advance(session, series=row, next_due_at=due, next_offer_at=offer_time(calendar, due, lead))
        return None
    following = every.next_due(due)
    if not store.advance(
        session, series=row, next_due_at=following, next_offer_at=offer_time(calendar, following, lead)
    ):
        return None  # moved on or stopped meanwhile: nothing to do
    transition = core.new_task(
        team_id=row.team_id,
        number=0,  # numbered with the batch, last
        owner_id=row.owner_id,
        assignee_id=row.assignee_id,
        title=row.title,
        done_when=row.done_when,
        due_at=due,
        now=now,
    )
    task = repo.add_task(
        session, task=in_series(transition.after, row), request_key=None, now=now, numbered=False
    )
    if task is None:  # this due date's occurrence exists: the unique (series, due date) kept it single
        return None
    assert transition.event is not None
    repo.add_event(session, task=task, event=transition.event)
    queue_for_change(session, before=task, after=task, event=transition.event, now=now, home_every=home_every)
    logger.info("series %s offered its occurrence due %s", row.id, due.isoformat())
    return task


def _who_left(rt: Runtime, rows: Sequence[SeriesRow]) -> set[tuple[str, str]]:
    """(team, assignee) of the series whose assignee is no longer in the workspace."""
    left: set[tuple[str, str]] = set()
    for team_id, user_id in dict.fromkeys((row.team_id, row.assignee_id) for row in rows):
        try:
            gone = people.profile(rt, team_id=team_id, user_id=user_id).deleted
        except BadInput:  # Slack knows no such user any more
            gone = True
        except Exception:  # Slack unreachable: keep the series going, look again next time
            logger.warning("could not look up %s for their series", user_id, exc_info=True)
            gone = False
        if gone:
            left.add((team_id, user_id))
    return left


# --- stopping -------------------------------------------------------------------------


@dataclass(frozen=True)
class Stopped:
    """What ``/tasks T-n stop`` did: the series of ``task`` ends; ``latest`` stays as it is.

    ``assignee_id`` is whom the series was handed to, and who was told.
    """

    task: Task
    latest: Task
    every: Recurrence
    assignee_id: str


def stop_series(
    rt: Runtime, *, team_id: str, actor: str, number: int, request_key: str | None = None
) -> Stopped:
    """The owner ends the series ``T-number`` belongs to; the occurrences made so far stay.

    The assignee is told. A retry of the request ``request_key`` answers the same again and
    does nothing more. Raises for a task that doesn't repeat, someone else's series and a
    series already stopped.
    """
    now = rt.now()

    def work(session: Session) -> Stopped:
        task = repo.get_task(session, team_id=team_id, number=number)
        if task is None or actor not in (task.owner_id, task.assignee_id):
            raise NotFound(problem=Problem.NO_SUCH_TASK, details={"number": number})
        row = store.get_series(session, team_id=team_id, series_id=task.series_id) if task.series_id else None
        if row is None:
            raise BadInput(
                f"{task.ref} doesn't repeat, so there is no series to stop.",
                hint=f"To end {task.ref} itself, use `/tasks {task.ref} cancel`.",
            )
        if actor != row.owner_id:
            raise NotAllowed(
                f"Only <@{row.owner_id}>, who set up the series of {task.ref}, can stop it.",
                hint=f"You can see it with `/tasks {task.ref}`.",
            )
        assert row.id is not None
        answer = partial(
            Stopped, task, every=from_stored(row.every, timezone="UTC"), assignee_id=row.assignee_id
        )
        retry = request_key is not None and row.stop_request_key == request_key
        if not retry:
            if row.stopped_at is None and store.stop(
                session, team_id=team_id, series_id=row.id, at=now, reason=STOPPED, request_key=request_key
            ):
                return answer(latest=_notify(session, row, news=SeriesNews.STOPPED, now=now) or task)
            # Read again: the same request may have stopped it while this one waited on the row.
            if (
                request_key is None
                or store.stopped_by(session, team_id=team_id, series_id=row.id) != request_key
            ):
                raise NotAllowed(
                    f"The series of {task.ref} is stopped already: no new occurrences will come.",
                    hint="Start a new one with `/delegate … | due: … | every: week`.",
                )
        # A retry of this very stop: the same answer, nothing written or sent again.
        return answer(latest=store.latest_occurrence(session, team_id=team_id, series_id=row.id) or task)

    stopped = rt.db.write(work)
    rt.messages_queued()
    return stopped


def stop_series_of_leaver(rt: Runtime, *, team_id: str, user_id: str) -> int:
    """Someone left the workspace: the series handed to them stop, and their owners hear. Returns how many."""
    now = rt.now()

    def work(session: Session) -> int:
        rows = store.running_series_of(session, team_id=team_id, assignee_id=user_id)
        return sum(_stop(session, row, at=now, reason=ASSIGNEE_LEFT) for row in rows)

    count = rt.db.write(work)
    if count:
        rt.messages_queued()
    return count


def _stop(session: Session, row: SeriesRow, *, at: datetime, reason: str) -> bool:
    assert row.id is not None
    if not store.stop(session, team_id=row.team_id, series_id=row.id, at=at, reason=reason):
        return False
    news = SeriesNews.ASSIGNEE_LEFT if reason == ASSIGNEE_LEFT else SeriesNews.STOPPED
    _notify(session, row, news=news, now=at)
    logger.info("series %s stopped: %s", row.id, reason)
    return True


def _notify(session: Session, row: SeriesRow, *, news: SeriesNews, now: datetime) -> Task | None:
    """Tell the other side (the assignee of a stop, the owner of a departure), about the latest occurrence."""
    assert row.id is not None
    latest = store.latest_occurrence(session, team_id=row.team_id, series_id=row.id)
    if latest is not None:
        recipient = row.owner_id if news is SeriesNews.ASSIGNEE_LEFT else row.assignee_id
        queue_series_notice(
            session, task=latest, series_id=row.id, news=news, recipient_id=recipient,
            assignee_id=row.assignee_id, every=row.every, now=now,
        )  # fmt: skip
    return latest
