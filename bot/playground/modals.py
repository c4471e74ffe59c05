"""Which modals each person has open, as Slack keeps a stack of views per person's client.

The embedded Slack knows every view the bot opened but not on whose screen: a view opened
while a person's request was being handled is theirs.
"""

from __future__ import annotations

from bot.playground.slack.slack_records import JSON


class ModalStacks:
    def __init__(self) -> None:
        self._stacks: dict[str, list[str]] = {}
        self.errors: dict[str, dict[str, str]] = {}  # view id -> block id -> the bot's message

    def top(self, user: str) -> str | None:
        stack = self._stacks.get(user)
        return stack[-1] if stack else None

    def opened(self, user: str, views: list[JSON]) -> None:
        """Views opened (``views.open``) or pushed (``views.push``) during the person's request."""
        for view in views:
            stack = self._stacks.setdefault(user, [])
            if view.get("previous_view_id") and stack and stack[-1] == view["previous_view_id"]:
                stack.append(view["id"])
            else:
                self._stacks[user] = [view["id"]]

    def pushed(self, user: str, view_id: str) -> None:
        self._stacks.setdefault(user, []).append(view_id)

    def close(self, user: str, *, everything: bool = False) -> None:
        stack = self._stacks.get(user, [])
        closed = stack if everything else stack[-1:]
        for view_id in closed:
            self.errors.pop(view_id, None)
        self._stacks[user] = [] if everything else stack[:-1]
