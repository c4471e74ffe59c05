"""The middle step of a file upload: POSTing the bytes to the URL Slack handed out.

slack_sdk's ``files_upload_v2`` makes this POST with a bare ``urlopen``: its WebClient's retry
handlers never see it, so a 429 or a 503 there would fail the whole upload. Here the POST goes
through the same handlers as every Web API call of the client (Retry-After honoured, server
errors and lost connections retried with the same pauses).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.error import HTTPError
from urllib.request import Request, urlopen

from slack_sdk.errors import SlackRequestError
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState


def post_file_bytes(url: str, data: bytes, *, retry_handlers: list[RetryHandler], timeout: int) -> None:
    """POST ``data`` to an upload URL; raise SlackRequestError when it is refused for good."""
    request = HttpRequest(method="POST", url=url, headers={}, data=data)
    state = RetryState()
    while True:
        response, error = _post_once(url, data, timeout)
        if response is not None and response.status_code < 300:
            return
        handler = next(
            (
                h
                for h in retry_handlers
                if h.can_retry(state=state, request=request, response=response, error=error)
            ),
            None,
        )
        if handler is None:
            if error is not None and response is None:
                raise error
            status = response.status_code if response is not None else "?"
            raise SlackRequestError(f"the file upload was refused (status {status})")
        handler.prepare_for_next_attempt(state=state, request=request, response=response, error=error)


def _post_once(url: str, data: bytes, timeout: int) -> tuple[HttpResponse | None, Exception | None]:
    try:
        with urlopen(Request(url, data=data, method="POST"), timeout=timeout) as answer:
            answer.read()
            return HttpResponse(status_code=answer.status, headers=_headers(answer.headers.items())), None
    except HTTPError as refused:
        headers = _headers(refused.headers.items()) if refused.headers else {}
        return HttpResponse(status_code=refused.code, headers=headers, data=refused.read()), refused
    except OSError as lost:  # a lost connection or a timeout: the connection handler decides
        return None, lost


def _headers(items: Iterable[tuple[str, str]]) -> dict[str, str | list[str]]:
    return dict(items)
