"""PostgreSQL lost while a message is on its way to Slack: it goes out once, and is recorded
as soon as the database is back (the outcome waits in the sender's memory, not for a lease)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from storage.db import Database
from tests.fakes.db_proxy import DatabaseProxy
from tests.postgres_schema import empty_every_table
from tests.scenarios.conftest import ALICE, OWNER, Story

POSTGRES = ("127.0.0.1", 5432)


@pytest.fixture
def direct_url(postgres_schema_url: str) -> str:
    return postgres_schema_url


@pytest.fixture
def proxy() -> Iterator[DatabaseProxy]:
    with DatabaseProxy(POSTGRES) as proxy:
        yield proxy


@pytest.fixture
def scenario_db(proxy: DatabaseProxy, direct_url: str) -> Iterator[Database]:
    """The bot reaches PostgreSQL through the proxy; the test looks at it directly."""
    host = f"{POSTGRES[0]}:{POSTGRES[1]}"
    assert host in direct_url, "the test database is expected on the default address"
    db = Database.from_url(direct_url.replace(host, f"127.0.0.1:{proxy.port}"))
    yield db
    db.engine.dispose()
    engine = create_engine(direct_url)
    empty_every_table(engine)
    engine.dispose()


def outbox(url: str) -> list[tuple[str, str | None]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            # Home tab refreshes aside: this is about the card.
            rows = connection.execute(text("SELECT status, ts FROM outbox WHERE kind != 'home'"))
            return [(row[0], row[1]) for row in rows]
    finally:
        engine.dispose()


def test_a_database_cut_mid_send_sends_once_and_records_it_when_back(
    timed_story: Story, proxy: DatabaseProxy, direct_url: str
) -> None:
    story = timed_story  # the sender tries again on its own once a round failed, as in production
    slow = story.slack.hold_next("chat.postMessage")
    story.requests.command("/delegate", user=OWNER, text=f"<@{ALICE}> Ship it | done when: PDF sent")
    assert slow.arrived.wait(5)
    proxy.cut()
    slow.release.set()
    [card] = story.slack.wait_for(lambda: story.slack.messages_to(ALICE))  # Slack posted it
    assert outbox(direct_url) == [("sending", None)]  # the outcome cannot be written yet

    proxy.restore()
    # Written by the sender's own next round, without a new request to wake it.
    story.slack.wait_for(lambda: outbox(direct_url) == [("sent", card.ts)], timeout=5)
    story.settle()
    assert len(story.slack.calls_to("chat.postMessage")) == 1
    assert len(story.slack.messages_to(ALICE)) == 1
