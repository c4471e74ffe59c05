"""Block Kit elements (buttons, menus, form controls) as HTML the playground page can drive.

Each element becomes one HTML element carrying ``data-action-id``, ``data-block-id`` and
``data-type``, from which the page's script builds the payload Slack would send: a button's
``data-value``; a menu's selected ``<option value>``; a form control's value. For checkboxes
and radio buttons that one element is the ``<fieldset>`` holding the option inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

from bot.playground.mrkdwn_html import Reader, mrkdwn

JSON = Mapping[str, Any]
Renderer = Callable[[JSON, str, Reader, str | None], str]

IMAGE_SCHEMES = ("http://", "https://")


def text_html(text: Any, reader: Reader) -> str:
    """A text object: mrkdwn rendered, plain_text escaped as it is (Slack doesn't decode it)."""
    if not isinstance(text, Mapping):
        return ""
    if text.get("type") == "mrkdwn":
        return mrkdwn(str(text.get("text", "")), reader)
    return escape(str(text.get("text", "")))


def plain(text: Any) -> str:
    """A text object's words, escaped, for places that hold no markup (an <option>, an attribute)."""
    return escape(str(text.get("text", ""))) if isinstance(text, Mapping) else ""


def control_id(block_id: str, action_id: str) -> str:
    """A page-unique id for a modal's control, so its <label for> points at it."""
    return re.sub(r"\s", "_", f"bk-{block_id}-{action_id}")


def element_html(element: JSON, block_id: str, reader: Reader, labelled_by: str | None = None) -> str:
    """One element; ``labelled_by`` is the id its control takes when an input block labels it."""
    render = _ELEMENTS.get(str(element.get("type")))
    if render is None:
        return unknown("element", element.get("type"))
    return render(element, block_id, reader, labelled_by)


def unknown(kind: str, kind_type: Any) -> str:
    return f'<div class="bk-unknown">Unsupported {kind}: {escape(str(kind_type))}</div>'


def _data(element: JSON, block_id: str) -> str:
    return (
        f'data-action-id="{escape(str(element.get("action_id", "")))}" '
        f'data-block-id="{escape(block_id)}" data-type="{escape(str(element.get("type", "")))}"'
    )


def _id(labelled_by: str | None) -> str:
    return f' id="{escape(labelled_by)}"' if labelled_by else ""


def _name(element: JSON, labelled_by: str | None, fallback: str) -> str:
    """An accessible name for a control no <label> names (a menu in a row of buttons)."""
    if labelled_by:
        return ""
    return f' aria-label="{plain(element.get("placeholder")) or escape(fallback)}"'


def _button(element: JSON, block_id: str, reader: Reader, labelled_by: str | None) -> str:
    style = element.get("style")
    classes = "bk-button" + (f" bk-{style}" if style in ("primary", "danger") else "")
    value = f' data-value="{escape(str(element["value"]))}"' if "value" in element else ""
    url = f' data-url="{escape(str(element["url"]))}"' if "url" in element else ""
    return (
        f'<button type="button" class="{classes}"{_id(labelled_by)} {_data(element, block_id)}{value}{url}>'
        f"{plain(element.get('text'))}</button>"
    )


def _options(options: Iterable[JSON], selected: set[str], placeholder: str | None = "") -> str:
    """The options, after an empty first one (the placeholder) unless several may be chosen."""
    rows = [] if placeholder is None else [f'<option value="">{placeholder}</option>']
    for option in options:
        value = str(option.get("value", ""))
        chosen = " selected" if value in selected else ""
        rows.append(f'<option value="{escape(value)}"{chosen}>{plain(option.get("text"))}</option>')
    return "".join(rows)


def _all_options(element: JSON) -> list[JSON]:
    """A select's options, flattened out of its option groups when it has them."""
    groups = element.get("option_groups") or []
    return list(element.get("options") or []) + [o for g in groups for o in g.get("options") or []]


def _chosen(element: JSON) -> set[str]:
    initial = [element["initial_option"]] if element.get("initial_option") else []
    return {str(o.get("value")) for o in [*initial, *(element.get("initial_options") or [])]}


def _select_tag(
    element: JSON, block_id: str, labelled_by: str | None, options: Iterable[JSON], **how: Any
) -> str:
    """A <select> of ``options``; a multi-select has no empty placeholder option."""
    multiple = str(element.get("type", "")).startswith("multi_")
    placeholder = None if multiple else how.get("placeholder", plain(element.get("placeholder")))
    rows = _options(options, how.get("chosen", _chosen(element)), placeholder)
    name = _name(element, labelled_by, how.get("name", "Choose"))
    classes = " ".join(["bk-select", *how.get("classes", [])])
    return (
        f'<select class="{classes}"{_id(labelled_by)}{name}{" multiple" if multiple else ""} '
        f"{_data(element, block_id)}>{rows}</select>"
    )


def _select(element: JSON, block_id: str, reader: Reader, labelled_by: str | None) -> str:
    return _select_tag(element, block_id, labelled_by, _all_options(element))


def _overflow(element: JSON, block_id: str, reader: Reader, labelled_by: str | None) -> str:
    options = list(element.get("options") or [])
    return _select_tag(
        element, block_id, labelled_by, options, placeholder="…", name="More actions", classes=["bk-overflow"]
    )


def _users(element: JSON, block_id: str, reader: Reader, labelled_by: str | None) -> str:
    """A menu of the workspace's people (the page's ``people``), the initial ones chosen."""
    chosen = {str(element.get("initial_user", ""))} | set(element.get("initial_users") or [])
    people = [
        {"value": uid, "text": {"type": "plain_text", "text": name}} for uid, name in reader.people.items()
    ]
    return _select_tag(
        element, block_id, labelled_by, people, chosen=chosen, name="Choose a person", classes=["bk-users"]
    )


def _input(kind: str, value_key: str) -> Renderer:
    def render(element: JSON, block_id: str, reader: Reader, labelled_by: str | None) -> str:
        value = f' value="{escape(str(element[value_key]))}"' if element.get(value_key) else ""
        return (
            f'<input type="{kind}" class="bk-{kind}"{_id(labelled_by)}{_name(element, labelled_by, kind)}'
            f"{value} {_data(element, block_id)}>"
        )

    return render


def _text_input(element: JSON, block_id: str, reader: Reader, labelled_by: str | None) -> str:
    initial = escape(str(element.get("initial_value") or ""))
    placeholder = plain(element.get("placeholder"))
    hint = f' placeholder="{placeholder}"' if placeholder else ""
    limit = f' maxlength="{int(element["max_length"])}"' if element.get("max_length") else ""
    attributes = (
        f"{_id(labelled_by)}{_name(element, labelled_by, 'Text')}{hint}{limit} {_data(element, block_id)}"
    )
    if element.get("multiline"):
        return f'<textarea class="bk-textarea" rows="4"{attributes}>{initial}</textarea>'
    return f'<input type="text" class="bk-text-input"{attributes} value="{initial}">'


def _number(element: JSON, block_id: str, reader: Reader, labelled_by: str | None) -> str:
    bounds = "".join(
        f' {attribute}="{escape(str(element[key]))}"'
        for attribute, key in (("min", "min_value"), ("max", "max_value"), ("value", "initial_value"))
        if key in element
    )
    step = "any" if element.get("is_decimal_allowed") else "1"
    return (
        f'<input type="number" class="bk-number" step="{step}"{bounds}{_id(labelled_by)}'
        f"{_name(element, labelled_by, 'Number')} {_data(element, block_id)}>"
    )


def _choices(kind: str, classes: str) -> Renderer:
    """Checkboxes or radio buttons: a fieldset of inputs valued by their options' values."""

    def render(element: JSON, block_id: str, reader: Reader, labelled_by: str | None) -> str:
        chosen = _chosen(element)
        group = escape(control_id(block_id, str(element.get("action_id", ""))))
        rows = []
        for index, option in enumerate(element.get("options") or []):
            value = str(option.get("value", ""))
            checked = " checked" if value in chosen else ""
            note = option.get("description")
            described = f'<span class="bk-description">{text_html(note, reader)}</span>' if note else ""
            words = text_html(option.get("text"), reader)
            rows.append(
                f'<label class="bk-choice"><input type="{kind}" name="{group}" id="{group}-{index}" '
                f'value="{escape(value)}"{checked}> {words}{described}</label>'
            )
        labelled = f' aria-labelledby="{escape(labelled_by)}-label"' if labelled_by else ""
        return (
            f'<fieldset class="{classes} bk-choices"{_id(labelled_by)}{labelled} {_data(element, block_id)}>'
            f"{''.join(rows)}</fieldset>"
        )

    return render


def _image(element: JSON, block_id: str, reader: Reader, labelled_by: str | None) -> str:
    return image_html(element.get("image_url"), element.get("alt_text"), "bk-image")


def image_html(url: Any, alt: Any, classes: str) -> str:
    """An <img> only for a web address; anything else shows its alt text."""
    alt_text = escape(str(alt or ""))
    if not str(url or "").lower().startswith(IMAGE_SCHEMES):
        return f'<span class="{classes} bk-image-alt">{alt_text}</span>'
    return f'<img class="{classes}" src="{escape(str(url))}" alt="{alt_text}">'


_ELEMENTS: dict[str, Renderer] = {
    "button": _button,
    "overflow": _overflow,
    "static_select": _select,
    "multi_static_select": _select,
    "users_select": _users,
    "multi_users_select": _users,
    "datepicker": _input("date", "initial_date"),
    "timepicker": _input("time", "initial_time"),
    "plain_text_input": _text_input,
    "number_input": _number,
    "checkboxes": _choices("checkbox", "bk-checkboxes"),
    "radio_buttons": _choices("radio", "bk-radio-buttons"),
    "image": _image,
}

SUPPORTED_ELEMENTS = frozenset(_ELEMENTS)
