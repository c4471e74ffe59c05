"""A failed browser test leaves a screenshot and the page's HTML, and says where they are."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.failure_artifacts import ARTIFACTS, artifact_name, save_failure_artifacts

if TYPE_CHECKING:
    from playwright.sync_api import Browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REPO = Path(__file__).resolve().parents[2]

# A project of one failing browser test, using the same hook and browser as the real suite.
FAILING_PROJECT = {
    "conftest.py": """
        import pytest
        from playwright.sync_api import expect, sync_playwright

        from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
        from tests.browser.failure_artifacts import pytest_runtest_makereport  # noqa: F401

        @pytest.fixture
        def page():
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
                page = browser.new_page()
                yield page
                browser.close()
    """,
    "test_story.py": """
        from playwright.sync_api import expect

        def test_the_button_says_accept(page):
            page.set_content("<h1>Task T-1</h1><button>Decline</button>")
            expect(page.get_by_role("button", name="Accept")).to_be_visible(timeout=200)
    """,
}


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
    chromium_ready: None, tmp_path: Path
) -> None:
    for name, text in FAILING_PROJECT.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "test_story.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    screenshot = tmp_path / ARTIFACTS / "test_story-test_the_button_says_accept.png"
    assert screenshot.read_bytes().startswith(PNG_SIGNATURE)
    assert "Decline" in screenshot.with_suffix(".html").read_text()
    assert f"screenshot: {screenshot}" in run.stdout
