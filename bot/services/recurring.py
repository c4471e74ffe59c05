"""Recurring handoffs: the clock offers each series' next occurrence ahead of its due date."""

from __future__ import annotations

from bot.services.runtime import Runtime


def offer_due_occurrences(rt: Runtime) -> int:
    """Create the occurrences whose offer time has come; returns how many were created."""
    return 0  # filled in with the series (issue 8, recurring handoffs)
