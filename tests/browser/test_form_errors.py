"""A form the bot refuses stays open with the bot's words beside the field; fixed, it goes through once."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.workspace_page import ALICE, HANDOFF, OWNER, Workspace

DUE = re.compile(r"^Due\b")  # the label, "(optional)" after it; not "Done when"


def test_a_due_date_in_the_past_is_pointed_out_next_to_the_field(workspace: Workspace) -> None:
    workspace.become(OWNER)
    workspace.open(HANDOFF)
    workspace.send("/delegate")
    form = workspace.modal("Hand off a task")
    form.get_by_label("Who should do it?").select_option(label=ALICE)
    form.get_by_label("Task").fill("Print the badges")
    form.get_by_label(DUE).fill("yesterday")
    form.get_by_role("button", name="Hand off", exact=True).click()

    due_field = form.locator(".bk-input").filter(has=workspace.page.get_by_label(DUE))
    expect(due_field.get_by_role("alert")).to_contain_text("in the past")
    expect(form).to_be_visible()

    form.get_by_label(DUE).fill("friday")
    workspace.submit(form, "Hand off")
    expect(workspace.message("Handed off")).to_contain_text("T-1")  # the refused try made no task
