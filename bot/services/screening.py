"""Refuse text that holds a card number or a secret before any of it is stored."""

from __future__ import annotations

from bot.core.errors import BadInput
from bot.core.safety import find_sensitive, refusal_message


def refuse_sensitive(*texts: str | None) -> None:
    """Raise BadInput naming what kind of secret was found (never the value itself)."""
    for text in texts:
        kind = find_sensitive(text or "")
        if kind:
            raise BadInput(refusal_message(kind))
