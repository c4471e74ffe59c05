"""Never keep payment card numbers or secrets in tasks, reports or notes.

:func:`find_sensitive` says *what kind* of thing it found, never the thing itself, so
its result is safe to log and show. Detection is deliberately pattern-based:

* card numbers: 13–19 digits that pass the Luhn checksum, written whole or in groups
  joined by single separators — a space, an underscore, or a dash, dot or slash with
  optional spaces around it ("4111 1111 1111 1111", "4111.1111.1111.1111",
  "4111 - 1111 - 1111 - 1111"), in any mix. Order numbers, dates, versions and phone
  numbers rarely match; see :func:`_card_candidates` for which groupings count;
* Slack, AWS and GitHub tokens by their documented prefixes and lengths;
* ``password: …`` style assignments and PEM private key headers.

A false positive costs the person one edit; a false negative stores a secret, so when
in doubt the patterns flag. :func:`refuse_sensitive` is the one way to act on a finding:
it raises :class:`~bot.core.errors.BadInput` with :func:`refusal_message`, which never
quotes the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.core.errors import BadInput

CARD = "a payment card number"
SLACK_TOKEN = "a Slack token"
AWS_KEY = "an AWS access key"
GITHUB_TOKEN = "a GitHub token"
PASSWORD = "a password"
PRIVATE_KEY = "a private key"

_CARD_MIN_DIGITS = 13
_CARD_MAX_DIGITS = 19
# Printed groupings (4-4-4-4, 4-6-5, 4-4-4-4-3) never use a group longer than 6 digits,
# which keeps timestamps like "1732612300.000100" (a Slack message ts) out.
_GROUP_MIN_FIRST, _GROUP_MIN, _GROUP_MAX = 4, 3, 6

# Checked in this order; the first match names the finding.
_SECRET_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (PRIVATE_KEY, re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")),
    (SLACK_TOKEN, re.compile(r"(?<![A-Za-z0-9])(?:xox[abposr]|xapp)-[A-Za-z0-9-]{8,}")),
    (AWS_KEY, re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
    (
        GITHUB_TOKEN,
        re.compile(r"(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{20,})"),
    ),
    (PASSWORD, re.compile(r"(?i)\b(?:password|passwd|pwd)\s*[:=]\s*\S")),
)

# One separator between two groups of a card number: "4111 1111", "4111_1111", and a
# dash, dot or slash with or without a space on either side ("4111 - 1111", "4111/1111").
_SEPARATOR = r"(?: ?[-./] ?|[ _])"
# A run of digits where neighbours are joined by at most one separator.
# Digits glued to letters are ids, not cards (Slack permalinks: ".../p1732612300000100").
_DIGIT_RUN = re.compile(rf"(?<![A-Za-z0-9])\d(?:{_SEPARATOR}?\d)*(?![A-Za-z0-9])")
_GROUP_SEPARATOR = re.compile(_SEPARATOR)
_WHITESPACE = re.compile(r"\s+")


def find_sensitive(text: str) -> str | None:
    """Describe the first card number or secret in ``text`` (e.g. "a Slack token"), or None."""
    for kind, pattern in _SECRET_PATTERNS:
        if pattern.search(text):
            return kind
    # "4111  1111 1111 1111" with a doubled space or a line break is still a card.
    spaced = _WHITESPACE.sub(" ", text)
    if any(_luhn_valid(candidate) for candidate in _card_candidates(spaced)):
        return CARD
    return None


def refuse_sensitive(*texts: str | None) -> None:
    """Raise :class:`BadInput` with :func:`refusal_message` if any of ``texts`` holds a secret.

    ``None`` stands for a field left empty. The error names the kind of secret only, so
    it is safe to show and log.
    """
    for text in texts:
        if text and (kind := find_sensitive(text)):
            raise BadInput(refusal_message(kind))


def refusal_message(kind: str) -> str:
    """What to tell the person when :func:`find_sensitive` found ``kind``."""
    return (
        f"That text looks like it contains {kind}. Handoff never stores card numbers or secrets — "
        "remove it and send it again; share such details through your password manager "
        "or payment system."
    )


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
