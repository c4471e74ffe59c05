"""Which workspace's tasks a request acts on."""

from __future__ import annotations

from slack_bolt import BoltContext


def workspace_of(context: BoltContext) -> str:
    """The workspace the bot is installed in, which is where its tasks live.

    Bolt's ``context.team_id`` is read from the payload, and for a guest from another
    organisation (a Slack Connect DM or channel) that can be the guest's home workspace;
    the authorization Bolt made for the request names the installation instead.
    """
    authorized = context.authorize_result
    if authorized is not None and authorized.team_id:
        return str(authorized.team_id)
    return str(context.team_id)
