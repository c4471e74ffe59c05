"""``/tasks export [30d]``: a CSV of the person's tasks and their histories, in their DM.

Uploading asks Slack three times, so the request is kept in the inbox, acked with
"Preparing your export…", then done (``bot.slack.durable``); its work runs as the kept
``/tasks`` command's, through ``export_tasks``. It uploads once per request: a retry of
the command finds the request kept (pending or done) and does nothing; a run resumed after a
crash looks in the DM for the file the first run noted before sharing it, and uploads again
only when that file is not there.
"""

from __future__ import annotations

from typing import Any, Protocol

from slack_bolt import Ack

from bot.core.export_csv import Export, file_name
from bot.core.parsing import TasksCommand
from bot.core.summary_grammar import DEFAULT_WINDOW_DAYS
from bot.services import export
from bot.services.runtime import Runtime
from bot.slack import durable, messages
from bot.slack.gateway import FileToShare
from bot.slack.replies import answer_in_ack

Message = dict[str, Any]
KIND = "tasks_command"  # the kept /tasks command's work dispatches the export verb here


def accept_export(ack: Ack, rt: Runtime, *, team_id: str, request_key: str, kept: durable.Payload) -> None:
    """Keep the request, ack it with a word on what comes, then build and upload the file."""
    new = durable.keep(rt, kind=KIND, team_id=team_id, request_key=request_key, payload=kept)
    answer_in_ack(ack, messages.info_reply("Preparing your export… it will be in your DM with me."))
    if new:  # else the same request is kept already: being done, or done
        durable.run(rt, kind=KIND, team_id=team_id, request_key=request_key, payload=kept)


class KeptCommand(Protocol):
    """Who typed the kept command, and its request key."""

    @property
    def team_id(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def request_key(self) -> str: ...


def export_tasks(rt: Runtime, caller: KeptCommand, request: TasksCommand) -> Message:
    """Upload the export to the person's DM (once per request); the answer says what happened."""
    team_id, user_id, request_key = caller.team_id, caller.user_id, caller.request_key
    days = request.export_days or DEFAULT_WINDOW_DAYS
    noted = export.noted_file(rt, team_id=team_id, request_key=request_key)
    if noted is not None and rt.gateway.file_in_dm(user_id, noted, team_id=team_id):
        # An earlier run shared it and stopped before it could say so.
        export.uploaded(rt, team_id=team_id, request_key=request_key)
        return messages.info_reply("Your export is in your DM with me.")
    made = export.tasks_export(rt, team_id=team_id, user_id=user_id, days=days)
    if made is None:
        export.nothing_to_upload(rt, team_id=team_id, request_key=request_key)
        return messages.info_reply(
            f"Nothing to export: you have no tasks open now or closed in the last {days} days. "
            "Try a longer window, like `/tasks export 90d`."
        )
    what = _contents(made, days)
    file = FileToShare(
        filename=file_name(team_id, on=rt.now().date(), days=days),
        title=f"Handoff export, last {days} days",
        content=made.content.encode("utf-8"),
        comment=f"Your Handoff export: {what}.",
    )
    rt.gateway.share_file_in_dm(
        user_id,
        file,
        team_id=team_id,
        before_sharing=lambda file_id: export.note_file(
            rt, team_id=team_id, request_key=request_key, file_id=file_id
        ),
    )
    export.uploaded(rt, team_id=team_id, request_key=request_key)
    return messages.info_reply(f"Your export is in your DM with me: {what}.")


def _contents(made: Export, days: int) -> str:
    tasks = "1 task" if made.tasks == 1 else f"{made.tasks} tasks"
    rows = "1 history row" if made.rows == 1 else f"{made.rows} history rows"
    return f"{tasks}, {rows}, last {days} days"
