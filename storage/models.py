"""The tables. Every row carries ``team_id``: one database serves many workspaces."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _utc(nullable: bool = True) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class TeamCounter(SQLModel, table=True):
    """The last human task number handed out in a workspace (T-<n>)."""

    __tablename__ = "team_counters"

    team_id: str = Field(primary_key=True, max_length=32)
    last_number: int = 0


_CHECKED = text("next_check_at IS NOT NULL")
_MOVED = text("from_id IS NOT NULL")
_SUBSCRIBED = text("stopped_at IS NULL")
_RUNNING = text("stopped_at IS NULL")


class TaskRow(SQLModel, table=True):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("team_id", "number", name="uq_tasks_team_number"),
        # The same /delegate request (retried or double submitted) creates each task once.
        UniqueConstraint("team_id", "request_key", name="uq_tasks_team_request"),
        Index("ix_tasks_team_owner_status", "team_id", "owner_id", "status"),
        Index("ix_tasks_team_assignee_status", "team_id", "assignee_id", "status"),
        # The other tasks of the same /delegate, shown with each of them.
        Index("ix_tasks_team_linked", "team_id", "linked_to"),
        # The sweep reads only tasks whose check is due: its cost follows them, not all tasks.
        Index("ix_tasks_next_check", "next_check_at", postgresql_where=_CHECKED, sqlite_where=_CHECKED),
        # One occurrence per due date of a series, however many clocks create it.
        UniqueConstraint("series_id", "due_at", name="uq_tasks_series_due"),
        # Scorecards, summaries and exports read a window: tasks still open or closed since then.
        Index("ix_tasks_team_closed", "team_id", "closed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    # Null only inside the transaction that creates the task: the number is taken last.
    number: int | None = None
    owner_id: str = Field(max_length=32)
    assignee_id: str = Field(max_length=32)
    title: str = Field(sa_type=Text)
    done_when: str | None = Field(default=None, sa_type=Text)
    due_at: datetime | None = Field(default=None, sa_column=_utc())
    status: str = Field(max_length=32)
    rework_count: int = 0
    open_question: str | None = Field(default=None, sa_type=Text)
    progress_percent: int | None = None
    linked_to: int | None = None
    request_key: str | None = Field(default=None, max_length=255)
    offer_channel: str | None = Field(default=None, max_length=32)
    offer_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    updated_at: datetime = Field(sa_column=_utc(nullable=False))
    accepted_at: datetime | None = Field(default=None, sa_column=_utc())
    delivered_at: datetime | None = Field(default=None, sa_column=_utc())
    closed_at: datetime | None = Field(default=None, sa_column=_utc())
    version: int = 0
    health: str | None = Field(default=None, max_length=16)  # a bot.core.tasks.Health
    health_reason: str | None = Field(default=None, sa_type=Text)
    series_id: int | None = Field(default=None, foreign_key="series.id")
    # The series' recurrence as it stores it (see bot.core.recurrence), shown on the task's card.
    repeats: str | None = Field(default=None, max_length=32)
    # When the sweep should look at this task next; None once it is closed for good.
    next_check_at: datetime | None = Field(default=None, sa_column=_utc())
    # "Delegate this message": the permalink of the message the task was made from.
    source_link: str | None = Field(default=None, max_length=500)


class SeriesRow(SQLModel, table=True):
    """A recurring handoff: the template each occurrence is made from, and when the next is due."""

    __tablename__ = "series"
    __table_args__ = (
        UniqueConstraint("team_id", "request_key", name="uq_series_team_request"),
        # Running series whose next occurrence is to be offered: what the sweep reads.
        Index("ix_series_next_offer", "next_offer_at", postgresql_where=_RUNNING, sqlite_where=_RUNNING),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    owner_id: str = Field(max_length=32)
    assignee_id: str = Field(max_length=32)
    title: str = Field(sa_type=Text)
    done_when: str | None = Field(default=None, sa_type=Text)
    every: str = Field(max_length=32)  # see bot.core.recurrence
    next_due_at: datetime = Field(sa_column=_utc(nullable=False))  # the next occurrence's due date
    next_offer_at: datetime = Field(sa_column=_utc(nullable=False))  # when the clock creates it
    request_key: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    stopped_at: datetime | None = Field(default=None, sa_column=_utc())
    stop_reason: str | None = Field(default=None, max_length=32)
    # The /tasks T-n stop that stopped it: a retry of that command answers the same again.
    stop_request_key: str | None = Field(default=None, max_length=255)


class TaskNudgeRow(SQLModel, table=True):
    """A nudge decided for a task: the unique key (task, kind, recipient, period) keeps it single."""

    __tablename__ = "task_nudges"
    __table_args__ = (
        UniqueConstraint("team_id", "task_id", "kind", "recipient_id", "period", name="uq_task_nudges_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    task_id: int = Field(foreign_key="tasks.id")
    kind: str = Field(max_length=32)  # a bot.core.nudges.NudgeKind
    recipient_id: str = Field(max_length=32)
    period: str = Field(max_length=64)
    decided_at: datetime = Field(sa_column=_utc(nullable=False))


class NudgeSnooze(SQLModel, table=True):
    """No nudges about this task to this person before ``until``."""

    __tablename__ = "nudge_snoozes"

    team_id: str = Field(primary_key=True, max_length=32)
    task_id: int = Field(primary_key=True, foreign_key="tasks.id")
    user_id: str = Field(primary_key=True, max_length=32)
    until: datetime = Field(sa_column=_utc(nullable=False))


class UserSettings(SQLModel, table=True):
    """A person's own working hours (/tasks settings); None means the workspace default."""

    __tablename__ = "user_settings"

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    timezone: str | None = Field(default=None, max_length=64)  # else their Slack profile's
    quiet_hours: str | None = Field(default=None, max_length=32)  # "19:00-08:00" or "off"
    working_days: str | None = Field(default=None, max_length=64)  # "mon-fri"
    updated_at: datetime = Field(sa_column=_utc(nullable=False))


class WorkspaceSettings(SQLModel, table=True):
    """A workspace's own nudge thresholds and calendar and summary defaults, over the environment's."""

    __tablename__ = "workspace_settings"

    team_id: str = Field(primary_key=True, max_length=32)
    # JSON: {"ack_after": "2h", ...}, the names of bot.core.nudges.NudgeSettings.
    nudge_overrides: str = Field(default="{}", sa_type=Text)
    updated_at: datetime = Field(sa_column=_utc(nullable=False))
    # None: the environment's DEFAULT_TIMEZONE, QUIET_HOURS, WORKING_DAYS, SUMMARY_TIME.
    timezone: str | None = Field(default=None, max_length=64)
    quiet_hours: str | None = Field(default=None, max_length=32)  # "19:00-08:00" or "off"
    working_days: str | None = Field(default=None, max_length=64)  # "mon-fri"
    summary_time: str | None = Field(default=None, max_length=5)  # "09:00"


class WorkspaceRow(SQLModel, table=True):
    """A workspace the bot was installed in, and whether it still is."""

    __tablename__ = "workspaces"

    team_id: str = Field(primary_key=True, max_length=32)
    team_name: str | None = Field(default=None, max_length=200)
    # Who installed the bot (OAuth): they may change the workspace's settings like an admin.
    installed_by: str | None = Field(default=None, max_length=32)
    installed_at: datetime = Field(sa_column=_utc(nullable=False))
    # Set by app_uninstalled / tokens_revoked: nothing is sent there until it is installed again.
    uninstalled_at: datetime | None = Field(default=None, sa_column=_utc())


class TaskEventRow(SQLModel, table=True):
    """A task's history, one row per change."""

    __tablename__ = "task_events"
    __table_args__ = (
        # A retried or double-submitted form records its change once.
        UniqueConstraint("team_id", "request_key", name="uq_task_events_team_request"),
        Index("ix_task_events_task", "task_id", "id"),
        # A person's scorecard counts offers they had before a reassignment moved the task on.
        Index("ix_task_events_from", "team_id", "from_id", postgresql_where=_MOVED, sqlite_where=_MOVED),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    task_id: int = Field(foreign_key="tasks.id")
    kind: str = Field(max_length=32)
    actor_id: str = Field(max_length=32)
    at: datetime = Field(sa_column=_utc(nullable=False))
    text: str | None = Field(default=None, sa_type=Text)
    # A reassignment: the assignee the task moved from, and to.
    from_id: str | None = Field(default=None, max_length=32)
    to_id: str | None = Field(default=None, max_length=32)
    request_key: str | None = Field(default=None, max_length=255)


class SummarySubscriptionRow(SQLModel, table=True):
    """A channel's daily summary: when it is posted next, and what it covers.

    One row per channel, kept after ``/tasks summary off`` (``stopped_at``) so a channel that
    unsubscribed from the workspace default (SUMMARY_CHANNEL) stays unsubscribed.
    """

    __tablename__ = "summary_subscriptions"
    __table_args__ = (
        # Subscriptions due to post: what the clock reads each minute.
        Index("ix_summary_next_post", "next_post_at", postgresql_where=_SUBSCRIBED, sqlite_where=_SUBSCRIBED),
    )

    team_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(primary_key=True, max_length=32)
    post_at: str = Field(max_length=5)  # local time, "09:00"
    timezone: str = Field(max_length=64)
    working_days: str = Field(max_length=64)  # "mon-fri", see bot.core.working_time
    owner_id: str | None = Field(default=None, max_length=32)  # only tasks this person owns
    assignee_id: str | None = Field(default=None, max_length=32)  # only tasks this person holds
    quiet: bool = False  # post nothing on an all-clear day
    subscribed_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    updated_at: datetime = Field(sa_column=_utc(nullable=False))
    stopped_at: datetime | None = Field(default=None, sa_column=_utc())
    next_post_at: datetime = Field(sa_column=_utc(nullable=False))
    last_posted_on: str | None = Field(default=None, max_length=10)  # the local date, "2026-12-01"


class InboxStatus(StrEnum):
    """Where a kept request stands (a done one is deleted)."""

    PENDING = "pending"  # answered, its work not done yet
    FAILED = "failed"  # its work hit a bug; kept beside the log's error id, never retried
    # Its work is done and must not be done again by a retry of the same request (an upload):
    # kept as the record of it, where a change to a task would be the record otherwise.
    DONE = "done"


class InboxRequest(SQLModel, table=True):
    """A Slack request that was answered but whose work is not done yet.

    Written and committed before Slack gets its answer, removed in the transaction that
    records the work; whatever is left when a process starts was cut short by a crash.
    """

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("team_id", "request_key", name="uq_inbox_team_request"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    request_key: str = Field(max_length=255)
    kind: str = Field(max_length=32)  # which work to do; see bot.slack.durable
    payload: str = Field(sa_type=Text)  # JSON: the parts of the request the work needs
    received_at: datetime = Field(sa_column=_utc(nullable=False))
    status: str = Field(default=InboxStatus.PENDING, max_length=16)
    # Who is doing it (see bot.process_ids): a process that resumes the request takes it over.
    claim: str | None = Field(default=None, max_length=32)
    error_id: str | None = Field(default=None, max_length=16)


class OutboxStatus(StrEnum):
    """Where a queued message stands."""

    PENDING = "pending"  # waiting to be sent (from ``next_attempt_at``, when set)
    SENDING = "sending"  # claimed by the sender named in ``claimed_by``
    SENT = "sent"  # Slack has it; ``channel`` and ``ts`` say where
    SKIPPED = "skipped"  # nothing left to say (the task moved on); kept, not sent
    FAILED = "failed"  # Slack refused it for good, or it kept failing for a day
    PARKED = "parked"  # its workspace uninstalled the app: held, not sent, until an operator retries it


_PENDING = text("status = 'pending'")
_SENDING = text("status = 'sending'")
_SENT = text("status = 'sent'")


class OutboxMessage(SQLModel, table=True):
    """A message for Slack, written in the transaction that caused it; the key keeps it single.

    See ``bot.outbox`` for the delivery guarantee and what provides it.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("team_id", "dedupe_key", name="uq_outbox_team_key"),
        # "Pending rows, oldest first" across workspaces: the sender's claim reads this index only.
        Index("ix_outbox_pending", "id", postgresql_where=_PENDING, sqlite_where=_PENDING),
        # Claims of a sender that is gone, found at start without reading the whole table.
        Index("ix_outbox_claims", "claimed_by", postgresql_where=_SENDING, sqlite_where=_SENDING),
        # Sent rows past OUTBOX_KEEP, for pruning.
        Index("ix_outbox_sent", "sent_at", postgresql_where=_SENT, sqlite_where=_SENT),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    dedupe_key: str = Field(max_length=255)
    task_id: int | None = Field(default=None, foreign_key="tasks.id")
    kind: str = Field(max_length=32)  # see bot.outbox.intents.Kind
    recipient_id: str = Field(max_length=32)
    payload: str = Field(sa_type=Text)  # JSON: what the intent needs (event, card location, task numbers)
    status: str = Field(default=OutboxStatus.PENDING.value, max_length=16)  # an OutboxStatus
    attempts: int = 0
    # After a failed attempt, not before this time (backoff, or the workspace's Retry-After).
    next_attempt_at: datetime | None = Field(default=None, sa_column=_utc())
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_column=_utc(nullable=False))
    # Which sender took it (host:pid:start), and when; see bot.outbox.sender for how claims end.
    claimed_by: str | None = Field(default=None, max_length=128)
    claimed_at: datetime | None = Field(default=None, sa_column=_utc())
    # An earlier try may have reached Slack without us hearing back (timeout, crash, lost
    # database): look in the conversation for the message before sending it again.
    maybe_sent: bool = False
    sent_at: datetime | None = Field(default=None, sa_column=_utc())
    channel: str | None = Field(default=None, max_length=32)
    ts: str | None = Field(default=None, max_length=32)


class UserProfile(SQLModel, table=True):
    """What the bot caches from users.info: timezone and whether a person can take tasks."""

    __tablename__ = "user_profiles"

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    tz: str | None = Field(default=None, max_length=64)
    is_bot: bool = False
    deleted: bool = False
    is_guest: bool = False
    # A workspace admin or owner: may change the workspace's nudge thresholds.
    is_admin: bool = False
    fetched_at: datetime = Field(sa_column=_utc(nullable=False))


class WorkspacePaceRow(SQLModel, table=True):
    """How fast Slack lets the bot post to a workspace, shared by every sender process.

    See ``bot.outbox.pacing``. Times that pace posts are wall-clock seconds (epoch), the
    one clock all processes share; the pause is on the bot's clock, like the queue it holds.
    """

    __tablename__ = "workspace_pace"

    team_id: str = Field(primary_key=True, max_length=32)
    rate: float | None = None  # posts per second, once learned from a 429
    learned_at: float | None = None
    # No post to this workspace before this (Slack's Retry-After).
    paused_until: datetime | None = Field(default=None, sa_column=_utc())
    next_slot: float = 0.0  # when the next post may go, while paced
    # The 429 whose last second of posts is being counted: each process adds its own.
    counted_at: float | None = None
    counted_posts: int = 0
    counted_from_rate: float | None = None  # the pace in force when that count began


# slack_sdk's OAuth stores keep their own tables (migration 0008): declared here from the
# library's own definitions, so the migrations test notices if a new slack_sdk changes them.
SQLAlchemyInstallationStore.build_installations_table(SQLModel.metadata, "slack_installations")
SQLAlchemyInstallationStore.build_bots_table(SQLModel.metadata, "slack_bots")
SQLAlchemyOAuthStateStore.build_oauth_states_table(SQLModel.metadata, "slack_oauth_states")
