"""Card numbers and secrets are recognised, described, and never echoed.

Two corpora lead: what people actually paste (each refused) and what only looks like it
(each accepted). The older tables below them pin the card groupings and the keyword forms.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.errors import BadInput
from bot.core.safety import Sensitive, find_sensitive, refusal_message, refuse_sensitive
from bot.core.text_hygiene import UNSHOWABLE_MESSAGE

ZWSP = "\u200b"  # zero-width space
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0"
    "IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
AWS_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # AWS's documentation example

# What people paste, as they paste it. Every row must be refused, naming what it found.
PASTED = [
    # Card numbers, disguised by the way they were typed or copied.
    ("pay with 4111–1111–1111–1111", Sensitive.CARD),  # en dashes
    ("pay with 4111 – 1111 – 1111 – 1111", Sensitive.CARD),
    ("pay with 4111—1111—1111—1111", Sensitive.CARD),  # em dashes
    ("pay with 4111‑1111‑1111‑1111", Sensitive.CARD),  # non-breaking hyphens
    ("card 4111,1111,1111,1111", Sensitive.CARD),  # commas
    (f"card 4111{ZWSP}1111{ZWSP}1111{ZWSP}1111", Sensitive.CARD),  # zero-width spaces between groups
    (f"card 41{ZWSP}11 1111 11{ZWSP}11 1111", Sensitive.CARD),  # and inside them
    ("card 4111\u00a01111\u00a01111\u00a01111", Sensitive.CARD),  # no-break spaces
    ("card 4111\u202f1111\u202f1111\u202f1111", Sensitive.CARD),  # narrow no-break spaces
    ("card ４１１１ １１１１ １１１１ １１１１", Sensitive.CARD),  # fullwidth digits
    ("card 4111\u00ad1111\u00ad1111\u00ad1111", Sensitive.CARD),  # soft hyphens
    ("https://pay.example.com/checkout?card=4111%201111%201111%201111&exp=12%2F27", Sensitive.CARD),
    (
        "https://pay.example.com/checkout?card=4111%25201111%25201111%25201111",
        Sensitive.CARD,
    ),  # escaped twice
    ("https://pay.example.com/checkout?card=4111111111111111", Sensitive.CARD),
    ("amex 3782–822463–10005", Sensitive.CARD),
    # Slack.
    (
        "hook: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        Sensitive.SLACK_WEBHOOK,
    ),
    ("refresh with xoxe-1-My0xLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MC1hYmNkZWY", Sensitive.SLACK_TOKEN),
    ("rotating xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAtYWJjZGVm", Sensitive.SLACK_TOKEN),
    ("bot token xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", Sensitive.SLACK_TOKEN),
    ("app token xapp-1-A0123ABCD-1234567890-abcdef0123456789", Sensitive.SLACK_TOKEN),
    (f"xox{ZWSP}b-1234567890-abcdefghij", Sensitive.SLACK_TOKEN),  # split by an invisible character
    ("https://x.example/?t=xoxb%2D1234567890%2Dabcdefghij", Sensitive.SLACK_TOKEN),  # escaped in a link
    # AWS.
    ("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", Sensitive.AWS_KEY),
    (f"aws_secret_access_key = {AWS_SECRET_KEY}", Sensitive.AWS_SECRET),
    (f'aws_secret_access_key = "{AWS_SECRET_KEY}"', Sensitive.AWS_SECRET),
    (f"the secret key is {AWS_SECRET_KEY}", Sensitive.AWS_SECRET),
    (AWS_SECRET_KEY, Sensitive.AWS_SECRET),
    (f"AKIA{ZWSP}IOSFODNN7EXAMPLE", Sensitive.AWS_KEY),
    # Stripe, GitHub, keys, JWTs, links with a password.
    ("use sk_live_4eC39HqLyjWDarjtT1zdp7dc for the refund", Sensitive.STRIPE_KEY),
    ("restricted rk_live_4eC39HqLyjWDarjtT1zdp7dc", Sensitive.STRIPE_KEY),
    ("ghp_" + "a1B2" * 9, Sensitive.GITHUB_TOKEN),
    ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv", Sensitive.GITHUB_TOKEN),
    (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
        Sensitive.PRIVATE_KEY,
    ),
    ("-----BEGIN ENCRYPTED PRIVATE KEY-----", Sensitive.PRIVATE_KEY),
    (f"Authorization: Bearer {JWT}", Sensitive.LOGIN_TOKEN),
    ("connect to https://admin:hunter2@db.example.com:5432/prod", Sensitive.URL_PASSWORD),
    ("glpat-" + "xY9" * 7, Sensitive.ACCESS_TOKEN),
    # Passwords, written as people write them.
    ("login with password: hunter2", Sensitive.PASSWORD),
    ("Password : hunter2", Sensitive.PASSWORD),
    ("passphrase: correct horse battery staple", Sensitive.PASSWORD),
    ("Passphrase = correct horse battery staple", Sensitive.PASSWORD),
    ("the password is hunter2", Sensitive.PASSWORD),
    ("The password is: hunter2", Sensitive.PASSWORD),
    ("my passphrase was correct-horse-battery", Sensitive.PASSWORD),
    ("db_password=s3cr3t", Sensitive.PASSWORD),
    ("api-key: 0a1b2c3d4e5f", Sensitive.PASSWORD),
    ("API key: 0a1b2c3d4e5f", Sensitive.PASSWORD),
    ("password\u2009:\u2009hunter2", Sensitive.PASSWORD),  # thin spaces
    ("guest wifi pw: hunter2", Sensitive.PASSWORD),
    ("the wifi pw is hunter2", Sensitive.PASSWORD),
]

# What only looks like it. Every row must pass.
LOOK_ALIKES = [
    # "pw" only as a word of its own, and not before words that say nothing secret.
    "the new pw is required for the VPN",
    "upgrade npw: 3 seats",
    # Slack's own numbers and links.
    "see thread_ts=1732612300.000100 for context",
    "1732612300.000100",
    "https://acme.slack.com/archives/C0123ABCD/p1732612300000100",
    "https://x.slack.com/archives/C123/p1732612300000100",
    "https://acme.slack.com/archives/C0123ABCD/p1732612300000100?thread_ts=1732612300.000100&cid=C0123ABCD",
    "<https://acme.slack.com/archives/C0123ABCD/p1732612300000100|this thread>",
    "https://hooks.slack.com/ is where incoming webhooks live",
    # Order numbers, invoices, tracking.
    "order 112-4567890-1234567 arrived",
    "order #4111-1111-1111",
    "PO 2026-000123, invoice INV-2026-00042",
    "order 12345678.12345678 shipped",
    "tracking 1Z999AA10123456784",
    # Phone numbers, written every way.
    "call +1 (415) 555-2671",
    "call +1–415–555–2671",
    "call +44 20 7946 0958",
    "call +49 151 23456789",
    "call +49 (0) 151 2345 6789",
    "call +33 6 12 34 56 78",
    "call 415.555.2671 or 030 1234567",
    # Amounts, dates, versions, plain numbers.
    "budget 1,250,000.00 EUR",
    "budget 12,500,000 USD",
    "years 2023, 2024, 2025, 2026",
    "due 2026-12-24",
    "due 24–12–2026",
    "from 2026-12-24 – 2027-01-05",
    "release 1.2.3.4",
    "rooms 101 102 103 104 105 106",
    "T-12 done 100%",
    "raise it 20%, then 30% more",
    "ISBN 978-3-16-148410-0",
    # Words that sound like secrets, and ids that look random.
    "Secretary: Jane Doe",
    "Secret Santa: draw names",
    "Passwords: rotate them every quarter",
    "update the password policy",
    "the password is expired, reset it",
    "the password reset flow",
    "password:",
    "the key is in the top drawer",
    "commit 3f786850e387550fdab836ed7e6dc881de23001b",
    "ThisIsMyVeryLongCamelCaseIdentifier12345",
    "https://docs.google.com/document/d/1A2b3C4d5E6f7G8h9I0jK1lM2nO3pQ4rS5tU6vW7xY8z/edit",
    "https://example.com/search?q=Q3%20report%20final",
    "eyJ is how a JWT starts",
    "-----BEGIN PUBLIC KEY-----",
    "Ship the Q3 report — PDF to the board",
]


@pytest.mark.parametrize(("text", "kind"), PASTED)
def test_what_people_paste_is_refused(text: str, kind: Sensitive) -> None:
    assert find_sensitive(text) == kind
    with pytest.raises(BadInput) as caught:
        refuse_sensitive("Ship it", text)
    assert str(caught.value) == refusal_message(kind)


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_pass(text: str) -> None:
    assert find_sensitive(text) is None
    refuse_sensitive(text)


@pytest.mark.parametrize("text", ["a\x00b", "\x00", "lone \ud83d half", "\udc00", "ok \ude00\x00"])
def test_text_slack_cannot_show_is_refused_with_a_clear_message(text: str) -> None:
    with pytest.raises(BadInput) as caught:
        refuse_sensitive("fine", text)
    assert str(caught.value) == UNSHOWABLE_MESSAGE
    assert "Slack can't show" in UNSHOWABLE_MESSAGE and "retype it" in UNSHOWABLE_MESSAGE


def test_a_secret_is_named_before_unshowable_characters() -> None:
    with pytest.raises(BadInput) as caught:
        refuse_sensitive("card 4111 1111 1111 1111 \x00")
    assert str(caught.value) == refusal_message(Sensitive.CARD)


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
        ("Pay with 4111 1111 1111 1111 please", Sensitive.CARD),
        ("card 4111-1111-1111-1111", Sensitive.CARD),
        ("4111111111111111", Sensitive.CARD),
        ("amex 3782 822463 10005", Sensitive.CARD),
        ("4111 1111 1111 1111 exp 12/27", Sensitive.CARD),
        ("4111 1111 1111 1111 12 27", Sensitive.CARD),  # the expiry runs on in the same digits
        ("4111111111111111 123", Sensitive.CARD),  # and so can the CVC
        ("4111  1111\n1111 1111", Sensitive.CARD),  # doubled space, line break
        ("token xoxb-1234567890-abcdefghij", Sensitive.SLACK_TOKEN),
        ("xoxp-1-2-3-abcdefabcdef", Sensitive.SLACK_TOKEN),
        ("use xapp-1-A0123-456-abcdef", Sensitive.SLACK_TOKEN),
        ("key AKIAIOSFODNN7EXAMPLE in the env", Sensitive.AWS_KEY),
        ("ASIAIOSFODNN7EXAMPLE", Sensitive.AWS_KEY),
        ("ghp_" + "a1B2" * 9, Sensitive.GITHUB_TOKEN),
        ("gho_" + "x" * 36, Sensitive.GITHUB_TOKEN),
        ("ghs_" + "0" * 36, Sensitive.GITHUB_TOKEN),
        ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv", Sensitive.GITHUB_TOKEN),
        ("login with password: hunter2", Sensitive.PASSWORD),
        ("PASSWORD=hunter2", Sensitive.PASSWORD),
        ("passwd: x", Sensitive.PASSWORD),
        ("pwd:secret", Sensitive.PASSWORD),
        ("Password : hunter2", Sensitive.PASSWORD),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", Sensitive.PRIVATE_KEY),
        ("-----BEGIN PRIVATE KEY-----", Sensitive.PRIVATE_KEY),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", Sensitive.PRIVATE_KEY),
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
        assert find_sensitive(written) == Sensitive.CARD, written


SEPARATORS = [" ", "-", ".", "/", "_", " - ", " -", "- ", " . ", ". ", " / ", "/ ", "  ", " \n "]


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize("grouped", TEST_CARDS)
def test_test_cards_grouped_by_any_separator(grouped: str, separator: str) -> None:
    written = grouped.replace(" ", separator)
    assert find_sensitive(f"card: {written}.") == Sensitive.CARD, written


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
    assert find_sensitive(text) == Sensitive.CARD


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
    assert find_sensitive(f"pay with {number} today") == Sensitive.CARD


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_never_raises_and_returns_a_description_only(text: str) -> None:
    found = find_sensitive(text)
    assert found is None or found in set(Sensitive)


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
        (("pay 4111.1111.1111.1111",), Sensitive.CARD),
        ((None, "", "ok", "password: hunter2"), Sensitive.PASSWORD),
        (("xoxb-1234567890-abcdefghij", "4111 1111 1111 1111"), Sensitive.SLACK_TOKEN),  # the first finding
    ],
)
def test_refuse_sensitive_raises_the_refusal(texts: tuple[str | None, ...], kind: Sensitive) -> None:
    with pytest.raises(BadInput) as caught:
        refuse_sensitive(*texts)
    assert str(caught.value) == refusal_message(kind)
    assert caught.value.hint is None


@pytest.mark.parametrize("texts", [(), (None,), ("",), ("Ship the Q3 report", None, "due 2026-12-24")])
def test_refuse_sensitive_lets_harmless_text_pass(texts: tuple[str | None, ...]) -> None:
    refuse_sensitive(*texts)


def test_refusal_message() -> None:
    assert refusal_message(Sensitive.CARD) == (
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
    assert find_sensitive("card 4111111111111111 12/27") == Sensitive.CARD
