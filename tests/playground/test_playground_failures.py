"""When part of the playground fails: the page keeps what it had and says what went wrong."""

from __future__ import annotations

from typing import Any

import pytest

from bot.playground import control
from tests.playground.conftest import ALICE, OLIVIA, PageClient, plain

DELEGATE = "/delegate @Alice Ship the report | due: today 5pm"


def test_a_workspace_that_fails_to_start_leaves_the_old_one_serving(
    page: PageClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.type(OLIVIA, DELEGATE)
    page.type(OLIVIA, "/delegate")
    form = page.state(OLIVIA)["modal"]
    real_world = control.World
    tries: list[int] = []

    def fails_once(**kwargs: Any) -> control.World:
        tries.append(1)
        if len(tries) == 1:
            raise RuntimeError("the embedded Slack did not start")
        return real_world(**kwargs)

    monkeypatch.setattr(control, "World", fails_once)

    failed = page.post("/api/reset", {})

    assert failed.status == 500
    state = page.state(OLIVIA)  # the old workspace still answers, as it was
    assert "T-1" in plain(state["messages"][-1]) and state["modal"]["id"] == form["id"]
    assert "Ship the report" in plain(page.messages(ALICE)[-1])
    page.type(OLIVIA, "/delegate @Alice Book the venue")
    assert "T-2" in plain(page.messages(OLIVIA)[-1])

    page.ok("/api/reset", {})  # a later reset works

    assert page.state(OLIVIA)["messages"] == [] and page.state(OLIVIA)["modal"] is None
    page.type(OLIVIA, DELEGATE)
    assert "T-1" in plain(page.messages(OLIVIA)[-1])


def test_a_form_the_bot_fails_to_answer_stays_open_and_the_page_hears_why(page: PageClient) -> None:
    page.type(OLIVIA, "/delegate")
    form = page.state(OLIVIA)["modal"]
    assert page.playground is not None
    requests = page.playground.world.requests
    secret, requests.signing_secret = requests.signing_secret, "not-the-bots-secret"  # the bot answers 401
    values = {"assignees": [ALICE], "title": "Book the venue"}

    refused = page.ok("/api/submit", {"as": OLIVIA, "view_id": form["id"], "values": values})

    assert refused["ok"] is False and refused["status"] == 401
    assert page.state(OLIVIA)["modal"]["id"] == form["id"]  # still open, to try again
    assert page.messages(ALICE) == []

    requests.signing_secret = secret
    assert page.ok("/api/submit", {"as": OLIVIA, "view_id": form["id"], "values": values})["ok"] is True
    assert page.state(OLIVIA)["modal"] is None
    assert "Book the venue" in plain(page.messages(ALICE)[-1])
