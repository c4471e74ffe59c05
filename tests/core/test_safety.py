"""Card numbers and secrets are recognised, described, and never echoed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import BadInput
from bot.core.safety import (
    AWS_KEY,
    CARD,
    GITHUB_TOKEN,
    PASSWORD,
    PRIVATE_KEY,
    SLACK_TOKEN,
    find_sensitive,
    refusal_message,
    refuse_sensitive,
)

# Well-known test numbers from the card networks' documentation, in the grouping printed
# on such cards; none is a real card.
TEST_CARDS = [
    "4111 1111 1111 1111",
    "5555 5555 5555 4444",
    "3782 822463 10005",
    "6011 1111 1111 1117",
    "4222 222 222 222",
]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Pay with 4111 1111 1111 1111 please", CARD),
        ("card 4111-1111-1111-1111", CARD),
        ("4111111111111111", CARD),
        ("amex 3782 822463 10005", CARD),
        ("4111 1111 1111 1111 exp 12/27", CARD),
        ("4111 1111 1111 1111 12 27", CARD),  # the expiry runs on in the same digits
        ("4111111111111111 123", CARD),  # and so can the CVC
        ("4111  1111\n1111 1111", CARD),  # doubled space, line break
        ("token xoxb-1234567890-abcdefghij", SLACK_TOKEN),
        ("xoxp-1-2-3-abcdefabcdef", SLACK_TOKEN),
        ("use xapp-1-A0123-456-abcdef", SLACK_TOKEN),
        ("key AKIAIOSFODNN7EXAMPLE in the env", AWS_KEY),
        ("ASIAIOSFODNN7EXAMPLE", AWS_KEY),
        ("ghp_" + "a1B2" * 9, GITHUB_TOKEN),
        ("gho_" + "x" * 36, GITHUB_TOKEN),
        ("ghs_" + "0" * 36, GITHUB_TOKEN),
        ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv", GITHUB_TOKEN),
        ("login with password: hunter2", PASSWORD),
        ("PASSWORD=hunter2", PASSWORD),
        ("passwd: x", PASSWORD),
        ("pwd:secret", PASSWORD),
        ("Password : hunter2", PASSWORD),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", PRIVATE_KEY),
        ("-----BEGIN PRIVATE KEY-----", PRIVATE_KEY),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", PRIVATE_KEY),
    ],
)
def test_finds_sensitive(text: str, kind: str) -> None:
    assert find_sensitive(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Ship the Q3 report",
        "order 1234 5678",
        "call me on +49 1512 3456789",
        "call +1 415 555 2671",
        "4111 1111 1111 1112",  # fails the Luhn check
        "rooms 101 102 103 104 105 106",
        "due 2026-12-24 17:00",
        "budget 1,250,000.00 EUR",
        "xoxb-",
        "AKIA123",
        "ghp_short",
        "update the password policy",
        "password:",
        "the password reset flow",
        "-----BEGIN PUBLIC KEY-----",
        "T-12 done 100%",
    ],
)
def test_ignores_harmless_text(text: str) -> None:
    assert find_sensitive(text) is None


@pytest.mark.parametrize("grouped", TEST_CARDS)
def test_test_cards_in_any_common_writing(grouped: str) -> None:
    digits = grouped.replace(" ", "")
    # Digits glued to letters ("p1732612300000100") are ids such as Slack permalinks, not cards.
    for written in (digits, grouped, f"({digits})", f"pay {grouped}.", f"card:{digits}"):
        assert find_sensitive(written) == CARD, written


SEPARATORS = [" ", "-", ".", "/", "_", " - ", " -", "- ", " . ", ". ", " / ", "/ ", "  ", " \n "]


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize("grouped", TEST_CARDS)
def test_test_cards_grouped_by_any_separator(grouped: str, separator: str) -> None:
    written = grouped.replace(" ", separator)
    assert find_sensitive(f"card: {written}.") == CARD, written


@pytest.mark.parametrize(
    "text",
    [
        "4111.1111.1111.1111",
        "4111 - 1111 - 1111 - 1111",
        "4111/1111/1111/1111",
        "4111_1111_1111_1111",
        "4111-1111.1111/1111",  # any mix
        "4111 1111_1111 . 1111",
        "4111 -1111- 1111 /1111",
        "card no. 3782.822463.10005, exp 12/27",
        "(4111/1111/1111/1111)",
        "4111.1111.1111.1111 12/27 123",  # expiry and CVC run on
    ],
)
def test_finds_cards_with_any_separators(text: str) -> None:
    assert find_sensitive(text) == CARD


@pytest.mark.parametrize(
    "text",
    [
        "rooms 101 102 103",
        "rooms 101.102.103.104.105.106",
        "rooms 101/102/103/104/105/106",
        "due 2026-12-24",
        "due 2026/12/24 17:00",
        "24.12.2026",
        "from 2026-12-24 - 2027-01-05",
        "2026_12_24",
        "release 1.2.3.4",
        "v10.20.30.40",
        "version 2024.1.12.3",
        "host 192.168.100.200",
        "call 415.555.2671",
        "call +1-415-555-2671",
        "call +44 20 7946 0958",
        "(415) 555-2671 / 555-2672",
        "4111.1111.1111.1112",  # fails the Luhn check
        "4111/1111/1111/1112",
        "T-12 50% / T-13 20%",
    ],
)
def test_separators_do_not_flag_dates_versions_or_phone_numbers(text: str) -> None:
    assert find_sensitive(text) is None


def _luhn_check_digit(payload: str) -> str:
    total = 0
    for position, char in enumerate(reversed(payload)):
        value = int(char)
        if position % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return str((10 - total % 10) % 10)


@settings(max_examples=100, deadline=None)
@given(payload=st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_any_luhn_valid_number_of_card_length_is_found(payload: str) -> None:
    number = payload + _luhn_check_digit(payload)
    assert find_sensitive(f"pay with {number} today") == CARD


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_never_raises_and_returns_a_description_only(text: str) -> None:
    found = find_sensitive(text)
    assert found is None or found in {CARD, SLACK_TOKEN, AWS_KEY, GITHUB_TOKEN, PASSWORD, PRIVATE_KEY}


@pytest.mark.parametrize(
    "secret",
    ["4111 1111 1111 1111", "xoxb-1234567890-abcdefghij", "AKIAIOSFODNN7EXAMPLE", "password: hunter2"],
)
def test_result_and_message_never_contain_the_value(secret: str) -> None:
    kind = find_sensitive(f"here: {secret}")
    assert kind is not None
    message = refusal_message(kind)
    assert secret not in kind and secret not in message
    assert "hunter2" not in message and "4111" not in message


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (("pay 4111.1111.1111.1111",), CARD),
        ((None, "", "ok", "password: hunter2"), PASSWORD),
        (("xoxb-1234567890-abcdefghij", "4111 1111 1111 1111"), SLACK_TOKEN),  # the first finding
    ],
)
def test_refuse_sensitive_raises_the_refusal(texts: tuple[str | None, ...], kind: str) -> None:
    with pytest.raises(BadInput) as caught:
        refuse_sensitive(*texts)
    assert str(caught.value) == refusal_message(kind)
    assert caught.value.hint is None


@pytest.mark.parametrize("texts", [(), (None,), ("",), ("Ship the Q3 report", None, "due 2026-12-24")])
def test_refuse_sensitive_lets_harmless_text_pass(texts: tuple[str | None, ...]) -> None:
    refuse_sensitive(*texts)


def test_refusal_message() -> None:
    assert refusal_message(CARD) == (
        "That text looks like it contains a payment card number. Handoff never stores card numbers "
        "or secrets — remove it and send it again; share such details through your password manager "
        "or payment system."
    )


@pytest.mark.parametrize(
    "text",
    [
        "see thread_ts=1732612300.000100 for context",
        "https://acme.slack.com/archives/C0123/p1732612300000100",
        "order 12345678.12345678 shipped",
    ],
)
def test_slack_timestamps_and_permalinks_are_not_cards(text: str) -> None:
    assert find_sensitive(text) is None


def test_a_whole_card_followed_by_its_expiry_is_caught() -> None:
    assert find_sensitive("card 4111111111111111 12/27") == CARD
