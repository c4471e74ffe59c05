"""``/tasks settings``: the forms and the typed quick path, for working hours and the
workspace's settings (thresholds and calendar defaults).

A person's typed change needs nothing from Slack once their profile is cached (their Slack
timezone is the default shown and compared with): it is saved before the ack, which carries
the summary; otherwise it is kept in the inbox, acked, then looked up and saved. Opening a
form acks first (its trigger_id expires 3 s after Slack sent it). The workspace's settings
are for admins and owners only, and who is one is asked of Slack when the command comes: a
typed change is kept in the inbox, acked, then checked and saved (``bot.slack.durable``), the
form opened only after that check. The person who installed the bot may change them too.
A form's mistakes are shown next to their fields, and nothing is saved until every field is
right.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.core import parsing
from bot.core.errors import BadInput, NotAllowed
from bot.core.settings_grammar import HoursField, Scope, SettingsAction, SettingsCommand
from bot.services import settings, workspace_settings
from bot.services.runtime import Runtime
from bot.slack import durable, settings_views
from bot.slack.error_text import error_text
from bot.slack.errors import reported
from bot.slack.ids import View
from bot.slack.replies import answer_in_ack, reply
from bot.slack.workspace import workspace_of

Body = dict[str, Any]


def register(app: App) -> None:
    app.view(View.WORKING_HOURS.value)(reported(working_hours_submitted))
    app.view(View.THRESHOLDS.value)(reported(thresholds_submitted))


def settings_command(
    ack: Ack, rt: Runtime, command: SettingsCommand, *, team_id: str, user_id: str, trigger_id: str,
    kept: durable.Payload,
) -> None:  # fmt: skip
    """``/tasks settings …``, parsed; ``kept`` is the command as the inbox keeps it."""
    if command.scope is Scope.PERSONAL:
        _personal(ack, rt, command, team_id=team_id, user_id=user_id, trigger_id=trigger_id, kept=kept)
        return
    if command.action is SettingsAction.OPEN:
        ack()
        workspace_settings.require_admin(rt, team_id=team_id, user_id=user_id, ask_slack=True)
        current = workspace_settings.current(rt, team_id=team_id)
        rt.gateway.open_view(trigger_id, settings_views.workspace_modal(current), team_id=team_id)
        return
    if command.action is SettingsAction.SET:
        assert command.field is not None and command.value is not None, "the parser names both"
        workspace_settings.check_setting(command.field, command.value)  # a typo is answered in the ack
    durable.accept(
        rt, ack, kind="settings_command", team_id=team_id, request_key=kept["request_key"], payload=kept
    )


def _personal(
    ack: Ack, rt: Runtime, command: SettingsCommand, *, team_id: str, user_id: str, trigger_id: str,
    kept: durable.Payload,
) -> None:  # fmt: skip
    if command.action is SettingsAction.OPEN:
        ack()
        hours = settings.working_hours(rt, team_id=team_id, user_id=user_id, ask_slack=True)
        rt.gateway.open_view(trigger_id, settings_views.working_hours_modal(hours), team_id=team_id)
        return
    field = HoursField(command.field) if command.field else None
    if field is not None and command.value is not None:
        settings.check_hours(field, command.value)  # a typo is answered in the ack
    if not settings.knows_profile(rt, team_id=team_id, user_id=user_id):
        # Their Slack timezone is the default to compare with and to show: asked of Slack after the ack.
        durable.accept(
            rt, ack, kind="settings_command", team_id=team_id, request_key=kept["request_key"], payload=kept
        )
        return
    hours = settings.set_hours(rt, team_id=team_id, user_id=user_id, field=field, text=command.value)
    answer_in_ack(ack, _hours_reply(command, hours))


def _hours_reply(command: SettingsCommand, hours: settings.WorkingHours) -> dict[str, Any]:
    everything = command.action is SettingsAction.RESET and command.field is None
    lead = "Back to the defaults. Your working hours" if everything else "Saved. Your working hours"
    return settings_views.working_hours_reply(hours, lead=lead)


@durable.work("settings_command")
def _after_ack(rt: Runtime, payload: durable.Payload) -> None:
    command = parsing.parse_tasks(payload["text"]).settings
    assert command is not None and command.action is not SettingsAction.OPEN, "forms are not kept"
    who: dict[str, Any] = {"team_id": payload["team_id"], "request_key": payload["request_key"]}
    text = command.value if command.action is SettingsAction.SET else None
    if command.scope is Scope.PERSONAL:
        field = HoursField(command.field) if command.field else None
        hours = settings.set_hours(
            rt, **who, user_id=payload["user_id"], field=field, text=text, ask_slack=True
        )
        reply(rt, payload, _hours_reply(command, hours))
        return
    current = workspace_settings.set_setting(
        rt, **who, actor=payload["user_id"], setting=command.field, text=text
    )
    reply(rt, payload, settings_views.workspace_reply(current))


# --- the forms ----------------------------------------------------------------------------


def working_hours_submitted(ack: Ack, body: Body, view: Body, context: BoltContext, rt: Runtime) -> None:
    typed = settings_views.typed_values(view)
    try:
        hours = settings.save_hours_form(
            rt,
            team_id=workspace_of(context),
            user_id=str(context.user_id),
            typed={field: typed.get(field.value, "") for field in HoursField},
            stamp=str(view.get("private_metadata") or ""),
        )
    except settings.FieldErrors as errors:
        ack(response_action="errors", errors=_worded(errors.errors))
        return
    except BadInput as error:
        ack(response_action="errors", errors={error.field or HoursField.TIMEZONE.value: error_text(error)})
        return
    ack(response_action="update", view=settings_views.working_hours_saved_view(hours))


def thresholds_submitted(ack: Ack, body: Body, view: Body, context: BoltContext, rt: Runtime) -> None:
    try:
        current = workspace_settings.save_form(
            rt,
            team_id=workspace_of(context),
            actor=str(context.user_id),
            typed=settings_views.typed_values(view),
            stamp=str(view.get("private_metadata") or ""),
        )
    except settings.FieldErrors as errors:
        ack(response_action="errors", errors=_worded(errors.errors))
        return
    except (BadInput, NotAllowed) as error:
        first = next(iter(settings_views.typed_values(view)), "NUDGE_ACK_AFTER")
        ack(response_action="errors", errors={error.field or first: error_text(error)[:2000]})
        return
    ack(response_action="update", view=settings_views.workspace_saved_view(current))


def _worded(errors: dict[str, str]) -> dict[str, str]:
    return {field: text[:2000] for field, text in errors.items()}
