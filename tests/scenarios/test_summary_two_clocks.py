"""Two clocks, one summary: each channel's day is posted once, however the clocks interleave.

Each clock has its own Database object (its own pool, as another process would) on the
story's database, and both run the summary pass at the same moment.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from bot.services.runtime import Runtime
from bot.services.summary_posts import run_due_summaries
from storage.db import Database
from tests.scenarios.conftest import ALICE, MALLORY, OWNER, Story, both_databases
from tests.scenarios.summary_story import posted_days, subscription

FRIDAY_8_UTC = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
CHANNELS = ["CONE", "CTWO", "CTHREE"]


def second_clock(story: Story) -> Runtime:
    url = story.handoff.runtime.db.engine.url.render_as_string(hide_password=False)
    rt = story.handoff.runtime
    return Runtime(settings=rt.settings, db=Database.from_url(url), gateway=rt.gateway)


@both_databases
def test_two_clocks_racing_post_each_channels_day_once(story: Story) -> None:
    for channel in CHANNELS:
        story.slack.add_channel(channel, members=[OWNER, MALLORY, ALICE])
        story.command("/tasks", user=OWNER, text="summary here 09:00", channel=channel)
    clocks = [second_clock(story), second_clock(story)]
    start = threading.Barrier(len(clocks))

    def run(rt: Runtime) -> int:
        start.wait(timeout=10)
        return run_due_summaries(rt, now=FRIDAY_8_UTC)

    try:
        with ThreadPoolExecutor(max_workers=len(clocks)) as pool:
            queued = list(pool.map(run, clocks))
        assert sum(queued) == len(CHANNELS)
        assert [run_due_summaries(rt, now=FRIDAY_8_UTC.replace(minute=1)) for rt in clocks] == [0, 0]
    finally:
        for rt in clocks:
            rt.db.engine.dispose()

    story.later(seconds=1)  # the app's sender delivers what the clocks queued
    for channel in CHANNELS:
        assert posted_days(story, channel) == ["2026-11-27"]
        moved = subscription(story, channel)
        assert moved is not None and moved.last_posted_on == "2026-11-27"
