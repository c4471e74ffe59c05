"""Scorecards from hand-made histories; every expected figure is worked out in the comments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core import tasks as core
from bot.core.metrics import AssigneeCard, OwnerCard, Rate, assignee_cards, offers, owner_cards
from bot.core.tasks import Event, Task, TaskChanges, Transition

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OWNER, OLIVIA, ALICE, BOB = "UOWNER", "UOLIVIA", "UALICE", "UBOB"


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


SINCE, NOW = T0, hours(30 * 24)


class Story:
    """One task told step by step through the real lifecycle, so the history is what the bot records."""

    def __init__(
        self,
        number: int,
        *,
        to: str = ALICE,
        at: float = 0,
        due: float | None = 48,
        done_when: str | None = "PDF sent to the board",
        owner: str = OWNER,
    ) -> None:
        created = core.new_task(
            team_id="T1",
            number=number,
            owner_id=owner,
            assignee_id=to,
            title=f"Task {number}",
            done_when=done_when,
            due_at=None if due is None else hours(due),
            now=hours(at),
        )
        self.task = created.after
        self.events: list[Event] = [e for e in [created.event] if e]

    @property
    def history(self) -> tuple[Task, list[Event]]:
        return self.task, self.events

    def _step(self, transition: Transition) -> Story:
        assert transition.event is not None
        self.task = transition.after
        self.events.append(transition.event)
        return self

    def accept(self, at: float) -> Story:
        return self._step(core.accept(self.task, actor=self.task.assignee_id, now=hours(at)))

    def decline(self, at: float) -> Story:
        return self._step(core.decline(self.task, actor=self.task.assignee_id, reason="busy", now=hours(at)))

    def deliver(self, at: float) -> Story:
        return self._step(core.deliver(self.task, actor=self.task.assignee_id, note="", now=hours(at)))

    def approve(self, at: float) -> Story:
        return self._step(core.approve(self.task, actor=self.task.owner_id, now=hours(at)))

    def changes(self, at: float) -> Story:
        owner = self.task.owner_id
        return self._step(core.request_changes(self.task, actor=owner, reason="redo", now=hours(at)))

    def reassign(self, to: str, at: float) -> Story:
        owner = self.task.owner_id
        return self._step(core.reassign(self.task, actor=owner, new_assignee=to, now=hours(at)))

    def cancel(self, at: float) -> Story:
        return self._step(core.cancel(self.task, actor=self.task.owner_id, now=hours(at)))

    def edit(self, at: float, changes: TaskChanges) -> Story:
        return self._step(core.edit(self.task, actor=self.task.owner_id, changes=changes, now=hours(at)))


def cards(*stories: Story, now: datetime = NOW) -> dict[str, AssigneeCard]:
    return assignee_cards([s.history for s in stories], since=SINCE, now=now)


def owners(*stories: Story) -> dict[str, OwnerCard]:
    return owner_cards([s.history for s in stories], since=SINCE, now=NOW)


def test_a_reassignment_splits_a_task_between_its_two_assignees() -> None:
    # Alice never answers; the owner gives it to Bob after 10 hours; Bob takes 2 hours to accept,
    # delivers at 40 (due 48) and is approved 2 hours later.
    story = Story(1).reassign(BOB, at=10).accept(at=12).deliver(at=40).approve(at=42)

    alice, bob = cards(story)[ALICE], cards(story)[BOB]

    assert alice == AssigneeCard(
        person=ALICE,
        received=1,
        acceptance=Rate(0, 1),
        median_time_to_accept=None,
        on_time=None,
        first_pass_approval=None,
        average_rework=None,
        overdue_now=0,
        open_load=0,
        ghosted=1,
    )
    assert bob == AssigneeCard(
        person=BOB,
        received=1,
        acceptance=Rate(1, 1),
        median_time_to_accept=timedelta(hours=2),
        on_time=Rate(1, 1),
        first_pass_approval=Rate(1, 1),
        average_rework=0.0,
        overdue_now=0,
        open_load=0,
        ghosted=0,
    )
    assert [(o.assignee, o.at) for o in offers(*story.history)] == [(ALICE, hours(0)), (BOB, hours(10))]


def test_rework_after_an_on_time_delivery_is_still_on_time_but_not_first_pass() -> None:
    # T-2: accepted after 1 h, delivered at 20 (due 48), changes at 22, delivered again late at 60.
    # T-3: accepted after 3 h, delivered late at 100, approved first time.
    reworked = Story(2).accept(at=1).deliver(at=20).changes(at=22).deliver(at=60).approve(at=61)
    late = Story(3).accept(at=3).deliver(at=100).approve(at=104)

    alice = cards(reworked, late)[ALICE]

    assert alice.received == 2
    assert alice.median_time_to_accept == timedelta(hours=2)  # median of 1 h and 3 h
    assert alice.on_time == Rate(1, 2)  # T-2's first delivery counts; T-3 was late
    assert alice.first_pass_approval == Rate(1, 2)
    assert alice.average_rework == 0.5  # one round over two delivered tasks
    # Reviews: 2 h (T-2 first), 1 h (T-2 second), 4 h (T-3): the median is 2 h.
    assert owners(reworked, late)[OWNER].median_review_time == timedelta(hours=2)


def test_without_a_due_date_there_is_no_on_time_rate_and_the_handoff_is_not_clear() -> None:
    story = Story(4, due=None).accept(at=1).deliver(at=30).approve(at=31)

    alice = cards(story)[ALICE]

    assert alice.on_time is None
    assert alice.first_pass_approval == Rate(1, 1)
    assert owners(story)[OWNER] == OwnerCard(
        person=OWNER, delegated=1, clarity=Rate(0, 1), median_review_time=timedelta(hours=1)
    )


def test_nothing_in_the_window_gives_no_cards_and_an_open_task_gives_a_card_of_nones() -> None:
    before = -24 * 10
    closed = Story(5, at=before, due=before + 48).accept(at=before + 1).deliver(at=before + 2)
    closed.approve(at=before + 3)
    assert cards(closed) == {}
    assert owners(closed) == {}

    still_open = Story(6, at=before, due=before + 48).accept(at=before + 1)
    card = cards(still_open)[ALICE]

    assert card.received == 0
    assert (card.acceptance, card.median_time_to_accept, card.on_time) == (None, None, None)
    assert (card.first_pass_approval, card.average_rework, card.ghosted) == (None, None, 0)
    assert (card.overdue_now, card.open_load) == (1, 1)


def test_an_unanswered_offer_is_ghosted_only_past_the_threshold() -> None:
    waiting = Story(7, at=0)

    assert cards(waiting, now=hours(47))[ALICE].acceptance is None
    assert cards(waiting, now=hours(47))[ALICE].ghosted == 0
    assert cards(waiting, now=hours(48))[ALICE].acceptance == Rate(0, 1)
    assert cards(waiting, now=hours(48))[ALICE].ghosted == 1


def test_an_offer_reassigned_away_unanswered_is_ghosted_at_once() -> None:
    story = Story(19).reassign(BOB, at=2)

    assert cards(story, now=hours(3))[ALICE].ghosted == 1
    assert cards(story, now=hours(3))[BOB].ghosted == 0


def test_the_window_holds_offers_made_at_either_end_of_it() -> None:
    at_since = Story(30, at=0).accept(at=1)
    at_now = Story(31, at=30 * 24)
    before = Story(32, at=-1).accept(at=0)

    assert cards(at_since, at_now, before)[ALICE].received == 2


def test_delivered_at_the_due_time_is_on_time_and_due_now_is_not_yet_overdue() -> None:
    on_the_dot = Story(20, due=24).accept(at=1).deliver(at=24)
    due_now = Story(21, due=24).accept(at=1)

    assert cards(on_the_dot)[ALICE].on_time == Rate(1, 1)
    assert cards(due_now, now=hours(24))[ALICE].overdue_now == 0
    assert cards(due_now, now=hours(25))[ALICE].overdue_now == 1


def test_a_decline_counts_against_acceptance_and_a_withdrawn_offer_counts_for_nothing() -> None:
    declined = Story(8).decline(at=2)
    withdrawn = Story(9).cancel(at=100)

    alice = cards(declined, withdrawn)[ALICE]

    assert (alice.received, alice.acceptance, alice.ghosted) == (2, Rate(0, 1), 0)


def test_overdue_now_counts_only_what_the_assignee_holds_and_open_load_includes_review() -> None:
    in_progress = Story(10, due=24).accept(at=1)
    awaiting_review = Story(11, due=24).accept(at=1).deliver(at=30)
    done = Story(12, due=24).accept(at=1).deliver(at=2).approve(at=3)

    alice = cards(in_progress, awaiting_review, done)[ALICE]

    assert (alice.overdue_now, alice.open_load) == (1, 2)


def test_clarity_reads_the_handoff_as_the_fault_lines_do() -> None:
    # Clear: renamed after acceptance; outcome clarified before acceptance; due date moved
    # (an edit cannot tell added from moved). Not clear: outcome rewritten after acceptance,
    # an outcome that is vague, a due date missing now.
    renamed = Story(13).accept(at=1).edit(2, TaskChanges(title="Renamed"))
    clarified = Story(14, done_when=None).edit(1, TaskChanges(done_when="Invoice sent to Acme")).accept(at=2)
    due_moved = Story(15).accept(at=1).edit(2, TaskChanges(due_at=hours(72)))
    rewritten = Story(16).accept(at=1).edit(2, TaskChanges(done_when="Invoice sent to Acme"))
    vague = Story(17, done_when="asap")
    no_due = Story(18, due=None)
    elsewhere = Story(19, owner=OLIVIA)

    clear = {
        story.task.number: owners(story)[story.task.owner_id].clarity
        for story in (renamed, clarified, due_moved, rewritten, vague, no_due, elsewhere)
    }

    yes, no = Rate(1, 1), Rate(0, 1)
    assert clear == {13: yes, 14: yes, 15: yes, 16: no, 17: no, 18: no, 19: yes}
    together = owners(renamed, clarified, due_moved, rewritten, vague, no_due, elsewhere)
    assert (together[OWNER].clarity, together[OLIVIA].clarity) == (Rate(3, 6), Rate(1, 1))
    assert together[OWNER].median_review_time is None


def test_a_delivery_reassigned_before_review_has_no_review_time() -> None:
    story = Story(18).accept(at=1).deliver(at=5).reassign(BOB, at=9).accept(at=10).deliver(at=20)
    story.approve(at=23)

    assert owners(story)[OWNER].median_review_time == timedelta(hours=3)
    assert cards(story)[ALICE].on_time == Rate(1, 1)
    assert cards(story)[BOB].median_time_to_accept == timedelta(hours=1)
