"""The fake's ``views.*`` methods: modals (single-use, expiring trigger ids) and the Home tab."""

from __future__ import annotations

import secrets
import time
from typing import Any

from bot.playground.slack.block_kit_limits import view_problems
from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_records import JSON
from bot.playground.slack.slack_workspace import APP_ID, Workspace
from bot.playground.slack.web_api_args import present


def views_open(ws: Workspace, args: JSON) -> JSON:
    return _open_modal(ws, args, parent=None)


def views_push(ws: Workspace, args: JSON) -> JSON:
    # The pushed modal stacks on the one on top; Slack's Back button returns to it.
    top = ws.views[ws.view_order[-1]] if ws.view_order else None
    return _open_modal(ws, args, parent=top)


def views_update(ws: Workspace, args: JSON) -> JSON:
    current = _find_view(ws, args)
    spec = _check_view(args["view"], current["type"])
    _check_hash(args, current)
    _check_external_id(ws, spec, own_id=current["id"])
    view = _build_view(ws, spec, view_id=current["id"], previous=current)
    if view["type"] == "modal":
        _remember_modal(ws, view, opened=False)
    else:
        ws.views[view["id"]] = view
    return {"ok": True, "view": view}


def views_publish(ws: Workspace, args: JSON) -> JSON:
    spec = _check_view(args["view"], "home")
    user_id = str(args["user_id"])
    current = ws.views.get(ws.home_views.get(user_id, ""))
    if current is not None:
        _check_hash(args, current)
    _check_external_id(ws, spec, own_id=current["id"] if current else None)
    view = _build_view(ws, spec, view_id=current["id"] if current else None, previous=current)
    ws.views[view["id"]] = view
    ws.home_views[user_id] = view["id"]
    return {"ok": True, "view": view}


def _open_modal(ws: Workspace, args: JSON, *, parent: JSON | None) -> JSON:
    trigger_id = _check_trigger(ws, args)
    spec = _check_view(args["view"], "modal")
    _check_external_id(ws, spec)
    view = _build_view(ws, spec)
    if parent is not None:
        view.update(root_view_id=parent["root_view_id"], previous_view_id=parent["id"])
    ws.used_triggers.add(trigger_id)
    _remember_modal(ws, view, opened=True)
    return {"ok": True, "view": view}


def _check_view(view: Any, expected_type: str) -> JSON:
    problems = view_problems(view, expected_type=expected_type)
    if problems:
        # Slack answers bad views with invalid_arguments and json-pointer messages.
        raise SlackError.from_problems("invalid_arguments", problems)
    return view if isinstance(view, dict) else {}


def _check_trigger(ws: Workspace, args: JSON) -> str:
    trigger_id = str(args.get("trigger_id") or args.get("interactivity_pointer") or "")
    issued = ws.triggers.get(trigger_id)
    if trigger_id.startswith("expired") or (
        issued is not None and time.monotonic() - issued > ws.team.trigger_ttl
    ):
        raise SlackError("expired_trigger_id")
    if trigger_id in ws.used_triggers:
        raise SlackError("exchanged_trigger_id")
    return trigger_id


def _check_hash(args: JSON, current: JSON) -> None:
    """A ``hash`` guards against a race: the update must start from the view as it is now."""
    if present(args.get("hash")) and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")


def _check_external_id(ws: Workspace, spec: JSON, own_id: str | None = None) -> None:
    external_id = spec.get("external_id")
    if not external_id:
        return
    for view_id, view in ws.views.items():
        if view.get("external_id") == external_id and view_id != own_id:
            raise SlackError("duplicate_external_id")


def _find_view(ws: Workspace, args: JSON) -> JSON:
    if present(args.get("view_id")):
        found = ws.views.get(args["view_id"])
    else:
        external_id = args.get("external_id")
        found = next((v for v in ws.views.values() if v.get("external_id") == external_id), None)
    if found is None:
        raise SlackError("not_found")
    return found


def _build_view(
    ws: Workspace, spec: JSON, *, view_id: str | None = None, previous: JSON | None = None
) -> JSON:
    """The view as Slack echoes it: what the app sent plus the fields Slack manages."""
    new_id = view_id or f"V{ws.next_id():08d}"
    return {
        "private_metadata": "",
        "callback_id": "",
        "external_id": "",
        "clear_on_close": False,
        "notify_on_close": False,
        **spec,
        "id": new_id,
        "team_id": ws.team.team_id,
        "state": {"values": {}},
        "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
        "root_view_id": (previous or {}).get("root_view_id", new_id),
        "previous_view_id": (previous or {}).get("previous_view_id"),
        "app_id": APP_ID,
        "app_installed_team_id": ws.team.team_id,
        "bot_id": ws.team.bot_id,
    }


def _remember_modal(ws: Workspace, view: JSON, *, opened: bool) -> None:
    ws.views[view["id"]] = view
    if view["id"] in ws.view_order:
        ws.view_order.remove(view["id"])
    ws.view_order.append(view["id"])
    if opened:
        ws.views_opened.append(ws.copy_of_view(view["id"]))


def answer_submission(ws: Workspace, view_id: str, answer: JSON) -> JSON | None:
    """What Slack does with a modal's answer to its submission (``response_action``).

    ``update`` replaces the submitted view in place, ``push`` stacks a new one on it; returns that
    view. ``errors`` keeps it open as it is; ``clear`` and an empty answer close it: None.
    """
    current = ws.views.get(view_id)
    action = answer.get("response_action")
    if current is None or action not in ("update", "push"):
        return None
    spec = _check_view(answer.get("view"), "modal")
    if action == "update":
        view = _build_view(ws, spec, view_id=view_id, previous=current)
    else:
        view = _build_view(ws, spec)
        view.update(root_view_id=current["root_view_id"], previous_view_id=current["id"])
    _remember_modal(ws, view, opened=action == "push")
    return view
