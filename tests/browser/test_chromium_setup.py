"""Where the browser tests can't run they say why and how to fix it; CI makes that a failure."""

from __future__ import annotations

from pathlib import Path

from tests.browser.chromium import browser_problem, browser_required


def test_a_missing_chromium_names_the_path_and_the_install_command(tmp_path: Path) -> None:
    missing = tmp_path / "chromium"
    assert browser_problem(missing) == f"no Chromium at {missing}: apt-get install chromium"


def test_an_installed_chromium_is_no_problem(tmp_path: Path) -> None:
    chromium = tmp_path / "chromium"
    chromium.touch()
    assert browser_problem(chromium) is None


def test_only_ci_requires_the_browser() -> None:
    assert browser_required({"REQUIRE_BROWSER": "1"})
    assert not browser_required({})
    assert not browser_required({"REQUIRE_BROWSER": "0"})
