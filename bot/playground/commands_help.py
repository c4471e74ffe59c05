"""The slash commands a person can type, with the description and usage hint Slack shows for them.

The same words as ``manifest.yml`` (a test keeps them equal), so the composer helps as Slack's does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SlashCommand:
    command: str
    description: str
    usage_hint: str


COMMANDS = (
    SlashCommand(
        "/delegate",
        "Hand a task to someone, with what done looks like and when",
        "@alice Ship the report | done when: PDF sent to the board | due: friday",
    ),
    SlashCommand(
        "/report",
        "Report progress on a task, or deliver it",
        "T-12 drafted the intro 40%  ·  T-12 done <link>",
    ),
    SlashCommand(
        "/tasks",
        "Your open tasks; one task with its history; owner controls",
        "[T-12] [edit | cancel | reassign @bob | takeback]",
    ),
)
KNOWN = frozenset(c.command for c in COMMANDS)


def not_a_command(command: str) -> str:
    """What Slack answers, privately, to a slash command no app in the workspace has."""
    return (
        f'`{command}` is not a valid command. In Slack, all messages that start with the "/" '
        "character are interpreted as commands. Handoff's are "
        + ", ".join(f"`{c.command}`" for c in COMMANDS)
        + "."
    )
