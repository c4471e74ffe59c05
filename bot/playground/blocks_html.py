"""Slack messages and views (modals, the Home tab) as HTML fragments for the playground page.

Pure functions: a message or view as the embedded Slack holds it in, escaped HTML out. The
page wraps a modal's blocks in its own dialog (title, submit, close) and builds Slack's
payloads from the data attributes the elements carry (see ``bot.playground.elements_html``).
A block this renderer does not know is shown as a labelled placeholder, never dropped, so a
new kind of block the bot starts sending is visible on the page (and fails a test first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from html import escape
from typing import Any

from bot.playground.elements_html import (
    JSON,
    SUPPORTED_ELEMENTS,
    Label,
    control_id,
    element_html,
    image_html,
    plain,
    text_html,
    unknown,
)
from bot.playground.mrkdwn_html import Reader, mrkdwn
from bot.playground.slack.interaction_payloads import AUTO_BLOCK_ID

CONTEXT_TEXTS = frozenset({"mrkdwn", "plain_text"})


def render_message(
    message: Mapping[str, Any], *, people: Mapping[str, str], tz: str, now: datetime | None = None
) -> str:
    """One message: its blocks when it has some, else its text as mrkdwn."""
    reader = Reader.of(people, tz, now)
    blocks = message.get("blocks")
    if blocks:
        return f'<div class="bk-message">{render_blocks(blocks, reader)}</div>'
    text = mrkdwn(str(message.get("text") or ""), reader)
    return f'<div class="bk-message"><div class="bk-text">{text}</div></div>'


def render_view(
    view: Mapping[str, Any], *, people: Mapping[str, str], tz: str, now: datetime | None = None
) -> str:
    """A modal's or Home tab's blocks, input blocks as labelled form controls (no form around)."""
    reader = Reader.of(people, tz, now)
    return f'<div class="bk-view">{render_blocks(view.get("blocks") or [], reader)}</div>'


def render_blocks(blocks: Iterable[JSON], reader: Reader) -> str:
    return "".join(_block(block, reader) for block in blocks)


def _block(block: JSON, reader: Reader) -> str:
    render = _BLOCKS.get(str(block.get("type")))
    if render is None:
        return unknown(block.get("type"))
    return render(block, str(block.get("block_id") or AUTO_BLOCK_ID), reader)


def _section(block: JSON, block_id: str, reader: Reader) -> str:
    parts = []
    if block.get("text"):
        parts.append(f'<div class="bk-section-text">{text_html(block["text"], reader)}</div>')
    if block.get("fields"):
        fields = "".join(f'<div class="bk-field">{text_html(f, reader)}</div>' for f in block["fields"])
        parts.append(f'<div class="bk-fields">{fields}</div>')
    body = f'<div class="bk-section-body">{"".join(parts)}</div>'
    accessory = block.get("accessory")
    if accessory:
        body += f'<div class="bk-accessory">{element_html(accessory, block_id, reader)}</div>'
    return f'<div class="bk-section">{body}</div>'


def _context(block: JSON, block_id: str, reader: Reader) -> str:
    parts = []
    for element in block.get("elements") or []:
        if element.get("type") in CONTEXT_TEXTS:
            parts.append(f'<span class="bk-context-text">{text_html(element, reader)}</span>')
        elif element.get("type") == "image":
            parts.append(image_html(element.get("image_url"), element.get("alt_text"), "bk-context-image"))
        else:
            parts.append(unknown(element.get("type")))
    return f'<div class="bk-context">{"".join(parts)}</div>'


def _header(block: JSON, block_id: str, reader: Reader) -> str:
    return f'<h2 class="bk-header">{plain(block.get("text"))}</h2>'


def _divider(block: JSON, block_id: str, reader: Reader) -> str:
    return '<hr class="bk-divider">'


def _actions(block: JSON, block_id: str, reader: Reader) -> str:
    elements = "".join(element_html(e, block_id, reader) for e in block.get("elements") or [])
    return f'<div class="bk-actions" role="group">{elements}</div>'


def _image(block: JSON, block_id: str, reader: Reader) -> str:
    title = block.get("title")
    caption = f'<figcaption class="bk-image-title">{plain(title)}</figcaption>' if title else ""
    picture = image_html(block.get("image_url"), block.get("alt_text"), "bk-image")
    return f'<figure class="bk-image-block">{picture}{caption}</figure>'


def _input(block: JSON, block_id: str, reader: Reader) -> str:
    """A label naming the control (``for``), the control, then the hint that describes it."""
    element = block.get("element") or {}
    cid = control_id(block_id, str(element.get("action_id", "")))
    optional = ' <span class="bk-optional">(optional)</span>' if block.get("optional") else ""
    label = (
        f'<label class="bk-label" for="{escape(cid)}" id="{escape(cid)}-label">'
        f"{plain(block.get('label'))}{optional}</label>"
    )
    hint = block.get("hint")
    hint_html = f'<div class="bk-hint" id="{escape(cid)}-hint">{plain(hint)}</div>' if hint else ""
    # The hint describes the control: screen readers read it after the label.
    control = element_html(element, block_id, reader, Label(cid, hinted=bool(hint)))
    required = "" if block.get("optional") else ' data-required="true"'
    return (
        f'<div class="bk-input" data-block-id="{escape(block_id)}"{required}>'
        f'{label}<div class="bk-control">{control}</div>{hint_html}</div>'
    )


_BLOCKS: dict[str, Callable[[JSON, str, Reader], str]] = {
    "section": _section,
    "context": _context,
    "header": _header,
    "divider": _divider,
    "actions": _actions,
    "input": _input,
    "image": _image,
}

SUPPORTED_BLOCKS = frozenset(_BLOCKS)

# Every class the fragments use, for the page's stylesheet: blocks, their parts, then text.
CSS_CLASSES = frozenset(
    {
        *("bk-message", "bk-text", "bk-view", "bk-unknown"),
        *("bk-section", "bk-section-body", "bk-section-text", "bk-fields", "bk-field", "bk-accessory"),
        *("bk-context", "bk-context-text", "bk-context-image", "bk-header", "bk-divider", "bk-actions"),
        *("bk-image", "bk-image-alt", "bk-image-block", "bk-image-title"),
        *("bk-input", "bk-label", "bk-optional", "bk-control", "bk-hint"),
        *("bk-button", "bk-primary", "bk-danger", "bk-select", "bk-overflow", "bk-users"),
        *("bk-text-input", "bk-textarea", "bk-number", "bk-datepicker", "bk-timepicker"),
        *("bk-choices", "bk-checkboxes", "bk-radio-buttons", "bk-choice", "bk-description"),
        *("bk-code", "bk-pre", "bk-quote", "bk-link", "bk-link-text", "bk-mention", "bk-channel"),
        *("bk-broadcast", "bk-date"),
    }
)
SUPPORTED_CONTEXT_ELEMENTS = CONTEXT_TEXTS | {"image"}
__all__ = ["CSS_CLASSES", "SUPPORTED_BLOCKS", "SUPPORTED_ELEMENTS", "render_message", "render_view"]
