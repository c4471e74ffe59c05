"""The JSON API the page speaks: one function per route, reading and acting through the Playground."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.playground.control import Playground
from bot.playground.errors import BadRequest

JSON = dict[str, Any]


def state(pg: Playground, query: Mapping[str, str]) -> JSON:
    return pg.state(_required(query, "as"), query.get("conversation") or "dm")


def command(pg: Playground, body: JSON) -> JSON:
    return pg.command(_required(body, "as"), str(body.get("conversation") or "dm"), _required(body, "text"))


def action(pg: Playground, body: JSON) -> JSON:
    return pg.action(_required(body, "as"), body)


def submit(pg: Playground, body: JSON) -> JSON:
    return pg.submit(_required(body, "as"), _required(body, "view_id"), body.get("values", {}))


def close(pg: Playground, body: JSON) -> JSON:
    return pg.close(_required(body, "as"), _required(body, "view_id"))


def open_conversation(pg: Playground, body: JSON) -> JSON:
    return pg.open(_required(body, "as"), _required(body, "conversation"))


def clock(pg: Playground, body: JSON) -> JSON:
    return pg.advance(_required(body, "advance"))


def reset(pg: Playground, body: JSON) -> JSON:
    return pg.reset()


GETS: dict[str, Callable[[Playground, Mapping[str, str]], JSON]] = {"/api/state": state}
POSTS: dict[str, Callable[[Playground, JSON], JSON]] = {
    "/api/command": command,
    "/api/action": action,
    "/api/submit": submit,
    "/api/close": close,
    "/api/open": open_conversation,
    "/api/clock": clock,
    "/api/reset": reset,
}
FIELDS = {
    "as": "a person's id from /api/state's people (e.g. UOLIVIA)",
    "text": "the line typed in the composer, e.g. '/delegate @Alice Ship the report'",
    "view_id": "the open modal's id from /api/state",
    "conversation": "one of home, dm, ops",
    "advance": "one of '1h', '1d', 'morning'",
}


def _required(source: Mapping[str, Any], key: str) -> str:
    value = source.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"Send '{key}': {FIELDS.get(key, 'a text')}.")
    return value
