"""What a failed browser test leaves behind: a screenshot and the page's HTML, under test-artifacts/.

A browser test fails on something a person would have seen, so the first thing to look at is
what the page showed at that moment. ``pytest_runtest_makereport`` (imported into the browser
tests' conftest) saves both files when a test that has a ``page`` fails, and names them in
the failure report, which pytest-xdist carries back from its workers.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = "test-artifacts"  # beside the project's files; .gitignore keeps it out of commits
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Artifacts:
    screenshot: Path
    html: Path

    def describe(self) -> str:
        return f"screenshot: {self.screenshot}\npage HTML: {self.html}"


def artifact_name(nodeid: str) -> str:
    """A file name of the test's id: ``tests/browser/test_x.py::test_y[a]`` → ``test_x-test_y-a``."""
    name = nodeid.rsplit("/", 1)[-1].replace(".py::", "::").replace("::", "-")
    return _UNSAFE.sub("-", name).strip("-")


def save_failure_artifacts(page: Any, nodeid: str, directory: Path) -> Artifacts:
    """Save what ``page`` (a Playwright page) shows now, named after the test."""
    directory.mkdir(parents=True, exist_ok=True)
    name = artifact_name(nodeid)
    artifacts = Artifacts(screenshot=directory / f"{name}.png", html=directory / f"{name}.html")
    page.screenshot(path=str(artifacts.screenshot), full_page=True)
    artifacts.html.write_text(page.content(), encoding="utf-8")
    return artifacts


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.failed and report.when == "call" and page is not None:
        try:
            saved = save_failure_artifacts(page, item.nodeid, item.config.rootpath / ARTIFACTS)
        except Exception as error:  # a crashed page must not hide the test's own failure
            report.sections.append(("browser artifacts", f"could not save them: {error!r}"))
        else:
            report.sections.append(("browser artifacts", saved.describe()))
    return report
