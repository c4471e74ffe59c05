"""Block Kit elements (buttons, menus, form controls) as HTML the playground page can drive.

Each element becomes one HTML element carrying ``data-action-id``, ``data-block-id`` and
``data-type``, from which the page's script builds the payload Slack would send: a button's
``data-value``; a menu's selected ``<option value>``; a form control's value. For checkboxes
and radio buttons that one element is the ``<fieldset>`` holding the option inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from bot.playground.emoji import emojize
from bot.playground.mrkdwn_html import WEB_SCHEMES, Reader, has_scheme, mrkdwn

JSON = Mapping[str, Any]


@dataclass(frozen=True)
class Label:
    """How an input block names its control: the control's id, and whether a hint describes it."""

    control_id: str
    hinted: bool = False

    def attributes(self) -> str:
        described = f' aria-describedby="{escape(self.control_id)}-hint"' if self.hinted else ""
        return f' id="{escape(self.control_id)}"{described}'


Renderer = Callable[[JSON, str, Reader, "Label | None"], str]


def text_html(text: Any, reader: Reader) -> str:
    """A text object: mrkdwn rendered, plain_text escaped as it is (Slack doesn't decode it)."""
    if isinstance(text, Mapping) and text.get("type") == "mrkdwn":
        return mrkdwn(str(text.get("text", "")), reader)
    return plain(text)


def plain(text: Any) -> str:
    """A plain_text object's words, escaped, for places that hold no markup (an <option>, an attribute).

    Its emoji shortcodes become emoji unless it says ``"emoji": false``, as in Slack.
    """
    if not isinstance(text, Mapping):
        return ""
    words = str(text.get("text", ""))
    return escape(words if text.get("emoji") is False else emojize(words))


def control_id(block_id: str, action_id: str) -> str:
    """A page-unique id for a modal's control, so its <label for> points at it."""
    return re.sub(r"\s", "_", f"bk-{block_id}-{action_id}")


def element_html(element: JSON, block_id: str, reader: Reader, label: Label | None = None) -> str:
    """One element; ``label`` when an input block labels it (its control then takes that id)."""
    render = _ELEMENTS.get(str(element.get("type")))
    if render is None:
        return unknown(element.get("type"))
    return render(element, block_id, reader, label)


def unknown(kind: Any) -> str:
    """A block or element this renderer does not know, shown (one wording for both: the page relies on it)."""
    return f'<div class="bk-unknown">Unsupported block: {escape(str(kind))}</div>'


def _data(element: JSON, block_id: str) -> str:
    return (
        f'data-action-id="{escape(str(element.get("action_id", "")))}" '
        f'data-block-id="{escape(block_id)}" data-type="{escape(str(element.get("type", "")))}"'
    )


def _id(label: Label | None) -> str:
    return label.attributes() if label else ""


def _name(element: JSON, label: Label | None, fallback: str) -> str:
    """An accessible name for a control no <label> names (a menu in a row of buttons)."""
    if label:
        return ""
    return f' aria-label="{plain(element.get("placeholder")) or escape(fallback)}"'


def _button(element: JSON, block_id: str, reader: Reader, label: Label | None) -> str:
    style = element.get("style")
    classes = "bk-button" + (f" bk-{style}" if style in ("primary", "danger") else "")
    value = f' data-value="{escape(str(element["value"]))}"' if "value" in element else ""
    # Only a web address opens: a javascript: or data: url would run in the page.
    url = f' data-url="{escape(str(element["url"]))}"' if has_scheme(element.get("url"), WEB_SCHEMES) else ""
    return (
        f'<button type="button" class="{classes}"{_id(label)} {_data(element, block_id)}{value}{url}>'
        f"{plain(element.get('text'))}</button>"
    )


def _options(options: Iterable[JSON], selected: set[str], placeholder: str | None) -> str:
    """The options, after an empty first one showing ``placeholder`` unless that is None."""
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
    element: JSON,
    block_id: str,
    label: Label | None,
    options: Iterable[JSON],
    *,
    chosen: set[str],
    name: str,
    kind: str = "",
    placeholder: str | None = None,
) -> str:
    """A <select> of ``options`` after an empty one (the placeholder's); a multi-select has none."""
    multiple = str(element.get("type", "")).startswith("multi_")
    first = None if multiple else placeholder or plain(element.get("placeholder"))
    classes = f"bk-select {kind}".strip()
    rows = _options(options, chosen, first)
    return (
        f'<select class="{classes}"{_id(label)}{_name(element, label, name)}'
        f"{' multiple' if multiple else ''} {_data(element, block_id)}>{rows}</select>"
    )


def _select(element: JSON, block_id: str, reader: Reader, label: Label | None) -> str:
    return _select_tag(
        element, block_id, label, _all_options(element), chosen=_chosen(element), name="Choose"
    )


def _overflow(element: JSON, block_id: str, reader: Reader, label: Label | None) -> str:
    options = list(element.get("options") or [])
    return _select_tag(
        element,
        block_id,
        label,
        options,
        chosen=set(),
        name="More actions",
        kind="bk-overflow",
        placeholder="…",
    )


def _users(element: JSON, block_id: str, reader: Reader, label: Label | None) -> str:
    """A menu of the workspace's people (the page's ``people``), the initial ones chosen."""
    chosen = {str(element.get("initial_user", ""))} | set(element.get("initial_users") or [])
    people = [
        {"value": uid, "text": {"type": "plain_text", "text": name}} for uid, name in reader.people.items()
    ]
    return _select_tag(
        element, block_id, label, people, chosen=chosen, name="Choose a person", kind="bk-users"
    )


def _picker(kind: str, value_key: str) -> Renderer:
    """A date or time picker: the browser's own ``<input type="date|time">``."""

    def render(element: JSON, block_id: str, reader: Reader, label: Label | None) -> str:
        value = f' value="{escape(str(element[value_key]))}"' if element.get(value_key) else ""
        name = _name(element, label, kind)
        return (
            f'<input type="{kind}" class="bk-{kind}picker"{_id(label)}{name}{value} '
            f"{_data(element, block_id)}>"
        )

    return render


def _text_input(element: JSON, block_id: str, reader: Reader, label: Label | None) -> str:
    initial = escape(str(element.get("initial_value") or ""))
    placeholder = plain(element.get("placeholder"))
    hint = f' placeholder="{placeholder}"' if placeholder else ""
    limit = f' maxlength="{escape(str(element["max_length"]))}"' if element.get("max_length") else ""
    attributes = f"{_id(label)}{_name(element, label, 'Text')}{hint}{limit} {_data(element, block_id)}"
    if element.get("multiline"):
        return f'<textarea class="bk-textarea" rows="4"{attributes}>{initial}</textarea>'
    kind = _TEXT_KINDS.get(str(element.get("type")), "text")
    return f'<input type="{kind}" class="bk-text-input"{attributes} value="{initial}">'


_TEXT_KINDS = {"email_text_input": "email", "url_text_input": "url"}


def _number(element: JSON, block_id: str, reader: Reader, label: Label | None) -> str:
    bounds = "".join(
        f' {attribute}="{escape(str(element[key]))}"'
        for attribute, key in (("min", "min_value"), ("max", "max_value"), ("value", "initial_value"))
        if key in element
    )
    step = "any" if element.get("is_decimal_allowed") else "1"
    return (
        f'<input type="number" class="bk-number" step="{step}"{bounds}{_id(label)}'
        f"{_name(element, label, 'Number')} {_data(element, block_id)}>"
    )


def _choices(kind: str, classes: str) -> Renderer:
    """Checkboxes or radio buttons: a fieldset of inputs valued by their options' values."""

    def render(element: JSON, block_id: str, reader: Reader, label: Label | None) -> str:
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
        labelled = f' aria-labelledby="{escape(label.control_id)}-label"' if label else ""
        return (
            f'<fieldset class="{classes} bk-choices"{_id(label)}{labelled} {_data(element, block_id)}>'
            f"{''.join(rows)}</fieldset>"
        )

    return render


def _image(element: JSON, block_id: str, reader: Reader, label: Label | None) -> str:
    return image_html(element.get("image_url"), element.get("alt_text"), "bk-image")


def image_html(url: Any, alt: Any, classes: str) -> str:
    """An <img> only for a web address; anything else shows its alt text."""
    alt_text = escape(str(alt or ""))
    if not has_scheme(url, WEB_SCHEMES):
        return f'<span class="{classes} bk-image-alt">{alt_text}</span>'
    return f'<img class="{classes}" src="{escape(str(url))}" alt="{alt_text}">'


_ELEMENTS: dict[str, Renderer] = {
    "button": _button,
    "overflow": _overflow,
    "static_select": _select,
    "multi_static_select": _select,
    "users_select": _users,
    "multi_users_select": _users,
    "datepicker": _picker("date", "initial_date"),
    "timepicker": _picker("time", "initial_time"),
    "plain_text_input": _text_input,
    "email_text_input": _text_input,
    "url_text_input": _text_input,
    "number_input": _number,
    "checkboxes": _choices("checkbox", "bk-checkboxes"),
    "radio_buttons": _choices("radio", "bk-radio-buttons"),
    "image": _image,
}

SUPPORTED_ELEMENTS = frozenset(_ELEMENTS)
