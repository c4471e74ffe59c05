"""What the Slack client puts in ``view.state.values`` when a user fills in a modal and submits it.

Like the client, it refuses what a person could not submit: an empty required input, an option the
element does not offer, a value outside min_length/max_length.
"""

from __future__ import annotations

from bot.playground.slack.slack_records import JSON

# Input element type -> (key Slack uses in state.values, key of the element's initial value).
_STATE_KEYS: dict[str, tuple[str, str]] = {
    "plain_text_input": ("value", "initial_value"),
    "email_text_input": ("value", "initial_value"),
    "url_text_input": ("value", "initial_value"),
    "number_input": ("value", "initial_value"),
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "channels_select": ("selected_channel", "initial_channel"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "static_select": ("selected_option", "initial_option"),
    "radio_buttons": ("selected_option", "initial_option"),
    "multi_static_select": ("selected_options", "initial_options"),
    "checkboxes": ("selected_options", "initial_options"),
}
_MULTI_TYPES = frozenset(
    {
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
        "multi_static_select",
        "checkboxes",
    }
)
_OPTION_TYPES = frozenset({"static_select", "radio_buttons", "multi_static_select", "checkboxes"})


def state_values(view: JSON, fields: dict[str, str | list[str]]) -> dict[str, dict[str, JSON]]:
    """``view.state.values`` as the Slack client builds it from the view's input blocks and ``fields``."""
    inputs = {
        b["block_id"]: b for b in view.get("blocks", []) if b.get("type") == "input" and "block_id" in b
    }
    unknown = sorted(set(fields) - set(inputs))
    if unknown:
        raise AssertionError(f"no input block(s) {unknown} in view; inputs: {sorted(inputs)}")
    values: dict[str, dict[str, JSON]] = {}
    for block_id, block in inputs.items():
        element = block["element"]
        state = _element_state(element, fields.get(block_id))
        if _is_empty(state) and not block.get("optional", False):
            raise AssertionError(f"required input {block_id!r} is empty; Slack would not submit the view")
        values[block_id] = {element.get("action_id", "a"): state}
    return values


def _element_state(element: JSON, given: str | list[str] | None) -> JSON:
    kind = element.get("type", "")
    if kind not in _STATE_KEYS:
        raise AssertionError(f"submit_view does not know input element type {kind!r}")
    key, initial_key = _STATE_KEYS[kind]
    if given is None:
        return {"type": kind, key: element.get(initial_key, [] if kind in _MULTI_TYPES else None)}
    if kind in _MULTI_TYPES and isinstance(given, str):
        given = [given]
    if kind in _OPTION_TYPES:
        return {"type": kind, key: _options_for(element, given)}
    if isinstance(given, str):
        _check_length(element, given)
    return {"type": kind, key: given}


def _options_for(element: JSON, given: str | list[str]) -> JSON | list[JSON]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    by_value = {option.get("value"): option for option in options}
    wanted = [given] if isinstance(given, str) else given
    missing = [value for value in wanted if value not in by_value]
    if missing:
        raise AssertionError(f"option value(s) {missing} not offered; offered: {sorted(map(str, by_value))}")
    chosen = [by_value[value] for value in wanted]
    return chosen[0] if isinstance(given, str) else chosen


def _check_length(element: JSON, value: str) -> None:
    """The Slack client enforces min_length/max_length before it submits."""
    if len(value) > element.get("max_length", 3000) or len(value) < element.get("min_length", 0):
        raise AssertionError(
            f"value of length {len(value)} breaks the limits of input {element.get('action_id')!r}"
        )


def _is_empty(state: JSON) -> bool:
    return all(value in (None, "", []) for key, value in state.items() if key != "type")
