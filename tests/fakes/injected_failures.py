"""Failures a test queues up with ``FakeSlack.fail_next``: rate limits, server errors, error answers."""

from __future__ import annotations

from dataclasses import dataclass

from tests.fakes.slack_records import JSON


@dataclass(frozen=True)
class Failure:
    status: int
    retry_after: int
    error: str | None

    def api_answer(self) -> tuple[int, JSON, dict[str, str]]:
        """What the Web API sends instead of the real answer: (HTTP status, JSON body, extra headers)."""
        if self.error is not None:
            return 200, {"ok": False, "error": self.error}, {}
        if self.status == 429:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(self.retry_after)}
        error = "service_unavailable" if self.status == 503 else "fatal_error"
        return self.status, {"ok": False, "error": error}, {}


class FailureQueue:
    """Queued failures per method (or ``"response_url"``), used up one call at a time."""

    def __init__(self) -> None:
        self._queued: dict[str, list[Failure]] = {}

    def add(self, method: str, failure: Failure, *, times: int) -> None:
        self._queued.setdefault(method, []).extend([failure] * times)

    def take(self, method: str) -> Failure | None:
        queue = self._queued.get(method)
        return queue.pop(0) if queue else None
