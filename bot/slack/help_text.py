"""What the commands' help says, and the examples error messages point to."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.parsing import Command

DELEGATE_EXAMPLE = "/delegate @alice Ship the Q3 report | done when: PDF sent to the board | due: friday"
EDIT_EXAMPLE = "/tasks T-12 edit title: Ship the Q4 report | done when: PDF sent to the board | due: monday"
REPORT_EXAMPLES = "/report T-12 drafted the intro 40%  or  /report T-12 done PDF is in the shared folder"
TASKS_EXAMPLES = "/tasks, /tasks T-12, /tasks T-12 edit, /tasks T-12 cancel, /tasks T-12 reassign @bob"

EXAMPLES: Mapping[Command, str] = {
    Command.DELEGATE: DELEGATE_EXAMPLE,
    Command.EDIT: EDIT_EXAMPLE,
    Command.REPORT: REPORT_EXAMPLES,
    Command.TASKS: TASKS_EXAMPLES,
}

HELP_DELEGATE = (
    "*Delegate a task:* `/delegate @person <title> | done when: <outcome> | due: <when>`\n"
    "• `/delegate @alice Ship the Q3 report | done when: PDF sent to the board | due: friday`\n"
    "• `/delegate @bob @carol Book the offsite venue | due: dec 12`\n"
    "• `/delegate @dan Renew the domain | dod: renewal receipt filed | by: in 3 days`\n"
    "Labels: `done when:` (or `done:`, `dod:`, `definition of done:`) and `due:` "
    "(or `by:`, `deadline:`). Both parts are optional and can come in any order.\n"
    "Repeat it with `every:` `day`, `weekday`, `week`, `2 weeks` or `month` (needs a `due:`): "
    "`/delegate @alice Weekly metrics | due: friday 4pm | every: week`.\n"
    "Due dates: `tomorrow 3pm`, `friday`, `in 3 days`, `2026-12-24 17:00`, `eod`, `eow`."
)

HELP_TASKS = (
    "*Your tasks:*\n"
    "• `/tasks` — what you delegated and what is on your plate\n"
    "• `/tasks T-12` — show one task\n"
    "• `/tasks T-12 edit` — edit it, or inline: "
    "`/tasks T-12 edit title: … | done when: … | due: …`\n"
    "• `/tasks T-12 cancel <reason>` — cancel it\n"
    "• `/tasks T-12 reassign @bob` — hand it to someone else\n"
    "• `/tasks T-12 take back` — take it back to do yourself\n"
    "• `/tasks T-12 stop` — stop a repeating task: no new occurrences (T-12 itself stays)\n"
    "• `/tasks T-12 why` — where the handoff broke: what went wrong, who held the ball, how long\n"
    "• `/tasks stats [@someone] [90d]` — scorecards: yours and the team's, or one person's\n"
    "• `/tasks export [30d]` — a CSV of your tasks and their history in your DM "
    "(open now or closed in the last 30 days; up to 365d)\n"
    "• `/tasks settings` — your working hours: when nudges may reach you (a form), or typed: "
    "`/tasks settings quiet 19:00-08:00`, `days mon-fri`, `tz Europe/Berlin`, `reset`\n"
    "• `/tasks settings workspace` — the workspace's nudge thresholds, quiet hours, working days, "
    "default timezone and summary time (admins, owners and the installer), "
    "or typed: `/tasks settings workspace NUDGE_ACK_AFTER 2h`, `QUIET_HOURS 20:00-07:00`\n"
    "• `/tasks summary here [09:00] [owner:@olivia] [assignee:@bob] [tz:Europe/Berlin] [days:mon-fri]"
    " [quiet]`"
    " — in a channel: post a daily summary there (`quiet`: nothing on all-clear days)\n"
    "• `/tasks summary off` — stop the channel's summary; `/tasks summary` — show it"
)

HELP_REPORT = (
    "*Report on a task you were given:*\n"
    "• `/report T-12 drafted the intro and the numbers 40%` — progress (the % is optional)\n"
    "• `/report T-12 60%` — just the percentage\n"
    "• `/report T-12 done PDF is in the shared folder` — hand it back as done"
)
