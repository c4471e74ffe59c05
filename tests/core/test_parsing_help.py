"""Help: each command's help has examples that parse, and every way of asking for it is heard."""

from __future__ import annotations

import pytest

from bot.core.parsing import is_help, parse_delegate
from bot.slack.help_text import HELP_DELEGATE, HELP_REPORT, HELP_TASKS


@pytest.mark.parametrize("help_text", [HELP_DELEGATE, HELP_TASKS, HELP_REPORT])
def test_help_texts_have_examples(help_text: str) -> None:
    assert help_text.strip()
    assert "T-12" in help_text or "/delegate @" in help_text


def test_help_delegate_examples_parse() -> None:
    examples = [line.split("`")[1] for line in HELP_DELEGATE.splitlines() if line.startswith("• `/delegate")]
    assert examples
    for example in examples:
        # People pick mentions from the list, which Slack escapes.
        escaped = example.removeprefix("/delegate ").replace("@alice", "<@U1|alice>")
        escaped = escaped.replace("@bob", "<@U2|bob>").replace("@carol", "<@U3>").replace("@dan", "<@U4>")
        parse_delegate(escaped)


@pytest.mark.parametrize(
    ("text", "expected"), [("help", True), (" Help ", True), ("?", True), ("helpme", False), ("", False)]
)
def test_is_help(text: str, expected: bool) -> None:
    assert is_help(text) is expected
