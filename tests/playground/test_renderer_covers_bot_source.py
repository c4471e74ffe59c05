"""Every kind of block and element the bot's Slack code can send is one the playground renders.

Read from the source, not from sample output: a ``"type": "…"`` written in ``bot/slack`` (a
dict literal or a ``type=`` argument) or a slack_sdk Block Kit class imported there, so a new
block type fails here before anyone meets a placeholder on the page.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

from slack_sdk.models.blocks import Block, BlockElement, TextObject
from slack_sdk.models.views import View

from bot.playground.blocks_html import SUPPORTED_BLOCKS, SUPPORTED_CONTEXT_ELEMENTS, SUPPORTED_ELEMENTS
from bot.playground.emoji import EMOJI, SHORTCODE

ROOT = Path(__file__).resolve().parents[2]
SLACK_CODE = ROOT / "bot" / "slack"
# Kinds that are not blocks: the views the page draws itself, and text objects (rendered wherever text is).
VIEW_TYPES = {"modal", "home"}
TEXT_TYPES = {"mrkdwn", "plain_text"}
RENDERED = SUPPORTED_BLOCKS | SUPPORTED_ELEMENTS | SUPPORTED_CONTEXT_ELEMENTS | VIEW_TYPES | TEXT_TYPES


def types_written(source: str) -> set[str]:
    """The Block Kit ``type`` values a module writes, by literal or by slack_sdk class."""
    tree = ast.parse(source)
    found: set[str] = set()
    sdk_modules: dict[str, str] = {}  # local name -> slack_sdk.models module
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if _is_str(key, "type") and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.add(value.value)
        elif isinstance(node, ast.keyword) and node.arg == "type" and isinstance(node.value, ast.Constant):
            found.add(str(node.value.value))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("slack_sdk.models"):
            for alias in node.names:
                found |= _sdk_type(str(node.module), alias.name, sdk_modules, alias.asname)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("slack_sdk.models"):
                    sdk_modules[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):  # blocks.SectionBlock after "from slack_sdk.models import blocks"
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in sdk_modules
        ):
            found |= _sdk_type(sdk_modules[node.value.id], node.attr, {}, None)
    return found


def _is_str(node: ast.expr | None, text: str) -> bool:
    return isinstance(node, ast.Constant) and node.value == text


def _sdk_type(module_name: str, name: str, sdk_modules: dict[str, str], asname: str | None) -> set[str]:
    thing = getattr(importlib.import_module(module_name), name, None)
    if thing is None:
        return set()
    if isinstance(thing, ModuleType):  # a module: its classes are looked up where they are used
        sdk_modules[asname or name] = f"{module_name}.{name}"
        return set()
    kinds = (Block, BlockElement, TextObject, View)
    kind = getattr(thing, "type", None)  # slack_sdk's classes name their Block Kit type here
    if isinstance(thing, type) and issubclass(thing, kinds) and isinstance(kind, str):
        return {kind}
    return set()


def test_the_source_reader_finds_literals_and_sdk_classes() -> None:
    source = """
from slack_sdk.models.blocks import VideoBlock, ButtonElement
from slack_sdk.models import blocks
a = {"type": "file", "text": {"type": "mrkdwn"}}
b = dict(type="rich_text")
c = blocks.ImageBlock
"""
    assert types_written(source) == {"video", "button", "file", "mrkdwn", "rich_text", "image"}


def test_a_block_the_renderer_lacks_would_be_caught() -> None:
    assert types_written('{"type": "video"}') - RENDERED == {"video"}


def test_every_block_kit_type_the_bot_writes_is_rendered() -> None:
    written = {
        str(path.relative_to(ROOT)): types_written(path.read_text())
        for path in sorted(SLACK_CODE.rglob("*.py"))
    }
    unrendered = {path: sorted(kinds - RENDERED) for path, kinds in written.items() if kinds - RENDERED}
    assert unrendered == {}
    everything = set().union(*written.values())
    assert {"section", "actions", "button", "input", "static_select", "header"} <= everything


def shortcodes_written(source: str) -> set[str]:
    """Emoji shortcodes in a module's strings (not its docstrings, whose :func: roles are not emoji)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return {
        match.group(1)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        for match in SHORTCODE.finditer(node.value)
        if match.group(1)[0].isalpha()  # "19:00-08:00" holds no emoji
    }


def test_the_source_reader_finds_shortcodes_outside_docstrings() -> None:
    source = '''
def f():
    """See :func:`g`."""
    return ":bell: due 19:00-08:00 " + f":zzz: {x}"
'''
    assert shortcodes_written(source) == {"bell", "zzz"}


def test_every_emoji_the_bot_writes_is_shown_as_one() -> None:
    # bot/slack words everything people read; elsewhere ":memory:" and outbox keys are no emoji.
    written = set().union(*(shortcodes_written(path.read_text()) for path in SLACK_CODE.rglob("*.py")))
    assert written - set(EMOJI) == set()
    assert {"warning", "white_check_mark"} <= written
