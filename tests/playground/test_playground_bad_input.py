"""What the playground's API answers to requests it cannot act on: 400, and what to send instead.

Nothing is half-done: a refused request leaves the workspace as it was.
"""

from __future__ import annotations

import pytest

from tests.playground.conftest import ALICE, OLIVIA, PageClient


@pytest.mark.parametrize(
    ("path", "body", "says"),
    [
        ("/api/command", {"as": "UNOBODY", "text": "/tasks"}, "Send 'as' as one of the workspace's people"),
        ("/api/command", {"as": OLIVIA}, "Send 'text'"),
        ("/api/command", {"as": OLIVIA, "text": "hello there"}, "send text starting with /delegate"),
        ("/api/command", {"as": OLIVIA, "text": "/tasks", "conversation": "general"}, "one of home, dm, ops"),
        (
            "/api/command",
            {"as": OLIVIA, "text": "/tasks", "conversation": "home"},
            "conversation 'dm' or 'ops'",
        ),
        ("/api/action", {"as": OLIVIA, "block_id": "b", "action_id": "a"}, "Send 'message'"),
        ("/api/action", {"as": OLIVIA, "message": "1.2"}, "Send 'block_id'"),
        ("/api/submit", {"as": OLIVIA, "view_id": "V404"}, "is not the form open for UOLIVIA"),
        ("/api/clock", {"advance": "1y"}, "one of '1h', '1d', 'morning'"),
        ("/api/clock", {}, "Send 'advance'"),
        ("/api/command", b"not json", "Send a JSON object"),
        ("/api/nothing", {}, "POST to one of"),
    ],
)
def test_bad_input_gets_400_saying_what_to_send(page: PageClient, path: str, body: object, says: str) -> None:
    before = page.state(OLIVIA)["version"]

    answer = page.post(path, body)

    assert answer.status in (400, 404)
    assert says in answer.json["error"]
    assert page.state(OLIVIA)["version"] == before  # nothing happened


def test_state_needs_a_known_person(page: PageClient) -> None:
    answer = page.get("/api/state?as=UNOBODY")
    assert answer.status == 400 and "UOLIVIA (Olivia)" in answer.json["error"]
    assert page.get("/api/state").status == 400


def test_pressing_an_element_that_is_not_there_is_refused(page: PageClient) -> None:
    page.type(OLIVIA, "/delegate @Alice Ship the report")
    offer = page.messages(ALICE)[-1]

    answer = page.post(
        "/api/action", {"as": ALICE, "message": offer["ts"], "block_id": "nope", "action_id": "task_accept:1"}
    )

    assert answer.status == 400 and "No element 'task_accept:1' in block 'nope'" in answer.json["error"]


def test_a_form_value_the_field_does_not_offer_is_refused_before_the_bot_sees_it(page: PageClient) -> None:
    page.type(OLIVIA, "/delegate")
    modal = page.state(OLIVIA)["modal"]
    values = {"assignees": [ALICE], "title": "Book the venue", "every": "every full moon"}

    answer = page.post("/api/submit", {"as": OLIVIA, "view_id": modal["id"], "values": values})

    assert answer.status == 400 and "not offered" in answer.json["error"]
    assert page.state(OLIVIA)["modal"]["id"] == modal["id"]  # still open, as typed
    assert page.messages(ALICE) == []
