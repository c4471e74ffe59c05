"""The fake's file uploads, in Slack's three steps (what ``files_upload_v2`` does).

1. ``files.getUploadURLExternal`` (filename, length) hands out a file id and an upload URL on the fake;
2. the bytes are POSTed to that URL (``receive_upload``), and must be as long as announced;
3. ``files.completeUploadExternal`` (files=[{id, title}], channel_id, initial_comment) finishes the
   upload and shares the file in the channel: a message with the comment and the file, which
   ``conversations.history`` returns with its ``files`` as Slack does.

A file never completed is never shared, as in Slack. Both methods need the ``files:write`` scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.playground.slack.chat_methods import existing_channel
from bot.playground.slack.slack_error import SlackError
from bot.playground.slack.slack_records import JSON
from bot.playground.slack.slack_workspace import Workspace
from bot.playground.slack.web_api_args import present


@dataclass
class Upload:
    """One file, from the moment its URL was handed out; ``channel`` set once it is shared."""

    id: str
    filename: str
    length: int
    content: bytes | None = None
    title: str | None = None
    channel: str | None = None
    initial_comment: str | None = None

    def to_api(self) -> JSON:
        return {"id": self.id, "name": self.filename, "title": self.title or self.filename}


SCOPE = "files:write"


def files_get_upload_url_external(ws: Workspace, args: JSON) -> JSON:
    _require_scope(ws)
    try:
        length = int(args["length"])
    except ValueError:
        detail = "length must be an integer"
        raise SlackError("invalid_arguments", f"[ERROR] {detail}", violation=detail) from None
    if length <= 0:
        raise SlackError("missing_argument")
    file_id = f"F{ws.next_id():09d}"
    ws.uploads[file_id] = Upload(id=file_id, filename=str(args["filename"]), length=length)
    return {"ok": True, "upload_url": f"{ws.team.base_url}/upload/{file_id}", "file_id": file_id}


def receive_upload(ws: Workspace, file_id: str, body: bytes) -> tuple[int, str]:
    """The POST of a file's bytes: (HTTP status, text), as Slack's upload host answers."""
    upload = ws.uploads.get(file_id)
    if upload is None or upload.channel is not None:
        return 404, "file not found"
    if len(body) != upload.length:
        return 400, f"length {len(body)} is not the announced {upload.length}"
    upload.content = body
    return 200, f"OK - {len(body)}"


def files_complete_upload_external(ws: Workspace, args: JSON) -> JSON:
    _require_scope(ws)
    files = args["files"]
    if not isinstance(files, list) or not all(isinstance(f, dict) and f.get("id") for f in files):
        detail = "files must be a list of {id, title}"
        raise SlackError("invalid_arguments", f"[ERROR] {detail}", violation=detail)
    uploads = [ws.uploads.get(str(f["id"])) for f in files]
    for upload in uploads:
        if upload is None or upload.content is None or upload.channel is not None:
            raise SlackError("file_not_found")
    channel = existing_channel(ws, str(args["channel_id"])) if present(args.get("channel_id")) else None
    done = [upload for upload in uploads if upload is not None]
    for upload, given in zip(done, files, strict=True):
        upload.title = str(given.get("title") or upload.filename)
        upload.initial_comment = str(args.get("initial_comment") or "") or None
    if channel is not None:
        _share(ws, channel, done, args)
    return {"ok": True, "files": [{"id": u.id, "title": u.title} for u in done]}


def _share(ws: Workspace, channel: str, uploads: list[Upload], args: JSON) -> None:
    for upload in uploads:
        upload.channel = channel
    message = ws.new_message(channel, {"text": args.get("initial_comment") or ""})
    message.files = [upload.to_api() for upload in uploads]
    ws.messages.setdefault(channel, []).append(message)


def _require_scope(ws: Workspace) -> None:
    if SCOPE not in ws.team.scopes.split(","):
        raise SlackError("missing_scope")
