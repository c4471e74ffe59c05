"""Payment card numbers, recognised by shape and by the Luhn checksum every card passes.

A card number is 13–19 digits that pass the Luhn check, written whole or in groups
joined by single separators — a space, an underscore, a comma, or a dash, dot or slash
with optional spaces around it ("4111 1111 1111 1111", "4111,1111,1111,1111",
"4111 - 1111 - 1111 - 1111"), in any mix. Look-alike dashes, invisible characters and
percent-escapes are undone before this runs (:func:`bot.core.text_hygiene.scan_forms`).
Order numbers, dates, versions, amounts and phone numbers rarely match; see
:func:`_card_candidates` for which groupings count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_CARD_MIN_DIGITS = 13
_CARD_MAX_DIGITS = 19
# Printed groupings (4-4-4-4, 4-6-5, 4-4-4-4-3) never use a group longer than 6 digits,
# which keeps timestamps like "1732612300.000100" (a Slack message ts) out.
_GROUP_MIN_FIRST, _GROUP_MIN, _GROUP_MAX = 4, 3, 6

# One separator between two groups of a card number: "4111 1111", "4111_1111",
# "4111,1111", and a dash, dot or slash with or without a space on either side
# ("4111 - 1111", "4111/1111"). A comma takes no spaces: "2023, 2024, 2025, 2026" is a
# list of years, and amounts ("1,250,000") never start with a group of four.
_SEPARATOR = r"(?: ?[-./] ?|[ _,])"
# A run of digits where neighbours are joined by at most one separator.
# Digits glued to letters are ids, not cards (Slack permalinks: ".../p1732612300000100").
_DIGIT_RUN = re.compile(rf"(?<![A-Za-z0-9])\d(?:{_SEPARATOR}?\d)*(?![A-Za-z0-9])")
_GROUP_SEPARATOR = re.compile(_SEPARATOR)
_WHITESPACE = re.compile(r"\s+")


def contains_card_number(text: str) -> bool:
    """Whether ``text`` holds a Luhn-valid number of card length, grouped as cards are."""
    # "4111  1111 1111 1111" with a doubled space or a line break is still a card.
    spaced = _WHITESPACE.sub(" ", text)
    return any(_luhn_valid(candidate) for candidate in _card_candidates(spaced))


def _card_candidates(text: str) -> Iterator[str]:
    """Digit strings of card length made of consecutive, card-like groups of a digit run.

    Cards are written whole or grouped 4-4-4-4, 4-6-5, 4-3-3-3 and the like, so a
    candidate is one whole group of card length, or starts with a group of 4 to 6 digits
    and continues with groups of 3 to 6; that keeps lists like "101 102 103 104 105",
    dates ("2026-12-24"), versions ("1.2.3.4") and most phone numbers out.
    Every start group is tried because a card is often followed by more digits in the
    same run ("4111 1111 1111 1111 12 27" with the expiry).
    """
    for run in _DIGIT_RUN.finditer(text):
        groups = _GROUP_SEPARATOR.split(run.group())
        yield from (group for group in groups if _CARD_MIN_DIGITS <= len(group) <= _CARD_MAX_DIGITS)
        for start, first in enumerate(groups):
            if not _GROUP_MIN_FIRST <= len(first) <= _GROUP_MAX:
                continue
            digits = ""
            for group in groups[start:]:
                if not _GROUP_MIN <= len(group) <= _GROUP_MAX:
                    break
                digits += group
                if len(digits) > _CARD_MAX_DIGITS:
                    break
                if len(digits) >= _CARD_MIN_DIGITS:
                    yield digits


def _luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
