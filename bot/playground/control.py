"""The playground's operations: what the page can read and do, as one person at a time.

Every operation holds one lock and returns only once the bot has finished with it (its
listeners and the messages they queued), so the page's next read shows the whole outcome.
``version`` changes with every operation, so a page can tell when to redraw.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.playground import seed
from bot.playground.commands_help import COMMANDS, KNOWN, not_a_command
from bot.playground.composer import escaped_text, split_command
from bot.playground.errors import BadRequest
from bot.playground.modals import ModalStacks
from bot.playground.presses import action_of, find_element, missing_inputs, required_text
from bot.playground.render import message_html, view_html
from bot.playground.sim_clock import STEP_NAMES, step_target
from bot.playground.slack.interaction_payloads import block_id_of
from bot.playground.slack.slack_records import JSON, Message
from bot.playground.slack.slack_workspace import im_channel
from bot.playground.slack.view_state import state_values
from bot.playground.world import World
from storage.migrate import upgrade

CONVERSATIONS = {"home": "Home", "dm": "Handoff", "ops": f"# {seed.OPS_NAME}"}


class Playground:
    """The running workspace (a World) and what the page reads and does in it; ``reset`` swaps the World."""

    def __init__(self, *, start: datetime | None = None) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="handoff-playground-"))
        self._template = self._dir / "migrated.db"
        upgrade(f"sqlite:///{self._template}")
        self._start = start
        self._lock = threading.RLock()
        self._generation = 1  # the World's number, in its database's name
        self.version = 0
        self._world = self._new_world(self._generation)
        self._forget_screens()

    def _database(self, generation: int) -> Path:
        return self._dir / f"workspace-{generation}.db"

    def _new_world(self, generation: int) -> World:
        """A World on a fresh database; one that fails to start leaves no database behind."""
        database = self._database(generation)
        try:
            return World(template=self._template, database=database, start=self._start)
        except BaseException:
            database.unlink(missing_ok=True)
            raise

    def _forget_screens(self) -> None:
        """What the people's screens showed of the World: its forms and the messages they saw."""
        self.modals = ModalStacks()
        self._from_slackbot: set[str] = set()  # ts of Slack's own answers (unknown commands)
        # Every version of a message a page was shown (ts -> its blocks, oldest first): a page not yet
        # redrawn may press a button the bot has since taken away, and Slack sends that press too.
        self._shown: dict[str, list[list[JSON]]] = {}

    @property
    def world(self) -> World:
        return self._world

    def stop(self) -> None:
        with self._lock:
            self._world.stop()
            shutil.rmtree(self._dir, ignore_errors=True)

    # ---- reading

    def state(self, user: str, conversation: str) -> JSON:
        someone = _person(user)
        _conversation(conversation)
        with self._lock:
            world = self._world
            now = world.clock()
            names = {p.id: p.name for p in seed.PEOPLE} | {seed.BOT_USER_ID: "Handoff"}
            home = world.slack.home_view(someone.id) if conversation == "home" else None
            top = self.modals.top(someone.id)
            modal = world.slack.view(top) if top else None
            return {
                "version": self.version,
                "time": now.isoformat(),
                "time_label": _time_label(now),
                "people": [_person_json(p) for p in seed.PEOPLE],
                "conversations": [{"id": key, "label": label} for key, label in CONVERSATIONS.items()],
                "commands": [vars(c) for c in COMMANDS],
                "as": someone.id,
                "conversation": conversation,
                "messages": [
                    self._message_json(m, names, someone.tz, now)
                    for m in self._visible(someone.id, conversation)
                ],
                "home": None if home is None else _view_json(home, names, someone.tz, now),
                "modal": None
                if modal is None
                else {
                    **_view_json(modal, names, someone.tz, now),
                    "errors": self.modals.errors.get(modal["id"], {}),
                },
            }

    def _visible(self, user: str, conversation: str) -> list[Message]:
        if conversation == "home":
            return []
        slack = self._world.slack
        channel = seed.OPS if conversation == "ops" else im_channel(user)
        mine = [m for m in slack.ephemerals_to(user) if _conversation_of(m) == conversation]
        return sorted([*slack.messages(channel), *mine], key=lambda m: float(m.ts))

    def _message_json(self, message: Message, names: dict[str, str], tz: str, now: datetime) -> JSON:
        content = {"text": message.text, "blocks": message.blocks}
        shown = self._shown.setdefault(message.ts, [])
        if not shown or shown[-1] != message.blocks:
            shown.append(json.loads(json.dumps(message.blocks)))
        return {
            "ts": message.ts,
            "author": "Slackbot" if message.ts in self._from_slackbot else "Handoff",
            "text": message.text,
            "blocks": message.blocks,
            "ephemeral": message.ephemeral,
            "edited": message.updates > 0,
            "metadata": message.metadata,  # the bot's outbox key: what kind of message it is
            "html": message_html(content, people=names, tz=tz, now=now),
        }

    # ---- acting

    def command(self, user: str, conversation: str, line: str) -> JSON:
        someone = _person(user)
        if _conversation(conversation) == "home":
            raise BadRequest("Commands are typed in a conversation: send conversation 'dm' or 'ops'.")
        if not line.strip().startswith("/"):
            raise BadRequest(
                "Handoff reads only its slash commands: send text starting with "
                + ", ".join(c.command for c in COMMANDS)
                + " (for example '/delegate @Alice Ship the report | due: friday')."
            )
        command, text = split_command(line)
        channel = seed.OPS if conversation == "ops" else im_channel(someone.id)
        with self._lock:
            world = self._world
            if command not in KNOWN:
                self._slackbot_says(someone.id, channel, not_a_command(command))
                return self._changed({"ok": True, "status": None})
            people = {p.name.lower(): p.id for p in seed.PEOPLE}
            escaped = escaped_text(text, people=people, channels={seed.OPS_NAME: seed.OPS})
            opened = len(world.slack.views_opened)
            reply = world.requests.command(command, user=someone.id, text=escaped, channel=channel)
            world.settle()
            self._note_views(someone.id, opened)
            return self._changed({"ok": reply.status == 200, "status": reply.status})

    def action(self, user: str, body: JSON) -> JSON:
        someone = _person(user)
        block_id, action_id = required_text(body, "block_id"), required_text(body, "action_id")
        with self._lock:
            world = self._world
            message, view = self._where(someone.id, body)
            if view is not None:
                versions = [view["blocks"]]
            else:
                assert message is not None
                versions = [message.blocks, *reversed(self._shown.get(message.ts, []))]
            blocks, element = find_element(versions, block_id, action_id)
            action = action_of(element, block_id_of(blocks, element), body)
            opened = len(world.slack.views_opened)
            reply = world.requests.element_action(action, user=someone.id, message=message, view=view)
            world.settle()
            self._note_views(someone.id, opened)
            return self._changed({"ok": reply.status == 200, "status": reply.status})

    def submit(self, user: str, view_id: str, values: Any) -> JSON:
        someone = _person(user)
        if not isinstance(values, dict) or not all(isinstance(v, str | list) for v in values.values()):
            raise BadRequest("Send values as an object: input block id -> text, or a list of texts.")
        with self._lock:
            world = self._world
            view = self._open_modal(someone.id, view_id)
            missing = missing_inputs(view, values)
            if missing:
                self.modals.errors[view_id] = missing
                return self._changed({"ok": False, "errors": missing})
            try:
                state = state_values(view, values)
            except AssertionError as problem:
                raise BadRequest(f"{problem}.") from None
            opened = len(world.slack.views_opened)
            reply = world.requests.view_submission(view, user=someone.id, values=state)
            world.settle()
            if reply.status != 200:
                # Slack keeps the form open when the app fails to answer; so does the page, saying so.
                self._note_views(someone.id, opened)
                return self._changed({"ok": False, "status": reply.status, "errors": {}})
            answer = reply.json if isinstance(reply.json, dict) else {}
            if answer.get("response_action") == "errors":
                self.modals.errors[view_id] = dict(answer.get("errors") or {})
                return self._changed({"ok": False, "errors": self.modals.errors[view_id]})
            self.modals.errors.pop(view_id, None)
            shown = world.slack.answer_submission(view_id, answer)
            if answer.get("response_action") == "push" and shown is not None:
                self.modals.pushed(someone.id, shown["id"])
            elif answer.get("response_action") != "update":
                self.modals.close(someone.id, everything=answer.get("response_action") == "clear")
            self._note_views(someone.id, opened)
            return self._changed({"ok": True, "errors": {}})

    def close(self, user: str, view_id: str) -> JSON:
        someone = _person(user)
        with self._lock:
            self._open_modal(someone.id, view_id)
            self.modals.close(someone.id)
            return self._changed({"ok": True})

    def open(self, user: str, conversation: str) -> JSON:
        """The person opens a conversation; the Home tab tells the bot (``app_home_opened``)."""
        someone = _person(user)
        if _conversation(conversation) != "home":
            return {"ok": True}
        with self._lock:
            world = self._world
            event: JSON = {"type": "app_home_opened", "user": someone.id, "channel": im_channel(someone.id),
                           "tab": "home"}  # fmt: skip
            home = world.slack.home_view(someone.id)
            if home is not None:
                event["view"] = home
            reply = world.requests.event(event)
            world.settle()
            return self._changed({"ok": reply.status == 200})

    def advance(self, step: Any) -> JSON:
        if step not in STEP_NAMES:
            raise BadRequest(
                f"Send advance as one of {', '.join(repr(s) for s in STEP_NAMES)}, not {step!r}."
            )
        with self._lock:
            world = self._world
            world.advance_to(step_target(str(step), world.clock(), world.calendar()))
            return self._changed({"ok": True, "time": world.clock().isoformat()})

    def reset(self) -> JSON:
        """A fresh workspace: new database, new embedded Slack; the process keeps running."""
        with self._lock:
            # The new World first: one that fails to start leaves the old one serving, as it was.
            world = self._new_world(self._generation + 1)
            old, old_generation = self._world, self._generation
            self._world, self._generation = world, old_generation + 1
            self._forget_screens()
            old.stop()
            self._database(old_generation).unlink(missing_ok=True)
            return self._changed({"ok": True})

    # ---- helpers

    def _changed(self, answer: JSON) -> JSON:
        self.version += 1
        return {**answer, "version": self.version}

    def _slackbot_says(self, user: str, channel: str, text: str) -> None:
        slack = self._world.slack
        url = slack.new_response_url(user=user, channel=channel)
        slack.show_command_answer(url, json.dumps({"text": text}), "application/json")
        self._from_slackbot.add(slack.ephemerals_to(user)[-1].ts)

    def _note_views(self, user: str, opened_before: int) -> None:
        self.modals.opened(user, self._world.slack.views_opened[opened_before:])

    def _open_modal(self, user: str, view_id: str) -> JSON:
        if not view_id or self.modals.top(user) != view_id:
            raise BadRequest(
                f"View {view_id!r} is not the form open for {user}: send the view id from /api/state's modal."
            )
        return self._world.slack.view(view_id)

    def _where(self, user: str, body: JSON) -> tuple[Message | None, JSON | None]:
        """The message (by ``message`` ts) or view (by ``view`` id) the element sits in."""
        slack = self._world.slack
        if body.get("view"):
            view_id = str(body["view"])
            if view_id != self.modals.top(user) and view_id != (slack.home_view(user) or {}).get("id"):
                raise BadRequest(f"View {view_id!r} is not open for {user}: send its id from /api/state.")
            return None, slack.view(view_id)
        ts = str(body.get("message") or "")
        channels = [seed.OPS, *(im_channel(p.id) for p in seed.PEOPLE)]
        # A message is found wherever it is, as a button in a shared message reaches the bot as this one.
        candidates = [*(m for c in channels for m in slack.messages(c)), *slack.ephemerals_to(user)]
        found = next((m for m in candidates if m.ts == ts), None)
        if found is None:
            raise BadRequest("Send 'message' (a message's ts from /api/state) or 'view' (a view id).")
        return found, None


def _person(user: str) -> seed.Person:
    someone = seed.person(user)
    if someone is None:
        known = ", ".join(f"{p.id} ({p.name})" for p in seed.PEOPLE)
        raise BadRequest(f"Send 'as' as one of the workspace's people: {known}; not {user!r}.")
    return someone


def _conversation(key: str) -> str:
    if key not in CONVERSATIONS:
        raise BadRequest(f"Send conversation as one of {', '.join(CONVERSATIONS)}; not {key!r}.")
    return key


def _conversation_of(message: Message) -> str:
    return "ops" if message.channel == seed.OPS else "dm"


def _person_json(someone: seed.Person) -> JSON:
    return {
        "id": someone.id,
        "name": someone.name,
        "label": someone.label,
        "tz": someone.tz,
        "role": someone.role,
    }


def _view_json(view: JSON, names: dict[str, str], tz: str, now: datetime) -> JSON:
    return {
        "id": view["id"],
        "type": view.get("type"),
        "title": (view.get("title") or {}).get("text", ""),
        "submit": (view.get("submit") or {}).get("text"),
        "close": (view.get("close") or {}).get("text") or "Cancel",
        "blocks": view.get("blocks", []),
        "html": view_html(view, people=names, tz=tz, now=now),
    }


def _time_label(now: datetime) -> str:
    local = now.astimezone(ZoneInfo(seed.WORKSPACE_TIMEZONE))
    return f"{local:%a %d %b %Y, %H:%M} ({seed.WORKSPACE_TIMEZONE})"
