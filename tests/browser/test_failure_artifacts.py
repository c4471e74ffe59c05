"""A failed browser test leaves a screenshot and the page's HTML, and says where they are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser import failure_artifacts
from tests.browser.failure_artifacts import ARTIFACTS, artifact_name, save_failure_artifacts

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

FAILING_TEST = """
from playwright.sync_api import expect

def test_the_button_says_accept(page):
    page.set_content("<h1>Task T-1</h1><button>Decline</button>")
    expect(page.get_by_role("button", name="Accept")).to_be_visible(timeout=200)
"""


class PageFromTheSuite:
    """The inner run's ``page`` fixture: a page of the suite's own browser (no second Chromium)."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser

    @pytest.fixture
    def page(self) -> Iterator[Page]:
        page = self.browser.new_page()
        yield page
        page.close()


def test_artifact_names_come_from_the_test_id() -> None:
    assert artifact_name("tests/browser/test_x.py::test_y[sqlite-1]") == "test_x-test_y-sqlite-1"


def test_the_helper_saves_what_the_page_shows(browser: Browser, tmp_path: Path) -> None:
    page = browser.new_page()
    try:
        page.set_content("<p>Handed off T-1</p>")
        saved = save_failure_artifacts(page, "tests/browser/test_x.py::test_y", tmp_path / ARTIFACTS)
    finally:
        page.close()
    assert saved.screenshot.read_bytes().startswith(PNG_SIGNATURE)
    assert "Handed off T-1" in saved.html.read_text()


def test_a_failing_browser_check_leaves_a_screenshot_named_in_the_report(
    browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pytest run of its own, in this process: only the hook and the page it is given."""
    (tmp_path / "test_story.py").write_text(FAILING_TEST)
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # no installed plugins: a faster start
    args = [str(tmp_path), "--rootdir", str(tmp_path), "-q", "--tb=short", "-p", "no:cacheprovider",
            "--import-mode=importlib"]  # fmt: skip
    exit_code = pytest.main(args, plugins=[failure_artifacts, PageFromTheSuite(browser)])
    report = capsys.readouterr().out

    assert exit_code == pytest.ExitCode.TESTS_FAILED, report
    screenshot = tmp_path / ARTIFACTS / "test_story-test_the_button_says_accept.png"
    assert screenshot.read_bytes().startswith(PNG_SIGNATURE)
    assert "Decline" in screenshot.with_suffix(".html").read_text()
    assert f"screenshot: {screenshot}" in report
