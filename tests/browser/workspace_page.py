"""The playground page as a person uses it, by what they see: accessible names, never CSS paths.

Every locator here follows the page's DOM contract (who you are, the Conversations sidebar,
the Message composer, the Messages list, modals as named dialogs, the clock buttons), so a
story test reads like the steps a person takes. Playwright's ``expect`` waits for the page to
show what the bot did: the page polls, the server answers once the bot is done.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

OWNER = "Olivia (owner)"
ALICE = "Alice"
BOB = "Bob"
OUTSIDER = "Oscar (outsider)"

HOME, HANDOFF, OPS = "Home", "Handoff", "# ops"
ONLY_YOU = "Only visible to you"


class Workspace:
    """One person's window on the playground; ``become`` switches who that person is."""

    def __init__(self, page: Page) -> None:
        self.page = page

    # --- who and where ---

    def become(self, person: str) -> None:
        self.page.get_by_label("You are", exact=True).select_option(label=person)

    def open(self, conversation: str) -> None:
        sidebar = self.page.get_by_role("navigation", name="Conversations")
        sidebar.get_by_role("button", name=conversation, exact=True).click()

    # --- talking ---

    def send(self, text: str) -> None:
        """Type into the composer and press Enter, as a person sends a message or a slash command."""
        composer = self.page.get_by_role("textbox", name="Message", exact=True)
        composer.fill(text)
        composer.press("Enter")

    # --- reading ---

    def messages(self) -> Locator:
        return self.page.get_by_role("list", name="Messages", exact=True).locator("li.message")

    def message(self, text: str) -> Locator:
        """The latest message showing ``text``, once it is there."""
        found = self.messages().filter(has_text=text).last
        expect(found).to_be_visible()
        return found

    def press(self, label: str, *, on: str) -> None:
        """Press the button ``label`` on the latest message that shows ``on`` and has that button."""
        button = self.page.get_by_role("button", name=label, exact=True)
        found = self.messages().filter(has_text=on).filter(has=button).last
        found.get_by_role("button", name=label, exact=True).click()

    # --- modals ---

    def modal(self, title: str) -> Locator:
        dialog = self.page.get_by_role("dialog", name=title, exact=True)
        expect(dialog).to_be_visible()
        return dialog

    def submit(self, modal: Locator, label: str) -> None:
        """Press the modal's submit button; a modal the bot accepted closes."""
        modal.get_by_role("button", name=label, exact=True).click()
        expect(modal).to_be_hidden()

    # --- the clock ---

    def clock(self, step: str) -> None:
        """Press a clock button ("Advance 1 hour", "Advance 1 day", "Next working morning")."""
        before = self.simulated_time()
        self.page.get_by_role("button", name=step, exact=True).click()
        expect(self.page.get_by_label("Simulated time", exact=True)).not_to_have_text(before)

    def simulated_time(self) -> str:
        return self.page.get_by_label("Simulated time", exact=True).inner_text()
