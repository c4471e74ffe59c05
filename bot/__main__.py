"""Entry point: python -m bot <command>."""

from __future__ import annotations

import argparse
import os
import sys

from dotenv import find_dotenv, load_dotenv

from bot import logs
from bot.config import SettingsError, database_url_from, logging_from

COMMANDS = {
    "web": "serve Slack's requests over HTTP on $PORT (POST /slack/events, GET /healthz)",
    "migrate": "bring the database schema up to date (Alembic upgrade head)",
    "sweep": "one pass of the nudges and recurring handoffs, send what is due, exit (for cron)",
    "summary": "post every channel's daily summary that is due, send what is due, exit (ops and tests)",
    "scheduler": "the clock process: a sweep every $SWEEP_EVERY and the daily summaries until stopped"
    " (Procfile's clock)",
    "playground": "try Handoff in a browser: the bot against an embedded Slack, no tokens needed",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Handoff, the Slack bot for delegating work."
    )
    sub = parser.add_subparsers(dest="command", metavar="command")
    commands = {name: sub.add_parser(name, help=help_text) for name, help_text in COMMANDS.items()}
    commands["web"].add_argument(
        "--no-clock",
        action="store_true",
        help="don't run the clock (nudges, recurring handoffs) beside it: it runs as its own process",
    )
    playground = commands["playground"]
    playground.add_argument("--port", type=int, default=3000, help="the page's port (default 3000; 0: any)")
    playground.add_argument("--no-browser", action="store_true", help="don't open a browser")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "playground":  # its own workspace and database: no .env, no tokens
        return run_playground(port=args.port, open_browser=not args.no_browser)
    load_dotenv(find_dotenv(usecwd=True))  # the .env of the directory the bot is started in
    from bot.startup import StartupError

    try:
        logs.configure(*logging_from(os.environ))
        if args.command == "migrate":
            return run_migrate(database_url_from(os.environ))
        if args.command in ("sweep", "summary", "scheduler"):
            return run_clock(args.command)
        return run_web(with_clock=not args.no_clock)
    except (SettingsError, StartupError) as problem:
        print(f"Cannot start: {problem}", file=sys.stderr)
        return 2


def run_playground(*, port: int, open_browser: bool) -> int:
    from bot.playground.run import run_playground as run

    logs.configure("WARNING", "text")  # the page shows what happens; the terminal stays readable
    return run(port=port, open_browser=open_browser)


def run_migrate(database_url: str) -> int:
    from sqlalchemy.exc import OperationalError

    from bot.startup import StartupError, describe_database
    from storage.migrate import upgrade

    try:
        upgrade(database_url)
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        where = describe_database(database_url)
        raise StartupError(f"Could not reach the database in DATABASE_URL ({where}): {reason}") from None
    print("Database is up to date.")
    return 0


def run_web(*, with_clock: bool) -> int:
    """gunicorn in this process, with the Procfile's settings, and the clock beside it:
    the one-command local start."""
    from contextlib import nullcontext

    from bot.startup import startup

    settings = startup(os.environ)  # before gunicorn is imported: it reads WEB_CONCURRENCY then
    from bot.clock_beside_web import clock_beside
    from bot.server import Server, gunicorn_options
    from bot.wsgi import app

    with clock_beside() if with_clock else nullcontext():  # started once the database is migrated
        Server(gunicorn_options(settings), app).run()  # SIGTERM: finish requests in hand, then exit
    return 0


def run_clock(command: str) -> int:
    """The sweep once, or on a schedule; checked like the web process, without a port."""
    from bot.startup import startup

    settings = startup(os.environ, serves_http=False)
    from bot.clock import run_scheduler, summary_once, sweep_once

    if command == "summary":
        return summary_once(settings)
    return sweep_once(settings) if command == "sweep" else run_scheduler(settings)


if __name__ == "__main__":
    sys.exit(main())
