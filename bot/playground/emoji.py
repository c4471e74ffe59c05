"""Slack's emoji shortcodes (``:warning:``) as the characters Slack shows for them.

Only a common set: every shortcode the bot writes is here (a test reads the bot's source for
them), and a shortcode not known stays as typed, the way Slack shows an unknown one.
"""

from __future__ import annotations

import re

SHORTCODE = re.compile(r":([a-z0-9][a-z0-9_+-]*):")

EMOJI: dict[str, str] = {
    "white_check_mark": "\u2705",
    "heavy_check_mark": "\u2714\ufe0f",
    "x": "\u274c",
    "warning": "\u26a0\ufe0f",
    "no_entry": "\u26d4",
    "no_entry_sign": "\U0001f6ab",
    "grey_question": "\u2754",
    "question": "\u2753",
    "grey_exclamation": "\u2755",
    "exclamation": "\u2757",
    "speech_balloon": "\U0001f4ac",
    "zzz": "\U0001f4a4",
    "bell": "\U0001f514",
    "alarm_clock": "\u23f0",
    "hourglass": "\u231b",
    "hourglass_flowing_sand": "\u23f3",
    "calendar": "\U0001f4c6",
    "date": "\U0001f4c5",
    "memo": "\U0001f4dd",
    "pencil2": "\u270f\ufe0f",
    "inbox_tray": "\U0001f4e5",
    "outbox_tray": "\U0001f4e4",
    "package": "\U0001f4e6",
    "rocket": "\U0001f680",
    "tada": "\U0001f389",
    "wave": "\U0001f44b",
    "eyes": "\U0001f440",
    "thumbsup": "\U0001f44d",
    "+1": "\U0001f44d",
    "thumbsdown": "\U0001f44e",
    "-1": "\U0001f44e",
    "point_right": "\U0001f449",
    "arrow_right": "\u27a1\ufe0f",
    "repeat": "\U0001f501",
    "large_green_circle": "\U0001f7e2",
    "large_yellow_circle": "\U0001f7e1",
    "large_orange_circle": "\U0001f7e0",
    "red_circle": "\U0001f534",
    "white_circle": "\u26aa",
    "construction": "\U0001f6a7",
    "fire": "\U0001f525",
    "sparkles": "\u2728",
    "bulb": "\U0001f4a1",
    "mag": "\U0001f50d",
    "lock": "\U0001f512",
    "smile": "\U0001f604",
    "slightly_smiling_face": "\U0001f642",
    "chart_with_upwards_trend": "\U0001f4c8",
    "bar_chart": "\U0001f4ca",
}


def emojize(text: str) -> str:
    """``text`` with each known shortcode replaced by its emoji (screen readers name those)."""
    return SHORTCODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
