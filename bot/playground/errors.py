"""A request from the page the playground cannot act on, with what to send instead (HTTP 400)."""

from __future__ import annotations


class BadRequest(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
