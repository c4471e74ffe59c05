"""Each block and element the playground renders, read back from the parsed HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.playground.blocks_html import CSS_CLASSES, render_message, render_view
from bot.playground.slack import interaction_payloads
from bot.playground.slack.interaction_payloads import AUTO_BLOCK_ID
from tests.playground.html_tree import Node, parse

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
PEOPLE = {"UOWNER": "Olivia (owner)", "UALICE": "Alice", "UBOB": "Bob"}


def text(words: str, kind: str = "plain_text") -> dict[str, Any]:
    return {"type": kind, "text": words}


def md(words: str) -> dict[str, Any]:
    return text(words, "mrkdwn")


def option(words: str, value: str) -> dict[str, Any]:
    return {"text": text(words), "value": value}


def button(words: str, action_id: str, **extra: Any) -> dict[str, Any]:
    return {"type": "button", "text": text(words), "action_id": action_id, **extra}


def image(alt: str, url: str = "https://example.org/i.png") -> dict[str, Any]:
    return {"type": "image", "image_url": url, "alt_text": alt}


def message(*blocks: dict[str, Any]) -> Node:
    return parse(
        render_message({"text": "fallback", "blocks": list(blocks)}, people=PEOPLE, tz="UTC", now=NOW)
    )


def view(*blocks: dict[str, Any]) -> Node:
    return parse(render_view({"type": "modal", "blocks": list(blocks)}, people=PEOPLE, tz="UTC", now=NOW))


def in_actions(element: dict[str, Any]) -> Node:
    return message({"type": "actions", "block_id": "row", "elements": [element]})


def in_input(element: dict[str, Any], **block: Any) -> Node:
    return view({"type": "input", "block_id": "field", "label": text("Field"), "element": element, **block})


def ids(node: Node) -> tuple[str | None, str | None, str | None]:
    return node.attrs.get("data-action-id"), node.attrs.get("data-block-id"), node.attrs.get("data-type")


def options(select: Node) -> list[tuple[str | None, str]]:
    return [(o.attrs["value"], o.text()) for o in select.find_all("option")]


def test_a_message_without_blocks_shows_its_text_as_mrkdwn() -> None:
    tree = parse(render_message({"text": "Hi <@UALICE>, *go*"}, people=PEOPLE, tz="UTC", now=NOW))
    assert tree.one(cls="bk-message").one(cls="bk-text").text() == "Hi @Alice, go"
    assert tree.one("b").text() == "go"


def test_a_message_with_blocks_shows_the_blocks_not_the_text() -> None:
    tree = message({"type": "section", "text": md("from blocks")})
    assert tree.text() == "from blocks"


def test_section_text_fields_and_accessory() -> None:
    tree = message(
        {
            "type": "section",
            "block_id": "b1",
            "text": md("*T-12* · Ship"),
            "fields": [md("*Due*"), text("<b>Friday</b>")],
            "accessory": {"type": "button", "text": text("View"), "action_id": "task_view:12", "value": "12"},
        }
    )
    section = tree.one(cls="bk-section")
    assert section.one(cls="bk-section-text").one("b").text() == "T-12"
    assert [f.text() for f in section.one(cls="bk-fields").find_all(cls="bk-field")] == [
        "Due",
        "<b>Friday</b>",
    ]
    button = section.one(cls="bk-accessory").one("button")
    assert ids(button) == ("task_view:12", "b1", "button")


@pytest.mark.parametrize(
    ("accessory", "tag"),
    [
        ({"type": "button", "text": text("View"), "action_id": "a", "value": "1"}, "button"),
        ({"type": "overflow", "action_id": "a", "options": [option("Edit", "edit")]}, "select"),
        ({"type": "static_select", "action_id": "a", "options": [option("1 hour", "1h")]}, "select"),
        ({"type": "users_select", "action_id": "a"}, "select"),
        ({"type": "datepicker", "action_id": "a", "initial_date": "2026-12-24"}, "input"),
    ],
)
def test_each_kind_of_accessory_sits_beside_the_sections_text(accessory: dict[str, Any], tag: str) -> None:
    section = message({"type": "section", "block_id": "b", "text": md("x"), "accessory": accessory})
    control = section.one(cls="bk-accessory").one(tag)
    assert ids(control) == ("a", "b", accessory["type"])


def test_an_accessory_image_shows_with_its_alt_text() -> None:
    accessory = {"type": "image", "image_url": "https://example.org/a.png", "alt_text": "a chart"}
    image = message({"type": "section", "text": md("x"), "accessory": accessory}).one("img")
    assert (image.attrs["src"], image.attrs["alt"]) == ("https://example.org/a.png", "a chart")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:image/svg+xml,<svg onload=alert(1)>", ""])
def test_an_image_from_anywhere_but_the_web_shows_only_its_alt_text(url: str) -> None:
    tree = message({"type": "image", "image_url": url, "alt_text": "chart"})
    assert tree.find_all("img") == []
    assert tree.text() == "chart"


def test_image_block_with_title() -> None:
    tree = message(
        {"type": "image", "image_url": "https://e.org/x.png", "alt_text": "x", "title": text("Q3")}
    )
    figure = tree.one("figure", cls="bk-image-block")
    assert figure.one("img").attrs["alt"] == "x"
    assert figure.one("figcaption").text() == "Q3"


def test_context_texts_and_images() -> None:
    tree = message(
        {
            "type": "context",
            "elements": [md("due *friday*"), text("plain *not bold*"), image("icon")],
        }
    )
    context = tree.one(cls="bk-context")
    assert [t.text() for t in context.find_all(cls="bk-context-text")] == ["due friday", "plain *not bold*"]
    assert context.one("img").attrs["alt"] == "icon"


def test_plain_text_shows_emoji_unless_it_says_not_to() -> None:
    shown = message(
        {"type": "header", "text": text(":bell: Due")},
        {"type": "context", "elements": [{"type": "plain_text", "text": ":bell: as typed", "emoji": False}]},
    )
    assert shown.one("h2").text() == "\U0001f514 Due"
    assert shown.one(cls="bk-context-text").text() == ":bell: as typed"


def test_header_and_divider() -> None:
    tree = message({"type": "header", "text": text("Your handoffs & <more>")}, {"type": "divider"})
    assert tree.one("h2", cls="bk-header").text() == "Your handoffs & <more>"
    assert tree.find_all("hr", cls="bk-divider")


def test_buttons_carry_what_a_click_sends_and_their_style() -> None:
    tree = message(
        {
            "type": "actions",
            "block_id": "steps",
            "elements": [
                button("Accept", "accept:12", value="12", style="primary"),
                button("Decline", "decline:12", value="12", style="danger"),
                button("Ask", "ask:12", value="v"),
            ],
        }
    )
    buttons = tree.one(cls="bk-actions").find_all("button")
    assert [(b.text(), b.attrs["type"], b.attrs["data-value"]) for b in buttons] == [
        ("Accept", "button", "12"),
        ("Decline", "button", "12"),
        ("Ask", "button", "v"),
    ]
    assert ids(buttons[0]) == ("accept:12", "steps", "button")
    assert [b.classes for b in buttons] == [
        {"bk-button", "bk-primary"},
        {"bk-button", "bk-danger"},
        {"bk-button"},
    ]


def test_a_button_opens_only_a_web_address() -> None:
    urls = [
        "https://example.org/doc",
        "HTTP://example.org",
        "javascript:alert(1)",
        "data:text/html,x",
        "mailto:a@b.c",
    ]
    tree = message(
        {"type": "actions", "elements": [{**button(u, f"open:{i}"), "url": u} for i, u in enumerate(urls)]}
    )
    assert [b.attrs.get("data-url") for b in tree.find_all("button")] == [
        "https://example.org/doc", "HTTP://example.org", None, None, None,
    ]  # fmt: skip


def test_a_block_without_an_id_gets_the_one_the_embedded_slack_gives_it() -> None:
    tree = message(
        {"type": "actions", "elements": [{"type": "button", "text": text("Go"), "action_id": "go"}]}
    )
    assert tree.one("button").attrs["data-block-id"] == AUTO_BLOCK_ID


def test_the_generated_block_id_is_written_once_in_the_embedded_slack() -> None:
    playground = Path(interaction_payloads.__file__).parents[1]
    writers = sorted(
        str(path.relative_to(playground))
        for path in playground.rglob("*.py")
        if f'"{AUTO_BLOCK_ID}"' in path.read_text()
    )
    assert writers == ["slack/interaction_payloads.py"]


def test_overflow_menu() -> None:
    overflow = {
        "type": "overflow",
        "action_id": "more:12",
        "options": [option("Edit", "edit"), option("Cancel", "cancel")],
    }
    select = in_actions(overflow).one("select")
    assert ids(select) == ("more:12", "row", "overflow")
    assert options(select) == [("", "…"), ("edit", "Edit"), ("cancel", "Cancel")]
    assert select.attrs["aria-label"] == "More actions"


def test_static_select_in_a_message_is_named_by_its_placeholder() -> None:
    snooze = {
        "type": "static_select",
        "action_id": "task_snooze:12",
        "placeholder": text("Snooze"),
        "options": [option("1 hour", "12:1h"), option("Tomorrow", "12:tomorrow")],
    }
    select = in_actions(snooze).one("select")
    assert ids(select) == ("task_snooze:12", "row", "static_select")
    assert select.attrs["aria-label"] == "Snooze"
    assert options(select) == [("", "Snooze"), ("12:1h", "1 hour"), ("12:tomorrow", "Tomorrow")]


def test_static_select_honours_its_initial_option_and_option_groups() -> None:
    element = {
        "type": "static_select",
        "action_id": "pick",
        "initial_option": option("B", "b"),
        "option_groups": [{"label": text("G"), "options": [option("A", "a"), option("B", "b")]}],
    }
    select = in_input(element).one("select")
    assert [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs] == ["b"]
    assert options(select)[1:] == [("a", "A"), ("b", "B")]


def test_users_select_offers_the_workspaces_people() -> None:
    select = in_input({"type": "users_select", "action_id": "assignee", "initial_user": "UBOB"}).one("select")
    assert ids(select) == ("assignee", "field", "users_select")
    assert options(select) == [("", ""), ("UOWNER", "Olivia (owner)"), ("UALICE", "Alice"), ("UBOB", "Bob")]
    assert [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs] == ["UBOB"]


def test_multi_users_select_allows_several() -> None:
    element = {"type": "multi_users_select", "action_id": "assignees", "initial_users": ["UALICE", "UBOB"]}
    select = in_input(element).one("select")
    assert "multiple" in select.attrs
    assert [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs] == [
        "UALICE",
        "UBOB",
    ]
    assert ("", "") not in options(select)


@pytest.mark.parametrize(
    ("element", "kind", "value"),
    [
        ({"type": "datepicker", "action_id": "d", "initial_date": "2026-12-24"}, "date", "2026-12-24"),
        ({"type": "timepicker", "action_id": "d", "initial_time": "17:00"}, "time", "17:00"),
        ({"type": "datepicker", "action_id": "d"}, "date", None),
    ],
)
def test_date_and_time_pickers(element: dict[str, Any], kind: str, value: str | None) -> None:
    for tree in (in_input(element), in_actions(element)):
        control = tree.one("input")
        assert control.attrs["type"] == kind
        assert control.attrs.get("value") == value
        assert ids(control)[0] == "d"
        assert ids(control)[2] == element["type"]


def test_single_line_text_input_with_initial_value() -> None:
    element = {
        "type": "plain_text_input",
        "action_id": "title",
        "initial_value": 'Ship "it" <now>',
        "max_length": 150,
    }
    control = in_input(element).one("input")
    assert (control.attrs["type"], control.attrs["value"], control.attrs["maxlength"]) == (
        "text",
        'Ship "it" <now>',
        "150",
    )
    assert ids(control) == ("title", "field", "plain_text_input")


@pytest.mark.parametrize(("kind", "input_type"), [("email_text_input", "email"), ("url_text_input", "url")])
def test_email_and_url_inputs(kind: str, input_type: str) -> None:
    control = in_input({"type": kind, "action_id": "x", "initial_value": "a@example.org"}).one("input")
    assert (control.attrs["type"], control.attrs["value"]) == (input_type, "a@example.org")
    assert ids(control) == ("x", "field", kind)


def test_multiline_text_input_is_a_textarea() -> None:
    element = {
        "type": "plain_text_input",
        "action_id": "text",
        "multiline": True,
        "initial_value": "a\n</textarea><b>x</b>",
        "placeholder": text("Why?"),
    }
    area = in_input(element).one("textarea")
    assert area.text() == "a\n</textarea><b>x</b>"
    assert area.attrs["placeholder"] == "Why?"


def test_number_input() -> None:
    element = {
        "type": "number_input",
        "action_id": "percent",
        "is_decimal_allowed": False,
        "min_value": "0",
        "max_value": "100",
    }
    control = in_input(element).one("input")
    assert (control.attrs["type"], control.attrs["min"], control.attrs["max"], control.attrs["step"]) == (
        "number",
        "0",
        "100",
        "1",
    )
    assert ids(control) == ("percent", "field", "number_input")


@pytest.mark.parametrize(("kind", "input_type"), [("checkboxes", "checkbox"), ("radio_buttons", "radio")])
def test_checkboxes_and_radio_buttons_hold_their_options(kind: str, input_type: str) -> None:
    chosen = (
        {"initial_options": [option("Deliver", "deliver")]}
        if kind == "checkboxes"
        else {"initial_option": option("Deliver", "deliver")}
    )
    element = {
        "type": kind,
        "action_id": "choice",
        "options": [option("Deliver", "deliver"), option("Keep", "keep")],
        **chosen,
    }
    group = in_input(element).one("fieldset")
    assert ids(group) == ("choice", "field", kind)
    boxes = group.find_all("input")
    assert [(b.attrs["type"], b.attrs["value"], "checked" in b.attrs) for b in boxes] == [
        (input_type, "deliver", True),
        (input_type, "keep", False),
    ]
    assert [label.text().strip() for label in group.find_all("label")] == ["Deliver", "Keep"]


def test_an_input_block_labels_its_control_and_shows_its_hint() -> None:
    tree = in_input({"type": "plain_text_input", "action_id": "due"}, hint=text("Like friday"), optional=True)
    field = tree.one(cls="bk-input")
    label = field.one("label", cls="bk-label")
    control = field.one("input")
    assert label.attrs["for"] == control.attrs["id"]
    assert label.text() == "Field (optional)"
    hint = field.one(cls="bk-hint")
    assert hint.text() == "Like friday"
    assert control.attrs["aria-describedby"] == hint.attrs["id"]


def test_a_required_input_is_not_marked_optional() -> None:
    tree = in_input({"type": "plain_text_input", "action_id": "title"})
    assert tree.one("label").text() == "Field"
    assert tree.find_all(cls="bk-optional") == []
    assert tree.one(cls="bk-input").attrs["data-required"] == "true"


def test_a_choice_group_is_named_by_its_label() -> None:
    tree = in_input({"type": "checkboxes", "action_id": "c", "options": [option("A", "a")]})
    group = tree.one("fieldset")
    assert tree.one("label", cls="bk-label").attrs["id"] == group.attrs["aria-labelledby"]


def test_a_home_tab_renders_like_a_modal() -> None:
    home = {"type": "home", "blocks": [{"type": "header", "text": text("Your handoffs")}]}
    tree = parse(render_view(home, people=PEOPLE, tz="UTC", now=NOW))
    assert tree.one(cls="bk-view").one("h2").text() == "Your handoffs"


@pytest.mark.parametrize(
    "blocks",
    [
        [{"type": "video", "title": text("x")}],
        [{"type": "actions", "elements": [{"type": "conversations_select", "action_id": "c"}]}],
        [{"type": "section", "text": md("x"), "accessory": {"type": "<script>"}}],
        [{"type": "context", "elements": [{"type": "button", "text": text("x")}]}],
        [{"type": "rich_text", "elements": []}],
    ],
)
def test_unknown_types_are_labelled_placeholders(blocks: list[dict[str, Any]]) -> None:
    tree = message(*blocks)
    placeholder = tree.one(cls="bk-unknown")
    assert placeholder.text().startswith("Unsupported block: ")
    assert tree.find_all("script") == []


def test_an_unknown_block_or_element_says_which() -> None:
    assert message({"type": "video"}).one(cls="bk-unknown").text() == "Unsupported block: video"
    row = {"type": "actions", "elements": [{"type": "channels_select", "action_id": "c"}]}
    assert message(row).one(cls="bk-unknown").text() == "Unsupported block: channels_select"


def test_hostile_values_stay_in_their_attributes() -> None:
    hostile = '"><script>alert(1)</script>'
    button = {"type": "button", "text": text(hostile), "action_id": hostile, "value": hostile}
    tree = message({"type": "actions", "block_id": hostile, "elements": [button]})
    found = tree.one("button")
    assert (
        found.text(),
        found.attrs["data-action-id"],
        found.attrs["data-block-id"],
        found.attrs["data-value"],
    ) == (
        hostile,
        hostile,
        hostile,
        hostile,
    )
    assert tree.find_all("script") == []


KITCHEN_SINK_TEXT = (
    "*a* <https://e.org|x> <ftp://e.org|y> `c` <@UALICE> <#C1|ops> <!here> <!date^1700000000^{date}|d>"
    "\n> quoted\n```pre```"
)
KITCHEN_SINK = [
    {"type": "section", "text": md(KITCHEN_SINK_TEXT), "fields": [md("f")], "accessory": image("i")},
    {"type": "context", "elements": [md("c"), image("i")]},
    {"type": "header", "text": text("h")},
    {"type": "divider"},
    {"type": "image", "image_url": "file:///x", "alt_text": "a", "title": text("t")},
    {"type": "video"},
    {
        "type": "actions",
        "elements": [
            button("P", "p", style="primary"),
            button("D", "d", style="danger"),
            {"type": "overflow", "action_id": "o", "options": [option("O", "o")]},
            {"type": "users_select", "action_id": "u"},
            {"type": "static_select", "action_id": "s", "options": [option("S", "s")]},
            {"type": "datepicker", "action_id": "dp"},
            {"type": "timepicker", "action_id": "tp"},
        ],
    },
    *(
        {"type": "input", "block_id": kind, "label": text(kind), "optional": True, "hint": text("h"),
         "element": {"type": kind, "action_id": kind, **extra}}
        for kind, extra in (
            ("plain_text_input", {}),
            ("plain_text_input", {"multiline": True}),
            ("number_input", {}),
            ("checkboxes", {"options": [{**option("C", "c"), "description": text("why")}]}),
            ("radio_buttons", {"options": [option("R", "r")]}),
        )
    ),
]  # fmt: skip


def test_the_pages_stylesheet_has_the_full_list_of_classes() -> None:
    """CSS_CLASSES is what the stylesheet styles: every class used is listed, every listed one used."""
    fragments = [
        render_message({"text": "no blocks"}, people=PEOPLE, tz="UTC", now=NOW),
        render_message({"blocks": KITCHEN_SINK}, people=PEOPLE, tz="UTC", now=NOW),
        render_view({"blocks": KITCHEN_SINK}, people=PEOPLE, tz="UTC", now=NOW),
    ]
    used = {name for fragment in fragments for node in parse(fragment).elements() for name in node.classes}
    assert used == CSS_CLASSES
