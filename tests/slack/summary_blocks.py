"""Reading a summary message back: its headings, each task's line and buttons, its context lines."""

from __future__ import annotations

from typing import Any

Message = dict[str, Any]


def headings(message: Message) -> list[str]:
    """The section headings, in order: sections with no button beside them."""
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section" and "accessory" not in b]


def lines(message: Message) -> dict[int, str]:
    """Each task's line text, by task number (the View button's value)."""
    return {
        int(b["accessory"]["value"]): b["text"]["text"]
        for b in message["blocks"]
        if b["type"] == "section" and "accessory" in b
    }


def buttons(message: Message) -> dict[int, list[str]]:
    """Each task's buttons (action ids): the one beside its line and those in the actions block under it."""
    found: dict[int, list[str]] = {}
    current: list[str] = []
    for block in message["blocks"]:
        if block["type"] == "section" and "accessory" in block:
            current = found.setdefault(int(block["accessory"]["value"]), [block["accessory"]["action_id"]])
        elif block["type"] == "actions":
            current += [element["action_id"] for element in block["elements"]]
    return found


def contexts(message: Message) -> list[str]:
    return [e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"]]
