"""Log lines: readable or JSON, with the request's fields kept as fields."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot import logs


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_format_is_one_object_a_line(restored_logging: None, capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("INFO", "json")
    log = logging.getLogger("bot.web")
    log.info("handled", extra={"team": "T1", "user": "U1", "kind": "/delegate", "status": 200, "ms": 12.5})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("unexpected error %s", "abc123")
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["message"] == "handled" and first["level"] == "INFO" and first["logger"] == "bot.web"
    assert (first["team"], first["user"], first["kind"], first["status"], first["ms"]) == (
        "T1",
        "U1",
        "/delegate",
        200,
        12.5,
    )
    assert second["message"] == "unexpected error abc123" and "ValueError: boom" in second["traceback"]


def test_text_format_appends_the_fields(restored_logging: None, capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("DEBUG", "text")
    logging.getLogger("bot.web").info("refused", extra={"status": 413, "reason": "body larger than 1 MiB"})
    line = capsys.readouterr().err.strip()
    assert line.endswith("INFO bot.web refused status=413 reason=body larger than 1 MiB")


def test_level_filters(restored_logging: None, capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("WARNING", "text")
    logging.getLogger("bot.web").info("handled")
    assert capsys.readouterr().err == ""


def test_debug_logging_never_prints_what_slack_was_sent(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.configure("DEBUG", "text")
    # slack_sdk logs every request body at DEBUG (message text people typed), Bolt its responses.
    logging.getLogger("slack_sdk.web.base_client").debug("Sending a request - body_params: the plan")
    logging.getLogger("slack_bolt.App").debug("Responding with body: the plan")
    logging.getLogger("bot.web").debug("our own debug line")
    err = capsys.readouterr().err
    assert "the plan" not in err
    assert "our own debug line" in err
