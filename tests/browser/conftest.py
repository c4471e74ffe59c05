"""The browser tests' rig: one headless Chromium per run, one playground server, a fresh
workspace and a new browser context for every test.

Chromium is Debian's package, driven by Playwright (``tests/browser/chromium.py``). Where it
is missing the tests skip with the command that installs it, unless ``REQUIRE_BROWSER=1``
(CI), which makes that a failure. A failed test leaves a screenshot and the page's HTML under
test-artifacts/ (``tests/browser/failure_artifacts.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, browser_problem, browser_required
from tests.browser.failure_artifacts import pytest_runtest_makereport  # noqa: F401  (the hook)
from tests.browser.playground_rig import RunningPlayground, running_playground
from tests.browser.workspace_page import Workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

EXPECT_TIMEOUT_MS = 10_000  # how long a check waits for the page to show what the bot did


@pytest.fixture(scope="session")
def chromium_ready() -> None:
    """Skip where the browser cannot run, with the reason; fail instead when CI requires it."""
    problem = browser_problem()
    if problem:
        if browser_required():
            pytest.fail(problem + " (REQUIRE_BROWSER=1)")
        pytest.skip(problem)


@pytest.fixture(scope="session")
def browser(chromium_ready: None) -> Iterator[Browser]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def playground_server() -> Iterator[RunningPlayground]:
    with running_playground() as playground:
        yield playground


@pytest.fixture
def playground(playground_server: RunningPlayground) -> RunningPlayground:
    """The server with a fresh workspace: what an earlier test did is gone."""
    playground_server.reset()
    return playground_server


@contextmanager
def window(browser: Browser, url: str) -> Iterator[Page]:
    """The page at ``url`` in a browser context of its own (no cookies or storage shared)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(url)
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, playground: RunningPlayground) -> Iterator[Page]:
    with window(browser, playground.url) as page:
        yield page


@pytest.fixture
def workspace(page: Page) -> Workspace:
    return Workspace(page)


@pytest.fixture
def second_window(browser: Browser, playground: RunningPlayground) -> Iterator[Workspace]:
    """Another person's window on the same workspace, as people share a workspace at once."""
    with window(browser, playground.url) as page:
        yield Workspace(page)
