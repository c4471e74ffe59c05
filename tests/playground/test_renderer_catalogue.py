"""Everything the bot's own builders make renders on the playground page, whole and usable.

For each message and view of the catalogue (``builder_catalogue``): no placeholder for an
unsupported block, every button and input there with the ids and value a click sends back,
and the hostile task titles nowhere but in text.
"""

from __future__ import annotations

import inspect
from collections import Counter
from typing import Any

from bot.playground.blocks_html import render_message, render_view
from bot.playground.slack.interaction_payloads import AUTO_BLOCK_ID
from tests.core.task_cases import NOW
from tests.playground.builder_catalogue import BUILDER_MODULES, HOSTILE, PEOPLE, Shown, catalogue
from tests.playground.html_tree import Node, parse

# What a builder returns when it makes something people see: a body, or blocks to place in one.
SHOWN_TYPES = {"Message", "ViewBody", "dict[str, Any]", "list[Block]", "Block"}
SHOWN = list(catalogue())


def _render(shown: Shown) -> Node:
    render = render_message if shown.kind == "message" else render_view
    return parse(render(shown.body, people=PEOPLE, tz="Europe/Berlin", now=NOW))


PAGES = {id(shown): _render(shown) for shown in SHOWN}


def rendered(shown: Shown) -> Node:
    return PAGES[id(shown)]


def interactive(blocks: list[dict[str, Any]]) -> Counter[tuple[str, str, str]]:
    """(action_id, block_id, type) of each element with an action: what the page must carry."""
    found: Counter[tuple[str, str, str]] = Counter()
    for block in blocks:
        block_id = str(block.get("block_id") or AUTO_BLOCK_ID)
        elements = [block.get("accessory"), block.get("element"), *(block.get("elements") or [])]
        for element in elements:
            if isinstance(element, dict) and "action_id" in element:
                found[(element["action_id"], block_id, element["type"])] += 1
    return found


def on_page(tree: Node) -> Counter[tuple[str, str, str]]:
    return Counter(
        (str(n.attrs["data-action-id"]), str(n.attrs["data-block-id"]), str(n.attrs["data-type"]))
        for n in tree.elements()
        if "data-action-id" in n.attrs
    )


def test_every_builder_in_bot_slack_is_in_the_catalogue() -> None:
    builders = {
        f"{module.__name__}.{name}"
        for module in BUILDER_MODULES
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and inspect.signature(function).return_annotation in SHOWN_TYPES
    }
    assert builders - {shown.name for shown in SHOWN} == set()
    assert len(builders) > 40  # the look-up above found the builders at all


def test_every_message_and_view_renders_without_a_placeholder() -> None:
    unsupported = {
        shown.name: [node.text() for node in rendered(shown).find_all(cls="bk-unknown")] for shown in SHOWN
    }
    assert {name: texts for name, texts in unsupported.items() if texts} == {}


def test_every_button_and_input_is_on_the_page_with_its_ids() -> None:
    missing = {}
    for shown in SHOWN:
        expected = interactive(shown.body["blocks"])
        if (found := on_page(rendered(shown))) != expected:
            missing[shown.name] = (expected, found)
    assert missing == {}
    assert sum(sum(interactive(s.body["blocks"]).values()) for s in SHOWN) > 500


def test_buttons_show_their_text_and_send_their_value() -> None:
    for shown in SHOWN:
        tree = rendered(shown)
        for block in shown.body["blocks"]:
            for element in [block.get("accessory"), *(block.get("elements") or [])]:
                if isinstance(element, dict) and element.get("type") == "button":
                    button = tree.one("button", data_action_id=element["action_id"])
                    assert button.text() == element["text"]["text"], shown.name
                    assert button.attrs.get("data-value") == element.get("value"), shown.name


def test_every_modal_input_is_labelled() -> None:
    for shown in SHOWN:
        if shown.kind != "view":
            continue
        tree = rendered(shown)
        for field in tree.find_all(cls="bk-input"):
            label = field.one("label", cls="bk-label")
            named = [n for n in field.elements() if n.attrs.get("id") == label.attrs["for"]]
            assert len(named) == 1 and "data-action-id" in named[0].attrs, shown.name


def test_hostile_task_titles_stay_text() -> None:
    shown_as_text = 0
    for shown in SHOWN:
        tree = rendered(shown)
        assert not tree.find_all("script") and not tree.find_all("img"), shown.name
        assert not any(name.startswith("on") for node in tree.elements() for name in node.attrs), shown.name
        shown_as_text += '<script>alert("x")</script>' in tree.text()
    assert HOSTILE.startswith('<script>alert("x")</script>')
    assert shown_as_text > 100  # the titles were there, and shown as the words they are
