"""The seeded workspace a person tries Handoff in: who is there, #ops, and its daily summary.

Five people, each with a role the page names: Olivia owns the work, Alice and Bob take it on,
Carlos is a contractor guest (``is_restricted``, as Slack marks guests), and Oscar is in the
workspace but part of no task: the one to try pressing someone else's buttons as.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.summary_schedule import next_post_at
from bot.playground.slack.fake_slack import FakeSlack
from bot.services import calendars
from bot.services.runtime import Runtime
from storage import summaries
from storage.summaries import Schedule

TEAM_ID = "T0PLAYGROUND"
BOT_USER_ID = "UHANDOFF"
OPS = "C0OPS"
OPS_NAME = "ops"
WORKSPACE_TIMEZONE = "Europe/Berlin"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    tz: str
    role: str = ""  # shown beside the name: "owner", "guest", "outsider"
    is_restricted: bool = False
    is_admin: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


PEOPLE = (
    Person("UOLIVIA", "Olivia", "Europe/Berlin", role="owner", is_admin=True),
    Person("UALICE", "Alice", "Europe/London"),
    Person("UBOB", "Bob", "Europe/Berlin"),
    Person("UCARLOS", "Carlos", "America/Sao_Paulo", role="guest", is_restricted=True),
    Person("UOSCAR", "Oscar", "Europe/Paris", role="outsider"),
)
OWNER = PEOPLE[0]


def person(user_id: str) -> Person | None:
    return next((p for p in PEOPLE if p.id == user_id), None)


def embedded_slack() -> FakeSlack:
    """The workspace's Slack, not yet started: the bot's user is called Handoff, as in the manifest."""
    return FakeSlack(
        team_id=TEAM_ID, team_domain="playground", team_name="Playground", bot_user_id=BOT_USER_ID
    )


def seed_people(slack: FakeSlack) -> None:
    """Everyone in the workspace, and in #ops with the bot."""
    slack.add_user(BOT_USER_ID, name="Handoff", tz=WORKSPACE_TIMEZONE, is_bot=True)
    for someone in PEOPLE:
        slack.add_user(
            someone.id,
            name=someone.name,
            tz=someone.tz,
            is_restricted=someone.is_restricted,
            is_admin=someone.is_admin,
        )
    slack.add_channel(OPS, members=[p.id for p in PEOPLE])


def subscribe_ops(rt: Runtime, *, now: datetime) -> None:
    """#ops gets the daily summary at the workspace's summary time, as if Olivia had asked for it."""
    with rt.db.session_scope(write=False) as session:
        calendar = calendars.workspace_calendar(rt, session, team_id=TEAM_ID)
    schedule = Schedule(at=calendar.summary_time, timezone=calendar.timezone, days=calendar.days)
    first = next_post_at(now, at=schedule.at, timezone=schedule.timezone, days=schedule.days)
    with rt.db.session_scope() as session:
        summaries.subscribe(
            session, team_id=TEAM_ID, channel_id=OPS, schedule=schedule, subscribed_by=OWNER.id,
            next_post_at=first, now=now,
        )  # fmt: skip
