"""The whole delegation loop in the playground, each step as the person whose turn it is.

Forms opened by a button (Deliver, Request changes) open on that person's screen only.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.playground.slack.interaction_payloads import AUTO_BLOCK_ID
from tests.playground.conftest import ALICE, OLIVIA, PageClient, find_button, plain


def card_with(page: PageClient, user: str, label: str) -> dict[str, Any]:
    """The latest message in the user's DM that offers ``label``."""
    for message in reversed(page.messages(user)):
        try:
            find_button(message, label)
        except AssertionError:
            continue
        return message
    raise AssertionError(f"no message offers {label!r} to {user}")


def fill_in(page: PageClient, user: str, values: dict[str, Any]) -> dict[str, Any]:
    modal = page.state(user)["modal"]
    assert modal is not None, f"no form is open for {user}"
    return page.ok("/api/submit", {"as": user, "view_id": modal["id"], "values": values})


def test_report_deliver_request_changes_and_approve(page: PageClient) -> None:
    page.type(OLIVIA, "/delegate @Alice Ship the report | done when: PDF sent to the board | due: friday")
    page.press(ALICE, card_with(page, ALICE, "Accept"), "Accept")
    page.type(ALICE, "/report T-1 drafted the intro 40%")
    assert "40%" in plain(page.messages(OLIVIA)[-1])

    page.press(ALICE, card_with(page, ALICE, "Deliver"), "Deliver")
    assert page.state(OLIVIA)["modal"] is None
    assert fill_in(page, ALICE, {"text": "PDF is in the shared folder"})["ok"] is True

    page.press(OLIVIA, card_with(page, OLIVIA, "Request changes"), "Request changes")
    assert page.state(OLIVIA)["modal"]["title"] == "Request changes"
    assert fill_in(page, OLIVIA, {"text": "Add the appendix"})["ok"] is True
    assert "Add the appendix" in plain(page.messages(ALICE)[-1])

    page.press(ALICE, card_with(page, ALICE, "Deliver"), "Deliver")
    fill_in(page, ALICE, {"text": "Appendix added"})
    page.press(OLIVIA, card_with(page, OLIVIA, "Approve"), "Approve")

    assert "approved" in plain(page.messages(ALICE)[-1]).lower()
    assert page.state(OLIVIA)["modal"] is None and page.state(ALICE)["modal"] is None


def test_a_double_click_hands_nothing_over_twice(page: PageClient) -> None:
    page.type(OLIVIA, "/delegate @Alice Ship the report")
    offer = card_with(page, ALICE, "Accept")

    page.press(ALICE, offer, "Accept")
    page.press(ALICE, offer, "Accept")  # the page still showed the old card

    told = [m for m in page.messages(OLIVIA) if not m["ephemeral"]]
    assert len(told) == 1 and "accepted" in plain(told[0]).lower()


def test_accepting_from_the_home_tab(page: PageClient) -> None:
    page.type(OLIVIA, "/delegate @Alice Ship the report | due: friday")
    page.ok("/api/open", {"as": ALICE, "conversation": "home"})
    home = page.state(ALICE, "home")["home"]
    block, button = find_button(home, "Accept")

    page.ok(
        "/api/action", {"as": ALICE, "view": home["id"], "block_id": block, "action_id": button["action_id"]}
    )

    assert "accepted" in plain(page.messages(OLIVIA)[-1]).lower()
    page.ok("/api/open", {"as": ALICE, "conversation": "home"})  # opened again: the bot draws it anew
    with pytest.raises(AssertionError, match="no button 'Accept'"):
        find_button(page.state(ALICE, "home")["home"], "Accept")


def test_snoozing_an_overdue_nudge_from_its_menu(page: PageClient) -> None:
    page.type(OLIVIA, "/delegate @Alice Ship the report | due: today 5pm")
    page.press(ALICE, card_with(page, ALICE, "Accept"), "Accept")
    page.advance("1d")
    nudge = page.messages(ALICE)[-1]
    block, menu = next(
        (b, e) for b in nudge["blocks"] for e in b.get("elements") or [] if e.get("type") == "static_select"
    )
    choice = menu["options"][0]["value"]
    pick = {"as": ALICE, "message": nudge["ts"], "block_id": block.get("block_id", AUTO_BLOCK_ID),
            "action_id": menu["action_id"]}  # fmt: skip

    assert "Send 'selected'" in page.post("/api/action", {**pick, "selected": "forever"}).json["error"]
    page.ok("/api/action", {**pick, "selected": choice})

    assert "snooze" in plain(page.messages(ALICE)[-1]).lower()
