"""The embedded Slack ships with the bot: one copy, imported by the tests from the product."""

from __future__ import annotations

from pathlib import Path

from bot.playground.slack import fake_slack
from bot.playground.slack.slack_contract import REF_DIR, load_spec
from tests.core.test_boundaries import imported_modules

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_the_bot_ships_imports_the_tests() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.startswith("tests")
        )
        for path in (ROOT / "bot").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_tests_hold_no_second_copy_of_the_embedded_slack() -> None:
    shipped = {path.name for path in (ROOT / "bot" / "playground" / "slack").glob("*.py")} - {"__init__.py"}
    copies = sorted(
        str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("*.py") if path.name in shipped
    )
    assert copies == []
    assert not (ROOT / "tests" / "fakes" / "slack_api_ref").exists()


def test_slacks_method_reference_ships_beside_the_code_that_checks_against_it() -> None:
    assert REF_DIR.is_relative_to(Path(fake_slack.__file__).parent)
    assert load_spec("chat.postMessage").args["channel"]["required"]


def test_the_package_data_lists_every_reference_file() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    for pattern in ('"slack_api_ref/methods/*/*.json"', '"slack_api_ref/*.md"', '"slack_api_ref/SOURCE"'):
        assert pattern in pyproject
    assert {path.suffix for path in REF_DIR.rglob("*") if path.is_file()} <= {".json", ".md", ""}
