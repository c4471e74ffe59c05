"""The error answer of the fake Slack, and how a caller's contract breach is marked on it."""

from __future__ import annotations

from bot.playground.slack.slack_records import JSON


class SlackError(Exception):
    """Raised inside a method handler to answer ``{"ok": false, "error": ...}``.

    ``violation`` marks the error as a contract breach by the caller (recorded in ``contract_violations``),
    as opposed to a legitimate runtime answer such as ``user_not_found``.
    """

    def __init__(self, error: str, *messages: str, violation: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages)
        self.violation = violation

    @classmethod
    def from_problems(cls, error: str, problems: list[str]) -> SlackError:
        """A violation listing Block Kit ``problems`` the way Slack does, in ``response_metadata``."""
        return cls(error, *problems, violation=summary(problems))

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


def summary(problems: list[str]) -> str:
    """Slack's ``[ERROR] …`` messages as one line for ``contract_violations``."""
    return "; ".join(problem.removeprefix("[ERROR] ") for problem in problems)
