"""The playground's JSON API over real HTTP: a person tries the delegation loop as the page does."""

from __future__ import annotations

from tests.playground.conftest import ALICE, BOB, OLIVIA, OSCAR, PageClient, key_of, plain

DELEGATE = "/delegate @Alice Ship the report | done when: PDF sent to the board | due: today 5pm"


def test_the_seeded_workspace_names_its_people_and_conversations(page: PageClient) -> None:
    state = page.state(OLIVIA)
    assert [p["label"] for p in state["people"]] == [
        "Olivia (owner)", "Alice", "Bob", "Carlos (guest)", "Oscar (outsider)",
    ]  # fmt: skip
    assert [c["label"] for c in state["conversations"]] == ["Home", "Handoff", "# ops"]
    assert [c["command"] for c in state["commands"]] == ["/delegate", "/report", "/tasks"]
    assert state["messages"] == [] and state["modal"] is None
    assert state["time"] == "2026-11-26T09:00:00+00:00"


def test_delegating_inline_puts_the_offer_in_the_assignees_dm(page: PageClient) -> None:
    page.type(OLIVIA, DELEGATE)

    offer = page.messages(ALICE)[-1]
    assert "Ship the report" in plain(offer) and not offer["ephemeral"]
    # Rendered for the page, with the ids its script sends back when Accept is pressed.
    assert 'class="bk-button bk-primary" data-action-id="task_accept:1"' in offer["html"]
    assert "Ship the report" in offer["html"]
    owner_sees = page.messages(OLIVIA)
    assert [m["ephemeral"] for m in owner_sees] == [True]  # the receipt, only visible to Olivia
    assert "T-1" in plain(owner_sees[0])
    assert page.messages(OSCAR) == []


def test_accepting_tells_the_owner(page: PageClient) -> None:
    page.type(OLIVIA, DELEGATE)
    before = page.state(OLIVIA)["version"]

    answer = page.press(ALICE, page.messages(ALICE)[-1], "Accept")

    assert answer["version"] > before
    told = [m for m in page.messages(OLIVIA) if not m["ephemeral"]]
    assert "accepted" in plain(told[-1]).lower()
    offer = page.messages(ALICE)[0]
    assert offer["edited"] and "Accept" not in [b["text"] for b in _buttons(offer)]


def test_an_outsider_pressing_accept_is_refused(page: PageClient) -> None:
    page.type(OLIVIA, DELEGATE)
    offer = page.messages(ALICE)[-1]

    page.press(OSCAR, offer, "Accept")

    refusal = page.messages(OSCAR)[-1]
    assert refusal["ephemeral"] and "You have no task T-1" in refusal["text"]
    assert [m for m in page.messages(OLIVIA) if not m["ephemeral"]] == []  # the owner heard nothing
    assert "Accept" in [b["text"] for b in _buttons(page.messages(ALICE)[-1])]


def test_the_delegate_form_shows_what_is_missing_then_hands_off(page: PageClient) -> None:
    page.type(OLIVIA, "/delegate")
    modal = page.state(OLIVIA)["modal"]
    assert modal["title"] == "Hand off a task" and modal["submit"] == "Hand off"
    assert '<label class="bk-label" for="bk-title-title"' in modal["html"]
    assert page.state(ALICE)["modal"] is None  # it opened on Olivia's screen only

    missing = page.ok("/api/submit", {"as": OLIVIA, "view_id": modal["id"], "values": {"assignees": [ALICE]}})
    assert missing["ok"] is False and set(missing["errors"]) == {"title"}
    assert page.state(OLIVIA)["modal"]["errors"] == missing["errors"]

    bad_due = {"assignees": [ALICE], "title": "Book the venue", "due": "the twelfth of never"}
    refused = page.ok("/api/submit", {"as": OLIVIA, "view_id": modal["id"], "values": bad_due})
    assert refused["ok"] is False and set(refused["errors"]) == {"due"}  # the bot's own words on the field

    fixed = {**bad_due, "due": "tomorrow 5pm"}
    assert page.ok("/api/submit", {"as": OLIVIA, "view_id": modal["id"], "values": fixed})["ok"] is True

    assert page.state(OLIVIA)["modal"] is None
    assert "Book the venue" in plain(page.messages(ALICE)[-1])


def test_time_passing_the_due_date_brings_the_overdue_nudge(page: PageClient) -> None:
    page.type(OLIVIA, DELEGATE)
    page.press(ALICE, page.messages(ALICE)[-1], "Accept")

    page.advance("1h")
    assert not [m for m in page.messages(ALICE) if key_of(m).startswith("nudge:")]
    answer = page.advance("1d")

    assert answer["time"] == "2026-11-27T10:00:00+00:00"
    nudges = [key_of(m) for m in page.messages(ALICE) if key_of(m).startswith("nudge:")]
    assert [key.split(":")[2] for key in nudges] == ["overdue"]


def test_the_next_working_morning_brings_the_daily_summary_to_ops(page: PageClient) -> None:
    page.type(OLIVIA, DELEGATE)
    assert page.messages(OLIVIA, "ops") == []

    answer = page.advance("morning")

    assert answer["time"] == "2026-11-27T08:00:00+00:00"  # Friday 09:00 in Berlin
    posts = page.messages(BOB, "ops")
    assert [key_of(m).rsplit(":", 1)[0] for m in posts] == ["summary:C0OPS"]
    assert "T-1" in plain(posts[0])


def test_the_next_working_morning_skips_the_weekend(page: PageClient) -> None:
    page.advance("morning")
    page.advance("morning")
    assert page.state(OLIVIA)["time"] == "2026-11-30T08:00:00+00:00"  # Monday 09:00 in Berlin


def test_reset_starts_a_fresh_workspace(page: PageClient) -> None:
    page.type(OLIVIA, DELEGATE)
    page.type(OLIVIA, "/delegate")
    page.advance("1d")

    page.ok("/api/reset", {})

    for user in (OLIVIA, ALICE):
        state = page.state(user)
        assert state["messages"] == [] and state["modal"] is None
    assert page.state(OLIVIA)["time"] == "2026-11-26T09:00:00+00:00"
    page.type(OLIVIA, DELEGATE)
    assert "T-1" in plain(page.messages(OLIVIA)[-1])  # numbering starts again: a new database


def test_an_unknown_slash_command_gets_slacks_answer(page: PageClient) -> None:
    page.type(OLIVIA, "/deleagte @Alice typo")

    answer = page.messages(OLIVIA)[-1]
    assert answer["ephemeral"] and answer["author"] == "Slackbot"
    assert "`/deleagte` is not a valid command" in answer["text"]


def test_opening_the_home_tab_tells_the_bot(page: PageClient) -> None:
    page.type(OLIVIA, DELEGATE)
    assert page.state(OLIVIA, "home")["home"] is None

    page.ok("/api/open", {"as": OLIVIA, "conversation": "home"})

    home = page.state(OLIVIA, "home")["home"]
    assert home["type"] == "home" and "Ship the report" in str(home["blocks"])


def _buttons(message: dict[str, object]) -> list[dict[str, str]]:
    blocks = message["blocks"]
    assert isinstance(blocks, list)
    return [
        {"text": e["text"]["text"], "action_id": e["action_id"]}
        for b in blocks
        for e in [*(b.get("elements") or []), b.get("accessory") or {}]
        if e.get("type") == "button"
    ]
