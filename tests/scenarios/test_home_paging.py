"""A Home tab with more tasks than a view holds (100 blocks): pages with Previous / Next."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.core.tasks import Status
from bot.playground.slack.block_kit_limits import VIEW_FIELDS, view_problems
from tests.scenarios.conftest import ALICE, OWNER, START, Story
from tests.scenarios.home_story import click_home, find_button, home, open_home, seed, text_of

LONG_TITLE = "Quarterly report & <figures> " * 6  # 150 characters of title, with text to escape


def within_limits(view: dict[str, object]) -> bool:
    """What the bot sent (without the fields Slack adds) passes Slack's checks: 100 blocks, 3000 chars…"""
    sent = {key: value for key, value in view.items() if key in VIEW_FIELDS}
    return view_problems(sent, expected_type="home") == []


def page_line(story: Story, user: str) -> str:
    found = re.search(r"Page \d+ of \d+ · \d+ open tasks", text_of(home(story, user)))
    assert found, "no page line"
    return found.group(0)


def test_230_tasks_are_paged_within_the_view_limits(story: Story) -> None:
    for n in range(230):
        status = Status.DELIVERED if n % 3 == 0 else Status.IN_PROGRESS
        seed(story, assignee=ALICE, title=LONG_TITLE[:150], status=status, due_at=START + timedelta(hours=n))

    first = open_home(story, OWNER)
    assert len(first["blocks"]) <= 100 and within_limits(first)
    pages = int(page_line(story, OWNER).split(" of ")[1].split(" ")[0])
    assert page_line(story, OWNER) == f"Page 1 of {pages} · 230 open tasks"
    assert 230 / 48 < pages <= 230 / 40 + 1  # as many tasks per page as the blocks allow
    assert "Previous" not in str(first["blocks"])

    click_home(story, OWNER, "Next")
    second = home(story, OWNER)
    assert page_line(story, OWNER) == f"Page 2 of {pages} · 230 open tasks"
    assert len(second["blocks"]) <= 100 and within_limits(second)
    assert find_button(second, "Previous")["value"] == "1" and find_button(second, "Next")["value"] == "3"

    shown = set(re.findall(r"\*T-(\d+)\*", text_of(first))) | set(re.findall(r"\*T-(\d+)\*", text_of(second)))
    assert len(shown) == 2 * len(re.findall(r"\*T-(\d+)\*", text_of(first)))  # no task on both pages


def test_a_page_past_the_last_shows_the_last(story: Story) -> None:
    for _ in range(60):
        seed(story, assignee=ALICE, status=Status.IN_PROGRESS)
    view = open_home(story, OWNER)
    next_button = find_button(view, "Next")
    story.requests.block_action(
        user=OWNER, action_id=next_button["action_id"], value="99", view=view, text="Next"
    )
    story.settle()
    assert page_line(story, OWNER) == "Page 2 of 2 · 60 open tasks"
    assert "Next" not in str(home(story, OWNER)["blocks"])
