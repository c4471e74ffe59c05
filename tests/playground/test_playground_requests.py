"""What the page's server takes: JSON posted to its own address. Other websites' requests are refused."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from bot.playground.server import MAX_BODY
from tests.playground.conftest import OLIVIA, PageClient


def send(
    page: PageClient, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, Any]:
    """One request with exactly these headers (and Host unless given), as a browser or a script may send."""
    address = urlsplit(page.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host="Host" in headers, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body or None)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


COMMAND = json.dumps({"as": OLIVIA, "text": "/delegate @Alice Ship the report"}).encode()


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None],
)
def test_a_post_that_is_not_json_is_refused_with_415(page: PageClient, content_type: str | None) -> None:
    before = page.state(OLIVIA)["version"]
    headers = {"Content-Length": str(len(COMMAND))}
    if content_type:
        headers["Content-Type"] = content_type

    status, answer = send(page, "POST", "/api/command", headers, COMMAND)

    assert status == 415 and "Send JSON" in answer["error"] and "application/json" in answer["error"]
    assert page.state(OLIVIA)["version"] == before and page.state(OLIVIA)["messages"] == []


def test_json_with_a_charset_is_json(page: PageClient) -> None:
    headers = {"Content-Type": "application/json; charset=utf-8", "Content-Length": str(len(COMMAND))}
    status, answer = send(page, "POST", "/api/command", headers, COMMAND)
    assert status == 200 and answer["ok"] is True


@pytest.mark.parametrize("host", ["attacker.example:{port}", "attacker.example", "127.0.0.1:1", ""])
def test_a_request_naming_another_host_is_refused_with_403(page: PageClient, host: str) -> None:
    port = urlsplit(page.url).port
    before = page.state(OLIVIA)["version"]
    headers = {"Host": host.format(port=port), "Content-Type": "application/json", "Content-Length": "2"}

    for method, path in [("GET", "/"), ("GET", "/api/state?as=UOLIVIA"), ("POST", "/api/reset")]:
        status, answer = send(page, method, path, headers, b"{}" if method == "POST" else b"")
        assert status == 403 and f"http://127.0.0.1:{port}/" in answer["error"], (method, path)
    assert page.state(OLIVIA)["version"] == before


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_pages_own_addresses_are_served(page: PageClient, host: str) -> None:
    headers = {"Host": host.format(port=urlsplit(page.url).port)}
    status, answer = send(page, "GET", "/api/state?as=UOLIVIA", headers)
    assert status == 200 and answer["as"] == OLIVIA


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", str(MAX_BODY + 1), "1_000"])
def test_a_content_length_that_is_not_a_size_it_takes_is_refused_with_400(
    page: PageClient, length: str
) -> None:
    before = page.state(OLIVIA)["version"]
    headers = {"Content-Type": "application/json", "Content-Length": length}

    status, answer = send(page, "POST", "/api/reset", headers, b"{}")

    assert status == 400 and "Content-Length" in answer["error"]
    assert page.state(OLIVIA)["version"] == before
