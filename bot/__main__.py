"""Entry point: python -m bot <command>."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

from dotenv import find_dotenv, load_dotenv
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackClientError

from bot.config import Settings, SettingsError, database_url_from

COMMANDS = {
    "web": "serve Slack's requests over HTTP on $PORT (POST /slack/events, GET /healthz)",
    "migrate": "bring the database schema up to date (Alembic upgrade head)",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Handoff, the Slack bot for delegating work."
    )
    sub = parser.add_subparsers(dest="command", metavar="command")
    for name, help_text in COMMANDS.items():
        sub.add_parser(name, help=help_text)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    load_dotenv(find_dotenv(usecwd=True))  # the .env of the directory the bot is started in
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # a line per plugin at start
    try:
        if args.command == "migrate":
            return run_migrate(database_url_from(os.environ))
        return run_web(Settings.from_env(os.environ))
    except SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2


def run_migrate(database_url: str) -> int:
    from storage.migrate import upgrade

    upgrade(database_url)
    print("Database is up to date.")
    return 0


def run_web(settings: Settings) -> int:
    from bot.app import create_handoff
    from bot.web import make_http_server
    from storage.migrate import upgrade

    if settings.database_url.startswith("sqlite"):
        upgrade(settings.database_url)  # the embedded default needs no separate step
    try:
        handoff = create_handoff(settings)  # checks the token with Slack (auth.test)
    except (BoltError, SlackClientError, OSError) as error:
        print(
            f"Could not check SLACK_BOT_TOKEN with Slack at {settings.slack_api_url}: {error}\n"
            "Check the token in .env (OAuth & Permissions → Bot User OAuth Token) and that Slack is"
            " reachable.",
            file=sys.stderr,
        )
        return 2
    handoff.start()
    server = make_http_server(handoff, port=settings.port)
    # Platforms stop a process with SIGTERM: finish the requests in hand, then stop the sender.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    logging.getLogger("bot").info("Handoff listening on port %s (POST /slack/events)", settings.port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        handoff.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
