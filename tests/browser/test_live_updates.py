"""Two people at once: what one does reaches the other's open page without a reload."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.workspace_page import ALICE, HANDOFF, OWNER, Workspace

TASK = "Order the banners"


def test_the_offer_appears_on_the_assignees_open_page(workspace: Workspace, second_window: Workspace) -> None:
    alice = second_window
    alice.become(ALICE)
    alice.open(HANDOFF)
    expect(alice.messages()).to_have_count(0)

    workspace.become(OWNER)
    workspace.open(HANDOFF)
    workspace.send(f"/delegate @Alice {TASK} | done when: banners delivered to the venue | due: fri")
    workspace.message("Handed off")

    offer = alice.message(TASK)
    expect(offer.get_by_role("button", name="Accept", exact=True)).to_be_visible()
