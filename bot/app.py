"""The app factory: builds the Bolt App and everything it runs on. Nothing at import time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.config import Settings
from bot.outbox.dispatcher import OutboxDispatcher
from bot.outbox.sender import OutboxSender
from bot.services import delegation
from bot.services.runtime import Runtime, utc_now
from bot.slack import durable, oauth_install
from bot.slack.errors import report_error
from bot.slack.gateway import OUTBOX_CALL_TIMEOUT
from bot.slack.installations import Gateways, build_gateways
from bot.slack.listeners import actions, commands, events, home_buttons, views
from bot.slack.listeners import insights as insight_listeners
from bot.slack.listeners import settings as settings_listeners
from bot.slack.listeners import shortcuts as shortcut_listeners
from bot.slack.listeners import summary as summary_listeners
from storage.db import Database

# ``retry_every``'s default: the sender's own rounds come every OUTBOX_POLL_EVERY, so it
# also sends what another process (the clock, a cron sweep) queued.
POLL_FROM_SETTINGS = -1.0


@dataclass
class Handoff:
    """A running bot: the Bolt app, the use-case runtime and the outbox sender."""

    app: App
    runtime: Runtime
    sender: OutboxSender
    dispatcher: OutboxDispatcher
    resumer: threading.Thread | None = None

    def start(self) -> None:
        self.dispatcher.start()
        self.dispatcher.poke()  # release what a crashed run held, send what it left unsent
        # Finish what an earlier run acknowledged but was stopped from doing.
        self.resumer = durable.resume_in_background(self.runtime)

    def stop(self) -> None:
        if self.resumer is not None:
            self.resumer.join(timeout=10)
        self.dispatcher.stop()
        self.sender.stop()


def create_handoff(
    settings: Settings,
    *,
    db: Database | None = None,
    client: WebClient | None = None,
    clock: Callable[[], datetime] = utc_now,
    listener_executor: Executor | None = None,
    retry_every: float | None = POLL_FROM_SETTINGS,
    listener_threads: int = 16,
    outbox_client: WebClient | None = None,
    send_timeout: float = OUTBOX_CALL_TIMEOUT,
) -> Handoff:
    """Build the bot. ``listener_threads`` sizes Bolt's pool to the server in front of it.

    Bolt runs every listener on that pool and the HTTP thread waits for the listener's
    ack; the listener then goes on with its work on the same pool thread. With Bolt's
    default of 5 threads, acks under load wait behind earlier requests' work: the pool
    needs at least as many threads as the server answers requests at once, plus room for
    the work that follows the acks.
    """
    delegation.warm_up()
    if retry_every == POLL_FROM_SETTINGS:
        retry_every = settings.outbox_poll_every.total_seconds()
    db = db or Database.from_url(settings.database_url)
    gateways = build_gateways(
        settings, db, client=client, outbox_client=outbox_client, send_timeout=send_timeout
    )
    runtime = Runtime(settings=settings, db=db, gateway=gateways.listeners, clock=clock)
    sender = OutboxSender(
        runtime, gateways.outbox, keep=settings.outbox_keep, on_progress=lambda: dispatcher.poke()
    )
    dispatcher = OutboxDispatcher(sender.pump, retry_every=retry_every, is_idle=sender.idle)
    runtime.messages_queued = dispatcher.poke
    app = App(
        client=gateways.listeners.client,
        signing_secret=settings.slack_signing_secret,
        listener_executor=listener_executor
        or ThreadPoolExecutor(max_workers=listener_threads, thread_name_prefix="listener"),
        # The bot answers every request it knows; anything else is logged, not retried.
        raise_error_for_unhandled_request=False,
        **_installs(runtime, gateways),
    )
    app.use(_runtime_middleware(runtime))
    app.error(handle_error)
    for listeners in (commands, actions, views, events, settings_listeners, summary_listeners):
        listeners.register(app)
    insight_listeners.register(app)
    home_buttons.register(app)
    shortcut_listeners.register(app)
    return Handoff(app=app, runtime=runtime, sender=sender, dispatcher=dispatcher)


def _installs(runtime: Runtime, gateways: Gateways) -> dict[str, Any]:
    """Many workspaces (OAuth): Bolt's install flow, and its authorize on the same installations."""
    if gateways.installed is None:
        return {}
    oauth = oauth_install.oauth_settings(runtime, gateways.installed)
    return {
        "oauth_settings": oauth,
        "authorize": oauth_install.authorize(oauth, gateways.listeners.client),
        "installation_store_bot_only": True,
    }


def _runtime_middleware(runtime: Runtime) -> Callable[..., Any]:
    """Hand the runtime to every listener as the ``rt`` argument."""

    def put_runtime(context: BoltContext, next: Callable[[], None]) -> None:
        context["rt"] = runtime
        next()

    return put_runtime


def handle_error(error: Exception, body: dict[str, Any], context: BoltContext) -> None:
    """Errors that happen outside a listener (middleware, parsing) get the same treatment."""
    report_error(error, body=body, rt=context.get("rt"))
