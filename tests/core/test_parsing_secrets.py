"""Secrets in a command are refused wherever they stand, and never shown back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import dates
from bot.core.errors import BadInput
from bot.core.parsing import parse_delegate, parse_edit, parse_report, parse_task_number, parse_tasks
from bot.core.safety import Sensitive, refusal_message
from tests.core.parsing_cases import MIXED_TEXT

_CARD = "4111 1111 1111 1111"
_PASSWORD = "password: hunter2"
_TOKEN = "xoxb-1234567890-abcdefghij"
_SECRETS = {_CARD: Sensitive.CARD, _PASSWORD: Sensitive.PASSWORD, _TOKEN: Sensitive.SLACK_TOKEN}
# Bits of each secret that must never be shown back.
_SECRET_BITS = {
    _CARD: ("4111", "1111"),
    _PASSWORD: ("hunter2",),
    _TOKEN: ("xoxb", "1234567890", "abcdefghij"),
}


def _parse_due(text: str) -> object:
    return dates.parse_due(text, now=datetime(2026, 11, 26, 10, tzinfo=UTC), tz="UTC", workday_end=time(17))


# Each template puts the secret ({}) where the parser would otherwise quote it back, or
# where the text would not parse at all.
_SECRET_PLACES: list[tuple[Callable[[str], object], str]] = [
    (parse_delegate, "<@U1> x | {}"),
    (parse_delegate, "<@U1> Pay the invoice with {} | due: friday"),
    (parse_delegate, "<@U1> x | done when: {}"),
    (parse_delegate, "<@U1> x | due: {}"),
    (parse_delegate, "{}"),
    (parse_delegate, "@alice {}"),
    (parse_delegate, "<@U1> Read <https://x.io|{}>"),
    (parse_report, "T-1 {}"),
    (parse_report, "T-1 done {}"),
    (parse_report, "{} done"),
    (parse_tasks, "T-1 edit due: {}"),
    (parse_tasks, "T-1 edit title: x | {}"),
    (parse_tasks, "T-1 cancel {}"),
    (parse_tasks, "T-1 {}"),
    (parse_tasks, "{}"),
    (parse_tasks, "T-1 reassign <@U2> {}"),
    (parse_edit, "due: {}"),
    (parse_edit, "{}"),
    (parse_edit, "title: x | {}"),
    (parse_task_number, "{}"),
    (parse_task_number, "T-{}"),
    (_parse_due, "{}"),
    (_parse_due, "friday {}"),
]


@pytest.mark.parametrize("secret", list(_SECRETS))
@pytest.mark.parametrize(
    ("parser", "template"), _SECRET_PLACES, ids=[f"{p.__name__}:{t}" for p, t in _SECRET_PLACES]
)
def test_secrets_are_refused_never_echoed(
    parser: Callable[[str], object], template: str, secret: str
) -> None:
    with pytest.raises(BadInput) as caught:
        parser(template.format(secret))
    assert caught.value.message == refusal_message(_SECRETS[secret])
    assert caught.value.hint is None
    for bit in _SECRET_BITS[secret]:
        assert bit not in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "<@U1> Pay 4111 1111 1111 <https://x.io|1111>",  # a card only once the link is read
        "<@U1> Log in as <@U2|password>: hunter2",
    ],
)
def test_secrets_that_show_only_in_the_plain_text_are_refused(text: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_delegate(text)
    assert "never stores card numbers or secrets" in caught.value.message
    assert "hunter2" not in str(caught.value) and "1111" not in str(caught.value)


_ALL_PARSERS: list[Callable[[str], object]] = [
    parse_delegate,
    parse_report,
    parse_tasks,
    parse_edit,
    parse_task_number,
    _parse_due,
]


@pytest.mark.parametrize("parser", _ALL_PARSERS, ids=lambda parser: parser.__name__)
@settings(max_examples=60, deadline=None)
@given(before=MIXED_TEXT, after=MIXED_TEXT, secret=st.sampled_from(list(_SECRETS)))
def test_a_secret_anywhere_is_refused(
    parser: Callable[[str], object], before: str, after: str, secret: str
) -> None:
    with pytest.raises(BadInput) as caught:
        parser(f"{before} {secret} {after}")
    assert "never stores card numbers or secrets" in caught.value.message
    for bit in _SECRET_BITS[secret]:
        assert bit not in str(caught.value)


def test_a_secret_hidden_inside_an_entity_is_refused() -> None:
    with pytest.raises(BadInput) as caught:
        parse_delegate("<@U1> Ping <!subteam^xoxb-1234567890-abcdefgh|@team>")
    assert caught.value.message == refusal_message(Sensitive.SLACK_TOKEN)
