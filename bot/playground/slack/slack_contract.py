"""The documented contract of each Web API method, from the reference data in ``slack_api_ref/``.

The data ships with the tests (MIT-licensed, trimmed to the methods the fake answers), so every call is
checked on a fresh clone too; a method the fake answers without a reference file is an error, not a skip.

A call that breaks it fails as Slack would (``invalid_arguments``, ``no_text``…) and is marked as a violation,
so a test sees the app's mistake even when the app shrugs the error off.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_records import JSON
from bot.playground.slack.web_api_args import present

# Arguments Slack accepts on every method although the per-method reference files do not list them:
# ``token`` (form-field auth) and ``team_id``. Bolt builds its per-request WebClient with
# ``team_id=context.team_id``, so slack_sdk adds ``team_id`` to *every* call a listener makes.
UNIVERSAL_ARGS = frozenset({"token", "team_id"})

# Reference arg types whose values are strings on the wire. In a JSON body a number here (e.g. a float ``ts``,
# which silently loses precision) is a bug.
STRING_TYPES = frozenset({"string", "channel", "user", "timestamp"})


@dataclass(frozen=True)
class MethodSpec:
    args: dict[str, JSON]
    errors: frozenset[str]
    arg_groups: tuple[JSON, ...]


REF_DIR = Path(__file__).resolve().parent / "slack_api_ref"


def spec_path(method: str) -> Path:
    return REF_DIR / "methods" / method.split(".")[0] / f"{method}.json"


@functools.cache
def load_spec(method: str) -> MethodSpec:
    path = spec_path(method)
    if not path.is_file():
        raise FileNotFoundError(
            f"No Slack reference for {method}: copy methods/{path.parent.name}/{path.name} from"
            f" slack-api-ref into {REF_DIR} (see its README)"
        )
    raw = json.loads(path.read_text())
    return MethodSpec(
        args=raw.get("args") or {},
        errors=frozenset(raw.get("errors") or {}),
        arg_groups=tuple(raw.get("arg_groups") or ()),
    )


def check_contract(method: str, args: JSON, spec: MethodSpec) -> None:
    """Raise SlackError (marked as a violation) when ``args`` break the documented contract of ``method``."""
    unknown = sorted(set(args) - set(spec.args) - UNIVERSAL_ARGS)
    if unknown:
        raise _violation("invalid_arguments", f"unknown argument(s) {unknown}")
    for name, arg in spec.args.items():
        if arg.get("required") and not present(args.get(name)):
            error = f"{name}_not_found" if f"{name}_not_found" in spec.errors else "invalid_arguments"
            raise _violation(error, f"missing required argument {name!r}")
        types = arg.get("type")
        types = set(types) if isinstance(types, list) else {types}
        wants_string = types <= STRING_TYPES and "format" not in arg
        if wants_string and name in args and not isinstance(args[name], str):
            raise _violation("invalid_arguments", f"{name!r} must be a string, got {args[name]!r}")
    for group in spec.arg_groups:
        _check_arg_group(group, args, spec)


def _check_arg_group(group: JSON, args: JSON, spec: MethodSpec) -> None:
    names: list[str] = group["args"]
    given = [name for name in names if present(args.get(name))]
    # The ref marks optional groups with "required": false; groups without the key are required.
    if group.get("required", True) and not given:
        error = "no_text" if "text" in names and "no_text" in spec.errors else "invalid_arguments"
        raise _violation(error, f"one of {names} is required")
    if group.get("mutually_exclusive") and len(given) > 1:
        conflict = "markdown_text_conflict"
        error = conflict if "markdown_text" in names and conflict in spec.errors else "invalid_arguments"
        raise _violation(error, f"{given} are mutually exclusive")


def _violation(error: str, detail: str) -> SlackError:
    return SlackError(error, f"[ERROR] {detail}", violation=detail)
