"""Text as people paste it: characters Slack can't show, characters that reorder it, and
the disguises a secret wears.

Three separate jobs, because they act on the text differently:

* :func:`strip_bidi` *changes* what is kept: bidirectional controls (RTL override and
  friends) are removed, so a title cannot be shown reversed or with its parts swapped;
* :func:`refuse_unshowable` *refuses* text holding a NUL or a lone surrogate half: Slack
  can't show them, PostgreSQL can't store a NUL, and they only come from a broken paste;
* :func:`scan_forms` gives the readings of a text a secret scanner must look at — with
  look-alike dashes and spaces made plain, invisible characters dropped (or read as a
  space) and percent-escapes decoded — and changes nothing that is kept.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from bot.core.errors import BadInput

# Bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates
# (U+2066–U+2069), and the marks LRM, RLM and ALM. None of them is needed to write any
# language in a one-line title or a note; all of them can reorder what a reader sees.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_WITHOUT_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))

UNSHOWABLE_MESSAGE = (
    "That text contains characters Slack can't show (an invisible control character or half "
    "of an emoji, usually from a broken copy and paste); retype it, or paste it as plain text, "
    "and send it again."
)
_UNSHOWABLE = re.compile("[\x00\ud800-\udfff]")

# Every dash people or word processors use ("4111–1111", "2026—12"), read as "-".
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_AS_PLAIN = str.maketrans(dict.fromkeys(_DASHES, "-"))
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
# "%2520" is "%20" escaped again; a few rounds undo what any real link does.
_MAX_DECODE_ROUNDS = 3


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional controls; everything else (emoji joiners too) kept."""
    return text.translate(_WITHOUT_BIDI)


def is_unshowable(text: str) -> bool:
    """Whether ``text`` holds a NUL or a lone surrogate (half of a character)."""
    return _UNSHOWABLE.search(text) is not None


def refuse_unshowable(*texts: str | None) -> None:
    """Raise :class:`BadInput` if any of ``texts`` holds a character that can't be kept.

    The message never quotes the text: it could not be shown anyway.
    """
    if any(text and is_unshowable(text) for text in texts):
        raise BadInput(UNSHOWABLE_MESSAGE)


def scan_forms(text: str) -> list[str]:
    """The readings of ``text`` to scan for secrets, the plainest first, without repeats.

    Compatibility forms become plain (NFKC: fullwidth digits, no-break and thin spaces),
    dashes become "-", and invisible format characters (zero-width spaces and joiners,
    soft hyphens, bidi controls) are read both ways a disguise uses them: dropped from
    inside a number or token, or standing for the space between its groups. Each of those
    is read as written and with its percent-escapes decoded (``4111%201111…`` in a link).
    """
    plain = unicodedata.normalize("NFKC", text).translate(_AS_PLAIN)
    forms = [_replace_invisible(plain, ""), _replace_invisible(plain, " ")]
    forms += [_percent_decoded(form) for form in forms]
    return list(dict.fromkeys(forms))


def _replace_invisible(text: str, by: str) -> str:
    return "".join(by if unicodedata.category(char) == "Cf" else char for char in text)


def _percent_decoded(text: str) -> str:
    for _ in range(_MAX_DECODE_ROUNDS):
        if not _PERCENT_ESCAPE.search(text):
            break
        text = unquote(text, errors="replace")
    return text
