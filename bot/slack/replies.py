"""Answering the person who acted: ephemeral via response_url, or a DM where there is none."""

from __future__ import annotations

from typing import Any

from bot.services.runtime import Runtime

Body = dict[str, Any]


def response_url_of(body: Body) -> str | None:
    """Commands and button clicks carry a response_url; modal submissions don't."""
    if body.get("response_url"):
        return str(body["response_url"])
    urls = body.get("response_urls") or []
    return str(urls[0]["response_url"]) if urls else None


def actor_of(body: Body) -> str:
    return str(body.get("user_id") or body.get("user", {}).get("id") or "")


def reply(rt: Runtime, body: Body, message: dict[str, Any]) -> None:
    """Tell the person who acted, privately."""
    url = response_url_of(body)
    if url:
        rt.gateway.respond(url, message)
    elif actor_of(body):
        rt.gateway.send_dm(actor_of(body), message)
