"""The page as served: the names and roles the browser tests and screen readers rely on, all local."""

from __future__ import annotations

import re
import urllib.request

from tests.playground.conftest import PageClient


def fetch(page: PageClient, path: str) -> tuple[str, str]:
    with urllib.request.urlopen(page.url + path, timeout=30) as response:
        return response.headers["Content-Type"], response.read().decode()


def test_the_page_and_its_script_and_style_are_served_from_the_playground(page: PageClient) -> None:
    kind, html = fetch(page, "/")
    assert kind.startswith("text/html")
    assert fetch(page, "/app.js")[0].startswith("text/javascript")
    assert fetch(page, "/style.css")[0].startswith("text/css")
    # No CDN, no build step: every script and stylesheet comes from the playground itself.
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == ["/style.css", "/app.js"]


def test_the_page_has_the_controls_by_their_accessible_names(page: PageClient) -> None:
    html = fetch(page, "/")[1]
    for landmark in (
        '<select id="who" aria-label="You are">',
        '<nav aria-label="Conversations">',
        '<ol id="messages" aria-label="Messages">',
        'aria-label="Message"',
        'aria-label="Simulated time"',
    ):
        assert landmark in html
    buttons = re.findall(r"<button[^>]*>([^<]+)</button>", html)
    for name in ("Home", "Handoff", "# ops", "Advance 1 hour", "Advance 1 day", "Next working morning",
                 "Reset workspace"):  # fmt: skip
        assert name in buttons


def test_the_script_marks_ephemerals_and_opens_forms_as_named_dialogs() -> None:
    from importlib import resources

    script = resources.files("bot.playground").joinpath("static", "app.js").read_text()
    assert '"Only visible to you"' in script
    assert 'dialog.setAttribute("aria-label", modal.title)' in script
    assert 'error.setAttribute("role", "alert")' in script
