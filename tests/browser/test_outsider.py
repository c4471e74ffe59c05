"""Someone outside a task presses its button: refused, privately, and nothing changes.

An outsider never sees a task's offer (it is the assignee's DM); what they do see is the daily
summary in #ops, with a button on each task's line.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.workspace_page import BOB, HANDOFF, ONLY_YOU, OPS, OUTSIDER, OWNER, Workspace

TASK = "Renew the domain"


def test_an_outsider_pressing_a_tasks_button_is_refused_only_to_them(workspace: Workspace) -> None:
    workspace.become(OWNER)
    workspace.open(HANDOFF)
    workspace.send(f"/delegate @Bob {TASK} | done when: renewed for two years | due: fri")
    workspace.message("Handed off")
    workspace.clock("Next working morning")
    workspace.become(BOB)
    workspace.open(HANDOFF)
    workspace.message(TASK)
    bob_had = workspace.messages().count()

    workspace.become(OUTSIDER)
    workspace.open(OPS)
    workspace.press("Nudge now", on=TASK)
    refusal = workspace.message("who delegated T-1")
    expect(refusal).to_contain_text(ONLY_YOU)

    workspace.become(BOB)
    workspace.open(HANDOFF)
    workspace.message(TASK)
    expect(workspace.messages()).to_have_count(bob_had)  # no nudge went to Bob
