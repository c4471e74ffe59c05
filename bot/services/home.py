"""What a person's Home tab shows: their open tasks on both sides, most urgent first, the
tasks approved lately, and their scorecard.

Read in one session: by the Home listeners in a read-only unit of work of their own, and by
the outbox sender in its claim's transaction (a Home is rendered when it is sent, from the
tasks as they are then). The queries: the person's cached timezone, their open tasks on each
side and the approvals of the last day (each through the side's status index), and their
histories of the scorecard's window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from bot.config import Settings
from bot.core.lifecycle_table import Role
from bot.core.summary import end_of_local_day
from bot.core.summary_grammar import DEFAULT_WINDOW_DAYS
from bot.core.tasks import Task
from bot.core.urgency import Urgency, urgency_of
from bot.services.insights import Card, read_stats
from bot.services.runtime import Runtime
from storage import repositories as repo

# Open tasks read per side. Far beyond what anyone pages through; a side past it says so.
MOST_PER_SIDE = 2000
APPROVED_NEWS_FOR = timedelta(days=1)  # an approval stays on the Home tab this long
MOST_APPROVED = 10  # per side
SCORECARD_DAYS = DEFAULT_WINDOW_DAYS  # as /tasks stats without a window


@dataclass(frozen=True)
class HomeTask:
    """One line of the Home tab: a task, the reader's side of it, and how urgent it is (None: later)."""

    task: Task
    role: Role
    urgency: Urgency | None


@dataclass(frozen=True)
class Scorecard:
    """The reader's figures over the last ``days`` days; a side they did not play is None in ``card``."""

    days: int
    card: Card


@dataclass(frozen=True)
class Home:
    user_id: str
    tasks: list[HomeTask]  # every line, in the order shown (see ``order``)
    open_total: int  # open tasks on both sides (more than listed when a side was cut)
    cut: bool  # a side had more than MOST_PER_SIDE open tasks
    scorecard: Scorecard
    now: datetime


def home_for(rt: Runtime, *, team_id: str, user_id: str) -> Home:
    """The Home tab of ``user_id`` now, in a read-only unit of work."""
    with rt.db.session_scope(write=False) as session:
        return read_home(session, team_id=team_id, user_id=user_id, now=rt.now(), settings=rt.settings)


def read_home(session: Session, *, team_id: str, user_id: str, now: datetime, settings: Settings) -> Home:
    """The Home tab of ``user_id`` at ``now``, read in the caller's session."""
    owned, owned_total = repo.open_tasks_for(
        session, team_id=team_id, user_id=user_id, side="owner", limit=MOST_PER_SIDE
    )
    assigned, assigned_total = repo.open_tasks_for(
        session, team_id=team_id, user_id=user_id, side="assignee", limit=MOST_PER_SIDE
    )
    done_since = now - APPROVED_NEWS_FOR
    approved = [
        *repo.approved_since(session, team_id=team_id, user_id=user_id, side="owner", since=done_since,
                             limit=MOST_APPROVED),
        *repo.approved_since(session, team_id=team_id, user_id=user_id, side="assignee", since=done_since,
                             limit=MOST_APPROVED),
    ]  # fmt: skip
    zone = _timezone(session, team_id=team_id, user_id=user_id, settings=settings)
    today_ends = end_of_local_day(now.astimezone(zone))
    lines: dict[int, HomeTask] = {}
    for task in [*owned, *assigned, *approved]:
        if task.id in lines:
            continue  # a person is never on both sides of a task; kept single all the same
        role = Role.OWNER if task.owner_id == user_id else Role.ASSIGNEE
        urgency = urgency_of(task, now=now, today_ends=today_ends, done_since=done_since)
        lines[task.id or 0] = HomeTask(task, role, urgency)
    return Home(
        user_id=user_id,
        tasks=order(lines.values()),
        open_total=owned_total + assigned_total,
        cut=owned_total > len(owned) or assigned_total > len(assigned),
        scorecard=scorecard(session, team_id=team_id, user_id=user_id, now=now),
        now=now,
    )


_SECTION_ORDER = {urgency: index for index, urgency in enumerate(Urgency)}


def order(lines: Iterable[HomeTask]) -> list[HomeTask]:
    """Sections in urgency order, then the tasks needing no attention ("later"); soonest due
    first within each (no due date last), then by number."""

    def key(line: HomeTask) -> tuple[int, datetime, int]:
        section = len(_SECTION_ORDER) if line.urgency is None else _SECTION_ORDER[line.urgency]
        return section, line.task.due_at or _NEVER, line.task.number

    return sorted(lines, key=key)


_NEVER = datetime.max.replace(tzinfo=UTC)  # where a task without a due date sorts


def scorecard(session: Session, *, team_id: str, user_id: str, now: datetime) -> Scorecard:
    """The reader's scorecard over the last SCORECARD_DAYS days, as ``/tasks stats @them`` shows it."""
    read = read_stats(session, team_id=team_id, viewer=user_id, person=user_id, days=SCORECARD_DAYS, now=now)
    return Scorecard(days=SCORECARD_DAYS, card=read.card(user_id))


def _timezone(session: Session, *, team_id: str, user_id: str, settings: Settings) -> ZoneInfo:
    """The reader's timezone as last cached from Slack, else the workspace default."""
    profile = repo.get_profile(session, team_id=team_id, user_id=user_id)
    for name in (profile.tz if profile else None, settings.default_timezone):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")
