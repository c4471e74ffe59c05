"""The clock's jobs: one sweep and one summary pass, each periodic, never one job per task or channel."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import cast

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.clock import schedule_jobs, summary_job, sweep_job
from bot.config import Settings
from bot.services.runtime import Runtime


def test_the_summaries_run_every_minute_as_one_job_beside_the_sweep() -> None:
    settings = Settings(
        slack_bot_token="xoxb-test", slack_signing_secret="secret", slack_api_url="http://127.0.0.1:9/api/",
        database_url="sqlite://", sweep_every=timedelta(seconds=30),
    )  # fmt: skip
    scheduler = BlockingScheduler()
    schedule_jobs(scheduler, cast(Runtime, SimpleNamespace(settings=settings)))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"sweep", "summaries"}
    assert (jobs["sweep"].func, jobs["summaries"].func) == (sweep_job, summary_job)
    summaries = jobs["summaries"]
    assert summaries.trigger.interval == timedelta(minutes=1)
    assert (summaries.coalesce, summaries.max_instances) == (True, 1)
