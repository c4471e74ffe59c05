"""The owner hands off a task from the page: typed on one line, or through the form."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.workspace_page import BOB, HANDOFF, ONLY_YOU, OWNER, Workspace


def test_the_owner_delegates_with_one_typed_line(workspace: Workspace) -> None:
    workspace.become(OWNER)
    workspace.open(HANDOFF)
    workspace.send("/delegate @Alice Write the launch note | done when: the draft is in the doc | due: fri")

    receipt = workspace.message("Handed off")
    expect(receipt).to_contain_text(ONLY_YOU)
    expect(receipt).to_contain_text("Write the launch note")
    expect(receipt).to_contain_text("@Alice")  # the mention, shown by name


def test_the_owner_delegates_through_the_form(workspace: Workspace) -> None:
    workspace.become(OWNER)
    workspace.open(HANDOFF)
    workspace.send("/delegate")

    form = workspace.modal("Hand off a task")
    form.get_by_label("Who should do it?").select_option(label=BOB)
    form.get_by_label("Task").fill("Book the venue for the offsite")
    form.get_by_label("Done when").fill("Contract signed and the date in the team calendar")
    form.get_by_label(re.compile(r"^Due\b")).fill("friday")  # not "Done when"
    workspace.submit(form, "Hand off")

    receipt = workspace.message("Handed off")  # a form has no reply of its own: the receipt comes by DM
    expect(receipt).to_contain_text("Book the venue for the offsite")
    expect(receipt).to_contain_text("@Bob")
