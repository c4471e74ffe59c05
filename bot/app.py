"""The app factory: builds the Bolt App and everything it runs on. Nothing at import time."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.config import Settings
from bot.core.errors import HandoffError
from bot.services import outbox
from bot.services.dispatcher import OutboxDispatcher
from bot.services.runtime import Runtime, utc_now
from bot.slack import messages
from bot.slack.gateway import SlackGateway, build_client
from bot.slack.listeners import actions, commands, events, views
from bot.slack.replies import reply
from storage.db import Database

logger = logging.getLogger(__name__)


@dataclass
class Handoff:
    """A running bot: the Bolt app, the use-case runtime and the outbox sender."""

    app: App
    runtime: Runtime
    dispatcher: OutboxDispatcher

    def start(self) -> None:
        self.dispatcher.start()
        self.dispatcher.poke()  # send whatever an earlier run left unsent

    def stop(self) -> None:
        self.dispatcher.stop()


def create_handoff(
    settings: Settings,
    *,
    db: Database | None = None,
    client: WebClient | None = None,
    clock: Callable[[], datetime] = utc_now,
    listener_executor: Executor | None = None,
    retry_every: float = 60.0,
) -> Handoff:
    client = client or build_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    runtime = Runtime(
        settings=settings,
        db=db or Database.from_url(settings.database_url),
        gateway=SlackGateway(client),
        clock=clock,
    )
    dispatcher = OutboxDispatcher(lambda: outbox.flush(runtime), retry_every=retry_every)
    runtime.messages_queued = dispatcher.poke
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret,
        listener_executor=listener_executor,
        # The bot answers every request it knows; anything else is logged, not retried.
        raise_error_for_unhandled_request=False,
    )
    app.use(_runtime_middleware(runtime))
    app.error(handle_error)
    for listeners in (commands, actions, views, events):
        listeners.register(app)
    return Handoff(app=app, runtime=runtime, dispatcher=dispatcher)


def _runtime_middleware(runtime: Runtime) -> Callable[..., Any]:
    """Hand the runtime to every listener as the ``rt`` argument."""

    def put_runtime(context: BoltContext, next: Callable[[], None]) -> None:
        context["rt"] = runtime
        next()

    return put_runtime


def handle_error(error: Exception, body: dict[str, Any], context: BoltContext) -> None:
    """The one place errors become a message: the person's mistake, or an error id to quote."""
    rt: Runtime | None = context.get("rt")
    if isinstance(error, HandoffError):
        text = str(error)
    else:
        error_id = uuid.uuid4().hex[:8]
        logger.exception("unexpected error %s", error_id, exc_info=error)
        text = f"Something went wrong on our side (error id `{error_id}`). Please try again in a moment."
    if rt is not None:
        try:
            reply(rt, body, messages.error_reply(text))
        except Exception:
            logger.exception("could not tell the user about an error")
