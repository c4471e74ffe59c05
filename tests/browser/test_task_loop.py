"""The whole loop in the browser: the assignee accepts, reports and delivers; the owner sends it
back with a reason, then approves the second delivery."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.workspace_page import ALICE, HANDOFF, OWNER, Workspace

TASK = "Write the launch note"


def test_accept_report_deliver_request_changes_then_approve(workspace: Workspace) -> None:
    workspace.become(OWNER)
    workspace.open(HANDOFF)
    workspace.send(f"/delegate @Alice {TASK} | done when: the draft is in the doc | due: friday")
    workspace.message("Handed off")

    workspace.become(ALICE)
    workspace.open(HANDOFF)
    workspace.press("Accept", on=TASK)
    card = workspace.message("Status: in progress")  # the offer, updated in place
    expect(card).to_contain_text(TASK)
    expect(card.get_by_role("button", name="Deliver", exact=True)).to_be_visible()

    workspace.send("/report T-1 outline written 40%")
    expect(workspace.message("Progress on T-1 sent")).to_be_visible()
    workspace.send("/report T-1 done first draft in the doc")
    expect(workspace.message("T-1 delivered")).to_be_visible()

    workspace.become(OWNER)
    workspace.open(HANDOFF)
    expect(workspace.message("outline written")).to_be_visible()  # the progress report reached her
    workspace.press("Request changes", on="delivered")
    form = workspace.modal("Request changes")
    form.get_by_label("What needs to change?").fill("Add the pricing table")
    workspace.submit(form, "Send back")
    expect(workspace.message("went back to")).to_be_visible()

    workspace.become(ALICE)
    workspace.open(HANDOFF)
    expect(workspace.message("Add the pricing table")).to_be_visible()
    workspace.press("Deliver", on=TASK)
    delivery = workspace.modal("Deliver")
    delivery.get_by_label("What are you delivering?").fill("Pricing table added")
    workspace.submit(delivery, "Deliver")

    workspace.become(OWNER)
    workspace.open(HANDOFF)
    workspace.press("Approve", on="Pricing table added")
    expect(workspace.message("Approved T-1")).to_be_visible()  # the notice, its buttons replaced

    workspace.become(ALICE)
    workspace.open(HANDOFF)
    expect(workspace.message("approved your delivery")).to_be_visible()
