"""What a press on the page becomes: the element pressed, Slack's ``actions`` entry for it, and
the checks Slack's client makes on a form before it submits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.playground.errors import BadRequest
from bot.playground.slack.interaction_payloads import block_id_of, button_action
from bot.playground.slack.slack_records import JSON

REQUIRED = "Please complete this required field."  # what Slack's client says before it submits
_INITIAL_KEYS = ("initial_value", "initial_user", "initial_users", "initial_option", "initial_date")


def required_text(body: JSON, key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise BadRequest(f"Send '{key}': the element's data-{key.replace('_', '-')} attribute.")
    return value


def find_element(versions: list[list[JSON]], block_id: str, action_id: str) -> tuple[list[JSON], JSON]:
    """The element and the blocks it sits in, from the first version of the blocks that has it."""
    for blocks in versions:
        for block in blocks:
            for element in [*(block.get("elements") or []), block.get("accessory") or {}]:
                if element.get("action_id") == action_id and block_id_of(blocks, element) == block_id:
                    return blocks, element
    raise BadRequest(
        f"No element {action_id!r} in block {block_id!r} there: send ids from the rendered blocks."
    )


def action_of(element: JSON, block_id: str, body: JSON) -> JSON:
    """The ``actions`` entry Slack sends for a press of ``element`` (a button, or an option picked)."""
    kind = element.get("type")
    if kind == "button":
        text = (element.get("text") or {}).get("text")
        return button_action(element["action_id"], block_id, element.get("value"), text)
    if kind in ("static_select", "overflow"):
        wanted = body.get("selected", body.get("value"))
        options = list(element.get("options") or [])
        chosen = next((o for o in options if o.get("value") == wanted), None)
        if chosen is None:
            offered = [o.get("value") for o in options]
            raise BadRequest(f"Send 'selected' as one of the options' values {offered}; not {wanted!r}.")
        return {"type": kind, "action_id": element["action_id"], "block_id": block_id,
                "selected_option": chosen, "action_ts": f"{datetime.now().timestamp():.6f}"}  # fmt: skip
    raise BadRequest(f"The playground cannot press a {kind!r} element yet; buttons and menus it can.")


def missing_inputs(view: JSON, values: dict[str, Any]) -> dict[str, str]:
    """Required inputs left empty: Slack's client marks them and does not submit."""
    missing = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input" or block.get("optional") or "block_id" not in block:
            continue
        element = block.get("element") or {}
        initial = next((element[k] for k in _INITIAL_KEYS if element.get(k)), None)
        given = values.get(block["block_id"], initial)
        if given in (None, "", []):
            missing[block["block_id"]] = REQUIRED
    return missing
