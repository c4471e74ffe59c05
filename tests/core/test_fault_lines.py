"""Where did a handoff break: fault lines from hand-made histories, one per kind of failure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.core import tasks as core
from bot.core.fault_lines import FaultKind, FaultLine, Limits, fault_lines, largest_fault, tally
from bot.core.tasks import Event, Health, Task, TaskChanges, Transition
from tests.core.task_cases import ALICE, BOB, NOW, OWNER

K = FaultKind
DUE = NOW + timedelta(hours=48)


def h(hours: float) -> datetime:
    return NOW + timedelta(hours=hours)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


class History:
    """T-12 from OWNER to ALICE made at NOW, then steps taken ``hours`` after NOW."""

    def __init__(self, *, done_when: str | None = "PDF sent to the board", due: datetime | None = DUE):
        first = core.new_task(
            team_id="T1",
            number=12,
            owner_id=OWNER,
            assignee_id=ALICE,
            title="Ship the report",
            done_when=done_when,
            due_at=due,
            now=NOW,
        )
        self.task: Task = first.after
        self.events: list[Event] = [first.event] if first.event else []

    def at(self, hours: float, step: Callable[..., Transition], actor: str, **kwargs: object) -> History:
        transition = step(self.task, actor=actor, now=h(hours), **kwargs)
        self.task = transition.after
        if transition.event is not None:
            self.events.append(transition.event)
        return self

    def lines(self, now_hours: float) -> tuple[FaultLine, ...]:
        return fault_lines(self.task, self.events, h(now_hours))


def delivered_on_time(story: History, *, by: str = ALICE) -> History:
    return story.at(30, core.deliver, by, note="Sent").at(31, core.approve, OWNER)


def test_a_handoff_that_went_well_has_no_fault_lines() -> None:
    story = History().at(1, core.accept, ALICE).at(20, core.report, ALICE, text="Half", percent=50)
    assert delivered_on_time(story).lines(now_hours=100) == ()


def test_a_missing_due_date_alone_is_not_a_broken_handoff() -> None:
    story = History(due=None).at(1, core.accept, ALICE)
    assert delivered_on_time(story).lines(now_hours=100) == ()


def test_late_delivery_is_measured_from_the_due_date_and_held_by_who_delivered() -> None:
    story = History().at(2, core.accept, ALICE).at(40, core.report, ALICE, text="Nearly", percent=90)
    story.at(60, core.deliver, ALICE, note="Sent").at(61, core.approve, OWNER)
    assert story.lines(now_hours=100) == (FaultLine(K.DELIVERED_LATE, ALICE, DUE, hours(12)),)


def test_rounds_of_changes_keep_their_reasons_and_an_outcome_rewritten_after_handoff_weighs_most() -> None:
    story = History().at(1, core.accept, ALICE).at(20, core.deliver, ALICE, note="v1")
    story.at(21, core.request_changes, OWNER, reason="Needs the Q3 numbers")
    story.at(22, core.edit, OWNER, changes=TaskChanges(done_when="PDF with Q3 numbers sent to the board"))
    story.at(30, core.deliver, ALICE, note="v2").at(31, core.request_changes, OWNER, reason="Add a chart")
    story.at(32, core.edit, OWNER, changes=TaskChanges(done_when="PDF with Q3 chart sent to the board"))
    story.at(40, core.deliver, ALICE, note="v3").at(41, core.approve, OWNER)

    lines = story.lines(now_hours=100)

    assert lines == (
        FaultLine(K.OUTCOME_CHANGED, OWNER, NOW, hours(32), count=2),
        FaultLine(K.CHANGES_REQUESTED, ALICE, h(21), hours(19), 2, ("Needs the Q3 numbers", "Add a chart")),
    )
    assert largest_fault(lines) == lines[0]


def test_edits_of_the_outcome_before_acceptance_are_the_offer_being_clarified() -> None:
    story = History(done_when="fix stuff")
    story.at(1, core.edit, OWNER, changes=TaskChanges(done_when="PDF sent to the board"))
    story.at(2, core.accept, ALICE).at(3, core.edit, OWNER, changes=TaskChanges(due_at=h(50)))
    story.at(60, core.deliver, ALICE, note="Sent")
    assert [line.kind for line in story.lines(now_hours=61)] == [K.DELIVERED_LATE]


def test_rework_is_held_by_who_delivered_the_work_sent_back() -> None:
    story = History().at(1, core.accept, ALICE).at(5, core.deliver, ALICE, note="v1")
    story.at(6, core.request_changes, OWNER, reason="Wrong board")
    story.at(8, core.reassign, OWNER, new_assignee=BOB)
    assert story.lines(now_hours=10) == (
        FaultLine(K.REASSIGNED, ALICE, NOW, hours(8), to_id=BOB),
        FaultLine(K.CHANGES_REQUESTED, ALICE, h(6), hours(4), reasons=("Wrong board",)),
    )


def test_a_decline_keeps_its_reason_and_a_vague_outcome_shows_as_vague_at_handoff() -> None:
    story = History(done_when="fix stuff").at(3, core.decline, ALICE, reason="No time this week")
    lines = story.lines(now_hours=10)
    assert lines == (
        FaultLine(K.OUTCOME_VAGUE, OWNER, NOW, hours(10)),
        FaultLine(K.DECLINED, ALICE, NOW, hours(3), reasons=("No time this week",)),
    )
    assert largest_fault(lines) == lines[0]


def test_an_offer_left_unanswered_then_reassigned_names_both_people() -> None:
    story = History().at(30, core.reassign, OWNER, new_assignee=BOB).at(31, core.accept, BOB)
    story.at(40, core.deliver, BOB, note="Sent").at(41, core.approve, OWNER)
    lines = story.lines(now_hours=50)
    assert lines == (
        FaultLine(K.OFFER_NOT_ACCEPTED, ALICE, NOW, hours(30)),
        FaultLine(K.REASSIGNED, ALICE, NOW, hours(30), to_id=BOB),
    )
    assert largest_fault(lines) == lines[1]


def test_an_offer_still_waiting_past_the_limit_counts_until_now() -> None:
    story = History(due=h(10))
    assert story.lines(now_hours=30) == (
        FaultLine(K.OFFER_NOT_ACCEPTED, ALICE, NOW, hours(30)),
        FaultLine(K.OVERDUE, ALICE, h(10), hours(20)),
    )


def test_taken_back_after_a_long_silence_shows_the_longest_silence() -> None:
    story = History(due=h(200)).at(1, core.accept, ALICE)
    story.at(10, core.report, ALICE, text="Started", percent=10)
    story.at(110, core.flag, ALICE, health=Health.BLOCKED, reason="No access").at(120, core.take_back, OWNER)
    assert story.lines(now_hours=130) == (
        FaultLine(K.TAKEN_BACK, OWNER, NOW, hours(120)),
        FaultLine(K.NO_REPORT, ALICE, h(10), hours(100)),
    )


def test_cancelled_with_a_question_the_owner_never_answered() -> None:
    story = History().at(1, core.accept, ALICE).at(2, core.ask, ALICE, question="Which board?")
    story.at(20, core.cancel, OWNER, reason="Client dropped it")
    assert story.lines(now_hours=30) == (
        FaultLine(K.CANCELLED, OWNER, NOW, hours(20), reasons=("Client dropped it",)),
        FaultLine(K.QUESTION_OPEN, OWNER, h(2), hours(18)),
    )


def test_a_question_answered_within_the_limit_is_not_a_fault() -> None:
    story = History().at(1, core.accept, ALICE).at(2, core.ask, ALICE, question="Which board?")
    story.at(5, core.answer, OWNER, text="The main one").at(6, core.ask, ALICE, question="Which PDF?")
    story.at(20, core.answer, OWNER, text="Q3")
    assert story.lines(now_hours=60) == (
        FaultLine(K.QUESTION_OPEN, OWNER, h(6), hours(14)),
        FaultLine(K.OVERDUE, ALICE, DUE, hours(12)),
    )


def test_overdue_now_runs_until_now_and_the_silence_until_now_is_measured() -> None:
    story = History().at(1, core.accept, ALICE)
    assert story.lines(now_hours=53) == (FaultLine(K.OVERDUE, ALICE, DUE, hours(5)),)
    assert fault_lines(story.task, story.events, h(53), Limits(silence=hours(24))) == (
        FaultLine(K.NO_REPORT, ALICE, h(1), hours(52)),
        FaultLine(K.OVERDUE, ALICE, DUE, hours(5)),
    )


def test_no_outcome_and_no_due_at_handoff_then_rework_names_the_missing_outcome() -> None:
    story = History(done_when=None, due=None).at(1, core.accept, ALICE).at(5, core.deliver, ALICE, note="x")
    story.at(6, core.request_changes, OWNER, reason="Not what I meant")
    lines = story.lines(now_hours=10)
    assert [line.kind for line in lines] == [K.OUTCOME_MISSING, K.DUE_MISSING, K.CHANGES_REQUESTED]
    assert lines[2] == FaultLine(K.CHANGES_REQUESTED, ALICE, h(6), hours(4), reasons=("Not what I meant",))
    assert largest_fault(lines) == FaultLine(K.OUTCOME_MISSING, OWNER, NOW, hours(10))


def test_a_mixed_handoff_in_the_order_things_started() -> None:
    story = History(done_when="make it better").at(40, core.reassign, OWNER, new_assignee=BOB)
    story.at(41, core.accept, BOB).at(42, core.ask, BOB, question="Better how?")
    story.at(54, core.answer, OWNER, text="Faster").at(70, core.deliver, BOB, note="Done")
    story.at(71, core.request_changes, OWNER, reason="Still slow").at(80, core.deliver, BOB, note="Faster")
    lines = story.lines(now_hours=90)
    assert lines == (
        FaultLine(K.OUTCOME_VAGUE, OWNER, NOW, hours(90)),
        FaultLine(K.OFFER_NOT_ACCEPTED, ALICE, NOW, hours(40)),
        FaultLine(K.REASSIGNED, ALICE, NOW, hours(40), to_id=BOB),
        FaultLine(K.QUESTION_OPEN, OWNER, h(42), hours(12)),
        FaultLine(K.DELIVERED_LATE, BOB, DUE, hours(32)),
        FaultLine(K.CHANGES_REQUESTED, BOB, h(71), hours(9), reasons=("Still slow",)),
    )
    assert largest_fault(lines) == lines[0]


def test_largest_fault_breaks_ties_by_count_then_duration() -> None:
    short, long = FaultLine(K.OVERDUE, ALICE, NOW, hours(1)), FaultLine(K.OVERDUE, BOB, NOW, hours(9))
    twice = FaultLine(K.CHANGES_REQUESTED, ALICE, NOW, hours(1), count=2)
    once = FaultLine(K.CHANGES_REQUESTED, BOB, NOW, hours(9))
    assert largest_fault([short, long]) == long
    assert largest_fault([once, twice, long]) == twice
    assert largest_fault([]) is None


def test_tallies_per_owner_and_assignee_share_of_reworked_tasks_without_a_clear_outcome() -> None:
    unclear = History(done_when=None).at(1, core.accept, ALICE).at(5, core.deliver, ALICE, note="x")
    unclear.at(6, core.request_changes, OWNER, reason="No").at(9, core.deliver, ALICE, note="y")
    clear_rework = History().at(1, core.accept, ALICE).at(5, core.deliver, ALICE, note="x")
    clear_rework.at(6, core.request_changes, OWNER, reason="Typo").at(9, core.deliver, ALICE, note="y")
    fine = delivered_on_time(History().at(1, core.accept, ALICE))
    late = History().at(1, core.accept, ALICE).at(60, core.deliver, ALICE, note="x")
    cases = [(s.task, s.lines(now_hours=70)) for s in (unclear, clear_rework, fine, late)]

    owner = tally(cases, as_owner=True)[OWNER]
    assignee = tally(cases, as_owner=False)[ALICE]

    assert (owner.tasks, owner.went_wrong, owner.reworked, owner.reworked_unclear) == (4, 3, 2, 1)
    assert owner.reworked_unclear_share == 0.5
    assert owner.faults == {K.OUTCOME_MISSING: 1, K.CHANGES_REQUESTED: 2, K.DELIVERED_LATE: 1}
    assert owner.held == {K.OUTCOME_MISSING: 1}
    assert assignee.held == {K.CHANGES_REQUESTED: 2, K.DELIVERED_LATE: 1}
    assert tally([(fine.task, ())], as_owner=True)[OWNER].reworked_unclear_share is None


def test_each_tally_names_its_person() -> None:
    fine = delivered_on_time(History().at(1, core.accept, ALICE))
    cases = [(fine.task, fine.lines(now_hours=40))]
    assert [t.person_id for t in tally(cases, as_owner=True).values()] == [OWNER]
    assert [t.person_id for t in tally(cases, as_owner=False).values()] == [ALICE]
