"""Never keep payment card numbers or secrets in tasks, reports or notes.

:func:`find_sensitive` says *what kind* of thing it found, never the thing itself, so
its result is safe to log and show. It looks at every reading of the text a disguise
could hide behind (:func:`bot.core.text_hygiene.scan_forms`: look-alike dashes and
spaces, zero-width characters, percent-escapes), for

* secrets by their shape: tokens and keys (detect-secrets' plugins) and passwords
  written out (:mod:`bot.core.secret_shapes`);
* payment card numbers: a Luhn-valid number grouped as cards are printed
  (:mod:`bot.core.card_numbers`).

A false positive costs the person one edit; a false negative stores a secret, so when
in doubt the patterns flag — but Slack timestamps and permalinks, order and phone numbers,
amounts, dates and versions pass (tests/core/test_safety.py holds both corpora).
:func:`refuse_sensitive` is the one way to act on a finding: it raises
:class:`~bot.core.errors.BadInput` with :func:`refusal_message`, which never quotes the
text. It also refuses text Slack can't show (a NUL, a lone surrogate), before anything
tries to store it.
"""

from __future__ import annotations

from bot.core.card_numbers import contains_card_number
from bot.core.errors import BadInput
from bot.core.secret_shapes import find_secret
from bot.core.sensitive_kinds import Sensitive
from bot.core.text_hygiene import refuse_unshowable, scan_forms

__all__ = ["Sensitive", "find_sensitive", "refusal_message", "refuse_sensitive"]


def find_sensitive(text: str) -> Sensitive | None:
    """Describe the first card number or secret in ``text`` (e.g. "a Slack token"), or None.

    Secrets are looked for before cards, in every reading of the text.
    """
    forms = scan_forms(text)
    for form in forms:
        if kind := find_secret(form):
            return kind
    return Sensitive.CARD if any(contains_card_number(form) for form in forms) else None


def refuse_sensitive(*texts: str | None) -> None:
    """Raise :class:`BadInput` if any of ``texts`` can't be kept: a secret, or a character
    Slack can't show (:func:`bot.core.text_hygiene.refuse_unshowable`).

    ``None`` stands for a field left empty. The error never quotes the text, so it is
    safe to show and log.
    """
    for text in texts:
        if text and (kind := find_sensitive(text)):
            raise BadInput(refusal_message(kind))
    refuse_unshowable(*texts)


def refusal_message(kind: Sensitive) -> str:
    """What to tell the person when :func:`find_sensitive` found ``kind``."""
    return (
        f"That text looks like it contains {kind}. Handoff never stores card numbers or secrets — "
        "remove it and send it again; share such details through your password manager "
        "or payment system."
    )
