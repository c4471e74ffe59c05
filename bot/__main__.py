"""Entry point: python -m bot <command>."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from dotenv import find_dotenv, load_dotenv

from bot import logs
from bot.config import SettingsError, database_url_from, logging_from

COMMANDS = {
    "web": "serve Slack's requests over HTTP on $PORT (POST /slack/events, GET /healthz)",
    "socket": "take Slack's requests over Socket Mode ($SLACK_APP_TOKEN) instead of HTTP: no public URL"
    " needed (Procfile's worker)",
    "migrate": "bring the database schema up to date (Alembic upgrade head)",
    "sweep": "one pass of the nudges and recurring handoffs, send what is due, exit (for cron)",
    "summary": "post every channel's daily summary that is due, send what is due, exit (ops and tests)",
    "scheduler": "the clock process: a sweep every $SWEEP_EVERY and the daily summaries until stopped"
    " (Procfile's clock)",
    "outbox": "list the messages Slack refused for good or held for an uninstalled workspace, per workspace;"
    " `outbox retry [--team T …]` queues them again",
    "purge": "delete everything Handoff holds about workspaces: --team T … (asks first; --yes for scripts)",
    "playground": "try Handoff in a browser: the bot against an embedded Slack, no tokens needed",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Handoff, the Slack bot for delegating work."
    )
    sub = parser.add_subparsers(dest="command", metavar="command")
    commands = {name: sub.add_parser(name, help=help_text) for name, help_text in COMMANDS.items()}
    for serving in ("web", "socket"):
        commands[serving].add_argument(
            "--no-clock",
            action="store_true",
            help="don't run the clock (nudges, recurring handoffs) beside it: it runs as its own process",
        )
    add_operator_arguments(commands["outbox"], commands["purge"])
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
        if args.command in ("outbox", "purge"):
            return run_operator(args)
        if args.command in ("sweep", "summary", "scheduler"):
            return run_clock(args.command)
        if args.command == "socket":
            return run_socket(with_clock=not args.no_clock)
        return run_web(with_clock=not args.no_clock)
    except (SettingsError, StartupError) as problem:
        print(f"Cannot start: {problem}", file=sys.stderr)
        return 2


def run_playground(*, port: int, open_browser: bool) -> int:
    from bot.playground.run import run_playground as run

    logs.configure("WARNING", "text")  # the page shows what happens; the terminal stays readable
    return run(port=port, open_browser=open_browser)


def add_operator_arguments(outbox: argparse.ArgumentParser, purge: argparse.ArgumentParser) -> None:
    actions = outbox.add_subparsers(dest="outbox_action", metavar="action")
    retry = actions.add_parser(
        "retry", help="queue the failed and parked messages again, of every workspace or those given"
    )
    retry.add_argument(
        "--team", dest="teams", action="extend", nargs="+", metavar="T", help="only these workspaces"
    )
    purge.add_argument(
        "--team",
        dest="teams",
        action="extend",
        nargs="+",
        required=True,
        metavar="T",
        help="the workspaces to forget, by team id",
    )
    purge.add_argument("--yes", action="store_true", help="don't ask for confirmation (for scripts)")


def run_operator(args: argparse.Namespace) -> int:
    """The operator commands need the database only: no Slack credentials."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot import operator

    db = operator.open_database(database_url_from(os.environ))
    try:
        if args.command == "purge":
            return operator.purge_workspaces(db, team_ids=args.teams, confirmed=args.yes)
        if args.outbox_action == "retry":
            return operator.retry_outbox(db, team_ids=args.teams)
        return operator.show_outbox(db)
    except SQLAlchemyError as error:  # a blip mid-command: its one transaction rolled back
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"The database failed: {reason}. Nothing was changed; run the command again.", file=sys.stderr)
        return operator.REFUSED
    finally:
        db.engine.dispose()


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


def run_socket(*, with_clock: bool) -> int:
    """Socket Mode, checked like the web process (the app token too), with the clock beside it."""
    from bot.startup import check_app_token, startup

    settings = startup(os.environ, serves_http=False, socket_mode=True)
    url = check_app_token(settings)
    from bot.socket_mode import run_socket_mode

    if not run_socket_mode(settings, url=url, with_clock=with_clock):
        # A thread still busy (work after an ack, a call to Slack) would hold the exit until it
        # ends. Its request is kept in the inbox and its messages in the outbox, so the next
        # start finishes them: leave now, as promised on SIGTERM.
        logging.shutdown()
        os._exit(0)
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
