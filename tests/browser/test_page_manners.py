"""How the page behaves while the bot works: one press at a time, answers for who is looking,
problems where the person is looking, and the list staying where the person reads it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect
from slack_sdk import WebClient

from bot.playground.errors import BadRequest
from tests.browser.playground_rig import RunningPlayground
from tests.browser.workspace_page import ALICE, HANDOFF, OWNER, Workspace

OLIVIA = "UOLIVIA"
SLOW = 0.6  # seconds the bot takes below, so a second press lands while the first is on its way


def test_a_second_enter_or_click_while_a_command_is_on_its_way_sends_nothing_more(
    workspace: Workspace, playground: RunningPlayground, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg = playground.playground
    commands: list[str] = []
    command = pg.command

    def slow_command(user: str, conversation: str, line: str) -> Any:
        commands.append(line)
        time.sleep(SLOW)
        return command(user, conversation, line)

    monkeypatch.setattr(pg, "command", slow_command)
    workspace.become(OWNER)
    workspace.open(HANDOFF)
    page = workspace.page
    composer = page.get_by_role("textbox", name="Message", exact=True)
    send = page.get_by_role("button", name="Send", exact=True)
    composer.fill("/delegate @Alice Print the badges")

    composer.press("Enter")
    expect(send).to_be_disabled()
    composer.press("Enter")
    send.click(force=True)

    expect(workspace.message("Handed off")).to_contain_text("T-1")
    expect(send).to_be_enabled()
    assert commands == ["/delegate @Alice Print the badges"]


def test_a_double_click_on_a_forms_submit_sends_it_once(
    workspace: Workspace, playground: RunningPlayground, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg = playground.playground
    submits: list[str] = []
    submit = pg.submit

    def slow_submit(user: str, view_id: str, values: Any) -> Any:
        submits.append(view_id)
        time.sleep(SLOW)
        return submit(user, view_id, values)

    workspace.become(OWNER)
    workspace.open(HANDOFF)
    workspace.send("/delegate")
    form = workspace.modal("Hand off a task")
    form.get_by_label("Who should do it?").select_option(label=ALICE)
    form.get_by_label("Task").fill("Print the badges")
    monkeypatch.setattr(pg, "submit", slow_submit)

    form.get_by_role("button", name="Hand off", exact=True).dblclick()

    expect(form).to_be_hidden()
    expect(workspace.message("Handed off")).to_contain_text("T-1")
    assert len(submits) == 1
    expect(workspace.page.locator("#problem")).to_be_empty()


def test_an_answer_for_the_person_switched_from_is_not_drawn(
    workspace: Workspace, playground: RunningPlayground, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg = playground.playground
    workspace.become(OWNER)
    workspace.open(HANDOFF)
    workspace.send("/delegate @Alice Print the badges")
    workspace.message("Handed off")  # only visible to Olivia
    state = pg.state

    def slow_for_olivia(user: str, conversation: str) -> Any:
        if user == OLIVIA:
            time.sleep(1.5)
        return state(user, conversation)

    monkeypatch.setattr(pg, "state", slow_for_olivia)
    time.sleep(1.2)  # the page's next poll, as Olivia, is on its way
    page = workspace.page
    page.evaluate(
        """() => {
            window.seen = [];
            new MutationObserver(() => window.seen.push(document.getElementById("who").value))
                .observe(document.getElementById("messages"), { childList: true });
        }"""
    )

    workspace.become(ALICE)
    workspace.message("Print the badges")
    time.sleep(2.5)  # Olivia's answer has arrived by now

    assert page.get_by_label("You are", exact=True).input_value() == "UALICE"
    assert set(page.evaluate("() => window.seen")) == {"UALICE"}
    expect(workspace.messages().filter(has_text="Only visible to you")).to_have_count(0)


def test_a_forms_problems_show_in_the_form(
    workspace: Workspace, playground: RunningPlayground, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg = playground.playground
    workspace.become(OWNER)
    workspace.open(HANDOFF)
    workspace.send("/delegate")
    form = workspace.modal("Hand off a task")
    form.get_by_label("Who should do it?").select_option(label=ALICE)
    form.get_by_label("Task").fill("Print the badges")
    pg.world.requests.signing_secret = "not-the-bots-secret"  # the bot refuses the submission: 401

    form.get_by_role("button", name="Hand off", exact=True).click()

    expect(form.get_by_role("alert")).to_have_text("Handoff answered with HTTP 401.")
    expect(form).to_be_visible()
    expect(workspace.page.locator("#problem")).to_be_empty()

    def refuse_close(user: str, view_id: str) -> Any:
        raise BadRequest("The form cannot close just now.")

    monkeypatch.setattr(pg, "close", refuse_close)
    form.get_by_role("button", name="Cancel", exact=True).click()

    expect(form.get_by_role("alert")).to_have_text("The form cannot close just now.")
    expect(workspace.page.locator("#problem")).to_be_empty()


def test_the_list_keeps_the_readers_place_until_they_send_something(
    workspace: Workspace, playground: RunningPlayground
) -> None:
    pg = playground.playground
    for n in range(1, 16):
        pg.command(OLIVIA, "dm", f"/delegate @Alice Task number {n}")
    workspace.become(OWNER)
    workspace.open(HANDOFF)
    expect(workspace.messages()).to_have_count(15)
    page = workspace.page
    page.wait_for_function(_AT_BOTTOM)  # a conversation opens at its end
    page.evaluate("() => { document.getElementById('messages').scrollTop = 0; }")

    workspace.clock("Advance 1 hour")  # the page redraws; the reader stays where they were

    assert page.evaluate("() => document.getElementById('messages').scrollTop") == 0

    workspace.send("/delegate @Alice One more task")
    expect(workspace.messages()).to_have_count(16)
    page.wait_for_function(_AT_BOTTOM)


_AT_BOTTOM = """() => {
    const list = document.getElementById("messages");
    const scrolls = list.scrollHeight > list.clientHeight;
    return scrolls && list.scrollHeight - list.scrollTop - list.clientHeight < 2;
}"""


def test_a_form_with_nothing_to_fill_focuses_its_close_button_not_a_button_in_it(
    workspace: Workspace, playground: RunningPlayground
) -> None:
    workspace.become(OWNER)
    workspace.open(HANDOFF)
    pg = playground.playground
    slack = pg.world.slack
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    undo = {"type": "button", "text": {"type": "plain_text", "text": "Undo"}, "action_id": "undo"}
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Nothing to fill in."}},
        {"type": "actions", "elements": [undo]},  # focusable, but not what the person fills in
    ]
    title, close = {"type": "plain_text", "text": "All done"}, {"type": "plain_text", "text": "Got it"}
    view = client.views_open(
        trigger_id=slack.new_trigger_id(),
        view={"type": "modal", "title": title, "close": close, "blocks": blocks},
    )["view"]
    pg.modals.opened(OLIVIA, [view])  # on Olivia's screen, as if her press had opened it
    pg.version += 1

    form = workspace.modal("All done")

    expect(form.get_by_role("button", name="Got it", exact=True)).to_be_focused()
