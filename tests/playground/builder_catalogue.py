"""Everything the bot can show people, made by its own builders from sample tasks.

Each entry names the builder that made it, so a test can check that every builder of
``bot/slack`` is here (``BUILDER_MODULES``), and whether it is a message or a view. The task
titles and reasons are hostile on purpose: they must stay text on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import time, timedelta
from types import ModuleType
from typing import Any

from bot.core import tasks as core
from bot.core.clarity import ClarityCode, ClarityFlag
from bot.core.fault_lines import FaultKind, FaultLine, FaultTally
from bot.core.lifecycle_table import Role, Step
from bot.core.message_title import MessageTitle
from bot.core.nudges import NudgeKind
from bot.core.safety import Sensitive
from bot.core.summary import build_summary
from bot.core.tasks import Event, EventKind, Health, Status, Task
from bot.core.urgency import Urgency
from bot.outbox.intents import SeriesNews
from bot.services.home import Home, HomeTask, Scorecard, order
from bot.services.insights import Card, Stats, Why
from bot.services.nudge_now import NudgedNow
from bot.slack import (
    home_messages,
    insight_messages,
    messages,
    modals,
    nudge_messages,
    scorecard_blocks,
    series_messages,
    settings_views,
    summary_messages,
    summary_replies,
    task_buttons,
)
from bot.slack.help_text import HELP_DELEGATE, HELP_REPORT, HELP_TASKS
from bot.slack.ids import View
from bot.slack.message_source import MessageSource
from storage.summaries import Subscription
from tests.core.summary_cases import DONE_SINCE, seeded
from tests.core.task_cases import ALICE, BOB, NOW, OWNER, offered, worked_on
from tests.slack.test_scorecard_blocks import BUSY, OWNS
from tests.slack.test_settings_views import HOURS, WORKSPACE

BUILDER_MODULES: tuple[ModuleType, ...] = (
    home_messages,
    insight_messages,
    messages,
    modals,
    nudge_messages,
    scorecard_blocks,
    series_messages,
    settings_views,
    summary_messages,
    summary_replies,
    task_buttons,
)
HOSTILE = '<script>alert("x")</script> & <!channel> <img src=x onerror=alert(1)>'
# The steps a button can take (editing and cancelling are typed, not clicked).
BUTTON_STEPS = [s for s in Step if s not in (Step.EDIT, Step.CANCEL, Step.FLAG)]
PEOPLE = {OWNER: "Olivia (owner)", ALICE: "Alice", BOB: "Bob"}


@dataclass(frozen=True)
class Shown:
    """One body the bot would send: a message (chat.postMessage and kin) or a view (modal, Home)."""

    builder: Callable[..., Any]
    kind: str  # "message" or "view"
    body: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.builder.__module__}.{self.builder.__name__}"


def hostile(task: Task) -> Task:
    link = "https://example.org/archives/C1/p1"
    return replace(
        task, title=HOSTILE, done_when=HOSTILE, open_question=HOSTILE, health_reason=HOSTILE, source_link=link
    )


def tasks() -> list[Task]:
    """A task in every state, each with every field a step may touch, hostile words throughout."""
    return [hostile(worked_on(status)) for status in Status]


def events() -> list[Event]:
    return [Event(kind, OWNER, NOW, HOSTILE, from_id=ALICE, to_id=BOB) for kind in EventKind]


def catalogue() -> Iterator[Shown]:
    yield from _messages()
    yield from _modals()
    yield from _nudges()
    yield from _summaries()
    yield from _home()
    yield from _insights()
    yield from _series_and_settings()


def _pieces(builder: Callable[..., Any], blocks: Any) -> Shown:
    """Blocks a builder makes for others to place, shown on their own in a message."""
    return Shown(
        builder, "message", {"text": "pieces", "blocks": blocks if isinstance(blocks, list) else [blocks]}
    )


def _messages() -> Iterator[Shown]:
    for task in tasks():
        yield Shown(messages.assignee_card, "message", messages.assignee_card(task))
        yield Shown(messages.released_card, "message", messages.released_card(task))
        yield Shown(messages.task_detail, "message", messages.task_detail(task, events(), [task]))
        yield _pieces(messages.from_a_message, messages.from_a_message(task))
        yield _pieces(task_buttons.assignee_buttons, task_buttons.assignee_buttons(task))
        for role in Role:
            yield _pieces(task_buttons.side_buttons, task_buttons.side_buttons(task, role))
        yield _pieces(task_buttons.step_buttons, task_buttons.step_buttons(task, BUTTON_STEPS))
        for event in events():
            yield _pieces(task_buttons.owner_buttons, task_buttons.owner_buttons(task, event))
            if event.kind in (EventKind.CREATED, EventKind.REASSIGNED):
                continue  # told by the offer card and the released card, not by a notice
            for for_owner in (True, False):
                yield Shown(messages.notice, "message", messages.notice(task, event, for_owner=for_owner))
    offer = hostile(offered())
    flags = [ClarityFlag(code, HOSTILE) for code in ClarityCode]
    yield Shown(messages.delegation_receipt, "message", messages.delegation_receipt([offer], flags))
    yield Shown(messages.delegation_receipt, "message", messages.delegation_receipt([offer, offer], []))
    yield Shown(messages.task_list, "message", messages.task_list(tasks(), tasks(), owned_total=40))
    yield Shown(messages.task_list, "message", messages.task_list([], []))
    accepted = core.accept(offer, actor=ALICE, now=NOW)
    yield Shown(messages.step_receipt, "message", messages.step_receipt(accepted))
    card = messages.assignee_card(offer)
    yield Shown(messages.without_buttons, "message", messages.without_buttons(card, "Accepted &lt;x&gt;"))
    for reply in (messages.error_reply, messages.info_reply):
        yield Shown(reply, "message", reply(HOSTILE))
    for text in (HELP_DELEGATE, HELP_REPORT, HELP_TASKS):
        yield Shown(messages.help_reply, "message", messages.help_reply(text))


def _modals() -> Iterator[Shown]:
    task = hostile(offered())
    yield Shown(modals.delegate_modal, "view", modals.delegate_modal())
    yield Shown(
        modals.delegate_modal, "view", modals.delegate_modal(title=HOSTILE, title_hint=HOSTILE, origin="x")
    )
    sources = [MessageSource("C0GENERAL", "1.1", ALICE), MessageSource("D0DM", "1.2")]
    for source in sources:
        for found in (MessageTitle(HOSTILE), MessageTitle(""), MessageTitle("", withheld=Sensitive.CARD)):
            body = modals.message_delegate_modal(source, found, metadata="m")
            yield Shown(modals.message_delegate_modal, "view", body)
    for view in (View.DECLINE_REASON, View.QUESTION, View.DELIVERY, View.CHANGES_WANTED, View.ANSWER):
        body = modals.text_modal(view, task, title="Why?", label=HOSTILE, submit="Send", placeholder=HOSTILE)
        yield Shown(modals.text_modal, "view", body)
    yield Shown(modals.progress_modal, "view", modals.progress_modal(task))
    yield Shown(modals.report_picker_modal, "view", modals.report_picker_modal(tasks()))
    yield Shown(modals.reassign_modal, "view", modals.reassign_modal(task))
    yield Shown(modals.edit_modal, "view", modals.edit_modal(task))


def _nudges() -> Iterator[Shown]:
    for task in tasks():
        due = replace(task, due_at=NOW - timedelta(hours=5))
        for kind in NudgeKind:
            for reader in (OWNER, ALICE):
                body = nudge_messages.nudge_message(due, kind, recipient_id=reader, late_by=None, now=NOW)
                yield Shown(nudge_messages.nudge_message, "message", body)
        yield _pieces(nudge_messages.status_buttons, nudge_messages.status_buttons(task))
        menu = nudge_messages.snooze_menu(due, now=NOW)  # an element: the nudge puts it in its actions
        yield _pieces(
            nudge_messages.snooze_menu, {"type": "actions", "block_id": "snooze", "elements": [menu]}
        )


def _summaries() -> Iterator[Shown]:
    summary = build_summary(seeded(), now=NOW, timezone="UTC", done_since=DONE_SINCE)
    quiet = build_summary([], now=NOW, timezone="UTC", done_since=DONE_SINCE)
    yield Shown(
        summary_messages.summary_message,
        "message",
        summary_messages.summary_message(summary, channel_name="ops", scope="tasks owned by <@UOWNER>"),
    )
    yield Shown(
        summary_messages.all_clear_message, "message", summary_messages.all_clear_message(quiet, scope="x")
    )
    subscription = Subscription(
        "T1", "C1", time(9), "Europe/Berlin", frozenset(range(5)), OWNER, ALICE, False, OWNER, NOW, None, None
    )
    yield Shown(summary_replies.subscribed_reply, "message", summary_replies.subscribed_reply(subscription))
    yield Shown(summary_replies.shown_reply, "message", summary_replies.shown_reply(subscription))
    yield Shown(summary_replies.shown_reply, "message", summary_replies.shown_reply(None))
    for was_running in (True, False):
        yield Shown(summary_replies.stopped_reply, "message", summary_replies.stopped_reply(was_running))
    for kind in (NudgeKind.OVERDUE, None):
        for queued in (True, False):
            nudged = NudgedNow(hostile(offered()), kind, queued)
            yield Shown(summary_replies.nudged_reply, "message", summary_replies.nudged_reply(nudged))


def _a_home(count: int, card: Card) -> Home:
    sections: list[Urgency | None] = [*Urgency, None]
    lines = [
        HomeTask(
            replace(task, number=n, id=n, rework_count=n % 3, health=Health.AT_RISK),
            Role.OWNER if n % 2 else Role.ASSIGNEE,
            sections[n % len(sections)],
        )
        for n, task in enumerate(tasks() * (count // len(tasks()) + 1), start=1)
        if n <= count
    ]
    return Home(OWNER, order(lines), open_total=count, cut=count > 40, scorecard=Scorecard(30, card), now=NOW)


def _home() -> Iterator[Shown]:
    tally = FaultTally(
        OWNER,
        tasks=6,
        went_wrong=5,
        faults=dict.fromkeys(FaultKind, 1),
        held=dict.fromkeys(FaultKind, 1),
        reworked=4,
    )
    full = Card(OWNER, assignee=BUSY, owner=OWNS, tally_as_owner=tally, tally_as_assignee=tally)
    empty = Card(OWNER, None, None, None, None)
    for count, card in ((0, empty), (12, full), (120, full)):
        home = _a_home(count, card)
        for page in (1, 2):
            yield Shown(home_messages.home_view, "view", home_messages.home_view(home, page=page))
        yield _pieces(home_messages.scorecard_part, home_messages.scorecard_part(home))
        for line in home.tasks[:10]:
            yield _pieces(home_messages.task_blocks, home_messages.task_blocks(line, now=NOW))
    for task in tasks():
        yield Shown(
            home_messages.task_detail_modal, "view", home_messages.task_detail_modal(task, events(), [task])
        )


def _insights() -> Iterator[Shown]:
    since = NOW - timedelta(days=30)
    stats = Stats(
        OWNER, None, 30, since, NOW, assignees={ALICE: replace(BUSY, person=ALICE)}, owners={OWNER: OWNS}
    )
    yield Shown(insight_messages.stats_message, "message", insight_messages.stats_message(stats))
    yield Shown(
        insight_messages.stats_message,
        "message",
        insight_messages.stats_message(Stats(OWNER, None, 30, since, NOW)),
    )
    yield Shown(insight_messages.team_stats_message, "message", insight_messages.team_stats_message(stats))
    yield Shown(
        insight_messages.person_stats_message, "message", insight_messages.person_stats_message(stats, ALICE)
    )
    lines = tuple(
        FaultLine(kind, ALICE, NOW, timedelta(hours=30), reasons=(HOSTILE,), to_id=BOB) for kind in FaultKind
    )
    for why in (
        Why(hostile(worked_on(Status.APPROVED)), lines, lines[0], NOW),
        Why(hostile(offered()), (), None, NOW),
    ):
        yield Shown(insight_messages.why_message, "message", insight_messages.why_message(why))
        yield Shown(insight_messages.why_modal, "view", insight_messages.why_modal(why))
        yield _pieces(insight_messages.why_blocks, insight_messages.why_blocks(why))
    card = scorecard_blocks.scorecard_blocks(
        OWNER, BUSY, OWNS, days=30, tally_as_owner=FaultTally(OWNER, tasks=3)
    )
    yield _pieces(scorecard_blocks.scorecard_blocks, card)
    yield _pieces(
        scorecard_blocks.scorecard_blocks, scorecard_blocks.scorecard_blocks(ALICE, None, None, days=7)
    )


def _series_and_settings() -> Iterator[Shown]:
    weekly = replace(hostile(offered()), series_id=3, repeats="1 week")
    for news in SeriesNews:
        body = series_messages.series_notice(weekly, news, assignee_id=ALICE, every="1 week")
        yield Shown(series_messages.series_notice, "message", body)
    body = series_messages.series_stopped_reply(weekly, weekly, "every week", assignee_id=ALICE)
    yield Shown(series_messages.series_stopped_reply, "message", body)
    yield Shown(settings_views.working_hours_modal, "view", settings_views.working_hours_modal(HOURS))
    yield Shown(
        settings_views.working_hours_saved_view, "view", settings_views.working_hours_saved_view(HOURS)
    )
    yield Shown(settings_views.working_hours_reply, "message", settings_views.working_hours_reply(HOURS))
    yield Shown(settings_views.workspace_modal, "view", settings_views.workspace_modal(WORKSPACE))
    yield Shown(settings_views.workspace_saved_view, "view", settings_views.workspace_saved_view(WORKSPACE))
    yield Shown(settings_views.workspace_reply, "message", settings_views.workspace_reply(WORKSPACE))
