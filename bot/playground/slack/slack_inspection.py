"""What a test reads back from the fake Slack: calls, messages, ephemerals, views, and waiting for them.

FakeSlack inherits these; each reads its state under its lock and changes nothing.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from bot.playground.slack.file_methods import Upload
from bot.playground.slack.slack_records import JSON, Call, Message
from bot.playground.slack.slack_workspace import Workspace, im_channel

T = TypeVar("T")


class SlackInspection:
    """The read side of FakeSlack; FakeSlack sets up the state it reads."""

    _lock: threading.RLock
    _calls: list[Call]
    _violations: list[str]
    _workspace: Workspace

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if self._sees(call)]

    def _sees(self, call: Call) -> bool:
        return True

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    @property
    def contract_violations(self) -> list[str]:
        with self._lock:
            return list(self._violations)

    def im_channel(self, user_id: str) -> str:
        """The stable IM channel id of the bot's DM with ``user_id`` (it exists once opened or posted to)."""
        return im_channel(user_id)

    def messages(self, channel: str) -> list[Message]:
        with self._lock:
            return list(self._workspace.messages.get(channel, []))

    def messages_to(self, user_id: str) -> list[Message]:
        return self.messages(self.im_channel(user_id))

    def last_message_to(self, user_id: str) -> Message:
        messages = self.messages_to(user_id)
        if not messages:
            raise AssertionError(
                f"no message was sent to {user_id}; sent so far:\n{self.describe_messages()}"
            )
        return messages[-1]

    def ephemerals_to(self, user_id: str) -> list[Message]:
        """Ephemerals to ``user_id``: chat.postEphemeral, response_url posts of urls issued for them, and
        the answers of their slash commands' HTTP responses, in the order Slack showed them."""
        with self._lock:
            return [message for message in self._workspace.ephemerals if message.user == user_id]

    def responses(self, url: str) -> list[JSON]:
        """Bodies POSTed to a response_url, in order."""
        with self._lock:
            binding = self._workspace.response_urls.get(url)
            return list(binding.posts) if binding else []

    def files_in(self, channel: str) -> list[Upload]:
        """Files shared in a channel (completed uploads), oldest first: name, title, content, comment."""
        with self._lock:
            shared = [u for u in self._workspace.uploads.values() if u.channel == channel]
            return [replace(upload) for upload in shared]

    def files_sent_to(self, user_id: str) -> list[Upload]:
        """Files shared in the bot's DM with ``user_id``, oldest first."""
        return self.files_in(self.im_channel(user_id))

    @property
    def views_opened(self) -> list[JSON]:
        """Views as returned by views.open / views.push, in order (snapshots at open time)."""
        with self._lock:
            return list(self._workspace.views_opened)

    def last_view(self) -> JSON:
        """Current state of the modal most recently opened, pushed or updated."""
        with self._lock:
            if not self._workspace.view_order:
                raise AssertionError(f"no modal was opened; calls so far:\n{self.describe_calls()}")
            return self._workspace.copy_of_view(self._workspace.view_order[-1])

    def view(self, view_id: str) -> JSON:
        with self._lock:
            return self._workspace.copy_of_view(view_id)

    def home_view(self, user_id: str) -> JSON | None:
        with self._lock:
            view_id = self._workspace.home_views.get(user_id)
            return self._workspace.copy_of_view(view_id) if view_id else None

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0, interval: float = 0.01) -> T:
        """Poll until ``predicate()`` is truthy and return its value (the app acks before it finishes)."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"condition not met within {timeout}s; calls so far:\n{self.describe_calls()}"
                )
            time.sleep(interval)

    def wait_for_message_to(self, user_id: str, *, count: int = 1, timeout: float = 5.0) -> Message:
        """Wait until ``user_id``'s DM holds at least ``count`` messages; return the latest."""
        self.wait_for(lambda: len(self.messages_to(user_id)) >= count, timeout=timeout)
        return self.last_message_to(user_id)

    def describe_calls(self) -> str:
        lines = []
        for call in self.calls:
            args = {k: v for k, v in call.args.items() if k not in ("blocks", "view")}
            outcome = "ok" if call.ok else (call.error or f"HTTP {call.status}")
            lines.append(f"  {call.method} -> {outcome} {json.dumps(args)[:200]}")
        return "\n".join(lines) or "  (none)"

    def describe_messages(self) -> str:
        with self._lock:
            posted = [m for messages in self._workspace.messages.values() for m in messages]
            stored = posted + self._workspace.ephemerals
        return "\n".join(f"  {m.describe()}" for m in stored) or "  (none)"
