"""A fake Slack Web API served over real HTTP on loopback, for tests.

Real HTTP (rather than mocking WebClient) means the app's own slack_sdk client, retry handlers and Bolt's
``respond()`` all run for real: JSON vs form bodies, auth headers and 429/5xx handling work as in production.

The fake is deliberately *less* kind than a typical mock:

* every call is checked against the Slack API reference in ``shared/slack-api-ref`` (unknown or missing
  arguments fail with ``invalid_arguments`` and are recorded in ``contract_violations``);
* Block Kit limits that Slack enforces are enforced here (``invalid_blocks`` / ``invalid_arguments``);
* DMs need a known user, ``chat.update`` needs the real channel id, trigger ids are single-use and expire.

Typical use::

    with FakeSlack() as fake:
        fake.add_user("U1", name="alice")
        client = WebClient(base_url=fake.api_url, token=fake.bot_token)
        client.chat_postMessage(channel="U1", text="hi")
        assert fake.last_message_to("U1").text == "hi"
        assert fake.contract_violations == []
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import secrets
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

JSON = dict[str, Any]
T = TypeVar("T")

DEFAULT_SCOPES = "commands,chat:write,im:write,users:read"
APP_ID = "A0HANDOFF"

# Arguments Slack accepts on every method although the per-method reference files do not list them:
# ``token`` (form-field auth) and ``team_id``. Bolt builds its per-request WebClient with
# ``team_id=context.team_id``, so slack_sdk adds ``team_id`` to *every* call a listener makes.
UNIVERSAL_ARGS = frozenset({"token", "team_id"})

# Arguments that carry JSON. slack_sdk sends chat.* / views.* as JSON bodies (already structured), but a
# form-encoded call carries them as JSON strings.
JSON_ARGS = frozenset({"blocks", "attachments", "view", "metadata"})

# Reference arg types whose values are strings on the wire. In a JSON body a number here (e.g. a float ``ts``,
# which silently loses precision) is a bug.
STRING_TYPES = frozenset({"string", "channel", "user", "timestamp"})

RESPONSE_URL_MAX_USES = 5  # Slack: a response_url can be used up to 5 times (within 30 minutes).
TRIGGER_TTL_SECONDS = 3.0  # Slack: a trigger_id expires 3 s after it was issued.


# ------------------------------------------------------------------------------------------
# Public records
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One request the fake received. ``error`` is the Slack error code it answered with, if any."""

    method: str
    args: JSON
    status: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None


@dataclass(eq=False)  # identity: two stored messages with equal text are still different messages
class Message:
    """A message as the fake stores it; ``chat.update`` and ``replace_original`` change it in place."""

    channel: str
    ts: str
    text: str
    blocks: list[JSON] = field(default_factory=list)
    thread_ts: str | None = None
    updates: int = 0
    user: str | None = None  # the recipient, for ephemeral messages
    ephemeral: bool = False
    response_url: str | None = None  # set when the message was posted through a response_url

    def buttons(self) -> list[JSON]:
        """All button elements anywhere in the blocks (actions blocks, section accessories…)."""
        return [node for node in _walk(self.blocks) if node.get("type") == "button"]

    def button(self, label_substring: str) -> JSON:
        """The button whose label contains ``label_substring`` (case-insensitive); an exact label wins."""
        wanted = label_substring.casefold()
        buttons = self.buttons()
        exact = [b for b in buttons if _label(b).casefold() == wanted]
        partial = [b for b in buttons if wanted in _label(b).casefold()]
        if exact or partial:
            return (exact or partial)[0]
        raise AssertionError(
            f"no button matching {label_substring!r} in message {self.ts} ({self.channel}); "
            f"buttons: {[_label(b) for b in buttons]}"
        )

    def plain_text(self) -> str:
        """``text`` plus every text string in the blocks, newline-joined: for keyword assertions."""
        parts = [self.text] if self.text else []
        parts += [node["text"] for node in _walk(self.blocks) if isinstance(node.get("text"), str)]
        return "\n".join(parts)

    def describe(self) -> str:
        kind = f"ephemeral to {self.user}" if self.ephemeral else self.channel
        return f"[{kind} ts={self.ts} updates={self.updates}] {self.plain_text()[:200]!r}"


@dataclass
class FakeUser:
    id: str
    name: str
    tz: str
    tz_offset: int
    is_bot: bool = False
    deleted: bool = False
    is_restricted: bool = False
    is_ultra_restricted: bool = False

    def to_api(self, team_id: str) -> JSON:
        """The ``user`` object as ``users.info`` documents it."""
        real_name = self.name.replace(".", " ").title()
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": real_name,
            "tz": self.tz,
            "tz_label": datetime.now(ZoneInfo(self.tz)).tzname(),
            "tz_offset": self.tz_offset,
            "is_admin": False,
            "is_owner": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "is_restricted": self.is_restricted,
            "is_ultra_restricted": self.is_ultra_restricted,
            "updated": 1700000000,
            "profile": {
                "real_name": real_name,
                "display_name": self.name,
                "real_name_normalized": real_name,
                "display_name_normalized": self.name,
                "team": team_id,
            },
        }


class SlackError(Exception):
    """Raised inside a method handler to answer ``{"ok": false, "error": ...}``.

    ``violation`` marks the error as a contract breach by the caller (recorded in ``contract_violations``),
    as opposed to a legitimate runtime answer such as ``user_not_found``.
    """

    def __init__(self, error: str, *messages: str, violation: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages)
        self.violation = violation

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


@dataclass
class _Failure:
    status: int
    retry_after: int
    error: str | None


@dataclass
class _ResponseUrl:
    """What a response_url belongs to: the user who triggered it and, for block actions, the message."""

    user: str | None
    channel: str | None
    message: Message | None
    posts: list[JSON] = field(default_factory=list)


# ------------------------------------------------------------------------------------------
# Reference data (shared/slack-api-ref)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MethodSpec:
    args: dict[str, JSON]
    errors: frozenset[str]
    arg_groups: tuple[JSON, ...]


def find_ref_dir() -> Path | None:
    """``shared/slack-api-ref`` beside the repo (parents[3] of this file), else ``$SLACK_API_REF``."""
    beside_repo = Path(__file__).resolve().parents[3] / "shared" / "slack-api-ref"
    if beside_repo.is_dir():
        return beside_repo
    from_env = os.environ.get("SLACK_API_REF")
    if from_env and Path(from_env).is_dir():
        return Path(from_env)
    return None


@functools.cache
def load_spec(ref_dir: Path, method: str) -> MethodSpec | None:
    path = ref_dir / "methods" / method.split(".")[0] / f"{method}.json"
    if not path.is_file():
        return None
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
        if arg.get("required") and not _present(args.get(name)):
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
    present = [name for name in names if _present(args.get(name))]
    # The ref marks optional groups with "required": false; groups without the key are required.
    if group.get("required", True) and not present:
        error = "no_text" if "text" in names and "no_text" in spec.errors else "invalid_arguments"
        raise _violation(error, f"one of {names} is required")
    if group.get("mutually_exclusive") and len(present) > 1:
        conflict = "markdown_text_conflict"
        error = conflict if "markdown_text" in names and conflict in spec.errors else "invalid_arguments"
        raise _violation(error, f"{present} are mutually exclusive")


def _violation(error: str, detail: str) -> SlackError:
    return SlackError(error, f"[ERROR] {detail}", violation=detail)


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != []


# ------------------------------------------------------------------------------------------
# Block Kit limits (SLACK-FACTS.md). Each checker returns a list of problems in Slack's own message style.
# ------------------------------------------------------------------------------------------

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
    return problems


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
    seen: set[str] = set()
    for i, element in enumerate(elements if isinstance(elements, list) else []):
        if not isinstance(element, dict):
            problems.append(f"[ERROR] an element must be an object [json-pointer:{path}/{i}]")
            continue
        action_id = element.get("action_id")
        if isinstance(action_id, str):
            if action_id in seen:
                pointer = f"{path}/{i}/action_id"
                problems.append(f"[ERROR] duplicate action_id {action_id!r} [json-pointer:{pointer}]")
            seen.add(action_id)
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


def _walk(node: Any) -> Iterator[JSON]:
    """Every dict nested anywhere in ``node``, depth-first in document order."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _label(button: JSON) -> str:
    text = button.get("text")
    return text.get("text", "") if isinstance(text, dict) else str(text or "")


# ------------------------------------------------------------------------------------------
# Request parsing
# ------------------------------------------------------------------------------------------


def parse_args(content_type: str, body: bytes, query: str) -> JSON:
    """Merge query-string args with a JSON or form-encoded body, as Slack does."""
    args: JSON = dict(parse_qsl(query, keep_blank_values=True))
    if not body:
        return args
    if content_type.startswith("application/json"):
        try:
            parsed = json.loads(body)
        except ValueError as err:
            raise SlackError("invalid_json", f"[ERROR] {err}") from None
        if not isinstance(parsed, dict):
            raise SlackError("invalid_json", "[ERROR] the body must be a JSON object")
        return {**args, **parsed}
    if content_type.startswith("application/x-www-form-urlencoded") or not content_type:
        return {**args, **dict(parse_qsl(body.decode(), keep_blank_values=True))}
    raise SlackError("invalid_post_type", f"[ERROR] the fake does not accept {content_type!r} bodies")


def decode_json_args(args: JSON) -> JSON:
    """Form bodies carry blocks/view/… as JSON strings; decode them so handlers see one shape."""
    decoded = dict(args)
    for name in JSON_ARGS & decoded.keys():
        value = decoded[name]
        if isinstance(value, str) and value:
            try:
                decoded[name] = json.loads(value)
            except ValueError:
                error = "invalid_blocks_format" if name == "blocks" else "invalid_arguments"
                raise SlackError(
                    error, f"[ERROR] {name} is not valid JSON", violation=f"{name}: bad JSON"
                ) from None
    return decoded


# ------------------------------------------------------------------------------------------
# The fake
# ------------------------------------------------------------------------------------------


class FakeSlack:
    """Fake Slack Web API + response_url endpoint. Thread-safe; all state sits behind one lock."""

    def __init__(
        self,
        *,
        team_id: str = "T0TEAM",
        team_domain: str = "handoff-test",
        bot_user_id: str = "UBOT",
        bot_id: str = "B0BOT",
        bot_token: str = "xoxb-test-token",
        scopes: str = DEFAULT_SCOPES,
        strict: bool = True,
        ref_dir: Path | None = None,
    ) -> None:
        self.team_id = team_id
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_token = bot_token
        self.scopes = scopes
        self.strict = strict
        self.ref_dir = ref_dir or find_ref_dir()
        self.trigger_ttl = TRIGGER_TTL_SECONDS
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._counter = itertools.count(1)
        self._users: dict[str, FakeUser] = {}
        self._ims: dict[str, str] = {}  # IM channel id -> user id
        self._handlers: dict[str, Callable[[JSON], JSON]] = {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.getPermalink": self._chat_get_permalink,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "views.push": self._views_push,
            "views.publish": self._views_publish,
        }
        self._clear_state()
        self.add_user(bot_user_id, name="handoff", is_bot=True)

    def _clear_state(self) -> None:
        self._calls: list[Call] = []
        self._violations: list[str] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._messages: dict[str, list[Message]] = {}
        self._ephemerals: list[Message] = []
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._views: dict[str, JSON] = {}  # every view (modal or home) by id
        self._view_order: list[str] = []  # modal ids, most recently opened/pushed/updated last
        self._views_opened: list[JSON] = []
        self._home_views: dict[str, str] = {}  # user id -> id of their Home tab view
        self._triggers: dict[str, float] = {}
        self._used_triggers: set[str] = set()
        self._ts = itertools.count(1)

    # ---- lifecycle

    def start(self) -> FakeSlack:
        server = _Server(self)
        self._server = server
        # A short poll interval keeps stop() (which waits for the serve loop) fast in every test teardown.
        serve = functools.partial(server.serve_forever, poll_interval=0.01)
        self._thread = threading.Thread(target=serve, name="fake-slack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started; call start() or use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """For ``WebClient(base_url=...)``: slack_sdk appends the method name, so the slash matters."""
        return self.base_url + "/api/"

    # ---- setup

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        tz: str = "America/New_York",
        tz_offset: int | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        is_restricted: bool = False,
        is_ultra_restricted: bool = False,
    ) -> FakeUser:
        if tz_offset is None:
            offset = datetime.now(UTC).astimezone(ZoneInfo(tz)).utcoffset()
            tz_offset = int(offset.total_seconds()) if offset is not None else 0
        user = FakeUser(
            id=user_id,
            name=name or user_id.lower(),
            tz=tz,
            tz_offset=tz_offset,
            is_bot=is_bot,
            deleted=deleted,
            is_restricted=is_restricted,
            is_ultra_restricted=is_ultra_restricted,
        )
        with self._lock:
            self._users[user_id] = user
        return user

    def user(self, user_id: str) -> FakeUser | None:
        with self._lock:
            return self._users.get(user_id)

    def new_response_url(
        self, *, user: str | None = None, channel: str | None = None, message: Message | None = None
    ) -> str:
        """A response_url; ``user`` and ``message`` say whose ephemerals it carries and what it replaces."""
        with self._lock:
            url = f"{self.base_url}/response/{next(self._counter)}"
            self._response_urls[url] = _ResponseUrl(user=user, channel=channel, message=message)
            return url

    def new_trigger_id(self) -> str:
        """A trigger_id that expires ``trigger_ttl`` seconds from now, like Slack's."""
        with self._lock:
            trigger_id = f"{next(self._counter)}.{int(time.time())}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = time.monotonic()
            return trigger_id

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        Without ``error``: HTTP ``status`` (429 carries ``Retry-After``). With ``error``: HTTP 200 and
        ``{"ok": false, "error": error}``. ``method`` may also be ``"response_url"``.
        """
        with self._lock:
            queue = self._failures.setdefault(method, [])
            queue.extend(_Failure(status=status, retry_after=retry_after, error=error) for _ in range(times))

    def reset(self) -> None:
        """Forget calls, messages, views, failures and violations; keep users and opened IMs."""
        with self._lock:
            self._clear_state()

    # ---- inspection

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    @property
    def contract_checks_enabled(self) -> bool:
        """False when strict mode is off or no reference data was found; Block Kit is checked anyway."""
        return self.strict and self.ref_dir is not None

    @property
    def contract_violations(self) -> list[str]:
        with self._lock:
            return list(self._violations)

    def im_channel(self, user_id: str) -> str:
        """The stable IM channel id of the bot's DM with ``user_id`` (it exists once opened or posted to)."""
        return "D" + user_id[1:]

    def messages(self, channel: str) -> list[Message]:
        with self._lock:
            return list(self._messages.get(channel, []))

    def messages_to(self, user_id: str) -> list[Message]:
        return self.messages(self.im_channel(user_id))

    def last_message_to(self, user_id: str) -> Message:
        messages = self.messages_to(user_id)
        if not messages:
            raise AssertionError(
                f"no message was sent to {user_id}; sent so far:\n{self.describe_messages()}"
            )
        return messages[-1]

    def ephemerals_to(self, user_id: str) -> list[Message]:
        """Ephemerals to ``user_id``: chat.postEphemeral and response_url posts of urls issued for them."""
        with self._lock:
            return [message for message in self._ephemerals if message.user == user_id]

    def responses(self, url: str) -> list[JSON]:
        """Bodies POSTed to a response_url, in order."""
        with self._lock:
            binding = self._response_urls.get(url)
            return list(binding.posts) if binding else []

    @property
    def views_opened(self) -> list[JSON]:
        """Views as returned by views.open / views.push, in order (snapshots at open time)."""
        with self._lock:
            return list(self._views_opened)

    def last_view(self) -> JSON:
        """Current state of the modal most recently opened, pushed or updated."""
        with self._lock:
            if not self._view_order:
                raise AssertionError(f"no modal was opened; calls so far:\n{self.describe_calls()}")
            return json.loads(json.dumps(self._views[self._view_order[-1]]))

    def view(self, view_id: str) -> JSON:
        with self._lock:
            return json.loads(json.dumps(self._views[view_id]))

    def home_view(self, user_id: str) -> JSON | None:
        with self._lock:
            view_id = self._home_views.get(user_id)
            return json.loads(json.dumps(self._views[view_id])) if view_id else None

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0, interval: float = 0.01) -> T:
        """Poll until ``predicate()`` is truthy and return its value (the app acks before it finishes)."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"condition not met within {timeout}s; calls so far:\n{self.describe_calls()}"
                )
            time.sleep(interval)

    def wait_for_message_to(self, user_id: str, *, count: int = 1, timeout: float = 5.0) -> Message:
        """Wait until ``user_id``'s DM holds at least ``count`` messages; return the latest."""
        self.wait_for(lambda: len(self.messages_to(user_id)) >= count, timeout=timeout)
        return self.last_message_to(user_id)

    def describe_calls(self) -> str:
        lines = []
        for call in self.calls:
            args = {k: v for k, v in call.args.items() if k not in ("blocks", "view")}
            outcome = "ok" if call.ok else (call.error or f"HTTP {call.status}")
            lines.append(f"  {call.method} -> {outcome} {json.dumps(args)[:200]}")
        return "\n".join(lines) or "  (none)"

    def describe_messages(self) -> str:
        with self._lock:
            stored = [m for messages in self._messages.values() for m in messages] + self._ephemerals
        return "\n".join(f"  {m.describe()}" for m in stored) or "  (none)"

    # ---- HTTP entry points (called from server threads)

    def handle_api(
        self, method: str, *, content_type: str, body: bytes, query: str, authorization: str
    ) -> tuple[int, JSON, dict[str, str]]:
        """Answer one Web API call: (HTTP status, JSON body, extra headers)."""
        with self._lock:
            failure = self._take_failure(method)
            if failure is not None:
                return self._answer_failure(method, failure, _args_for_record(content_type, body, query))
            args: JSON = {}
            try:
                if method not in self._handlers:
                    raise SlackError("unknown_method")
                args = decode_json_args(parse_args(content_type, body, query))
                response = self._dispatch(method, args, authorization)
            except SlackError as err:
                args = args or _args_for_record(content_type, body, query)
                response = err.body()
                if err.violation:
                    self._violations.append(f"{method}: {err.violation}")
            except Exception:
                # A bug in the fake must fail the test loudly, not look like a Slack answer.
                self._violations.append(f"{method}: FAKE SLACK BUG\n{traceback.format_exc()}")
                self._calls.append(Call(method, args, 500, "fake_slack_bug"))
                return 500, {"ok": False, "error": "fake_slack_bug"}, {}
            recorded = {k: v for k, v in args.items() if k != "token"}
            self._calls.append(Call(method, recorded, 200, response.get("error")))
            # Real Slack sends the granted scopes on every Web API answer; Bolt reads them after auth.test.
            return 200, response, {"x-oauth-scopes": self.scopes}

    def handle_response_url(self, url: str, body: bytes) -> tuple[int, str]:
        """Answer a POST to a response_url as Slack does: 200 "ok", or an error status and a short text."""
        with self._lock:
            failure = self._take_failure("response_url")
            if failure is not None:
                self._calls.append(Call("response_url", {"url": url}, failure.status, failure.error))
                return failure.status, failure.error or "fake_failure"
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                payload = None
            status, text = self._post_to_response_url(url, payload)
            args = {**payload, "url": url} if isinstance(payload, dict) else {"url": url}
            self._calls.append(Call("response_url", args, status, None if status == 200 else text))
            return status, text

    # ---- dispatch

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        return queue.pop(0) if queue else None

    def _answer_failure(self, method: str, failure: _Failure, args: JSON) -> tuple[int, JSON, dict[str, str]]:
        if failure.error is not None:
            self._calls.append(Call(method, args, 200, failure.error))
            return 200, {"ok": False, "error": failure.error}, {}
        if failure.status == 429:
            self._calls.append(Call(method, args, 429, "ratelimited"))
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(failure.retry_after)}
        error = "service_unavailable" if failure.status == 503 else "fatal_error"
        self._calls.append(Call(method, args, failure.status, error))
        return failure.status, {"ok": False, "error": error}, {}

    def _dispatch(self, method: str, args: JSON, authorization: str) -> JSON:
        self._authenticate(args, authorization)
        spec = load_spec(self.ref_dir, method) if self.contract_checks_enabled and self.ref_dir else None
        if spec is not None:
            check_contract(method, args, spec)
        return self._handlers[method](args)

    def _authenticate(self, args: JSON, authorization: str) -> None:
        # slack_sdk moves the token into the Authorization header; Slack also accepts a form field.
        token = authorization.removeprefix("Bearer ").strip() if authorization else args.get("token")
        if not token:
            raise SlackError("not_authed")
        if token != self.bot_token:
            raise SlackError("invalid_auth")

    def _next_ts(self) -> str:
        micros = next(self._ts) * 100
        return f"{1700000000 + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._counter):08d}"

    # ---- auth / users / conversations

    def _auth_test(self, args: JSON) -> JSON:
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": "Handoff Test",
            "user": self._users[self.bot_user_id].name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _users_info(self, args: JSON) -> JSON:
        user = self._users.get(args.get("user", ""))
        if user is None:
            raise SlackError("user_not_found")
        body = user.to_api(self.team_id)
        if _truthy(args.get("include_locale")):
            body["locale"] = "en-US"
        return {"ok": True, "user": body}

    def _conversations_open(self, args: JSON) -> JSON:
        if _present(args.get("channel")):
            channel = args["channel"]
            if channel not in self._ims:
                raise SlackError("channel_not_found")
            return {"ok": True, "channel": {"id": channel}}
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) > 1:
            raise SlackError("not_supported_by_fake", "[ERROR] the fake only opens 1:1 DMs")
        user = self._require_user(users[0], deleted_error="user_disabled", missing_error="user_not_found")
        channel = self.im_channel(user.id)
        already_open = channel in self._ims
        self._ims[channel] = user.id
        body: JSON = {"ok": True, "channel": {"id": channel}}
        if already_open:
            body.update(no_op=True, already_open=True)
        if _truthy(args.get("return_im")):
            body["channel"].update(created=1700000000, is_im=True, user=user.id, is_open=True)
        return body

    def _require_user(self, user_id: str, *, deleted_error: str, missing_error: str) -> FakeUser:
        user = self._users.get(user_id)
        if user is None:
            raise SlackError(missing_error, f"[ERROR] no user {user_id!r} (register it with add_user)")
        if user.deleted:
            raise SlackError(deleted_error)
        return user

    # ---- chat

    def _post_channel(self, channel: str) -> str:
        """The real channel a chat.postMessage lands in. A user id means the bot's DM with that user."""
        if channel[:1] in ("U", "W"):
            # Slack archives the DM of a deactivated user.
            user = self._require_user(channel, deleted_error="is_archived", missing_error="channel_not_found")
            im = self.im_channel(user.id)
            self._ims[im] = user.id
            return im
        return self._existing_channel(channel)

    def _existing_channel(self, channel: str) -> str:
        if channel.startswith("D") and channel in self._ims:
            return channel
        if channel[:1] in ("C", "G"):
            return channel  # the bot is taken to be a member of every public/private channel
        raise SlackError("channel_not_found", f"[ERROR] unknown channel {channel!r}")

    def _find_message(self, channel: str, ts: str) -> Message:
        for message in self._messages.get(channel, []):
            if message.ts == ts:
                return message
        raise SlackError("message_not_found")

    def _check_message_blocks(self, args: JSON) -> None:
        if "blocks" not in args:
            return
        problems = message_block_problems(args["blocks"])
        if problems:
            raise SlackError("invalid_blocks", *problems, violation=_summary(problems))

    def _chat_post_message(self, args: JSON) -> JSON:
        self._check_message_blocks(args)
        channel = self._post_channel(str(args["channel"]))
        message = Message(
            channel=channel,
            ts=self._next_ts(),
            text=str(args.get("text") or ""),
            blocks=list(args.get("blocks") or []),
            thread_ts=args.get("thread_ts"),
        )
        self._messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": message.ts, "message": self._message_body(message)}

    def _chat_update(self, args: JSON) -> JSON:
        self._check_message_blocks(args)
        channel = str(args["channel"])
        if channel[:1] in ("U", "W"):
            # Slack's docs: "ensure that this value is a DM ID (starts with D) instead of a User ID".
            raise SlackError("channel_not_found", "[ERROR] chat.update needs the channel id, not a user id")
        message = self._find_message(self._existing_channel(channel), str(args["ts"]))
        # Slack keeps blocks that the update does not mention; an empty list clears them.
        if "text" in args:
            message.text = str(args["text"] or "")
        if "blocks" in args:
            message.blocks = list(args["blocks"] or [])
        message.updates += 1
        body = self._message_body(message)
        return {
            "ok": True,
            "channel": message.channel,
            "ts": message.ts,
            "text": message.text,
            "message": body,
        }

    def _chat_post_ephemeral(self, args: JSON) -> JSON:
        self._check_message_blocks(args)
        channel = self._existing_channel(str(args["channel"]))
        user = self._users.get(str(args["user"]))
        if user is None or user.deleted:
            raise SlackError("user_not_in_channel")
        message = Message(
            channel=channel,
            ts=self._next_ts(),
            text=str(args.get("text") or ""),
            blocks=list(args.get("blocks") or []),
            thread_ts=args.get("thread_ts"),
            user=user.id,
            ephemeral=True,
        )
        self._ephemerals.append(message)
        return {"ok": True, "message_ts": message.ts}

    def _chat_get_permalink(self, args: JSON) -> JSON:
        channel = self._existing_channel(str(args["channel"]))
        message = self._find_message(channel, str(args["message_ts"]))
        permalink = f"https://{self.team_domain}.slack.com/archives/{channel}/p{message.ts.replace('.', '')}"
        return {"ok": True, "channel": channel, "permalink": permalink}

    def _message_body(self, message: Message) -> JSON:
        return {
            "type": "message",
            "subtype": "bot_message",
            "text": message.text,
            "blocks": message.blocks,
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": APP_ID,
            "team": self.team_id,
            "ts": message.ts,
            **({"thread_ts": message.thread_ts} if message.thread_ts else {}),
        }

    # ---- views

    def _check_view(self, view: Any, expected_type: str) -> JSON:
        problems = view_problems(view, expected_type=expected_type)
        if problems:
            # Slack answers bad views with invalid_arguments and json-pointer messages.
            raise SlackError("invalid_arguments", *problems, violation=_summary(problems))
        return view if isinstance(view, dict) else {}

    def _check_trigger(self, args: JSON) -> str:
        trigger_id = str(args.get("trigger_id") or args.get("interactivity_pointer") or "")
        issued = self._triggers.get(trigger_id)
        if trigger_id.startswith("expired") or (
            issued is not None and time.monotonic() - issued > self.trigger_ttl
        ):
            raise SlackError("expired_trigger_id")
        if trigger_id in self._used_triggers:
            raise SlackError("exchanged_trigger_id")
        return trigger_id

    def _check_external_id(self, spec: JSON, own_id: str | None = None) -> None:
        external_id = spec.get("external_id")
        if not external_id:
            return
        for view_id, view in self._views.items():
            if view.get("external_id") == external_id and view_id != own_id:
                raise SlackError("duplicate_external_id")

    def _build_view(self, spec: JSON, *, view_id: str | None = None, previous: JSON | None = None) -> JSON:
        """The view as Slack echoes it: what the app sent plus the fields Slack manages."""
        new_id = view_id or self._next_id("V")
        return {
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
            **spec,
            "id": new_id,
            "team_id": self.team_id,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "root_view_id": (previous or {}).get("root_view_id", new_id),
            "previous_view_id": (previous or {}).get("previous_view_id"),
            "app_id": APP_ID,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }

    def _remember_modal(self, view: JSON, *, opened: bool) -> None:
        self._views[view["id"]] = view
        if view["id"] in self._view_order:
            self._view_order.remove(view["id"])
        self._view_order.append(view["id"])
        if opened:
            self._views_opened.append(json.loads(json.dumps(view)))

    def _views_open(self, args: JSON) -> JSON:
        trigger_id = self._check_trigger(args)
        spec = self._check_view(args["view"], "modal")
        self._check_external_id(spec)
        view = self._build_view(spec)
        self._used_triggers.add(trigger_id)
        self._remember_modal(view, opened=True)
        return {"ok": True, "view": view}

    def _views_push(self, args: JSON) -> JSON:
        trigger_id = self._check_trigger(args)
        spec = self._check_view(args["view"], "modal")
        self._check_external_id(spec)
        parent = self._views[self._view_order[-1]] if self._view_order else None
        view = self._build_view(spec)
        if parent is not None:
            view.update(root_view_id=parent["root_view_id"], previous_view_id=parent["id"])
        self._used_triggers.add(trigger_id)
        self._remember_modal(view, opened=True)
        return {"ok": True, "view": view}

    def _views_update(self, args: JSON) -> JSON:
        current = self._find_view(args)
        spec = self._check_view(args["view"], current["type"])
        if _present(args.get("hash")) and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        self._check_external_id(spec, own_id=current["id"])
        view = self._build_view(spec, view_id=current["id"], previous=current)
        if view["type"] == "modal":
            self._remember_modal(view, opened=False)
        else:
            self._views[view["id"]] = view
        return {"ok": True, "view": view}

    def _find_view(self, args: JSON) -> JSON:
        if _present(args.get("view_id")):
            found = self._views.get(args["view_id"])
        else:
            found = next(
                (v for v in self._views.values() if v.get("external_id") == args.get("external_id")), None
            )
        if found is None:
            raise SlackError("not_found")
        return found

    def _views_publish(self, args: JSON) -> JSON:
        spec = self._check_view(args["view"], "home")
        user_id = str(args["user_id"])
        current = self._views.get(self._home_views.get(user_id, ""))
        if current is not None and _present(args.get("hash")) and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        self._check_external_id(spec, own_id=current["id"] if current else None)
        view = self._build_view(spec, view_id=current["id"] if current else None, previous=current)
        self._views[view["id"]] = view
        self._home_views[user_id] = view["id"]
        return {"ok": True, "view": view}

    # ---- response_url

    def _post_to_response_url(self, url: str, payload: Any) -> tuple[int, str]:
        binding = self._response_urls.get(url)
        if binding is None:
            return 404, "no_such_url"
        if len(binding.posts) >= RESPONSE_URL_MAX_USES:
            return 404, "used_url"
        if not isinstance(payload, dict):
            return 400, "invalid_payload"
        if "blocks" in payload:
            problems = message_block_problems(payload["blocks"])
            if problems:
                self._violations.append(f"response_url: {_summary(problems)}")
                return 400, "invalid_blocks"
        binding.posts.append(payload)
        self._apply_response(url, binding, payload)
        return 200, "ok"

    def _apply_response(self, url: str, binding: _ResponseUrl, payload: JSON) -> None:
        original = binding.message or self._last_ephemeral_via(url)
        if _truthy(payload.get("delete_original")):
            self._delete(original)
        elif _truthy(payload.get("replace_original")) and original is not None:
            original.text = str(payload.get("text") or "")
            original.blocks = list(payload.get("blocks") or [])
            original.updates += 1
        elif payload.get("response_type") == "in_channel" and binding.channel:
            message = self._response_message(url, binding, payload, ephemeral=False)
            self._messages.setdefault(binding.channel, []).append(message)
        else:
            self._ephemerals.append(self._response_message(url, binding, payload, ephemeral=True))

    def _response_message(
        self, url: str, binding: _ResponseUrl, payload: JSON, *, ephemeral: bool
    ) -> Message:
        return Message(
            channel=binding.channel or "",
            ts=self._next_ts(),
            text=str(payload.get("text") or ""),
            blocks=list(payload.get("blocks") or []),
            thread_ts=payload.get("thread_ts"),
            user=binding.user if ephemeral else None,
            ephemeral=ephemeral,
            response_url=url,
        )

    def _last_ephemeral_via(self, url: str) -> Message | None:
        return next((m for m in reversed(self._ephemerals) if m.response_url == url), None)

    def _delete(self, message: Message | None) -> None:
        if message is None:
            return
        if message in self._ephemerals:
            self._ephemerals.remove(message)
        elif message in self._messages.get(message.channel, []):
            self._messages[message.channel].remove(message)


def _summary(problems: list[str]) -> str:
    return "; ".join(problem.removeprefix("[ERROR] ") for problem in problems)


def _args_for_record(content_type: str, body: bytes, query: str) -> JSON:
    """Best-effort args of a call that is failed on purpose, so tests can see what was retried."""
    try:
        return decode_json_args(parse_args(content_type, body, query))
    except SlackError:
        return {}


def _truthy(value: Any) -> bool:
    """Booleans arrive as true/false in JSON and as "1"/"0"/"true" in forms (slack_sdk converts to 1/0)."""
    return value is True or str(value).lower() in ("1", "true")


# ------------------------------------------------------------------------------------------
# HTTP plumbing
# ------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a hung client must not keep the test process alive

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    """Routes /api/<method> and /response/<n> to the FakeSlack attached to the server."""

    server: _Server

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean; the fake records every call instead

    def _serve(self) -> None:
        fake = self.server.fake
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if url.path.startswith("/api/"):
            status, payload, headers = fake.handle_api(
                url.path.removeprefix("/api/"),
                content_type=self.headers.get("Content-Type", ""),
                body=body,
                query=url.query,
                authorization=self.headers.get("Authorization", ""),
            )
            self._send(status, json.dumps(payload).encode(), "application/json; charset=utf-8", headers)
        elif url.path.startswith("/response/"):
            status, text = fake.handle_response_url(fake.base_url + url.path, body)
            self._send(status, text.encode(), "text/plain; charset=utf-8", {})
        else:
            self._send(404, b"not found", "text/plain", {})

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
