"""Block Kit and view limits that Slack enforces (see SLACK-FACTS.md).

Each checker returns a list of problems in Slack's own message style (``[ERROR] … [json-pointer:…]``), empty
when the payload would be accepted; the caller decides which error code to answer with.
"""

from __future__ import annotations

from typing import Any

from bot.playground.slack.slack_records import JSON

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100

# Top-level fields a view payload may carry. Slack rejects the fields it adds itself (id, hash, state,
# team_id…), which bites apps that copy ``body["view"]`` from a submission into views.update.
VIEW_FIELDS = frozenset(
    {
        "type", "title", "blocks", "close", "submit", "private_metadata", "callback_id",
        "clear_on_close", "notify_on_close", "external_id", "submit_disabled",
    }
)  # fmt: skip


def message_block_problems(blocks: Any) -> list[str]:
    if not isinstance(blocks, list):
        return ["[ERROR] blocks must be an array [json-pointer:/blocks]"]
    return _blocks_problems(blocks, MAX_MESSAGE_BLOCKS, "/blocks")


def view_problems(view: Any, *, expected_type: str | None) -> list[str]:
    if not isinstance(view, dict):
        return ["[ERROR] view must be an object [json-pointer:/view]"]
    kind = view.get("type")
    if kind not in ("modal", "home") or (expected_type and kind != expected_type):
        wanted = expected_type or "modal or home"
        return [f"[ERROR] view type must be {wanted}, got {kind!r} [json-pointer:/view/type]"]
    extra = sorted(view.keys() - VIEW_FIELDS)
    problems = [f"[ERROR] unexpected field {key!r} [json-pointer:/view/{key}]" for key in extra]
    problems += _blocks_problems(view.get("blocks"), MAX_VIEW_BLOCKS, "/view/blocks")
    problems += _max_len(view.get("private_metadata"), 3000, "/view/private_metadata")
    problems += _max_len(view.get("callback_id"), 255, "/view/callback_id")
    problems += _max_len(view.get("external_id"), 255, "/view/external_id")
    if kind == "modal":
        problems += _modal_problems(view)
    return problems


def _modal_problems(view: JSON) -> list[str]:
    problems = _text_problems(view.get("title"), "/view/title", max_len=24, plain_only=True)
    for key in ("submit", "close"):
        if key in view and view[key] is not None:
            problems += _text_problems(view[key], f"/view/{key}", max_len=24, plain_only=True)
    has_inputs = any(isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or [])
    if has_inputs and not view.get("submit"):
        problems.append(
            "[ERROR] a view with input blocks must have a submit button [json-pointer:/view/submit]"
        )
    return problems


def _blocks_problems(blocks: Any, max_blocks: int, where: str) -> list[str]:
    if not isinstance(blocks, list):
        return [f"[ERROR] must be an array [json-pointer:{where}]"]
    problems = []
    if len(blocks) > max_blocks:
        problems.append(f"[ERROR] no more than {max_blocks} items allowed [json-pointer:{where}]")
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        path = f"{where}/{i}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            problems.append(f"[ERROR] a block must be an object with a type [json-pointer:{path}]")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            problems += _max_len(block_id, 255, f"{path}/block_id")
            if block_id in seen_ids:
                problems.append(f"[ERROR] duplicate block_id {block_id!r} [json-pointer:{path}/block_id]")
            seen_ids.add(block_id)
        problems += _block_problems(block, path)
    return problems + _duplicate_action_ids(blocks, where)


def _duplicate_action_ids(blocks: list[Any], where: str) -> list[str]:
    """Every interactive element's action_id must be unique within its message or view.

    Slack's reference asks for uniqueness within a block; a message or view that repeats one
    across blocks is also answered ``invalid_blocks`` here, so the app can never send one whose
    clicks it could not tell apart.
    """
    problems, seen = [], set()
    for pointer, action_id in _action_ids(blocks, where):
        if action_id in seen:
            problems.append(f"[ERROR] duplicate action_id {action_id!r} [json-pointer:{pointer}]")
        seen.add(action_id)
    return problems


def _action_ids(blocks: list[Any], where: str) -> list[tuple[str, str]]:
    found = []
    for i, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        elements = {
            "accessory": block.get("accessory"),
            "element": block.get("element"),
            **{
                f"elements/{j}": e
                for j, e in enumerate(block.get("elements") or [])
                if block["type"] == "actions"
            },
        }
        for place, element in elements.items():
            if isinstance(element, dict) and isinstance(element.get("action_id"), str):
                found.append((f"{where}/{i}/{place}/action_id", element["action_id"]))
    return found


def _block_problems(block: JSON, path: str) -> list[str]:
    kind = block["type"]
    if kind == "section":
        return _section_problems(block, path)
    if kind == "header":
        return _text_problems(block.get("text"), f"{path}/text", max_len=150, plain_only=True)
    if kind == "context":
        return _max_items(block.get("elements"), 10, f"{path}/elements")
    if kind == "actions":
        return _elements_problems(block.get("elements"), 25, f"{path}/elements")
    if kind == "input":
        problems = _text_problems(block.get("label"), f"{path}/label", max_len=2000, plain_only=True)
        if not isinstance(block.get("element"), dict):
            return [*problems, f"[ERROR] input block needs an element [json-pointer:{path}/element]"]
        return problems + _element_problems(block["element"], f"{path}/element")
    return []


def _section_problems(block: JSON, path: str) -> list[str]:
    if "text" not in block and "fields" not in block:
        return [f"[ERROR] section needs text or fields [json-pointer:{path}]"]
    problems = []
    if "text" in block:
        problems += _text_problems(block["text"], f"{path}/text", max_len=3000)
    if "fields" in block:
        problems += _max_items(block["fields"], 10, f"{path}/fields")
        for i, text in enumerate(block["fields"] or []):
            problems += _text_problems(text, f"{path}/fields/{i}", max_len=2000)
    if isinstance(block.get("accessory"), dict):
        problems += _element_problems(block["accessory"], f"{path}/accessory")
    return problems


def _elements_problems(elements: Any, max_items: int, path: str) -> list[str]:
    problems = _max_items(elements, max_items, path)
    for i, element in enumerate(elements if isinstance(elements, list) else []):
        if not isinstance(element, dict):
            problems.append(f"[ERROR] an element must be an object [json-pointer:{path}/{i}]")
            continue
        problems += _element_problems(element, f"{path}/{i}")
    return problems


def _element_problems(element: JSON, path: str) -> list[str]:
    problems = _max_len(element.get("action_id"), 255, f"{path}/action_id")
    kind = element.get("type")
    if kind == "button":
        problems += _text_problems(element.get("text"), f"{path}/text", max_len=75, plain_only=True)
        problems += _max_len(element.get("value"), 2000, f"{path}/value")
        problems += _max_len(element.get("url"), 3000, f"{path}/url")
    elif kind in ("static_select", "multi_static_select", "radio_buttons", "checkboxes", "overflow"):
        options = element.get("options")
        if options is not None:
            problems += _max_items(options, 100, f"{path}/options")
            for i, option in enumerate(options if isinstance(options, list) else []):
                option = option if isinstance(option, dict) else {}
                problems += _text_problems(option.get("text"), f"{path}/options/{i}/text", max_len=75)
                problems += _max_len(option.get("value"), 150, f"{path}/options/{i}/value")
    return problems


def _text_problems(obj: Any, path: str, *, max_len: int, plain_only: bool = False) -> list[str]:
    allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    if not isinstance(obj, dict) or obj.get("type") not in allowed or not isinstance(obj.get("text"), str):
        return [f"[ERROR] must be a text object of type {' or '.join(allowed)} [json-pointer:{path}]"]
    if not obj["text"]:
        return [f"[ERROR] must be more than 0 characters [json-pointer:{path}/text]"]
    return _max_len(obj["text"], max_len, f"{path}/text")


def _max_len(value: Any, limit: int, path: str) -> list[str]:
    if isinstance(value, str) and len(value) > limit:
        return [f"[ERROR] must be less than {limit + 1} characters [json-pointer:{path}]"]
    return []


def _max_items(value: Any, limit: int, path: str) -> list[str]:
    if not isinstance(value, list):
        return [f"[ERROR] must be an array [json-pointer:{path}]"]
    if len(value) > limit:
        return [f"[ERROR] no more than {limit} items allowed [json-pointer:{path}]"]
    return []
