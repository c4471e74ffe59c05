"""The request path: Slack is answered before any look-up, forms keep what was typed, and
requests without anything to tell a retry by are never taken for one another."""

from __future__ import annotations

import json
import subprocess
import threading
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from bot import process_ids
from bot.app import create_handoff
from bot.core.tasks import Status
from bot.playground.slack.fake_slack import FakeSlack
from bot.playground.slack.slack_requests import VERIFICATION_TOKEN, Reply
from bot.playground.slack.view_state import state_values
from bot.services import delegation, lifecycle
from bot.slack import durable
from bot.slack.errors import BUSY_TEXT
from bot.slack.ids import Field
from storage import inbox
from storage import repositories as repo
from storage.db import Database
from tests.scenarios.conftest import (
    ALICE,
    BOB,
    MALLORY,
    OTHER_BOT,
    OWNER,
    Story,
    both_databases,
    settings_for,
)

TASK = f"<@{ALICE}> Ship the Q3 report | done when: PDF sent to the board | due: friday"


def test_the_form_is_answered_before_a_slow_lookup_and_the_owner_hears_of_a_bot(story: Story) -> None:
    story.delegate(TASK)  # Alice and the owner are known from now on; the bot is not
    story.command("/delegate", user=OWNER)
    slow_lookup = story.slack.hold_next("users.info")  # answered only when the test says so
    reply = story.requests.submit_view(
        story.slack.last_view(),
        user=OWNER,
        fields={"assignees": [ALICE, OTHER_BOT], "title": "Book the venue", "due": "friday"},
    )
    assert reply.status == 200 and reply.json is None  # the form closed while the look-up waited
    assert slow_lookup.arrived.wait(timeout=5)
    slow_lookup.release.set()
    story.settle()
    assert [c.args["user"] for c in story.slack.calls_to("users.info")][-1] == OTHER_BOT
    venue = story.task(2)
    assert venue is not None and venue.assignee_id == ALICE and venue.title == "Book the venue"
    assert story.task(3) is None  # nothing was offered to the bot
    assert story.slack.messages_to(OTHER_BOT) == []
    told = [m.plain_text() for m in story.dms(OWNER)]
    assert any(f"<@{OTHER_BOT}> is a bot" in text and "No task was offered" in text for text in told), told
    assert any("Handed off" in text and "T-2" in text for text in told), told


def test_a_form_naming_only_a_bot_hands_off_nothing_and_says_so(story: Story) -> None:
    story.command("/delegate", user=OWNER)
    story.submit(story.slack.last_view(), user=OWNER, assignees=[OTHER_BOT], title="Deploy")
    assert story.task(1) is None
    assert f"<@{OTHER_BOT}> is a bot" in story.dm(OWNER).plain_text()
    assert _inbox_rows(story) == []


def test_the_reassign_form_is_answered_before_looking_the_new_assignee_up(story: Story) -> None:
    story.delegate(TASK)
    story.click(story.offer(ALICE), "Decline", user=ALICE)
    story.submit(story.slack.last_view(), user=ALICE, text="Busy this week")
    story.click(story.dm(OWNER), "Reassign", user=OWNER)
    slow_lookup = story.slack.hold_next("users.info")
    reply = story.requests.submit_view(story.slack.last_view(), user=OWNER, fields={"assignee": BOB})
    assert reply.status == 200  # the form closed while the look-up waited
    assert slow_lookup.arrived.wait(timeout=5)
    slow_lookup.release.set()
    story.settle()
    task = story.task(1)
    assert task is not None and task.assignee_id == BOB and task.status is Status.AWAITING_ACCEPTANCE
    assert "now offered to" in story.dm(OWNER).plain_text()


# --- retry keys -------------------------------------------------------------------------


def bare_command(story: Story, *, user: str, text: str) -> Reply:
    """A slash command with no trigger_id and no response_url (as some proxies forward them)."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": story.slack.team_id,
        "channel_id": "C0GENERAL",
        "user_id": user,
        "command": "/delegate",
        "text": text,
    }
    body = urlencode(fields).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        **story.requests.signed_headers(body),
    }
    reply = story.requests.post_raw(body, headers)
    story.settle()
    return reply


def test_requests_with_nothing_to_tell_a_retry_by_are_never_taken_for_each_other(story: Story) -> None:
    bare_command(story, user=OWNER, text=f"<@{ALICE}> Owner's secret plan | due: friday")
    # The same assignee: a key without the person who typed would make this a retry of the first.
    bare_command(story, user=MALLORY, text=f"<@{ALICE}> Mallory's errand | due: friday")
    first, second = story.task(1), story.task(2)
    assert first is not None and (first.owner_id, first.title) == (OWNER, "Owner's secret plan")
    assert second is not None and (second.owner_id, second.title) == (MALLORY, "Mallory's errand")
    # Each owner's receipt (a DM, as there is no response_url) names their own task only.
    assert "T-2" in story.dm(MALLORY).plain_text() and "secret plan" not in story.dm(MALLORY).plain_text()


def test_the_same_trigger_from_another_person_is_not_a_retry(story: Story) -> None:
    story.command("/delegate", user=OWNER, text=TASK, trigger_id="trig-shared")
    story.command("/delegate", user=MALLORY, text=f"<@{ALICE}> Mallory's errand", trigger_id="trig-shared")
    second = story.task(2)
    assert second is not None and second.owner_id == MALLORY


# --- forms keep what was typed --------------------------------------------------------


@pytest.mark.parametrize("failing", ["checking", "keeping"])
def test_a_form_that_fails_unexpectedly_stays_open_with_the_error(
    story: Story, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    def database_blip(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("INSERT INTO inbox", {}, ConnectionError("database went away"))

    story.command("/delegate", user=OWNER)
    if failing == "checking":
        monkeypatch.setattr(delegation, "check_locally", database_blip)
    else:
        monkeypatch.setattr(durable, "keep", database_blip)
    reply = story.submit(story.slack.last_view(), user=OWNER, assignees=[ALICE], title="Ship it")
    assert reply.json["response_action"] == "errors"
    [(field, error)] = reply.json["errors"].items()
    assert field == "assignees" and "error id" in error and "try again" in error
    assert story.task(1) is None


def test_a_step_form_that_fails_unexpectedly_stays_open_with_the_error(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    story.delegate(TASK)
    story.click(story.offer(ALICE), "Decline", user=ALICE)
    monkeypatch.setattr(lifecycle, "decline_task", lambda *a, **k: 1 / 0)
    reply = story.submit(story.slack.last_view(), user=ALICE, text="Busy this week")
    assert reply.json["response_action"] == "errors"
    assert "error id" in reply.json["errors"][Field.TEXT]
    assert story.task(1).status is Status.AWAITING_ACCEPTANCE  # type: ignore[union-attr]


def submit_past_the_client(story: Story, view: dict[str, Any], *, user: str, **fields: Any) -> Reply:
    """Submit values the Slack client would not let through (its max_length is not a guarantee)."""
    short = {name: (value if isinstance(value, list) else "x") for name, value in fields.items()}
    values = state_values(view, short)
    for name, value in fields.items():
        if not isinstance(value, list):
            values[name][name]["value"] = value  # each input is named after its field
    reply = story.requests.view_submission(view, user=user, values=values)
    story.settle()
    return reply


@pytest.mark.parametrize(
    ("field", "value", "limit"),
    [("title", "x" * 40_000, 150), ("done_when", "y" * 1001, 1000), ("due", "z" * 101, 100)],
)
def test_the_form_keeps_the_commands_length_limits(story: Story, field: str, value: str, limit: int) -> None:
    story.command("/delegate", user=OWNER)
    fields: dict[str, Any] = {"assignees": [ALICE], "title": "Ship it", field: value}
    reply = submit_past_the_client(story, story.slack.last_view(), user=OWNER, **fields)
    assert reply.json["response_action"] == "errors"
    assert f"the limit is {limit}" in reply.json["errors"][field]
    assert story.task(1) is None


def test_the_service_keeps_the_limits_whatever_the_form_declares(story: Story) -> None:
    story.command("/delegate", user=OWNER)
    form = story.slack.last_view()
    for block in form["blocks"]:  # a form whose boxes declare no limit at all
        block.get("element", {}).pop("max_length", None)
    reply = submit_past_the_client(story, form, user=OWNER, assignees=[ALICE], title="x" * 40_000)
    assert "the limit is 150" in reply.json["errors"]["title"]
    assert story.task(1) is None


def test_a_step_forms_text_keeps_its_limit(story: Story) -> None:
    story.delegate(TASK)
    story.click(story.offer(ALICE), "Ask a question", user=ALICE)
    reply = submit_past_the_client(story, story.slack.last_view(), user=ALICE, text="?" * 3001)
    assert "the limit is 3000" in reply.json["errors"][Field.TEXT]
    assert story.history(1) == ["created"]


def _inbox_rows(story: Story) -> list[Any]:
    from sqlmodel import select

    from storage.models import InboxRequest

    with story.handoff.runtime.db.session_scope(write=False) as session:
        return list(session.exec(select(InboxRequest)).all())


# --- the work of a warm /delegate ------------------------------------------------------


def test_a_warm_delegation_writes_once_for_the_change_and_its_messages(story: Story) -> None:
    story.delegate(f"<@{ALICE}> <@{BOB}> Ship the report | done when: PDF sent to the board | due: friday")
    transactions: list[str] = []

    def count(connection: Any) -> None:
        if threading.current_thread().name.startswith("listener"):  # not the outbox sender's
            read_only = connection.get_execution_options().get("handoff_read_only")
            transactions.append("read" if read_only else "write")

    engine = story.handoff.runtime.db.engine
    event.listen(engine, "begin", count)
    try:
        story.delegate(
            f"<@{ALICE}> <@{BOB}> Book the venue | done when: PDF of the signed contract filed | due: friday"
        )
    finally:
        event.remove(engine, "begin", count)
    assert story.task(3) is not None and story.task(4) is not None
    # Everyone's profile was read before: tasks, history and messages at once; no inbox row.
    assert transactions == ["write"]


def test_a_warm_delegation_is_committed_before_slack_hears_back(story: Story) -> None:
    story.delegate(TASK)  # the owner and Alice are cached from now on
    reply = story.requests.command("/delegate", user=OWNER, text=f"<@{ALICE}> Book the venue")
    task = story.task(2)  # read as soon as the answer is in, before the listener is done
    assert reply.status == 200 and task is not None and task.title == "Book the venue"
    story.settle()
    assert _inbox_rows(story) == []
    assert "Handed off" in story.ephemeral(OWNER).plain_text()


def test_a_warm_delegation_retried_by_slack_creates_nothing_twice(story: Story) -> None:
    story.delegate(TASK)
    first = story.command("/delegate", user=OWNER, text=f"<@{ALICE}> Book the venue", trigger_id="trig-venue")
    again = story.command("/delegate", user=OWNER, text=f"<@{ALICE}> Book the venue", trigger_id="trig-venue")
    assert first.status == again.status == 200
    assert story.task(2) is not None and story.task(3) is None
    assert len([m for m in story.dms(ALICE) if "Book the venue" in m.plain_text()]) == 1


def test_a_bug_after_the_ack_is_told_and_kept_aside_not_retried(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(delegation, "delegate", broken)
    story.delegate(TASK)
    assert "error id" in story.ephemeral(OWNER).plain_text()
    [kept] = _inbox_rows(story)
    assert kept.status == "failed" and kept.error_id and kept.error_id in story.ephemeral(OWNER).plain_text()
    assert (
        durable.resume(story.handoff.runtime) == 0
    )  # they were told to try again: not done behind their back
    assert story.task(1) is None


def _keep_request(story: Story, *, key: str, claim: str) -> None:
    """A /delegate kept in the inbox by the process named in ``claim``, never carried out."""
    payload: dict[str, Any] = {
        "team_id": story.slack.team_id, "user_id": OWNER, "text": TASK, "response_url": None,
        "request_key": key,
    }  # fmt: skip
    with story.handoff.runtime.db.session_scope() as session:
        inbox.record(
            session, team_id=story.slack.team_id, request_key=key, kind="delegate_command",
            payload=json.dumps(payload), now=story.clock.now, claim=claim,
        )  # fmt: skip


def _holder_of(process: subprocess.Popen[bytes]) -> str:
    return f"{process_ids.HOST}:{process.pid}:0badf00d"


def test_a_request_cut_short_is_done_by_the_next_start(story: Story) -> None:
    ended = subprocess.Popen(["true"])
    ended.wait()
    _keep_request(story, key="cmd:left-by-a-dead-process", claim=_holder_of(ended))
    assert durable.resume(story.handoff.runtime) == 1
    story.settle()
    assert story.task(1) is not None and "T-1" in story.offer(ALICE).plain_text()
    assert "Handed off" in story.dm(OWNER).plain_text()  # no response_url kept: the receipt comes by DM
    assert _inbox_rows(story) == [] and durable.resume(story.handoff.runtime) == 0


def test_a_request_a_running_sibling_is_doing_is_left_to_it(story: Story) -> None:
    sibling = subprocess.Popen(["sleep", "30"])
    try:
        _keep_request(story, key="cmd:in-hand-elsewhere", claim=_holder_of(sibling))
        assert durable.resume(story.handoff.runtime) == 0
        assert story.task(1) is None and len(_inbox_rows(story)) == 1
    finally:
        sibling.kill()
        sibling.wait()
    assert durable.resume(story.handoff.runtime) == 1  # once it is gone, the request is done


def test_a_request_kept_on_another_host_is_taken_over_after_the_lease(story: Story) -> None:
    elsewhere = "0ther0st:4242:0badf00d"
    _keep_request(story, key="cmd:recent-elsewhere", claim=elsewhere)
    assert durable.resume(story.handoff.runtime) == 0
    story.clock.advance(seconds=durable.OTHER_HOST_LEASE.total_seconds() + 1)
    assert durable.resume(story.handoff.runtime) == 1


@both_databases
def test_the_workspace_counter_is_taken_last(story: Story) -> None:
    """The counter's row lock serialises a workspace's delegations: it is held for nothing else."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if threading.current_thread().name.startswith("listener"):
            statements.append(" ".join(statement.split()[:3]).upper())

    engine = story.handoff.runtime.db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        story.delegate(f"<@{ALICE}> <@{BOB}> Ship the report | done when: PDF sent to the board | due: fri")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    counter = max(i for i, s in enumerate(statements) if "TEAM_COUNTERS" in s)
    assert any(s.startswith("INSERT INTO OUTBOX") for s in statements[:counter])
    assert statements[counter + 1 :] == ["UPDATE TASKS SET"] * 2, statements
    numbered = [story.task(1), story.task(2)]
    assert [t.assignee_id for t in numbered if t] == [ALICE, BOB]
    assert numbered[1] is not None and numbered[1].linked_to == 1


def test_the_date_parser_is_loaded_when_the_bot_is_built(
    slack: FakeSlack, scenario_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its first use costs a quarter of a second: no request pays it, not even the first."""
    warmed: list[bool] = []
    monkeypatch.setattr(delegation, "warm_up", lambda: warmed.append(True))
    create_handoff(settings_for(slack, str(scenario_db.engine.url)), db=scenario_db)
    assert warmed == [True]


def test_a_command_that_cannot_write_in_time_is_answered_busy_not_left_unacked(story: Story) -> None:
    story.delegate(TASK)  # everyone cached: the next /delegate writes before its ack
    db = story.handoff.runtime.db
    with db.session_scope() as session:  # another writer holds the database throughout
        repo.next_task_number(session, team_id="TOTHER")
        reply = story.requests.command("/delegate", user=OWNER, text=f"<@{ALICE}> Book the venue")
        assert reply.status == 200  # answered within Slack's 3 s: the bound gave up first
    story.settle()
    assert story.task(2) is None and _inbox_rows(story) == []
    assert BUSY_TEXT in story.ephemeral(OWNER).plain_text()
    story.delegate(f"<@{ALICE}> Book the venue")  # sent again once the database is free: done
    assert story.task(2) is not None


def test_a_form_that_cannot_be_kept_in_time_stays_open_saying_busy(story: Story) -> None:
    story.delegate(TASK)
    story.command("/delegate", user=OWNER)
    form = story.slack.last_view()
    with story.handoff.runtime.db.session_scope() as session:  # another writer holds the database
        repo.next_task_number(session, team_id="TOTHER")
        reply = story.requests.submit_view(
            form, user=OWNER, fields={"assignees": [ALICE], "title": "Book the venue"}
        )
    story.settle()
    assert reply.status == 200 and reply.json is not None and reply.json["response_action"] == "errors"
    assert "Handoff is busy" in json.dumps(reply.json["errors"])  # what was typed stays on the form
    assert story.task(2) is None and _inbox_rows(story) == []
