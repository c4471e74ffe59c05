"""Time moves when a person presses the clock: an overdue task is chased, and the next working
morning brings the daily summary to #ops."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.workspace_page import ALICE, HANDOFF, OPS, OWNER, Workspace

TASK = "Send the invoice"


def test_past_the_due_time_a_nudge_then_next_morning_the_summary(workspace: Workspace) -> None:
    workspace.become(OWNER)
    workspace.open(HANDOFF)
    # The playground's day starts at 10:00 in the owner's timezone, a working day.
    workspace.send(f"/delegate @Alice {TASK} | done when: the client has the invoice | due: today 1pm")
    workspace.message("Handed off")
    workspace.become(ALICE)
    workspace.open(HANDOFF)
    workspace.press("Accept", on=TASK)
    expect(workspace.message("Status: in progress")).to_contain_text(TASK)  # the card, updated in place

    for _ in range(4):  # 14:00: an hour past due
        workspace.clock("Advance 1 hour")
    nudge = workspace.message("late")
    expect(nudge).to_contain_text(TASK)

    workspace.clock("Next working morning")
    workspace.open(OPS)
    summary = workspace.message("Handoff daily summary")
    expect(summary).to_contain_text(TASK)
