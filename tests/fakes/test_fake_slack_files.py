"""The fake's file uploads: Slack's three steps, as files_upload_v2 makes them, and their contract."""

from __future__ import annotations

import urllib.request
from urllib.error import HTTPError

import pytest
from slack_sdk import WebClient

from bot.playground.slack.fake_slack import FakeSlack
from tests.fakes.fake_slack_cases import slack_error


def test_files_upload_v2_shares_the_file_in_the_dm_with_its_comment(
    fake: FakeSlack, client: WebClient
) -> None:
    channel = client.conversations_open(users="U1")["channel"]["id"]

    done = client.files_upload_v2(
        channel=channel, content="a,b\r\n1,2\r\n", filename="x.csv", title="X", initial_comment="Here it is"
    )

    [shared] = fake.files_sent_to("U1")
    assert (shared.id, shared.filename, shared.title) == (done["file"]["id"], "x.csv", "X")
    assert shared.content == b"a,b\r\n1,2\r\n" and shared.initial_comment == "Here it is"
    steps = ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    assert [c.method for c in fake.calls][-3:] == steps
    assert fake.contract_violations == []


def test_history_shows_the_shared_file_on_its_message(fake: FakeSlack, client: WebClient) -> None:
    channel = client.conversations_open(users="U1")["channel"]["id"]
    done = client.files_upload_v2(channel=channel, content="x", filename="x.csv", initial_comment="Hi")

    [message] = client.conversations_history(channel=channel)["messages"]

    assert message["text"] == "Hi" and [f["id"] for f in message["files"]] == [done["file"]["id"]]


def test_an_upload_never_completed_is_not_shared(fake: FakeSlack, client: WebClient) -> None:
    ticket = client.files_getUploadURLExternal(filename="x.csv", length=3)
    _post(ticket["upload_url"], b"abc")

    assert fake.files_sent_to("U1") == [] and fake.files_in("C1") == []


def test_completing_needs_the_bytes_uploaded_first(fake: FakeSlack, client: WebClient) -> None:
    ticket = client.files_getUploadURLExternal(filename="x.csv", length=3)

    files = [{"id": ticket["file_id"]}]
    error = slack_error(lambda: client.files_completeUploadExternal(files=files, channel_id="C1"))

    assert error == "file_not_found" and fake.files_in("C1") == []


def test_an_unknown_file_id_is_not_found(fake: FakeSlack, client: WebClient) -> None:
    error = slack_error(lambda: client.files_completeUploadExternal(files=[{"id": "F0NOPE", "title": "x"}]))

    assert error == "file_not_found"


def test_a_file_is_shared_once(fake: FakeSlack, client: WebClient) -> None:
    done = client.files_upload_v2(channel="C1", content="x", filename="x.csv")

    files = [{"id": done["file"]["id"]}]
    again = slack_error(lambda: client.files_completeUploadExternal(files=files, channel_id="C1"))

    assert again == "file_not_found" and len(fake.files_in("C1")) == 1


def test_bytes_of_another_length_than_announced_are_refused(fake: FakeSlack, client: WebClient) -> None:
    ticket = client.files_getUploadURLExternal(filename="x.csv", length=10)

    with pytest.raises(HTTPError) as refused:
        _post(ticket["upload_url"], b"abc")

    assert refused.value.code == 400


def test_sharing_in_an_unknown_channel_fails(fake: FakeSlack, client: WebClient) -> None:
    error = slack_error(lambda: client.files_upload_v2(channel="D0NOBODY", content="x", filename="x.csv"))

    assert error == "channel_not_found" and fake.files_in("D0NOBODY") == []


@pytest.mark.parametrize(
    ("method", "args", "violation"),
    [
        ("files.getUploadURLExternal", {"filename": "x.csv"}, "missing required argument 'length'"),
        ("files.getUploadURLExternal", {"length": 3}, "missing required argument 'filename'"),
        ("files.getUploadURLExternal", {"filename": "x", "length": 3, "channel": "C1"}, "unknown argument"),
        ("files.completeUploadExternal", {"channel_id": "C1"}, "missing required argument 'files'"),
        ("files.completeUploadExternal", {"files": '{"id": "F1"}'}, "files must be a list"),
        ("files.completeUploadExternal", {"files": '[{"title": "x"}]'}, "files must be a list"),
    ],
)
def test_calls_against_the_reference_fail_and_are_violations(
    fake: FakeSlack, client: WebClient, method: str, args: dict[str, object], violation: str
) -> None:
    assert slack_error(lambda: client.api_call(method, params=args)) in ("invalid_arguments",)
    assert len(fake.contract_violations) == 1 and violation in fake.contract_violations[0]


def test_a_failure_can_be_injected_on_the_upload_post(fake: FakeSlack, client: WebClient) -> None:
    ticket = client.files_getUploadURLExternal(filename="x.csv", length=3)
    fake.fail_next("upload", status=429, retry_after=0)

    with pytest.raises(HTTPError) as limited:
        _post(ticket["upload_url"], b"abc")
    _post(ticket["upload_url"], b"abc")

    assert limited.value.code == 429 and limited.value.headers["Retry-After"] == "0"
    assert [c.status for c in fake.calls_to("upload")] == [429, 200]


def _post(url: str, data: bytes) -> None:
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST")) as answer:
        answer.read()


def test_uploading_needs_the_files_write_scope() -> None:
    with FakeSlack(scopes="commands,chat:write") as fake:
        client = WebClient(base_url=fake.api_url, token=fake.bot_token)

        error = slack_error(lambda: client.files_upload_v2(channel="C1", content="x", filename="x.csv"))

    assert error == "missing_scope" and fake.files_in("C1") == []
