"""Logging set-up: one place decides the level, the format and what is kept quiet.

``LOG_FORMAT=text`` (the default) writes readable lines; ``LOG_FORMAT=json`` writes one JSON
object a line, with the fields passed through ``extra=`` kept as keys, for log services that
index them. Nothing here ever formats a request body: the HTTP front logs only ids, kinds,
outcomes and timings.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
FORMATS = ("text", "json")

# The attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}

# Libraries whose INFO lines say nothing an operator needs on every start or request.
_QUIET = {
    "alembic.runtime.plugins": logging.WARNING,  # a line per plugin at every start
    "alembic.runtime.migration": logging.WARNING,
    "apscheduler": logging.WARNING,
    # At DEBUG these print whole Web API requests and responses: message text people typed.
    "slack_sdk": logging.INFO,
    "slack_bolt": logging.INFO,
}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the ``extra=`` fields, any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """The readable format, with the ``extra=`` fields appended as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}
        if not fields:
            return line
        head, newline, rest = line.partition("\n")  # keep a traceback below the fields
        pairs = " ".join(f"{k}={v}" for k, v in fields.items())
        return f"{head} {pairs}{newline}{rest}"


def configure(level: str = "INFO", log_format: str = "text") -> None:
    """Send every logger's records to stderr in the chosen format; replaces earlier handlers."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, quiet_level in _QUIET.items():
        logging.getLogger(name).setLevel(quiet_level)
